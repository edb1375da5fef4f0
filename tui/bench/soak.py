"""`callboard bench --soak MINUTES`: the console left running against a faulty simulator.

Refresh 0.5 s, 5 % of vendor requests failing in every way the simulator knows, every screen of
every profile visited in turn. Reports as JSON: the run's length, crashes and unhandled errors
(must be none), resident memory from minute 5 to the end (growth must stay under 5 %; each end is
the median over one round of every screen), and how many requests and faults were served.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import time
from pathlib import Path

from tui.config import config_from_dict

REFRESH_S = 0.5
FAULT_RATE = 0.05
WARMUP_S = 300  # memory is compared from minute 5, once caches and buffers have settled
SCREEN_DWELL_S = 10


def rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class ErrorCounter(logging.Handler):
    """Counts records at ERROR and above: an unhandled error is logged by the feeds and actions."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _soak(minutes: float, seed: int) -> dict:
    from tui.app import SCREENS, CallboardApp
    from tui.demo_process import DemoSimulatorProcess
    from tui.service.audit import AuditLog
    from tui.sessions import build_sessions

    # The simulator runs in a process of its own, as in `callboard demo`: the memory measured is
    # the console's alone (the simulated world rightly grows its SMS and logs as time passes).
    simulator = DemoSimulatorProcess(seed=seed, speed=1.0, faults=FAULT_RATE, vendor="all")
    simulator.start()
    simulator.wait_ready()
    errors = ErrorCounter()
    logging.getLogger("callboard").addHandler(errors)
    started = time.monotonic()
    samples: list[tuple[float, int]] = []
    visits: list[tuple[str, str]] = []  # (profile, screen key): the round every screen takes
    crashed: str | None = None
    try:
        profiles = simulator.demo_profiles
        intervals = {k: REFRESH_S for k in ("queues", "sip", "campaigns", "sms", "calls")}
        config = config_from_dict({"refresh": intervals, "profiles": profiles}, "<soak>")
        audit = AuditLog(Path(os.devnull))
        sessions, _ = build_sessions(config, audit=audit)
        app = CallboardApp(sessions, start_profile=next(iter(sessions)))
        visits = [(p, s.key) for p in sessions for s in SCREENS]
        deadline = started + minutes * 60
        async with app.run_test(size=(120, 40)) as pilot:
            step = 0
            while time.monotonic() < deadline:
                profile, key = visits[step % len(visits)]
                if app.profile != profile:
                    app.action_switch_profile(profile)
                if type(app.screen).__name__ == "MfaScreen":
                    await pilot.press("escape")
                await pilot.press(key)
                step += 1
                end = min(deadline, time.monotonic() + SCREEN_DWELL_S)
                while time.monotonic() < end:
                    await asyncio.sleep(1.0)
                    samples.append((time.monotonic() - started, rss_bytes()))
                if not app.is_running:
                    crashed = "the app stopped"
                    break
    except Exception as error:  # the soak reports a crash, it does not hide it
        crashed = f"{type(error).__name__}: {error}"
    finally:
        logging.getLogger("callboard").removeHandler(errors)
        simulator.stop()
        served = simulator.faults_served
    warmup = min(WARMUP_S, minutes * 60 / 6)
    after_warmup = [rss for t, rss in samples if t >= warmup]
    first, last = (after_warmup[0], after_warmup[-1]) if after_warmup else (0, 0)
    # Memory moves with the screen on show (3,000 messages drawn, or a small board), so one sample
    # at minute 5 against one at the end compares whatever two screens happened to be up. Compared
    # instead: the median over one full round of the screens right after minute 5, and over the
    # last round.
    cycle = len(visits) * SCREEN_DWELL_S if samples else 0.0
    end_t = samples[-1][0] if samples else 0.0
    first_round = [rss for t, rss in samples if warmup <= t < warmup + cycle]
    last_round = [rss for t, rss in samples if t > end_t - cycle and t >= warmup]
    round_from = statistics.median(first_round) if first_round else 0
    round_end = statistics.median(last_round) if last_round else 0
    growth = (round_end - round_from) / round_from * 100 if round_from else None
    single_growth = (last - first) / first * 100 if first else None
    return {
        "minutes": round((time.monotonic() - started) / 60, 2),
        "refresh_s": REFRESH_S,
        "fault_rate": FAULT_RATE,
        "crashed": crashed,
        "unhandled_errors": errors.count,
        "rss_mb_from": round(round_from / 2**20, 1),
        "rss_mb_end": round(round_end / 2**20, 1),
        "rss_round_s": cycle,
        "rss_mb_sample_from": round(first / 2**20, 1),
        "rss_mb_sample_end": round(last / 2**20, 1),
        "rss_growth_pct_samples": None if single_growth is None else round(single_growth, 2),
        "rss_growth_pct": None if growth is None else round(growth, 2),
        "faults_served": served,
        "pass": crashed is None and errors.count == 0 and growth is not None and growth < 5.0,
    }


def soak(minutes: float, seed: int = 7) -> dict:
    return asyncio.run(_soak(minutes, seed))


def print_soak(minutes: float, seed: int = 7) -> int:
    result = soak(minutes, seed)
    print(json.dumps(result, indent=2))
    return 0 if result["pass"] else 1
