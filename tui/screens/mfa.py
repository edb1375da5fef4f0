"""Login / MFA: the two-factor flow that comes before any board while a session has not passed.

isPass (done when the profile opened) → `try` → the methods (values masked by the vendor) → send a
code by call, SMS or e-mail (the vendor's "wait Ns" shown as a live countdown) → enter the code
(tries left; OVERTRY means a new code) → optionally remember this computer with a note. The same
screen asks for a verification "in this session" when a trust action needs one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Static

from tui.clock import wall_time
from tui.domain import CodeCheck, MfaMethod, MfaStatus
from tui.keymap import key_name
from tui.screens.dialogs import first_error_message
from tui.service.actions.mfa import SendMfaCode, VerifyMfaCode, VerifyMfaCodeRemember
from tui.service.session import ProfileSession
from tui.vendors.base import VendorError
from tui.widgets.cells import cell
from tui.widgets.columns import Column
from tui.widgets.footer import LeanFooter
from tui.widgets.inputs import SteadyInput
from tui.widgets.live_table import LiveTable
from tui.widgets.status_bar import StatusBar

METHOD_COLUMNS = [
    Column("kind", "Kind"),
    Column("value", "Sent to"),
    Column("send", "Send by"),
    Column("note", "Note", priority=2, hide_when_empty=True),
    Column("status", "Status", priority=1),
]
CHANNEL_KEYS = {"CALL": "c", "SMS": "s", "EMAIL": "m"}


def method_row(method: MfaMethod) -> tuple[Text, ...]:
    return (
        cell(method.kind),
        cell(method.value, "bold"),
        cell(" ".join(method.send_types) or "— (no code on request)"),
        cell(method.note),
        cell(method.status, "yellow" if method.status != "ACTIVE" else "green"),
    )


def _same_method(a: MfaMethod, b: MfaMethod) -> bool:
    if a.stable_id is not None or b.stable_id is not None:
        return a.stable_id == b.stable_id
    return (a.origin, a.kind, a.value) == (b.origin, b.kind, b.value)


MFA_SEND_KEYS = (("call", "c"), ("sms", "s"), ("email", "m"))  # binding id suffix, default key


class MfaScreen(Screen[bool]):
    """Dismissed with True once the session passed (or passed in this session, for `hard`)."""

    TITLE: ClassVar[str] = "Login / MFA"

    BINDINGS = [
        Binding("c", "send('CALL')", "Call me", id="mfa.send_call", tooltip="Send the code by a phone call"),
        Binding("s", "send('SMS')", "SMS", id="mfa.send_sms", tooltip="Send the code by SMS"),
        Binding("m", "send('EMAIL')", "E-mail", id="mfa.send_email", tooltip="Send the code by e-mail"),
        Binding("l", "toggle_lang", "HE/EN", id="mfa.lang", tooltip="Language of the code message"),
        Binding("r", "reload", "Reload", id="mfa.reload", tooltip="Ask the vendor again (isPass, methods)"),
        Binding("escape", "leave", "Back", id="mfa.back", tooltip="Back to the board without verifying"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="focus.next"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, id="focus.previous"),
    ]

    DEFAULT_CSS = """
    MfaScreen #mfa-body { padding: 0 2; }
    MfaScreen #intro { margin: 1 0; }
    MfaScreen #methods { height: auto; max-height: 10; }
    MfaScreen #code-row { height: auto; margin-top: 1; }
    MfaScreen #code { width: 20; }
    MfaScreen #note { width: 1fr; }
    MfaScreen #remember { width: auto; }
    MfaScreen #code-error { color: $error; height: auto; }
    MfaScreen #progress { height: auto; margin-top: 1; }
    MfaScreen #countdown { color: $warning; height: auto; }
    """

    def __init__(self, session: ProfileSession, vendor_label: str, *, hard: bool = False) -> None:
        super().__init__()
        self.session = session
        self.vendor_label = vendor_label
        self.hard = hard  # a verification in this very session is wanted (trust actions)
        self._methods: dict[str, MfaMethod] = {}
        self._lang = "HE"
        self._wait_until: float | None = None
        self._ticker: Timer | None = None
        self._sent = False

    def compose(self) -> ComposeResult:
        bar = StatusBar(self.session.name, self.vendor_label, self.TITLE)
        yield bar
        with Vertical(id="mfa-body"):
            yield Static("", id="intro", markup=False)
            yield LiveTable(METHOD_COLUMNS, id="methods")
            with Horizontal(id="code-row"):
                yield SteadyInput(placeholder="code", id="code", max_length=12)
                yield Checkbox("Remember this computer", id="remember", disabled=self.session.read_only)
                yield SteadyInput(placeholder="note for the remember-me token (e.g. office PC)", id="note")
            yield Static("", id="code-error", markup=False)
            yield Static("", id="progress", markup=False)
            yield Static("", id="countdown", markup=False)
        yield LeanFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(StatusBar).set_status(self.session.status)
        self._say("Checking the session with the vendor…")
        self.start()

    # -- the flow -----------------------------------------------------------------------------------
    @work(exclusive=True, group="mfa")
    async def start(self) -> None:
        vendor = self.session.vendor
        try:
            status = await vendor.mfa_status()
            if not status.passed and not self.hard:
                status = await vendor.mfa_try()  # passes from a trusted IP or with a remember-me token
            if self._done(status):
                return
            methods = await vendor.mfa_methods()
        except VendorError as error:
            self._say(
                f"The vendor did not answer the MFA check: {error.message}. "
                f"Press {key_name(self, 'mfa.reload', 'r')} to try again."
            )
            return
        self._show_methods(methods.methods, methods.status)

    def _done(self, status: MfaStatus) -> bool:
        if status.passed_in_session if self.hard else status.passed:
            self.notify(f"{self.session.name}: verified ({status.reason or 'MFA passed'})")
            self.dismiss(True)
            return True
        return False

    def _show_methods(self, methods: tuple[MfaMethod, ...], status: MfaStatus) -> None:
        self._methods = {m.key: m for m in methods}
        table = self.query_one("#methods", LiveTable)
        table.set_rows((m.key, method_row(m)) for m in methods)
        if not status.available:
            reload = key_name(self, "mfa.reload", "r")
            self._say(
                "This session has not passed two-factor verification and the vendor offers no method to "
                f"verify it. Add a method on the vendor's website, then press {reload}."
            )
            return
        why = (
            "Trust settings need a code verified in this session."
            if self.hard
            else ("This session has not passed two-factor verification (MFA).")
        )
        call, sms, email = (key_name(self, f"mfa.send_{how}", key) for how, key in MFA_SEND_KEYS)
        self._say(
            f"{why} Choose where to send a code (↑/↓), then press {call} to be called, {sms} for an SMS or "
            f"{email} for an e-mail; type the code below and press enter. Code language: {self._lang}."
        )
        table.focus()

    def _say(self, text: str) -> None:
        self.query_one("#intro", Static).update(text)

    def _selected(self) -> MfaMethod | None:
        key = self.query_one("#methods", LiveTable).current_key()
        return self._methods.get(key) if key else None

    # -- sending --------------------------------------------------------------------------------------
    def action_send(self, channel: str) -> None:
        method = self._selected()
        if method is None:
            self.notify("Choose a method first", severity="warning")
            return
        if channel not in method.send_types:
            self.notify(f"{method.value} cannot receive a code by {channel}", severity="warning")
            return
        if self._wait_until is not None and wall_time() < self._wait_until:
            self.notify("The vendor asked to wait before sending another code", severity="warning")
            return
        self._send(SendMfaCode(method_id=method.method_id, channel=channel, lang=self._lang), method)

    @work(exclusive=True, group="mfa")
    async def _send(self, action: SendMfaCode, method: MfaMethod) -> None:
        # The vendor rebuilds method ids on every listing: list again and send with a fresh one.
        try:
            fresh = await self.session.vendor.mfa_methods()
        except VendorError as error:
            self._progress(f"Not sent: {error.message}")
            return
        same = next((m for m in fresh.methods if _same_method(m, method)), None)
        if same is None:
            self._show_methods(fresh.methods, fresh.status)
            self._progress("That method is gone; choose another.")
            return
        action = action.model_copy(update={"method_id": same.method_id})
        result = await self.session.run(action)
        if result.retry_after:
            self._start_countdown(result.retry_after)
            self._progress(f"Not sent: {result.message}")
            return
        if not result.ok:
            self._progress(f"Not sent: {result.message}")
            return
        self._sent = True
        self._progress(
            f"A code is on its way by {action.channel} to {method.value}. Type it and press enter."
        )
        self.query_one("#code-error", Static).update("")
        self.query_one("#code", Input).focus()

    def _start_countdown(self, seconds: float) -> None:
        self._wait_until = wall_time() + seconds
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        self._tick()

    def _tick(self) -> None:
        left = 0 if self._wait_until is None else round(self._wait_until - wall_time())
        countdown = self.query_one("#countdown", Static)
        if left <= 0:
            countdown.update("You can ask for a new code now.")
            if self._ticker is not None:
                self._ticker.stop()
                self._ticker = None
            self._wait_until = None
            return
        countdown.update(f"The vendor asks to wait {left}s before sending another code.")

    def _progress(self, text: str) -> None:
        self.query_one("#progress", Static).update(text)

    # -- verifying ------------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("code", "note"):
            self._verify()

    def _verify(self) -> None:
        code = self.query_one("#code", Input).value
        remember = self.query_one("#remember", Checkbox).value
        note = self.query_one("#note", Input).value
        error = self.query_one("#code-error", Static)
        try:
            action = VerifyMfaCodeRemember(code=code, note=note) if remember else VerifyMfaCode(code=code)
        except Exception as exc:  # pydantic ValidationError: say it by the field, send nothing
            errors = getattr(exc, "errors", None)
            error.update(first_error_message(errors()[0]) if errors else str(exc))
            return
        error.update("")
        self._check(action)

    @work(exclusive=True, group="mfa")
    async def _check(self, action: VerifyMfaCode) -> None:
        result = await self.session.run(action)
        check = result.data if isinstance(result.data, CodeCheck) else None
        code_box = self.query_one("#code", Input)
        if check is None:
            self._progress(f"Not verified: {result.message}")
            return
        if check.valid:
            self._progress("Verified.")
            status = await self.session.open()  # isPass again: the board may now read data
            await self.session.refresh_resources(tuple(self.session.feeds))
            self.notify(f"{self.session.name}: verified ({status.state.value})")
            self.dismiss(True)
            return
        code_box.value = ""
        if check.over:
            self._progress("Too many wrong tries for this code: send a new one (c, s or m).")
        else:
            left = f" {check.left} tries left." if check.left is not None else ""
            self._progress(f"Wrong code.{left}")
        code_box.focus()

    # -- the rest -------------------------------------------------------------------------------------
    def action_toggle_lang(self) -> None:
        self._lang = "EN" if self._lang == "HE" else "HE"
        self.notify(f"Codes will be sent in {'English' if self._lang == 'EN' else 'Hebrew'}")

    def action_reload(self) -> None:
        self.start()

    def action_leave(self) -> None:
        self.dismiss(False)
