"""A bordered panel with a status line that says what is wrong with its data, and how old it is.

Fresh data shows nothing (and nothing ticks: 0 bytes/s on an idle board). Once the data is late
(older than twice its interval) or the vendor failed, the line shows the error, the data's age and
when the next try is due, updated once a second only while it is shown.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from tui.clock import wall_time
from tui.service.feed import FeedState
from tui.widgets.cells import age


def describe_state(state: FeedState[Any], now: float) -> str | None:
    """The status line for a feed state, or None when the data is fresh and healthy."""
    parts: list[str] = []
    if state.error is not None:
        parts.append(f"⚠ {state.error.message}")
    if state.fetched_at is None:
        if state.error is None:
            return "loading…"
        parts.append("no data yet")
    elif state.error is not None or state.is_late(now):
        parts.append(f"data {age(state.age(now) or 0)} old")
    if state.error is not None and state.loading:
        parts.append("retrying…")
    elif state.error is not None and state.retry_at is not None:
        left = max(0, round(state.retry_at - now))
        parts.append(f"vendor asks to wait {left}s" if state.vendor_wait else f"retry in {left}s")
    return " · ".join(parts) if parts else None


class PanelStatus(Static):
    DEFAULT_CSS = """
    PanelStatus { height: 1; color: $warning; display: none; padding: 0 1; }
    PanelStatus.-error { color: $error; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self._state: FeedState[Any] | None = None
        self._ticker: Timer | None = None
        self._shown: str | None = None
        self._late_check: Timer | None = None
        self._late_check_at = 0.0  # wall time the late check is due at

    def show_state(self, state: FeedState[Any]) -> None:
        self._state = state
        self._redraw()

    def _redraw(self) -> None:
        if self._state is None:
            return
        text = describe_state(self._state, wall_time())
        state = self._state
        needs_tick = text is not None and (state.error is not None or state.fetched_at is not None)
        if text != self._shown:
            self._shown = text
            self.display = text is not None
            self.set_class(state.error is not None, "-error")
            if text is not None:
                self.update(Text(text, no_wrap=True, overflow="ellipsis"))
        if needs_tick and self._ticker is None:
            self._ticker = self.set_interval(1.0, self._redraw)
        elif not needs_tick and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        # Fresh data becomes late without any new state: check again when it would. A check that
        # is already due no later than that stays (it finds the data fresh and sets the next one):
        # stopping and starting a timer on every poll of every panel cost a task each time.
        if text is None and state.updated_at is not None:
            late_at = state.updated_at + 2 * state.interval + 0.05
            if self._late_check is None or self._late_check_at > late_at:
                self._set_late_check(late_at)
        elif self._late_check is not None:
            self._late_check.stop()
            self._late_check = None

    def _set_late_check(self, at: float) -> None:
        if self._late_check is not None:
            self._late_check.stop()
        self._late_check_at = at
        self._late_check = self.set_timer(max(0.1, at - wall_time()), self._late_check_due, name="late-check")

    def _late_check_due(self) -> None:
        self._late_check = None
        self._redraw()


class Panel(Vertical):
    """A titled panel: a body widget and its PanelStatus."""

    DEFAULT_CSS = """
    Panel { border: round $foreground 30%; border-title-color: $foreground 80%; height: 1fr; padding: 0; }
    Panel:focus-within { border: round $accent; border-title-color: $accent; }
    Panel > .panel-note { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, title: str, *children, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self._title_text = title
        self.border_title = title
        self.status = PanelStatus()

    def on_mount(self) -> None:
        self.mount(self.status)

    def set_title(self, title: str) -> None:
        """Retitle only on a change: Textual repaints the whole panel, rows and all, on every set."""
        if title != self._title_text:
            self._title_text = title
            self.border_title = title

    def show_state(self, state: FeedState[Any]) -> None:
        self.status.show_state(state)
