"""Table rows are written with fewer segments, and a click still lands on its row."""

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.strip import Strip

from tui.widgets.live_table import Column, LiveTable
from tui.widgets.strips import merge_alike

PLAIN = Style(color="white", bgcolor="black")


def cell_style(row: int, column: int, base: Style = PLAIN) -> Style:
    return base + Style.from_meta({"row": row, "column": column})


def test_alike_cells_of_one_row_become_one_segment_keeping_the_first_cells_metadata():
    strip = Strip([Segment(" a ", cell_style(1, 0)), Segment(" b ", cell_style(1, 1))])
    merged = merge_alike(strip)
    assert [s.text for s in merged] == [" a  b "]
    assert merged.cell_length == strip.cell_length
    assert next(iter(merged)).style.meta == {"row": 1, "column": 0}


def test_cells_that_look_different_or_belong_to_other_rows_stay_apart():
    bold = Style(color="white", bgcolor="black", bold=True)
    strip = Strip(
        [
            Segment("x", cell_style(1, 0)),
            Segment("y", cell_style(1, 1, bold)),
            Segment("z", cell_style(2, 2, bold)),
            Segment("w", None),
        ]
    )
    assert [s.text for s in merge_alike(strip)] == ["x", "y", "z", "w"]


def test_merging_renders_the_same_picture_in_fewer_bytes():
    from rich.console import Console

    console = Console(color_system="truecolor", force_terminal=True)
    segments = [Segment(f" {i} ", cell_style(3, i)) for i in range(12)]
    strip = Strip(segments)
    merged = merge_alike(strip)
    plain = "".join(s.text for s in strip)
    assert "".join(s.text for s in merged) == plain
    assert len(merged.render(console)) < len(strip.render(console)) / 3


class TableApp(App):
    def compose(self):
        yield LiveTable([Column("name", "Name"), Column("state", "State")], id="t")


async def test_a_click_on_a_merged_row_moves_the_cursor_to_that_row():
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows((f"k{i}", (Text(f"agent {i}"), Text("idle"))) for i in range(5))
        await pilot.pause()
        await pilot.click(LiveTable, offset=(12, 3))  # row 2 (the header is line 0), second column
        await pilot.pause()
        assert table.current_key() == "k2"
