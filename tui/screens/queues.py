"""Queues (key 1): per-queue figures with a trend, agents, waiting callers, callback requests."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from tui.domain import Agent, CallbackBoard, QueueBoard, WaitingCaller
from tui.keymap import key_name
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, Field
from tui.service.actions.base import Action
from tui.service.actions.queues import AgentLogin, AgentLogout, KickCallers, RemoveCallback, SetAgentPaused
from tui.service.feed import FeedState
from tui.service.session import ConnectionState, SessionStatus
from tui.vendors.base import Capability
from tui.widgets.cells import age_in_minutes, cell, duration, number, sparkline, when
from tui.widgets.live_table import Column, LiveTable
from tui.widgets.panel import Panel
from tui.widgets.row_cache import RowCache
from tui.widgets.trend import WaitingTrend

TREND_SAMPLES = 120
TREND_BUCKET_S = 10.0  # at most one trend bar per bucket (see WaitingTrend)
WIDE = 120  # from this width the summary's optional columns fit beside a long trend

SUMMARY_COLUMNS = [
    Column("queue", "Queue"),
    Column("waiting", "Wait", 4, hide_when_empty=True),
    Column("longest", "Longest", 7, priority=2, hide_when_empty=True),
    Column("free", "Free", 4),
    Column("busy", "Busy", 4),
    Column("paused", "Paus", 4),
    Column("answered", "Answ", 5, priority=1, hide_when_empty=True),
    Column("abandoned", "Aband", 5, priority=1, hide_when_empty=True),
    Column("hold", "Avg hold", 8, priority=3, hide_when_empty=True),
    Column("talk", "Avg talk", 8, priority=3, hide_when_empty=True),
    Column("strategy", "Strategy", 10, priority=4, hide_when_empty=True),
    Column("trend", "Waiting trend", hide_when_empty=True),
]
AGENT_COLUMNS = [
    Column("queue", "Queue"),
    Column("agent", "Agent"),
    Column("state", "State"),
    Column("calls", "Calls", 5, priority=1, hide_when_empty=True),
    Column("paused", "Paused", 6),
    Column("penalty", "Penalty", 7, priority=2, hide_when_empty=True),
    Column("last", "Last call", 9, priority=3, hide_when_empty=True),
]
WAITING_COLUMNS = [
    Column("queue", "Queue"),
    Column("position", "#", 2),
    Column("caller", "Caller"),
    Column("wait", "Wait", 5),
]
CALLBACK_COLUMNS = [
    Column("queue", "Queue"),
    Column("caller", "Caller"),
    Column("status", "Status"),
    Column("requested", "Requested", 16),
    Column("attempts", "Tries", 5, priority=1),
    Column("last", "Last attempt", 16, priority=2, hide_when_empty=True),
]

STATE_STYLE = {"idle": "green", "in call": "cyan", "busy": "cyan", "ringing": "bold cyan"}


class QueuesScreen(BoardScreen):
    TITLE = "Queues"
    FEEDS: ClassVar[tuple[str, ...]] = ("queues", "callbacks")
    ACTIONS: ClassVar[dict[str, type[Action]]] = {
        "toggle_agent_pause": SetAgentPaused,
        "kick_caller": KickCallers,
        "remove_callback": RemoveCallback,
        "agent_login": AgentLogin,
        "agent_logout": AgentLogout,
    }

    BINDINGS = [
        Binding(
            "space",
            "toggle_agent_pause",
            "Pause agent",
            id="queues.agent_pause",
            tooltip="Pause or unpause the agent under the cursor",
        ),
        Binding(
            "x",
            "kick_caller",
            "Kick",
            id="queues.kick",
            tooltip="Remove the waiting caller under the cursor (asks first)",
        ),
        Binding(
            "d",
            "remove_callback",
            "Del callback",
            id="queues.callback_remove",
            tooltip="Delete the callback request under the cursor (asks first)",
        ),
        Binding("i", "agent_login", "Log in", id="queues.agent_login", tooltip="Log an agent in to a queue"),
        Binding(
            "o",
            "agent_logout",
            "Log out",
            id="queues.agent_logout",
            tooltip="Log the agent under the cursor out of its queue (asks first)",
        ),
    ]

    DEFAULT_CSS = """
    QueuesScreen #summary-panel { height: auto; max-height: 40%; }
    QueuesScreen #summary { height: auto; max-height: 12; }
    QueuesScreen #middle { height: 2fr; }
    QueuesScreen #agents-panel { width: 3fr; }
    QueuesScreen #waiting-panel { width: 2fr; }
    QueuesScreen #callbacks-panel { height: 1fr; min-height: 5; }
    QueuesScreen #callbacks-panel.-note { height: 3; min-height: 3; }
    QueuesScreen #waiting-panel.-note { width: 1fr; }
    QueuesScreen #mfa-banner { display: none; height: auto; background: $warning 20%; padding: 0 1; }
    QueuesScreen #mfa-banner.-shown { display: block; }
    QueuesScreen .panel-note { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._trend = WaitingTrend(TREND_SAMPLES)
        self._agent_rows = RowCache(agent_cells, view=agent_view)
        self._waiting_rows = RowCache(waiting_row)
        self._queue_board: QueueBoard | None = None
        self._callback_board: CallbackBoard | None = None

    # -- layout -----------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static("", id="mfa-banner", markup=False)
        summary = LiveTable(SUMMARY_COLUMNS, id="summary")
        summary.can_focus = False  # a board to read; the cursor lives in the tables below
        summary.show_cursor = False
        yield Panel("Queues", summary, id="summary-panel")
        with Horizontal(id="middle"):
            yield Panel("Agents", LiveTable(AGENT_COLUMNS, id="agents"), id="agents-panel")
            waiting = self._table_or_note(
                Capability.QUEUE_WAITING,
                WAITING_COLUMNS,
                "waiting",
                "{vendor}'s API does not list waiting callers.",
            )
            yield Panel("Waiting callers", waiting, id="waiting-panel", classes=_note_class(waiting))
        callbacks = self._table_or_note(
            Capability.QUEUE_CALLBACKS, CALLBACK_COLUMNS, "callbacks", "{vendor} has no callback-request API."
        )
        yield Panel("Callback requests", callbacks, id="callbacks-panel", classes=_note_class(callbacks))

    def _table_or_note(self, capability: Capability, columns: list[Column], table_id: str, note: str):
        """The table when the vendor's API gives this data; otherwise a plain sentence saying so."""
        if self.session.vendor.supports(capability):
            return LiveTable(columns, id=table_id)
        return Static(
            note.format(vendor=self.session.vendor.display_name), classes="panel-note", markup=False
        )

    def on_mount(self) -> None:
        self.query_one("#agents", LiveTable).focus()

    def on_resize(self) -> None:
        if self._queue_board is not None:
            self._show_summary(self._queue_board)

    # -- data -> widgets --------------------------------------------------------------------------
    def show_status(self, status: SessionStatus) -> None:
        banner = self.query_one("#mfa-banner", Static)
        if status.state is ConnectionState.MFA_REQUIRED:
            banner.update(
                f"⚠ {self.session.name}: this session has not passed two-factor verification (MFA), "
                f"so {self.session.vendor.display_name} will not show queue data. "
                f"Press {key_name(self, 'board.verify', 'v')} to verify now."
            )
            banner.add_class("-shown")
        else:
            banner.remove_class("-shown")

    def show_queues(self, state: FeedState[QueueBoard]) -> None:
        for panel_id in ("#summary-panel", "#agents-panel", "#waiting-panel"):
            self.query_one(panel_id, Panel).show_state(state)
        board = state.data
        if board is None or board is self._queue_board:
            return  # no board yet, or the one on screen again (a poll starting, the screen shown again)
        if state.updated_at is not None:
            bucket = int(state.updated_at // TREND_BUCKET_S)
            for queue in board.queues:
                self._trend.sample(queue.queue_id, queue.waiting or 0, bucket)
        self._queue_board = board
        self._show_summary(board)
        agents = self._agent_rows.rows(board.agents, key=lambda a: a.key)
        self.query_one("#agents", LiveTable).set_rows(agents)
        if self.query("#waiting"):
            waiting = self._waiting_rows.rows(board.waiting, key=lambda w: w.key)
            self.query_one("#waiting", LiveTable).set_rows(waiting)

    def _show_summary(self, board: QueueBoard) -> None:
        fixed = 93 if self.size.width >= WIDE else 62
        width = max(6, min(TREND_SAMPLES, self.size.width - fixed))
        top = self._trend.top()
        rows = []
        for queue in board.queues:
            counts = board.counts(queue.queue_id)
            history = self._trend.values(queue.queue_id)
            trend = None if queue.waiting is None else sparkline(history, width, top=top)
            rows.append(
                (
                    queue.queue_id,
                    (
                        cell(queue.name, "bold"),
                        number(queue.waiting, "bold yellow" if queue.waiting else ""),
                        cell(duration(queue.longest_wait), justify="right"),
                        number(counts.free, "green"),
                        number(counts.busy, "cyan"),
                        number(counts.paused, "yellow" if counts.paused else ""),
                        number(queue.answered),
                        number(queue.abandoned, "red" if queue.abandoned else ""),
                        cell(duration(queue.avg_hold), justify="right"),
                        cell(duration(queue.avg_talk), justify="right"),
                        cell(queue.strategy),
                        cell(trend, "yellow") if trend is not None else cell(None),
                    ),
                )
            )
        self.query_one("#summary", LiveTable).set_rows(rows)

    def show_callbacks(self, state: FeedState[CallbackBoard]) -> None:
        self.query_one("#callbacks-panel", Panel).show_state(state)
        if state.data is None or not self.query("#callbacks"):
            return
        self._callback_board = state.data
        rows = []
        for request in state.data.requests:
            rows.append(
                (
                    request.key,
                    (
                        cell(request.queue_id),
                        cell(request.caller),
                        cell(request.status),
                        cell(when(request.requested_at)),
                        number(request.attempts),
                        cell(when(request.last_attempt)),
                    ),
                )
            )
        self.query_one("#callbacks", LiveTable).set_rows(rows)

    # -- the row under the cursor -----------------------------------------------------------------
    def _agent_under_cursor(self) -> Agent | None:
        key = self.query_one("#agents", LiveTable).current_key()
        if key is None or self._queue_board is None:
            return None
        return next((a for a in self._queue_board.agents if a.key == key), None)

    def _caller_under_cursor(self) -> WaitingCaller | None:
        if not self.query("#waiting"):
            return None
        key = self.query_one("#waiting", LiveTable).current_key()
        if key is None or self._queue_board is None:
            return None
        return next((w for w in self._queue_board.waiting if w.key == key), None)

    # -- actions ------------------------------------------------------------------------------------
    def action_toggle_agent_pause(self) -> None:
        agent = self._agent_under_cursor()
        if agent is None:
            self.notify("No agent under the cursor", severity="warning")
            return
        self.perform(
            SetAgentPaused(queue_id=agent.queue_id, agent_id=agent.agent_id, paused=not agent.paused)
        )

    def action_kick_caller(self) -> None:
        caller = self._caller_under_cursor()
        if caller is None:
            self.notify("No waiting caller under the cursor", severity="warning")
            return
        form = ActionForm(
            "Kick from the queue?",
            f"Caller {caller.caller} (position {caller.position}, waiting {duration(caller.wait_seconds)}) "
            f"will be removed from queue {caller.queue_id}.",
            [Field("goto", "Send to extension (optional, e.g. /1):", placeholder="leave empty to hang up")],
            lambda v: KickCallers(
                queue_id=caller.queue_id, call_ids=(caller.call_id,), goto=v["goto"] or None
            ),
            confirm_label="Kick",
            destructive=True,
        )
        self.ask_then_perform(form)

    def action_remove_callback(self) -> None:
        if not self.query("#callbacks") or self._callback_board is None:
            return
        key = self.query_one("#callbacks", LiveTable).current_key()
        request = next((r for r in self._callback_board.requests if r.key == key), None)
        if request is None:
            self.notify("No callback request under the cursor", severity="warning")
            return
        self.confirm_then_perform(
            RemoveCallback(request_id=request.request_id),
            "Remove callback request?",
            f"{request.caller} asked queue {request.queue_id} to call back; the request will be deleted.",
            "Remove",
        )

    def action_agent_login(self) -> None:
        agent = self._agent_under_cursor()
        queues = [q.queue_id for q in self._queue_board.queues] if self._queue_board else []
        form = ActionForm(
            "Log an agent in to a queue",
            f"Queues: {', '.join(queues)}" if queues else "",
            [
                Field("queue_id", "Queue:", agent.queue_id if agent else (queues[0] if queues else "")),
                Field("extension", "Agent's extension:", placeholder="e.g. 801"),
            ],
            lambda v: AgentLogin(queue_id=_known_queue(v["queue_id"], queues), extension=v["extension"]),
            confirm_label="Log in",
        )
        self.ask_then_perform(form)

    def action_agent_logout(self) -> None:
        agent = self._agent_under_cursor()
        if agent is None or not agent.extension:
            self.notify("No agent under the cursor", severity="warning")
            return
        self.confirm_then_perform(
            AgentLogout(queue_id=agent.queue_id, extension=agent.extension),
            "Log the agent out?",
            f"{agent.name} (extension {agent.extension}) will leave queue {agent.queue_id} and get no more "
            "calls from it until logged in again.",
            "Log out",
        )


def _note_class(body) -> str:
    """Panels that hold only a sentence give their room to the tables."""
    return "" if isinstance(body, LiveTable) else "-note"


def _known_queue(value: str, queues: list[str]) -> str:
    queue = value.strip()
    if queues and queue not in queues:
        raise ValueError(f"no queue {queue!r} on this board; queues: {', '.join(queues)}")
    return queue


def agent_view(agent: Agent) -> tuple:
    """What an agent's row shows. The last call's age is in minutes ("<1m", "3m"), so a ticking
    vendor clock does not redraw every row every poll."""
    seconds = agent.last_call_seconds_ago
    ago = None if seconds is None else age_in_minutes(seconds) + " ago"
    return (
        agent.queue_id,
        agent.name,
        agent.state_label,
        agent.state.value,
        agent.calls_taken,
        agent.paused,
        agent.penalty,
        ago,
    )


def agent_cells(view: tuple) -> tuple[Text, ...]:
    queue_id, name, state_label, state, calls_taken, paused, penalty, ago = view
    return (
        cell(queue_id),
        cell(name),
        cell(state_label, STATE_STYLE.get(state, "dim")),
        number(calls_taken),
        cell("paused" if paused else "", "bold yellow"),
        number(penalty),
        cell(ago, justify="right"),
    )


def agent_row(agent: Agent) -> tuple[Text, ...]:
    return agent_cells(agent_view(agent))


def waiting_row(caller: WaitingCaller) -> tuple[Text, ...]:
    return (
        cell(caller.queue_id),
        number(caller.position),
        cell(caller.caller),
        cell(duration(caller.wait_seconds), "yellow" if caller.wait_seconds >= 60 else "", justify="right"),
    )
