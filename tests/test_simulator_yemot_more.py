"""The simulator's Yemot SIP, caller-ID, SMS, campaign and MFA services against vendors/yemot.md."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tui.simulator.server import build_app
from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth_records import SendChannel, SendStatus
from tui.vendors.yemot.assumptions import (
    A9_INCOMING_SMS_MAX,
    A11_BAD_ACTION,
    A12_CAMPAIGN_ID_RE,
    CAMPAIGN_LOW_UNITS,
    CAMPAIGN_NO_VALID_NUMBERS,
    CAMPAIGN_NOT_FOUND,
    CAMPAIGN_TOO_MANY_NUMBERS,
    MFA_PHONE_COUNTRY_REFUSED,
    MFA_TOO_MANY_METHODS,
    MFA_TOO_MANY_TRUSTED_IPS,
    SIP_ACCOUNT_LIMIT_REACHED,
    SIP_ACCOUNT_NOT_FOUND,
    SIP_CALLER_ID_NOT_APPROVED,
    SIP_EXTENSION_OUT_OF_RANGE,
    SIP_EXTENSION_TAKEN,
    SIP_TRANSPORT_UNCHANGED_MARK,
    YAFAST_VERSION,
    a7_wait_seconds,
)
from tui.vendors.yemot.wire import SIP_OFF_MESSAGE

START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)
BASE_URL = "http://sim/yemot/ym/api/"
DEMO = ("0773137770", "demo-1234")
NEEDS_MFA = ("0773137771", "demo-mfa")
NO_SIP = ("0773137772", "demo-nosip")
LOCAL_DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
SIP_SERVICES = (
    "GetSipAccountsInCustomer",
    "GetSipAccountsRegisteredStatus",
    "SipGetContexts",
    "CreateSipAccount",
    "DeleteSipAccount",
    "SipToWss",
    "SipToUdp",
    "EditCallerIdInSipAccount",
    "SipExtensionManagement",
)
FINAL_ENTRY_STATUSES = {"done", "no_answer", "busy", "failed"}


@pytest.fixture
def world() -> World:
    return World(seed=7, start=START)


@pytest.fixture
async def client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(world, speed=0))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


async def raw(client: httpx.AsyncClient, command: str, **params: Any) -> dict[str, Any]:
    response = await client.post(command, json=params)
    assert response.status_code == 200
    return response.json()


async def call(client: httpx.AsyncClient, command: str, **params: Any) -> dict[str, Any]:
    """POST JSON (A10); every reply carries the envelope."""
    body = await raw(client, command, **params)
    assert isinstance(body["responseStatus"], str)
    assert body["yAfastVersion"] == YAFAST_VERSION
    return body


async def ok(client: httpx.AsyncClient, command: str, **params: Any) -> dict[str, Any]:
    body = await call(client, command, **params)
    assert body["responseStatus"] == "OK", body
    return body


async def form(client: httpx.AsyncClient, command: str, **params: Any) -> dict[str, Any]:
    response = await client.post(command, data={k: str(v) for k, v in params.items()})
    assert response.status_code == 200
    return response.json()


async def login(client: httpx.AsyncClient, account: tuple[str, str] = DEMO) -> str:
    body = await ok(client, "Login", username=account[0], password=account[1])
    return body["token"]


def refusal(body: dict[str, Any]) -> tuple[str, str]:
    return body["responseStatus"], body["message"]


async def mfa(client: httpx.AsyncClient, token: str, action: str, **params: Any) -> dict[str, Any]:
    return await call(client, "MFASession", token=token, action=action, **params)


async def hard_verified(client: httpx.AsyncClient, world: World, account: tuple[str, str] = NEEDS_MFA) -> str:
    """A session that verified a code in this very session (isPassInThisSession)."""
    token = await login(client, account)
    methods = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    phone = next(m for m in methods if "SMS" in m["SEND_TYPE"] and m["STATUS"] == "ACTIVE")
    assert (await mfa(client, token, "sendMFA", mfaId=phone["ID"], mfaSendType="SMS"))[
        "responseStatus"
    ] == "OK"
    checked = await mfa(client, token, "validMFA", mfaCode=world.sent_codes[-1].code)
    assert checked["mfa_valid_status"] == "VALID"
    return token


def parse_local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ISRAEL)


# -- SIP accounts (1.1, 2.6) ----------------------------------------------------------------------


async def test_sip_accounts_shape(client: httpx.AsyncClient) -> None:
    body = await ok(client, "GetSipAccountsInCustomer", token=await login(client))
    assert type(body["accountLimit"]) is int and body["accountLimit"] == 6
    accounts = body["accounts"]
    assert [a["accountNumber"] for a in accounts] == [1, 2, 3, 4]
    assert [a["id"] for a in accounts[:2]] == ["0773137770", "0773137770=2"]
    for row in accounts:
        assert set(row) == {
            "id",
            "accountNumber",
            "customerExtension",
            "transport",
            "callerid",
            "specialCallerID",
            "password",
            "created_date",
            "contactsCount",
        }
        assert type(row["accountNumber"]) is int and type(row["contactsCount"]) is int
        assert row["customerExtension"] is None or type(row["customerExtension"]) is int
        assert row["transport"] in ("transport-udp", "transport-wss")
        assert row["callerid"] == DEMO[0] and isinstance(row["specialCallerID"], str)
        assert isinstance(row["password"], str) and len(row["password"]) >= 8
        assert LOCAL_DATE.match(row["created_date"])
    assert accounts[3]["customerExtension"] is None and accounts[3]["transport"] == "transport-wss"


async def test_registered_status_agrees_with_contacts(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    for _ in range(6):
        listed = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
        status = (await ok(client, "GetSipAccountsRegisteredStatus", token=token))["accounts"]
        assert [s["userName"] for s in status] == [a["id"] for a in listed]
        for row, account in zip(status, listed, strict=True):
            assert set(row) == {"userName", "createdDate", "registered"}
            assert type(row["registered"]) is bool and row["createdDate"] == account["created_date"]
            assert row["registered"] == (account["contactsCount"] > 0)
        world.advance(600)


async def test_contexts_shape_and_first_account_default(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    for _ in range(60):
        if world.sip_account(DEMO[0], 1).registered:
            break
        world.advance(30)
    first = await ok(client, "SipGetContexts", token=token, accountNumber="")
    assert first == await ok(client, "SipGetContexts", token=token)
    assert first == await ok(client, "SipGetContexts", token=token, accountNumber="1")
    assert len(first["contexts"]) == 1
    for row in first["contexts"]:
        assert set(row) == {"expiration_time", "uri", "user_agent", "via_addr", "via_port", "endpoint"}
        assert isinstance(row["via_port"], str) and row["via_port"].isdigit()
        assert row["uri"].startswith("sip:0773137770@") and row["endpoint"] == "0773137770"
        assert parse_local(row["expiration_time"]) > world.now
        assert isinstance(row["user_agent"], str) and row["user_agent"]
    missing = await call(client, "SipGetContexts", token=token, accountNumber="9")
    assert refusal(missing) == SIP_ACCOUNT_NOT_FOUND


async def test_contacts_refresh_expire_and_come_back(client: httpx.AsyncClient, world: World) -> None:
    """Over simulated hours every seeded device refreshes its contact, and some lapse and return."""
    token = await login(client)
    seen: dict[int, list[bool]] = {n: [] for n in (1, 2, 3, 4)}
    expiries: dict[int, set[str]] = {n: set() for n in seen}
    for _ in range(8 * 60):
        world.advance(30)
        for number in seen:
            rows = (await ok(client, "SipGetContexts", token=token, accountNumber=str(number)))["contexts"]
            seen[number].append(bool(rows))
            expiries[number].update(r["expiration_time"] for r in rows)
    assert all(len(times) >= 3 for times in expiries.values())  # contacts keep being refreshed
    went_away_and_back = [
        n
        for n, states in seen.items()
        if any(a and not b for a, b in itertools.pairwise(states))
        and any(not a and b for a, b in itertools.pairwise(states))
    ]
    assert went_away_and_back


async def test_create_and_delete_accounts(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    created = await ok(client, "CreateSipAccount", token=token, extNumber=250)
    assert set(created) == {"responseStatus", "yAfastVersion", "accountID", "accountNumber", "PASS"}
    assert (created["accountID"], created["accountNumber"]) == ("0773137770=5", 5)
    assert isinstance(created["PASS"], str) and created["PASS"]
    rows = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
    new = next(r for r in rows if r["accountNumber"] == 5)
    assert (new["customerExtension"], new["contactsCount"], new["password"]) == (250, 0, created["PASS"])
    world.advance(300)  # the user sets up a softphone with it
    contexts = (await ok(client, "SipGetContexts", token=token, accountNumber="5"))["contexts"]
    assert len(contexts) == 1 and contexts[0]["uri"].startswith("sip:0773137770=5@")
    sixth = await ok(client, "CreateSipAccount", token=token)
    assert sixth["accountNumber"] == 6
    assert refusal(await call(client, "CreateSipAccount", token=token)) == SIP_ACCOUNT_LIMIT_REACHED
    deleted = await ok(client, "DeleteSipAccount", token=token, accountNumber=[5, "6", 99])
    assert deleted["affected_rows"] == 2 and type(deleted["affected_rows"]) is int
    by_form = await form(client, "DeleteSipAccount", token=token, accountNumber=4)
    assert by_form["responseStatus"] == "OK" and by_form["affected_rows"] == 1
    again = await ok(client, "DeleteSipAccount", token=token, accountNumber=4)
    assert again["affected_rows"] == 0
    rows = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
    assert [r["accountNumber"] for r in rows] == [1, 2, 3]
    reused = await ok(client, "CreateSipAccount", token=token)
    assert reused["accountNumber"] == 4  # the lowest free number


async def test_create_refuses_bad_extension_numbers(client: httpx.AsyncClient) -> None:
    token = await login(client)
    for extension, expected in ((199, SIP_EXTENSION_OUT_OF_RANGE), (10001, SIP_EXTENSION_OUT_OF_RANGE)):
        assert refusal(await call(client, "CreateSipAccount", token=token, extNumber=extension)) == expected
    assert refusal(await call(client, "CreateSipAccount", token=token, extNumber=200)) == SIP_EXTENSION_TAKEN
    assert (await call(client, "CreateSipAccount", token=token, extNumber="two"))["responseStatus"] == "ERROR"
    assert (await ok(client, "CreateSipAccount", token=token, extNumber=10000))["accountNumber"] == 5


async def test_transport_switch_drops_and_brings_devices(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    assert (await ok(client, "SipToWss", token=token, accountNumber=2)) == {
        "responseStatus": "OK",
        "yAfastVersion": YAFAST_VERSION,
    }
    rows = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
    assert rows[1]["transport"] == "transport-wss" and rows[1]["contactsCount"] == 0
    same = await call(client, "SipToWss", token=token, accountNumber=2)
    assert same["responseStatus"] != "OK" and SIP_TRANSPORT_UNCHANGED_MARK in same["message"]
    world.advance(300)  # a browser registers over WebSocket
    contexts = (await ok(client, "SipGetContexts", token=token, accountNumber="2"))["contexts"]
    assert len(contexts) == 1 and contexts[0]["uri"].endswith(";transport=ws")
    assert contexts[0]["user_agent"].startswith("JsSIP")
    await ok(client, "SipToUdp", token=token, accountNumber=2)
    world.advance(300)  # the desk phone gets back in
    contexts = (await ok(client, "SipGetContexts", token=token, accountNumber="2"))["contexts"]
    assert [c["user_agent"] for c in contexts] == ["Grandstream GXP1625 1.0.7.13"]
    first_default = await call(client, "SipToUdp", token=token)  # account 1 is UDP already
    assert SIP_TRANSPORT_UNCHANGED_MARK in first_default["message"]
    assert refusal(await call(client, "SipToWss", token=token, accountNumber=9)) == SIP_ACCOUNT_NOT_FOUND


async def test_caller_id_of_an_account_must_be_approved(client: httpx.AsyncClient) -> None:
    token = await login(client)
    for approved in ("0773137770", "0773137780", "0501234560", "+972722222222"):
        await ok(client, "EditCallerIdInSipAccount", token=token, accountNumber=3, callerId=approved)
        rows = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
        assert rows[2]["specialCallerID"] == approved
    for refused in ("0549999999", "123"):
        body = await call(client, "EditCallerIdInSipAccount", token=token, accountNumber=3, callerId=refused)
        assert refusal(body) == SIP_CALLER_ID_NOT_APPROVED
    missing = await call(
        client, "EditCallerIdInSipAccount", token=token, accountNumber=9, callerId="0773137770"
    )
    assert refusal(missing) == SIP_ACCOUNT_NOT_FOUND


async def test_sip_extension_management_a11(client: httpx.AsyncClient) -> None:
    token = await login(client)
    got = await form(client, "SipExtensionManagement", token=token, SipExtensionManagement="Get")
    assert got["responseStatus"] == "OK" and got["extNumber"] == 200
    by_query = (
        await client.get("SipExtensionManagement", params={"token": token, "SipExtensionManagement": "Get"})
    ).json()
    assert by_query["extNumber"] == 200
    second = await form(
        client, "SipExtensionManagement", token=token, SipExtensionManagement="Get", accountNumber=4
    )
    assert second["extNumber"] is None
    changed = await form(
        client,
        "SipExtensionManagement",
        token=token,
        SipExtensionManagement="Set",
        accountNumber=4,
        extNumber=333,
    )
    assert changed["responseStatus"] == "OK" and changed["extNumber"] == 333
    for extension, expected in ((201, SIP_EXTENSION_TAKEN), (150, SIP_EXTENSION_OUT_OF_RANGE)):
        body = await form(
            client,
            "SipExtensionManagement",
            token=token,
            SipExtensionManagement="Set",
            accountNumber=4,
            extNumber=extension,
        )
        assert refusal(body) == expected
    cleared = await form(
        client, "SipExtensionManagement", token=token, SipExtensionManagement="Set", accountNumber=4
    )
    assert cleared["responseStatus"] == "OK" and cleared["extNumber"] is None
    rows = (await ok(client, "GetSipAccountsInCustomer", token=token))["accounts"]
    assert rows[3]["customerExtension"] is None
    for bad in ("get", "SET", "Delete", ""):
        body = await form(client, "SipExtensionManagement", token=token, SipExtensionManagement=bad)
        assert refusal(body) == A11_BAD_ACTION == ("Exception", "bad action")
        assert {"file", "Line"} <= set(body)
    as_json = await call(client, "SipExtensionManagement", token=token, SipExtensionManagement="Get")
    assert refusal(as_json) == A11_BAD_ACTION  # 2.6: the JSON form got "bad action"


async def test_sip_off_system_answers_the_seed_error(client: httpx.AsyncClient) -> None:
    token = await login(client, NO_SIP)
    expected = {"responseStatus": "ERROR", "message": SIP_OFF_MESSAGE, "yAfastVersion": "any"}
    assert SIP_OFF_MESSAGE == "שרת זה אינו תומך במערכת SIP"
    for command in SIP_SERVICES:
        assert await raw(client, command, token=token, accountNumber=1) == expected
        assert (await form(client, command, token=token)) == expected
    assert (await ok(client, "IsCallerIDApproved", token=token, callerId=NO_SIP[0]))["isApproved"] is True
    assert (await ok(client, "GetIncomingSms", token=token, limit=1))["rows"]


# -- caller IDs (1.2) -----------------------------------------------------------------------------


async def test_is_caller_id_approved(client: httpx.AsyncClient) -> None:
    token = await login(client)
    cases = {
        "0773137770": ("+972773137770", True, "INCLUDE"),
        "972773137780": ("+972773137780", True, "INCLUDE"),
        "0501234560": ("+972501234560", True, "INCLUDE"),
        "0549999999": ("+972549999999", False, "INCLUDE"),
        "077313": ("077313", False, "INVALID_CALLER"),
    }
    for caller_id, (parsed, approved, reason) in cases.items():
        body = await ok(client, "IsCallerIDApproved", token=token, callerId=caller_id)
        assert set(body) == {"responseStatus", "yAfastVersion", "parsedCallerId", "isApproved", "reason"}
        assert (body["parsedCallerId"], body["isApproved"], body["reason"]) == (parsed, approved, reason)
    sms = await ok(client, "IsCallerIDApproved", token=token, callerId="0773137770", serviceType="sms")
    assert (sms["isApproved"], sms["reason"]) == (True, "INCLUDE")
    bad_type = await call(client, "IsCallerIDApproved", token=token, callerId="0773137770", serviceType="fax")
    assert bad_type["responseStatus"] == "ERROR"


async def test_sms_sender_id_lock(client: httpx.AsyncClient, world: World) -> None:
    token = await hard_verified(client, world)  # 0773137771 sends SMS only as its SMS ID
    own = await ok(client, "IsCallerIDApproved", token=token, callerId="0773137771", serviceType="sms")
    other = await ok(client, "IsCallerIDApproved", token=token, callerId="0773137790", serviceType="sms")
    assert (own["isApproved"], own["reason"]) == (True, "SMS_ID")
    assert (other["isApproved"], other["reason"]) == (False, "SMS_ID")
    as_call = await ok(client, "IsCallerIDApproved", token=token, callerId="0773137790")
    assert (as_call["isApproved"], as_call["reason"]) == (True, "INCLUDE")
    ids = await ok(client, "GetApprovedCallerIDs", token=token)
    assert ids["sms"] == {"smsId": "+972773137771", "allowText": False}


async def test_approved_caller_ids_shape(client: httpx.AsyncClient) -> None:
    body = await ok(client, "GetApprovedCallerIDs", token=await login(client))
    assert set(body["call"]) == {"mainDid", "secondaryDids", "callerIds"}
    assert body["call"]["mainDid"] == "+972773137770"
    e164 = re.compile(r"^\+972\d{8,9}$")
    assert all(e164.match(n) for n in [*body["call"]["secondaryDids"], *body["call"]["callerIds"]])
    assert body["call"]["secondaryDids"] and body["call"]["callerIds"]
    assert body["sms"] == {"smsId": None, "allowText": True}


# -- incoming SMS (1.6, 2.5, A9) ------------------------------------------------------------------


async def test_incoming_sms_shape_and_order(client: httpx.AsyncClient) -> None:
    token = await login(client)
    default = (await ok(client, "GetIncomingSms", token=token))["rows"]
    assert len(default) == 100
    rows = (await ok(client, "GetIncomingSms", token=token, limit=3000))["rows"]
    assert 200 <= len(rows) < 3000  # a few hundred over the past days
    for row in rows:
        assert set(row) == {"source", "destination", "message", "receive_date"}
        assert re.fullmatch(r"972\d{8,9}", row["source"]) and re.fullmatch(r"972\d{8,9}", row["destination"])
        assert isinstance(row["message"], str) and row["message"] and LOCAL_DATE.match(row["receive_date"])
    dates = [r["receive_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert dates[-1] < (START - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    texts = [r["message"] for r in rows]
    assert any(re.search("[\u05d0-\u05ea]", t) for t in texts)  # Hebrew
    assert any(re.search("[\u0600-\u06ff]", t) for t in texts)  # Arabic and Persian
    assert any("پ" in t or "گ" in t or "ی" in t for t in texts)  # Persian letters
    assert any(re.search("[A-Za-z]{4}", t) for t in texts)
    assert any("[" in t and "[/" in t for t in texts) and any("\n" in t for t in texts)
    assert {r["destination"] for r in rows} >= {"972773137770"}


async def test_new_messages_arrive_newest_first(client: httpx.AsyncClient, world: World) -> None:
    token = f"{DEMO[0]}:{DEMO[1]}"  # a fresh session on each request: hours pass in between
    before = len((await ok(client, "GetIncomingSms", token=token, limit=3000))["rows"])
    world.advance(3 * 3600)
    after = len((await ok(client, "GetIncomingSms", token=token, limit=3000))["rows"])
    assert after > before
    world.receive_sms(DEMO[0], "0541112233", "[bold]50% off[/]\nשורה שנייה")
    latest = (await ok(client, "GetIncomingSms", token=token, limit=1))["rows"]
    assert latest == [
        {
            "source": "972541112233",
            "destination": "972773137770",
            "message": "[bold]50% off[/]\nשורה שנייה",
            "receive_date": world.now.strftime("%Y-%m-%d %H:%M:%S"),
        }
    ]


async def test_limit_is_clamped_to_3000(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    for index in range(3100):
        world.sms.receive(DEMO[0], f"05412{index:05d}", f"bulk {index}", world._utc_now())
    huge = (await ok(client, "GetIncomingSms", token=token, limit=200000))["rows"]
    assert len(huge) == A9_INCOMING_SMS_MAX == 3000
    assert huge[0]["message"] == "bulk 3099"
    assert len((await ok(client, "GetSmsIncomingLog", token=token, limit=5000))["rows"]) == 3000
    assert len((await ok(client, "GetIncomingSms", token=token, limit="7"))["rows"]) == 7
    assert (await call(client, "GetIncomingSms", token=token, limit="lots"))["responseStatus"] == "ERROR"


async def test_date_range(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    start, end = "2025-05-12 08:00:00", "2025-05-13 20:00:00"
    rows = (await ok(client, "GetIncomingSms", token=token, startDate=start, endDate=end, limit=3000))["rows"]
    assert rows and all(start <= r["receive_date"] <= end for r in rows)
    everything = (await ok(client, "GetIncomingSms", token=token, limit=3000))["rows"]
    assert rows == [r for r in everything if start <= r["receive_date"] <= end]
    day = (await ok(client, "GetIncomingSms", token=token, startDate="2025-05-13", endDate="2025-05-13"))[
        "rows"
    ]
    assert day and all(r["receive_date"].startswith("2025-05-13") for r in day)
    bad = await call(client, "GetIncomingSms", token=token, startDate="13/05/2025")
    assert bad["responseStatus"] == "ERROR"


async def test_sms_incoming_log_has_integer_numbers(client: httpx.AsyncClient) -> None:
    token = await login(client)
    log = (await ok(client, "GetSmsIncomingLog", token=token, limit=20))["rows"]
    current = (await ok(client, "GetIncomingSms", token=token, limit=20))["rows"]
    assert len(log) == 20
    for old, new in zip(log, current, strict=True):
        assert set(old) == {"dest", "phone", "message", "server_date"}
        assert type(old["dest"]) is int and type(old["phone"]) is int
        assert (str(old["dest"]), str(old["phone"]), old["message"], old["server_date"]) == (
            new["destination"],
            new["source"],
            new["message"],
            new["receive_date"],
        )


# -- campaigns (1.5, 2.4, A12, A13) ---------------------------------------------------------------


async def launch(client: httpx.AsyncClient, token: str, **params: Any) -> dict[str, Any]:
    return await ok(client, "CallExtensionBridging", token=token, **{"ivrPath": "ivr2:/1", **params})


def numbers(count: int, prefix: str = "0521") -> list[str]:
    return [f"{prefix}{i:06d}" for i in range(count)]


async def test_call_extension_bridging_reply(client: httpx.AsyncClient) -> None:
    token = await login(client)
    body = await launch(client, token, phones="0501234567:0521234567:0510001:0510002:0501234567")
    assert set(body) == {
        "responseStatus",
        "yAfastVersion",
        "module",
        "callerId",
        "callsCount",
        "bilingPerCall",
        "errors",
        "callsTimeout",
        "campaignId",
    }
    assert (body["module"], body["callerId"], body["callsCount"], body["callsTimeout"]) == (
        "queue",
        "0773137770",
        2,
        30,
    )
    assert isinstance(body["bilingPerCall"], int | float) and not isinstance(body["bilingPerCall"], bool)
    assert body["errors"] == {"0510001": "not Vaild", "0510002": "not Vaild"}
    match = A12_CAMPAIGN_ID_RE.match(body["campaignId"])
    assert match and match.group(2) == "0773137770" and len(match.group(3)) == 16
    menu = await launch(client, token, phones="0501234567", ivrPath="/2", callerId="0773137780")
    assert (menu["module"], menu["callerId"], menu["errors"]) == ("menu", "0773137780", {})
    assert menu["campaignId"] != body["campaignId"]


async def test_empty_errors_map_quirk(world: World) -> None:
    app = build_app(world, speed=0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        token = await login(client)
        assert (await launch(client, token, phones="0501234567"))["errors"] == {}
        app.state.yemot_quirks.empty_maps_as_lists = True
        assert (await launch(client, token, phones="0501234567"))["errors"] == []
        kick = await ok(client, "QueueManagement", token=token, queuePath="/1", action="kick", callIds=[])
        assert kick["status"] == []


async def test_phone_list_forms(client: httpx.AsyncClient) -> None:
    token = await login(client)
    as_array = await launch(client, token, phones=["0501234567", "0521234567", "0510001"])
    assert as_array["callsCount"] == 2 and as_array["errors"] == {"0510001": "not Vaild"}
    objects = await launch(
        client,
        token,
        phones=[
            {"phone": "0511111", "callerId": "077313"},
            {"phone": "0541234567", "callerId": "0773137780"},
        ],
    )
    assert objects["callsCount"] == 1 and objects["errors"] == {"0511111": "not Vaild"}
    groups = await launch(
        client,
        token,
        phones=[
            {"phones": ["0501111111", "051111221"], "callerId": "0773137780"},
            {"phones": ["0521111999"], "callerId": "0773137781"},
        ],
    )
    assert groups["callsCount"] == 2 and groups["errors"] == {"051111221": "not Vaild"}
    listed = await launch(client, token, phones="tpl:12")
    assert listed["callerId"] == "0773137780"  # the distribution list's own caller ID
    assert listed["callsCount"] == 6 and listed["errors"] == {"0510001": "not Vaild"}
    tzintuk = await launch(client, token, phones="tzl:3", callerId="0773137770")
    assert tzintuk["callsCount"] == 3 and tzintuk["callerId"] == "0773137770"
    missing = await call(client, "CallExtensionBridging", token=token, phones="tpl:99", ivrPath="/1")
    assert missing["responseStatus"] == "ERROR"
    by_form = await form(
        client, "CallExtensionBridging", token=token, phones="0501234567:0521234567", ivrPath="/3"
    )
    assert by_form["responseStatus"] == "OK" and by_form["callsCount"] == 2
    none_valid = await call(client, "CallExtensionBridging", token=token, phones="123:456", ivrPath="/1")
    assert refusal(none_valid) == CAMPAIGN_NO_VALID_NUMBERS


async def test_campaign_limits(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    too_many = await call(client, "CallExtensionBridging", token=token, phones=numbers(501), ivrPath="/1")
    assert refusal(too_many) == CAMPAIGN_TOO_MANY_NUMBERS
    as_string = await call(
        client, "CallExtensionBridging", token=token, phones=":".join(numbers(501)), ivrPath="/1"
    )
    assert refusal(as_string) == CAMPAIGN_TOO_MANY_NUMBERS
    assert (await launch(client, token, phones=numbers(500)))["callsCount"] == 500
    for given, accepted in ((60, 35), (35, 35), ("20", 20), (12.7, 12)):
        assert (await launch(client, token, phones="0501234567", callsTimeOut=given))[
            "callsTimeout"
        ] == accepted
    for bad in ("soon", 0, -5):
        body = await call(
            client, "CallExtensionBridging", token=token, phones="0501234567", ivrPath="/1", callsTimeOut=bad
        )
        assert body["responseStatus"] == "ERROR"
    nowhere = await call(
        client, "CallExtensionBridging", token=token, phones="0501234567", ivrPath="ivr2:/8/8"
    )
    assert refusal(nowhere) == ("ERROR", "extension does not exist")
    world.auth.accounts[DEMO[0]].units = 0.05
    broke = await call(client, "CallExtensionBridging", token=token, phones="0501234567", ivrPath="/1")
    assert refusal(broke) == CAMPAIGN_LOW_UNITS


async def test_campaign_dials_over_simulated_time(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    units_before = (await ok(client, "GetSession", token=token))["units"]
    campaign_id = (await launch(client, token, phones=numbers(20)))["campaignId"]
    status = (await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="all"))[
        "campaign"
    ]
    assert status["campaignStatus"] == "RUNNING" and status["pendingEntries"] == 20
    assert [e["entryStatus"] for e in status["entries"]] == ["pending"] * 20
    active = (await ok(client, "GetActiveCampaigns", token=token))["campaigns"]
    assert [c["campaignId"] for c in active] == [campaign_id] and active[0]["entries"] is None
    world.advance(2)
    status = (await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="ringing"))[
        "campaign"
    ]
    assert status["activeEntries"] == len(status["entries"]) == status["maxActiveChannels"]
    seen: set[str] = set()
    for _ in range(240):
        world.advance(10)
        status = (await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="all"))[
            "campaign"
        ]
        seen |= {e["entryStatus"] for e in status["entries"]}
        if status["campaignStatus"] == "FINISHED":
            break
    assert status["campaignStatus"] == "FINISHED", status
    assert {e["entryStatus"] for e in status["entries"]} <= FINAL_ENTRY_STATUSES
    assert {"bridged", "done"} <= seen
    counts = status["doneEntries"] + status["failedEntries"]
    assert counts == status["totalEntries"] == status["totalDialed"] == 20
    assert status["totalSuccessful"] == status["doneEntries"] == sum(e["bridged"] for e in status["entries"])
    for entry in status["entries"]:
        assert re.fullmatch(r"\d\d:\d\d:\d\d", entry["startTime"])
        assert entry["duration"] >= entry["bridgedDuration"] >= 0
        assert (entry["bridgedDuration"] > 0) == (entry["entryStatus"] == "done")
        assert entry["currentPrice"] >= (0.5 if entry["entryStatus"] == "done" else 0)
    assert status["currentPrice"] == pytest.approx(2.0 + sum(e["currentPrice"] for e in status["entries"]))
    units_after = (await ok(client, "GetSession", token=token))["units"]
    assert units_after == pytest.approx(units_before - status["currentPrice"])
    assert (await ok(client, "GetActiveCampaigns", token=token))["campaigns"] == []


async def test_pause_resume_and_stop(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    campaign_id = (await launch(client, token, phones=numbers(60)))["campaignId"]
    world.advance(5)
    paused = await ok(
        client, "CampaignAction", token=token, campaignId=campaign_id, action="setPaused", value=1
    )
    assert set(paused) == {"responseStatus", "yAfastVersion", "campaign", "action", "value", "data"}
    assert (paused["action"], paused["value"], paused["data"]) == ("SET_PAUSED", 1, [])
    assert paused["campaign"]["campaignStatus"] == "PAUSED" and paused["campaign"]["paused"] is True
    dialed = paused["campaign"]["totalDialed"]
    world.advance(300)
    status = (await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id))["campaign"]
    assert status["totalDialed"] == dialed and status["activeEntries"] == status["bridgedEntries"] == 0
    assert status["campaignStatus"] == "PAUSED" and status["entries"] is None
    assert campaign_id in {
        c["campaignId"] for c in (await ok(client, "GetActiveCampaigns", token=token))["campaigns"]
    }
    resumed = await ok(
        client, "CampaignAction", token=token, campaignId=campaign_id, action="setPaused", value="0"
    )
    assert resumed["campaign"]["campaignStatus"] == "RUNNING" and resumed["campaign"]["paused"] is False
    for _ in range(60):
        world.advance(2)
        status = (await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id))["campaign"]
        if status["bridgedEntries"]:
            break
    assert status["totalDialed"] > dialed and status["bridgedEntries"] > 0
    stopped = await ok(client, "CampaignAction", token=token, campaignId=campaign_id, action="stop")
    assert stopped["action"] == "STOP"
    assert stopped["campaign"]["campaignStatus"] == "STOPPING "  # 2.4: yemot_api's literal, with the space
    assert stopped["campaign"]["pendingEntries"] == stopped["campaign"]["activeEntries"] == 0
    assert stopped["campaign"]["bridgedEntries"] > 0  # bridged calls run to their end
    for _ in range(70):
        world.advance(10)
        status = (
            await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="canceled")
        )["campaign"]
        if status["campaignStatus"] == "STOPPED":
            break
    assert status["campaignStatus"] == "STOPPED" and status["bridgedEntries"] == 0
    assert status["entries"] and all(e["entryStatus"] == "canceled" for e in status["entries"])
    assert (await ok(client, "GetActiveCampaigns", token=token))["campaigns"] == []
    late = await call(
        client, "CampaignAction", token=token, campaignId=campaign_id, action="setPaused", value=1
    )
    assert late["responseStatus"] == "ERROR"


async def test_campaign_status_lookups(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client)
    campaign_id = (await launch(client, token, phones=numbers(10)))["campaignId"]
    world.advance(3)
    body = (
        await ok(client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="all", range="2:5")
    )["campaign"]
    assert [e["phone"] for e in body["entries"]] == numbers(10)[2:5]
    for entry in body["entries"]:
        assert set(entry) == {
            "phone",
            "name",
            "moreinfo",
            "entryStatus",
            "duration",
            "bridgedDuration",
            "currentPrice",
            "bridged",
            "startTime",
            "redials",
        }
    for key in (
        "pendingEntries",
        "activeEntries",
        "bridgedEntries",
        "doneEntries",
        "failedEntries",
        "runTime",
    ):
        assert type(body[key]) is int, key
    assert type(body["paused"]) is bool and isinstance(body["currentPrice"], float)
    open_range = await ok(
        client, "GetCampaignStatus", token=token, campaignId=campaign_id, entries="all", range=":"
    )
    assert len(open_range["campaign"]["entries"]) == 10
    limits = await ok(
        client, "CampaignAction", token=token, campaignId=campaign_id, action="setMaxActiveChannels", value=2
    )
    assert limits["action"] == "SET_MAX_ACTIVE_CHANNELS" and limits["campaign"]["maxActiveChannels"] == 2
    for params in ({"campaignId": "YA-1-0-Yemot-1"}, {"campaignId": campaign_id, "entries": "sideways"}):
        assert (await call(client, "GetCampaignStatus", token=token, **params))["responseStatus"] == "ERROR"
    assert (
        refusal(await call(client, "GetCampaignStatus", token=token, campaignId="nope")) == CAMPAIGN_NOT_FOUND
    )
    odd = await call(client, "CampaignAction", token=token, campaignId=campaign_id, action="pause")
    assert odd["responseStatus"] == "ERROR"
    world.advance(61)
    other = await hard_verified(client, world)  # another system sees none of it
    assert (
        refusal(await call(client, "GetCampaignStatus", token=other, campaignId=campaign_id))
        == CAMPAIGN_NOT_FOUND
    )
    assert (await ok(client, "GetActiveCampaigns", token=other))["campaigns"] == []


# -- MFASession: the whole flow and the management actions (1.8, A3, A7, A8) --------------------


async def test_mfa_flow_from_a_session_that_has_not_passed(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client, NEEDS_MFA)
    tried = await mfa(client, token, "try")
    assert (tried["responseStatus"], tried["isPass"], tried["isAvailable"]) == ("OK", False, True)
    methods = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    assert all("•" in m["VALUE"] for m in methods)
    phone = next(m for m in methods if "SMS" in m["SEND_TYPE"])
    assert (await mfa(client, token, "sendMFA", mfaId=phone["ID"], mfaSendType="SMS"))[
        "responseStatus"
    ] == "OK"
    sent = world.sent_codes[-1]
    assert (sent.system, sent.channel, sent.target) == (NEEDS_MFA[0], SendChannel.SMS, "+972501234561")
    assert re.fullmatch(r"\d{6}", sent.code)
    quick = await mfa(client, token, "sendMFA", mfaId=phone["ID"], mfaSendType="SMS")
    wait_s = a7_wait_seconds(quick["message"])
    assert quick["responseStatus"] == "Exception" and wait_s is not None and 0 < wait_s <= 60
    for attempt in range(1, 6):
        wrong = await mfa(client, token, "validMFA", mfaCode="000000" if sent.code != "000000" else "111111")
        assert (wrong["mfa_valid_status"], wrong["mfa_valid_trys"], wrong["mfa_valid_left"]) == (
            "UNVALID",
            attempt,
            5 - attempt,
        )
    over = await mfa(client, token, "validMFA", mfaCode=sent.code)
    assert over["mfa_valid_status"] == "OVERTRY" and over["mfa_valid_message"]
    early = await mfa(client, token, "sendMFA", mfaId=phone["ID"], mfaSendType="SMS")
    world.advance(a7_wait_seconds(early["message"]) or 0)  # the window grew after the early sends
    resent = await mfa(client, token, "sendMFA", mfaId=phone["ID"], mfaSendType="SMS")
    assert resent["responseStatus"] == "OK" and world.sent_codes[-1].code
    valid = await mfa(
        client,
        token,
        "validMFA",
        mfaCode=world.sent_codes[-1].code,
        mfaRememberMe=1,
        mfaRememberNote="המחשב שלי",
    )
    assert (valid["mfa_valid_status"], valid["mfa_valid_trys"], valid["mfa_valid_left"]) == ("VALID", 1, 4)
    status = await mfa(client, token, "isPass")
    assert (status["isPass"], status["passRessen"], status["isPassInThisSession"]) == (
        True,
        "MFA_PASSED",
        True,
    )
    unmasked = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    assert "+972501234561" in {m["VALUE"] for m in unmasked} and all("•" not in m["VALUE"] for m in unmasked)
    world.advance(120)
    later = await login(client, NEEDS_MFA)
    again = await mfa(client, later, "isPass")
    assert (again["isPass"], again["passRessen"], again["isPassInThisSession"]) == (
        True,
        "HAVE_ACTIVE_TRUST_TOKEN",
        False,
    )
    assert all("•" in m["VALUE"] for m in (await mfa(client, later, "getMFAMethods"))["mfaMethods"])
    tokens = (await mfa(client, token, "getMFATrustTokens"))["trustTokens"]
    assert tokens[0]["last_use"] is not None and LOCAL_DATE.match(tokens[0]["last_use"])


async def test_management_needs_hard_verification(client: httpx.AsyncClient) -> None:
    token = await login(client)  # passed by a trusted IP, nothing verified in this session
    for action in (
        "addMethod",
        "reValidMethod",
        "validMethod",
        "deleteMethod",
        "getMFATrustTokens",
        "deleteTrustToken",
        "getMFATrustIps",
        "setMFATrustIps",
    ):
        assert refusal(await mfa(client, token, action, mfaId="1", trustIps="1.2.3.4")) == (
            "FORBIDDEN",
            "MFA_REQUIRED",
        )


async def test_add_verify_and_delete_a_method(client: httpx.AsyncClient, world: World) -> None:
    token = await hard_verified(client, world)
    added = await mfa(
        client,
        token,
        "addMethod",
        mfaNewType="PHONE",
        mtaNewValue="+1 (212) 555-1234",
        mtaNewValidNote="New York office",
        newExpiredDate="2026-05-14 10:00:00",
    )
    assert added["responseStatus"] == "OK" and type(added["methodId"]) is int
    method_id = added["methodId"]
    rows = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    row = next(r for r in rows if r["MFA_METHOD_ID"] == method_id)
    assert (row["STATUS"], row["NIKE"], row["NOTE"], row["VALUE"]) == (
        "PENDING",
        "BY_CUSTOMER",
        "New York office",
        "+12125551234",
    )
    assert row["SEND_TYPE"] == ["CALL", "SMS"] and row["EXPIRED_DATE"] == "2026-05-14 10:00:00"
    sent = await mfa(client, token, "reValidMethod", mfaId=str(method_id), mfaSendType="CALL", lang="EN")
    assert sent["responseStatus"] == "OK"
    code = world.sent_codes[-1]
    assert (code.system, code.channel, code.target) == (NEEDS_MFA[0], SendChannel.CALL, "+12125551234")
    quick = await mfa(client, token, "reValidMethod", mfaId=str(method_id), mfaSendType="CALL")
    assert quick["responseStatus"] == "Exception" and a7_wait_seconds(quick["message"])
    wrong = await mfa(client, token, "validMethod", mfaId=str(method_id), mfaCode="x")
    assert (wrong["mfa_valid_status"], wrong["mfa_valid_left"]) == ("UNVALID", 4)
    right = await mfa(client, token, "validMethod", mfaId=str(method_id), mfaCode=code.code)
    assert right["mfa_valid_status"] == "VALID"
    rows = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    assert next(r for r in rows if r["MFA_METHOD_ID"] == method_id)["STATUS"] == "ACTIVE"
    assert (await mfa(client, token, "deleteMethod", mfaId=str(method_id)))["responseStatus"] == "OK"
    rows = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    assert method_id not in {r["MFA_METHOD_ID"] for r in rows}
    gone = await mfa(client, token, "deleteMethod", mfaId=str(method_id))
    assert gone["responseStatus"] == "ERROR"


async def test_add_method_rules(client: httpx.AsyncClient, world: World) -> None:
    token = await hard_verified(client, world)
    expires = "2026-01-01 00:00:00"

    async def add(kind: str, value: str, **extra: Any) -> dict[str, Any]:
        params = {"mfaNewType": kind, "mtaNewValue": value, "newExpiredDate": expires, **extra}
        return await mfa(client, token, "addMethod", **params)

    assert refusal(await add("PHONE", "+447911123456")) == MFA_PHONE_COUNTRY_REFUSED
    for allowed in ("+14165551234", "0541234567", "972521112233"):
        assert (await add("PHONE", allowed))["responseStatus"] == "OK", allowed
    assert (await add("EMAIL", "ops@example.com"))["responseStatus"] == "OK"
    for kind, value in (("EMAIL", "not-an-email"), ("PHONE", "12"), ("FAX", "0541234567")):
        assert (await add(kind, value))["responseStatus"] == "ERROR"
    assert (await add("PHONE", "054-1234567"))["responseStatus"] == "ERROR"  # already there
    assert (await add("PHONE", "0541234560", newExpiredDate="2020-01-01 00:00:00"))[
        "responseStatus"
    ] == "ERROR"
    no_date = await mfa(client, token, "addMethod", mfaNewType="PHONE", mtaNewValue="0541234561")
    assert no_date["responseStatus"] == "ERROR"
    count = len((await mfa(client, token, "getMFAMethods"))["mfaMethods"])
    for index in range(20 - count):
        assert (await add("EMAIL", f"user{index}@example.com"))["responseStatus"] == "OK"
    assert len((await mfa(client, token, "getMFAMethods"))["mfaMethods"]) == 20
    assert refusal(await add("EMAIL", "one-too-many@example.com")) == MFA_TOO_MANY_METHODS


async def test_methods_from_the_system_cannot_be_deleted(client: httpx.AsyncClient, world: World) -> None:
    token = await hard_verified(client, world)
    rows = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    for row in rows:
        assert row["NIKE"] in ("CREATE_PHONE", "RESET_MAIL")
        body = await mfa(client, token, "deleteMethod", mfaId=str(row["ID"]))
        assert body["responseStatus"] == "ERROR" and row["NIKE"] in body["message"]
    assert len((await mfa(client, token, "getMFAMethods"))["mfaMethods"]) == len(rows)


async def test_trust_tokens_list_and_delete(client: httpx.AsyncClient, world: World) -> None:
    token = await login(client, NEEDS_MFA)
    methods = (await mfa(client, token, "getMFAMethods"))["mfaMethods"]
    await mfa(client, token, "sendMFA", mfaId=methods[0]["ID"], mfaSendType="CALL")
    await mfa(
        client,
        token,
        "validMFA",
        mfaCode=world.sent_codes[-1].code,
        mfaRememberMe="true",
        mfaRememberNote="x",
    )
    rows = (await mfa(client, token, "getMFATrustTokens"))["trustTokens"]
    assert len(rows) == 1
    assert set(rows[0]) == {
        "id",
        "trust_key_type",
        "create_by",
        "create_date",
        "update_by",
        "update_date",
        "last_use",
        "trust_note",
    }
    assert (await mfa(client, token, "deleteTrustToken", trustTokenId=str(rows[0]["id"])))[
        "responseStatus"
    ] == "OK"
    assert (await mfa(client, token, "getMFATrustTokens"))["trustTokens"] == []
    assert (await mfa(client, token, "deleteTrustToken", trustTokenId=str(rows[0]["id"])))[
        "responseStatus"
    ] == "ERROR"
    later = await login(client, NEEDS_MFA)
    assert (await mfa(client, later, "isPass"))["isPass"] is False  # the IP is no longer remembered


async def test_set_trusted_ips(client: httpx.AsyncClient, world: World) -> None:
    token = await hard_verified(client, world)
    assert (await mfa(client, token, "getMFATrustIps"))["trustIps"] == []
    lines = "1.2.3.4\n0.192.66.2222\n2001:db8::1\n\n1.2.3.4\nexample.com"
    saved = await mfa(client, token, "setMFATrustIps", trustIps=lines)
    assert set(saved) == {"responseStatus", "yAfastVersion", "okCount", "save", "valid_new_list", "errors"}
    assert (saved["okCount"], saved["save"], saved["valid_new_list"]) == (2, True, ["1.2.3.4", "2001:db8::1"])
    assert saved["errors"] == ["ip: 0.192.66.2222 is not valid", "ip: example.com is not valid"]
    unchanged = await mfa(client, token, "setMFATrustIps", trustIps=["2001:db8::1", "1.2.3.4"])
    assert unchanged["save"] is False and unchanged["errors"] == []
    assert (await mfa(client, token, "getMFATrustIps"))["trustIps"] == ["1.2.3.4", "2001:db8::1"]
    fifty = [f"10.0.0.{i}" for i in range(1, 51)]
    assert (await mfa(client, token, "setMFATrustIps", trustIps=fifty))["okCount"] == 50
    too_many = await mfa(client, token, "setMFATrustIps", trustIps=[*fifty, "10.0.1.1"])
    assert refusal(too_many) == MFA_TOO_MANY_TRUSTED_IPS
    assert len((await mfa(client, token, "getMFATrustIps"))["trustIps"]) == 50
    await mfa(client, token, "setMFATrustIps", trustIps="127.0.0.1")
    later = await login(client, NEEDS_MFA)
    status = await mfa(client, later, "isPass")
    assert (status["isPass"], status["passRessen"], status["isPassInThisSession"]) == (
        True,
        "INIT_WHITELIST_IPS",
        False,
    )
    cleared = await mfa(client, token, "setMFATrustIps", trustIps="")
    assert (cleared["okCount"], cleared["save"], cleared["valid_new_list"]) == (0, True, [])


# -- the account: GetCustomerData (2.7), secondary numbers (1.2), PirsumPhone (1.7) --------------


async def test_customer_data_shape(client: httpx.AsyncClient, world: World) -> None:
    body = await ok(client, "GetCustomerData", token=await login(client))
    assert body["mainDid"] == DEMO[0] and body["pirsumPhoneStatus"] is True
    for row in body["secondary_dids"]:
        assert set(row) == {"id", "did", "usage"} and type(row["id"]) is int
        assert row["usage"] is None or isinstance(row["usage"], str)
    assert body["callerIds"][0] == {"callerId": "0501234560", "expiryDate": None}
    assert type(body["units"]) is float and type(body["smsUnits"]) is float and body["expiredUnits"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", body["unitsExpireDate"])
    for key in ("name", "email", "organization", "contactName", "ivrType", "resellerCreditFile"):
        assert isinstance(body[key], str), key


async def test_secondary_number_usage(client: httpx.AsyncClient) -> None:
    token = await login(client)

    async def usages() -> dict[int, str | None]:
        rows = (await ok(client, "GetCustomerData", token=token))["secondary_dids"]
        return {row["id"]: row["usage"] for row in rows}

    for number_id, usage in ((301, "sip:3"), (302, "goto:/2/5"), (303, "sip:201"), (301, "goto:/")):
        body = await ok(
            client, "SetSecondaryDidUsageDescription", token=token, secondaryDidId=number_id, newUsage=usage
        )
        assert body["status"] is True
        assert (await usages())[number_id] == usage
    for number_id, usage in (
        (301, "sip:9"),
        (301, "goto:/8"),
        (301, "fax:x"),
        (999, "goto:/1"),
        (304, "goto:/1"),
    ):
        body = await call(
            client, "SetSecondaryDidUsageDescription", token=token, secondaryDidId=number_id, newUsage=usage
        )
        assert body["responseStatus"] == "ERROR", (number_id, usage)
    assert (await usages())[304] == "fax:inbox"  # a usage one cannot choose cannot be changed


async def test_pirsum_phone_registration(client: httpx.AsyncClient) -> None:
    token = await login(client)
    assert (await ok(client, "PirsumPhoneManagement", token=token, action="GetRegistrationStatus")) == {
        "responseStatus": "OK",
        "yAfastVersion": YAFAST_VERSION,
        "registrationStatus": True,
    }
    assert (await ok(client, "PirsumPhoneManagement", token=token, action="UnRegistration"))[
        "results"
    ] == "OK"
    status = await ok(client, "PirsumPhoneManagement", token=token, action="GetRegistrationStatus")
    assert status["registrationStatus"] is False
    assert (await ok(client, "PirsumPhoneManagement", token=token, action="Registration"))["results"] == "OK"
    assert (await call(client, "PirsumPhoneManagement", token=token, action="Explode"))[
        "responseStatus"
    ] == "ERROR"


# -- the world behind these services --------------------------------------------------------------


def test_yemot_traffic_does_not_change_the_callers() -> None:
    quiet, busy = World(seed=5, start=START), World(seed=5, start=START)
    busy.create_sip_account(DEMO[0], 400)
    busy.launch_campaign(DEMO[0], "YA-1-0-Yemot-1", [("0501234567", DEMO[0])], DEMO[0], "/1", 30)
    busy.receive_sms(DEMO[0], "0501234567", "hello")
    quiet.advance(900)
    busy.advance(900)
    assert quiet.describe()["queues"] == busy.describe()["queues"]
    assert quiet.describe()["pbx"] == busy.describe()["pbx"]


def test_a_send_that_obeys_the_wait_goes_through(world: World) -> None:
    """A7: the wait a refusal reports is the real one, however many early sends came before."""
    auth = world.auth
    session = auth.login(*NEEDS_MFA, "10.9.8.7").session
    assert session is not None
    method_id = auth.list_methods(session)[0][0]
    assert auth.send_code(session, method_id, SendChannel.CALL).status is SendStatus.SENT
    world.advance(5)
    waits = []
    for _ in range(3):
        outcome = auth.send_code(session, method_id, SendChannel.CALL)
        assert outcome.status is SendStatus.THROTTLED and outcome.wait_s is not None
        waits.append(outcome.wait_s)
    assert waits == [55, 115, 235]
    world.advance(waits[-1] - 1)
    assert auth.send_code(session, method_id, SendChannel.CALL).wait_s == 1 + 240  # one more doubling
    world.advance(241)
    assert auth.send_code(session, method_id, SendChannel.CALL).status is SendStatus.SENT
    world.advance(1)
    assert auth.send_code(session, method_id, SendChannel.CALL).wait_s == 59  # the window starts over


def test_hosted_systems_are_deterministic() -> None:
    a, b = World(seed=11, start=START), World(seed=11, start=START)
    for world in (a, b):
        world.launch_campaign(
            DEMO[0], "YA-1-0-Yemot-2", [(n, DEMO[0]) for n in numbers(8)], DEMO[0], "/2", 30
        )
        world.advance(1800)
    described = a.describe()
    assert described == b.describe()
    assert {"sip_accounts", "sms", "campaigns"} <= set(described)
