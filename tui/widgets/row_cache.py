"""Rows for a LiveTable built once per distinct look, and what a row looks like and measures."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from rich.text import Text

from tui.widgets.cells import cell_facts
from tui.widgets.columns import Measure

Row = tuple[Text, ...]


def signature(row: Row) -> tuple:
    """What a row looks like: Text's own == ignores style and justification."""
    return tuple(cell_facts(c)[0] for c in row)


def look_and_measure(row: Row) -> tuple[tuple, Measure]:
    """`signature` and `measure` of a row in one pass over its cells."""
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
