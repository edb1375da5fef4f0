"""Which columns of a table fit: the responsive part of LiveTable, as a pure function.

Columns with priority 0 are always shown. Others give way, highest priority number first, when the
table is too narrow; a column marked `hide_when_empty` is left out while no row has a value in it
(a vendor that never gives that figure does not cost the operator a column).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text

from tui.widgets.cells import cell_facts


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int | None = None  # None: sized to content
    priority: int = 0  # 0: always shown; otherwise dropped first when narrow (higher first)
    hide_when_empty: bool = False


Measure = tuple[tuple[int, ...], tuple[bool, ...]]  # per cell: its width; and whether it holds a value


def measure(row: Sequence[Text]) -> Measure:
    facts = [cell_facts(cell) for cell in row]
    return tuple(f[1] for f in facts), tuple(f[2] for f in facts)


def choose_columns(
    columns: Sequence[Column], rows: Iterable[Sequence[Text]], available: int, padding: int = 1
) -> list[int]:
    """Indexes of the columns to show in `available` cells of width."""
    return fit_columns(columns, (measure(row) for row in rows), available, padding)


def fit_columns(
    columns: Sequence[Column], measures: Iterable[Measure], available: int, padding: int = 1
) -> list[int]:
    """As choose_columns, from rows already measured (a table keeps the measures of unchanged rows)."""
    count = len(columns)
    needs = [c.width if c.width is not None else len(c.label) for c in columns]
    filled = [False] * count
    measured = list(measures)
    if measured:
        widths, values = zip(*measured, strict=True)
        # Column by column over every row at once (zip, max and any run in C: thousands of rows are
        # cheap); a row short of cells counts as empty in the columns it lacks.
        widths = (w if len(w) == count else (*w[:count], *(0,) * (count - len(w))) for w in widths)
        values = (v if len(v) == count else (*v[:count], *(False,) * (count - len(v))) for v in values)
        for index, widest in enumerate(map(max, zip(*widths, strict=True))):
            if columns[index].width is None and widest > needs[index]:
                needs[index] = widest
        filled = list(map(any, zip(*values, strict=True)))
    shown = [i for i, c in enumerate(columns) if filled[i] or not c.hide_when_empty]
    while available > 0 and sum(needs[i] + 2 * padding for i in shown) > available:
        optional = [i for i in shown if columns[i].priority > 0]
        if not optional:
            break
        shown.remove(max(optional, key=lambda i: (columns[i].priority, i)))
    return shown
