from __future__ import annotations

from datetime import time

from tui.domain import AgentCounts, QueueSummary
from tui.service.alarms import AlarmBell, Thresholds, in_quiet_hours, queue_alarms

LIMITS = Thresholds(waiting=5, longest_wait=120, free_agents=0)


def q(waiting, longest):
    return QueueSummary("/1", "/1", waiting, longest, None, None)


def test_alarms_past_each_threshold():
    assert queue_alarms(q(1, 10), AgentCounts(free=2, busy=1, paused=0), LIMITS) == frozenset()
    assert queue_alarms(q(5, 10), AgentCounts(2, 1, 0), LIMITS) == {"waiting"}
    assert queue_alarms(q(1, 120), AgentCounts(2, 1, 0), LIMITS) == {"longest"}
    assert queue_alarms(q(1, 10), AgentCounts(0, 3, 0), LIMITS) == {"free"}
    assert queue_alarms(q(0, 0), AgentCounts(0, 3, 0), LIMITS) == frozenset()  # nobody waits: no alarm
    assert queue_alarms(q(None, None), AgentCounts(0, 3, 0), LIMITS) == frozenset()  # a PBX without figures


def test_quiet_hours_across_midnight():
    assert in_quiet_hours("22:00-07:00", time(23, 30)) and in_quiet_hours("22:00-07:00", time(6, 59))
    assert not in_quiet_hours("22:00-07:00", time(7, 0)) and not in_quiet_hours("22:00-07:00", time(12))
    assert in_quiet_hours("12:00-13:00", time(12, 30)) and not in_quiet_hours("12:00-13:00", time(13))
    assert not in_quiet_hours(None, time(3))


def test_bell_rings_when_an_alarm_starts_only():
    bell = AlarmBell()
    assert bell.update("a", frozenset({"waiting"})) is True
    assert bell.update("a", frozenset({"waiting"})) is False  # still the same alarm
    assert bell.update("a", frozenset({"waiting", "free"})) is True  # a new one joined
    assert bell.update("a", frozenset()) is False
    assert bell.update("a", frozenset({"waiting"})) is True  # cleared, then back
