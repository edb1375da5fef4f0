"""SMS (key 4): the incoming-SMS inbox, live, newest first.

New messages are marked and announced. Right-to-left text is reordered for display only: the
filter searches, the message view copies and the CSV export writes the text as it was written.
"""

from __future__ import annotations

from pathlib import Path
from time import monotonic
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, Static

from tui.domain import SmsInbox, SmsMessage
from tui.screens.board import BoardScreen
from tui.screens.dialogs import DIALOG_CSS, ActionForm, Field
from tui.service.export import default_export_path, sms_csv, write_export
from tui.service.feed import FeedState
from tui.vendors.base import Capability
from tui.widgets.bidi import display_text
from tui.widgets.cells import cell, when
from tui.widgets.columns import Column
from tui.widgets.live_table import LiveTable
from tui.widgets.panel import Panel

SMS_COLUMNS = [
    Column("new", "", 1),
    Column("time", "Received", 16),
    Column("from", "From"),
    Column("to", "To", priority=1),
    Column("text", "Message"),
]


def one_line(text: str, limit: int = 200) -> str:
    flat = " ⏎ ".join(part.strip() for part in text.splitlines() if part.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def sms_row(message: SmsMessage, new: bool, width: int = 200) -> tuple[Text, ...]:
    return (
        cell("●" if new else "", "bold yellow"),
        cell(when(message.received_at)),
        cell(message.sender, "bold" if new else ""),
        cell(message.recipient),
        # Cut to the column in logical order, then reorder: a right-to-left message keeps its start
        # (the table would crop the visual right end, which is where such a message begins).
        cell(one_line(message.text, width)),
    )


class MessageScreen(ModalScreen[None]):
    DEFAULT_CSS = "MessageScreen { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="sms.close"),
        # the app's keys stop at a dialog; its help key is repeated here
        Binding("question_mark,f1", "app.toggle_help", "Keys", show=False, id="app.help"),
    ]

    def __init__(self, message: SmsMessage) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        m = self.message
        with Vertical(classes="dialog"):
            yield Label(Text(f"SMS from {m.sender} to {m.recipient}"), classes="title")
            yield Static(Text(when(m.received_at) or "", style="dim"))
            body = "\n".join(display_text(line) for line in m.text.splitlines()) or "(empty)"
            yield Static(Text(body))

    def action_close(self) -> None:
        self.dismiss(None)


class SmsScreen(BoardScreen):
    TITLE = "SMS"
    FEEDS: ClassVar[tuple[str, ...]] = ("sms",)
    ANNOUNCE_EVERY_S: ClassVar[float] = 5.0  # a "New SMS" toast's time on screen; at most one at a time

    BINDINGS = [
        Binding("enter", "open_message", "Open", id="sms.open", tooltip="Read the message under the cursor"),
        Binding(
            "e", "export", "Export CSV", id="sms.export", tooltip="Write the inbox as filtered to a CSV file"
        ),
        Binding("a", "mark_read", "Mark read", id="sms.mark_read", tooltip="Clear the new-message markers"),
    ]

    DEFAULT_CSS = """
    """

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._inbox: SmsInbox | None = None
        self._seen: set[str] | None = None  # None until the first load: what is there then is not "new"
        self._new: set[str] = set()
        self._unannounced: list[SmsMessage] = []  # arrived while the last "New SMS" toast was up
        self._announced_at = float("-inf")
        self._announce_timer: Timer | None = None
        # messages never change: each one's row and search text, by (key, new, text width)
        self._row_cache: dict[tuple[str, bool, int], tuple[tuple[Text, ...], str]] = {}

    def compose_body(self) -> ComposeResult:
        notice = self.lacking(Capability.SMS, "incoming-SMS")
        if notice is not None:
            yield notice
            return
        yield Panel("Incoming SMS", LiveTable(SMS_COLUMNS, id="sms"), id="sms-panel")

    def on_mount(self) -> None:
        if self.query("#sms"):
            self.query_one("#sms", LiveTable).focus()

    def show_sms(self, state: FeedState[SmsInbox]) -> None:
        panel = self.query_one("#sms-panel", Panel)
        panel.show_state(state)
        inbox = state.data
        if inbox is None:
            return
        if inbox == self._inbox:
            return  # an unchanged inbox (most polls): nothing to build or draw
        self._inbox = inbox
        if self._seen is None:
            self._seen = {m.key for m in inbox.messages}
        seen = self._seen
        arrived = [m for m in inbox.messages if m.key not in seen]
        if arrived:
            self._seen |= {m.key for m in arrived}
            self._new |= {m.key for m in arrived}
            self._announce(arrived)
        self._draw()

    def _announce(self, arrived: list[SmsMessage]) -> None:
        """One "New SMS" toast at a time: what arrives while one is up waits for it to go, then
        comes as one toast (a burst over several polls stacked a toast per poll over the inbox)."""
        self._unannounced = arrived + self._unannounced  # newest first, as the inbox
        wait = self._announced_at + self.ANNOUNCE_EVERY_S - monotonic()
        if wait <= 0:
            self._announce_now()
        elif self._announce_timer is None:
            self._announce_timer = self.set_timer(wait, self._announce_now, name="sms-announce")

    def _announce_now(self) -> None:
        self._announce_timer = None
        if not self._unannounced:
            return
        first, count = self._unannounced[0], len(self._unannounced)
        more = f" and {count - 1} more" if count > 1 else ""
        self.notify(
            f"from {first.sender}: {one_line(first.text, 60)}{more}",
            title="New SMS",
            timeout=self.ANNOUNCE_EVERY_S,
            markup=False,
        )
        self._unannounced = []
        self._announced_at = monotonic()

    def _draw(self) -> None:
        if self._inbox is None:
            return
        messages = self._inbox.messages
        panel = self.query_one("#sms-panel", Panel)
        new = f" · {len(self._new)} new" if self._new else ""
        panel.set_title(f"Incoming SMS · {len(messages)}{new}")
        width = max(20, self.size.width - 48)  # what is left for the text beside the other columns
        cache, new_keys, rows, search = self._row_cache, self._new, [], {}
        for m in messages:
            key = m.key
            marker = (key, key in new_keys, width)
            built = cache.get(marker)
            if built is None:
                built = cache[marker] = (sms_row(m, marker[1], width), f"{m.sender} {m.recipient} {m.text}")
            rows.append((key, built[0]))
            search[key] = built[1]
        if len(cache) > 2 * len(messages) + 100:  # forget rows of messages gone or of another width
            current = {(m.key, m.key in new_keys, width) for m in messages}
            self._row_cache = {k: v for k, v in cache.items() if k in current}
        self.query_one("#sms", LiveTable).set_rows(rows, search=search)

    def on_resize(self) -> None:
        self._draw()

    def on_data_table_row_selected(self, event: LiveTable.RowSelected) -> None:
        if event.data_table.id == "sms":  # enter on a row
            self.action_open_message()

    def _message_under_cursor(self) -> SmsMessage | None:
        if self._inbox is None or not self.query("#sms"):
            return None
        key = self.query_one("#sms", LiveTable).current_key()
        return next((m for m in self._inbox.messages if m.key == key), None)

    def action_open_message(self) -> None:
        message = self._message_under_cursor()
        if message is None:
            return
        if message.key in self._new:
            self._new.discard(message.key)
            self._draw()
        self.app.push_screen(MessageScreen(message))

    def action_mark_read(self) -> None:
        self._new.clear()
        self._draw()

    def action_export(self) -> None:
        if self._inbox is None:
            self.notify("Nothing to export yet", severity="warning")
            return
        shown = set(self.query_one("#sms", LiveTable).visible_keys())
        messages = [m for m in self._inbox.messages if m.key in shown]

        def build(values: dict[str, str]):
            path = Path(values["path"].strip() or str(default_export_path("sms")))
            if path.exists() and path.is_dir():
                raise ValueError("that is a folder: give a file name")
            return path

        def chosen(path) -> None:
            if path is None:
                return
            try:
                written = write_export(path, sms_csv(messages))
            except OSError as error:
                self.notify(f"Not written: {error.strerror or error}", severity="error")
                return
            self.notify(f"{len(messages)} messages written to {written}", title="Exported")

        self.app.push_screen(
            ActionForm(
                "Export the inbox to CSV",
                f"{len(messages)} messages (as filtered), with the text as it was written.",
                [Field("path", "File:", str(default_export_path("sms")))],
                build,
                confirm_label="Export",
            ),
            chosen,
        )
