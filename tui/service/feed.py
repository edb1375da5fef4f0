"""A feed: one resource of one profile, refreshed on a timer while somebody watches it.

- at most one request in flight; a manual refresh joins it;
- the next poll is armed when the last one finishes ("interval after completion"), so polls never
  overlap and a slow vendor is not hammered;
- publishes FeedState: fresh data with its fetch time, or an error beside the last good data and
  when the next try is due; failures back off (Backoff), a vendor's wait is obeyed;
- polls only while it has subscribers, and not while paused (a manual refresh still works).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from tui.clock import wall_time
from tui.service.backoff import Backoff, retry_delay
from tui.vendors.base import NotSupported, Throttled, VendorError

T = TypeVar("T")
log = logging.getLogger("callboard.feed")

Listener = Callable[["FeedState[T]"], None]


@dataclass(frozen=True, slots=True)
class FeedState(Generic[T]):
    """What a widget shows. Times are wall-clock epoch seconds."""

    data: T | None = None
    fetched_at: float | None = None
    pushed_at: float | None = None  # the last time a pushed event changed the data
    error: VendorError | None = None
    failed_at: float | None = None
    retry_at: float | None = None
    vendor_wait: bool = False  # retry_at is the vendor's own "wait Ns"
    loading: bool = False  # a request is in flight
    paused: bool = False
    interval: float = 2.0

    @property
    def updated_at(self) -> float | None:
        """When the data was last known right: fetched, or changed by a push since."""
        if self.pushed_at is None or self.fetched_at is None:
            return self.fetched_at
        return max(self.fetched_at, self.pushed_at)

    def age(self, now: float) -> float | None:
        updated = self.updated_at
        return None if updated is None else max(0.0, now - updated)

    def is_late(self, now: float) -> bool:
        """Late = older than twice the interval (SPEC §5); only then is an age shown."""
        age = self.age(now)
        return age is not None and age > 2 * self.interval


class Feed(Generic[T]):
    def __init__(
        self,
        name: str,
        fetch: Callable[[], Awaitable[T]],
        interval: float,
        *,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = wall_time,
    ) -> None:
        self.name = name
        self._fetch = fetch
        self._clock = clock
        self._backoff = backoff or Backoff(base=max(1.0, interval), cap=max(interval, 30.0))
        self._state: FeedState[T] = FeedState(interval=interval)
        self._listeners: list[Listener] = []  # widgets: they keep the feed polling
        self._observers: list[Listener] = []  # passive (e.g. the connection state): they do not
        self._failures = 0
        self._inflight: asyncio.Future[None] | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._due = 0.0  # monotonic deadline of the next poll

    # -- observing ------------------------------------------------------------------------------
    @property
    def state(self) -> FeedState[T]:
        return self._state

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Start watching; the listener gets the current state at once. Returns the unsubscribe."""
        self._listeners.append(listener)
        listener(self._state)
        self._ensure_loop()

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)
            if not self._listeners:
                self._stop_loop()

        return unsubscribe

    def observe(self, listener: Listener) -> None:
        """Hear every state without keeping the feed polling."""
        self._observers.append(listener)

    def _publish(self, state: FeedState[T]) -> None:
        self._state = state
        for listener in [*self._listeners, *self._observers]:
            try:
                listener(state)
            except Exception:  # a broken widget must not stop the feed
                log.exception("feed %s: listener failed", self.name)

    # -- control --------------------------------------------------------------------------------
    @property
    def interval(self) -> float:
        return self._state.interval

    def set_interval(self, seconds: float) -> None:
        """A shorter interval takes effect at once (the next poll is not left at the old, later time)."""
        self._publish(replace(self._state, interval=seconds))
        if self._state.error is None and self._state.fetched_at is not None:
            with contextlib.suppress(RuntimeError):  # no running loop: nothing is scheduled yet
                self._due = min(self._due, asyncio.get_running_loop().time() + seconds)
        self._wake.set()

    def set_paused(self, paused: bool) -> None:
        self._publish(replace(self._state, paused=paused))
        self._wake.set()

    def apply(self, transform: Callable[[T], T]) -> None:
        """Change the data in place from a pushed event (no request). Unchanged data publishes nothing."""
        data = self._state.data
        if data is None:
            return
        changed = transform(data)
        if changed == data:
            return
        self._publish(replace(self._state, data=changed, pushed_at=self._clock()))

    async def refresh(self) -> FeedState[T]:
        """Fetch now (or join the fetch in flight) and return the resulting state."""
        await self._run_once()
        self._wake.set()  # re-arm the timer from this completion
        return self._state

    async def close(self) -> None:
        self._listeners.clear()
        self._stop_loop()
        if self._inflight is not None:
            self._inflight.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._inflight

    # -- the loop ---------------------------------------------------------------------------------
    def _ensure_loop(self) -> None:
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self._loop(), name=f"feed:{self.name}")

    def _stop_loop(self) -> None:
        if self._loop_task is not None:
            self._loop_task.cancel()
            self._loop_task = None

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        # Fresh enough data (e.g. a screen shown again within the interval) is not fetched again.
        if self._state.fetched_at is None or self._state.error is not None or self._stale():
            await self._run_once()
        while True:
            self._wake.clear()
            timeout = None if self._state.paused else max(0.0, self._due - loop.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            if not self._state.paused and loop.time() >= self._due:
                await self._run_once()

    def _stale(self) -> bool:
        age = self._state.age(self._clock())
        return age is None or age >= self._state.interval

    async def _run_once(self) -> None:
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._fetch_and_publish())
        inflight = self._inflight
        try:
            await asyncio.shield(inflight)
        finally:
            if inflight.done() and self._inflight is inflight:
                self._inflight = None

    async def _fetch_and_publish(self) -> None:
        loop = asyncio.get_running_loop()
        self._publish(replace(self._state, loading=True))
        try:
            data = await self._fetch()
        except asyncio.CancelledError:
            self._publish(replace(self._state, loading=False))
            raise
        except VendorError as error:
            self._on_failure(error, loop.time())
        except Exception as error:  # a bug in an adapter must not take the console down
            log.exception("feed %s: unexpected error", self.name)
            self._on_failure(VendorError(f"internal error: {type(error).__name__}"), loop.time())
        else:
            self._failures = 0
            self._due = loop.time() + self._state.interval
            self._publish(
                replace(
                    self._state,
                    data=data,
                    fetched_at=self._clock(),
                    error=None,
                    failed_at=None,
                    retry_at=None,
                    vendor_wait=False,
                    loading=False,
                )
            )

    def _on_failure(self, error: VendorError, now_mono: float) -> None:
        self._failures += 1
        vendor_wait = error.wait_seconds if isinstance(error, Throttled) else None
        if isinstance(error, NotSupported):
            delay = max(300.0, self._backoff.cap)  # the feature is absent; look again rarely
        else:
            # Refusals (bad credentials, MFA) back off like any failure, so the board comes back soon
            # after the cause is fixed; the clients themselves never hammer a login.
            delay = retry_delay(self._backoff, self._failures, vendor_wait)
        self._due = now_mono + delay
        log.info("feed %s failed (%s); retry in %.1fs", self.name, error.message, delay)
        self._publish(
            replace(
                self._state,
                error=error,
                failed_at=self._clock(),
                retry_at=self._clock() + delay,
                vendor_wait=vendor_wait is not None,
                loading=False,
            )
        )
