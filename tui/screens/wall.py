"""The NOC wall (`--wall`): big counters per queue, alarm colours and a bell past the configured
thresholds, cycling through the boards of every profile. Read-only; nothing blinks or ticks.

Every profile's queue feed stays subscribed for as long as the wall is up, so an alarm on a board
that is not on screen still rings; a vendor outage keeps the last figures with their age and error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Label, Static

from tui.config import WallConfig
from tui.domain import QueueBoard
from tui.screens.first_paint import PaintsWithFirstData
from tui.service.alarms import AlarmBell, Thresholds, in_quiet_hours, queue_alarms
from tui.service.feed import FeedState
from tui.service.session import ProfileSession
from tui.vendors.base import Capability
from tui.widgets.cells import duration
from tui.widgets.panel import PanelStatus
from tui.widgets.status_bar import StatusBar

METRICS = (("waiting", "WAITING"), ("longest", "LONGEST WAIT"), ("free", "AGENTS FREE"))


class QueueCard(Vertical):
    DEFAULT_CSS = """
    QueueCard { border: heavy $foreground 40%; height: auto; padding: 0 1; }
    QueueCard.-alarm { border: heavy $error; background: $error 15%; }
    QueueCard Horizontal { height: auto; }
    QueueCard .metric { width: 1fr; height: auto; align-horizontal: center; }
    QueueCard .metric Label { width: 100%; content-align: center middle; color: $text-muted; }
    QueueCard .metric Digits { width: auto; }
    QueueCard .metric.-alarm Digits { color: $error; text-style: bold; }
    """

    def __init__(self, queue_id: str) -> None:
        super().__init__()
        self.queue_id = queue_id
        self.border_title = queue_id
        self._pending: tuple[dict[str, str], frozenset[str]] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            for key, caption in METRICS:
                with Vertical(classes="metric", id=f"m-{key}"):
                    yield Label(caption)
                    yield Digits("–")

    def on_mount(self) -> None:
        if self._pending is not None:
            self.show(*self._pending)

    def show(self, values: dict[str, str], alarms: frozenset[str]) -> None:
        self._pending = (values, alarms)
        # Not composed yet (on_mount shows it), or already being removed by a quick second cycle.
        if not self.is_attached or len(self.query(Digits)) < len(METRICS):
            return
        self.set_class(bool(alarms), "-alarm")
        for key, _caption in METRICS:
            metric = self.query_one(f"#m-{key}", Vertical)
            metric.set_class(key in alarms, "-alarm")
            digits = metric.query_one(Digits)
            if digits.value != values[key]:  # only a changed figure is drawn again
                digits.update(values[key])


class WallScreen(PaintsWithFirstData, Screen):
    BINDINGS = [
        Binding("right_square_bracket", "cycle(1)", "Next board", id="wall.next"),
        Binding("left_square_bracket", "cycle(-1)", "Previous board", id="wall.prev"),
    ]

    DEFAULT_CSS = """
    WallScreen #boards { height: auto; }
    WallScreen .cards { grid-size: 1; grid-gutter: 0 1; height: auto; padding: 0 1; }
    WallScreen.-wide .cards { grid-size: 2; }
    WallScreen #wall-note { color: $text-muted; padding: 0 1; height: auto; }
    """

    def __init__(self, sessions: dict[str, ProfileSession], labels: dict[str, str], wall: WallConfig) -> None:
        super().__init__()
        self.sessions = {n: s for n, s in sessions.items() if s.vendor.supports(Capability.QUEUES)}
        self.labels = labels
        self.wall = wall
        self.limits = Thresholds(wall.waiting_alarm, wall.longest_wait_alarm, wall.free_agents_alarm)
        self.bell = AlarmBell()
        self.current = next(iter(self.sessions), None)
        self._states: dict[str, FeedState[QueueBoard]] = {}
        # Each profile's board is built once and kept (hidden while another is shown): cycling
        # shows and hides, it does not build and throw away a dozen widgets every few seconds.
        self._grids: dict[str, Grid] = {}
        self._cards: dict[str, dict[str, QueueCard]] = {}  # each board's cards, by queue, in order
        self._unsubscribe: list[Any] = []

    def compose(self) -> ComposeResult:
        yield StatusBar(self.current or "–", self.labels.get(self.current or "", ""), "Wall")
        yield Vertical(id="boards")
        yield PanelStatus(id="wall-status")
        yield Static("", id="wall-note", markup=False)

    def on_mount(self) -> None:
        self.await_first_data([] if self.current is None else [self.current])
        if self.current is None:
            self.query_one("#wall-note", Static).update("No profile with queues to show.")
            return
        for name, session in self.sessions.items():
            feed = session.feed("queues")
            self._unsubscribe.append(feed.subscribe(lambda state, n=name: self._feed_changed(n, state)))
            listener = session.on_status(lambda status, n=name: self._status_changed(n, status))
            self._unsubscribe.append(listener)
        if len(self.sessions) > 1:
            self.set_interval(self.wall.cycle_seconds, self.action_cycle, name="wall-cycle")
        self._show_board()

    def on_unmount(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 140, "-wide")

    # -- data ---------------------------------------------------------------------------------------
    def _feed_changed(self, profile: str, state: FeedState[QueueBoard]) -> None:
        self._states[profile] = state
        if state.data is not None:
            self._check_alarms(profile, state.data)
        if profile == self.current and self.is_mounted:
            self._draw(state)
            self.drew(profile, state)

    def _status_changed(self, profile: str, status) -> None:
        if profile == self.current and self.is_mounted:
            self.query_one(StatusBar).set_status(status)

    def _check_alarms(self, profile: str, board: QueueBoard) -> None:
        rang = False
        for queue in board.queues:
            alarms = queue_alarms(queue, board.counts(queue.queue_id), self.limits)
            rang |= self.bell.update(f"{profile}\x1f{queue.queue_id}", alarms)
        quiet = in_quiet_hours(self.wall.quiet_hours, datetime.now().time())
        if rang and self.wall.bell and not quiet:
            self.app.bell()

    def _draw(self, state: FeedState[QueueBoard]) -> None:
        self.query_one("#wall-status", PanelStatus).show_state(state)
        board = state.data
        if board is None:
            return
        wanted = [q.queue_id for q in board.queues]
        cards = self._cards.get(self.current, {})
        if list(cards) != wanted:  # a board not drawn yet, or its queues changed: new cards
            grid = self._grid_of(self.current)
            grid.remove_children()
            cards = self._cards[self.current] = {queue_id: QueueCard(queue_id) for queue_id in wanted}
            grid.mount_all(cards.values())
        for queue in board.queues:
            counts = board.counts(queue.queue_id)
            values = {
                "waiting": "–" if queue.waiting is None else str(queue.waiting),
                "longest": "–" if queue.longest_wait is None else duration(queue.longest_wait),
                "free": str(counts.free),
            }
            alarms = self.bell.active.get(f"{self.current}\x1f{queue.queue_id}", frozenset())
            cards[queue.queue_id].show(values, alarms)
        vendor = self.labels.get(self.current or "", "")
        note = "" if board.lists_waiting else f"{vendor} does not list waiting callers."
        self.query_one("#wall-note", Static).update(Text(note))

    # -- cycling ------------------------------------------------------------------------------------
    def action_cycle(self, step: int = 1) -> None:
        names = list(self.sessions)
        if len(names) < 2 or self.current is None:
            return
        self.current = names[(names.index(self.current) + step) % len(names)]
        self._show_board()

    def _show_board(self) -> None:
        bar = self.query_one(StatusBar)
        bar.profile, bar.vendor = self.current, self.labels.get(self.current, "")
        bar.read_only = True
        bar.set_status(self.sessions[self.current].status)
        self._grid_of(self.current)
        for profile, grid in self._grids.items():
            grid.display = profile == self.current
        state = self._states.get(self.current)
        if state is not None:
            self._draw(state)

    def _grid_of(self, profile: str) -> Grid:
        grid = self._grids.get(profile)
        if grid is None:
            grid = self._grids[profile] = Grid(classes="cards")
            grid.display = profile == self.current
            self.query_one("#boards", Vertical).mount(grid)
        return grid

    def shown_cards(self) -> list[QueueCard]:
        """The cards of the board on the wall now."""
        return list(self._cards.get(self.current or "", {}).values())


class ProfileWallScreen(WallScreen):
    """The wall, wearing the theme of the profile whose board it shows (production vs staging)."""

    TITLE = "Wall"

    def action_cycle(self, step: int = 1) -> None:
        super().action_cycle(step)
        if self.current is not None:
            self.app.show_theme_of(self.current)
