"""App-level behaviour: help, command palette, themes, token expiry through the real simulator."""

from __future__ import annotations

import asyncio

import httpx
from textual.command import CommandPalette
from textual.widgets import HelpPanel

import tui.app
from tests.conftest import DEMO_ACCOUNT, wait_until
from tui.app import CallboardApp
from tui.themes import load_themes
from tui.widgets.live_table import LiveTable


def agents(app) -> LiveTable:
    return app.screen.query_one("#agents", LiveTable)


async def test_question_mark_shows_the_keys_of_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not app.screen.query(HelpPanel))


async def test_palette_offers_screens_profiles_and_actions(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Screen: Queues",
            "Profile: office",
            "Pause agent",
            "Kick",
            "Del callback",
            "Refresh",
            "Auto-refresh",
            "Filter",
        ):
            assert expected in titles, expected
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_palette_action_runs_on_the_screen(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Pause agent")
        command.callback()
        await wait_until(pilot, lambda: bool(audit.read()))
    assert audit.read()[0]["action"] == "agent_pause"


async def test_expired_token_logs_in_again_once_and_the_board_goes_on(make_app, world, transport):
    app = make_app(refresh=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        assert world.expire_sessions(DEMO_ACCOUNT[0]) >= 1
        seen = len(transport.commands)
        await pilot.press("r")
        await wait_until(pilot, lambda: transport.commands[seen:].count("GetQueueRealTime") >= 3)
        await app.workers.wait_for_complete()
        after = transport.commands[seen:]
        assert after.count("Login") == 1  # one re-login shared by every request that hit the expiry
        panel_status = app.screen.query_one("#agents-panel PanelStatus")
        assert not panel_status.display  # no error shown: the replay succeeded
        assert "connected" in str(app.screen.query_one("StatusBar").render())


def test_builtin_themes_are_data_files():
    themes = load_themes()
    assert {"callboard-dark", "callboard-light", "callboard-contrast"} <= set(themes)
    assert themes["callboard-light"].dark is False


async def test_theme_is_chosen_at_start(make_app):
    app: CallboardApp = make_app()
    app._wanted_theme = "callboard-light"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "callboard-light"


async def test_keys_one_to_six_switch_screens_in_order(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        expected = {"1": "Queues", "2": "SIP", "3": "Campaigns", "4": "SMS", "5": "Calls", "6": "Trust"}
        for key in "2345612":
            await pilot.press(key)
            await wait_until(pilot, lambda k=key: app.screen.TITLE == expected[k])
        # Screens the vendor (or this version) lacks say so plainly.
        await pilot.press("5")
        await wait_until(pilot, lambda: app.screen.TITLE == "Calls")
        assert "Yemot HaMashiach has no live-calls API." in str(app.screen.query_one(".notice").render())


async def test_resizing_at_any_moment_keeps_a_usable_layout(make_app):
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        for key in "123456":
            await pilot.press(key)
            for size in ((80, 24), (200, 60), (81, 25), (120, 40), (80, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause(0.05)
            await pilot.pause(0.1)
            assert app.size == (80, 24)
            shot = app.export_screenshot().replace("&#160;", " ")
            assert app.screen.TITLE in shot  # the header is still there
            footer = app.screen.query_one("Footer")
            assert footer.region.height == 1 and footer.region.y == 23  # and the keys, at the bottom
            for panel in app.screen.query("Panel"):
                if panel.display:
                    assert panel.region.width >= 20 and panel.region.height >= 3, panel


class StalledVendor(httpx.AsyncBaseTransport):
    """A vendor that takes every request and never answers."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


def stalled_console(make_app, transport, monkeypatch, *, wait_s: float) -> CallboardApp:
    """The console on a vendor that never answers, painting without data after `wait_s`."""
    monkeypatch.setattr(tui.app, "FIRST_PAINT_WAIT_S", wait_s)
    transport.inner = StalledVendor()
    return make_app()


async def test_the_first_paint_waits_for_the_first_data(make_app, monkeypatch):
    monkeypatch.setattr(tui.app, "FIRST_PAINT_WAIT_S", 60.0)  # only the data can start it here
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.painting)
        first_frame = {t.id: t.row_count for t in app.screen.query(LiveTable)}
    # The first frame has the whole board (every feed of the screen): no empty board before it.
    assert first_frame["agents"] > 0 and first_frame["callbacks"] > 0


async def test_a_vendor_that_does_not_answer_gets_an_empty_board_painted_after_a_wait(
    make_app, transport, monkeypatch
):
    app = stalled_console(make_app, transport, monkeypatch, wait_s=0.3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.painting
        await wait_until(pilot, lambda: app.painting)  # ~0.3 s: the board, saying it is connecting
        assert agents(app).row_count == 0


async def test_a_key_pressed_before_the_first_data_paints_at_once(make_app, transport, monkeypatch):
    app = stalled_console(make_app, transport, monkeypatch, wait_s=60.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.painting
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.painting)
