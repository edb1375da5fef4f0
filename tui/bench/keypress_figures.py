"""`keypress_latency`: key sent -> the frame that shows its effect, for j/k moves and screen
switches while the boards refresh every 0.5 s against the big world, moving.
"""

from __future__ import annotations

import asyncio
import random
import statistics
from collections.abc import Callable
from typing import Any

from tui.bench.console_on_simulator import SEED, SIZE, _console, _simulator_process, _until, _yemot_profile
from tui.bench.instruments import FrameProbe, LoopMeter, _percentile, clock, settle

KEYPRESS_P99_BUDGET_MS = 50.0
KEYPRESS_REFRESH_S = 0.5
KEY_TIMEOUT_S = 2.0


def keypress_latency(quick: bool = False, seed: int = SEED) -> dict[str, Any]:
    """Milliseconds from a key sent to the frame that shows its effect, while the boards refresh."""
    return asyncio.run(_keypress_latency(quick, seed))


async def _keypress_latency(quick: bool, seed: int) -> dict[str, Any]:
    from textual import events

    from tui.widgets.live_table import LiveTable

    presses = 40 if quick else 200
    rng = random.Random(f"keys:{seed}")
    with _simulator_process(seed, 1.0, load=True) as base_url, LoopMeter() as meter:
        app = _console({"bench": _yemot_profile(base_url)}, KEYPRESS_REFRESH_S)
        session = app.sessions["bench"]
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            with probe.installed():

                def rows_shown(resource: str) -> Callable[[], bool]:
                    def shown() -> bool:
                        tables = list(app.screen.query(LiveTable))
                        return resource in session.feeds and any(t.row_count > 10 for t in tables)

                    return shown

                await _until(rows_shown("queues"), 20, "the Queues board")
                await pilot.press("4")
                await _until(rows_shown("sms"), 20, "the SMS inbox")
                await pilot.press("1")
                await settle(probe, meter, clock())
                polls = _count_polls(session)

                async def press(key: str) -> tuple[float | None, str]:
                    screen = app.screen
                    if key in "jk":
                        table = screen.focused
                        before = table.current_key()  # a refresh may move rows, not the cursor's row

                        def shown(frame_screen: Any) -> bool:
                            drawn = probe.frame_layout or table in probe.frame_widgets
                            return frame_screen is screen and table.current_key() != before and drawn

                        kind = "move"
                    else:

                        def shown(frame_screen: Any) -> bool:
                            return frame_screen is app.screen and frame_screen is not screen

                        kind = "switch"
                    event = events.Key(key, key)
                    event.set_sender(app)
                    sent = clock()
                    app._driver.send_message(event)
                    done = await probe.wait_for(shown, KEY_TIMEOUT_S)
                    return (None if done is None else (done - sent) * 1000), kind

                latencies: dict[str, list[float]] = {"move": [], "switch": []}
                timeouts = 0
                started = clock()
                for index in range(presses):
                    if index % 25 == 24:
                        key = "4" if app.screen_id == "queues" else "1"
                    else:
                        table = app.screen.focused
                        if not isinstance(table, LiveTable):
                            raise RuntimeError("bench: no table has the focus")
                        step = index % 10 < 5
                        if table.cursor_row <= 0:
                            step = True
                        elif table.cursor_row >= table.row_count - 1:
                            step = False
                        key = "j" if step else "k"
                    latency, kind = await press(key)
                    if latency is None:
                        timeouts += 1
                        latency = KEY_TIMEOUT_S * 1000
                    latencies[kind].append(latency)
                    await asyncio.sleep(rng.uniform(0.02, 0.12))
                seconds = clock() - started
                refreshes = polls()
    every = latencies["move"] + latencies["switch"]
    p99 = _percentile(every, 0.99)
    return {
        "presses": len(every),
        "p50_ms": round(statistics.median(every), 2),
        "p99_ms": round(p99, 2),
        "max_ms": round(max(every), 2),
        "move_p50_ms": round(statistics.median(latencies["move"]), 2),
        "move_p99_ms": round(_percentile(latencies["move"], 0.99), 2),
        "switches": len(latencies["switch"]),
        "switch_p50_ms": round(statistics.median(latencies["switch"]), 2) if latencies["switch"] else None,
        "switch_max_ms": round(max(latencies["switch"]), 2) if latencies["switch"] else None,
        "timeouts": timeouts,
        "refresh_s": KEYPRESS_REFRESH_S,
        "refreshes_during": refreshes,
        "seconds": round(seconds, 1),
        "budget_p99_ms": KEYPRESS_P99_BUDGET_MS,
        "pass": timeouts == 0 and p99 <= KEYPRESS_P99_BUDGET_MS,
    }


def _count_polls(session: Any) -> Callable[[], int]:
    """How many polls every feed of `session` completes from now on (the count so far, when called)."""
    count = 0

    def completed(state: Any) -> None:
        nonlocal count
        if not state.loading and state.fetched_at is not None:
            count += 1

    for resource in ("queues", "callbacks", "sms"):
        session.feed(resource).observe(completed)
    return lambda: count
