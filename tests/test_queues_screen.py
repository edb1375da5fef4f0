"""Pilot tests: the Queues screen on a Yemot profile against the in-process simulator."""

from __future__ import annotations

import os
import stat

import httpx

from tests.conftest import MFA_ACCOUNT, busy_queue, wait_until
from tui.screens.dialogs import ActionForm, ConfirmScreen
from tui.screens.queues import QueuesScreen
from tui.widgets.live_table import LiveTable
from tui.widgets.panel import PanelStatus

SIZE = (100, 30)


def table(app, table_id: str) -> LiveTable:
    return app.screen.query_one(f"#{table_id}", LiveTable)


def row_text(app, table_id: str, key: str) -> str:
    return " ".join(c.plain for c in table(app, table_id).get_row(key))


async def test_board_fills_and_agents_table_has_the_focus(make_app, world, transport):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)
        assert transport.commands.count("Login") == 1  # the session check and the feeds share one login
        assert isinstance(app.screen, QueuesScreen)
        assert app.focused is table(app, "agents")
        members = sum(len(q.members) for q in world.queues.values())
        assert table(app, "agents").row_count == members
        assert table(app, "summary").row_count == 3
        await wait_until(pilot, lambda: table(app, "callbacks").row_count > 0)
        assert "connected" in str(app.screen.query_one("StatusBar").render())


async def test_space_pauses_the_agent_under_the_cursor_and_audits_it(make_app, world, audit):
    app = make_app(refresh=3600)  # what the screen shows next comes from the refresh the action asks for
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        key = agents.current_key()
        queue_path, agent_name = key.split("\x1f")  # Yemot names an agent by its phone
        queue = world.queue_by_ivr_path(queue_path)
        agent_id = world.agent_by_phone(agent_name).agent_id
        assert not queue.member(agent_id).paused

        await pilot.press("space")
        await wait_until(pilot, lambda: queue.member(agent_id).paused)
        await wait_until(pilot, lambda: "paused" in row_text(app, "agents", key))
        assert agents.current_key() == key  # the cursor stayed on the agent

        await pilot.press("space")  # and back
        await wait_until(pilot, lambda: not queue.member(agent_id).paused)
        await wait_until(pilot, lambda: "paused" not in row_text(app, "agents", key))

    entries = audit.read()
    assert [e["action"] for e in entries] == ["agent_pause", "agent_pause"]
    assert entries[0]["target"] == f"{queue_path} {agent_name} pause" and entries[0]["outcome"] == "ok"
    assert entries[1]["target"].endswith("unpause")
    assert stat.S_IMODE(os.stat(audit.path).st_mode) == 0o600


async def test_x_asks_then_kicks_the_caller_to_an_extension(make_app, world, audit):
    queue = busy_queue(world)
    caller = queue.waiting[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        waiting = table(app, "waiting")
        await wait_until(pilot, lambda: waiting.row_count > 0)
        key = f"{queue.ivr_path}\x1f{caller.call_id}"
        waiting.move_cursor(row=waiting.get_row_index(key))
        waiting.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        assert caller.call_id in [c.call_id for c in queue.waiting]  # nothing sent before the answer
        await pilot.press("slash", "1", "enter")
        await wait_until(pilot, lambda: caller.call_id not in [c.call_id for c in queue.waiting])
        await wait_until(pilot, lambda: key not in [k.value for k in table(app, "waiting").rows])
        await app.workers.wait_for_complete()

    entry = audit.read()[-1]
    assert entry["action"] == "queue_kick" and entry["outcome"] == "ok"
    assert entry["target"] == f"{queue.ivr_path} {caller.call_id} -> /1"
    assert entry["items"] == [{"target": caller.call_id, "ok": True, "detail": "OK"}]


async def test_bad_kick_destination_is_refused_by_the_field_and_nothing_is_sent(make_app, world, audit):
    queue = busy_queue(world)
    caller = queue.waiting[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        waiting = table(app, "waiting")
        await wait_until(pilot, lambda: waiting.row_count > 0)
        waiting.move_cursor(row=waiting.get_row_index(f"{queue.ivr_path}\x1f{caller.call_id}"))
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        await pilot.press("1", "space", "2", "enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ActionForm)  # still asking
        message = str(app.screen.query_one("#error-goto").render())
        assert "extension path" in message
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
    assert caller.call_id in [c.call_id for c in queue.waiting]
    assert audit.read() == []


async def test_kick_of_a_caller_who_already_left_shows_the_per_item_status(make_app, world, audit):
    queue = busy_queue(world)
    caller = queue.waiting[0]
    app = make_app(refresh=3600)  # the board keeps showing the caller after they are gone
    async with app.run_test(size=SIZE) as pilot:
        waiting = table(app, "waiting")
        await wait_until(pilot, lambda: waiting.row_count > 0)
        waiting.move_cursor(row=waiting.get_row_index(f"{queue.ivr_path}\x1f{caller.call_id}"))
        world.kick(queue.queue_id, caller.call_id)  # someone else was quicker
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(audit.read()))
        await app.workers.wait_for_complete()
        shown = [n.message for n in app._notifications]
        assert any(f"✗ {caller.call_id}: Call not found" in m for m in shown), shown  # per-item result
    entry = audit.read()[-1]
    assert entry["outcome"] == "failed"
    assert entry["items"] == [{"target": caller.call_id, "ok": False, "detail": "Call not found"}]


async def test_d_asks_before_removing_a_callback_request(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        callbacks = table(app, "callbacks")
        await wait_until(pilot, lambda: callbacks.row_count > 0)
        callbacks.focus()
        request_id = int(callbacks.current_key())
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        assert request_id in world.callback_requests and audit.read() == []

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: request_id not in world.callback_requests)
        await wait_until(pilot, lambda: str(request_id) not in [k.value for k in callbacks.rows])
    entry = audit.read()[-1]
    assert (entry["action"], entry["target"], entry["outcome"]) == ("callback_remove", str(request_id), "ok")


async def test_vendor_failure_keeps_last_data_shows_the_error_and_recovers(make_app, transport):
    app = make_app(refresh=0.2)
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        rows = agents.row_count
        status = app.screen.query_one("#agents-panel PanelStatus", PanelStatus)
        transport.failing = httpx.ConnectError("connection refused")
        await wait_until(pilot, lambda: status.display and "⚠" in str(status.render()))
        assert agents.row_count == rows  # last good data kept
        assert "retry in" in str(status.render()) or "retrying" in str(status.render())
        assert "offline" in str(app.screen.query_one("StatusBar").render())
        transport.failing = None
        await wait_until(pilot, lambda: not status.display, timeout=10)
        await wait_until(pilot, lambda: "connected" in str(app.screen.query_one("StatusBar").render()))


async def test_session_without_mfa_says_so_plainly(make_app):
    from tui.screens.mfa import MfaScreen

    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))  # the MFA flow comes first
        await pilot.press("escape")  # put off: the board says plainly why it is empty
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        banner = app.screen.query_one("#mfa-banner")
        await wait_until(pilot, lambda: banner.has_class("-shown"))
        assert "two-factor" in str(banner.render())
        assert "MFA required" in str(app.screen.query_one("StatusBar").render())


async def test_p_pauses_auto_refresh_and_r_still_refreshes(make_app, transport):
    app = make_app(refresh=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)
        await pilot.press("p")
        await pilot.pause(0.3)
        before = transport.requests
        await pilot.pause(0.5)
        assert transport.requests == before  # nothing polled while paused
        assert "paused" in str(app.screen.query_one("StatusBar").render())
        await pilot.press("r")
        await wait_until(pilot, lambda: transport.requests > before)


async def test_slash_filters_the_focused_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        total = agents.row_count
        await pilot.press("slash", *"SIP-")
        await wait_until(pilot, lambda: agents.row_count < total)
        assert all("SIP-" in row_text(app, "agents", k.value) for k in agents.rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: agents.row_count == total)


async def test_readable_at_80x24(make_app):
    app = make_app()
    wanted = ("Queues", "Agents", "Waiting callers", "Callback requests", "Paused", "Kick")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)

        def shot() -> str:
            return app.export_screenshot().replace("&#160;", " ")

        await wait_until(pilot, lambda: all(text in shot() for text in wanted))


async def test_vendor_wait_is_obeyed_and_counted_down(make_app, transport):
    app = make_app(refresh=0.1)
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        transport.reply = {
            "responseStatus": "Exception",
            "message": "exception send by customer. wait 55s",
            "file": "CustomerMFA.class.ym",
            "Line": "590:19",
            "yAfastVersion": "6.7.30",
        }
        status = app.screen.query_one("#agents-panel PanelStatus", PanelStatus)
        await wait_until(pilot, lambda: "vendor asks to wait" in str(status.render()))
        # Every feed of the screen (agents and callbacks poll apart) has had its answer to wait.
        feeds = [app.sessions[app.profile].feeds[name] for name in ("queues", "callbacks")]
        await wait_until(pilot, lambda: all(feed.state.vendor_wait for feed in feeds))
        first = str(status.render())
        asked = transport.requests
        await pilot.pause(1.3)
        assert transport.requests == asked  # nothing sent while the vendor said wait (interval is 0.1 s)
        assert str(status.render()) != first  # the countdown moved
        assert agents.row_count > 0
