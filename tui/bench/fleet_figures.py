"""`fleet`: 100 profiles on the wall at a 5 s refresh: polls that started more than 1 s after they
were due, and the longest stall of the UI's event loop (a 50 ms ticker's worst lateness).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tui.bench.console_on_simulator import SEED, SIZE, _console, _simulator_process, _until, _yemot_profile
from tui.bench.instruments import LoopMeter, _percentile, clock

FLEET_PROFILES = 100
FLEET_REFRESH_S = 5.0
FLEET_LATE_AFTER_S = 1.0  # a poll that starts later than this after it was due is late
# A stall is the event loop late for a due 50 ms tick: nothing is drawn and no key is handled
# meanwhile. Past ~100 ms a pause is felt as the program freezing (the usual limit for a response
# to seem instant), so that is the budget.
FLEET_TICK_S = 0.05
FLEET_STALL_BUDGET_MS = 100.0
FLEET_SETTLE_S = 2.0


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
