"""A DataTable fed with whole snapshots that redraws only the rows that changed.

`DataTable.update_cell` invalidates every cache and re-sends the whole visible table (~12 KB/s
for one change a second, PATTERNS.md). Here a changed row gets its cells replaced, only that
row's cache entries dropped, and only its region refreshed (~0.3 KB/s). Rows are keyed by the
entity's id, so the cursor stays on the same entity while rows come, go and move.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import zip_longest
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._data_table import _EMPTY_TEXT, SegmentLines
from textual.widgets._data_table import Row as TableRow
from textual.widgets.data_table import RowKey

from tui.widgets.cells import cell_facts
from tui.widgets.columns import Column, Measure, fit_columns, measure
from tui.widgets.strips import merge_alike

Row = tuple[Text, ...]
RENDER_CACHE_ROWS = 256  # rows and lines kept rendered per table (a 200×60 terminal shows < 60)
_PLACELESS = "placeless"  # marks LiveTable's own entries in DataTable's cell cache
_NEWLINE = Text("\n")
_NULL = Style.null()


def _row_map(row_keys: list[RowKey]) -> TwoWayDict[RowKey, int]:
    """DataTable's row key <-> index map, built in one go (its __setitem__ per row is slow)."""
    row_map: TwoWayDict[RowKey, int] = TwoWayDict({})
    row_map._forward = dict(zip(row_keys, range(len(row_keys)), strict=True))
    row_map._reverse = dict(enumerate(row_keys))
    return row_map


def _without_place(segment: Segment) -> Segment:
    style = segment.style
    return (
        segment
        if style is None or not style.meta
        else Segment(segment.text, style.clear_meta_and_links(), segment.control)
    )


class _PlacelessLine:
    """A drawn table line without its row index; `placed` gives it back for any row index.

    Only the row differs between places: each segment keeps the rest of its metadata (the column,
    out of bounds) so a click or hover lands where DataTable's own line would send it.
    """

    __slots__ = ("_cell_length", "_segments")

    def __init__(
        self, segments: list[tuple[str, Style | None, dict[str, Any] | None, Any]], cell_length: int
    ) -> None:
        self._segments = segments  # (text, style without metadata, metadata but the row, control)
        self._cell_length = cell_length

    @classmethod
    def from_strip(cls, strip: Strip) -> _PlacelessLine:
        segments = [
            (text, style, None, control)
            if style is None or not style._meta
            else (text, style.clear_meta_and_links(), _unplaced(style.meta), control)
            for text, style, control in strip
        ]
        return cls(segments, strip.cell_length)

    def placed(self, row_index: int) -> Strip:
        places: dict[tuple, Style] = {}
        segments = []
        for text, look, meta, control in self._segments:
            if meta is None or control:
                segments.append(Segment(text, look, control))
                continue
            place_key = tuple(meta.items())
            place = places.get(place_key)
            if place is None:
                place = places[place_key] = Style.from_meta({**meta, "row": row_index})
            segments.append(Segment(text, place if look is None else look + place, None))
        return Strip(segments, self._cell_length)


def _unplaced(meta: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in meta.items() if name != "row"}


def _with_place(segment: Segment, place: Style) -> Segment:
    style = segment.style
    if segment.control:
        return segment
    return Segment(segment.text, place if style is None else style + place, None)


def text_line(value: Text, width: int, console: Any, defaults: tuple[Any, Any]) -> list[Segment]:
    """A one-line Text cut or padded to `width`, the way Rich renders it into a DataTable cell."""
    default_justify, default_overflow = defaults
    tab_size = console.tab_size if value.tab_size is None else value.tab_size
    lines = value.wrap(
        console,
        width,
        justify=value.justify or default_justify or "default",
        overflow=value.overflow or default_overflow or "fold",
        tab_size=tab_size or 8,
        no_wrap=True if value.no_wrap is None else value.no_wrap,
    )
    segments = _NEWLINE.join(lines).render(console, end=value.end)
    return next(
        Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=True, style=_NULL), []
    )


def fitting_text_line(value: Text, width: int, console: Any, default_justify: Any) -> list[Segment] | None:
    """`text_line` for the common cell, made directly (~10× faster): one style, no spans, and it fits.

    What Rich does with such a cell: the justified line carries the Text's style over its padding;
    "default" and "full" leave the line as it is, and the padding after it gets no style. None: a
    cell with spans, or one that does not fit, or with spaces at its end (Rich strips those).
    """
    plain = value.plain
    if value.spans or not plain or plain[-1].isspace():
        return None
    room = width - cell_len(plain)
    if room < 0:
        return None
    style = console.get_style(value.style, default=_NULL) if value.style else None
    justify = value.justify or default_justify or "default"
    if justify == "left":
        return [Segment(plain + " " * room, style)]
    if justify == "right":
        return [Segment(" " * room + plain, style)]
    if justify == "center":
        left = room // 2
        return [Segment(" " * left + plain + " " * (room - left), style)]
    return [Segment(plain, style), Segment(" " * room, _NULL)] if room else [Segment(plain, style)]


__all__ = ["Column", "LiveTable", "Row", "RowCache", "compile_filter"]


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
    return tuple(cell_facts(c)[0] for c in row)


def _look_and_measure(row: Row) -> tuple[tuple, Measure]:
    """`_signature` and `measure` of a row in one pass over its cells."""
    facts = [cell_facts(c) for c in row]
    return tuple(f[0] for f in facts), (tuple(f[1] for f in facts), tuple(f[2] for f in facts))


class RowCache:
    """Rows built once per distinct look: an entity that shows the same as before gets the very same
    row object again, which `LiveTable.set_rows` passes over without looking at its cells.

    `view(item)` is what the row shows, hashable (default: the item itself, e.g. a frozen dataclass);
    `build(view)` makes the row from it, so a row can show nothing its view does not hold.
    """

    def __init__(self, build: Callable[[Any], Row], view: Callable[[Any], Hashable] | None = None) -> None:
        self._build = build
        self._view = view
        self._rows: dict[Hashable, Row] = {}

    def rows(self, items: Iterable[Any], key: Callable[[Any], str]) -> list[tuple[str, Row]]:
        old, new, shown, view = self._rows, {}, [], self._view
        for item in items:
            look = item if view is None else view(item)
            row = new.get(look) or old.get(look) or self._build(look)
            new[look] = row
            shown.append((key(item), row))
        self._rows = new  # only what is shown now is kept
        return shown


class LiveTable(DataTable):
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

    # -- rendering: DataTable's, with caches that survive rows moving ---------------------------------
    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """DataTable's cell render, kept per row *key* rather than per row *place*.

        DataTable caches a cell's render under the table's update count, because the render carries
        the cell's row and column index (for mouse clicks): when rows come, go or shift, every cell
        on screen goes through Rich again (~60 µs each; new messages on top of an inbox re-render
        all of them). Here the render is kept without the indexes, which are put back on each use.
        Changed rows drop their entries (`_drop_cached_rows`); style changes clear the whole cache.
        """
        if row_index < 0 or column_index < 0:  # the header and row labels: DataTable's own
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        placeless = self._placeless_cell(row_index, column_index, base_style, width, cursor, hover)
        if placeless is None:  # a link's id would be lost with the metadata: not kept placeless
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        place = Style.from_meta({"row": row_index, "column": column_index})
        return [[_with_place(segment, place) for segment in line] for line in placeless]

    def _placeless_cell(
        self, row_index: int, column_index: int, base_style: Style, width: int, cursor: bool, hover: bool
    ) -> SegmentLines | None:
        """A body cell's render without its row and column (None: it holds a link), kept per row key."""
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, _PLACELESS, base_style, width, cursor, hover, self._show_hover_cursor)
        key += (self._pseudo_class_state,)
        cache = self._cell_render_cache
        placeless = cache.get(key)
        if placeless is not None:
            return placeless
        placeless = self._render_text_cell(
            row_key, column_key, row_index, column_index, base_style, width, cursor, hover
        )
        if placeless is None:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            # DataTable's own entry goes: the cell cache then holds only entries listed per row.
            state = (self._show_hover_cursor, self._update_count, self._pseudo_class_state)
            cache.discard((row_key, column_key, base_style, cursor, hover, *state))
            if any(segment.style is not None and segment.style.link for line in lines for segment in line):
                return None
            placeless = [[_without_place(segment) for segment in line] for line in lines]
        if not self._placeless:  # the first render since the styles changed: note what it is made with
            look = self._look()
            self._looks = {} if look is None else {self.get_pseudo_class_state(): look}
        cache[key] = placeless
        self._placeless.setdefault(row_key, set()).add(key)
        return placeless

    def _render_text_cell(
        self, row_key, column_key, row_index, column_index, base_style, width, cursor, hover
    ):
        """A one-line Text cell rendered straight (no generic Rich layers): the segments Rich gives for
        DataTable's Styled(Padding(text)), without the row/column metadata. None: not such a cell."""
        value = self._data.get(row_key, {}).get(column_key)
        if isinstance(value, Text) and not value:
            value = _EMPTY_TEXT  # as DataTable does: an empty cell is drawn plain, whatever its style
        pad = self.cell_padding
        inner = width - 2 * pad
        if (
            not isinstance(value, Text)
            or inner < 1
            or row_index < self.fixed_rows
            or column_index < self.fixed_columns
            or self.rows[row_key].height != 1
            or "\n" in value.plain
            or "\t" in value.plain
        ):
            return None
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        console = self.app.console
        if self._text_defaults is None:
            options = self.app.console_options
            self._text_defaults = (options.justify, options.overflow)
        body = fitting_text_line(value, inner, console, self._text_defaults[0])
        if body is None:
            body = text_line(value, inner, console, self._text_defaults)
        if pad:
            space = Segment(" " * pad, _NULL)
            body = [space, *body, space]
        pre, post = console.get_style(base_style + component_style), console.get_style(post_style)
        return [list(Segment.apply_style(body, pre, post))]

    @property
    def ordered_rows(self) -> list[TableRow]:
        """DataTable's, from LiveTable's own key order (DataTable maps every index back to its key).

        Kept while the rows stay in place: DataTable keys it by its update count, which also moves
        on every resize and column change, and rebuilding it costs ~2 ms per thousand rows."""
        cache_key = (self.row_count, self._row_map_version)
        ordered = self._ordered_row_cache.get(cache_key)
        if ordered is None:
            index = self._row_locations._reverse
            rows = self.rows
            ordered = [rows[index[i]] for i in range(len(index))]
            self._ordered_row_cache[cache_key] = ordered
        return ordered

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        """DataTable's line -> (row key, line in row), for rows of one line each."""
        offsets = self._offset_cache.get(self._row_map_version)
        if offsets is None:
            offsets = [(row.key, 0) for row in self.ordered_rows]
            self._offset_cache[self._row_map_version] = offsets
        return offsets

    @property
    def _total_row_height(self) -> int:
        """Rows are one line each: no list of every row's lines to build after rows come or go."""
        return self.row_count

    def _get_offsets(self, y: int) -> tuple[RowKey, int]:
        """DataTable's, straight from the row map (rows of one line): a line drawn after rows came or
        went does not build the line list of all 3,000 rows first. LookupError past the last row."""
        if self.show_header:
            if y < self.header_height:
                return self._header_row_key, y
            y -= self.header_height
        return self._row_locations._reverse[y], 0

    def _get_row_region(self, row_index: int) -> Region:
        """DataTable's sums the heights of every row above; LiveTable rows are one line each."""
        if not self.is_valid_row_index(row_index):
            return Region(0, 0, 0, 0)
        row_width = (
            sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        )
        top = self.header_height if self.show_header else 0
        return Region(0, top + row_index, max(self.size.width, row_width), 1)

    def _get_cell_region(self, coordinate: Coordinate) -> Region:
        """As `_get_row_region`: a cell's line is its row's index below the header."""
        if not self.is_valid_coordinate(coordinate):
            return Region(0, 0, 0, 0)
        row_index, column_index = coordinate
        columns = self.ordered_columns
        x = sum(c.get_render_width(self) for c in columns[:column_index]) + self._row_label_column_width
        top = self.header_height if self.show_header else 0
        return Region(x, top + row_index, columns[column_index].get_render_width(self), 1)

    # -- lines: kept per row key, placed on use ---------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # DataTable works out its base style (a walk up the DOM) again for every line it draws.
        self._base_style = self.rich_style
        self._frame_widths = self._column_widths()  # and its columns' widths, for every line's key
        try:
            return super().render_lines(crop)
        finally:
            self._base_style = self._frame_widths = None

    def render_line(self, y: int) -> Strip:
        """DataTable's, for rows of one line and no fixed rows (LiveTable's), from a known base style."""
        if self.fixed_rows:
            return merge_alike(super().render_line(y))
        scroll_x, scroll_y = self.scroll_offset
        if not self.show_header or y >= self.header_height:
            y += scroll_y
        base_style = self._base_style or self.rich_style
        return self._render_line(y, scroll_x, scroll_x + self.size.width, base_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A body line drawn once per row *key* and look, and placed (its row index put in the
        mouse metadata) on every use: rows shifting down under new messages are not drawn again.

        The header, fixed columns and row labels take DataTable's way (with neighbours merged).
        """
        width = self.size.width
        try:
            row_key, _line = self._get_offsets(y)
        except LookupError:
            return Strip.blank(width, base_style)
        if row_key is self._header_row_key or self.fixed_columns or self._labelled_row_exists:
            return merge_alike(super()._render_line(y, x1, x2, base_style))
        row_index = self._row_locations.get(row_key)
        row_cursor = self.cursor_type == "row"
        key = (
            row_key,
            _PLACELESS,
            "line",
            x1,
            x2,
            width,
            base_style,
            self._frame_widths or self._column_widths(),
            row_cursor and self.show_cursor and self.cursor_coordinate.row == row_index,
            row_cursor and self._show_hover_cursor and self.hover_coordinate.row == row_index,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self.zebra_stripes and row_index % 2,
            self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        line = cache.get(key)
        if line is None:
            line = self._placeless_line(row_index, x1, x2, width, base_style)
            if line is None:  # scrolled sideways, wider than the widget, or a link: DataTable's way
                drawn = merge_alike(super()._render_line(y, x1, x2, base_style))
                if any(style is not None and style.link for _text, style, _control in drawn):
                    return drawn  # a link's id would be lost with the metadata: not kept placeless
                line = _PlacelessLine.from_strip(drawn)
            cache[key] = line
            self._placeless.setdefault(row_key, set()).add(key)
        return line.placed(row_index)

    def _placeless_line(
        self, row_index: int, x1: int, x2: int, width: int, base_style: Style
    ) -> _PlacelessLine | None:
        """DataTable's `_render_line_in_row` + `_render_line` for a one-line row with a row cursor,
        straight from the placeless cells: what DataTable draws, with neighbours that look alike
        joined, and without the place-dependent metadata put on and taken off every segment.
        None where DataTable's way is needed (a cell cursor, a scrolled or overflowing table, links).
        """
        widths = self._frame_widths or self._column_widths()
        table_width = sum(widths) + self._row_label_column_width
        if x1 != 0 or x2 - x1 != width or table_width > width or self.cursor_type != "row":
            return None
        row_style = self._get_row_style(row_index, base_style)
        cursor = self.cursor_coordinate.row == row_index
        hover = self.hover_coordinate.row == row_index
        parts: list[tuple[str, Style | None, dict[str, Any] | None, Any]] = []
        for column_index, column_width in enumerate(widths):
            lines = self._placeless_cell(row_index, column_index, row_style, column_width, cursor, hover)
            if lines is None:
                return None
            meta = {"column": column_index}
            for text, style, control in lines[0]:
                if control:
                    return None
                if parts and parts[-1][1] == style:
                    parts[-1] = (parts[-1][0] + text, style, parts[-1][2], None)
                else:
                    parts.append((text, style, meta, None))
        extend_style, _ = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor, False, False
        )
        extend_style = row_style + extend_style
        remaining = width - table_width
        if remaining:
            if parts and parts[-1][1] == extend_style:
                parts[-1] = (parts[-1][0] + " " * remaining, extend_style, parts[-1][2], None)
            else:
                parts.append((" " * remaining, extend_style, {"column": 0, "out_of_bounds": True}, None))
        return _PlacelessLine(parts, width)

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
                signatures[key], measures[key] = _look_and_measure(row)
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
            full = self._signatures.get(key) or _signature(row)
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
            # entries are (row, column, ...) for a cell, (row, _PLACELESS, "line", ...) for a line
            stale = [k for k in entries if k[1] in columns or k[1] == _PLACELESS]
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
