"""Calls (key 5): live calls with a ticking duration, and the inbound blacklist.

Hang up (asks first), transfer, listen in, click-to-call; blacklist add and delete (asks first).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from tui.clock import wall_time
from tui.domain import Blacklist, CallsBoard, LiveCall
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, Field
from tui.service.actions.base import Action
from tui.service.actions.calls import (
    BlacklistAdd,
    BlacklistRemove,
    ClickToCall,
    HangupCall,
    SpyCall,
    TransferCall,
)
from tui.service.feed import FeedState
from tui.vendors.base import Capability
from tui.widgets.cells import cell, duration
from tui.widgets.live_table import Column, LiveTable
from tui.widgets.panel import Panel

CALL_COLUMNS = [
    Column("caller", "Caller"),
    Column("callee", "Callee"),
    Column("state", "State"),
    Column("duration", "Duration", 8),
    Column("extension", "Ext"),
    Column("caller_name", "Caller name", priority=2, hide_when_empty=True),
    Column("callee_name", "Callee name", priority=2, hide_when_empty=True),
    Column("channel", "Channel", priority=3, hide_when_empty=True),
]
BLACKLIST_COLUMNS = [Column("number", "Number")]


def call_row(call: LiveCall, as_of: float) -> tuple[Text, ...]:
    seconds = None if call.started_at is None else max(0.0, as_of - call.started_at)
    return (
        cell(call.caller, "bold"),
        cell(call.callee),
        cell(call.state, "green" if call.state == "Up" else "yellow"),
        cell(duration(seconds), justify="right"),
        cell(call.extension),
        cell(call.caller_name),
        cell(call.callee_name),
        cell(call.channel),
    )


def describe_call(call: LiveCall) -> str:
    return f"{call.caller} → {call.callee} on extension {call.extension or '–'}"


class CallsScreen(BoardScreen):
    TITLE = "Calls"
    FEEDS: ClassVar[tuple[str, ...]] = ("calls", "blacklist")
    ACTIONS: ClassVar[dict[str, type[Action]]] = {
        "hangup": HangupCall,
        "transfer": TransferCall,
        "listen": SpyCall,
        "click_to_call": ClickToCall,
        "blacklist_add": BlacklistAdd,
        "blacklist_remove": BlacklistRemove,
    }

    BINDINGS = [
        Binding(
            "x",
            "hangup",
            "Hang up",
            id="calls.hangup",
            tooltip="Hang up the call under the cursor (asks first)",
        ),
        Binding(
            "t", "transfer", "Transfer", id="calls.transfer", tooltip="Transfer the call to an extension"
        ),
        Binding("l", "listen", "Listen", id="calls.spy", tooltip="Listen in on the call from an extension"),
        Binding(
            "c",
            "click_to_call",
            "Call",
            id="calls.click_to_call",
            tooltip="Ring one number, then dial another",
        ),
        Binding(
            "n",
            "blacklist_add",
            "Block",
            id="calls.blacklist_add",
            tooltip="Add a number to the blacklist",
        ),
        Binding(
            "d",
            "blacklist_remove",
            "Unblock",
            id="calls.blacklist_remove",
            tooltip="Remove the blacklisted number under the cursor (asks first)",
        ),
    ]

    DEFAULT_CSS = """
    CallsScreen #calls-panel { width: 3fr; }
    CallsScreen #blacklist-panel { width: 1fr; min-width: 22; }
    """

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._calls: CallsBoard | None = None
        self._blacklist: Blacklist | None = None

    def compose_body(self) -> ComposeResult:
        vendor = self.session.vendor
        has_calls = vendor.supports(Capability.CALLS)
        has_blacklist = vendor.supports(Capability.BLACKLIST)
        if not (has_calls or has_blacklist):
            yield self.lacking(Capability.CALLS, "live-calls")
            return
        with Horizontal():
            if has_calls:
                yield Panel("Live calls", LiveTable(CALL_COLUMNS, id="calls"), id="calls-panel")
            if has_blacklist:
                yield Panel("Blacklist", LiveTable(BLACKLIST_COLUMNS, id="blacklist"), id="blacklist-panel")

    def on_mount(self) -> None:
        tables = self.query(LiveTable)
        if tables:
            tables.first().focus()

    # -- data -> widgets ----------------------------------------------------------------------------
    def show_calls(self, state: FeedState[CallsBoard]) -> None:
        panel = self.query_one("#calls-panel", Panel)
        panel.show_state(state)
        if state.data is None:
            return
        self._calls = state.data
        panel.set_title(f"Live calls · {len(state.data.calls)}")
        # Durations as of the data, not ticking between polls: a board whose calls have not changed
        # writes nothing (SPEC §9), and each poll or push brings them up to date.
        as_of = state.updated_at if state.updated_at is not None else wall_time()
        self.query_one("#calls", LiveTable).set_rows((c.key, call_row(c, as_of)) for c in state.data.calls)

    def show_blacklist(self, state: FeedState[Blacklist]) -> None:
        panel = self.query_one("#blacklist-panel", Panel)
        panel.show_state(state)
        if state.data is None:
            return
        self._blacklist = state.data
        panel.set_title(f"Blacklist · {len(state.data.numbers)}")
        self.query_one("#blacklist", LiveTable).set_rows((n, (cell(n),)) for n in state.data.numbers)

    # -- the row under the cursor -------------------------------------------------------------------
    def _call_under_cursor(self) -> LiveCall | None:
        if not self.query("#calls") or self._calls is None:
            return None
        key = self.query_one("#calls", LiveTable).current_key()
        return next((c for c in self._calls.calls if c.key == key), None)

    def _need_call(self) -> LiveCall | None:
        call = self._call_under_cursor()
        if call is None:
            self.notify("No call under the cursor", severity="warning")
        return call

    # -- actions ------------------------------------------------------------------------------------
    def action_hangup(self) -> None:
        call = self._need_call()
        if call is not None:
            self.confirm_then_perform(
                HangupCall(call=call),
                "Hang up this call?",
                f"{describe_call(call)} ({call.state}) will be cut off.",
                "Hang up",
            )

    def action_transfer(self) -> None:
        call = self._need_call()
        if call is not None:
            self.ask_then_perform(
                ActionForm(
                    "Transfer the call",
                    describe_call(call),
                    [Field("to_extension", "To extension:", placeholder="e.g. 802")],
                    lambda v: TransferCall(call=call, to_extension=v["to_extension"]),
                    confirm_label="Transfer",
                )
            )

    def action_listen(self) -> None:
        call = self._need_call()
        if call is not None:
            self.ask_then_perform(
                ActionForm(
                    "Listen to the call",
                    f"{describe_call(call)}: the listener's phone rings, then hears the call.",
                    [Field("listener", "Listen from extension:", placeholder="e.g. 800")],
                    lambda v: SpyCall(call=call, listener=v["listener"]),
                    confirm_label="Listen",
                )
            )

    def action_click_to_call(self) -> None:
        self.ask_then_perform(
            ActionForm(
                "Place a call",
                "The PBX rings the first number; when it answers, it dials the second.",
                [
                    Field("source", "Ring first (extension):", placeholder="e.g. 808"),
                    Field("destination", "Then dial:", placeholder="extension or phone number"),
                ],
                lambda v: ClickToCall(source=v["source"], destination=v["destination"]),
                confirm_label="Call",
            )
        )

    def action_blacklist_add(self) -> None:
        focused_calls = self.focused is not None and self.focused.id == "calls"
        call = self._call_under_cursor() if focused_calls else None
        self.ask_then_perform(
            ActionForm(
                "Add to the blacklist",
                "Calls from this number will be refused.",
                [Field("number", "Number:", call.caller if call else "", placeholder="e.g. 0501234567")],
                lambda v: BlacklistAdd(number=v["number"]),
                confirm_label="Add",
            )
        )

    def action_blacklist_remove(self) -> None:
        if not self.query("#blacklist"):
            return
        number = self.query_one("#blacklist", LiveTable).current_key()
        if number is None:
            self.notify("No blacklisted number under the cursor", severity="warning")
            return
        self.confirm_then_perform(
            BlacklistRemove(number=number),
            "Remove from the blacklist?",
            f"Calls from {number} will be accepted again.",
            "Remove",
        )
