"""The feed: one request at a time, joins, backoff, vendor wait, recovery, demand-driven polling."""

from __future__ import annotations

import asyncio
import random

import pytest

from tui.service.backoff import Backoff, retry_delay
from tui.service.feed import Feed, FeedState
from tui.vendors.base import Throttled, TransportError


class Script:
    """A fetch function whose outcomes are scripted; counts calls and concurrency."""

    def __init__(self, outcomes, delay: float = 0.0) -> None:
        self.outcomes = list(outcomes)
        self.delay = delay
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self):
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        finally:
            self.in_flight -= 1


def test_backoff_grows_to_cap_with_jitter():
    backoff = Backoff(base=1, factor=2, cap=10, jitter=0.2, rng=random.Random(1))
    delays = [backoff.delay(n) for n in range(1, 8)]
    assert 0.8 <= delays[0] <= 1.2
    assert 1.6 <= delays[1] <= 2.4
    assert 3.2 <= delays[2] <= 4.8
    assert all(d <= 10 for d in delays)
    assert delays[-1] >= 8  # at the cap, jitter only downwards
    assert backoff.delay(0) == 0


def test_vendor_wait_is_obeyed_exactly():
    backoff = Backoff(base=1, cap=5)
    assert retry_delay(backoff, 1, 55) == 55
    assert retry_delay(backoff, 3, None) <= 5


async def test_manual_refresh_joins_the_request_in_flight():
    fetch = Script(["a"], delay=0.05)
    feed = Feed("t", fetch, interval=60)
    results = await asyncio.gather(feed.refresh(), feed.refresh(), feed.refresh())
    assert fetch.calls == 1
    assert fetch.max_in_flight == 1
    assert all(r.data == "a" for r in results)


async def test_polls_only_while_subscribed_and_never_overlaps():
    fetch = Script(["x"], delay=0.02)
    feed = Feed("t", fetch, interval=0.05)
    assert fetch.calls == 0  # nobody watches: no polling
    states: list[FeedState] = []
    unsubscribe = feed.subscribe(states.append)
    await asyncio.sleep(0.3)
    unsubscribe()
    calls = fetch.calls
    assert 3 <= calls <= 6  # interval after completion: ~0.07 s a cycle
    assert fetch.max_in_flight == 1
    await asyncio.sleep(0.2)
    assert fetch.calls == calls  # stopped with the last subscriber
    assert states[-1].data == "x" and states[-1].fetched_at is not None


async def test_error_keeps_last_good_data_and_recovers_alone():
    fetch = Script(["good", TransportError("connection refused"), "better"])
    feed = Feed("t", fetch, interval=0.05, backoff=Backoff(base=0.05, cap=0.1, jitter=0))
    states: list[FeedState] = []
    unsubscribe = feed.subscribe(states.append)
    await asyncio.sleep(0.4)
    unsubscribe()
    failed = [s for s in states if s.error is not None and not s.loading]
    assert failed, "the error was published"
    assert failed[0].data == "good"  # last good data kept beside the error
    assert failed[0].retry_at is not None
    assert states[-1].data == "better" and states[-1].error is None  # recovered by itself


async def test_vendor_throttle_sets_retry_at_to_its_wait():
    fetch = Script([Throttled("exception send by customer. wait 55s", 55)])
    now = 1000.0
    feed = Feed("t", fetch, interval=1, clock=lambda: now)
    state = await feed.refresh()
    assert state.vendor_wait is True
    assert state.retry_at == pytest.approx(now + 55)
    assert isinstance(state.error, Throttled)


async def test_unexpected_exception_becomes_an_error_state_not_a_crash():
    fetch = Script([KeyError("boom")])
    feed = Feed("t", fetch, interval=1)
    state = await feed.refresh()
    assert state.error is not None and "internal error" in state.error.message


async def test_paused_feed_does_not_poll_but_refresh_still_works():
    fetch = Script(["x"])
    feed = Feed("t", fetch, interval=0.02)
    feed.set_paused(True)
    unsubscribe = feed.subscribe(lambda s: None)
    await asyncio.sleep(0.15)
    first = fetch.calls
    assert first <= 1  # at most the initial load
    await feed.refresh()
    assert fetch.calls == first + 1
    unsubscribe()


def test_late_means_older_than_twice_the_interval():
    state = FeedState(data=1, fetched_at=100.0, interval=2.0)
    assert not state.is_late(103.9)
    assert state.is_late(104.1)
