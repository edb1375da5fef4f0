"""The Textual App: one mode per (screen, profile), keys 1–6, profiles with [ and ], themes, palette."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import rich
from rich.segment import Segments
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from tui import textual_fixes
from tui.config import ConfigError, WallConfig
from tui.gc_pacing import GcPacer, freeze_start_up_objects
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


#: Saves a theme the user chose: (theme, profile) — profile None means the console-wide theme.
ThemeSaver = Callable[[str, str | None], None]
FALLBACK_THEME = "callboard-dark"
OTHER_SESSIONS_AFTER_S = 1.0  # profiles not on screen log in this long after the one shown
FIRST_PAINT_WAIT_S = 0.5  # at most this long from mount to a first paint without data (see __init__)


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    """A screen of keys 1–6. Its module loads when the screen is first shown (or asked for), so
    the console starts with the code and CSS of the screen it opens on only."""

    id: str
    key: str
    title: str
    module: str
    class_name: str

    def screen_class(self) -> type[Screen]:
        return getattr(importlib.import_module(self.module), self.class_name)


# VTE terminals (GNOME Terminal, Tilix, ...) reorder right-to-left text themselves unless told not to
# (BDSM "implicit" mode off); Callboard reorders at display time, so it turns that off while it runs.
BIDI_OFF, BIDI_ON = "\x1b[8l", "\x1b[8h"

# Keys 1–6 always in this order (SPEC §5); a screen joins here when it is built.
SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("queues", "1", "Queues", "tui.screens.queues", "QueuesScreen"),
    ScreenSpec("sip", "2", "SIP", "tui.screens.sip", "SipScreen"),
    ScreenSpec("campaigns", "3", "Campaigns", "tui.screens.campaigns", "CampaignsScreen"),
    ScreenSpec("sms", "4", "SMS", "tui.screens.sms", "SmsScreen"),
    ScreenSpec("calls", "5", "Calls", "tui.screens.calls", "CallsScreen"),
    ScreenSpec("trust", "6", "Trust", "tui.screens.trust", "TrustScreen"),
)


class CallboardApp(App):
    TITLE = "Callboard"
    ENABLE_COMMAND_PALETTE = True

    # Without colour (NO_COLOR: Textual draws in greys), an alarm must not rely on red to be seen.
    CSS = """
    QueueCard.-alarm:nocolor { border: double $foreground; background: $foreground 10%; }
    QueueCard:nocolor .metric.-alarm Digits { color: $foreground; text-style: bold reverse; }
    """

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding(
            "question_mark,f1",
            "toggle_help",
            "Keys",
            id="app.help",
            tooltip="Show the keys of this screen (f1 also works while typing)",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",  # as Textual words it at the right of the footer
            show=False,
            priority=True,
            id="app.palette",
            tooltip="Every screen, profile, theme and action",
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
        theme: str = FALLBACK_THEME,
        profile_themes: Mapping[str, str] | None = None,
        save_theme: ThemeSaver | None = None,
        keymap: Mapping[str, str] | None = None,
        on_exit: Callable[[], None] | None = None,
        demo_codes: Callable[[], list[str]] | None = None,
        bidi_reorder: bool = True,
        wall: WallConfig | None = None,
    ) -> None:
        """`theme` is the console-wide theme, `profile_themes` the profiles' own (both by name);
        `save_theme` writes a theme chosen in the palette to the config (None: for this run only);
        `keymap` remaps keys by binding id (`[keys]`, checked by `tui.keymap.checked_keymap`)."""
        textual_fixes.apply()
        # The console starts on its first screen's mode. From Textual's blank default screen, the
        # switch to it would build that screen's styles and layout twice.
        self.DEFAULT_MODE = "wall" if wall is not None else self._mode(SCREENS[0].id, start_profile)
        super().__init__()
        self.sessions = sessions
        self.profile = start_profile
        self.screen_id = SCREENS[0].id
        self._wanted_theme = theme
        self._profile_themes = dict(profile_themes or {})
        self._save_theme = save_theme
        self._unknown_themes_told: set[str] = set()
        for theme_data in load_themes().values():
            self.register_theme(theme_data)
        # The theme is set before Textual first parses the CSS: it then parses once, with the
        # theme's colours, rather than with Textual's default and then all over again with ours.
        self.theme = self.theme_of(start_profile, tell=False)
        self.stylesheet.set_variables(self.get_css_variables())
        # Nothing is painted until the first screen has its first data (or an error) to show, or
        # FIRST_PAINT_WAIT_S has passed (tui.screens.first_paint says why).
        self._paint_hold: contextlib.ExitStack | None = contextlib.ExitStack()
        self._paint_hold.enter_context(self.batch_update())
        if keymap:
            self.set_keymap(dict(keymap))
            if "app.palette" in self._keymap:  # the footer finds the palette key under this name
                self.COMMAND_PALETTE_BINDING = self._keymap["app.palette"].split(",")[0]
        self._on_exit = on_exit
        self._demo_codes = demo_codes
        self._bidi_reorder = bidi_reorder
        self.wall = wall  # a NOC wall: one kiosk screen, read-only, no keys but quit and cycling
        self._started = time.perf_counter()
        self._gc = GcPacer()
        self._unopened: set[str] = set()  # sessions not logged in yet (see on_mount)
        self._states: dict[str, ConnectionState] = {}  # each profile's last connection state
        for name, session in sessions.items():
            label = self._vendor_label(session)
            for spec in SCREENS:
                self.add_mode(self._mode(spec.id, name), self._factory(spec, session, label))
        if wall is not None:
            self.add_mode("wall", self._make_wall)

    @staticmethod
    def _mode(screen_id: str, profile: str) -> str:
        return f"{screen_id}@{profile}"

    @staticmethod
    def _factory(spec: ScreenSpec, session: ProfileSession, label: str) -> Callable[[], Screen]:
        return lambda: spec.screen_class()(session, label)

    # -- start and stop -------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._bidi_reorder:
            self._terminal_write(BIDI_OFF)  # we reorder RTL text ourselves: VTE must not do it twice
        if self.wall is None:
            self.show_theme_of(self.profile)  # tells of an unknown theme, now that it can
        for name, session in self.sessions.items():
            session.on_status(lambda status, n=name: self._status_changed(n, status, was=self._states.get(n)))
        # The profile on screen logs in first; the others a moment later (or when shown), so that
        # their logins and push listeners do not hold up the first data on screen.
        self._unopened.update(self.sessions)
        self._open_session(self.profile)
        self.set_timer(OTHER_SESSIONS_AFTER_S, self._open_every_session, name="open-other-sessions")
        if self._demo_codes is not None:
            self.set_interval(1.0, self._show_demo_codes)
        if not self.is_headless:
            # A dropped SSH session leaves a dead terminal: notice it and exit rather than spin on it.
            self.set_interval(2.0, self._exit_if_terminal_gone, name="terminal-watch")
        self.set_timer(FIRST_PAINT_WAIT_S, self._paint, name="first-paint")
        self.set_timer(2.0, self._settle_in, name="settle-in")
        self._gc.take_over()
        self.set_interval(1.0, self._gc.tick, name="gc-pacer")
        self.log.info(f"started in {(time.perf_counter() - self._started) * 1000:.0f} ms")

    @property
    def painting(self) -> bool:
        """False while the console waits for its first data before painting anything."""
        return self._paint_hold is None

    def _paint(self) -> None:
        """Start painting (once): the first data came, the wait is over, or a key was pressed."""
        if self._paint_hold is not None:
            hold, self._paint_hold = self._paint_hold, None
            hold.close()
            paint_now = getattr(self.screen, "paint_now", None)
            if paint_now is not None:
                paint_now()
            else:
                self.screen.refresh(layout=True)

    def on_first_data_drawn(self) -> None:
        self._paint()

    def _settle_in(self) -> None:
        """Once the console is up: load the screens not shown yet (so that the first switch to one
        does not wait for its module), then put all start-up built out of the collector's sight."""
        if self.wall is None:
            for spec in SCREENS:
                spec.screen_class()
        freeze_start_up_objects()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp):
            self._gc.saw_input()  # a full collection waits until the keys stop
            self._paint()  # a key shows its effect at once, data or not
        await super().on_event(event)

    async def on_unmount(self) -> None:
        self._gc.give_back()
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

    # -- themes -------------------------------------------------------------------------------------
    def _make_wall(self) -> Screen:
        from tui.screens.wall import ProfileWallScreen

        labels = {n: self._vendor_label(s) for n, s in self.sessions.items()}
        wall = ProfileWallScreen(self.sessions, labels, self.wall)
        self.show_theme_of(wall.current or self.profile)
        return wall

    @property
    def shown_profile(self) -> str:
        """The profile on screen: the current one, or on the wall the one whose board it shows."""
        if self.wall is not None:
            from tui.screens.wall import WallScreen

            for screen in self.screen_stack:
                if isinstance(screen, WallScreen) and screen.current is not None:
                    return screen.current
        return self.profile

    def theme_of(self, profile: str, *, tell: bool = True) -> str:
        """The theme `profile` is shown in: its own, else the console-wide one (known ones only).
        An unknown theme is told once (`tell`: not before the console runs)."""
        for name in (self._profile_themes.get(profile), self._wanted_theme):
            if name is None:
                continue
            if name in self.available_themes:
                return name
            if tell and name not in self._unknown_themes_told:  # once, not on every switch
                self._unknown_themes_told.add(name)
                self.notify(f"unknown theme {name!r}; using another", severity="warning")
        return FALLBACK_THEME if FALLBACK_THEME in self.available_themes else self.theme

    def show_theme_of(self, profile: str) -> None:
        theme = self.theme_of(profile)
        if self.theme != theme:
            self.theme = theme

    def action_choose_theme(self, name: str) -> None:
        """Use theme `name` where it applies now, and save it when the console can.

        A profile with a theme of its own gets the new one (switching profile would otherwise
        bring the old one back); otherwise it becomes the console-wide theme.
        """
        if name not in self.available_themes:
            self.notify(f"unknown theme {name!r}", severity="error")
            return
        profile = self.shown_profile
        scope = profile if profile in self._profile_themes else None
        if scope is None:
            self._wanted_theme = name
        else:
            self._profile_themes[scope] = name
        self.theme = name
        where = f" for profile {scope}" if scope else ""
        if self._save_theme is None:
            self.notify(f"theme {name}{where} (for this run)")
            return
        try:
            self._save_theme(name, scope)
        except (OSError, ValueError, ConfigError) as error:
            reason = str(error).replace("\n", "; ")
            self.notify(f"theme {name}{where}, not saved: {reason}", severity="warning", timeout=10)
            return
        self.notify(f"theme {name}{where}, saved")

    # -- MFA ------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.wall is not None and action in ("show_screen", "cycle_profile", "switch_profile", "verify"):
            return False  # the wall is one kiosk screen
        return True

    def _status_changed(
        self, profile: str, status: SessionStatus, *, was: ConnectionState | None = None
    ) -> None:
        """The MFA flow opens when the profile on screen comes to need MFA (`was`: its state
        before), or is shown needing it; not again on every new word about the same state, which
        would bring it back over a board the operator went back to."""
        self._states[profile] = status.state
        if self.wall is not None:
            return  # nobody types codes at a wall: its board says MFA is required
        needs_mfa = ConnectionState.MFA_REQUIRED
        if profile == self.profile and status.state is needs_mfa and was is not needs_mfa:
            self.call_later(self.action_verify)

    def action_verify(self) -> None:
        """Open the MFA flow for the current profile (once; it closes itself when verified)."""
        from tui.screens.mfa import MfaScreen

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

    def _open_session(self, name: str) -> None:
        if name in self._unopened:
            self._unopened.discard(name)
            self.run_worker(self.sessions[name].open(), group="sessions", exit_on_error=False)

    def _open_every_session(self) -> None:
        for name in list(self.sessions):
            self._open_session(name)

    def action_switch_profile(self, name: str) -> None:
        self._open_session(name)
        self.profile = name
        self.show_theme_of(name)
        self.switch_mode(self._mode(self.screen_id, name))
        self._status_changed(name, self.sessions[name].status)

    def action_toggle_help(self) -> None:
        # By type name: importing HelpPanel pulls in Textual's Markdown widget, ~0.1 s of every start.
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # -- command palette ------------------------------------------------------------------------
    def key_of(self, binding_id: str, default: str) -> str:
        """How the key of binding `binding_id` is shown, after the user's `[keys]`."""
        keys = self._keymap.get(binding_id, default).split(",")
        return " ".join(self.get_key_display(Binding(key, "")) for key in keys)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Theme":  # replaced by one "Theme: <name>" command per theme
                yield command
        if self.wall is None:  # the wall is one kiosk screen: no screens, no profile switching
            for spec in SCREENS:
                key = self.key_of(f"app.screen.{spec.id}", spec.key)
                yield SystemCommand(
                    f"Screen: {spec.title}", f"Show the {spec.title} screen (key {key})",
                    lambda s=spec.id: self.action_show_screen(s),
                )  # fmt: skip
            for name, session in self.sessions.items():
                yield SystemCommand(
                    f"Profile: {name}", f"Switch to profile {name} ({session.vendor.display_name})",
                    lambda n=name: self.action_switch_profile(n),
                )  # fmt: skip
        profile = self.shown_profile
        scope = f"profile {profile}" if profile in self._profile_themes else "the console"
        saved = "and save it" if self._save_theme is not None else "for this run"
        for name in sorted(self.available_themes):
            current = " (current)" if name == self.theme else ""
            yield SystemCommand(
                f"Theme: {name}", f"Use this theme for {scope} {saved}{current}",
                lambda n=name: self.action_choose_theme(n),
            )  # fmt: skip
        # Every action of the screen and of the focused widget: one command for all its keys.
        actions: dict[tuple[int, str], tuple[DOMNode, Binding, list[str]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or active.node is self or not active.enabled:
                continue
            entry = actions.setdefault((id(active.node), binding.action), (active.node, binding, []))
            entry[2].append(self.get_key_display(binding))
        for node, binding, keys in actions.values():
            help_text = f"key {' '.join(dict.fromkeys(keys))}"
            if binding.tooltip:
                help_text += f" · {binding.tooltip}"
            yield SystemCommand(
                binding.description, help_text,
                lambda node=node, action=binding.action: self.call_later(node.run_action, action),
            )  # fmt: skip
