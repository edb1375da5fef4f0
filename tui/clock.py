"""The wall clock every time on screen is measured against, kept in one place so it can be frozen.

Ages of data, expiry countdowns, call durations and the coocenter client's idea of today all read
`wall_time()` / `wall_utc()`. In normal use that is the real clock; `callboard screenshots` and the
snapshot tests freeze it at the simulated world's time, so every run draws the same pictures.
(Timers and deadlines use the event loop's monotonic clock and are not affected.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_frozen_at: float | None = None


def wall_time() -> float:
    """Seconds since the epoch: the real time, or the frozen time inside `frozen_clock`."""
    return time.time() if _frozen_at is None else _frozen_at


def wall_utc() -> datetime:
    """`wall_time()` as an aware UTC datetime."""
    return datetime.fromtimestamp(wall_time(), UTC)


@contextmanager
def frozen_clock(at: datetime) -> Iterator[None]:
    """Stop the wall clock at `at` (an aware datetime) for the duration of the block."""
    global _frozen_at
    if at.tzinfo is None:
        raise ValueError("frozen_clock needs an aware datetime")
    previous, _frozen_at = _frozen_at, at.timestamp()
    try:
        yield
    finally:
        _frozen_at = previous
