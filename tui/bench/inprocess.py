"""The figures of SPEC §9 measured inside one process, gathered here for `callboard bench`: the
console headless (`run_test`, 120×40) against the simulator over loopback HTTP.

- `refresh_times` (in `refresh_figures`): the UI thread's time for one refresh of the big Queues
  board and of the 3,000-row SMS inbox.
- `keypress_latency` (in `keypress_figures`): key sent -> the frame that shows its effect, while
  the boards refresh.
- `fleet` (in `fleet_figures`): 100 profiles on the wall: late polls and the longest stall of the
  UI's event loop.

How time is taken is told in `instruments` (`LoopMeter`, `FrameProbe`, `Staged`, `settle`); the
console and the simulator it runs against are set up in `console_on_simulator`. Each function takes
`quick`: fewer samples and shorter runs, for CI to check the JSON's shape. The helpers are
re-exported too, for scripts that measure one thing on its own (e.g. `inprocess._fleet`).
"""

from __future__ import annotations

from tui.bench.console_on_simulator import (
    SEED,
    SIZE,
    _console,
    _on_simulator,
    _simulator,
    _simulator_process,
    _until,
    _yemot_profile,
    serve_for_bench,
)
from tui.bench.fleet_figures import (
    FLEET_LATE_AFTER_S,
    FLEET_PROFILES,
    FLEET_REFRESH_S,
    FLEET_SETTLE_S,
    FLEET_STALL_BUDGET_MS,
    FLEET_TICK_S,
    _fleet,
    _PollLog,
    fleet,
)
from tui.bench.instruments import SETTLE_QUIET_S, FrameProbe, LoopMeter, Staged, _percentile, clock, settle
from tui.bench.keypress_figures import (
    KEY_TIMEOUT_S,
    KEYPRESS_P99_BUDGET_MS,
    KEYPRESS_REFRESH_S,
    _count_polls,
    _keypress_latency,
    keypress_latency,
)
from tui.bench.refresh_figures import (
    REFRESH_BUDGET_MS,
    _flip_agents,
    _new_messages,
    _refresh_times,
    _waiting,
    refresh_times,
)

__all__ = [
    "FLEET_LATE_AFTER_S",
    "FLEET_PROFILES",
    "FLEET_REFRESH_S",
    "FLEET_SETTLE_S",
    "FLEET_STALL_BUDGET_MS",
    "FLEET_TICK_S",
    "KEYPRESS_P99_BUDGET_MS",
    "KEYPRESS_REFRESH_S",
    "KEY_TIMEOUT_S",
    "REFRESH_BUDGET_MS",
    "SEED",
    "SETTLE_QUIET_S",
    "SIZE",
    "FrameProbe",
    "LoopMeter",
    "Staged",
    "_PollLog",
    "_console",
    "_count_polls",
    "_fleet",
    "_flip_agents",
    "_keypress_latency",
    "_new_messages",
    "_on_simulator",
    "_percentile",
    "_refresh_times",
    "_simulator",
    "_simulator_process",
    "_until",
    "_waiting",
    "_yemot_profile",
    "clock",
    "fleet",
    "keypress_latency",
    "refresh_times",
    "serve_for_bench",
    "settle",
]
