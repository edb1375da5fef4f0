"""`callboard screenshots`: an SVG of every screen, from the seeded simulator, headless.

The states are the snapshot tests' own (tui/shot_states.py): the same seed, world, frozen clock and
keys, so the pictures in screenshots/ are the ones tests/__snapshots__/ hold at the same size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.shot_states import SEED, SHOTS, Shot, reach, staged


async def _picture(shot: Shot, size: tuple[int, int], seed: int) -> str:
    with staged(shot, seed) as app:
        # notifications on, as in the snapshot tests (pytest-textual-snapshot runs the app with them)
        async with app.run_test(size=size, notifications=True) as pilot:
            await reach(pilot, shot)
            return app.export_screenshot(title=app.title, simplify=True)  # as the snapshots


def take_screenshots(out: Path, size: tuple[int, int] = (120, 40), seed: int = SEED) -> list[Path]:
    """Write one SVG a state into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for shot in SHOTS:
        path = out / f"{shot.name}.svg"
        path.write_text(asyncio.run(_picture(shot, size, seed)), encoding="utf-8")
        written.append(path)
    return written
