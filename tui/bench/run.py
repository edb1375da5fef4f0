"""`callboard bench [--quick]`: every figure of SPEC §9 beside its budget, as JSON.

Each measurement runs once and may yield several figures; a figure is its value, its unit, its
budget and whether it passed. `--quick` takes fewer samples and shorter windows: it proves the
bench runs and has the right shape (CI), the full run is the one whose numbers count.
"""

from __future__ import annotations

import json
import os
import platform
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Budget:
    figure: str
    what: str
    unit: str
    limit: float
    # where the value is in the measurement's result, e.g. ("per_profile", "*", "connections_used")
    path: tuple[str, ...]
    most: bool = True  # the value must be at most `limit` (all budgets here are upper bounds)


@dataclass(frozen=True, slots=True)
class Measurement:
    name: str
    run: Callable[[bool], dict[str, Any]]
    budgets: tuple[Budget, ...]


def _measurements() -> tuple[Measurement, ...]:
    from tui.bench import inprocess, pty_figures

    return (
        Measurement(
            "start_up",
            pty_figures.start_up,
            (
                Budget(
                    "start_ratio",
                    "`callboard demo` start to first queue data, over a hello-world Textual app",
                    "×",
                    2.5,
                    ("ratio",),
                ),
            ),
        ),
        Measurement(
            "idle",
            pty_figures.idle,
            (
                Budget(
                    "idle_bytes_per_s",
                    "bytes written per second while data does not change (the worst screen)",
                    "B/s",
                    0.0,
                    ("worst_bytes_per_s",),
                ),
                Budget(
                    "idle_cpu_pct",
                    "CPU at idle with every feed polling at 2 s",
                    "% of a core",
                    3.0,
                    ("cpu_pct",),
                ),
                Budget(
                    "connections_per_profile",
                    "HTTP connections a profile uses at steady state",
                    "connections",
                    1,
                    ("per_profile", "*", "connections_used"),
                ),
                Budget(
                    "connections_opened_per_min",
                    "HTTP connections opened per profile per minute",
                    "per min",
                    1,
                    ("per_profile", "*", "connections_opened_per_min"),
                ),
            ),
        ),
        Measurement(
            "one_agent_changing",
            pty_figures.one_agent_changing,
            (
                Budget(
                    "change_bytes_per_s",
                    "bytes per second while one agent changes state each second",
                    "B/s",
                    1024.0,
                    ("bytes_per_s",),
                ),
            ),
        ),
        Measurement(
            "refresh",
            inprocess.refresh_times,
            (
                Budget(
                    "refresh_queues_ms",
                    "one refresh of 500 agents + 200 waiting callers (UI thread)",
                    "ms",
                    30.0,
                    ("queues", "refresh", "max"),
                ),
                Budget(
                    "refresh_sms_ms",
                    "one refresh of 3,000 SMS rows (UI thread)",
                    "ms",
                    30.0,
                    ("sms", "refresh", "max"),
                ),
            ),
        ),
        Measurement(
            "keypress",
            inprocess.keypress_latency,
            (Budget("keypress_p99_ms", "keypress to screen during refreshes, p99", "ms", 50.0, ("p99_ms",)),),
        ),
        Measurement(
            "memory",
            pty_figures.peak_memory,
            (
                Budget(
                    "peak_rss_mb",
                    "peak RSS with 3,000 SMS, 500 agents, 1,000 SIP accounts",
                    "MB",
                    150.0,
                    ("peak_rss_mb",),
                ),
            ),
        ),
        Measurement(
            "fleet",
            inprocess.fleet,
            (
                Budget(
                    "fleet_late_polls",
                    "late feed polls, 100 profiles at 5 s refresh",
                    "polls",
                    0,
                    ("late_polls",),
                ),
                Budget(
                    "fleet_longest_stall_ms",
                    "longest UI stall, 100 profiles at 5 s refresh",
                    "ms",
                    100.0,
                    ("longest_stall_ms",),
                ),
            ),
        ),
    )


def _values(result: Any, path: tuple[str, ...]) -> list[float]:
    """The numbers at `path` ("*" = every key at that level)."""
    if not path:
        return [result] if isinstance(result, int | float) and not isinstance(result, bool) else []
    head, rest = path[0], path[1:]
    if not isinstance(result, dict):
        return []
    if head == "*":
        return [v for item in result.values() for v in _values(item, rest)]
    return _values(result[head], rest) if head in result else []


def judge(budget: Budget, result: dict[str, Any]) -> dict[str, Any]:
    values = _values(result, budget.path)
    value = (max(values) if budget.most else min(values)) if values else None
    passed = value is not None and (value <= budget.limit if budget.most else value >= budget.limit)
    return {
        "what": budget.what,
        "value": value,
        "unit": budget.unit,
        "budget": f"≤ {budget.limit:g}" if budget.most else f"≥ {budget.limit:g}",
        "pass": passed,
    }


def compile_bytecode() -> str:
    """Compile the package's bytecode before measuring, as pip does when it installs a package.

    The hello-world app it is measured against loads Textual from compiled bytecode. An editable
    checkout run where PYTHONDONTWRITEBYTECODE is set (this machine sets it) would otherwise
    compile every module of Callboard on every start, which says nothing about the console.
    """
    import compileall

    import tui

    package = os.path.dirname(tui.__file__)
    try:
        compiled = compileall.compile_dir(package, quiet=1)
    except OSError as error:  # a read-only install: pip compiled it when it installed it
        return f"not compiled ({error.strerror})"
    return "compiled" if compiled else "not compiled (a module did not compile)"


def bench(quick: bool = False, only: set[str] | None = None) -> dict[str, Any]:
    started = time.monotonic()
    bytecode = compile_bytecode()
    figures: dict[str, dict[str, Any]] = {}
    details: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for measurement in _measurements():
        if only and measurement.name not in only:
            continue
        try:
            result = measurement.run(quick)
        except Exception as error:  # one broken measurement fails its figures, not the whole bench
            errors[measurement.name] = "".join(traceback.format_exception_only(error)).strip()
            result = {}
        details[measurement.name] = result
        for budget in measurement.budgets:
            figures[budget.figure] = judge(budget, result)
    return {
        "quick": quick,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.system()},
        "bytecode": bytecode,
        "seconds": round(time.monotonic() - started, 1),
        "pass": bool(figures) and all(f["pass"] for f in figures.values()) and not errors,
        "figures": figures,
        "details": details,
        "errors": errors,
    }


def print_bench(quick: bool = False, only: set[str] | None = None) -> int:
    result = bench(quick, only)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["pass"] else 1


def measurement_names() -> list[str]:
    return [m.name for m in _measurements()]
