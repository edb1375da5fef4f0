"""Turning values into table cells. Vendor text is never parsed as markup."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text

from tui.widgets.bidi import display_text, reordering

BARS = "▁▂▃▄▅▆▇█"


#: Cells already made, by what they show. A board's refresh builds thousands of cells that mostly
#: show what they showed before (queue ids, names, states, counts); tables never change a cell.
#: The oldest goes when a new one comes to a full memo: it stays at its size for good. (Emptied
#: whole when full, it swung between nothing and ~3 MB, and a console left open grew by what the
#: swings left scattered over the allocator's arenas.) 2,048 hold a big board's working set.
_made: dict[tuple, Text] = {}
MADE_CELLS_KEPT = 2048
_PLAIN_VALUES = (str, int, float, type(None))
EMPTY = frozenset({"", "–"})  # what an empty cell shows

#: A cell's look (what Text's own == leaves out: style, spans, justification), its width in cells,
#: and whether it holds a value. Tables read these for every changed row of every refresh.
CellFacts = tuple[tuple, int, bool]
#: The facts of the cells kept in `_made`, by id: an id here is always the kept cell's (it is
#: alive in `_made`, and leaves both together), so no other cell can be taken for it.
_facts: dict[int, CellFacts] = {}


def cell_facts(text: Text) -> CellFacts:
    facts = _facts.get(id(text))
    if facts is None:
        plain = text.plain
        facts = (plain, str(text.style), tuple(text.spans), text.justify), cell_len(plain), plain not in EMPTY
    return facts


def cell(value: object, style: str = "", *, justify: str = "left") -> Text:
    """A safe cell: `[bold]x[/]` from a vendor stays literal text. Treat it as read-only: it may
    be shared with other cells that show the same."""
    if isinstance(value, Text):
        return value
    kind = type(value)
    known = kind in _PLAIN_VALUES
    if known:
        key = (kind, value, style, justify, reordering())
        made = _made.get(key)
        if made is not None:
            return made
    text = "–" if value is None else display_text(str(value))
    made = Text(text, style=style, justify=justify, no_wrap=True, overflow="ellipsis")
    if known:
        if len(_made) >= MADE_CELLS_KEPT:
            oldest = _made.pop(next(iter(_made)))
            del _facts[id(oldest)]
        _made[key] = made
        _facts[id(made)] = cell_facts(made)
    return made


def when(value: datetime | str | None) -> str | None:
    """A moment in local time, "YYYY-MM-DD HH:MM"; text that is not ISO stays as it came."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def number(value: int | float | None, style: str = "") -> Text:
    return cell(value, style, justify="right")


def duration(seconds: float | int | None) -> str:
    """42 -> "0:42", 3725 -> "1:02:05"."""
    if seconds is None:
        return "–"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def age(seconds: float) -> str:
    """A coarse age that changes rarely: 45s, 3m, 2h, 4d."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def age_in_minutes(seconds: float) -> str:
    """An age for a column of many rows: under a minute is "<1m", so it does not tick every poll
    (500 agents' "last call 12s ago" redrew a third of the board every refresh, for nothing a
    supervisor reads at a glance)."""
    return "<1m" if seconds < 60 else age(seconds)


def sparkline(values: list[int] | tuple[int, ...], width: int, top: int | None = None) -> str:
    """The last `width` values as block characters, scaled to `top` (default: the largest shown)."""
    shown = list(values)[-width:]
    if not shown:
        return ""
    top = max(shown) if top is None else top
    if top <= 0:
        return BARS[0] * len(shown)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in shown)
