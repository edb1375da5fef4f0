"""Which columns fit: always-shown ones stay, optional ones give way by priority, empty ones hide."""

from __future__ import annotations

from tui.widgets.cells import cell
from tui.widgets.columns import Column, choose_columns

COLUMNS = [
    Column("name", "Name"),
    Column("calls", "Calls", 5, priority=1, hide_when_empty=True),
    Column("penalty", "Penalty", 7, priority=2, hide_when_empty=True),
    Column("agent", "User agent", priority=3, hide_when_empty=True),
]


def rows(*values):
    return [tuple(cell(v) for v in row) for row in values]


def test_everything_fits_when_wide():
    data = rows(("alice", 3, 0, "Yealink SIP-T29G"))
    assert choose_columns(COLUMNS, data, 200) == [0, 1, 2, 3]


def test_optional_columns_give_way_highest_priority_first():
    data = rows(("alice", 3, 0, "Yealink SIP-T29G"))
    # name 5+2, calls 5+2, penalty 7+2, agent 16+2 = 41
    assert choose_columns(COLUMNS, data, 41) == [0, 1, 2, 3]
    assert choose_columns(COLUMNS, data, 40) == [0, 1, 2]
    assert choose_columns(COLUMNS, data, 23) == [0, 1, 2]
    assert choose_columns(COLUMNS, data, 22) == [0, 1]
    assert choose_columns(COLUMNS, data, 5) == [0]  # the always-shown column stays even when nothing fits


def test_a_column_no_row_fills_is_hidden():
    data = rows(("alice", None, 0, None), ("bob", None, 1, None))
    assert choose_columns(COLUMNS, data, 200) == [0, 2]
    assert choose_columns(COLUMNS, [], 200) == [0]


def test_cells_that_show_the_same_are_made_once_and_distinct_values_stay_distinct():
    from tui.widgets.bidi import set_reorder
    from tui.widgets.cells import cell

    assert cell("idle", "dim") is cell("idle", "dim")
    assert cell("idle", "dim") is not cell("idle", "bold")
    assert cell(1).plain == "1" and cell(True).plain == "True"  # True == 1, but they show apart
    assert cell(None).plain == "–"
    hebrew = "שלום"
    try:
        set_reorder(False)
        assert cell(hebrew).plain == hebrew
        set_reorder(True)
        assert cell(hebrew).plain == hebrew[::-1]  # reordered for terminals that do not
    finally:
        set_reorder(True)


def test_a_cells_facts_are_its_look_width_and_value_whether_kept_or_not():
    from rich.text import Text

    from tui.widgets import cells

    kept = cell("שלום עולם", "bold", justify="right")
    free = Text(kept.plain, style="bold", justify="right")  # as shown (reordered right to left)
    assert cells.cell_facts(kept) == cells.cell_facts(free) == ((kept.plain, "bold", (), "right"), 9, True)
    assert cells.cell_facts(cell(None))[2] is False  # "–" holds no value
    assert cells.cell_facts(Text("x", style="red")) != cells.cell_facts(Text("x", style="blue"))
    first = cell("n0")
    for index in range(1, cells.MADE_CELLS_KEPT + 10):  # the memo fills: the oldest go, facts with them
        cell(f"n{index}")
    assert len(cells._facts) == len(cells._made) == cells.MADE_CELLS_KEPT
    assert id(first) not in cells._facts and cell("n0") is not first
    assert set(cells._facts) == {id(made) for made in cells._made.values()}
