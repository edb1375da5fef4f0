"""Modal dialogs: confirm a destructive action; a form that builds a validated action."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.keymap import key_name
from tui.service.actions.base import Action
from tui.widgets.inputs import SteadyInput

DIALOG_CSS = """
.dialog { width: 64; max-width: 95%; height: auto; max-height: 100%; overflow-y: auto;
          border: thick $warning; background: $surface; padding: 1 2; }
.dialog .title { text-style: bold; margin-bottom: 1; }
.dialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
.dialog Button { margin-left: 2; min-width: 10; }
.dialog .field-error { color: $error; height: auto; }
"""


def first_error_message(detail: Mapping) -> str:
    """One pydantic error as the sentence a person needs."""
    return str(detail.get("msg", "invalid value")).removeprefix("Value error, ")


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no for a destructive action. Enter or y confirms; escape or n cancels."""

    DEFAULT_CSS = "ConfirmScreen { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="dialog.no"),
        Binding("tab", "app.focus_next", "Next button", show=False, id="focus.next"),
        Binding("shift+tab", "app.focus_previous", "Previous button", show=False, id="focus.previous"),
        # the app's keys stop at a dialog; its help key is repeated here
        Binding("question_mark,f1", "app.toggle_help", "Keys", show=False, id="app.help"),
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


class FieldError(ValueError):
    """Bad input in one field of a form: shown beside that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Field:
    """One input of an ActionForm: its name (as the action model calls it), label and start value."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    multiline: bool = False  # a TextArea (pasted lists); enter adds a line, ctrl+s submits


class ActionForm(ModalScreen[Action | None]):
    """Ask for the inputs of an action; build it (pydantic validates); show errors beside the fields.

    Nothing is sent from here: the form returns a validated action, or None when cancelled.
    """

    DEFAULT_CSS = "ActionForm { align: center middle; } ActionForm TextArea { height: 6; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "Submit", id="dialog.submit"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="focus.next"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, id="focus.previous"),
        # the app's keys stop at a dialog; its help key is repeated here (f1 while typing)
        Binding("question_mark,f1", "app.toggle_help", "Keys", show=False, id="app.help"),
    ]

    def __init__(
        self,
        title: str,
        description: str,
        fields: list[Field],
        build: Callable[[dict[str, str]], Action],
        *,
        confirm_label: str = "OK",
        destructive: bool = False,
    ) -> None:
        super().__init__()
        self._title = title
        self._description = description
        self._fields = fields
        self._build_action = build
        self._confirm_label = confirm_label
        self._destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="title")
            if self._description:
                yield Static(Text(self._description))
            for field in self._fields:
                yield Label(Text(field.label))
                if field.multiline:
                    from tui.widgets.text_area import SteadyTextArea  # loads with the first such form

                    area = SteadyTextArea(
                        field.value, id=f"field-{field.name}", soft_wrap=True, show_line_numbers=True
                    )
                    area.border_subtitle = f"{key_name(self, 'dialog.submit', 'ctrl+s')} to submit"
                    yield area
                else:
                    yield SteadyInput(
                        value=field.value, placeholder=field.placeholder, id=f"field-{field.name}"
                    )
                yield Static("", id=f"error-{field.name}", classes="field-error", markup=False)
            yield Static("", id="error-form", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="no")
                yield Button(
                    self._confirm_label, id="yes", variant="error" if self._destructive else "primary"
                )

    def on_mount(self) -> None:
        inputs = self.query("Input, TextArea")
        if inputs:
            inputs.first().focus()
        else:
            self.query_one("#no", Button).focus()

    def values(self) -> dict[str, str]:
        values = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            values[field.name] = widget.value if isinstance(widget, Input) else widget.text
        return values

    def action_submit(self) -> None:
        self._submit()

    def _build(self) -> Action | None:
        for target in self.query(".field-error"):
            target.update("")
        try:
            return self._build_action(self.values())
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "form"
                target = self.query(f"#error-{name}") or self.query("#error-form")
                target.first().update(first_error_message(error))
            return None
        except FieldError as exc:
            target = self.query(f"#error-{exc.field}") or self.query("#error-form")
            target.first().update(str(exc))
            return None
        except ValueError as exc:
            self.query_one("#error-form", Static).update(str(exc))
            return None

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
