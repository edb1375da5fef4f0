"""The bench's instruments: how long the UI thread works for a refresh or a key, and when it is
on screen.

The UI thread's time is the sum of the event loop's callbacks that ran on it (`LoopMeter` times
asyncio's `Handle._run`, wall and CPU), from the moment new data is handed to the feed until the
last frame it caused was composed (`FrameProbe`; headless Textual composes each frame but does not
turn it into terminal bytes, so the probe does that too, as the terminal driver would). A refresh
is measured on data fetched beforehand (`Staged`): the network is not UI time; the client's own
work on the reply (parsing, mapping) is, reported beside it as `*fetch_ui*`. CPU figures (`*cpu*`)
are the same callbacks' CPU time: wall figures above them mean the machine was busy with other work.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SETTLE_QUIET_S = 0.25  # no frame for this long: the refresh is fully on screen
clock = time.perf_counter


class LoopMeter:
    """Times every callback the event loop runs on this thread (other threads' loops are left out)."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, float, float]] = []  # (start, end, CPU seconds of this thread)
        self._thread = threading.get_ident()
        self._original: Any = None

    def __enter__(self) -> LoopMeter:
        import asyncio.events

        original = self._original = asyncio.events.Handle._run
        runs, thread, cpu_clock = self.runs, self._thread, time.thread_time

        def timed(handle: asyncio.Handle) -> None:
            if threading.get_ident() != thread:
                return original(handle)
            start, cpu = clock(), cpu_clock()
            try:
                return original(handle)
            finally:
                runs.append((start, clock(), cpu_clock() - cpu))

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc_info: object) -> None:
        import asyncio.events

        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]

    def last_work_end(self, since: float, min_ms: float = 2.0) -> float:
        """When the last callback longer than `min_ms` ended (`since` when none did after it)."""
        for start, end, _cpu in reversed(self.runs):
            if end < since:
                break
            if (end - start) * 1000 >= min_ms:
                return end
        return since

    def run_end(self, moment: float) -> float:
        """The end of the callback that was running at `moment` (`moment` when none was)."""
        for start, end, _cpu in reversed(self.runs):
            if start <= moment <= end:
                return end
            if end < moment:
                break
        return moment

    def busy_ms(self, start: float, end: float) -> float:
        """Milliseconds the loop spent running callbacks between `start` and `end`."""
        busy = sum(min(e, end) - max(s, start) for s, e, _cpu in self.runs if e > start and s < end)
        return busy * 1000

    def longest_ms(self, start: float, end: float) -> tuple[float, float]:
        """The longest callback between `start` and `end` in wall time, and the longest in CPU time.

        A wall time far above the CPU time is time spent waiting for the machine, not in our code.
        """
        inside = [(e - s, cpu) for s, e, cpu in self.runs if s >= start and e <= end]
        return (
            max((wall for wall, _cpu in inside), default=0.0) * 1000,
            max((cpu for _wall, cpu in inside), default=0.0) * 1000,
        )

    def cpu_ms(self, start: float, end: float) -> float:
        """CPU milliseconds of this thread in the callbacks that ran within `start` and `end`.

        Unlike `busy_ms`, not inflated when other processes take the machine's cores.
        """
        return sum(cpu for s, e, cpu in self.runs if s >= start and e <= end) * 1000


class FrameProbe:
    """Every frame the app's screens compose: when it was done, and its size as terminal bytes.

    Wraps `Screen._compositor_refresh` (where Textual 8 composes and displays a frame) while
    installed; `wait_for` resolves at the first frame after which a condition holds.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[tuple[float, int]] = []  # (done at, bytes)
        self._waiters: list[tuple[Callable[[Any], bool], asyncio.Future[float]]] = []
        self._bytes = 0
        self.frame_widgets: set[Any] = set()  # of the frame being composed (for `wait_for` conditions)
        self.frame_layout = False

    @contextmanager
    def installed(self) -> Iterator[FrameProbe]:
        from textual.screen import Screen

        original = Screen._compositor_refresh
        original_display = self.app._display
        probe = self

        def display(screen: Any, renderable: Any) -> None:
            original_display(screen, renderable)
            # Headless Textual stops short of this; a terminal driver does it for every frame.
            render = getattr(renderable, "render_segments", None)
            if render is not None and not probe.app._batch_count:
                probe._bytes += len(render(probe.app.console).encode("utf-8"))

        def compositor_refresh(screen: Any) -> None:
            probe._bytes = 0
            # What this frame takes in: the widgets marked for repaint, or everything after a layout.
            probe.frame_widgets = set(screen._dirty_widgets)
            probe.frame_layout = screen._layout_required
            original(screen)
            if screen.app is not probe.app:
                return
            done = clock()
            probe.frames.append((done, probe._bytes))
            for waiter in list(probe._waiters):
                condition, future = waiter
                if future.done():
                    probe._waiters.remove(waiter)
                elif condition(screen):
                    future.set_result(done)
                    probe._waiters.remove(waiter)

        Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign]
        self.app._display = display
        try:
            yield self
        finally:
            Screen._compositor_refresh = original  # type: ignore[method-assign]
            self.app._display = original_display

    async def wait_for(self, condition: Callable[[Any], bool], timeout: float) -> float | None:
        """When the first frame after which `condition(screen)` holds was done (None: timed out)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((condition, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None

    def bytes_between(self, start: float, end: float) -> int:
        return sum(size for done, size in self.frames if start <= done <= end)


class Staged:
    """Stands in for a vendor's fetch: returns data the bench fetched before, when the bench says."""

    def __init__(self) -> None:
        self._ready: asyncio.Queue[Any] = asyncio.Queue()

    def put(self, data: Any) -> None:
        self._ready.put_nowait(data)

    async def __call__(self) -> Any:
        return await self._ready.get()


async def settle(probe: FrameProbe, meter: LoopMeter, since: float, quiet: float = SETTLE_QUIET_S) -> float:
    """Wait until the screen is still: no frame and no real work on the loop for `quiet` seconds.

    Returns when the callback that composed the last frame after `since` ended (`since` when no
    frame came), so that callback counts whole.
    """
    deadline = clock() + 20.0
    while clock() < deadline:
        await asyncio.sleep(0.02)
        frames = [done for done, _ in probe.frames if done >= since]
        last = max(frames[-1] if frames else since, meter.last_work_end(since))
        if frames or clock() - since >= 1.0:  # a refresh that changes nothing draws no frame
            if clock() - last >= quiet:
                break
    frames = [done for done, _ in probe.frames if done >= since]
    return meter.run_end(frames[-1]) if frames else since


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]
