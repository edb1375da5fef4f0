"""Snapshot tests: every state of tui/shot_states.py (the ones `callboard screenshots` draws) at 80×24
and 120×40, against the SVGs in tests/__snapshots__/.

After an intended change of the look, look at the report pytest-textual-snapshot writes, then accept
with `python -m pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from tui.shot_states import SHOTS, SIZES, Shot, reach, staged


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("shot", SHOTS, ids=lambda shot: shot.name)
def test_screen_looks_as_accepted(snap_compare, shot: Shot, size: tuple[int, int]) -> None:
    with staged(shot) as app:
        assert snap_compare(app, terminal_size=size, run_before=lambda pilot: reach(pilot, shot))
