"""The one-line header: product, profile, vendor, connection state, auto-refresh pause."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.service.push import PushState
from tui.service.session import ConnectionState, SessionStatus

_STATE_STYLE = {
    ConnectionState.CONNECTING: ("◌", "dim"),
    ConnectionState.CONNECTED: ("●", "green"),
    ConnectionState.MFA_REQUIRED: ("●", "yellow"),
    ConnectionState.BAD_CREDENTIALS: ("●", "red"),
    ConnectionState.DEGRADED: ("●", "yellow"),
    ConnectionState.OFFLINE: ("●", "red"),
}


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { dock: top; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, profile: str, vendor: str, screen_title: str, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.profile = profile
        self.vendor = vendor
        self.screen_title = screen_title
        self.status: SessionStatus | None = None
        self.paused = False
        self.read_only = False
        self._shown: Text | None = None

    def set_status(self, status: SessionStatus) -> None:
        self.status = status
        self._render_bar()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self._render_bar()

    def _render_bar(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Callboard", style="bold")
        text.append(f" · {self.screen_title} │ ", style="dim")
        text.append(self.profile, style="bold")
        text.append(f" · {self.vendor} │ ", style="dim")
        if self.status is not None:
            dot, style = _STATE_STYLE[self.status.state]
            text.append(f"{dot} {self.status.state.value}", style=style)
            if self.status.detail and self.status.state is not ConnectionState.CONNECTED:
                text.append(f": {self.status.detail}", style=style)
        push = self.status.push if self.status is not None else None
        if push is not None:
            if push.state is PushState.LIVE:
                text.append(" │ ⚡ push live", style="green")
            elif push.state in (PushState.FAILED, PushState.SILENT):
                text.append(f" │ push {push.state.value} ({push.detail}) — polling", style="bold yellow")
            elif push.state is PushState.WAITING:
                text.append(" │ push: waiting — polling", style="dim")
        if self.paused:
            text.append(" │ ⏸ auto-refresh paused", style="bold yellow")
        if self.read_only:
            text.append(" │ read-only", style="bold")
        if text != self._shown:
            self._shown = text
            self.update(text)
