"""Modal dialogs: confirm a destructive action; ask for a kick's optional destination."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.service.actions import KickCallers

DIALOG_CSS = """
.dialog { width: 64; max-width: 95%; height: auto; border: thick $warning; background: $surface;
          padding: 1 2; }
.dialog .title { text-style: bold; margin-bottom: 1; }
.dialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
.dialog Button { margin-left: 2; min-width: 10; }
.dialog .field-error { color: $error; height: auto; }
"""


def first_error(error: ValidationError) -> str:
    """A pydantic error as the one sentence a person needs."""
    detail = error.errors()[0]
    message = str(detail.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no for a destructive action. Enter or y confirms; escape or n cancels."""

    DEFAULT_CSS = "ConfirmScreen { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="dialog.no"),
    ]

    def __init__(self, title: str, body: str, confirm_label: str = "Yes") -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="title")
            yield Static(Text(self._body))
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="no")
                yield Button(self._confirm_label, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class KickScreen(ModalScreen[KickCallers | None]):
    """Confirm a kick, with an optional extension to send the callers to (GOTO:/x)."""

    DEFAULT_CSS = "KickScreen { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, queue_id: str, call_ids: list[str], description: str) -> None:
        super().__init__()
        self._queue_id = queue_id
        self._call_ids = call_ids
        self._description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Kick from the queue?", classes="title")
            yield Static(Text(self._description))
            yield Label("Send to extension (optional, e.g. /1):")
            yield Input(placeholder="leave empty to hang up", id="goto")
            yield Static("", id="goto-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="no")
                yield Button("Kick", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#goto", Input).focus()

    def _build(self) -> KickCallers | None:
        goto = self.query_one("#goto", Input).value
        error = self.query_one("#goto-error", Static)
        try:
            action = KickCallers(queue_id=self._queue_id, call_ids=tuple(self._call_ids), goto=goto or None)
        except ValidationError as exc:
            error.update(first_error(exc))
            return None
        error.update("")
        return action

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._build()
        else:
            self.query_one("#goto-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        action = self._build()
        if action is not None:
            self.dismiss(action)

    def action_cancel(self) -> None:
        self.dismiss(None)
