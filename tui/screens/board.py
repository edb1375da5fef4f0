"""What every board screen shares: header, footer, feed subscriptions, refresh, pause, filter."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.domain import ActionResult
from tui.screens.dialogs import ActionForm, ConfirmScreen
from tui.screens.first_paint import PaintsWithFirstData
from tui.service.actions.base import Action
from tui.service.feed import FeedState
from tui.service.session import ConnectionState, ProfileSession, SessionStatus
from tui.vendors.base import Capability
from tui.widgets.footer import LeanFooter
from tui.widgets.inputs import SteadyInput
from tui.widgets.live_table import LiveTable
from tui.widgets.status_bar import StatusBar


class BoardScreen(PaintsWithFirstData, Screen):
    """A screen of one profile that shows some of its feeds.

    Feeds are subscribed while the screen is shown and released when it is hidden, so a feed
    polls only while somebody looks at it.
    """

    TITLE: ClassVar[str] = ""
    FEEDS: ClassVar[tuple[str, ...]] = ()
    #: screen action name -> the Action it builds; such keys are offered only where it can run
    ACTIONS: ClassVar[dict[str, type[Action]]] = {}

    BINDINGS = [
        Binding("r", "refresh_now", "Refresh", id="board.refresh"),
        Binding(
            "p",
            "toggle_pause",
            "Auto-refresh",
            show=False,
            id="board.pause",
            tooltip="Pause or resume auto-refresh",
        ),
        Binding("slash", "open_filter", "Filter", show=False, id="board.filter"),
        Binding("escape", "close_filter", "Close filter", show=False, id="board.filter_close"),
        Binding("v", "verify", "Verify (MFA)", id="board.verify", tooltip="Two-factor verification"),
        Binding("tab", "app.focus_next", "Next panel", show=False, id="focus.next"),
        Binding("shift+tab", "app.focus_previous", "Previous panel", show=False, id="focus.previous"),
    ]

    DEFAULT_CSS = """
    BoardScreen .notice { margin: 2 4; padding: 1 2; border: round $foreground 30%; height: auto; }
    BoardScreen #filter { dock: bottom; display: none; height: 3; margin: 0 0 1 0; }
    BoardScreen #filter.-open { display: block; }
    """

    def __init__(self, session: ProfileSession, vendor_label: str) -> None:
        super().__init__()
        self.session = session
        self.vendor_label = vendor_label
        self._unsubscribe: list[Callable[[], None]] = []
        self._filter_target: LiveTable | None = None
        self._mfa_key_shown = False
        self._resuming = False  # subscribing to the feeds as the screen is shown again

    def compose(self) -> ComposeResult:
        bar = StatusBar(self.session.name, self.vendor_label, self.TITLE)
        bar.read_only = self.session.read_only
        yield bar
        yield from self.compose_body()
        # Disabled while closed: a hidden Input would otherwise take the focus (and the keys).
        yield SteadyInput(
            placeholder="filter: regex, a leading ! inverts; enter applies, esc clears",
            id="filter",
            disabled=True,
        )
        yield LeanFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        return iter(())

    def lacking(self, capability: Capability, what: str) -> Static | None:
        """The plain sentence this screen shows instead of its panels when the vendor lacks `what`."""
        vendor = self.session.vendor
        if vendor.supports(capability):
            return None
        return Static(vendor.lacks(capability, what), classes="notice", markup=False)

    # -- feeds ------------------------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        self._release()
        self._unsubscribe.append(self.session.on_status(self._status_changed))
        # The feeds' current states are drawn just after the screen's first frame: a key that shows
        # a screen gets it at once, as last seen, and what came while it was hidden follows.
        self._resuming = True
        try:
            shown = [resource for resource in self.FEEDS if self.session.supports(resource)]
            self.await_first_data(shown)
            for resource in shown:
                feed = self.session.feed(resource)
                handler = self._handler_for(resource)
                self._unsubscribe.append(feed.subscribe(handler))
        finally:
            self._resuming = False
        self.query_one(StatusBar).set_paused(self.paused)

    def on_screen_suspend(self) -> None:
        self._release()
        self._forget_drawn_lines()

    def _forget_drawn_lines(self) -> None:
        """A hidden screen keeps its widgets and their data, not the lines they drew.

        Each widget keeps its last lines (and Textual's cuts of them) to repaint from; every screen
        of every profile is kept, so together they grew the console for hours. They are drawn again
        when the screen is shown; tables keep what their rows in view need to be drawn quickly.
        """
        for widget in self.walk_children(Widget, with_self=True):
            if isinstance(widget, LiveTable):
                widget.release_renders()
            widget._styles_cache.clear()  # textual 8.x: the widget's drawn lines

    def on_unmount(self) -> None:
        self._release()

    def _release(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def _handler_for(self, resource: str) -> Callable[[FeedState[Any]], None]:
        method = getattr(self, f"show_{resource}")

        def handler(state: FeedState[Any]) -> None:
            if self._resuming:
                self.call_after_refresh(latest)
            elif self.is_mounted:
                draw(state)

        def latest() -> None:  # the feed's state by then: a poll may have come in meanwhile
            if self.is_mounted:
                draw(self.session.feeds[resource].state)

        def draw(state: FeedState[Any]) -> None:
            method(state)
            self.drew(resource, state)

        return handler

    def _status_changed(self, status: SessionStatus) -> None:
        if self.is_mounted:
            self.query_one(StatusBar).set_status(status)
            self.show_status(status)
            # Only the MFA key depends on the connection state; the footer is rebuilt on every
            # bindings refresh (new widgets each time), so refresh only when that key comes or goes.
            mfa = status.state is ConnectionState.MFA_REQUIRED
            if mfa != self._mfa_key_shown:
                self._mfa_key_shown = mfa
                self.refresh_bindings()

    def show_status(self, status: SessionStatus) -> None:
        """Screens override to react to the connection state (e.g. MFA required)."""

    # -- refresh and pause ----------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        feeds = [self.session.feeds[r] for r in self.FEEDS if r in self.session.feeds]
        return bool(feeds) and all(f.state.paused for f in feeds)

    def action_refresh_now(self) -> None:
        feeds = [self.session.feed(r) for r in self.FEEDS if self.session.supports(r)]
        self.run_worker(asyncio.gather(*(f.refresh() for f in feeds)), group="refresh", exit_on_error=False)

    def action_toggle_pause(self) -> None:
        paused = not self.paused
        for resource in self.FEEDS:
            if self.session.supports(resource):
                self.session.feed(resource).set_paused(paused)
        self.query_one(StatusBar).set_paused(paused)
        self.notify("auto-refresh paused (r still refreshes)" if paused else "auto-refresh resumed")

    # -- filter -----------------------------------------------------------------------------------
    def action_open_filter(self) -> None:
        focused = self.focused
        self._filter_target = focused if isinstance(focused, LiveTable) else self.query(LiveTable).first()
        box = self.query_one("#filter", Input)
        box.disabled = False
        box.add_class("-open")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter" and self._filter_target is not None:
            self._filter_target.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self._close_filter_box()

    def action_close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.has_class("-open"):
            return
        box.value = ""
        if self._filter_target is not None:
            self._filter_target.set_filter("")
        self._close_filter_box()

    def _close_filter_box(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-open")
        if self._filter_target is not None:
            self._filter_target.focus()
        box.disabled = True

    # -- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "verify":
            return self.session.status.state is ConnectionState.MFA_REQUIRED
        needs = self.ACTIONS.get(action)
        return True if needs is None else self.session.actions.allowed(needs)

    def action_verify(self) -> None:
        self.app.action_verify()

    def perform(self, action: Action) -> None:
        """Run a validated action in a worker; its result is shown when it comes back."""

        async def work() -> None:
            result = await self.session.run(action)
            self.report(action, result)

        self.run_worker(work(), group="actions", exit_on_error=False)

    def confirm_then_perform(self, action: Action, title: str, body: str, label: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.perform(action)

        self.app.push_screen(ConfirmScreen(title, body, label), answered)

    def ask_then_perform(self, form: ActionForm) -> None:
        def answered(action: Action | None) -> None:
            if action is not None:
                self.perform(action)

        self.app.push_screen(form, answered)

    def report(self, action: Action, result: ActionResult) -> None:
        lines = [result.message or ("done" if result.ok else "failed")]
        lines += [f"{'✓' if i.ok else '✗'} {i.target}: {i.detail}" for i in result.items]
        self.notify(
            "\n".join(lines),
            title=action.description,
            severity="information" if result.ok else "error",
            markup=False,
        )
