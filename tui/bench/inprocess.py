"""The figures of SPEC §9 measured inside one process: the console headless (`run_test`, 120×40)
against the simulator over loopback HTTP.

- `refresh_times`: the UI thread's time for one refresh of the Queues board (500 agents, 200
  waiting callers) and of the SMS inbox (3,000 rows): the first fill, then refreshes where a handful
  of rows changed (agents paused; new messages on top of the inbox) and, for queues, a moving world
  (every waiting caller's wait ticks, callers come and go). `<board>.refresh` holds all of them.
- `keypress_latency`: key sent -> the frame that shows its effect, for j/k moves and screen switches
  while the boards refresh every 0.5 s against the big world, moving.
- `fleet`: 100 profiles on the wall at a 5 s refresh: polls that started more than 1 s after they
  were due, and the longest stall of the UI's event loop (a 50 ms ticker's worst lateness).

How time is taken. The UI thread's time is the sum of the event loop's callbacks that ran on it
(`LoopMeter` times asyncio's `Handle._run`, wall and CPU), from the moment new data is handed to
the feed until the last frame it caused was composed (`FrameProbe`; headless Textual composes each
frame but does not turn it into terminal bytes, so the probe does that too, as the terminal driver
would). A refresh is measured on data fetched beforehand (`Staged`): the network is not UI time;
the client's own work on the reply (parsing, mapping) is, reported beside it as `*fetch_ui*`.
CPU figures (`*cpu*`) are the same callbacks' CPU time: wall figures above them mean the machine
was busy with other work. For `refresh_times` the simulator runs on a thread (it is idle while a
refresh is measured, and the world is changed between refreshes); for the two that poll it all
along, it runs in a process of its own, as a vendor would, so its work is not on our interpreter.

Each function takes `quick`: fewer samples and shorter runs, for CI to check the JSON's shape.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SIZE = (120, 40)
SEED = 7
REFRESH_BUDGET_MS = 30.0
KEYPRESS_P99_BUDGET_MS = 50.0
KEYPRESS_REFRESH_S = 0.5
FLEET_PROFILES = 100
FLEET_REFRESH_S = 5.0
FLEET_LATE_AFTER_S = 1.0  # a poll that starts later than this after it was due is late
# A stall is the event loop late for a due 50 ms tick: nothing is drawn and no key is handled
# meanwhile. Past ~100 ms a pause is felt as the program freezing (the usual limit for a response
# to seem instant), so that is the budget.
FLEET_TICK_S = 0.05
FLEET_STALL_BUDGET_MS = 100.0
FLEET_SETTLE_S = 2.0
SETTLE_QUIET_S = 0.25  # no frame for this long: the refresh is fully on screen
KEY_TIMEOUT_S = 2.0
clock = time.perf_counter


# -- instruments ------------------------------------------------------------------------------------------


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


# -- the console on the simulator ---------------------------------------------------------------------------


def _yemot_profile(base_url: str, system: str = "0773137770") -> dict[str, Any]:
    from tui.demo import DEMO_QUEUES
    from tui.simulator.server import DEMO_CREDENTIALS

    password = next(c.password for c in DEMO_CREDENTIALS if c.vendor == "yemot" and c.username == system)
    return {
        "vendor": "yemot",
        "base_url": base_url,
        "username": system,
        "password": password,
        "queues": DEMO_QUEUES,
    }


def _console(profiles: dict[str, dict[str, Any]], refresh_s: float, **app_options: Any) -> Any:
    from tui.app import CallboardApp
    from tui.config import config_from_dict
    from tui.service.audit import AuditLog
    from tui.sessions import build_sessions

    intervals = dict.fromkeys(("queues", "sip", "campaigns", "sms", "calls"), refresh_s)
    config = config_from_dict({"refresh": intervals, "profiles": profiles}, "<bench>")
    sessions, broken = build_sessions(config, audit=AuditLog(Path(os.devnull)))
    if broken:
        raise RuntimeError(f"bench profiles did not open: {broken}")
    return CallboardApp(sessions, start_profile=next(iter(sessions)), **app_options)


@contextmanager
def _simulator(world: Any, speed: float) -> Iterator[Any]:
    from tui.demo import BackgroundSimulator

    simulator = BackgroundSimulator(seed=world.seed, speed=speed, world=world)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


async def _on_simulator(simulator: Any, function: Callable[[], Any]) -> Any:
    """Run `function()` where the simulator's world lives, without blocking this loop."""
    return await asyncio.to_thread(simulator.call, function)


def serve_for_bench(seed: int, speed: float, load: bool) -> None:
    """The simulator process's main: prints the Yemot base URL, serves until its stdin closes."""
    from tui.simulator.server import SimulatorServer
    from tui.simulator.world import World
    from tui.simulator.world_load import load_world

    world = World(seed)
    if load:
        load_world(world)

    async def serve() -> None:
        server = SimulatorServer(world, speed=speed)
        await server.start("127.0.0.1", 0)
        print(server.base_url("yemot"), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.stop()

    asyncio.run(serve())


@contextmanager
def _simulator_process(seed: int, speed: float, *, load: bool) -> Iterator[str]:
    """The simulator in a process of its own, like a vendor: its work takes nothing from this
    process's interpreter lock while the console polls it. Yields the Yemot base URL."""
    import queue
    import subprocess

    import tui

    code = f"from tui.bench.inprocess import serve_for_bench; serve_for_bench({seed!r}, {speed!r}, {load!r})"
    source_root = str(Path(tui.__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        try:
            base_url = lines.get(timeout=120).strip()
        except queue.Empty:
            base_url = ""
        if not base_url:
            raise RuntimeError("bench: the simulator process did not start")
        yield base_url
    finally:
        process.stdin.close()  # its signal to stop
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        process.stdout.close()


async def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = clock() + timeout
    while not condition():
        if clock() > deadline:
            raise TimeoutError(f"bench: {what} did not happen within {timeout:g} s")
        await asyncio.sleep(0.02)


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# -- one refresh ------------------------------------------------------------------------------------------


def refresh_times(quick: bool = False, seed: int = SEED) -> dict[str, Any]:
    """UI-thread milliseconds of one refresh of the big Queues board and of the 3,000-row SMS inbox."""
    return asyncio.run(_refresh_times(quick, seed))


async def _refresh_times(quick: bool, seed: int) -> dict[str, Any]:
    from tui.simulator.world import World
    from tui.simulator.world_load import load_world

    samples = 3 if quick else 15
    world = World(seed)
    load_world(world)  # 500 agents, 200 waiting, 3,000 SMS, 1,000 SIP accounts
    with _simulator(world, speed=0.0) as simulator, LoopMeter() as meter:
        app = _console({"bench": _yemot_profile(simulator.base_url("yemot"))}, 3600.0)  # no poll of its own
        session = app.sessions["bench"]
        vendor = session.vendor
        fetch_queues, fetch_sms = vendor.fetch_queues, vendor.fetch_sms
        vendor.fetch_queues, vendor.fetch_sms = staged_queues, staged_sms = Staged(), Staged()
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            with probe.installed():
                await _until(lambda: "callbacks" in session.feeds, 10, "the Queues screen")
                await _until(lambda: session.feeds["callbacks"].state.data is not None, 10, "callbacks")
                await settle(probe, meter, clock())

                async def one_refresh(stage: Staged, fetch: Callable[[], Any], feed_name: str, first: bool):
                    # Fetched in a task of its own, so its callbacks are all done (and timed) when read.
                    start = clock()
                    data = await asyncio.create_task(fetch())
                    fetched = clock()
                    begin = clock()
                    stage.put(data)
                    refresh = None if first else asyncio.create_task(session.feeds[feed_name].refresh())
                    end = await settle(probe, meter, begin)
                    if refresh is not None:
                        await refresh
                    return {
                        "ms": meter.busy_ms(begin, end),
                        "cpu_ms": meter.cpu_ms(begin, end),
                        "fetch_ui_ms": meter.busy_ms(start, fetched),
                        "bytes": probe.bytes_between(begin, end),
                    }

                queues: dict[str, Any] = {"agents": len(world.agents), "waiting": _waiting(world)}
                queues.update(_first_fill(await one_refresh(staged_queues, fetch_queues, "queues", True)))
                flip = _flip_agents(world)
                steady, moving = [], []
                for _ in range(samples):
                    await _on_simulator(simulator, flip)
                    steady.append(await one_refresh(staged_queues, fetch_queues, "queues", False))
                for _ in range(samples):
                    await _on_simulator(simulator, lambda: world.advance(2.0))
                    moving.append(await one_refresh(staged_queues, fetch_queues, "queues", False))
                queues.update(_refreshes("steady", steady))
                queues.update(_refreshes("moving", moving))
                queues["refresh"] = _overall(steady + moving)

                await pilot.press("4")
                await _until(lambda: "sms" in session.feeds, 10, "the SMS screen")
                await settle(probe, meter, clock())
                first = await one_refresh(staged_sms, fetch_sms, "sms", True)
                sms: dict[str, Any] = {"rows": len(session.feeds["sms"].state.data.messages)}
                sms.update(_first_fill(first))
                steady = []
                for index in range(samples):
                    await _on_simulator(simulator, _new_messages(world, index))
                    steady.append(await one_refresh(staged_sms, fetch_sms, "sms", False))
                sms.update(_refreshes("steady", steady))
                sms["refresh"] = _overall(steady)
    worst = max(queues["refresh"]["max"], sms["refresh"]["max"])
    return {
        "queues": queues,
        "sms": sms,
        "samples": samples,
        "budget_ms": REFRESH_BUDGET_MS,
        "worst_refresh_ms": worst,
        "pass": worst <= REFRESH_BUDGET_MS,
    }


def _first_fill(record: dict[str, float]) -> dict[str, float]:
    return {
        "first_fill_ms": round(record["ms"], 2),
        "first_fill_cpu_ms": round(record["cpu_ms"], 2),
        "first_fetch_ui_ms": round(record["fetch_ui_ms"], 2),
    }


def _overall(records: list[dict[str, float]]) -> dict[str, float]:
    """Every refresh of a board together (the figure held against the budget): wall and CPU ms."""
    wall, cpu = _ms([r["ms"] for r in records]), _ms([r["cpu_ms"] for r in records])
    return {"p50": wall["p50_ms"], "max": wall["max_ms"], "cpu_p50": cpu["p50_ms"], "cpu_max": cpu["max_ms"]}


def _refreshes(kind: str, records: list[dict[str, float]]) -> dict[str, float]:
    """p50 and max of the refreshes' UI time (wall and CPU), the client's share, and the bytes drawn."""
    summary: dict[str, float] = {}
    for field, name in (("ms", ""), ("cpu_ms", "cpu_"), ("fetch_ui_ms", "fetch_ui_")):
        for stat, value in _ms([r[field] for r in records]).items():
            summary[f"{kind}_{name}{stat}"] = value
    summary[f"{kind}_bytes_p50"] = int(statistics.median(r["bytes"] for r in records))
    return summary


def _waiting(world: Any) -> int:
    return sum(len(q.waiting) for q in world.queues.values())


def _flip_agents(world: Any, count: int = 5) -> Callable[[], None]:
    """Pause or unpause the same few agents each time: a handful of rows change, nothing else."""
    members = [(q.queue_id, m.agent_id) for q in world.queues.values() for m in q.members][::97][:count]

    def flip() -> None:
        for queue_id, agent_id in members:
            member = world.queues[queue_id].member(agent_id)
            world.set_paused(queue_id, agent_id, not member.paused)

    return flip


def _new_messages(world: Any, index: int, count: int = 3) -> Callable[[], None]:
    def arrive() -> None:
        world.advance(1.0)  # a second later than the newest held, so the poll asks for them
        for n in range(count):
            world.receive_sms("0773137770", f"05012300{index:02d}{n}", f"bench message {index}.{n}")

    return arrive


# -- keypress to screen -----------------------------------------------------------------------------------


def keypress_latency(quick: bool = False, seed: int = SEED) -> dict[str, Any]:
    """Milliseconds from a key sent to the frame that shows its effect, while the boards refresh."""
    return asyncio.run(_keypress_latency(quick, seed))


async def _keypress_latency(quick: bool, seed: int) -> dict[str, Any]:
    from textual import events

    from tui.widgets.live_table import LiveTable

    presses = 40 if quick else 200
    rng = random.Random(f"keys:{seed}")
    with _simulator_process(seed, 1.0, load=True) as base_url, LoopMeter() as meter:
        app = _console({"bench": _yemot_profile(base_url)}, KEYPRESS_REFRESH_S)
        session = app.sessions["bench"]
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            with probe.installed():

                def rows_shown(resource: str) -> Callable[[], bool]:
                    def shown() -> bool:
                        tables = list(app.screen.query(LiveTable))
                        return resource in session.feeds and any(t.row_count > 10 for t in tables)

                    return shown

                await _until(rows_shown("queues"), 20, "the Queues board")
                await pilot.press("4")
                await _until(rows_shown("sms"), 20, "the SMS inbox")
                await pilot.press("1")
                await settle(probe, meter, clock())
                polls = _count_polls(session)

                async def press(key: str) -> tuple[float | None, str]:
                    screen = app.screen
                    if key in "jk":
                        table = screen.focused
                        before = table.current_key()  # a refresh may move rows, not the cursor's row

                        def shown(frame_screen: Any) -> bool:
                            drawn = probe.frame_layout or table in probe.frame_widgets
                            return frame_screen is screen and table.current_key() != before and drawn

                        kind = "move"
                    else:

                        def shown(frame_screen: Any) -> bool:
                            return frame_screen is app.screen and frame_screen is not screen

                        kind = "switch"
                    event = events.Key(key, key)
                    event.set_sender(app)
                    sent = clock()
                    app._driver.send_message(event)
                    done = await probe.wait_for(shown, KEY_TIMEOUT_S)
                    return (None if done is None else (done - sent) * 1000), kind

                latencies: dict[str, list[float]] = {"move": [], "switch": []}
                timeouts = 0
                started = clock()
                for index in range(presses):
                    if index % 25 == 24:
                        key = "4" if app.screen_id == "queues" else "1"
                    else:
                        table = app.screen.focused
                        if not isinstance(table, LiveTable):
                            raise RuntimeError("bench: no table has the focus")
                        step = index % 10 < 5
                        if table.cursor_row <= 0:
                            step = True
                        elif table.cursor_row >= table.row_count - 1:
                            step = False
                        key = "j" if step else "k"
                    latency, kind = await press(key)
                    if latency is None:
                        timeouts += 1
                        latency = KEY_TIMEOUT_S * 1000
                    latencies[kind].append(latency)
                    await asyncio.sleep(rng.uniform(0.02, 0.12))
                seconds = clock() - started
                refreshes = polls()
    every = latencies["move"] + latencies["switch"]
    p99 = _percentile(every, 0.99)
    return {
        "presses": len(every),
        "p50_ms": round(statistics.median(every), 2),
        "p99_ms": round(p99, 2),
        "max_ms": round(max(every), 2),
        "move_p50_ms": round(statistics.median(latencies["move"]), 2),
        "move_p99_ms": round(_percentile(latencies["move"], 0.99), 2),
        "switches": len(latencies["switch"]),
        "switch_p50_ms": round(statistics.median(latencies["switch"]), 2) if latencies["switch"] else None,
        "switch_max_ms": round(max(latencies["switch"]), 2) if latencies["switch"] else None,
        "timeouts": timeouts,
        "refresh_s": KEYPRESS_REFRESH_S,
        "refreshes_during": refreshes,
        "seconds": round(seconds, 1),
        "budget_p99_ms": KEYPRESS_P99_BUDGET_MS,
        "pass": timeouts == 0 and p99 <= KEYPRESS_P99_BUDGET_MS,
    }


def _count_polls(session: Any) -> Callable[[], int]:
    """How many polls every feed of `session` completes from now on (the count so far, when called)."""
    count = 0

    def completed(state: Any) -> None:
        nonlocal count
        if not state.loading and state.fetched_at is not None:
            count += 1

    for resource in ("queues", "callbacks", "sms"):
        session.feed(resource).observe(completed)
    return lambda: count


# -- a fleet of profiles ----------------------------------------------------------------------------------


def fleet(quick: bool = False, seed: int = SEED, profiles: int = FLEET_PROFILES) -> dict[str, Any]:
    """`profiles` profiles on the wall at a 5 s refresh: late polls and the longest UI stall."""
    return asyncio.run(_fleet(quick, seed, profiles))


async def _fleet(quick: bool, seed: int, count: int) -> dict[str, Any]:
    from tui.config import WallConfig
    from tui.simulator.demo_accounts import DEMO_ACCOUNTS

    seconds = 6.0 if quick else 60.0
    systems = [a.system for a in DEMO_ACCOUNTS if a.trusted_ips]  # no MFA to pass: they poll at once
    with _simulator_process(seed, 1.0, load=False) as base_url, LoopMeter() as meter:
        profiles = {
            f"fleet{n:03d}": _yemot_profile(base_url, systems[n % len(systems)]) for n in range(count)
        }
        app = _console(profiles, FLEET_REFRESH_S, wall=WallConfig(bell=False))
        feeds = []
        async with app.run_test(size=SIZE):
            await _until(lambda: all("queues" in s.feeds for s in app.sessions.values()), 30, "the wall")
            feeds = [s.feeds["queues"] for s in app.sessions.values()]
            await _until(lambda: all(f.state.fetched_at is not None for f in feeds), 60, "every board")
            await asyncio.sleep(FLEET_SETTLE_S)  # the wall's first drawing is start-up, not steady state
            loop = asyncio.get_running_loop()
            polls = [_PollLog(feed, loop) for feed in feeds]
            lags: list[float] = []

            async def ticker() -> None:
                while True:
                    due = loop.time() + FLEET_TICK_S
                    await asyncio.sleep(FLEET_TICK_S)
                    lags.append(max(0.0, loop.time() - due))

            tick = asyncio.create_task(ticker())
            began = clock()
            await asyncio.sleep(seconds)
            tick.cancel()
            end = loop.time()
            longest_ms, longest_cpu_ms = meter.longest_ms(began, clock())
    lateness = [late for log in polls for late in log.lateness(end)]
    late = sum(1 for value in lateness if value > FLEET_LATE_AFTER_S)
    errors = sum(log.errors for log in polls)
    stall_ms = max(lags, default=0.0) * 1000
    return {
        "profiles": count,
        "refresh_s": FLEET_REFRESH_S,
        "seconds": seconds,
        "polls": sum(log.completed for log in polls),
        "late_polls": late,
        "failed_polls": errors,
        "max_poll_lateness_s": round(max(lateness, default=0.0), 3),
        "longest_stall_ms": round(stall_ms, 2),
        "stall_p99_ms": round(_percentile(lags, 0.99) * 1000, 2) if lags else 0.0,
        "longest_callback_ms": round(longest_ms, 2),
        "longest_callback_cpu_ms": round(longest_cpu_ms, 2),
        "late_after_s": FLEET_LATE_AFTER_S,
        "stall_budget_ms": FLEET_STALL_BUDGET_MS,
        "pass": late == 0 and errors == 0 and stall_ms <= FLEET_STALL_BUDGET_MS,
    }


class _PollLog:
    """When each poll of a feed started against when it was due (its interval after the last one ended)."""

    def __init__(self, feed: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._interval = feed.interval
        state = feed.state
        self._due: float | None = None
        if not state.loading and state.error is None and state.fetched_at is not None:
            self._due = loop.time() - (time.time() - state.fetched_at) + self._interval
        self._late: list[float] = []
        self.completed = 0
        self.errors = 0
        feed.observe(self._seen)

    def _seen(self, state: Any) -> None:
        now = self._loop.time()
        if state.loading:
            if self._due is not None:
                self._late.append(max(0.0, now - self._due))
            self._due = None
        else:
            self.completed += 1
            if state.error is not None:
                self.errors += 1
                self._due = None  # a retry follows its backoff, not the interval
            else:
                self._due = now + self._interval

    def lateness(self, end: float) -> list[float]:
        """Every poll's lateness; a poll due but not started by `end` counts by how late it is then."""
        pending = [end - self._due] if self._due is not None and end - self._due > 0 else []
        return [*self._late, *pending]
