"""The simulator's coocenter-api facade and push sender against the seed (003) and vendors/coocenter.md."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tui.simulator import world_pbx
from tui.simulator.coocenter_facade import coocenter_app
from tui.simulator.coocenter_pusher import CoocenterPusher
from tui.simulator.server import DEMO_CREDENTIALS, SimulatorServer, build_app
from tui.simulator.world import ISRAEL, World
from tui.simulator.world_entities import DeviceState
from tui.vendors.coocenter.adapter import push_events
from tui.vendors.coocenter.assumptions import C_A4_LABELS, C_A4_STATUS_TEXT, c_a3_parse_date

START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)
SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_URL = "http://pbx/"  # the facade alone; the server mounts it under /coocenter/coocenter-api
PUSH_URL = "http://listener.test/push"
MAC = "68:69:2e:03:8b:3e"
WEBKEY = "asjdfjklkasdf"
HHMMSS = re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d$")
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
UNIQUEID = re.compile(r"^\d{10}\.\d+$")
CHANNEL = re.compile(r"^(SIP/\d{3}-[0-9a-f]{8}|SIP/trunk-[0-9a-f]{8}|DAHDI/i1/\+?\d+-[0-9a-f]+)$")
SIP_STATUS = re.compile(r"^((OK|LAGGED) \(\d+ ms\)|UNREACHABLE|UNKNOWN)$")
CHANNEL_FIELDS = [
    "calleridname",
    "calleridnum",
    "channel",
    "channelstate",
    "channelstatedesc",
    "connectedlinename",
    "connectedlinenum",
    "duration",
]
# The seed's push bodies, field for field.
PUSH_FIELDS: dict[str, set[str]] = {
    "dialbegein": {
        *("event", "timestamp", "channel", "calleridnum", "destchannel", "destcalleridnum"),
        *("destuniqueid", "dialstring", "uniqueid", "mac"),
    },
    "dialend": {
        *("event", "timestamp", "channel", "calleridnum", "destchannel", "destcalleridnum"),
        *("uniqueid", "dialstatus"),
    },
    "hangup": {"event", "calleridnum", "calleridname", "connectedlinenum", "connectedlinename", "uniqueid"},
    "extensionstatus": {"event", "exten", "status", "statustext"},
    "ivr": {
        *("event", "uuid", "caller", "called", "callType", "queueCode", "startTime", "endTime"),
        *("duration", "ivrId", "ivrName", "ivrDtmf", "trunkNumber", "mac"),
    },
    "cdr": {
        *("event", "callerid", "source", "destination", "starttime", "answertime", "endtime"),
        *("disposition", "duration", "billableseconds", "calltype", "recordfile", "uniqueid"),
    },
    "cc_cdr": {
        *("event", "uuid", "caller", "called", "queueCode", "agentCode", "callType", "cdrState"),
        *("hangupSide", "hangupCause", "startTime", "endTime", "duration", "queueTime", "feedbackTime"),
        *("ivrTime", "ringTime", "holdTime", "pauseTime", "talkingTime", "voicemailState", "ivrId"),
        *("ivrName", "ivrDtmf", "fwType", "score", "trunkNumber", "forwardNumber", "filePath"),
        *("missCause", "mac"),
    },
}


def md5_auth(webkey: str, day: str) -> dict[str, str]:
    return {"Authorization": hashlib.md5((webkey + day).encode()).hexdigest()}


@pytest.fixture
def world() -> World:
    return World(seed=7, start=START)


@pytest.fixture
def certain_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every phone the PBX rings picks up (the tests follow one call through its phases)."""
    monkeypatch.setattr(world_pbx, "LOCAL_ANSWERS", 1.0)
    monkeypatch.setattr(world_pbx, "FAR_ANSWERS", 1.0)
    monkeypatch.setattr(world_pbx, "CLICK_SOURCE_ANSWERS", 1.0)
    monkeypatch.setattr(world_pbx, "INTERNAL_CALL_RATE", 0.0)


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)


@pytest.fixture
async def pbx(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(coocenter_app(world)) as http:
        yield http


async def ok(response_or_call) -> Any:
    response = await response_or_call if asyncio.iscoroutine(response_or_call) else response_or_call
    assert response.status_code == 200, response.text
    assert response.headers.get("date")
    return response.json()


async def post(http: httpx.AsyncClient, path: str, **form: str) -> httpx.Response:
    return await http.post(path, data=form)


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status", "message"} and body["status"] == "error"
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]


def advance_until(world: World, condition: Callable[[], bool], step: float = 1, limit: float = 7200) -> None:
    waited = 0.0
    while not condition():
        assert waited < limit, "the condition never came true"
        world.advance(step)
        waited += step


def agent_in_queue_call(world: World):
    advance_until(world, lambda: any(a.state is DeviceState.IN_CALL for a in world.agents.values()))
    return next(a for a in world.agents.values() if a.state is DeviceState.IN_CALL)


def idle(world: World, *extensions: str) -> Callable[[], bool]:
    return lambda: all(
        world.device_state(e) is DeviceState.IDLE and world.pbx.leg_of(e) is None for e in extensions
    )


async def calls_of(http: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    body = await ok(http.post("extensions/current-calls"))
    return {row["channel"]: row for row in body["data"]}


def leg_of(calls: dict[str, dict[str, str]], extension: str) -> dict[str, str] | None:
    return next((row for name, row in calls.items() if name.startswith(f"SIP/{extension}-")), None)


# -- queries: exact shapes (B3) ----------------------------------------------------------------------


async def test_current_calls_shape(pbx: httpx.AsyncClient, world: World) -> None:
    agent = agent_in_queue_call(world)
    body = await ok(pbx.post("extensions/current-calls"))
    assert list(body) == ["status", "message", "data"]
    assert (body["status"], body["message"]) == ("success", "Channels will follow")
    rows = body["data"]
    assert rows and len({r["channel"] for r in rows}) == len(rows)
    for row in rows:
        assert list(row) == CHANNEL_FIELDS
        assert all(isinstance(value, str) for value in row.values())
        assert CHANNEL.match(row["channel"]), row["channel"]
        assert (row["channelstate"], row["channelstatedesc"]) in {
            ("4", "Ring"),
            ("5", "Ringing"),
            ("6", "Up"),
        }
        assert HHMMSS.match(row["duration"])
    caller = agent.call
    assert caller is not None
    own = leg_of({r["channel"]: r for r in rows}, agent.extension)
    assert own is not None and own["calleridnum"] == agent.extension and own["calleridname"] == agent.name
    assert (own["channelstatedesc"], own["connectedlinenum"]) == ("Up", caller.phone)
    trunk = next(r for r in rows if r["calleridnum"] == caller.phone)
    assert trunk["connectedlinenum"] == agent.extension and not trunk["channel"].startswith(
        f"SIP/{agent.extension}"
    )


async def test_a_waiting_caller_has_a_channel_with_nobody_connected(
    pbx: httpx.AsyncClient, world: World
) -> None:
    advance_until(
        world, lambda: any(c.ringing_agent_id is None for q in world.queues.values() for c in q.waiting)
    )
    caller = next(c for q in world.queues.values() for c in q.waiting if c.ringing_agent_id is None)
    rows = (await ok(pbx.post("extensions/current-calls")))["data"]
    row = next(r for r in rows if r["calleridnum"] == caller.phone)
    assert (row["channelstatedesc"], row["connectedlinenum"], row["connectedlinename"]) == (
        "Up",
        "<unknown>",
        "<unknown>",
    )


async def test_extension_status_shape_and_fluctuating_latency(pbx: httpx.AsyncClient, world: World) -> None:
    first = await ok(pbx.get("extensions/extension-status"))
    assert list(first) == ["status", "message", "data"]
    assert first["message"] == "Peer status list will follow"
    rows = first["data"]
    assert [r["Exten"] for r in rows] == sorted(world.extensions)
    for row in rows:
        assert list(row) == ["Exten", "Type", "IPAddr", "Status"] and row["Type"] == "SIP"
        assert SIP_STATUS.match(row["Status"]), row["Status"]
        assert (row["IPAddr"] == "-none-") == (row["Status"] == "UNKNOWN")
    warehouse = next(r for r in rows if r["Exten"] == "830")
    assert (warehouse["IPAddr"], warehouse["Status"]) == ("-none-", "UNKNOWN")
    world.advance(60)
    later = (await ok(pbx.get("extensions/extension-status")))["data"]
    assert [r["Status"] for r in later] != [r["Status"] for r in rows]  # qualify every 15 s moves them


async def test_hints_are_a_bare_array_of_c_a4_codes(pbx: httpx.AsyncClient, world: World) -> None:
    agent_in_queue_call(world)
    rows = await ok(pbx.get("extensions/extension-hints-status"))
    assert isinstance(rows, list) and len(rows) == len(world.extensions)
    codes = {"idle": "0", "in call": "1", "busy": "2", "unavailable": "4", "ringing": "8", "on hold": "16"}
    for row in rows:
        assert list(row) == ["agentName", "extension", "extenType", "status"]
        assert all(isinstance(value, str) for value in row.values())
        assert row["status"] in C_A4_LABELS
        assert row["status"] == codes[str(world.device_state(row["extension"]))]
        extension = world.extensions[row["extension"]]
        assert row["agentName"] == extension.name
        assert row["extenType"] == ("sipCallCenter" if extension.agent_id else "sip")
    assert "1" in {r["status"] for r in rows}
    assert next(r for r in rows if r["extension"] == "830")["status"] == "4"


async def test_queue_info_shape(pbx: httpx.AsyncClient, world: World) -> None:
    body = await ok(pbx.post("queues/queue-info"))
    assert list(body) == ["status", "message", "data"] and body["message"] == "Queue status will follow"
    assert list(body["data"]) == ["630", "631", "632"]
    for number, members in body["data"].items():
        queue = world.queue_by_number(number)
        assert queue is not None
        assert [m["name"] for m in members] == [
            f"sip/{world.agents[m.agent_id].extension}" for m in queue.members
        ]
        for member in members:
            assert list(member) == ["name", "paused", "penalty"]
            assert member["paused"] in ("0", "1") and member["penalty"].isdigit()
    assert {"name": "sip/805", "paused": "0", "penalty": "2"} in body["data"]["630"]


async def test_queries_answer_get_and_post_alike(pbx: httpx.AsyncClient, world: World) -> None:
    agent_in_queue_call(world)
    for path in (
        "extensions/current-calls",
        "extensions/extension-status",
        "extensions/extension-hints-status",
        "queues/queue-info",
        "blacklist/index",
    ):
        assert await ok(pbx.get(path)) == await ok(pbx.post(path)), path


async def test_unknown_route_and_wrong_method_are_json_errors(pbx: httpx.AsyncClient) -> None:
    assert error(await pbx.get("extensions/nothing-here"), 404) == "Not Found"
    assert error(await pbx.get("extensions/hangup"), 405) == "Method Not Allowed"
    assert error(await pbx.post("blacklist/delete", data={"number": "1"}), 405) == "Method Not Allowed"


# -- queue commands -------------------------------------------------------------------------------


async def paused_flag(http: httpx.AsyncClient, queue: str, member: str) -> str:
    data = (await ok(http.get("queues/queue-info")))["data"]
    return next(m["paused"] for m in data[queue] if m["name"] == member)


async def test_agent_pause_on_and_off_show_in_queue_info(pbx: httpx.AsyncClient) -> None:
    body = await ok(post(pbx, "queues/agent-pause", queue="630", member="802", state="on"))
    assert body == {"status": "success", "message": "Interface paused successfully"}
    assert await paused_flag(pbx, "630", "sip/802") == "1"
    body = await ok(post(pbx, "queues/agent-pause", queue="630", member="sip/802", state="off"))
    assert body == {"status": "success", "message": "Interface unpaused successfully"}
    assert await paused_flag(pbx, "630", "sip/802") == "0"
    # The seed's own curl puts a space before a field name; GET with a query string works too.
    spaced = await pbx.post(
        "queues/agent-pause",
        content=b"queue=630& member=802&state=on",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert (await ok(spaced))["status"] == "success"
    assert (
        await ok(pbx.get("queues/agent-pause", params={"queue": "630", "member": "802", "state": "off"}))
    )["message"] == "Interface unpaused successfully"


async def test_agent_pause_errors(pbx: httpx.AsyncClient) -> None:
    not_found = {"status": "error", "message": "Interface not found"}
    for form in (
        {"queue": "630", "member": "899", "state": "on"},  # nobody's extension
        {"queue": "632", "member": "801", "state": "on"},  # not a member of that queue
        {"queue": "999", "member": "801", "state": "on"},  # no such queue
        {"queue": "630", "member": "800", "state": "on"},  # the reception is no agent
    ):
        response = await post(pbx, "queues/agent-pause", **form)
        assert (response.status_code, response.json()) == (404, not_found), form
    assert "state" in error(
        await post(pbx, "queues/agent-pause", queue="630", member="801", state="maybe"), 400
    )
    assert "member" in error(await post(pbx, "queues/agent-pause", queue="630", state="on"), 400)


async def test_agent_pause_without_queue_pauses_every_queue_of_the_member(pbx: httpx.AsyncClient) -> None:
    await ok(post(pbx, "queues/agent-pause", member="805", state="on"))
    assert await paused_flag(pbx, "630", "sip/805") == "1"
    assert await paused_flag(pbx, "631", "sip/805") == "1"


async def test_agent_logout_and_login(pbx: httpx.AsyncClient, world: World) -> None:
    body = await ok(post(pbx, "queues/agent-logout", extension="805", queue="630"))
    assert body == {"status": "success", "message": "logout extension success"}
    members = (await ok(pbx.get("queues/queue-info")))["data"]
    assert "sip/805" not in {m["name"] for m in members["630"]}
    assert "sip/805" in {m["name"] for m in members["631"]}
    again = await post(pbx, "queues/agent-logout", extension="805", queue="630")
    assert error(again, 404) == "Unable to remove interface: Not there"
    body = await ok(post(pbx, "queues/agent-login", extension="805", queue="630"))
    assert body == {"status": "success", "message": "login extension success"}
    members = (await ok(pbx.get("queues/queue-info")))["data"]["630"]
    assert {"name": "sip/805", "paused": "0", "penalty": "2"} in members  # the penalty is remembered
    assert error(await post(pbx, "queues/agent-login", extension="805", queue="630"), 400) == (
        "Unable to add interface: Already there"
    )
    assert error(await post(pbx, "queues/agent-login", extension="805", queue="999"), 404) == "No such queue"
    assert "800" in error(await post(pbx, "queues/agent-login", extension="800", queue="630"), 400)
    assert "999" in error(await post(pbx, "queues/agent-login", extension="999", queue="630"), 404)
    assert "queue" in error(await post(pbx, "queues/agent-login", extension="805"), 400)


# -- call commands --------------------------------------------------------------------------------


async def test_click_to_call_rings_src_then_dst(
    pbx: httpx.AsyncClient, world: World, certain_answers: None
) -> None:
    advance_until(world, idle(world, "800", "820"))
    body = await ok(post(pbx, "extensions/click-number", src="800", dst="820"))
    assert body == {"status": "success", "message": "clickToCall extension success"}
    calls = await calls_of(pbx)
    src = leg_of(calls, "800")
    assert src is not None and src["channelstatedesc"] == "Ringing" and leg_of(calls, "820") is None
    hints = {h["extension"]: h["status"] for h in await ok(pbx.get("extensions/extension-hints-status"))}
    assert hints["800"] == "8"
    advance_until(world, lambda: world.pbx.leg_of("820") is not None, limit=30)
    calls = await calls_of(pbx)
    src, dst = leg_of(calls, "800"), leg_of(calls, "820")
    assert src is not None and dst is not None
    assert (src["channelstatedesc"], dst["channelstatedesc"]) == ("Up", "Ringing")
    advance_until(world, lambda: world.device_state("820") is DeviceState.BUSY, limit=30)
    calls = await calls_of(pbx)
    src, dst = leg_of(calls, "800"), leg_of(calls, "820")
    assert src is not None and dst is not None
    assert (src["channelstatedesc"], src["connectedlinenum"]) == ("Up", "820")
    assert (dst["channelstatedesc"], dst["connectedlinenum"]) == ("Up", "800")


async def test_click_to_call_outside_and_errors(
    pbx: httpx.AsyncClient, world: World, certain_answers: None
) -> None:
    advance_until(world, idle(world, "800"))
    await ok(post(pbx, "extensions/click-number", src="800", dst="0521112233"))
    advance_until(world, lambda: any(c.number == "0521112233" for c in world.channels()), limit=30)
    trunk = next(c for c in world.channels() if c.number == "0521112233")
    assert trunk.extension is None and CHANNEL.match(trunk.name)
    assert "999" in error(await post(pbx, "extensions/click-number", src="999", dst="820"), 404)
    assert "830" in error(await post(pbx, "extensions/click-number", src="830", dst="820"), 400)  # offline
    assert "800" in error(await post(pbx, "extensions/click-number", src="800", dst="820"), 400)  # in a call
    assert "abc" in error(await post(pbx, "extensions/click-number", src="820", dst="abc"), 400)
    assert error(await post(pbx, "extensions/click-number", src="820", dst="820"), 400)
    assert "dst" in error(await post(pbx, "extensions/click-number", src="820"), 400)


async def test_hangup_ends_the_extensions_call(pbx: httpx.AsyncClient, world: World) -> None:
    agent = agent_in_queue_call(world)
    caller = agent.call
    assert caller is not None
    body = await ok(post(pbx, "extensions/hangup", extension=agent.extension))
    assert body == {"status": "success", "message": "hangup extension success"}
    calls = await calls_of(pbx)
    assert leg_of(calls, agent.extension) is None
    assert caller.phone not in {row["calleridnum"] for row in calls.values()}
    hints = {h["extension"]: h["status"] for h in await ok(pbx.get("extensions/extension-hints-status"))}
    assert hints[agent.extension] == "0"
    assert error(await post(pbx, "extensions/hangup", extension=agent.extension), 404) == "No such channel"
    assert "999" in error(await post(pbx, "extensions/hangup", extension="999"), 404)
    assert "extension" in error(await post(pbx, "extensions/hangup"), 400)


async def test_hanging_up_a_ringing_agent_leaves_the_caller_waiting(
    pbx: httpx.AsyncClient, world: World
) -> None:
    advance_until(
        world, lambda: any(a.state is DeviceState.RINGING and a.call for a in world.agents.values())
    )
    agent = next(a for a in world.agents.values() if a.state is DeviceState.RINGING and a.call)
    caller = agent.call
    assert caller is not None
    await ok(post(pbx, "extensions/hangup", extension=agent.extension))
    assert caller in world.queues[caller.queue_id].waiting and caller.ringing_agent_id is None
    assert leg_of(await calls_of(pbx), agent.extension) is None


async def test_transfer_moves_the_call(pbx: httpx.AsyncClient, world: World, certain_answers: None) -> None:
    agent = agent_in_queue_call(world)
    caller = agent.call
    assert caller is not None
    advance_until(world, lambda: idle(world, "820")() and agent.state is DeviceState.IN_CALL)
    body = await ok(post(pbx, "extensions/transfer", src=agent.extension, dst="820"))
    assert body == {"status": "success", "message": "tansfer extension success"}
    calls = await calls_of(pbx)
    assert leg_of(calls, agent.extension) is None
    ringing = leg_of(calls, "820")
    assert ringing is not None and ringing["channelstatedesc"] == "Ringing"
    assert ringing["connectedlinenum"] == caller.phone
    advance_until(world, lambda: world.device_state("820") is DeviceState.BUSY, limit=30)
    calls = await calls_of(pbx)
    trunk = next(row for row in calls.values() if row["calleridnum"] == caller.phone)
    assert (trunk["channelstatedesc"], trunk["connectedlinenum"]) == ("Up", "820")
    assert agent.call is not caller
    for queue in world.queues.values():  # the queue part ended at the transfer
        assert queue.stats.completed - queue.stats.talks_ended == world.in_progress(queue.queue_id)


async def test_transfer_errors(pbx: httpx.AsyncClient, world: World) -> None:
    agent = agent_in_queue_call(world)
    assert error(await post(pbx, "extensions/transfer", src="830", dst="820"), 404) == "No such channel"
    assert "830" in error(await post(pbx, "extensions/transfer", src=agent.extension, dst="830"), 400)
    assert "999" in error(await post(pbx, "extensions/transfer", src=agent.extension, dst="999"), 404)
    assert error(await post(pbx, "extensions/transfer", src=agent.extension, dst=agent.extension), 400)
    assert "src" in error(await post(pbx, "extensions/transfer", dst="820"), 400)


async def test_spy_adds_a_listening_channel(
    pbx: httpx.AsyncClient, world: World, certain_answers: None
) -> None:
    agent = agent_in_queue_call(world)
    advance_until(world, lambda: idle(world, "800")() and agent.state is DeviceState.IN_CALL)
    body = await ok(post(pbx, "extensions/extenSpy", src="800", dst=agent.extension))
    assert body == {"status": "success", "message": "spy extension success"}
    advance_until(world, lambda: world.device_state("800") is DeviceState.BUSY, limit=30)
    calls = await calls_of(pbx)
    listener = leg_of(calls, "800")
    assert listener is not None
    assert (listener["channelstatedesc"], listener["connectedlinenum"]) == ("Up", agent.extension)
    assert leg_of(calls, agent.extension) is not None  # the call itself goes on
    await ok(post(pbx, "extensions/hangup", extension=agent.extension))
    assert leg_of(await calls_of(pbx), "800") is None  # listening ends with the call


async def test_spy_errors(pbx: httpx.AsyncClient, world: World) -> None:
    advance_until(world, idle(world, "820"))
    assert error(await post(pbx, "extensions/extenSpy", src="800", dst="820"), 404) == "No such channel"
    assert "999" in error(await post(pbx, "extensions/extenSpy", src="999", dst="820"), 404)
    assert "998" in error(await post(pbx, "extensions/extenSpy", src="800", dst="998"), 404)


# -- blacklist ------------------------------------------------------------------------------------


async def test_blacklist_round_trip(pbx: httpx.AsyncClient, world: World) -> None:
    body = await ok(pbx.get("blacklist/index"))
    assert body == {"status": "success", "data": ["0521234567", "035550123"]}
    created = await ok(post(pbx, "blacklist/create", number="0541234567"))
    assert created == {"status": "success", "message": "Updated database successfully"}
    assert "0541234567" in (await ok(pbx.get("blacklist/index")))["data"]
    assert world.call_in("sales", "0541234567") is None  # refused on arrival
    assert world.events[-1].kind == "refused"
    deleted = await ok(pbx.request("DELETE", "blacklist/delete", data={"number": "0541234567"}))
    assert deleted == {"status": "success", "message": "Key deleted successfully"}
    assert "0541234567" not in (await ok(pbx.get("blacklist/index")))["data"]
    assert world.call_in("sales", "0541234567") is not None
    gone = await pbx.request("DELETE", "blacklist/delete", data={"number": "0541234567"})
    assert error(gone, 404) == "Database entry not found"
    assert "abc" in error(await post(pbx, "blacklist/create", number="abc"), 400)
    assert "number" in error(await post(pbx, "blacklist/create"), 400)


# -- Authorization and Date (C-A1, C-A2, C-A3) ----------------------------------------------------


async def test_auth_only_when_a_webkey_is_set(world: World) -> None:
    shanghai_day = world.now.astimezone(SHANGHAI).date().isoformat()
    async with client_for(coocenter_app(world, webkey=WEBKEY)) as http:
        for headers in ({}, {"Authorization": "wrong"}, md5_auth("other", shanghai_day)):
            response = await http.get("queues/queue-info", headers=headers)
            assert (response.status_code, response.json()) == (
                401,
                {"status": "error", "message": "Unauthorized"},
            )
            assert response.headers.get("date")
        upper = md5_auth(WEBKEY, shanghai_day)["Authorization"].upper()
        assert (await http.get("queues/queue-info", headers={"Authorization": upper})).status_code == 401
        await ok(http.get("queues/queue-info", headers=md5_auth(WEBKEY, shanghai_day)))
        missing = await http.get("no/such/route", headers=md5_auth(WEBKEY, shanghai_day))
        assert missing.status_code == 404 and missing.headers.get("date")
    async with client_for(coocenter_app(world, webkey=None)) as http:
        await ok(http.get("queues/queue-info", headers={"Authorization": "anything"}))


async def test_auth_uses_the_pbx_local_date_across_its_midnight() -> None:
    # 23:59:58 in Shanghai is 18:59:58 in Israel and 15:59:58 UTC: only the PBX's date turns over.
    world = World(seed=7, start=datetime(2025, 5, 14, 23, 59, 58, tzinfo=SHANGHAI))
    today, tomorrow = md5_auth(WEBKEY, "2025-05-14"), md5_auth(WEBKEY, "2025-05-15")
    async with client_for(coocenter_app(world, webkey=WEBKEY)) as http:
        assert (await http.get("queues/queue-info", headers=today)).status_code == 200
        assert (await http.get("queues/queue-info", headers=tomorrow)).status_code == 401
        world.advance(3)
        assert world.now.astimezone(ISRAEL).date().isoformat() == "2025-05-14"
        assert (await http.get("queues/queue-info", headers=today)).status_code == 401
        assert (await http.get("queues/queue-info", headers=tomorrow)).status_code == 200
    async with client_for(coocenter_app(world, webkey=WEBKEY, pbx_timezone="Asia/Jerusalem")) as http:
        assert (await http.get("queues/queue-info", headers=today)).status_code == 200


async def test_auth_and_date_follow_a_skewed_pbx_clock() -> None:
    world = World(seed=7, start=datetime(2025, 5, 14, 23, 58, 0, tzinfo=SHANGHAI))
    app = coocenter_app(world, webkey=WEBKEY, clock_skew_s=150)  # the PBX is already past midnight
    async with client_for(app) as http:
        assert (
            await http.get("queues/queue-info", headers=md5_auth(WEBKEY, "2025-05-14"))
        ).status_code == 401
        response = await http.get("queues/queue-info", headers=md5_auth(WEBKEY, "2025-05-15"))
        assert response.status_code == 200
        assert c_a3_parse_date(response.headers["date"]) == world.now + timedelta(seconds=150)
        assert response.headers["date"].endswith(" GMT")
        assert len(response.headers.get_list("date")) == 1
    with pytest.raises(ValueError):
        coocenter_app(world, pbx_timezone="Mars/Olympus_Mons")


async def test_every_reply_carries_the_pbx_date(pbx: httpx.AsyncClient, world: World) -> None:
    responses = [
        await pbx.get("extensions/current-calls"),
        await pbx.get("extensions/extension-hints-status"),
        await post(pbx, "queues/agent-pause", member="899", state="on"),
        await post(pbx, "extensions/hangup"),
        await pbx.get("nowhere"),
    ]
    for response in responses:
        assert c_a3_parse_date(response.headers.get("date")) == world.now.replace(microsecond=0)


# -- pushes ---------------------------------------------------------------------------------------


class Listener:
    """A push receiver behind httpx.MockTransport: records bodies; can fail on purpose."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.attempts = 0
        self.fail_next = 0
        self.fail_always = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        assert request.headers["content-type"] == "application/json"
        if self.fail_always or self.fail_next > 0:
            self.fail_next = max(0, self.fail_next - 1)
            return httpx.Response(500)
        self.bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"ok": True})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def of(self, event: str) -> list[dict[str, Any]]:
        return [b for b in self.bodies if b["event"] == event]


def pusher_for(world: World, listener: Listener, **options: Any) -> CoocenterPusher:
    return CoocenterPusher(world, PUSH_URL, mac=MAC, transport=listener.transport(), **options)


async def run_until_seen(world: World, pusher: CoocenterPusher, listener: Listener, events: set[str]) -> None:
    for _ in range(720):
        if events <= {b["event"] for b in listener.bodies}:
            return
        world.advance(10)
        await pusher.flush()
    raise AssertionError(f"never pushed: {events - {b['event'] for b in listener.bodies}}")


async def test_pushes_have_the_seed_shapes(world: World) -> None:
    listener = Listener()
    pusher = pusher_for(world, listener)
    await run_until_seen(world, pusher, listener, set(PUSH_FIELDS))
    for body in listener.bodies:
        assert set(body) == PUSH_FIELDS[body["event"]], body["event"]
        for key, value in body.items():
            if key in ("holdTime", "pauseTime"):
                assert type(value) is int
            else:
                assert isinstance(value, str), (body["event"], key)
        assert push_events(body) is not None  # the console's parser reads every one of them
    for body in listener.of("dialbegein") + listener.of("dialend"):
        assert re.fullmatch(r"\d{10}\.\d{6}", body["timestamp"])
        assert UNIQUEID.match(body["uniqueid"]) and CHANNEL.match(body["channel"])
        assert CHANNEL.match(body["destchannel"])
    for body in listener.of("dialbegein"):
        assert body["mac"] == MAC and UNIQUEID.match(body["destuniqueid"])
        assert body["dialstring"] in (
            f"SIP/{body['destcalleridnum']}",
            f"SIP/trunk/{body['destcalleridnum']}",
        )
    assert {b["dialstatus"] for b in listener.of("dialend")} >= {"ANSWER"}
    for body in listener.of("extensionstatus"):
        assert body["status"] in C_A4_STATUS_TEXT and body["statustext"] == C_A4_STATUS_TEXT[body["status"]]
    for body in listener.of("cc_cdr"):
        assert body["callType"] == "incoming" and body["queueCode"] in ("630", "631", "632")
        assert LOCAL_TIME.match(body["startTime"]) and LOCAL_TIME.match(body["endTime"])
        assert body["cdrState"] in ("bridged", "queue") and body["pauseTime"] == 0
        if body["cdrState"] == "bridged":
            assert body["missCause"] == "" and body["agentCode"] == body["called"]
        else:
            assert body["missCause"] in ("NO_ASSIGN", "NO_AGENT_ANSWER", "NO_AGENT_LOGIN", "MEMBER_CANCEL")
        for key in ("duration", "queueTime", "ringTime", "talkingTime", "ivrTime"):
            assert body[key].isdigit(), key
    for body in listener.of("cdr"):
        assert re.fullmatch(r'"[^"]*" <[^>]+>', body["callerid"])
        assert body["disposition"] in ("ANSWERED", "NO ANSWER", "BUSY", "FAILED")
        assert body["calltype"] in ("inbound", "outbound", "")
        assert (body["answertime"] == "") == (body["disposition"] != "ANSWERED")
    for body in listener.of("ivr"):
        assert (body["callType"], body["called"]) == ("IN", "") and body["ivrDtmf"] in ("1", "25", "3")


def call_gone(world: World, uniqueid: str) -> Callable[[], bool]:
    return lambda: not any(c.linkedid == uniqueid for c in world.channels())


async def test_one_queue_call_pushes_in_order(world: World) -> None:
    """Follow callers from the IVR to their queue record until one of them was answered."""
    listener = Listener()
    pusher = pusher_for(world, listener)
    followed = 0
    while True:
        assert followed < 20, "twenty callers in a row were not answered"
        while len(listener.of("ivr")) <= followed:
            world.advance(5)
            await pusher.flush()
        ivr = listener.of("ivr")[followed]
        followed += 1
        advance_until(world, call_gone(world, ivr["uuid"]), step=10)
        await pusher.flush()
        mine = [b for b in listener.bodies if ivr["uuid"] in (b.get("uniqueid"), b.get("uuid"))]
        kinds = [b["event"] for b in mine]
        cc = next(b for b in mine if b["event"] == "cc_cdr")
        cdr = next(b for b in mine if b["event"] == "cdr")
        assert kinds[0] == "ivr" and kinds.index("hangup") < kinds.index("cc_cdr")
        assert (cc["caller"], cc["queueCode"], cdr["source"]) == (
            ivr["caller"],
            ivr["queueCode"],
            ivr["caller"],
        )
        if cc["cdrState"] != "bridged":
            assert cdr["disposition"] == "NO ANSWER" and cc["missCause"]
            continue
        answer = next(b for b in mine if b["event"] == "dialend" and b["dialstatus"] == "ANSWER")
        begin = next(
            b for b in mine if b["event"] == "dialbegein" and b["destchannel"] == answer["destchannel"]
        )
        assert kinds.index("ivr") < mine.index(begin) < mine.index(answer) < kinds.index("hangup")
        assert cc["agentCode"] == begin["destcalleridnum"] == answer["destcalleridnum"]
        agent_leg = [b for b in listener.of("hangup") if b["uniqueid"] == begin["destuniqueid"]]
        assert len(agent_leg) == 1 and agent_leg[0]["connectedlinenum"] == ivr["caller"]
        assert (cdr["disposition"], cdr["calltype"], cdr["destination"]) == (
            "ANSWERED",
            "inbound",
            cc["agentCode"],
        )
        assert int(cc["duration"]) >= int(cc["talkingTime"]) > 0
        return


async def test_missed_queue_calls_say_why(world: World) -> None:
    listener = Listener()
    pusher = pusher_for(world, listener)
    billing = world.queues["billing"]
    for member in list(billing.members):
        world.set_paused("billing", member.agent_id, True)
    quick = world.call_in("billing", "0541110001")
    slow = world.call_in("billing", "0541110002")
    assert quick is not None and slow is not None
    quick.patience_s, slow.patience_s = 5, 30
    world.advance(40)
    for member in list(billing.members):
        assert (
            world.agent_logout("billing", world.agents[member.agent_id].extension)
            is world_pbx.CommandOutcome.OK
        )
    nobody = world.call_in("billing", "0541110003")
    assert nobody is not None
    nobody.patience_s = 20
    world.advance(30)
    await pusher.flush()
    causes = {b["caller"]: b["missCause"] for b in listener.of("cc_cdr") if b["queueCode"] == "632"}
    assert causes["0541110001"] == "MEMBER_CANCEL"
    assert causes["0541110002"] == "NO_ASSIGN"
    assert causes["0541110003"] == "NO_AGENT_LOGIN"
    records = [b for b in listener.of("cc_cdr") if b["caller"] == "0541110001"]
    assert (
        records[0]["cdrState"] == "queue" and records[0]["agentCode"] == "" and records[0]["called"] == "632"
    )


async def test_a_refused_caller_is_pushed_as_a_failed_call(world: World) -> None:
    listener = Listener()
    pusher = pusher_for(world, listener)
    assert world.call_in("sales", "0521234567") is None
    await pusher.flush()
    cdr = listener.of("cdr")[-1]
    assert (cdr["source"], cdr["disposition"], cdr["calltype"]) == ("0521234567", "FAILED", "inbound")
    assert listener.of("hangup")[-1]["calleridnum"] == "0521234567"


async def test_operator_commands_are_pushed(world: World, certain_answers: None) -> None:
    listener = Listener()
    pusher = pusher_for(world, listener)
    advance_until(world, idle(world, "800", "820"))
    await pusher.flush()
    listener.bodies.clear()
    assert world.click_to_call("800", "820") is world_pbx.CommandOutcome.OK
    await pusher.flush()
    assert {
        "event": "extensionstatus",
        "exten": "800",
        "status": "8",
        "statustext": "Ringing",
    } in listener.bodies
    advance_until(world, lambda: world.device_state("820") is DeviceState.BUSY, limit=30)
    await pusher.flush()
    begin = listener.of("dialbegein")[-1]
    assert (begin["calleridnum"], begin["destcalleridnum"], begin["dialstring"]) == ("800", "820", "SIP/820")
    assert listener.of("dialend")[-1]["dialstatus"] == "ANSWER"
    assert world.hangup_extension("820") is world_pbx.CommandOutcome.OK
    await pusher.flush()
    hung = listener.of("hangup")[-2:]
    assert [h["calleridnum"] for h in hung] == ["820", "800"]
    cdr = listener.of("cdr")[-1]
    assert (cdr["source"], cdr["destination"], cdr["disposition"], cdr["calltype"]) == (
        "800",
        "820",
        "ANSWERED",
        "",
    )


async def test_failed_pushes_are_retried_2_s_apart_then_dropped(world: World) -> None:
    listener = Listener()
    listener.fail_always = True
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    pusher = pusher_for(world, listener, sleep=fake_sleep)
    assert world.click_to_call("820", "0521112233") in (
        world_pbx.CommandOutcome.OK,
        world_pbx.CommandOutcome.UNAVAILABLE,
    )
    world.advance(5)
    events = len(world.pbx_log.since(pusher.cursor).events)
    assert events > 0
    await pusher.flush()  # never raises
    assert listener.attempts == 4 * events and slept == [2.0] * (3 * events)
    assert (pusher.sent, pusher.dropped) == (0, events)
    listener.fail_always = False
    listener.fail_next = 2  # two more failed attempts, then every retry gets through
    attempts, cursor = listener.attempts, pusher.cursor
    world.advance(30)
    fresh = len(world.pbx_log.since(cursor).events)
    await pusher.flush()
    assert pusher.dropped == events and pusher.sent == len(listener.bodies) == fresh > 0
    assert listener.attempts - attempts == fresh + 2


async def test_a_dead_target_never_crashes_the_pusher(world: World) -> None:
    with socket_on_free_port() as port:
        dead = f"http://127.0.0.1:{port}/push"  # bound, never listening: connection refused
        pusher = CoocenterPusher(world, dead, mac=MAC, retry_s=0.0, retries=1)
        world.advance(30)
        await pusher.flush()
        await pusher.aclose()
    assert pusher.sent == 0 and pusher.dropped > 0
    with pytest.raises(ValueError):
        CoocenterPusher(world, "ftp://nowhere/push", mac=MAC)


async def test_a_disabled_pusher_loses_pushes_silently(world: World) -> None:
    listener = Listener()
    pusher = pusher_for(world, listener)
    pusher.enabled = False
    world.advance(120)
    await pusher.flush()
    assert listener.attempts == 0 and pusher.lost > 0
    pusher.enabled = True
    cursor = world.pbx_log.next_seq
    world.advance(120)
    await pusher.flush()
    assert len(listener.bodies) == len(world.pbx_log.since(cursor).events) > 0


async def test_two_pushers_keep_their_own_cursors(world: World) -> None:
    first, second = Listener(), Listener()
    a, b = pusher_for(world, first), pusher_for(world, second)
    world.advance(60)
    await a.flush()
    world.advance(60)
    await a.flush()
    await b.flush()
    assert first.bodies == second.bodies and first.bodies


async def test_run_ticks_the_clock_pushes_and_stops_when_cancelled(world: World) -> None:
    listener = Listener()
    ticks: list[int] = []

    def tick() -> None:
        ticks.append(1)
        world.advance(5)

    pusher = pusher_for(world, listener, tick=tick, interval_s=0.005)
    task = asyncio.create_task(pusher.run())
    deadline = time.monotonic() + 5
    while (len(ticks) < 2 or not listener.bodies) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)  # whether the first tick already brings an event depends on the hour
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(ticks) >= 2 and listener.bodies


# -- determinism ----------------------------------------------------------------------------------


async def test_same_seed_same_replies_and_pushes() -> None:
    async def story() -> tuple[list[Any], list[dict[str, Any]]]:
        world = World(seed=21, start=START)
        listener = Listener()
        pusher = pusher_for(world, listener)
        replies = []
        async with client_for(coocenter_app(world)) as http:
            for _ in range(6):
                world.advance(97)
                await post(http, "extensions/click-number", src="800", dst="0520001111")
                await post(http, "queues/agent-pause", queue="631", member="806", state="on")
                for path in ("extensions/current-calls", "extensions/extension-status", "queues/queue-info"):
                    replies.append((await http.get(path)).json())
                replies.append((await http.get("extensions/extension-hints-status")).json())
                await pusher.flush()
        return replies, listener.bodies

    assert await story() == await story()


# -- the server -----------------------------------------------------------------------------------


def test_demo_credentials_have_the_coocenter_webkey() -> None:
    coocenter = [c for c in DEMO_CREDENTIALS if c.vendor == "coocenter"]
    assert len(coocenter) == 1 and coocenter[0].password == "demo-webkey" and coocenter[0].username == ""


async def test_build_app_mounts_coocenter_with_the_demo_webkey(world: World) -> None:
    app = build_app(world, speed=0)
    day = world.now.astimezone(SHANGHAI).date().isoformat()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim/coocenter/coocenter-api/") as http:
        assert (await http.get("queues/queue-info")).status_code == 401
        await ok(http.get("queues/queue-info", headers=md5_auth("demo-webkey", day)))
    yemot = await httpx.AsyncClient(transport=transport).post("http://sim/yemot/ym/api/Login", json={})
    assert len(yemot.headers.get_list("date")) == 1  # every facade's replies are dated
    open_app = build_app(world, speed=0, webkeys={})
    async with client_for(open_app) as http:
        response = await http.get("http://sim/coocenter/coocenter-api/queues/queue-info")
        assert response.status_code == 200


async def test_server_serves_coocenter_and_runs_a_pusher() -> None:
    world = World(seed=7, start=START)
    listener = Listener()
    server = SimulatorServer(world, speed=0, webkeys={"coocenter": WEBKEY}, clock_skew_s=30)
    await server.start()
    try:
        base_url = server.base_url("coocenter")
        assert base_url == f"http://127.0.0.1:{server.port}/coocenter/coocenter-api/"
        day = (world.now + timedelta(seconds=30)).astimezone(SHANGHAI).date().isoformat()
        async with httpx.AsyncClient(base_url=base_url) as http:
            response = await http.get("extensions/extension-status", headers=md5_auth(WEBKEY, day))
            assert response.status_code == 200 and len(response.headers.get_list("date")) == 1
            assert c_a3_parse_date(response.headers["date"]) == world.now + timedelta(seconds=30)
        pusher = server.start_pusher("coocenter", PUSH_URL, transport=listener.transport(), interval_s=0.01)
        assert server.pusher("coocenter") is pusher
        with pytest.raises(RuntimeError):
            server.start_pusher("coocenter", PUSH_URL)
        with pytest.raises(ValueError):
            server.start_pusher("yemot", PUSH_URL)
        with pytest.raises(KeyError):
            server.pusher("yemot")
        world.advance(60)
        deadline = time.monotonic() + 5
        while not listener.bodies and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert listener.bodies and all(b["event"] in PUSH_FIELDS for b in listener.bodies)
    finally:
        await server.stop()
    with pytest.raises(KeyError):
        server.pusher("coocenter")


def test_run_forever_prints_coocenter_url_webkey_and_push_target() -> None:
    root = Path(__file__).resolve().parents[1]
    with socket_on_free_port() as dead_port:
        code = (
            "from tui.simulator.server import run_forever; "
            f"run_forever(port=0, speed=0, push_urls={{'coocenter': 'http://127.0.0.1:{dead_port}/push'}})"
        )
        env = {**os.environ, "PYTHONPATH": str(root)}
        process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not lines or "Ctrl-C" not in lines[-1]:
                line = process.stdout.readline()
                assert line, "run_forever ended before it was ready"
                lines.append(line)
            url = next(
                line.split("= ")[1].strip() for line in lines if "coocenter" in line and "base_url" in line
            )
            assert url.endswith("/coocenter/coocenter-api/")
            assert any("WEBKEY demo-webkey" in line for line in lines)
            assert any(f"pushes events to http://127.0.0.1:{dead_port}/push" in line for line in lines)
            for _ in range(100):
                try:
                    reply = httpx.get(url + "queues/queue-info")
                    break
                except httpx.ConnectError:
                    time.sleep(0.05)
            assert reply.status_code == 401 and reply.json()["message"] == "Unauthorized"
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


@contextlib.contextmanager
def socket_on_free_port() -> Iterator[int]:
    """A port that is bound but never listens: connections to it are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
