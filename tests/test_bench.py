"""`callboard bench --quick` runs every measurement and reports every SPEC §9 figure beside its budget.

Only the shape is checked here; whether the figures meet their budgets is the benchmark's business
(timings in tests would only measure the CI machine).
"""

import json
import os
import subprocess
import sys

from tui.bench.run import Budget, judge, measurement_names

FIGURES = {
    "start_ratio",
    "idle_bytes_per_s",
    "idle_cpu_pct",
    "connections_per_profile",
    "connections_opened_per_min",
    "change_bytes_per_s",
    "refresh_queues_ms",
    "refresh_sms_ms",
    "keypress_p99_ms",
    "peak_rss_mb",
    "fleet_late_polls",
    "fleet_longest_stall_ms",
}


def test_a_figure_is_judged_against_its_budget_at_its_path():
    budget = Budget("x", "what", "ms", 30.0, ("per_profile", "*", "used"))
    result = {"per_profile": {"a": {"used": 1}, "b": {"used": 40}}}
    assert judge(budget, result) == {
        "what": "what",
        "value": 40,
        "unit": "ms",
        "budget": "≤ 30",
        "pass": False,
    }
    result["per_profile"]["b"]["used"] = 30
    assert judge(budget, result)["pass"] is True


def test_a_missing_figure_fails_rather_than_passing_by_default():
    budget = Budget("x", "what", "B/s", 0.0, ("bytes_per_s",))
    assert judge(budget, {}) == {"what": "what", "value": None, "unit": "B/s", "budget": "≤ 0", "pass": False}


def test_an_unknown_measurement_is_refused_with_the_known_ones(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui", "bench", "--only", "nope"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "no measurement nope" in result.stderr and "idle" in result.stderr


def test_bench_quick_prints_every_figure_with_its_budget_as_json(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s")}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "bench", "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1: some figure missed on this machine
    report = json.loads(result.stdout)
    assert report["quick"] is True
    assert report["errors"] == {}, report["errors"]
    assert set(report["figures"]) == FIGURES
    for name, figure in report["figures"].items():
        assert set(figure) == {"what", "value", "unit", "budget", "pass"}, name
        assert isinstance(figure["value"], int | float), (name, figure)
        assert figure["budget"].startswith("≤ ") and isinstance(figure["pass"], bool)
    assert set(report["details"]) == set(measurement_names())
    assert report["pass"] == all(f["pass"] for f in report["figures"].values())
    assert report["machine"]["cpus"] >= 1
    assert report["bytecode"] == "compiled"  # start-up is measured as installed, not as first compiled
