"""The states `callboard screenshots` and the snapshot tests draw: one definition for both.

A state is a profile of the seeded simulator and the keys pressed from the start, each followed by a
wait for the screen it leads to to have its data. Everything that could make two runs differ is
pinned: the world's seed and start time, the world frozen after a fixed run (speed 0), the console's
wall clock frozen at the world's time, the local time zone, one fetch a feed (long intervals), and
no blinking cursor.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import KW_ONLY, dataclass
from datetime import datetime
from pathlib import Path

import httpx
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from tui.app import SCREENS, CallboardApp
from tui.clock import frozen_clock
from tui.config import Config, WallConfig, config_from_dict
from tui.demo import demo_profiles_at
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, ConfirmScreen
from tui.screens.mfa import MfaScreen
from tui.screens.queues import QueuesScreen
from tui.screens.sip import SipScreen
from tui.screens.sms import MessageScreen, SmsScreen
from tui.screens.wall import WallScreen
from tui.service.audit import AuditLog
from tui.service.session import ConnectionState, ProfileSession
from tui.sessions import build_sessions
from tui.simulator.server import build_app
from tui.simulator.world import ISRAEL, World
from tui.widgets.live_table import LiveTable

SEED = 7
WORLD_START = datetime(2025, 3, 2, 10, 30, tzinfo=ISRAEL)  # a Sunday morning: a working day in Israel
WORLD_RUN_S = 120  # the world runs this long after its start, then stands still
LOCAL_ZONE = "Asia/Jerusalem"  # dates are shown in local time: the same zone on every machine
SIZES = ((80, 24), (120, 40))
SETTLE_TIMEOUT_S = 10.0
_ONE_FETCH_S = 3600  # the longest refresh a config allows: each feed fetches once while a shot is taken

_YEMOT_USERS = {"yemot": "0773137770", "yemot-mfa": "0773137771"}


# -- the states ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """Press `key` (None: press nothing), then wait until `screen` is on top with its data."""

    key: str | None
    screen: type[Screen]
    until: Callable[[App], bool] | None = None  # what else must be on screen, beyond the data


@dataclass(frozen=True, slots=True)
class Shot:
    name: str  # the SVG's file stem and the snapshot test's id
    profile: str  # a profile of `shot_config`
    steps: tuple[Step, ...]
    _: KW_ONLY
    wall: bool = False  # the NOC wall (`--wall`) instead of the boards
    setup: Callable[[World], None] | None = None  # done to the world at its start, before it runs


def _code_on_its_way(app: App) -> bool:
    return "on its way" in str(app.screen.query_one("#progress", Static).render())


def _campaign_dialling(world: World) -> None:
    """Something on the Campaigns screen: a campaign of 24 numbers, launched as the world starts."""
    system = _YEMOT_USERS["yemot"]
    caller_id = world.numbers[system].main
    customer = world.auth.accounts[system].customer_id
    campaign_id = f"YA-{customer}-{caller_id}-Yemot-{int(WORLD_START.timestamp() * 1_000_000)}"
    phones = [(f"05{2 + n % 3}{4_100_000 + 7_919 * n:07d}", caller_id) for n in range(24)]
    world.launch_campaign(system, campaign_id, phones, caller_id, "/5", 30)


def _board(key: str, screen: type[Screen]) -> tuple[Step, ...]:
    """Key 1–6 pressed on the Queues screen the console opens on, once that has its data."""
    opened = Step(None, QueuesScreen)
    return (opened,) if screen is QueuesScreen else (opened, Step(key, screen))


def _screens(profile: str, setups: dict[str, Callable[[World], None]] | None = None) -> tuple[Shot, ...]:
    """Every screen of keys 1–6 of `profile`, named like "2-sip-yemot"."""
    setups = setups or {}
    return tuple(
        Shot(f"{s.key}-{s.id}-{profile}", profile, _board(s.key, s.screen_class()), setup=setups.get(s.id))
        for s in SCREENS
    )


_MFA = Step(None, MfaScreen)
SHOTS: tuple[Shot, ...] = (
    *_screens("yemot", {"campaigns": _campaign_dialling}),
    Shot("0-login-mfa-yemot", "yemot-mfa", (_MFA,)),
    Shot("0-mfa-code-sent-yemot", "yemot-mfa", (_MFA, Step("s", MfaScreen, _code_on_its_way))),
    Shot("2-sip-delete-confirm-yemot", "yemot", (*_board("2", SipScreen), Step("d", ConfirmScreen))),
    Shot("2-sip-new-form-yemot", "yemot", (*_board("2", SipScreen), Step("n", ActionForm))),
    Shot("4-sms-message-yemot", "yemot", (*_board("4", SmsScreen), Step("enter", MessageScreen))),
    Shot("7-wall-yemot", "yemot", (Step(None, WallScreen),), wall=True),
    *_screens("coocenter"),
)
SHOTS_BY_NAME = {shot.name: shot for shot in SHOTS}


# -- the world, the config and the console ------------------------------------------------------------


def shot_world(seed: int = SEED, setup: Callable[[World], None] | None = None) -> World:
    """The seeded world from its fixed start, `setup` done to it, run WORLD_RUN_S and left standing."""
    world = World(seed, start=WORLD_START)
    if setup is not None:
        setup(world)
    world.advance(WORLD_RUN_S)
    return world


def shot_config(profiles: tuple[str, ...], base: str = "simulator") -> Config:
    """The demo accounts of the simulator as profiles `yemot`, `yemot-mfa` and `coocenter`."""
    every = demo_profiles_at(base, 80, "all", push_port=None)  # served over ASGI: host and port unused
    refresh = dict.fromkeys(("queues", "sip", "campaigns", "sms", "calls"), _ONE_FETCH_S)
    return config_from_dict(
        {"refresh": refresh, "profiles": {name: every[name] for name in profiles}}, "<screenshots>"
    )


@contextmanager
def _pinned_environment(zone: str) -> Iterator[None]:
    """The environment the pictures depend on: local time in `zone` (where the platform can switch
    it), and colour (a user's NO_COLOR would turn every picture grey)."""
    pinned = {"TZ": zone if hasattr(time, "tzset") else os.environ.get("TZ"), "NO_COLOR": None}
    previous = {name: os.environ.get(name) for name in pinned}

    def apply(values: dict[str, str | None]) -> None:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if hasattr(time, "tzset"):
            time.tzset()

    apply(pinned)
    try:
        yield
    finally:
        apply(previous)


@contextmanager
def staged(shot: Shot, seed: int = SEED) -> Iterator[CallboardApp]:
    """The console for `shot` on its own frozen world; clock, zone and colour are pinned in the block."""
    world = shot_world(seed, shot.setup)
    transport = httpx.ASGITransport(app=build_app(world, speed=0))
    with tempfile.TemporaryDirectory(prefix="callboard-shot-") as scratch:
        sessions, broken = build_sessions(
            shot_config((shot.profile,)),
            transport_for=lambda _name: transport,
            audit=AuditLog(Path(scratch) / "audit.jsonl"),  # a shot's actions never reach the user's log
        )
        if broken:
            raise RuntimeError(f"shot {shot.name}: profile not built: {broken}")
        wall = WallConfig() if shot.wall else None
        with frozen_clock(world.now), _pinned_environment(LOCAL_ZONE):
            yield CallboardApp(sessions, start_profile=shot.profile, wall=wall)


# -- driving the console to the state -------------------------------------------------------------


def _feeds_loaded(session: ProfileSession, resources: tuple[str, ...]) -> bool:
    if session.status.state is ConnectionState.CONNECTING:
        return False
    for resource in resources:
        if not session.supports(resource):
            continue  # the screen says the vendor lacks it: nothing to wait for
        feed = session.feeds.get(resource)
        if feed is None:
            return False
        state = feed.state
        if state.loading or (state.fetched_at is None and state.error is None):
            return False
    return True


def has_its_data(app: App) -> bool:
    """The screen on top shows what it was opened to show (data, an error or a "lacks" notice)."""
    screen = app.screen
    if isinstance(screen, BoardScreen):
        return _feeds_loaded(screen.session, screen.FEEDS)
    if isinstance(screen, WallScreen):
        return all(_feeds_loaded(s, ("queues",)) for s in screen.sessions.values())
    if isinstance(screen, MfaScreen):
        return screen.query_one("#methods", LiveTable).row_count > 0
    return True  # a dialog: drawn from data already on screen


def _reached(app: App, step: Step) -> bool:
    return (
        isinstance(app.screen, step.screen) and has_its_data(app) and (step.until is None or step.until(app))
    )


async def _wait(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT_S
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"screenshot state not reached: {what}")
        await pilot.pause(0.02)


def hold_still(app: App) -> None:
    """No blinking: every text cursor on screen stays drawn, so two pictures of one state match."""
    for widget in [*app.screen.query(Input), *app.screen.query(TextArea)]:
        widget.cursor_blink = False


async def reach(pilot: Pilot, shot: Shot) -> None:
    """Drive the console of `staged(shot)` to the shot's state and let it settle."""
    app = pilot.app
    for number, step in enumerate(shot.steps, 1):
        if step.key is not None:
            await pilot.press(step.key)
        what = f"{shot.name}, step {number} ({step.key or 'start'} -> {step.screen.__name__})"
        await _wait(pilot, lambda step=step: _reached(app, step), what)
    await app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    hold_still(app)
    await pilot.pause()
