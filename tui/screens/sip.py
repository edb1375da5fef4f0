"""SIP (key 2): accounts / extensions and their registration, latency and expiry."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tui.domain import SipAccount, SipBoard
from tui.screens.board import BoardScreen
from tui.service.feed import FeedState
from tui.vendors.base import Capability
from tui.widgets.cells import age, cell, number
from tui.widgets.live_table import Column, LiveTable
from tui.widgets.panel import Panel

SIP_COLUMNS = [
    Column("user", "User"),
    Column("extension", "Ext", priority=1, hide_when_empty=True),
    Column("kind", "Type", priority=2, hide_when_empty=True),
    Column("registered", "Registered", 10),
    Column("status", "Status"),
    Column("address", "Address", priority=1, hide_when_empty=True),
    Column("latency", "Latency", 7, priority=1, hide_when_empty=True),
    Column("caller_id", "Caller ID", priority=3, hide_when_empty=True),
    Column("agent", "User agent", priority=4, hide_when_empty=True),
    Column("contact", "Contact", priority=5, hide_when_empty=True),
    Column("expires", "Expires in", 10, priority=2, hide_when_empty=True),
]


def registered_cell(value: bool | None) -> Text:
    if value is None:
        return cell(None)
    return cell("yes", "green") if value else cell("no", "bold red")


def latency_cell(ms: int | None) -> Text:
    if ms is None:
        return number(None)
    return cell(f"{ms} ms", "yellow" if ms >= 200 else "", justify="right")


def expires_cell(expires_at, now: float) -> Text:
    """Coarse ("4m"), so the column changes about once a minute, not every second."""
    if expires_at is None:
        return cell(None)
    left = expires_at.timestamp() - now
    return cell("expired", "bold red") if left <= 0 else cell(age(left), justify="right")


def sip_row(account: SipAccount, now: float) -> tuple[Text, ...]:
    return (
        cell(account.user, "bold"),
        cell(account.extension),
        cell(account.kind or account.transport),
        registered_cell(account.registered),
        cell(account.status),
        cell(account.address),
        latency_cell(account.latency_ms),
        cell(account.caller_id),
        cell(account.user_agent),
        cell(account.contact_uri),
        expires_cell(account.expires_at, now),
    )


class SipScreen(BoardScreen):
    TITLE = "SIP"
    FEEDS: ClassVar[tuple[str, ...]] = ("sip",)

    DEFAULT_CSS = """
    SipScreen .notice { margin: 2 4; padding: 1 2; border: round $foreground 30%; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        vendor = self.session.vendor
        if not vendor.supports(Capability.SIP):
            yield Static(vendor.lacks(Capability.SIP, "SIP"), classes="notice", markup=False)
            return
        yield Panel("SIP accounts", LiveTable(SIP_COLUMNS, id="sip"), id="sip-panel")

    def on_mount(self) -> None:
        if self.query("#sip"):
            self.query_one("#sip", LiveTable).focus()

    def show_sip(self, state: FeedState[SipBoard]) -> None:
        panel = self.query_one("#sip-panel", Panel)
        panel.show_state(state)
        board = state.data
        if board is None:
            return
        registered = sum(1 for a in board.accounts if a.registered)
        limit = f" of {board.account_limit} allowed" if board.account_limit is not None else ""
        panel.border_title = f"SIP accounts · {len(board.accounts)}{limit} · {registered} registered"
        now = time.time()
        self.query_one("#sip", LiveTable).set_rows((a.key, sip_row(a, now)) for a in board.accounts)
