"""How a LiveTable draws: lines kept per row key and placed at whatever row index the row has now.

DataTable keys its rendered rows and lines by row index, so every row that moved (a message on top
pushes 3,000 down) was drawn again through Rich. Here a line is kept without its place and given
one when drawn; a cell that fits and has one style is cut straight rather than through Rich.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets._data_table import _EMPTY_TEXT, SegmentLines
from textual.widgets._data_table import Row as TableRow
from textual.widgets.data_table import RowKey

from tui.widgets.strips import merge_alike

PLACELESS = "placeless"  # marks LiveTable's own entries in DataTable's cell cache
_NEWLINE = Text("\n")
_NULL = Style.null()


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


class KeptLines:
    """DataTable's rendering, with caches that survive rows moving: LiveTable's drawing half, mixed
    in before DataTable (its `super()` calls are DataTable's)."""

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
        key = (row_key, column_key, PLACELESS, base_style, width, cursor, hover, self._show_hover_cursor)
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
            PLACELESS,
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
