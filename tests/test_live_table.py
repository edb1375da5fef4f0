"""LiveTable: diff by key, redraw only the changed row, keep the cursor, never parse markup."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from tui.widgets.cells import cell
from tui.widgets.live_table import Column, LiveTable, compile_filter
from tui.widgets.table_lines import PLACELESS

COLUMNS = [Column("name", "Name"), Column("state", "State", 10)]


def rows(*pairs):
    return [(key, (cell(key), cell(state))) for key, state in pairs]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield LiveTable(COLUMNS, id="t")


async def test_changed_row_is_the_only_region_refreshed():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(*[(f"agent{i}", "idle") for i in range(10)]))
        await pilot.pause()
        calls = []
        original = table.refresh

        def spy(*regions, **kwargs):
            calls.append(regions)
            return original(*regions, **kwargs)

        table.refresh = spy
        table.set_rows(rows(*[(f"agent{i}", "in call" if i == 3 else "idle") for i in range(10)]))
        await pilot.pause()
        assert calls, "the change was drawn"
        assert all(regions for regions in calls), "no whole-table refresh"
        assert all(r.height == 1 for regions in calls for r in regions)
        assert table.get_row("agent3")[1].plain == "in call"

        calls.clear()
        table.set_rows(rows(*[(f"agent{i}", "in call" if i == 3 else "idle") for i in range(10)]))
        await pilot.pause()
        assert calls == []  # nothing changed, nothing drawn


async def test_cursor_stays_on_the_same_entity_when_rows_come_and_go():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")))
        await pilot.pause()
        table.move_cursor(row=2)  # on "c"
        assert table.current_key() == "c"
        table.set_rows(rows(("x", "1"), ("a", "1"), ("c", "2"), ("d", "1")))  # b left, x arrived first
        await pilot.pause()
        assert table.current_key() == "c"
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(4)] == ["x", "a", "c", "d"]
        table.set_rows(rows(("x", "1"), ("a", "1"), ("d", "1")))  # c left: cursor stays at that place
        await pilot.pause()
        assert table.current_key() == "d"


async def test_vendor_markup_is_shown_literally_and_crashes_nothing():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(("[bold]x[/]", "price [/] x"), ("[red", "]")))
        await pilot.pause()
        assert table.get_row("[bold]x[/]")[0].plain == "[bold]x[/]"
        assert table.get_row("[bold]x[/]")[1].plain == "price [/] x"
        assert "[bold]x[/]" in app.export_screenshot()


async def test_filter_regex_and_inversion():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(("alice", "idle"), ("bob", "in call"), ("carol", "idle")))
        table.set_filter("idle")
        await pilot.pause()
        assert table.row_count == 2
        table.set_filter("!idle")
        await pilot.pause()
        assert table.row_count == 1 and table.current_key() == "bob"
        table.set_filter("")
        await pilot.pause()
        assert table.row_count == 3


def test_bad_regex_is_taken_literally():
    regex, invert = compile_filter("a(b")
    assert regex.search("xa(b") and not invert
    assert compile_filter("   ") is None


def test_panel_status_text():
    from tui.service.feed import FeedState
    from tui.vendors.base import Throttled, TransportError
    from tui.widgets.panel import describe_state

    fresh = FeedState(data=1, fetched_at=100.0, interval=2.0)
    assert describe_state(fresh, 101.0) is None  # fresh data: nothing shown, nothing ticks
    assert describe_state(fresh, 110.0) == "data 10s old"  # late: its age
    assert describe_state(FeedState(interval=2.0), 0) == "loading…"
    failed = FeedState(data=1, fetched_at=100.0, error=TransportError("connection refused"), retry_at=130.0)
    assert describe_state(failed, 120.0) == "⚠ connection refused · data 20s old · retry in 10s"
    throttled = FeedState(
        fetched_at=100.0, error=Throttled("wait 55s", 55), retry_at=160.0, vendor_wait=True, interval=2.0
    )
    assert describe_state(throttled, 105.0) == "⚠ wait 55s · data 5s old · vendor asks to wait 55s"


async def test_a_style_only_change_is_drawn():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows([("a", (cell("a"), cell("1")))])
        await pilot.pause()
        table.set_rows([("a", (cell("a"), cell("1", "red")))])
        await pilot.pause()
        assert str(table.get_row("a")[1].style) == "red"


async def test_lines_are_drawn_once_per_row_and_placed_where_the_row_is_now():
    """New rows on top shift every row down: the lines are not drawn again, and each carries its
    new row index for the mouse (a click on a line lands on the row it shows)."""
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(*[(f"m{i}", "old") for i in range(10)]))
        await pilot.pause()
        drawn = []
        original = DataTable._render_line  # DataTable's own: called only for lines not kept

        def counting(self, y, x1, x2, base_style):
            drawn.append(y)
            return original(self, y, x1, x2, base_style)

        DataTable._render_line = counting
        try:
            table.set_rows(rows(("new0", "new"), ("new1", "new"), *[(f"m{i}", "old") for i in range(10)]))
            await pilot.pause()
        finally:
            DataTable._render_line = original
        # two new rows, plus the cursor's row (the cursor stayed on m0, now at line 3) and the one it left
        assert len(drawn) <= 4, drawn
        for index in range(12):
            strip = table.render_line(index + 1)  # below the header
            places = {s.style.meta.get("row") for s in strip if s.style and s.style.meta}
            assert places == {index}
            assert strip.text.split()[0] == table.coordinate_to_cell_key((index, 0)).row_key.value


async def test_a_hidden_table_keeps_only_the_renders_of_the_rows_in_view():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(*[(f"a{i}", "idle") for i in range(100)]))
        await pilot.pause()
        for _ in range(60):  # scroll down through the rows: each gets rendered and cached
            await pilot.press("j")
        await pilot.pause()
        assert len(table._placeless) > 20
        table.release_renders()
        top = table.scroll_offset.y
        in_view = {f"a{i}" for i in range(top, top + table.size.height)}
        assert {key.value for key in table._placeless} <= in_view
        assert len(table._line_cache) == 0 and len(table._row_render_cache) == 0


async def test_a_changed_row_keeps_the_renders_of_its_unchanged_cells():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(rows(*[(f"agent{i}", "idle") for i in range(5)]))
        await pilot.pause()

        def cached_columns(key: str) -> set[str]:
            return {k[1].value for k in table._placeless.get(RowKey(key), ()) if k[1] != PLACELESS}

        assert cached_columns("agent3") == {"name", "state"}
        table.set_rows(rows(*[(f"agent{i}", "in call" if i == 3 else "idle") for i in range(5)]))
        name_entries = {k for k in table._placeless[RowKey("agent3")] if k[1] == "name"}
        assert name_entries and cached_columns("agent3") == {"name"}  # the state cell goes, the name stays
        await pilot.pause()
        assert {k for k in table._placeless[RowKey("agent3")] if k[1] == "name"} == name_entries
        assert "in call" in table.render_line(4).text
