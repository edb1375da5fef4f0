"""LiveTable's faster paths give exactly what DataTable's own code gives (bench fixes, issue 7)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from tui.widgets.cells import cell, number
from tui.widgets.live_table import Column, LiveTable

COLUMNS = [Column("name", "Name"), Column("state", "State", 10), Column("calls", "Calls", 5)]
TEXTS = ["Avi Cohen", "שלום עולם", "[bold]x[/]", "", "日本語テキスト", "a very long name that will not fit"]


def snapshot(keys: list[str], state: str = "idle") -> list[tuple[str, tuple]]:
    rows = []
    for index, key in enumerate(keys):
        style = "bold yellow" if index % 3 == 0 else ""
        rows.append((key, (cell(TEXTS[index % len(TEXTS)], style), cell(state, "cyan"), number(index))))
    return rows


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield LiveTable(COLUMNS, id="t")


def visible_cells(table: LiveTable):
    top = int(table.scroll_y)
    for row in range(top, min(table.row_count, top + table.size.height)):
        for column in range(len(table.columns)):
            yield row, column


def assert_renders_like_datatable(table: LiveTable) -> None:
    base = table.rich_style
    for row, column in visible_cells(table):
        width = table.ordered_columns[column].get_render_width(table)
        for cursor, hover in ((False, False), (True, False), (False, True)):
            ours = table._render_cell(row, column, base, width, cursor, hover)
            theirs = DataTable._render_cell(table, row, column, base, width, cursor, hover)
            assert ours == theirs, (row, column, cursor, hover)


async def test_cells_render_as_datatable_renders_them_before_and_after_rows_move():
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        keys = [f"r{i}" for i in range(30)]
        table.set_rows(snapshot(keys))
        await pilot.pause()
        assert_renders_like_datatable(table)
        # Rows arrive on top and leave at the bottom: every row on screen changes place, and the
        # cached renders of the rows still shown must carry their new place (for mouse clicks).
        table.set_rows(snapshot(["n1", "n2", *keys[:-2]]))
        await pilot.pause()
        assert_renders_like_datatable(table)
        table.move_cursor(row=4)
        await pilot.pause()
        assert_renders_like_datatable(table)


async def test_row_and_cell_regions_are_datatable_s():
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(snapshot([f"r{i}" for i in range(20)]))
        await pilot.pause()
        for row in (0, 1, 7, 19, 20, -1):
            assert table._get_row_region(row) == DataTable._get_row_region(table, row)
            for column in (0, 2, 3):
                coordinate = Coordinate(row, column)
                assert table._get_cell_region(coordinate) == DataTable._get_cell_region(table, coordinate)


async def test_row_order_and_line_map_are_datatable_s():
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(snapshot([f"r{i}" for i in range(20)]))
        await pilot.pause()
        table.set_rows(snapshot(["x", *[f"r{i}" for i in range(20) if i % 3]]))
        await pilot.pause()
        assert table.ordered_rows == DataTable.ordered_rows.fget(table)
        assert table._y_offsets == DataTable._y_offsets.fget(table)


async def test_rows_that_come_go_move_and_change_end_up_as_the_snapshot():
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(snapshot(["a", "b", "c", "d"]))
        await pilot.pause()
        moved = snapshot(["d", "x", "b", "y"], state="in call")  # a and c left, x and y came, d moved
        table.set_rows(moved)
        await pilot.pause()
        assert table.row_count == 4
        order = [table.coordinate_to_cell_key(Coordinate(i, 0)).row_key.value for i in range(4)]
        assert order == ["d", "x", "b", "y"]
        for key, cells in moved:
            assert [c.plain for c in table.get_row(key)] == [c.plain for c in cells]
        wide = [("d", (cell("a name much wider than any before"), cell("idle"), number(1)))]
        table.set_rows(wide)
        await pilot.pause()
        assert table.columns["name"].content_width >= len("a name much wider than any before")
        table.set_rows([])
        await pilot.pause()
        assert table.row_count == 0 and table.current_key() is None


def fresh_lines(table: LiveTable) -> list:
    """What the table draws with no cache at all."""
    DataTable._clear_caches(table)
    table._styles_cache.clear()
    return [table.render_line(y) for y in range(table.size.height)]


async def test_renders_kept_across_a_screen_switch_are_the_ones_a_fresh_render_gives():
    from textual.screen import Screen
    from textual.widgets import Static

    class Other(Screen):
        def compose(self) -> ComposeResult:
            yield Static("elsewhere")

    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(snapshot([f"r{i}" for i in range(30)]))
        table.focus()
        await pilot.pause()
        for _ in range(2):  # the second time round, the renders of the first are kept
            await app.push_screen(Other())
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            kept = [table.render_line(y) for y in range(table.size.height)]
            assert kept == fresh_lines(table)
        table.blur()
        await pilot.pause()
        assert [table.render_line(y) for y in range(table.size.height)] == fresh_lines(table)
        before = [table.render_line(y) for y in range(table.size.height)]
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = [table.render_line(y) for y in range(table.size.height)]
        assert after != before  # new colours are drawn, not the old renders
        assert after == fresh_lines(table)


async def test_text_cells_drawn_straight_match_datatable_s_rich_render():
    """Random one-line cells of every kind a screen makes: LiveTable's straight render of a Text
    cell gives DataTable's Styled(Padding(text)) segments exactly."""
    import random

    from rich.text import Text

    rng = random.Random(7)
    alphabet = "abc XYZ 0123 שלום עולם مرحبا 日本語 [/]…—é"
    styles = ["", "bold", "bold yellow", "red on blue", "dim italic", "underline cyan"]
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(LiveTable)
        table.set_rows(snapshot(["a", "b"]))
        await pilot.pause()
        row_key = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key
        column_key = table.coordinate_to_cell_key(Coordinate(0, 0)).column_key
        base = table.rich_style
        for _ in range(1500):
            plain = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
            text = Text(
                plain,
                style=rng.choice(styles),
                justify=rng.choice([None, "left", "right", "center", "full"]),
                overflow=rng.choice([None, "ellipsis", "crop", "fold"]),
                no_wrap=rng.choice([None, True]),
            )
            if plain and rng.random() < 0.5:
                start = rng.randrange(len(plain))
                text.stylize(rng.choice(styles[1:]), start, rng.randrange(start, len(plain) + 1))
            table._data[row_key][column_key] = text
            width = rng.randrange(2, 30)
            cursor, hover = rng.random() < 0.3, rng.random() < 0.3
            table._clear_caches()
            ours = table._render_cell(0, 0, base, width, cursor, hover)
            table._clear_caches()
            theirs = DataTable._render_cell(table, 0, 0, base, width, cursor, hover)
            assert ours == theirs, (text, text.justify, text.overflow, width, cursor, hover)
