"""SIP (key 2): accounts / extensions and their registration, latency and expiry."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.clock import wall_time
from tui.domain import ActionResult, SipAccount, SipBoard
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, Field
from tui.service.actions.base import Action
from tui.service.actions.sip import (
    CreateSipAccount,
    DeleteSipAccounts,
    SetSipCallerId,
    SetSipExtension,
    SetSipTransport,
)
from tui.service.feed import FeedState
from tui.vendors.base import Capability, NotSupported
from tui.widgets.cells import cell, number
from tui.widgets.live_table import Column, LiveTable
from tui.widgets.panel import Panel

SIP_COLUMNS = [
    Column("mark", "", 1),
    Column("user", "User"),
    Column("account", "Acct", 4, priority=2, hide_when_empty=True),
    Column("extension", "Ext", priority=1, hide_when_empty=True),
    Column("kind", "Type", priority=2, hide_when_empty=True),
    Column("registered", "Registered", 10),
    Column("status", "Status"),
    Column("address", "Address", priority=1, hide_when_empty=True),
    Column("latency", "Latency", 7, priority=1, hide_when_empty=True),
    Column("caller_id", "Caller ID", priority=3, hide_when_empty=True),
    Column("agent", "User agent", priority=4, hide_when_empty=True),
    Column("contact", "Contact", priority=5, hide_when_empty=True),
    Column("expires", "Expires", 10, priority=2, hide_when_empty=True),
]


def registered_cell(value: bool | None) -> Text:
    if value is None:
        return cell(None)
    return cell("yes", "green") if value else cell("no", "bold red")


def latency_cell(ms: int | None) -> Text:
    if ms is None:
        return number(None)
    return cell(f"{ms} ms", "yellow" if ms >= 200 else "", justify="right")


def expires_cell(expires_at, as_of: float) -> Text:
    """When the registration runs out, as a time of day: it does not tick, so a steady board writes
    nothing (SPEC §9). Red "expired" when it had run out by the time of the data, yellow within a minute.
    """
    if expires_at is None:
        return cell(None)
    left = expires_at.timestamp() - as_of
    if left <= 0:
        return cell("expired", "bold red")
    local = expires_at.astimezone()
    shown = local.strftime("%H:%M:%S") if left < 86400 else local.strftime("%Y-%m-%d %H:%M")
    return cell(shown, "yellow" if left < 60 else "", justify="right")


def sip_row(account: SipAccount, as_of: float, marked: bool = False) -> tuple[Text, ...]:
    return (
        cell("✓" if marked else "", "bold yellow"),
        cell(account.user, "bold"),
        number(account.account_number),
        cell(account.extension),
        cell(account.kind or account.transport),
        registered_cell(account.registered),
        cell(account.status),
        cell(account.address),
        latency_cell(account.latency_ms),
        cell(account.caller_id),
        cell(account.user_agent),
        cell(account.contact_uri),
        expires_cell(account.expires_at, as_of),
    )


class SipScreen(BoardScreen):
    TITLE = "SIP"
    FEEDS: ClassVar[tuple[str, ...]] = ("sip",)
    ACTIONS: ClassVar[dict[str, type[Action]]] = {
        "create": CreateSipAccount,
        "delete": DeleteSipAccounts,
        "mark": DeleteSipAccounts,
        "transport": SetSipTransport,
        "caller_id": SetSipCallerId,
        "extension": SetSipExtension,
    }

    BINDINGS = [
        Binding("n", "create", "New", id="sip.create", tooltip="Create a SIP account (optional extension)"),
        Binding("space", "mark", "Mark", id="sip.mark", tooltip="Mark accounts to delete several at once"),
        Binding("d", "delete", "Delete", id="sip.delete", tooltip="Delete the marked accounts (asks first)"),
        Binding(
            "t", "transport", "UDP/WSS", id="sip.transport", tooltip="Switch the account between UDP and WSS"
        ),
        Binding(
            "c", "caller_id", "Caller ID", id="sip.caller_id", tooltip="Set the caller ID (checked first)"
        ),
        Binding(
            "e", "extension", "Extension", id="sip.extension", tooltip="Set or clear the extension number"
        ),
    ]

    DEFAULT_CSS = """
    SipScreen #sip-off { display: none; }
    """

    def compose_body(self) -> ComposeResult:
        notice = self.lacking(Capability.SIP, "SIP")
        if notice is not None:
            yield notice
            return
        yield Static("", id="sip-off", classes="notice", markup=False)
        yield Panel("SIP accounts", LiveTable(SIP_COLUMNS, id="sip"), id="sip-panel")

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._board: SipBoard | None = None
        self._marked: set[str] = set()
        self._as_of: float = 0.0  # when the board's data was fetched: what "expired" is measured at

    def on_mount(self) -> None:
        if self.query("#sip"):
            self.query_one("#sip", LiveTable).focus()

    def show_sip(self, state: FeedState[SipBoard]) -> None:
        panel = self.query_one("#sip-panel", Panel)
        panel.show_state(state)
        # A server without SIP is a fact about this account, not a fault: say it plainly instead of a table.
        sip_off = isinstance(state.error, NotSupported)
        notice = self.query_one("#sip-off", Static)
        notice.display, panel.display = sip_off, not sip_off
        if sip_off:
            notice.update(state.error.message)
        board = state.data
        if board is None:
            return
        self._board = board
        self._as_of = state.updated_at if state.updated_at is not None else wall_time()
        registered = sum(1 for a in board.accounts if a.registered)
        limit = f" of {board.account_limit} allowed" if board.account_limit is not None else ""
        panel.set_title(f"SIP accounts · {len(board.accounts)}{limit} · {registered} registered")
        self._marked &= {a.key for a in board.accounts}
        self._draw()

    def _draw(self) -> None:
        if self._board is None or not self.is_mounted:
            return
        rows = ((a.key, sip_row(a, self._as_of, a.key in self._marked)) for a in self._board.accounts)
        self.query_one("#sip", LiveTable).set_rows(rows)

    # -- actions --------------------------------------------------------------------------------------
    def _account(self) -> SipAccount | None:
        if self._board is None or not self.query("#sip"):
            return None
        key = self.query_one("#sip", LiveTable).current_key()
        account = next((a for a in self._board.accounts if a.key == key), None)
        if account is None:
            self.notify("No account under the cursor", severity="warning")
        return account

    def action_mark(self) -> None:
        account = self._account()
        if account is not None:
            self._marked ^= {account.key}
            self._draw()

    def action_create(self) -> None:
        self.ask_then_perform(
            ActionForm(
                "Create a SIP account",
                "Its password is copied to the clipboard, never shown.",
                [Field("extension", "Extension number (200–10000, optional):", placeholder="e.g. 201")],
                lambda v: CreateSipAccount(extension=v["extension"]),
                confirm_label="Create",
            )
        )

    def action_delete(self) -> None:
        targets = sorted(self._marked) or ([a.key] if (a := self._account()) else [])
        if not targets:
            return
        names = ", ".join(next((x.user for x in self._board.accounts if x.key == k), k) for k in targets)
        self.confirm_then_perform(
            DeleteSipAccounts(account_ids=tuple(targets)),
            f"Delete {len(targets)} SIP account{'s' if len(targets) > 1 else ''}?",
            f"{names} will be deleted; phones registered with them stop working.",
            "Delete",
        )

    def action_transport(self) -> None:
        account = self._account()
        if account is not None:
            to = "udp" if (account.transport or "udp") == "wss" else "wss"
            self.perform(SetSipTransport(account_id=account.account_id, transport=to))

    def action_caller_id(self) -> None:
        account = self._account()
        if account is not None:
            self.ask_then_perform(
                ActionForm(
                    f"Caller ID of {account.user}",
                    "The number is checked with the vendor first; an unapproved one is not set.",
                    [
                        Field(
                            "caller_id", "Caller ID:", account.caller_id or "", placeholder="e.g. 0773137770"
                        )
                    ],
                    lambda v: SetSipCallerId(account_id=account.account_id, caller_id=v["caller_id"]),
                    confirm_label="Set",
                )
            )

    def action_extension(self) -> None:
        account = self._account()
        if account is not None:
            self.ask_then_perform(
                ActionForm(
                    f"Extension of {account.user}",
                    "Internal dial number between accounts; leave empty to clear it.",
                    [Field("extension", "Extension (200–10000):", account.extension or "")],
                    lambda v: SetSipExtension(account_id=account.account_id, extension=v["extension"]),
                    confirm_label="Save",
                )
            )

    def report(self, action: Action, result: ActionResult) -> None:
        if result.secret:
            self.app.copy_to_clipboard(result.secret)
            result = ActionResult(
                result.ok, result.message + " — password copied to the clipboard", result.items
            )
        if isinstance(action, DeleteSipAccounts) and result.ok:
            self._marked -= set(action.account_ids)
        super().report(action, result)
