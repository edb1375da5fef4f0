"""Which columns of a table fit: the responsive part of LiveTable, as a pure function.

Columns with priority 0 are always shown. Others give way, highest priority number first, when the
table is too narrow; a column marked `hide_when_empty` is left out while no row has a value in it
(a vendor that never gives that figure does not cost the operator a column).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text

EMPTY = frozenset({"", "–"})


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int | None = None  # None: sized to content
    priority: int = 0  # 0: always shown; otherwise dropped first when narrow (higher first)
    hide_when_empty: bool = False


def choose_columns(
    columns: Sequence[Column], rows: Iterable[Sequence[Text]], available: int, padding: int = 1
) -> list[int]:
    """Indexes of the columns to show in `available` cells of width."""
    needs = [c.width if c.width is not None else len(c.label) for c in columns]
    filled = [False] * len(columns)
    for row in rows:
        for index, cell in enumerate(row[: len(columns)]):
            plain = cell.plain
            if plain not in EMPTY:
                filled[index] = True
            if columns[index].width is None:
                needs[index] = max(needs[index], cell.cell_len)
    shown = [i for i, c in enumerate(columns) if filled[i] or not c.hide_when_empty]
    while available > 0 and sum(needs[i] + 2 * padding for i in shown) > available:
        optional = [i for i in shown if columns[i].priority > 0]
        if not optional:
            break
        shown.remove(max(optional, key=lambda i: (columns[i].priority, i)))
    return shown
