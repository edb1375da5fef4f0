"""The simulator's Yemot facade against vendors/yemot.md: shapes, types, errors and quirks."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.simulator.server import DEMO_CREDENTIALS, SimClock, SimulatorServer, build_app
from tui.simulator.world import ISRAEL, World
from tui.vendors.yemot.assumptions import (
    A1_LAST_CALL_FORMAT,
    A2_STATUS_NAMES,
    A3_PAST_STAGE_MESSAGE,
    A4_EXPIRED,
    A4_INVALID,
    A5_LOGOUT_MESSAGE,
    A10_QUEUE_MANAGEMENT_NOT_JSON,
    LOGIN_BAD_CREDENTIALS,
    LOGIN_LOCKED,
    YAFAST_VERSION,
)

START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)
BASE_URL = "http://sim/yemot/ym/api/"
DEMO = ("0773137770", "demo-1234")
NEEDS_MFA = ("0773137771", "demo-mfa")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
HHMMSS = re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
LOCAL_DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


@pytest.fixture
def world() -> World:
    return World(seed=7, start=START)


@pytest.fixture
async def client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(world, speed=0))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


async def call(client: httpx.AsyncClient, command: str, **params: Any) -> dict[str, Any]:
    """POST JSON, the way the client sends everything (A10)."""
    response = await client.post(command, json=params)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["responseStatus"], str)
    assert body["yAfastVersion"] == YAFAST_VERSION
    return body


async def login(client: httpx.AsyncClient, account: tuple[str, str] = DEMO) -> str:
    body = await call(client, "Login", username=account[0], password=account[1])
    assert body["responseStatus"] == "OK" and isinstance(body["token"], str) and body["token"]
    return body["token"]


def refusal(body: dict[str, Any]) -> tuple[str, str]:
    return body["responseStatus"], body["message"]


def busy_queue(world: World, minimum: int = 2) -> str:
    """Advance until some queue has `minimum` waiting callers; return its IVR path."""
    for _ in range(720):
        for queue in world.queues.values():
            if len(queue.waiting) >= minimum:
                return queue.ivr_path
        world.advance(10)
    raise AssertionError("no queue ever had callers waiting")


# -- envelope -------------------------------------------------------------------------------------


async def test_every_reply_has_the_envelope(client: httpx.AsyncClient) -> None:
    token = await login(client)
    requests = [
        ("GetSession", {"token": token}),
        ("GetQueueRealTime", {"token": token, "queuePath": "/1"}),
        ("GetQueueRealTime", {"token": token, "queuePath": "/404"}),
        ("QueueCallBack", {"token": token, "action": "getQueues"}),
        ("QueueCallBack", {"token": token, "action": "explode"}),
        ("QueueManagement", {"token": token, "queuePath": "/1", "action": "dance"}),
        ("MFASession", {"token": token, "action": "isPass"}),
        ("MFASession", {"token": token, "action": "nope"}),
        ("NoSuchCommand", {"token": token}),
        ("GetSession", {"token": "garbage"}),
        ("Login", {"username": "0773137770", "password": "wrong"}),
    ]
    for command, params in requests:
        body = await call(client, command, **params)  # asserts HTTP 200, status and version
        if body["responseStatus"] != "OK":
            assert isinstance(body["message"], str) and body["message"]


async def test_unknown_command_is_an_error(client: httpx.AsyncClient) -> None:
    body = await call(client, "FlyToTheMoon", token=await login(client))
    assert body["responseStatus"] == "ERROR" and "FlyToTheMoon" in body["message"]


async def test_get_and_bad_json_are_answered_with_200(client: httpx.AsyncClient) -> None:
    response = await client.get("Login", params={"username": DEMO[0], "password": DEMO[1]})
    assert response.status_code == 200 and response.json()["responseStatus"] == "OK"
    broken = await client.post("Login", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 200 and broken.json()["responseStatus"] == "ERROR"


# -- login, sessions, tokens (2.2, A4, A5) ---------------------------------------------------------


async def test_login_failure_and_lock_texts(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        body = await call(client, "Login", username=NEEDS_MFA[0], password="wrong")
        assert refusal(body) == LOGIN_BAD_CREDENTIALS == ("FORBIDDEN", "user name or password do not match")
    body = await call(client, "Login", username=NEEDS_MFA[0], password=NEEDS_MFA[1])
    assert refusal(body) == LOGIN_LOCKED == ("FORBIDDEN", "bruteforce protection - account locked")


async def test_get_session_shape(client: httpx.AsyncClient) -> None:
    body = await call(client, "GetSession", token=await login(client))
    assert body["responseStatus"] == "OK"
    assert body["username"] == body["name"] == DEMO[0]
    assert isinstance(body["units"], float) and re.fullmatch(r"\d{4}-\d\d-\d\d", body["unitsExpireDate"])
    for key in ("email", "organization", "contactName", "phones", "invoiceName", "invoiceAddress", "fax"):
        assert isinstance(body[key], str)
    assert body["accessPassword"] is None and body["recordPassword"] is None
    assert body["creditFile"] == "Yemot"


async def test_token_expires_after_sixty_idle_simulated_minutes(
    client: httpx.AsyncClient, world: World
) -> None:
    token = await login(client)
    world.advance(59 * 60)
    assert (await call(client, "GetSession", token=token))["responseStatus"] == "OK"
    world.advance(60 * 60 + 1)
    assert (
        refusal(await call(client, "GetSession", token=token))
        == A4_EXPIRED
        == ("FORBIDDEN", "session is expired")
    )


async def test_invalid_token_texts(client: httpx.AsyncClient, world: World) -> None:
    invalid = ("EXCEPTION", "IllegalStateException(session token is invalid)")
    assert A4_INVALID == invalid
    assert refusal(await call(client, "GetSession", token="made-up")) == invalid
    assert refusal(await call(client, "GetSession")) == invalid
    token = await login(client)
    world.kill_sessions(DEMO[0])
    assert refusal(await call(client, "GetSession", token=token)) == invalid
    token = await login(client)
    world.expire_sessions(DEMO[0])
    assert refusal(await call(client, "GetSession", token=token)) == A4_EXPIRED


async def test_logout_then_the_token_is_invalid(client: httpx.AsyncClient) -> None:
    token = await login(client)
    body = await call(client, "Logout", token=token)
    assert body["responseStatus"] == "OK" and body["message"] == A5_LOGOUT_MESSAGE
    assert refusal(await call(client, "GetSession", token=token)) == A4_INVALID


async def test_token_accepted_from_json_form_query_and_header(client: httpx.AsyncClient) -> None:
    token = await login(client)
    by_json = await client.post("GetSession", json={"token": token})
    by_form = await client.post("GetSession", data={"token": token})
    by_query = await client.get("GetSession", params={"token": token})
    by_header = await client.post("GetSession", json={}, headers={"authorization": token})
    for response in (by_json, by_form, by_query, by_header):
        assert response.status_code == 200 and response.json()["responseStatus"] == "OK"
    bearer = await client.post("GetSession", json={}, headers={"authorization": f"Bearer {token}"})
    assert refusal(bearer.json()) == A4_INVALID  # the header carries the raw token, no scheme


async def test_system_password_token_is_a_fresh_session_each_request(
    client: httpx.AsyncClient, world: World
) -> None:
    token = f"{DEMO[0]}:{DEMO[1]}"
    assert (await call(client, "GetSession", token=token))["responseStatus"] == "OK"
    assert (await call(client, "GetSession", token=token))["responseStatus"] == "OK"
    assert world.auth.sessions_of(DEMO[0]) == []  # nothing kept between requests
    assert refusal(await call(client, "GetSession", token=f"{DEMO[0]}:wrong")) == LOGIN_BAD_CREDENTIALS
    needs_mfa = f"{NEEDS_MFA[0]}:{NEEDS_MFA[1]}"
    assert refusal(await call(client, "GetSession", token=needs_mfa)) == ("FORBIDDEN", "MFA_REQUIRED")


# -- MFASession (1.8, A3, A7) ---------------------------------------------------------------------


async def test_demo_account_passed_by_trusted_ip(client: httpx.AsyncClient) -> None:
    token = await login(client)
    body = await call(client, "MFASession", token=token, action="isPass")
    assert body["isPass"] is True and body["isAvailable"] is True
    assert body["passRessen"] == "INIT_WHITELIST_IPS" and body["isPassInThisSession"] is False
    assert refusal(await call(client, "MFASession", token=token, action="try")) == (
        "ERROR",
        A3_PAST_STAGE_MESSAGE,
    )
    hard = await call(client, "MFASession", token=token, action="getMFATrustTokens")
    assert refusal(hard) == ("FORBIDDEN", "MFA_REQUIRED")


async def test_second_account_needs_mfa(client: httpx.AsyncClient) -> None:
    token = await login(client, NEEDS_MFA)
    for command, params in (("GetQueueRealTime", {"queuePath": "/1"}), ("GetSession", {}), ("Logout", {})):
        body = await call(client, command, token=token, **params)
        assert body == {
            "responseStatus": "FORBIDDEN",
            "message": "MFA_REQUIRED",
            "yAfastVersion": YAFAST_VERSION,
        }
    status = await call(client, "MFASession", token=token, action="isPass")
    assert (status["isPass"], status["passRessen"], status["isPassInThisSession"]) == (False, None, False)
    tried = await call(client, "MFASession", token=token, action="try")
    assert tried["responseStatus"] == "OK" and tried["isPass"] is False


async def test_get_mfa_methods_masks_values_and_renews_ids(client: httpx.AsyncClient) -> None:
    token = await login(client, NEEDS_MFA)
    first = await call(client, "MFASession", token=token, action="getMFAMethods")
    second = await call(client, "MFASession", token=token, action="getMFAMethods")
    assert first["isPass"] is False and len(first["mfaMethods"]) >= 2
    for row in first["mfaMethods"]:
        assert isinstance(row["ID"], int) and row["STATUS"] in ("ACTIVE", "PENDING")
        assert row["MFA_METHOD_ID"] is None or isinstance(row["MFA_METHOD_ID"], int)
        assert row["NIKE"] in ("CREATE_PHONE", "RESET_MAIL", "PROFILE", "MASTER_LOGIN", "BY_CUSTOMER")
        assert set(row["SEND_TYPE"]) <= {"CALL", "SMS", "EMAIL"} and isinstance(row["NOTE"], str)
        assert "•" in row["VALUE"] and LOCAL_DATE.match(row["EXPIRED_DATE"])
        assert row["LAST_USED"] is None or LOCAL_DATE.match(row["LAST_USED"])
    assert not {r["ID"] for r in first["mfaMethods"]} & {r["ID"] for r in second["mfaMethods"]}


async def test_send_and_verify_a_code(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client, NEEDS_MFA)
    methods = (await call(client, "MFASession", token=token, action="getMFAMethods"))["mfaMethods"]
    phone = next(m for m in methods if "SMS" in m["SEND_TYPE"])
    sent = await call(
        client, "MFASession", token=token, action="sendMFA", mfaId=phone["ID"], mfaSendType="SMS"
    )
    assert sent["responseStatus"] == "OK"
    again = await call(
        client, "MFASession", token=token, action="sendMFA", mfaId=phone["ID"], mfaSendType="SMS"
    )
    assert again["responseStatus"] == "Exception" and re.search(r"wait \d+s", again["message"])
    assert (again["file"], again["Line"]) == ("CustomerMFA.class.ym", "590:19")
    code = world.sent_codes[-1].code
    wrong = await call(client, "MFASession", token=token, action="validMFA", mfaCode="x" + code[1:])
    assert (wrong["mfa_valid_status"], wrong["mfa_valid_trys"], wrong["mfa_valid_left"]) == ("UNVALID", 1, 4)
    right = await call(client, "MFASession", token=token, action="validMFA", mfaCode=code, mfaRememberMe=0)
    assert right["responseStatus"] == "OK" and right["mfa_valid_status"] == "VALID"
    status = await call(client, "MFASession", token=token, action="isPass")
    assert (status["isPass"], status["passRessen"], status["isPassInThisSession"]) == (
        True,
        "MFA_PASSED",
        True,
    )
    assert (await call(client, "GetQueueRealTime", token=token, queuePath="/1"))["responseStatus"] == "OK"
    for action in ("try", "sendMFA", "validMFA"):
        past = await call(client, "MFASession", token=token, action=action, mfaId=1, mfaSendType="SMS")
        assert refusal(past) == ("ERROR", A3_PAST_STAGE_MESSAGE)
    unmasked = await call(client, "MFASession", token=token, action="getMFAMethods")
    assert all("•" not in m["VALUE"] for m in unmasked["mfaMethods"])
    trust = await call(client, "MFASession", token=token, action="getMFATrustTokens")
    assert trust["responseStatus"] == "OK" and trust["trustTokens"] == []


async def test_remember_me_trusts_the_ip_for_later_sessions(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client, NEEDS_MFA)
    methods = (await call(client, "MFASession", token=token, action="getMFAMethods"))["mfaMethods"]
    await call(
        client, "MFASession", token=token, action="sendMFA", mfaId=methods[0]["ID"], mfaSendType="CALL"
    )
    code = world.sent_codes[-1].code
    await call(
        client,
        "MFASession",
        token=token,
        action="validMFA",
        mfaCode=code,
        mfaRememberMe=1,
        mfaRememberNote="המחשב שלי",
    )
    rows = (await call(client, "MFASession", token=token, action="getMFATrustTokens"))["trustTokens"]
    assert len(rows) == 1 and type(rows[0]["id"]) is int
    assert (rows[0]["trust_key_type"], rows[0]["create_by"], rows[0]["trust_note"]) == (
        "CUSTOMER_IP",
        "127.0.0.1",
        "המחשב שלי",
    )
    assert LOCAL_DATE.match(rows[0]["create_date"]) and rows[0]["update_date"] is None
    assert (await call(client, "MFASession", token=token, action="getMFATrustIps"))["trustIps"] == []
    later = await login(client, NEEDS_MFA)
    status = await call(client, "MFASession", token=later, action="isPass")
    assert (status["isPass"], status["passRessen"], status["isPassInThisSession"]) == (
        True,
        "HAVE_ACTIVE_TRUST_TOKEN",
        False,
    )


async def test_code_tries_run_out(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client, NEEDS_MFA)
    methods = (await call(client, "MFASession", token=token, action="getMFAMethods"))["mfaMethods"]
    await call(
        client, "MFASession", token=token, action="sendMFA", mfaId=methods[0]["ID"], mfaSendType="CALL"
    )
    code = world.sent_codes[-1].code
    for _ in range(5):
        await call(client, "MFASession", token=token, action="validMFA", mfaCode="abc")
    over = await call(client, "MFASession", token=token, action="validMFA", mfaCode=code)
    assert over["mfa_valid_status"] == "OVERTRY" and over["mfa_valid_left"] == 0
    assert over["mfa_valid_message"] == "validMFA not allow. over trys attempt"


# -- GetQueueRealTime (2.3, A1, A2, A6) -----------------------------------------------------------


async def test_queue_real_time_types(client: httpx.AsyncClient, world: World) -> None:
    path = busy_queue(world)
    body = await call(client, "GetQueueRealTime", token=await login(client), queuePath="ivr2:" + path)
    assert body["responseStatus"] == "OK" and set(body) >= {"queueData", "members", "entries"}
    data = body["queueData"]
    for key in ("Abandoned", "Calls", "Completed", "TalkTime", "Holdtime", "Max"):
        assert type(data[key]) is int, key
    assert data["Strategy"] == "ringall" and data["Max"] == 0
    assert data["Calls"] == len(body["entries"]) >= 2
    assert set(body["members"][0]) == {
        "agent",
        "Status",
        "CallsTaken",
        "LastCallUnitTime",
        "LastCall",
        "LastCallAgo",
        "Paused",
        "Penalty",
    }
    for member in body["members"]:
        assert isinstance(member["agent"], str) and member["Status"] in A2_STATUS_NAMES
        assert type(member["CallsTaken"]) is int and type(member["Paused"]) is bool
        assert isinstance(member["Penalty"], str) and member["Penalty"].isdigit()
        assert isinstance(member["LastCallUnitTime"], str) and member["LastCallUnitTime"].isdigit()
        if member["LastCall"] is not None:
            stamp = datetime.strptime(member["LastCall"], A1_LAST_CALL_FORMAT).replace(tzinfo=ISRAEL)
            assert int(stamp.timestamp()) == int(member["LastCallUnitTime"])
            assert HHMMSS.match(member["LastCallAgo"])
    assert [e["Position"] for e in body["entries"]] == list(range(1, len(body["entries"]) + 1))
    for entry in body["entries"]:
        assert HEX32.match(entry["CallId"]) and isinstance(entry["phone"], str)
        assert type(entry["Wait"]) is int and HHMMSS.match(entry["WaitAgo"])
        hours, minutes, seconds = (int(x) for x in entry["WaitAgo"].split(":"))
        assert hours * 3600 + minutes * 60 + seconds == entry["Wait"]


async def test_last_call_is_null_before_the_first_call(client: httpx.AsyncClient, world: World) -> None:
    member = world.queues["billing"].member("a15")
    assert member is not None
    member.calls_taken, member.last_call = 0, None
    body = await call(client, "GetQueueRealTime", token=await login(client), queuePath="/3")
    row = next(m for m in body["members"] if m["agent"] == world.agents["a15"].phone)
    assert (row["CallsTaken"], row["LastCall"], row["LastCallAgo"], row["LastCallUnitTime"]) == (
        0,
        None,
        None,
        "0",
    )


async def test_four_queue_path_spellings_are_one_queue(client: httpx.AsyncClient) -> None:
    token = await login(client)
    bodies = [
        await call(client, "GetQueueRealTime", token=token, queuePath=path)
        for path in ("ivr2:/2/5", "/2/5", "2/5", "ivr2:2/5")
    ]
    assert all(b["responseStatus"] == "OK" for b in bodies)
    assert all(b == bodies[0] for b in bodies)
    assert len(bodies[0]["members"]) == 7


async def test_unknown_queue_is_an_error(client: httpx.AsyncClient) -> None:
    token = await login(client)
    body = await call(client, "GetQueueRealTime", token=token, queuePath="ivr2:/9/9")
    assert body["responseStatus"] == "ERROR" and body["message"]
    assert (await call(client, "GetQueueRealTime", token=token))["responseStatus"] == "ERROR"


# -- QueueManagement (1.4, A10, A13) --------------------------------------------------------------


async def test_queue_management_refuses_form_and_get(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    kick = {"token": token, "queuePath": "/1", "action": "kick", "callIds": "abc"}
    pause = {"token": token, "queuePath": "/1", "action": "pause", "agent": "0501111111"}
    for response in (
        await client.post("QueueManagement", data=kick),
        await client.post("QueueManagement", data=pause),
        await client.get("QueueManagement", params=pause),
    ):
        assert response.status_code == 200
        assert refusal(response.json()) == ("ERROR", A10_QUEUE_MANAGEMENT_NOT_JSON)
    not_array = await call(
        client, "QueueManagement", token=token, queuePath="/1", action="kick", callIds="abc"
    )
    assert refusal(not_array) == ("ERROR", A10_QUEUE_MANAGEMENT_NOT_JSON)


async def test_kick_reports_per_call_id(client: httpx.AsyncClient, world: World) -> None:
    path = busy_queue(world)
    token = await login(client)
    before = await call(client, "GetQueueRealTime", token=token, queuePath=path)
    real = before["entries"][0]["CallId"]
    made_up = "805c3b221d4b76bb53769aac9e2c57c1"
    body = await call(
        client,
        "QueueManagement",
        token=token,
        queuePath=path,
        action="kick",
        callIds=[made_up, real],
        moreData="GOTO:/1",
    )
    assert body["responseStatus"] == "OK"
    assert body["status"] == {made_up: "Call not found", real: "OK"}
    assert "/1" in world.events[-1].detail
    after = await call(client, "GetQueueRealTime", token=token, queuePath=path)
    assert real not in {e["CallId"] for e in after["entries"]}
    empty = await call(client, "QueueManagement", token=token, queuePath=path, action="kick", callIds=[])
    assert empty["status"] == {}


async def test_pause_and_unpause_show_in_real_time(client: httpx.AsyncClient) -> None:
    token = await login(client)

    async def paused_flag(agent: str) -> bool:
        body = await call(client, "GetQueueRealTime", token=token, queuePath="/1")
        return next(m["Paused"] for m in body["members"] if m["agent"] == agent)

    agent = "0502222222"
    assert (await call(client, "QueueManagement", token=token, queuePath="/1", action="pause", agent=agent))[
        "responseStatus"
    ] == "OK"
    assert await paused_flag(agent) is True
    await call(client, "QueueManagement", token=token, queuePath="/1", action="unpause", agent=agent)
    assert await paused_flag(agent) is False
    unknown = await call(
        client, "QueueManagement", token=token, queuePath="/1", action="pause", agent="0500000000"
    )
    assert unknown["responseStatus"] == "ERROR" and "0500000000" in unknown["message"]
    other_queue = await call(
        client, "QueueManagement", token=token, queuePath="/3", action="pause", agent=agent
    )
    assert other_queue["responseStatus"] == "ERROR"
    odd = await call(client, "QueueManagement", token=token, queuePath="/1", action="explode")
    assert odd["responseStatus"] == "ERROR"


# -- QueueCallBack (1.4) --------------------------------------------------------------------------


async def test_callback_queues_shape(client: httpx.AsyncClient, world: World) -> None:
    body = await call(client, "QueueCallBack", token=await login(client), action="getQueues")
    rows = body["callbackList"]
    assert [r["id"] for r in rows] == [110, 111, 112]
    for row in rows:
        assert set(row) == {
            "id",
            "path",
            "queue_path",
            "caller_id",
            "callback_times",
            "max_waiting_time",
            "max_waiting_customers",
            "waiting_customers",
            "open",
        }
        for key in ("id", "max_waiting_time", "max_waiting_customers", "waiting_customers", "open"):
            assert type(row[key]) is int, key
        assert row["open"] in (0, 1)
        for key in ("path", "queue_path", "caller_id", "callback_times"):
            assert isinstance(row[key], str), key
        assert row["waiting_customers"] == len(world.callback_requests_for(row["id"]))
    assert rows[0]["open"] == 1 and rows[0]["path"] == "/1"


async def test_callback_list_and_remove(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    for _ in range(720):
        if any(r.callback_id == 110 for r in world.callback_requests.values()):
            break
        world.advance(10)
    rows = (await call(client, "QueueCallBack", token=token, action="getList", id=110))["callbackList"]
    assert rows
    for row in rows:
        assert set(row) == {"id", "calling_number", "status", "date_time", "attempts", "last_attempt"}
        assert type(row["id"]) is int and row["id"] >= 84299 and row["status"] == "waiting"
        assert isinstance(row["calling_number"], str) and ISO_Z.match(row["date_time"])
        assert type(row["attempts"]) is int
        assert (row["last_attempt"] is None) == (row["attempts"] == 0)
        assert row["last_attempt"] is None or ISO_Z.match(row["last_attempt"])
    first = rows[0]["id"]
    removed = await call(client, "QueueCallBack", token=token, action="removeNumber", id=str(first))
    assert removed["responseStatus"] == "OK" and removed["callbackList"] == "OK"
    again = await call(client, "QueueCallBack", token=token, action="getList", id=110)
    assert first not in {r["id"] for r in again["callbackList"]}
    gone = await call(client, "QueueCallBack", token=token, action="removeNumber", id=first)
    assert gone["responseStatus"] == "ERROR"
    assert (await call(client, "QueueCallBack", token=token, action="getList", id=999))[
        "responseStatus"
    ] == "ERROR"
    assert (await call(client, "QueueCallBack", token=token, action="getList"))["responseStatus"] == "ERROR"


async def test_callback_date_time_is_utc(client: httpx.AsyncClient, world: World) -> None:
    for _ in range(720):
        if world.callback_requests:
            break
        world.advance(10)
    request = next(iter(world.callback_requests.values()))
    rows = (
        await call(
            client, "QueueCallBack", token=await login(client), action="getList", id=request.callback_id
        )
    )["callbackList"]
    row = next(r for r in rows if r["id"] == request.request_id)
    parsed = datetime.strptime(row["date_time"], "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=UTC)
    assert parsed == request.requested_at.replace(microsecond=0)
    assert parsed.hour != request.requested_at.astimezone(ISRAEL).hour  # not local time


# -- server, clock, credentials -------------------------------------------------------------------


def test_sim_clock_advances_by_elapsed_real_time_times_speed() -> None:
    world = World(seed=7, start=START)
    ticks = iter([100.0, 102.0, 105.0])
    clock = SimClock(world, speed=30, monotonic=lambda: next(ticks))
    clock.tick()
    assert world.now == START.replace(minute=1)  # 2 s × 30
    frozen_world = World(seed=7, start=START)
    frozen = SimClock(frozen_world, speed=0)
    frozen.tick()
    assert frozen_world.now == START
    with pytest.raises(ValueError):
        SimClock(world, speed=-1)


async def test_demo_credentials_log_in(client: httpx.AsyncClient) -> None:
    yemot = [c for c in DEMO_CREDENTIALS if c.vendor == "yemot"]
    assert len(yemot) == 3
    for credential in yemot:
        await login(client, (credential.username, credential.password))


async def test_real_server_on_a_free_port() -> None:
    server = SimulatorServer(World(seed=7, start=START), speed=0)
    await server.start(port=0)
    try:
        assert server.port
        base_url = server.base_url("yemot")
        assert base_url == f"http://127.0.0.1:{server.port}/yemot/ym/api/"
        async with httpx.AsyncClient(base_url=base_url) as http:
            token = await login(http)
            body = await call(http, "GetQueueRealTime", token=token, queuePath="ivr2:/1")
            assert body["responseStatus"] == "OK" and len(body["members"]) == 5
            index = await http.get(f"http://127.0.0.1:{server.port}/")
            assert index.json()["vendors"]["yemot"] == "/yemot/ym/api/"
        with pytest.raises(ValueError):
            server.base_url("mango")
    finally:
        await server.stop()
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(base_url + "GetSession")


async def test_server_clock_moves_the_world_between_requests() -> None:
    world = World(seed=7, start=START)
    async with SimulatorServer(world, speed=600) as server, httpx.AsyncClient() as http:
        await http.get(server.base_url("yemot") + "GetSession")
        first = world.now
        await asyncio.sleep(0.05)
        await http.get(server.base_url("yemot") + "GetSession")
        assert (world.now - first).total_seconds() >= 30


def test_run_forever_prints_urls_and_stops_on_ctrl_c() -> None:
    root = Path(__file__).resolve().parents[1]
    code = "from tui.simulator.server import run_forever; run_forever(port=0, speed=0)"
    env = {**os.environ, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(7)]
        url = next(line.split("= ")[1].strip() for line in lines if "base_url" in line)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/yemot/ym/api/")
        assert any("0773137770" in line and "demo-1234" in line for line in lines)
        for _ in range(100):
            try:
                reply = httpx.post(url + "Login", json={"username": DEMO[0], "password": DEMO[1]})
                break
            except httpx.ConnectError:
                time.sleep(0.05)
        assert reply.json()["responseStatus"] == "OK"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
