"""Pilot tests: a coocenter-api profile against the simulator — queues, pushes, SIP, calls, blacklist."""

from __future__ import annotations

import pytest

from tests.conftest import wait_until
from tui.listen import free_port
from tui.screens.dialogs import ActionForm, ConfirmScreen
from tui.service.push import PushState
from tui.simulator.coocenter_facade import DEFAULT_PBX_TIMEZONE
from tui.simulator.coocenter_pusher import CoocenterPusher
from tui.simulator.demo_accounts import DEMO_MAC
from tui.simulator.world_entities import DeviceState
from tui.widgets.live_table import LiveTable

SIZE = (110, 32)


def table(app, table_id: str) -> LiveTable:
    return app.screen.query_one(f"#{table_id}", LiveTable)


def keys(app, table_id: str) -> list[str]:
    return [k.value for k in table(app, table_id).rows]


def row_text(app, table_id: str, key: str) -> str:
    return " ".join(c.plain for c in table(app, table_id).get_row(key))


def header(app) -> str:
    return str(app.screen.query_one("StatusBar").render())


def notes(app) -> str:
    """The plain sentences panels and screens show instead of data they cannot have."""
    return " ".join(str(w.render()) for w in app.screen.query(".panel-note, .notice"))


def idle_agent_extension(world) -> str:
    for agent in world.agents.values():
        if agent.state is DeviceState.IDLE and world.memberships_of(agent.agent_id):
            return agent.extension
    raise AssertionError("no idle agent")


@pytest.fixture
async def pusher(world):
    port = free_port()
    push = CoocenterPusher(
        world, f"http://127.0.0.1:{port}/", mac=DEMO_MAC, pbx_timezone=DEFAULT_PBX_TIMEZONE, retries=0
    )
    push.port = port
    yield push
    await push.aclose()


# -- Queues ----------------------------------------------------------------------------------------


async def test_queue_board_from_queue_info_and_hints(make_coocenter_app, world):
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)
        members = sum(len(q.members) for q in world.queues.values())
        assert table(app, "agents").row_count == members
        assert sorted(keys(app, "summary")) == sorted(q.number for q in world.queues.values())
        text = notes(app)
        assert "coocenter-api's API does not list waiting callers." in text
        assert "coocenter-api has no callback-request API." in text
        assert not app.screen.query("#waiting") and not app.screen.query("#callbacks")


async def test_space_pauses_a_coocenter_agent(make_coocenter_app, world, audit):
    app = make_coocenter_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        queue_number, extension = agents.current_key().split("\x1f")
        queue = world.queue_by_number(queue_number)
        agent_id = world.agent_by_extension(extension).agent_id
        await pilot.press("space")
        await wait_until(pilot, lambda: queue.member(agent_id).paused)
        await wait_until(pilot, lambda: "paused" in row_text(app, "agents", agents.current_key()))
        await pilot.press("space")
        await wait_until(pilot, lambda: not queue.member(agent_id).paused)
    assert [e["target"] for e in audit.read()] == [
        f"{queue_number} {extension} pause",
        f"{queue_number} {extension} unpause",
    ]


async def test_agent_logout_asks_first_then_login_brings_the_agent_back(make_coocenter_app, world, audit):
    app = make_coocenter_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        key = agents.current_key()
        queue_number, extension = key.split("\x1f")
        queue = world.queue_by_number(queue_number)
        agent_id = world.agent_by_extension(extension).agent_id

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: queue.member(agent_id) is None)
        await wait_until(pilot, lambda: key not in keys(app, "agents"))

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        form.query_one("#field-queue_id").value = queue_number
        await pilot.click("#field-extension")
        await pilot.press("x", "y", "enter")  # not an extension: refused by the field, nothing sent
        await wait_until(
            pilot, lambda: "extension is 2 to 10 digits" in str(form.query_one("#error-extension").render())
        )
        form.query_one("#field-extension").value = extension
        await pilot.press("enter")
        await wait_until(pilot, lambda: queue.member(agent_id) is not None)
        await wait_until(pilot, lambda: key in keys(app, "agents"))
    assert [e["action"] for e in audit.read()] == ["agent_logout", "agent_login"]


# -- pushes ----------------------------------------------------------------------------------------


async def test_board_moves_on_a_push_with_polling_off(make_coocenter_app, world, transport, pusher):
    app = make_coocenter_app(refresh=3600, push_listen=f"127.0.0.1:{pusher.port}")
    async with app.run_test(size=SIZE) as pilot:
        agents = table(app, "agents")
        await wait_until(pilot, lambda: agents.row_count > 0)
        await wait_until(pilot, lambda: "waiting" in header(app))
        extension = idle_agent_extension(world)
        key = next(k for k in keys(app, "agents") if k.endswith("\x1f" + extension))
        assert "idle" in row_text(app, "agents", key)
        requests = transport.requests
        assert world.click_to_call(extension, "0501234567") == "ok"  # the agent's phone rings
        await pusher.flush()
        await wait_until(pilot, lambda: "ringing" in row_text(app, "agents", key))
        assert transport.requests == requests  # moved by the push alone
        assert "push live" in header(app)


async def test_push_loss_falls_back_to_polling_and_back(make_coocenter_app, world, pusher):
    app = make_coocenter_app(refresh=1, push_listen=f"127.0.0.1:{pusher.port}", push_silence=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)
        session = app.sessions["office"]
        world.click_to_call(idle_agent_extension(world), "0501234567")
        await pusher.flush()
        await wait_until(pilot, lambda: session.push.status.state is PushState.LIVE)
        assert session.feeds["queues"].interval == 10  # pushes carry the board: polling slows down
        pusher.enabled = False
        await wait_until(pilot, lambda: session.push.status.state is PushState.SILENT, timeout=10)
        assert session.feeds["queues"].interval == 1
        assert "silent" in header(app) and "polling" in header(app)
        pusher.enabled = True
        world.advance(30)
        await pusher.flush()
        await wait_until(pilot, lambda: session.push.status.state is PushState.LIVE)
        assert session.feeds["queues"].interval == 10
        assert "push live" in header(app)


async def test_a_listener_that_cannot_bind_says_so_and_polls(make_coocenter_app):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = make_coocenter_app(refresh=1, push_listen=f"127.0.0.1:{port}")
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: table(app, "agents").row_count > 0)
            await wait_until(pilot, lambda: "listener failed" in header(app))
            assert "polling" in header(app)
            assert app.sessions["office"].feeds["queues"].interval == 1


# -- SIP, calls, blacklist, absent screens ---------------------------------------------------------


async def test_sip_screen_lists_extensions_with_status_and_latency(make_coocenter_app, world):
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen.query("#sip") and table(app, "sip").row_count > 0)
        assert sorted(keys(app, "sip")) == sorted(world.extensions)
        registered = next(k for k, e in world.extensions.items() if e.registration.status == "OK")
        assert "ms" in row_text(app, "sip", registered) and "yes" in row_text(app, "sip", registered)


async def _calls_screen(app, pilot):
    await pilot.press("5")
    await wait_until(pilot, lambda: app.screen.query("#calls") and table(app, "calls").row_count > 0)


async def _cursor_on_extension_call(app, pilot) -> str:
    calls = table(app, "calls")
    for index in range(calls.row_count):
        key = calls.coordinate_to_cell_key((index, 0)).row_key.value
        extension = calls.get_row(key)[4].plain
        if extension.isdigit():
            calls.move_cursor(row=index)
            calls.focus()
            await pilot.pause()
            return extension
    raise AssertionError("no call on an extension")


async def test_hang_up_asks_first(make_coocenter_app, world, audit):
    world.advance(60)
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await _calls_screen(app, pilot)
        extension = await _cursor_on_extension_call(app, pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert world.pbx.leg_of(extension) is not None or world.agent_by_extension(extension).call is not None
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(audit.read()))
    entry = audit.read()[-1]
    assert entry["action"] == "call_hangup" and entry["outcome"] == "ok", entry


async def test_transfer_and_listen_take_a_checked_extension(make_coocenter_app, world, audit):
    world.advance(60)
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await _calls_screen(app, pilot)
        await _cursor_on_extension_call(app, pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        await pilot.press("a", "b", "enter")
        await wait_until(
            pilot,
            lambda: "extension is 2 to 10 digits" in str(app.screen.query_one("#error-listener").render()),
        )
        assert audit.read() == []  # nothing sent on bad input
        app.screen.query_one("#field-listener").value = "800"
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(audit.read()))
        assert audit.read()[-1]["action"] == "call_spy"

        await _cursor_on_extension_call(app, pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        await pilot.press("8", "2", "0", "enter")
        await wait_until(pilot, lambda: len(audit.read()) == 2)
    assert audit.read()[-1]["action"] == "call_transfer"
    assert audit.read()[-1]["target"].endswith("-> 820")


async def test_click_to_call_validates_both_numbers_then_rings(make_coocenter_app, world, audit):
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await wait_until(pilot, lambda: bool(app.screen.query("#calls")))
        source = idle_agent_extension(world)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        form.query_one("#field-source").value = "x1"
        form.query_one("#field-destination").value = "call me"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "digits" in str(form.query_one("#error-destination").render()))
        assert "digits" in str(form.query_one("#error-source").render())
        assert audit.read() == []
        form.query_one("#field-source").value = source
        form.query_one("#field-destination").value = "050-123-4567"
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(audit.read()))
        assert world.device_state(source) is DeviceState.RINGING
    entry = audit.read()[-1]
    assert (entry["action"], entry["target"], entry["outcome"]) == (
        "click_to_call",
        f"{source} -> 0501234567",
        "ok",
    )


async def test_blacklist_add_and_delete(make_coocenter_app, world, audit):
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await wait_until(
            pilot, lambda: app.screen.query("#blacklist") and table(app, "blacklist").row_count > 0
        )
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        form.query_one("#field-number").value = "12ab"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "phone number" in str(form.query_one("#error-number").render()))
        form.query_one("#field-number").value = "+972 3 555 0199"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "+97235550199" in world.blacklist)
        await wait_until(pilot, lambda: "+97235550199" in keys(app, "blacklist"))

        blacklist = table(app, "blacklist")
        blacklist.focus()
        blacklist.move_cursor(row=blacklist.get_row_index("+97235550199"))
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "+97235550199" not in world.blacklist)
        await wait_until(pilot, lambda: "+97235550199" not in keys(app, "blacklist"))
    assert [e["action"] for e in audit.read()] == ["blacklist_add", "blacklist_remove"]


async def test_screens_coocenter_lacks_say_so(make_coocenter_app):
    app = make_coocenter_app()
    async with app.run_test(size=SIZE) as pilot:
        for key, sentence in (
            ("3", "coocenter-api has no campaign API."),
            ("4", "coocenter-api has no incoming-SMS API."),
            ("6", "coocenter-api has no MFA trust-management API."),
        ):
            await pilot.press(key)
            await wait_until(pilot, lambda s=sentence: s in notes(app))


async def test_trust_screen_of_a_vendor_without_mfa_offers_no_verification(make_coocenter_app):
    app = make_coocenter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await pilot.pause(0.5)
        assert app.screen.check_action("hard_verify", ()) is False
        await pilot.press("h")  # nothing to verify against: no MFA screen opens
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "TrustScreen"
