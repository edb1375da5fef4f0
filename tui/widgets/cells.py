"""Turning values into table cells. Vendor text is never parsed as markup."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from tui.widgets.bidi import display_text

BARS = "▁▂▃▄▅▆▇█"


def cell(value: object, style: str = "", *, justify: str = "left") -> Text:
    """A safe cell: `[bold]x[/]` from a vendor stays literal text."""
    if isinstance(value, Text):
        return value
    text = "–" if value is None else display_text(str(value))
    return Text(text, style=style, justify=justify, no_wrap=True, overflow="ellipsis")


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


def sparkline(values: list[int] | tuple[int, ...], width: int, top: int | None = None) -> str:
    """The last `width` values as block characters, scaled to `top` (default: the largest shown)."""
    shown = list(values)[-width:]
    if not shown:
        return ""
    top = max(shown) if top is None else top
    if top <= 0:
        return BARS[0] * len(shown)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in shown)
