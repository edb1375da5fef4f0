"""The Textual App: one mode per (screen, profile), keys 1–6, profiles with [ and ], themes, palette."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import rich
from rich.segment import Segments
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import HelpPanel

from tui.config import WallConfig
from tui.screens.calls import CallsScreen
from tui.screens.campaigns import CampaignsScreen
from tui.screens.mfa import MfaScreen
from tui.screens.queues import QueuesScreen
from tui.screens.sip import SipScreen
from tui.screens.sms import SmsScreen
from tui.screens.trust import TrustScreen
from tui.screens.wall import WallScreen
from tui.service.session import ConnectionState, ProfileSession, SessionStatus
from tui.themes import load_themes
from tui.vendors.base import Capability
from tui.vendors.registry import DISPLAY_NAMES


def terminal_alive() -> bool:
    """Is our terminal still there? (After an SSH hang-up, the tty is gone or no longer a tty.)"""
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            if stream is None or not os.isatty(stream.fileno()):
                return False
        except (OSError, ValueError):
            return False
    try:  # the controlling terminal itself: gone (ENXIO/EIO) once the session hung up
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    id: str
    key: str
    title: str
    factory: type[Screen]


# VTE terminals (GNOME Terminal, Tilix, ...) reorder right-to-left text themselves unless told not to
# (BDSM "implicit" mode off); Callboard reorders at display time, so it turns that off while it runs.
BIDI_OFF, BIDI_ON = "\x1b[8l", "\x1b[8h"

# Keys 1–6 always in this order (SPEC §5); a screen joins here when it is built.
SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("queues", "1", "Queues", QueuesScreen),
    ScreenSpec("sip", "2", "SIP", SipScreen),
    ScreenSpec("campaigns", "3", "Campaigns", CampaignsScreen),
    ScreenSpec("sms", "4", "SMS", SmsScreen),
    ScreenSpec("calls", "5", "Calls", CallsScreen),
    ScreenSpec("trust", "6", "Trust", TrustScreen),
)


class CallboardApp(App):
    TITLE = "Callboard"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding(
            "question_mark", "toggle_help", "Keys", id="app.help", tooltip="Show the keys of this screen"
        ),
        Binding(
            "left_square_bracket", "cycle_profile(-1)", "Prev profile", show=False, id="app.profile_prev"
        ),
        Binding(
            "right_square_bracket", "cycle_profile(1)", "Next profile", show=False, id="app.profile_next"
        ),
        *(
            Binding(spec.key, f"show_screen('{spec.id}')", spec.title, show=False, id=f"app.screen.{spec.id}")
            for spec in SCREENS
        ),
    ]

    def __init__(
        self,
        sessions: dict[str, ProfileSession],
        *,
        start_profile: str,
        theme: str = "callboard-dark",
        on_exit: Callable[[], None] | None = None,
        demo_codes: Callable[[], list[str]] | None = None,
        bidi_reorder: bool = True,
        wall: WallConfig | None = None,
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.profile = start_profile
        self.screen_id = SCREENS[0].id
        self._wanted_theme = theme
        self._on_exit = on_exit
        self._demo_codes = demo_codes
        self._bidi_reorder = bidi_reorder
        self.wall = wall  # a NOC wall: one kiosk screen, read-only, no keys but quit and cycling
        self._started = time.perf_counter()
        for name, session in sessions.items():
            label = self._vendor_label(session)
            for spec in SCREENS:
                self.add_mode(self._mode(spec.id, name), self._factory(spec, session, label))

    @staticmethod
    def _mode(screen_id: str, profile: str) -> str:
        return f"{screen_id}@{profile}"

    @staticmethod
    def _factory(spec: ScreenSpec, session: ProfileSession, label: str) -> Callable[[], Screen]:
        return lambda: spec.factory(session, label)

    # -- start and stop -------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._bidi_reorder:
            self._terminal_write(BIDI_OFF)  # we reorder RTL text ourselves: VTE must not do it twice
        for theme in load_themes().values():
            self.register_theme(theme)
        if self._wanted_theme in self.available_themes:
            self.theme = self._wanted_theme
        else:
            self.notify(f"unknown theme {self._wanted_theme!r}; using callboard-dark", severity="warning")
            self.theme = "callboard-dark" if "callboard-dark" in self.available_themes else self.theme
        if self.wall is not None:
            labels = {n: self._vendor_label(s) for n, s in self.sessions.items()}
            self.add_mode("wall", lambda: WallScreen(self.sessions, labels, self.wall))
            self.switch_mode("wall")
        else:
            self.switch_mode(self._mode(self.screen_id, self.profile))
        for name, session in self.sessions.items():
            session.on_status(lambda status, n=name: self._status_changed(n, status))
            self.run_worker(session.open(), group="sessions", exit_on_error=False)
        if self._demo_codes is not None:
            self.set_interval(1.0, self._show_demo_codes)
        if not self.is_headless:
            # A dropped SSH session leaves a dead terminal: notice it and exit rather than spin on it.
            self.set_interval(2.0, self._exit_if_terminal_gone, name="terminal-watch")
        self.log.info(f"started in {(time.perf_counter() - self._started) * 1000:.0f} ms")

    async def on_unmount(self) -> None:
        if self._bidi_reorder:
            self._terminal_write(BIDI_ON)
        await asyncio.gather(*(s.close() for s in self.sessions.values()), return_exceptions=True)
        if self._on_exit is not None:
            self._on_exit()

    def _fatal_error(self) -> None:
        """Textual's crash report shows every frame's locals, and a local may hold a secret.

        Ours shows the frames without their locals (overrides a private method of textual 8.x).
        """
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    def _exit_if_terminal_gone(self) -> None:
        if not terminal_alive():
            self.exit(return_code=1, message="the terminal went away")

    def _terminal_write(self, sequence: str) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None and not self.is_headless:
            driver.write(sequence)

    # -- MFA ------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.wall is not None and action in ("show_screen", "cycle_profile", "switch_profile", "verify"):
            return False  # the wall is one kiosk screen
        return True

    def _status_changed(self, profile: str, status: SessionStatus) -> None:
        if self.wall is not None:
            return  # nobody types codes at a wall: its board says MFA is required
        if profile == self.profile and status.state is ConnectionState.MFA_REQUIRED:
            self.call_later(self.action_verify)

    def action_verify(self) -> None:
        """Open the MFA flow for the current profile (once; it closes itself when verified)."""
        session = self.sessions[self.profile]
        if not session.vendor.supports(Capability.MFA) or isinstance(self.screen, MfaScreen):
            return
        if any(isinstance(s, MfaScreen) for s in self.screen_stack):
            return
        self.push_screen(MfaScreen(session, self._vendor_label(session)))

    def _show_demo_codes(self) -> None:
        for message in self._demo_codes():
            self.notify(message, title="DEMO — the simulator sent an MFA code", timeout=30, markup=False)

    @staticmethod
    def _vendor_label(session: ProfileSession) -> str:
        return DISPLAY_NAMES.get(session.vendor.name, session.vendor.display_name)

    # -- navigation -----------------------------------------------------------------------------
    def action_show_screen(self, screen_id: str) -> None:
        self.screen_id = screen_id
        self.switch_mode(self._mode(screen_id, self.profile))

    def action_cycle_profile(self, step: int) -> None:
        names = list(self.sessions)
        if len(names) < 2:
            self.notify("only one profile is open", severity="information")
            return
        self.action_switch_profile(names[(names.index(self.profile) + step) % len(names)])
        self.notify(f"profile {self.profile}")

    def action_switch_profile(self, name: str) -> None:
        self.profile = name
        self.switch_mode(self._mode(self.screen_id, name))
        self._status_changed(name, self.sessions[name].status)

    def action_toggle_help(self) -> None:
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # -- command palette ------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in SCREENS:
            yield SystemCommand(
                f"Screen: {spec.title}", f"Show the {spec.title} screen (key {spec.key})",
                lambda s=spec.id: self.action_show_screen(s),
            )  # fmt: skip
        for name, session in self.sessions.items():
            yield SystemCommand(
                f"Profile: {name}", f"Switch to profile {name} ({session.vendor.display_name})",
                lambda n=name: self.action_switch_profile(n),
            )  # fmt: skip
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or active.node is self or not active.enabled:
                continue
            yield SystemCommand(
                binding.description, f"key {binding.key_display or binding.key}",
                lambda node=active.node, action=binding.action: self.call_later(node.run_action, action),
            )  # fmt: skip
