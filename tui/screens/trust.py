"""Trust (key 6): MFA methods, remember-me tokens and trusted IPs.

Every one of these needs a code verified in this very session (isPassInThisSession); when the vendor
says so, the screen offers the verification in place (v) and reloads once it passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from tui.domain import ActionResult, CodeCheck, MfaMethod, TrustBoard, TrustToken
from tui.keymap import key_name
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, Field, FieldError, first_error_message
from tui.screens.mfa import MfaScreen
from tui.service.actions.base import Action
from tui.service.actions.mfa import (
    AddMfaMethod,
    DeleteMfaMethod,
    DeleteTrustToken,
    ResendMethodCode,
    SetTrustedIps,
    VerifyMethod,
)
from tui.service.feed import FeedState
from tui.vendors.base import Capability, MfaRequired
from tui.widgets.cells import cell
from tui.widgets.columns import Column
from tui.widgets.live_table import LiveTable
from tui.widgets.panel import Panel

METHOD_COLUMNS = [
    Column("kind", "Kind"),
    Column("value", "Value"),
    Column("status", "Status"),
    Column("origin", "From", priority=2),
    Column("note", "Note", priority=1, hide_when_empty=True),
    Column("expires", "Expires", priority=3, hide_when_empty=True),
    Column("used", "Last used", priority=4, hide_when_empty=True),
]
TOKEN_COLUMNS = [
    Column("kind", "Type"),
    Column("by", "Created by"),
    Column("at", "Created", priority=1),
    Column("used", "Last use", priority=2, hide_when_empty=True),
    Column("updated", "Updated", priority=3, hide_when_empty=True),
    Column("note", "Note", priority=1, hide_when_empty=True),
]
IP_COLUMNS = [Column("ip", "Address")]
ORIGINS = {
    "CREATE_PHONE": "the number that created the system",
    "RESET_MAIL": "the recovery e-mail",
    "PROFILE": "the fixed profile",
    "MASTER_LOGIN": "the reseller's master login",
    "BY_CUSTOMER": "added by you",
}


def method_row(m: MfaMethod) -> tuple[Text, ...]:
    return (
        cell(m.kind),
        cell(m.value, "bold"),
        cell(m.status, "green" if m.status == "ACTIVE" else "yellow"),
        cell(m.origin),
        cell(m.note),
        cell(m.expires),
        cell(m.last_used),
    )


def token_row(t: TrustToken) -> tuple[Text, ...]:
    kind = {"CUSTOMER_IP": "IP address", "YM_CALL2ALL_WEBSITE": "admin website"}.get(t.kind, t.kind)
    return (
        cell(kind),
        cell(t.created_by),
        cell(t.created_at),
        cell(t.last_use),
        cell(t.updated_at),
        cell(t.note),
    )


class TrustScreen(BoardScreen):
    TITLE = "Trust"
    FEEDS: ClassVar[tuple[str, ...]] = ("trust",)
    ACTIONS: ClassVar[dict[str, type[Action]]] = {
        "add_method": AddMfaMethod,
        "verify_method": VerifyMethod,
        "delete": DeleteTrustToken,
        "edit_ips": SetTrustedIps,
    }

    BINDINGS = [
        Binding(
            "n", "add_method", "Add method", id="trust.add_method", tooltip="Add an e-mail or phone method"
        ),
        Binding(
            "y", "verify_method", "Verify method", id="trust.verify_method", tooltip="Verify a pending method"
        ),
        Binding(
            "d", "delete", "Delete", id="trust.delete", tooltip="Delete the method/token/IP under the cursor"
        ),
        Binding("e", "edit_ips", "Edit IPs", id="trust.edit_ips", tooltip="Edit the trusted IP addresses"),
        Binding(
            "h", "hard_verify", "Verify now", id="trust.hard_verify", tooltip="Verify a code in this session"
        ),
    ]

    DEFAULT_CSS = """
    TrustScreen #hard { display: none; height: auto; background: $warning 20%; padding: 0 1; }
    TrustScreen #hard.-shown { display: block; }
    TrustScreen #top { height: 2fr; }
    TrustScreen #ips-panel { height: 1fr; }
    """

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._board: TrustBoard | None = None

    def compose_body(self) -> ComposeResult:
        notice = self.lacking(Capability.MFA, "MFA trust-management")
        if notice is not None:
            yield notice
            return
        yield Static(
            "Remember-me tokens and trusted IPs need a code verified in this very session (so do changes to "
            f"methods). Press {key_name(self, 'trust.hard_verify', 'h')} to verify now.",
            id="hard",
            markup=False,
        )
        with Horizontal(id="top"):
            yield Panel("MFA methods", LiveTable(METHOD_COLUMNS, id="methods"), id="methods-panel")
            yield Panel("Remember-me tokens", LiveTable(TOKEN_COLUMNS, id="tokens"), id="tokens-panel")
        yield Panel("Trusted IPs", LiveTable(IP_COLUMNS, id="ips"), id="ips-panel")

    def on_mount(self) -> None:
        if self.query("#methods"):
            self.query_one("#methods", LiveTable).focus()

    # -- data -> widgets ------------------------------------------------------------------------------
    def show_trust(self, state: FeedState[TrustBoard]) -> None:
        for panel_id in ("#methods-panel", "#tokens-panel", "#ips-panel"):
            self.query_one(panel_id, Panel).show_state(state)
        board = state.data
        locked = isinstance(state.error, MfaRequired) or (board is not None and board.locked)
        self.query_one("#hard").set_class(locked, "-shown")
        if board is None:
            return
        self._board = board
        self.query_one("#methods", LiveTable).set_rows((m.key, method_row(m)) for m in board.methods)
        self.query_one("#tokens", LiveTable).set_rows((t.key, token_row(t)) for t in board.tokens)
        self.query_one("#ips", LiveTable).set_rows((ip, (cell(ip),)) for ip in board.trusted_ips)
        locked_note = " · verify (h) to read" if board.locked else ""
        self.query_one("#ips-panel", Panel).set_title(
            f"Trusted IPs{locked_note}" if board.locked else f"Trusted IPs · {len(board.trusted_ips)} of 50"
        )
        self.query_one("#tokens-panel", Panel).set_title(f"Remember-me tokens{locked_note}")

    def _focused_table(self) -> str:
        focused = self.focused
        return focused.id if isinstance(focused, LiveTable) and focused.id else "methods"

    def _method(self) -> MfaMethod | None:
        key = self.query_one("#methods", LiveTable).current_key()
        return next((m for m in self._board.methods if m.key == key), None) if self._board else None

    # -- actions --------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hard_verify":  # verifying a code is not a change, but it needs the vendor's MFA
            return self.session.vendor.supports(Capability.MFA)
        return super().check_action(action, parameters)

    def action_hard_verify(self) -> None:
        def done(passed: bool | None) -> None:
            if passed:
                self.action_refresh_now()

        self.app.push_screen(MfaScreen(self.session, self.vendor_label, hard=True), done)

    def action_add_method(self) -> None:
        default_expiry = (datetime.now() + timedelta(days=365)).strftime("%Y-%m-%d")

        def build(v: dict[str, str]) -> AddMfaMethod:
            kind = v["kind"].strip().upper()
            if kind not in ("EMAIL", "PHONE"):
                raise FieldError("kind", "the kind is EMAIL or PHONE")
            try:
                expires = datetime.strptime(v["expires"].strip(), "%Y-%m-%d")
            except ValueError:
                raise FieldError("expires", "the expiry date is YYYY-MM-DD") from None
            if expires <= datetime.now():
                raise FieldError("expires", "the expiry date must be in the future")
            try:
                return AddMfaMethod(method_kind=kind, value=v["value"], note=v["note"], expires=expires)
            except ValidationError as error:  # the value is checked as an e-mail or a phone of IL/US/CA
                raise FieldError("value", first_error_message(error.errors()[0])) from None

        self.ask_then_perform(
            ActionForm(
                "Add an MFA method",
                "At most 20 methods; phones of Israel, the USA and Canada only. It is added as pending: "
                "verify it (y) before it can be used.",
                [
                    Field("kind", "Kind (EMAIL or PHONE):", "PHONE"),
                    Field("value", "E-mail address or phone number:"),
                    Field("note", "Note (e.g. the home phone):"),
                    Field("expires", "Expires on (YYYY-MM-DD):", default_expiry),
                ],
                build,
                confirm_label="Add",
            )
        )

    def action_verify_method(self) -> None:
        method = self._method()
        if method is None or method.stable_id is None:
            self.notify("Choose a method you added (in the methods table)", severity="warning")
            return
        channels = [c for c in method.send_types if c in ("CALL", "SMS", "EMAIL")] or ["SMS"]
        send = ActionForm(
            f"Verify {method.value}",
            f"A code is sent to it; you type it in the next step. Channels: {', '.join(channels)}.",
            [Field("channel", "Send by:", channels[0]), Field("lang", "Language (HE or EN):", "HE")],
            lambda v: ResendMethodCode(
                stable_id=method.stable_id,
                channel=v["channel"].strip().upper(),
                lang=v["lang"].strip().upper(),
            ),
            confirm_label="Send code",
        )

        def sent(action: Action | None) -> None:
            if action is not None:
                self._send_then_ask(action, method)

        self.app.push_screen(send, sent)

    def _send_then_ask(self, action: Action, method: MfaMethod) -> None:
        async def work() -> None:
            result = await self.session.run(action)
            if not result.ok:
                self.report(action, result)
                return
            self.ask_then_perform(
                ActionForm(
                    f"Code for {method.value}",
                    "Type the code you received.",
                    [Field("code", "Code:")],
                    lambda v: VerifyMethod(stable_id=method.stable_id, code=v["code"]),
                    confirm_label="Verify",
                )
            )

        self.run_worker(work(), group="actions", exit_on_error=False)

    def action_delete(self) -> None:
        if self._board is None:
            return
        table = self._focused_table()
        if table == "tokens":
            key = self.query_one("#tokens", LiveTable).current_key()
            token = next((t for t in self._board.tokens if t.key == key), None)
            if token is not None:
                self.confirm_then_perform(
                    DeleteTrustToken(token_id=token.token_id),
                    "Delete this remember-me token?",
                    f"{token.kind} created by {token.created_by} ({token.note or 'no note'}): "
                    "sessions it let pass will have to verify again.",
                    "Delete",
                )
        elif table == "ips":
            ip = self.query_one("#ips", LiveTable).current_key()
            if ip is not None:
                rest = tuple(x for x in self._board.trusted_ips if x != ip)
                self.confirm_then_perform(
                    SetTrustedIps(ips=rest),
                    "Remove this trusted IP?",
                    f"{ip} will no longer be trusted.",
                    "Remove",
                )
        else:
            method = self._method()
            if method is None:
                return
            if not method.deletable or method.stable_id is None:
                source = ORIGINS.get(method.origin, method.origin)
                self.notify(
                    f"{method.value} comes from {source} and cannot be deleted here.", severity="warning"
                )
                return
            self.confirm_then_perform(
                DeleteMfaMethod(stable_id=method.stable_id),
                "Delete this MFA method?",
                f"{method.kind} {method.value} ({method.note or 'no note'}) will no longer receive codes.",
                "Delete",
            )

    def action_edit_ips(self) -> None:
        current = "\n".join(self._board.trusted_ips) if self._board else ""
        self.ask_then_perform(
            ActionForm(
                "Trusted IP addresses",
                "One IPv4 or IPv6 address a line, at most 50. A trusted IP passes MFA at login, but trust "
                "settings still need a code.",
                [Field("ips", "Addresses:", current, multiline=True)],
                lambda v: SetTrustedIps(ips=v["ips"]),
                confirm_label="Save",
            )
        )

    def report(self, action: Action, result: ActionResult) -> None:
        if isinstance(result.data, CodeCheck) and result.data.over:
            resend = key_name(self, "trust.verify_method", "y")
            result = ActionResult(
                False, f"too many wrong tries: press {resend} to send a new code", result.items
            )
        super().report(action, result)
