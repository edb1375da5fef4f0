"""A DataTable fed with whole snapshots that redraws only the rows that changed.

`DataTable.update_cell` invalidates every cache and re-sends the whole visible table (~12 KB/s
for one change a second, PATTERNS.md). Here a changed row gets its cells replaced, only that
row's cache entries dropped, and only its region refreshed (~0.3 KB/s). Rows are keyed by the
entity's id, so the cursor stays on the same entity while rows come, go and move.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from tui.widgets.columns import Column, Measure, fit_columns, measure

Row = tuple[Text, ...]
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


def _signature(row: Row) -> tuple:
    """What a row looks like: Text's own == ignores style and justification."""
    return tuple((c.plain, str(c.style), tuple(c.spans), c.justify) for c in row)


class LiveTable(DataTable):
    DEFAULT_CSS = """
    LiveTable { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 1; }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
    ]

    def __init__(self, columns: Sequence[Column], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._columns_spec = list(columns)
        self._shown = [i for i, c in enumerate(columns) if c.priority == 0 and not c.hide_when_empty]
        self._rows: dict[str, Row] = {}  # the full snapshot, before filtering
        self._signatures: dict[str, tuple] = {}  # what each row of the snapshot looks like
        self._measures: dict[str, Measure] = {}  # each row's cell widths, for fitting the columns
        self._drawn: dict[str, tuple] = {}  # what each row on screen looks like (shown columns only)
        self._search: dict[str, str] | None = None  # logical text to filter on, where cells are reordered
        self._filter: tuple[re.Pattern[str], bool] | None = None

    def on_mount(self) -> None:
        self._add_columns()

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
        shown = fit_columns(self._columns_spec, self._measures.values(), available, self.cell_padding)
        if shown == self._shown:
            return False
        self._shown = shown
        cursor_key = self.current_key()
        self.clear(columns=True)
        self._drawn = {}
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
        old_rows, old_signatures = self._rows, self._signatures
        signatures = {
            key: old_signatures[key] if old_rows.get(key) is row else _signature(row)
            for key, row in fresh.items()
        }
        if signatures == self._signatures and search == self._search and list(fresh) == list(self._rows):
            return  # the same snapshot again: nothing to draw, nothing to measure
        old_measures = self._measures
        self._measures = {
            key: old_measures[key] if old_rows.get(key) is row and key in old_measures else measure(row)
            for key, row in fresh.items()
        }
        self._rows, self._signatures, self._search = fresh, signatures, search
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
    def _visible(self) -> dict[str, Row]:
        shown = self._shown
        project = (
            (lambda row: row)
            if len(shown) == len(self._columns_spec)
            else (lambda row: tuple(row[i] for i in shown))
        )
        if self._filter is None:
            return {key: project(row) for key, row in self._rows.items()}
        regex, invert = self._filter
        search = self._search or {}
        return {
            key: project(row)
            for key, row in self._rows.items()
            if bool(regex.search(search.get(key) or " ".join(c.plain for c in row))) != invert
        }

    def visible_keys(self) -> list[str]:
        """The keys of the rows shown now (after the filter), in order."""
        return list(self._visible())

    def _apply(self) -> None:
        if not self.is_mounted:
            return
        wanted = self._visible()
        cursor_key = self.current_key()
        cursor_row = self.cursor_row
        structural = False
        with self.app.batch_update():
            for key in [k.value for k in self._row_locations if k.value not in wanted]:
                self.remove_row(key)
                structural = True
            new_rows = []
            shown = self._shown
            drawn: dict[str, tuple] = {}
            for key, row in wanted.items():
                full = self._signatures.get(key) or _signature(self._rows[key])
                look = tuple(full[i] for i in shown) if len(full) > len(row) else full
                drawn[key] = look
                if RowKey(key) not in self._row_locations:
                    new_rows.append((key, row))
                elif self._drawn.get(key) != look:
                    self._replace_row(key, row)
            self._drawn = drawn
            for key, row in new_rows:
                self.add_row(*row, key=key)
                structural = True
            if structural or new_rows:
                self._reorder(list(wanted))
            self._restore_cursor(cursor_key, cursor_row)

    def _replace_row(self, key: str, row: Row) -> None:
        row_key = RowKey(key)
        cells = self._data[row_key]
        widen = False
        for column_key, new in zip(list(cells), row, strict=False):
            cells[column_key] = new
            column = self.columns[column_key]
            if column.auto_width and new.cell_len > column.content_width:
                widen = True
        self._drop_cached_row(row_key)
        if widen:
            self._require_update_dimensions = True
            self._update_count += 1
            self.refresh()
        else:
            self.refresh_row(self._row_locations.get(row_key))

    def _drop_cached_row(self, row_key: RowKey) -> None:
        # Private caches of DataTable (textual 8.x), keyed with the row key first; the line cache is
        # keyed by screen line, so it is dropped whole (only the refreshed region is rendered again).
        for cache in (self._cell_render_cache, self._row_render_cache):
            for cache_key in [k for k in cache.keys() if k[0] == row_key]:
                cache.discard(cache_key)
        self._row_renderable_cache.clear()
        self._line_cache.clear()

    def _reorder(self, keys: list[str]) -> None:
        current = sorted(self._row_locations, key=self._row_locations.get)
        if [k.value for k in current] == keys:
            return
        self._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(keys)})
        self._update_count += 1
        self.refresh()

    def _restore_cursor(self, key: str | None, row: int) -> None:
        if self.row_count == 0:
            return
        if key is not None and RowKey(key) in self._row_locations:
            target = self._row_locations.get(RowKey(key))
        else:
            target = min(row, self.row_count - 1)
        if target != self.cursor_row:
            self.move_cursor(row=target, animate=False, scroll=False)
