"""The waiting trend of each queue: recent values of its waiting count, for a sparkline.

At most one bar per time bucket (the bucket's peak), and a new bar only when the count moved: a
steady queue adds nothing, so a steady board writes no bytes to the terminal (SPEC §9), while a
busy one shows how its queue rose and fell.
"""

from __future__ import annotations

from collections import deque


class WaitingTrend:
    def __init__(self, samples: int) -> None:
        self.samples = samples
        self._history: dict[str, deque[int]] = {}
        self._bucket: dict[str, int] = {}  # queue -> the bucket its newest bar belongs to

    def sample(self, queue_id: str, waiting: int, bucket: int) -> None:
        history = self._history.setdefault(queue_id, deque(maxlen=self.samples))
        if history and self._bucket.get(queue_id) == bucket:
            history[-1] = max(history[-1], waiting)
        elif not history or waiting != history[-1]:
            history.append(waiting)
            self._bucket[queue_id] = bucket

    def values(self, queue_id: str) -> list[int]:
        return list(self._history.get(queue_id, ()))

    def top(self) -> int:
        """The largest value of every queue: one scale for all, so a taller bar means more callers."""
        return max((max(h) for h in self._history.values() if h), default=0)
