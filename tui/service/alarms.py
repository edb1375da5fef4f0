"""Wall alarms: which queue figures are past their thresholds, and when the bell should ring.

Pure logic, no UI: the wall screen asks and draws; tests ask directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from tui.domain import AgentCounts, QueueSummary


@dataclass(frozen=True, slots=True)
class Thresholds:
    waiting: int
    longest_wait: int
    free_agents: int


def queue_alarms(queue: QueueSummary, counts: AgentCounts, limits: Thresholds) -> frozenset[str]:
    """The figures of one queue that are past their limits: "waiting", "longest", "free"."""
    alarms = set()
    if queue.waiting is not None and queue.waiting >= limits.waiting:
        alarms.add("waiting")
    if queue.longest_wait is not None and queue.longest_wait >= limits.longest_wait:
        alarms.add("longest")
    if (queue.waiting or 0) > 0 and counts.free <= limits.free_agents:
        alarms.add("free")  # callers wait and nobody is free to take them
    return frozenset(alarms)


def in_quiet_hours(spec: str | None, now: time) -> bool:
    """`"22:00-07:00"` spans midnight; `"12:00-13:00"` does not. None: never quiet."""
    if not spec:
        return False
    start_text, end_text = spec.split("-")
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    if start <= end:
        return start <= now < end
    return now >= start or now < end


@dataclass
class AlarmBell:
    """Rings once when an alarm starts, not again while it lasts; a cleared alarm may ring again."""

    active: dict[str, frozenset[str]] = field(default_factory=dict)

    def update(self, key: str, alarms: frozenset[str]) -> bool:
        before = self.active.get(key, frozenset())
        self.active[key] = alarms
        return bool(alarms - before)
