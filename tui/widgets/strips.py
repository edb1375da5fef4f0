"""Fewer bytes per redrawn table row: neighbouring cells that look alike become one segment.

Textual writes every segment of a line with its full colour sequence and a reset (~40 bytes in
truecolour). DataTable gives each cell, and each cell's padding, a style of its own only because
its mouse metadata (row, column) differs, so a row of a dozen plain cells costs ~1 KB. Merging
segments that render alike and belong to the same row halves that (SPEC §9: ≤ 1 KB/s while one
agent changes each second). The merged segment keeps its first cell's metadata; in a row-cursor
table a click only needs the row, which every merged part shares.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

_looks: dict[Style, Style] = {}  # style -> the same style without metadata (styles are few and reused)


def _look(style: Style | None) -> Style | None:
    if style is None:
        return None
    look = _looks.get(style)
    if look is None:
        if len(_looks) > 4096:  # a theme change makes new styles; keep the memo bounded
            _looks.clear()
        look = _looks[style] = style.clear_meta_and_links()
    return look


def _row(style: Style | None) -> object:
    return None if style is None or not style._meta else style.meta.get("row")


def merge_alike(strip: Strip) -> Strip:
    """`strip` with runs of neighbouring segments that render the same, in the same row, joined."""
    segments = list(strip)
    if len(segments) < 2:
        return strip
    merged: list[Segment] = []
    text, style, control = segments[0]
    look, row = _look(style), _row(style)
    for next_text, next_style, next_control in segments[1:]:
        next_look = _look(next_style)
        if control is None and next_control is None and next_look == look and _row(next_style) == row:
            text += next_text
            continue
        merged.append(Segment(text, style, control))
        text, style, control = next_text, next_style, next_control
        look, row = next_look, _row(next_style)
    merged.append(Segment(text, style, control))
    if len(merged) == len(segments):
        return strip
    return Strip(merged, strip.cell_length)
