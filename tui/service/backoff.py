"""Retry delays after failures: exponential with jitter, capped; a vendor's own wait wins."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delay before retry number `failures` (1 = first failure).

    base * factor**(failures-1), capped, then spread by ±jitter so a fleet of feeds that failed
    together does not retry in lock-step.
    """

    base: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        raw = min(self.cap, self.base * self.factor ** (failures - 1))
        spread = raw * self.jitter
        return max(0.0, min(self.cap, raw + self.rng.uniform(-spread, spread)))


def retry_delay(backoff: Backoff, failures: int, vendor_wait: float | None) -> float:
    """The vendor's own "wait Ns" is obeyed exactly (never shortened, never stretched)."""
    if vendor_wait is not None:
        return max(0.0, vendor_wait)
    return backoff.delay(failures)
