"""`callboard bench`'s in-process figures: each runs (quick) and reports the shape the JSON promises.

Timings are not checked against their budgets here (this machine's load decides those); only that
every figure is there and is a sane number.
"""

from __future__ import annotations

import math

from tui.bench.inprocess import fleet, keypress_latency, refresh_times


def sane(value: object, top: float) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value < top
    )


def test_refresh_times_reports_every_figure():
    result = refresh_times(quick=True)
    queues, sms = result["queues"], result["sms"]
    assert (queues["agents"], queues["waiting"], sms["rows"]) == (500, 200, 3000)
    for kind in ("steady", "moving"):
        for stat in ("p50_ms", "max_ms", "cpu_p50_ms", "cpu_max_ms", "fetch_ui_p50_ms", "fetch_ui_max_ms"):
            assert sane(queues[f"{kind}_{stat}"], 10_000), (kind, stat)
        assert queues[f"{kind}_p50_ms"] <= queues[f"{kind}_max_ms"]
        assert queues[f"{kind}_bytes_p50"] > 0  # something changed, and was drawn
    for board in (queues, sms):
        for name in ("first_fill_ms", "first_fill_cpu_ms", "first_fetch_ui_ms"):
            assert sane(board[name], 30_000), name
        assert board["first_fill_ms"] > 0
    for stat in ("steady_p50_ms", "steady_max_ms", "steady_cpu_p50_ms", "steady_fetch_ui_p50_ms"):
        assert sane(sms[stat], 10_000), stat
    assert sms["steady_bytes_p50"] > 0
    assert result["samples"] == 3
    assert result["budget_ms"] == 30.0
    for board in (queues, sms):
        overall = board["refresh"]
        assert set(overall) == {"p50", "max", "cpu_p50", "cpu_max"}
        assert all(sane(value, 10_000) for value in overall.values())
        assert overall["p50"] <= overall["max"]
    assert queues["refresh"]["max"] == max(queues["steady_max_ms"], queues["moving_max_ms"])
    assert result["worst_refresh_ms"] == max(queues["refresh"]["max"], sms["refresh"]["max"])
    assert result["pass"] is (result["worst_refresh_ms"] <= 30.0)


def test_keypress_latency_reports_every_figure():
    result = keypress_latency(quick=True)
    assert result["presses"] == 40
    assert result["switches"] >= 1
    for name in (
        "p50_ms",
        "p99_ms",
        "max_ms",
        "move_p50_ms",
        "move_p99_ms",
        "switch_p50_ms",
        "switch_max_ms",
    ):
        assert sane(result[name], 5_000), name
    assert result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["timeouts"] <= 2  # a key whose screen never came would be a bug, not a slow machine
    assert result["refreshes_during"] > 0  # the boards did refresh while keys were pressed
    assert result["refresh_s"] == 0.5 and result["budget_p99_ms"] == 50.0
    assert isinstance(result["pass"], bool)


def test_fleet_reports_every_figure():
    result = fleet(quick=True)
    assert result["profiles"] == 100 and result["refresh_s"] == 5.0
    assert result["polls"] >= 100  # every profile's board polled in the window
    assert result["failed_polls"] == 0
    assert isinstance(result["late_polls"], int) and result["late_polls"] >= 0
    for name in ("max_poll_lateness_s", "longest_stall_ms", "stall_p99_ms", "longest_callback_ms"):
        assert sane(result[name], 60_000), name
    assert result["longest_callback_cpu_ms"] <= result["longest_callback_ms"] + 1
    assert result["stall_budget_ms"] == 100.0 and result["late_after_s"] == 1.0
    assert isinstance(result["pass"], bool)
