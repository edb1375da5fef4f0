"""A DataTable fed with whole snapshots that redraws only the rows that changed.

`DataTable.update_cell` invalidates every cache and re-sends the whole visible table (~12 KB/s
for one change a second, PATTERNS.md). Here a changed row gets its cells replaced, only that
row's cache entries dropped, and only its region refreshed (~0.3 KB/s). Rows are keyed by the
entity's id, so the cursor stays on the same entity while rows come, go and move.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import zip_longest

from rich.style import Style
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._data_table import Row as TableRow
from textual.widgets.data_table import RowKey

from tui.widgets.columns import Column, Measure, fit_columns, measure
from tui.widgets.row_cache import Row, look_and_measure, signature
from tui.widgets.table_lines import PLACELESS, KeptLines

RENDER_CACHE_ROWS = 256  # rows and lines kept rendered per table (a 200×60 terminal shows < 60)


def _row_map(row_keys: list[RowKey]) -> TwoWayDict[RowKey, int]:
    """DataTable's row key <-> index map, built in one go (its __setitem__ per row is slow)."""
    row_map: TwoWayDict[RowKey, int] = TwoWayDict({})
    row_map._forward = dict(zip(row_keys, range(len(row_keys)), strict=True))
    row_map._reverse = dict(enumerate(row_keys))
    return row_map


__all__ = ["Column", "LiveTable", "Row", "compile_filter"]


def compile_filter(pattern: str) -> tuple[re.Pattern[str], bool] | None:
    """`/text` filters: a case-insensitive regex; a leading `!` inverts. Bad regex = literal text."""
    pattern = pattern.strip()
    if not pattern:
        return None
    invert = pattern.startswith("!")
    body = pattern[1:] if invert else pattern
    try:
        regex = re.compile(body, re.IGNORECASE)
    except re.error:
        regex = re.compile(re.escape(body), re.IGNORECASE)
    return regex, invert


class LiveTable(KeptLines, DataTable):
    _row_map_version = 0  # moves whenever rows come, go or move (ordered rows, line offsets)
    DEFAULT_CSS = """
    LiveTable { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 1; }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "First row", show=False, id="table.first"),
        Binding("G", "scroll_bottom", "Last row", show=False, id="table.last"),
        Binding("enter", "select_cursor", "Open", show=False, id="table.open"),
    ]

    def __init__(self, columns: Sequence[Column], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        # DataTable keeps up to 1,000 rendered rows and lines and 10,000 cells per table; a screen
        # shows at most a few dozen lines, and a console has a dozen tables on each of its screens
        # of every profile, all kept. Smaller caches let memory settle within minutes (the soak).
        self._row_render_cache = LRUCache(RENDER_CACHE_ROWS)
        self._row_renderable_cache = LRUCache(RENDER_CACHE_ROWS)
        self._line_cache = LRUCache(RENDER_CACHE_ROWS)
        self._cell_render_cache = LRUCache(RENDER_CACHE_ROWS * 16)
        self._columns_spec = list(columns)
        self._shown = [i for i, c in enumerate(columns) if c.priority == 0 and not c.hide_when_empty]
        self._rows: dict[str, Row] = {}  # the full snapshot, before filtering
        self._signatures: dict[str, tuple] = {}  # what each row of the snapshot looks like
        self._measures: dict[str, Measure] = {}  # each row's cell widths, for fitting the columns
        self._drawn: dict[str, tuple] = {}  # what each row on screen looks like (shown columns only)
        self._applied: dict[str, Row] = {}  # the snapshot row each row on screen was drawn from
        self._order: list[str] = []  # the keys of the rows on screen, in order
        # Each row's entries in the cell cache: a set, as an entry the cache evicted and made again
        # is listed once, not once per time (a list grew without end under a long-running board).
        self._placeless: dict[RowKey, set[tuple]] = {}
        self._looks: dict[object, tuple[Style, ...]] = {}  # pseudo-class state -> styles rendered with
        self._row_keys: dict[str, RowKey] = {}  # see _row_key
        self._text_defaults: tuple[str | None, str | None] | None = None  # the console's justify, overflow
        self._search: dict[str, str] | None = None  # logical text to filter on, where cells are reordered
        self._base_style: Style | None = None  # DataTable's base style, while lines are being rendered
        # the columns' widths, while lines are being rendered
        self._frame_widths: tuple[int, ...] | None = None
        # per changed row of an `_apply`: the columns of its cells that changed
        self._changed_columns: dict[RowKey, set[str]] = {}
        self._fitted: tuple[int, object, list[int]] | None = None  # (width, measures, columns shown)
        self._filter: tuple[re.Pattern[str], bool] | None = None

    def on_mount(self) -> None:
        self._add_columns()

    def _column_widths(self) -> tuple[int, ...]:
        return tuple(column.get_render_width(self) for column in self.ordered_columns)

    def on_resize(self) -> None:
        self._refit()

    def _add_columns(self) -> None:
        for index in self._shown:
            column = self._columns_spec[index]
            self.add_column(column.label, key=column.key, width=column.width)

    def _refit(self) -> bool:
        """Choose the columns that fit now; rebuild the table when that choice changed (rare)."""
        if not self.is_mounted or self.size.width == 0:
            return False
        available = self.size.width - (self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0)
        fitted = self._fitted
        if fitted is not None and fitted[0] == available and fitted[1] is self._measures:
            shown = fitted[2]  # a resize to the same width, or a screen shown again
        else:
            # Rows that measure alike count once (an inbox of 3,000 has a few hundred distinct ones).
            distinct = set(self._measures.values())
            shown = fit_columns(self._columns_spec, distinct, available, self.cell_padding)
            self._fitted = (available, self._measures, shown)
        if shown == self._shown:
            return False
        self._shown = shown
        cursor_key = self.current_key()
        self.clear(columns=True)
        self._forget_drawn()
        self._add_columns()
        self._apply()
        if cursor_key is not None:
            self._restore_cursor(cursor_key, 0)
        return True

    # -- public ------------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[tuple[str, Row]], search: dict[str, str] | None = None) -> None:
        """Show this snapshot, in this order. Only what changed is redrawn.

        `search` gives each row's text for `/` filtering when the cells show something else (e.g.
        right-to-left text reordered for display: people search what was written, not what is drawn).
        """
        fresh = dict(rows)
        # A row given as the very same object as last time (screens cache rows) is not looked at again.
        old_rows, old_signatures, old_measures = self._rows, self._signatures, self._measures
        signatures, measures = {}, {}
        for key, row in fresh.items():
            if old_rows.get(key) is row and key in old_measures:
                signatures[key], measures[key] = old_signatures[key], old_measures[key]
            else:
                signatures[key], measures[key] = look_and_measure(row)
        if signatures == old_signatures and search == self._search and list(fresh) == list(old_rows):
            return  # the same snapshot again: nothing to draw, nothing to measure
        self._rows, self._signatures, self._measures, self._search = fresh, signatures, measures, search
        if not self._refit():
            self._apply()

    def set_filter(self, pattern: str) -> None:
        self._filter = compile_filter(pattern)
        self._apply()

    @property
    def filter_active(self) -> bool:
        return self._filter is not None

    def current_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return row_key.value

    # -- the diff ----------------------------------------------------------------------------------
    def _wanted_keys(self) -> list[str]:
        """The keys of the snapshot's rows that pass the filter, in order."""
        if self._filter is None:
            return list(self._rows)
        regex, invert = self._filter
        search = self._search or {}
        return [
            key
            for key, row in self._rows.items()
            if bool(regex.search(search.get(key) or " ".join(c.plain for c in row))) != invert
        ]

    def visible_keys(self) -> list[str]:
        """The keys of the rows shown now (after the filter), in order."""
        return self._wanted_keys()

    def _project(self, row: Row) -> Row:
        """The cells of the columns shown."""
        shown = self._shown
        return row if len(shown) == len(self._columns_spec) else tuple(row[i] for i in shown)

    def _row_key(self, key: str) -> RowKey:
        """The table's RowKey for `key`, made once: a refresh of 3,000 rows looked up thousands."""
        row_key = self._row_keys.get(key)
        if row_key is None:
            row_key = self._row_keys[key] = RowKey(key)
        return row_key

    def _forget_drawn(self) -> None:
        self._applied, self._drawn, self._order = {}, {}, []

    def _apply(self) -> None:
        """Bring the table to the snapshot: rows that left, came, changed or moved.

        Work is proportional to what changed: a row given as the same object as the one drawn is
        passed over, and rows that come, go or move rebuild the row map once (DataTable's add_row
        and remove_row each cost O(rows), and recompute every row's position in between).
        """
        if not self.is_mounted:
            return
        wanted = self._wanted_keys()
        cursor_key = self.current_key()
        cursor_row = self.cursor_row
        rows, applied, drawn, shown = self._rows, self._applied, self._drawn, self._shown
        new: list[str] = []
        changed: list[str] = []
        self._changed_columns = changed_columns = {}
        for key in wanted:
            row = rows[key]
            before = applied.get(key)
            if before is row:
                continue
            full = self._signatures.get(key) or signature(row)
            look = tuple(full[i] for i in shown) if len(full) != len(shown) else full
            if before is None:
                new.append(key)
            else:
                was = drawn.get(key)
                if was != look:
                    changed.append(key)
                    # which cells changed: the others keep their renders
                    if was is not None and len(was) == len(look):
                        changed_columns[self._row_key(key)] = {
                            self._columns_spec[shown[i]].key
                            for i, (a, b) in enumerate(zip(was, look, strict=True))
                            if a != b
                        }
            applied[key], drawn[key] = row, look
        kept = set(wanted)
        gone = [key for key in self._order if key not in kept]
        for key in gone:
            del applied[key], drawn[key]
        with self.app.batch_update():
            if gone or new or wanted != self._order:
                self._restructure(wanted, gone, new, changed)
            elif changed:
                self._replace_rows(changed)
            self._order = wanted
            self._restore_cursor(cursor_key, cursor_row)

    def _set_cells(self, keys: list[str]) -> None:
        """Put the snapshot's cells of these rows into the table, widening auto-sized columns to fit."""
        columns = self.ordered_columns
        for key in keys:
            cells = self._project(self._rows[key])
            row_cells = {column.key: cell for column, cell in zip_longest(columns, cells)}
            self._data[self._row_key(key)] = row_cells
            widths = (self._measures.get(key) or measure(self._rows[key]))[0]
            for column, index in zip(columns, self._shown, strict=False):
                width = widths[index] if index < len(widths) else 0
                if column.auto_width and width > column.content_width:
                    column.content_width = width
                    self._require_update_dimensions = True

    def _restructure(self, wanted: list[str], gone: list[str], new: list[str], changed: list[str]) -> None:
        """Rows came, went or moved: drop and add them, rebuild the row map once, redraw the table."""
        was_empty = self.row_count == 0
        for key in gone:
            row_key = self._row_key(key)
            del self.rows[row_key], self._data[row_key]
            self._new_rows.discard(row_key)
        self._set_cells(new + changed)
        # renders are kept per row key: only the rows that left or changed lose theirs
        self._drop_cached_rows({self._row_key(key) for key in (*gone, *changed)}, self._changed_columns)
        for key in new:
            row_key = self._row_key(key)
            self.rows[row_key] = TableRow(row_key, 1)  # one line, no label: nothing for DataTable to measure
        self._row_locations = _row_map([self._row_key(key) for key in wanted])
        for key in gone:
            self._row_keys.pop(key, None)
        self._row_map_version += 1
        if not wanted:
            self.cursor_coordinate = Coordinate(0, 0)
        if self.hover_coordinate.row >= len(wanted):
            self.hover_coordinate = Coordinate(0, 0)
        # The virtual size (and so the scrollbar) is recomputed once the loop is idle.
        self._require_update_dimensions = True
        self._update_count += 1  # every cached render knows its row's place: all of them are stale
        self.refresh()
        self.check_idle()
        if was_empty and wanted and self.show_cursor:
            self._highlight_cursor()  # as add_row does for a table's first row

    def _replace_rows(self, keys: list[str]) -> None:
        """New cells for rows already shown; only their lines on screen are refreshed."""
        self._set_cells(keys)
        row_keys = [self._row_key(key) for key in keys]
        self._drop_cached_rows(set(row_keys), self._changed_columns)
        if self._require_update_dimensions:  # a column got wider: every row moves right
            self._update_count += 1
            self.refresh()
            self.check_idle()
            return
        # DataTable.refresh_row sums the heights of every row above (O(rows) a row). LiveTable rows
        # are one line each, so a row's line is its index below the header; rows off screen need
        # no refresh at all (their caches are dropped; they are drawn fresh when scrolled to).
        top = self.header_height if self.show_header else 0
        width = max(
            self.size.width,
            sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width,
        )
        window = self.window_region
        regions = []
        for row_key in row_keys:
            region = Region(0, top + self._row_locations.get(row_key), width, 1)
            if window.overlaps(region):
                regions.append(region.translate(-self.scroll_offset))
        if regions:
            self.refresh(*regions)

    def _drop_cached_rows(self, row_keys: set[RowKey], changed_columns: dict[RowKey, set[str]]) -> None:
        # Private caches of DataTable (textual 8.x). The cell cache holds LiveTable's entries, listed
        # per row; row and line renders are cheap to rebuild from cells (and a cursor move drops
        # them anyway), so they go whole: nothing here looks through every entry of a cache.
        # A changed row whose changed cells are known (`_apply`) keeps its other cells' renders:
        # a waiting caller's row changes only in its wait.
        cells, placeless = self._cell_render_cache, self._placeless
        for row_key in row_keys:
            columns = changed_columns.get(row_key)
            if columns is None:
                for cache_key in placeless.pop(row_key, ()):
                    cells.discard(cache_key)
                continue
            entries = placeless.get(row_key, ())
            # entries are (row, column, ...) for a cell, (row, PLACELESS, "line", ...) for a line
            stale = [k for k in entries if k[1] in columns or k[1] == PLACELESS]
            for cache_key in stale:
                entries.discard(cache_key)
                cells.discard(cache_key)
        self._row_render_cache.clear()
        self._row_renderable_cache.clear()
        self._line_cache.clear()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._placeless.clear()
        self._row_map_version += 1  # DataTable clears its rows with its caches

    def release_renders(self) -> None:
        """Keep only the renders of the rows in view while the table is out of sight (its screen
        hidden): what the screen shows again when it comes back, and nothing more.

        A hidden screen gets no updates, but the renders it made while shown stay until its caches
        evict them, and every screen of every profile is kept: held together they grew the console
        for hours. Dropping them all would make every screen switch draw its tables from scratch.
        """
        top = self.scroll_offset.y
        bottom = min(self.row_count, top + self.size.height)
        in_view = {self._row_locations.get_key(i) for i in range(top, bottom)}
        self._drop_cached_rows({key for key in self._placeless if key not in in_view}, {})

    def notify_style_update(self) -> None:
        """DataTable drops every render on any style update, and a screen shown again updates the
        styles of all its widgets though nothing changed: every cell on it went through Rich again.

        The render caches are keyed by the pseudo-class state (focus, hover, enabled) but not by the
        colours; they are kept while this state's colours are the ones the renders were made with.
        """
        Widget.notify_style_update(self)
        if not self._placeless:  # nothing drawn to keep: the first render notes its look
            super().notify_style_update()
            return
        state = self.get_pseudo_class_state()
        look = self._look()
        if look is not None and self._looks.get(state) == look:
            # What depends on the current state alone: the cursor's styles, the padding and background.
            self._get_styles_to_render_cell.cache_clear()
            self._styles_cache.clear()
            self.refresh()
            return
        super().notify_style_update()  # new colours (a theme), or a state not seen since: start over
        self._placeless.clear()
        self._looks = {} if look is None else {state: look}

    def _look(self) -> tuple[Style, ...] | None:
        """Every style DataTable renders with (None while the stylesheet does not have them yet)."""
        names = sorted(self.COMPONENT_CLASSES)
        try:
            return (
                self.rich_style,
                *(self.get_component_rich_style(name) for name in names),
                *(self.get_component_styles(name).rich_style for name in names),
            )
        except KeyError:
            return None

    def _restore_cursor(self, key: str | None, row: int) -> None:
        if self.row_count == 0:
            return
        if key is not None and RowKey(key) in self._row_locations:
            target = self._row_locations.get(RowKey(key))
        else:
            target = min(row, self.row_count - 1)
        if target != self.cursor_row:
            self.move_cursor(row=target, animate=False, scroll=False)
