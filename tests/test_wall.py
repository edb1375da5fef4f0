"""The NOC wall: big counters per queue, alarms with a bell (not in quiet hours), cycling, outages."""

from __future__ import annotations

import httpx

from tests.conftest import busy_queue, office_and_floor_profiles, wait_until
from tui.app import CallboardApp
from tui.config import config_from_dict
from tui.screens.wall import QueueCard, WallScreen
from tui.sessions import build_sessions
from tui.widgets.panel import PanelStatus


def wall_app(transport, audit, **wall) -> CallboardApp:
    profiles = office_and_floor_profiles()
    config = config_from_dict({"refresh": {"queues": 0.3}, "wall": wall, "profiles": profiles}, "<test>")
    sessions, _ = build_sessions(config, read_only=True, transport_for=lambda _n: transport, audit=audit)
    return CallboardApp(sessions, start_profile="office", wall=config.wall)


def cards(app) -> list[QueueCard]:
    """The cards of the board shown (the other profiles' boards are kept, hidden)."""
    return [card for card in app.screen.shown_cards() if card.is_attached]


async def test_wall_shows_big_counters_rings_once_and_cycles(transport, audit, world):
    queue = busy_queue(world, minimum=2)
    app = wall_app(transport, audit, waiting_alarm=2, bell=True)
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, WallScreen)
        await wait_until(pilot, lambda: len(cards(app)) == 3)
        card = next(c for c in cards(app) if c.queue_id == queue.ivr_path)
        await wait_until(pilot, lambda: card.has_class("-alarm"))
        rung = len(rings)
        assert 1 <= rung <= 3  # once for each queue whose alarm started
        await pilot.pause(1.0)
        assert len(rings) == rung  # not again while the alarms last (the world is frozen)
        assert "read-only" in str(app.screen.query_one("StatusBar").render())

        await pilot.press("right_square_bracket")  # the next board (it also cycles by itself)
        await wait_until(pilot, lambda: app.screen.current == "floor")
        await wait_until(pilot, lambda: {c.queue_id for c in cards(app)} == {"630", "631", "632"})
        await pilot.press("1", "space", "x")  # no screens, no actions on a wall
        assert isinstance(app.screen, WallScreen)
    assert audit.read() == []


async def test_quiet_hours_keep_the_bell_silent(transport, audit, world):
    busy_queue(world, minimum=2)
    app = wall_app(transport, audit, waiting_alarm=1, quiet_hours="00:00-23:59")
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: any(c.has_class("-alarm") for c in cards(app)))
        assert rings == []


async def test_wall_survives_an_outage_with_its_last_figures(transport, audit):
    app = wall_app(transport, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: len(cards(app)) == 3)
        status = app.screen.query_one("#wall-status", PanelStatus)
        transport.failing = httpx.ConnectError("refused")
        await wait_until(pilot, lambda: status.display and "⚠" in str(status.render()))
        assert len(cards(app)) == 3  # the last figures stay up
        transport.failing = None
        await wait_until(pilot, lambda: not status.display, timeout=10)


async def test_cycling_faster_than_boards_can_draw_does_not_knock_the_wall_over(transport, audit):
    app = wall_app(transport, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: len(cards(app)) == 3)
        for _ in range(6):  # a card mounted and removed again before its first figures arrive
            app.screen.action_cycle(1)
            app.screen.action_cycle(1)
            await pilot.pause(0.05)
        await pilot.pause(1.0)
        assert app.is_running and isinstance(app.screen, WallScreen)
        await wait_until(pilot, lambda: len(cards(app)) >= 3)


async def test_cycling_shows_each_board_again_without_building_it_again(transport, audit):
    """A wall cycles for weeks: a board shown again is the same widgets, not a new set each time."""
    app = wall_app(transport, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: len(cards(app)) == 3)
        first = {id(card) for card in cards(app)}
        profiles = len(app.screen.sessions)
        for _ in range(profiles):  # round the wall back to the first board
            app.screen.action_cycle(1)
            await pilot.pause(0.3)
        await wait_until(pilot, lambda: len(cards(app)) == 3)
        assert {id(card) for card in cards(app)} == first
        shown = [grid for grid in app.screen.query("Grid.cards") if grid.display]
        assert len(shown) == 1 and set(shown[0].children) == set(cards(app))  # the others are hidden
