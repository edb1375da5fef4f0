"""Fault injection in the simulator: each fault's exact reply, rates, seeds, forcing and clearing."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tui.simulator.faults import (
    APPLICABLE_KINDS,
    REFUSED_MESSAGE,
    FaultKind,
    FaultPlan,
    mistyped,
    mistyped_reply,
)
from tui.simulator.server import SimulatorServer, build_app
from tui.simulator.world import ISRAEL, World
from tui.vendors.coocenter.assumptions import C_A2_UNAUTHORIZED_BODY
from tui.vendors.yemot.assumptions import A3_MFA_REQUIRED_MESSAGE, A3_MFA_REQUIRED_STATUS, A4_EXPIRED

START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)
DEMO = ("0773137770", "demo-1234")  # passes MFA from 127.0.0.1
YEMOT = "http://sim/yemot/ym/api/"
COOCENTER = "http://sim/coocenter/coocenter-api/"
QUEUE_INFO = "queues/queue-info"


@pytest.fixture
def world() -> World:
    return World(seed=7, start=START)


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan(seed=3, latency_s=0.01, hang_s=0.01, retry_after_s=7)


@pytest.fixture
def app(world: World, plan: FaultPlan) -> Starlette:
    return build_app(world, speed=0, webkeys={}, faults=plan)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim/") as client:
        yield client


async def yemot(http: httpx.AsyncClient, command: str, **params: Any) -> httpx.Response:
    return await http.post(YEMOT + command, json=params)


async def login(http: httpx.AsyncClient) -> str:
    body = (await yemot(http, "Login", username=DEMO[0], password=DEMO[1])).json()
    assert body["responseStatus"] == "OK"
    return body["token"]


async def coocenter(http: httpx.AsyncClient) -> httpx.Response:
    return await http.get(COOCENTER + QUEUE_INFO)


# -- the plan and the app ---------------------------------------------------------------------


def test_the_app_exposes_its_plan(app: Starlette, plan: FaultPlan) -> None:
    assert app.state.faults is plan
    assert isinstance(build_app(World(seed=1), speed=0).state.faults, FaultPlan)


def test_default_kinds_are_the_applicable_ones() -> None:
    plan = FaultPlan()
    assert plan.vendors["yemot"].kinds == set(FaultKind)
    assert plan.vendors["coocenter"].kinds == set(FaultKind) - {FaultKind.MFA_DROPPED}
    with pytest.raises(ValueError):
        plan.force("coocenter", FaultKind.MFA_DROPPED)
    with pytest.raises(ValueError):
        plan.force("nobody", FaultKind.LATENCY)
    with pytest.raises(ValueError):
        FaultPlan(rate=1.5)


async def test_rate_zero_never_faults(world: World) -> None:
    app = build_app(world, speed=0, webkeys={}, faults=FaultPlan(0.0, seed=1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim/") as client:
        token = await login(client)
        for _ in range(30):
            assert (await yemot(client, "GetSession", token=token)).json()["responseStatus"] == "OK"
            assert (await coocenter(client)).json()["status"] == "success"
    assert sum(app.state.faults.served().values()) == 0


async def test_rate_one_always_faults(world: World) -> None:
    # Only reply-changing kinds that need no session, so every request is visibly faulted.
    kinds = {FaultKind.SERVER_ERROR, FaultKind.RATE_LIMIT, FaultKind.HTML_PAGE}
    plan = FaultPlan(1.0, seed=1, kinds=kinds)
    app = build_app(world, speed=0, webkeys={}, faults=plan)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim/") as client:
        for _ in range(20):
            assert "json" not in (await coocenter(client)).headers["content-type"]
        assert (await client.get("/")).json()["simulator"] == "callboard"  # never the index
    assert sum(plan.served("coocenter").values()) == 20
    assert set(plan.served("coocenter")) <= kinds


def test_the_same_seed_gives_the_same_sequence() -> None:
    def sequence(seed: int) -> list[FaultKind | None]:
        plan = FaultPlan(0.5, seed=seed)
        return [plan.choose("yemot", APPLICABLE_KINDS["yemot"]) for _ in range(200)]

    first = sequence(11)
    assert first == sequence(11)
    assert first != sequence(12)
    assert None in first and len({kind for kind in first if kind}) > 5


def test_a_vendors_sequence_does_not_depend_on_the_others() -> None:
    alone, mixed = FaultPlan(0.5, seed=4), FaultPlan(0.5, seed=4)
    kinds = APPLICABLE_KINDS["yemot"]
    solo = [alone.choose("yemot", kinds) for _ in range(50)]
    interleaved = []
    for _ in range(50):
        mixed.choose("coocenter", APPLICABLE_KINDS["coocenter"])
        interleaved.append(mixed.choose("yemot", kinds))
    assert solo == interleaved


async def test_force_with_a_count_faults_exactly_that_many(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("coocenter", FaultKind.RATE_LIMIT, count=2)
    statuses = [(await coocenter(http)).status_code for _ in range(4)]
    assert statuses == [429, 429, 200, 200]
    assert plan.served("coocenter") == {FaultKind.RATE_LIMIT: 2}
    assert plan.served("yemot") == {}


async def test_clear_restores_normal_replies(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("coocenter", FaultKind.SERVER_ERROR)
    plan.set_rate("yemot", 1.0, {FaultKind.RATE_LIMIT})
    for _ in range(3):
        assert (await coocenter(http)).status_code in (500, 502, 503)
    assert (await yemot(http, "Login", username=DEMO[0], password=DEMO[1])).status_code == 429
    plan.clear()
    assert (await coocenter(http)).json()["status"] == "success"
    await login(http)


async def test_clearing_one_vendor_leaves_the_other(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("coocenter", FaultKind.RATE_LIMIT)
    plan.force("yemot", FaultKind.RATE_LIMIT)
    plan.clear("yemot")
    await login(http)
    assert (await coocenter(http)).status_code == 429


# -- each fault's reply -------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_latency_serves_the_real_reply_late(
    http: httpx.AsyncClient, plan: FaultPlan, vendor: str
) -> None:
    token = await login(http)
    plan.latency_s = 0.05
    plan.force(vendor, FaultKind.LATENCY)
    if vendor == "yemot":
        response = await yemot(http, "GetSession", token=token)
        assert response.json()["responseStatus"] == "OK"
    else:
        response = await coocenter(http)
        assert response.json()["status"] == "success"
    assert response.elapsed.total_seconds() >= 0.05


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_timeout_holds_then_answers_504(http: httpx.AsyncClient, plan: FaultPlan, vendor: str) -> None:
    plan.hang_s = 0.05
    plan.force(vendor, FaultKind.TIMEOUT)
    response = await (yemot(http, "GetSession", token="x") if vendor == "yemot" else coocenter(http))
    assert response.status_code == 504
    assert response.elapsed.total_seconds() >= 0.05


async def test_timeout_outlasts_a_client_timeout(world: World) -> None:
    plan = FaultPlan()  # the default hang: 30 s
    started = time.monotonic()
    async with SimulatorServer(world, speed=0, webkeys={}, faults=plan) as server:
        plan.force("coocenter", FaultKind.TIMEOUT)
        async with httpx.AsyncClient(base_url=server.base_url("coocenter"), timeout=0.2) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(QUEUE_INFO)
    assert time.monotonic() - started < 10  # stopping does not wait for the hung request


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_refused_raises_a_transport_error_in_process(
    http: httpx.AsyncClient, plan: FaultPlan, vendor: str
) -> None:
    plan.force(vendor, FaultKind.REFUSED, count=1)
    with pytest.raises(httpx.RemoteProtocolError, match=REFUSED_MESSAGE):
        await (yemot(http, "Login") if vendor == "yemot" else coocenter(http))
    assert (await coocenter(http)).status_code == 200


async def test_refused_drops_the_connection_over_http(world: World) -> None:
    plan = FaultPlan()
    async with SimulatorServer(world, speed=0, webkeys={}, faults=plan) as server:
        async with httpx.AsyncClient(base_url=server.base_url("coocenter")) as client:
            assert (await client.get(QUEUE_INFO)).status_code == 200
            plan.force("coocenter", FaultKind.REFUSED, count=1)
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(QUEUE_INFO)
            assert (await client.get(QUEUE_INFO)).status_code == 200  # a new connection works


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_server_error_is_a_5xx(http: httpx.AsyncClient, plan: FaultPlan, vendor: str) -> None:
    plan.force(vendor, FaultKind.SERVER_ERROR)
    seen = set()
    for _ in range(30):
        response = await (yemot(http, "Login") if vendor == "yemot" else coocenter(http))
        assert response.headers["content-type"].startswith("text/plain")
        seen.add(response.status_code)
    assert seen == {500, 502, 503}


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_html_page(http: httpx.AsyncClient, plan: FaultPlan, vendor: str) -> None:
    plan.force(vendor, FaultKind.HTML_PAGE)
    seen = set()
    for _ in range(20):
        response = await (yemot(http, "Login") if vendor == "yemot" else coocenter(http))
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.startswith("<!DOCTYPE html>")
        with pytest.raises(json.JSONDecodeError):
            response.json()
        seen.add(response.status_code)
    assert seen == {200, 502}


async def test_truncated_json_is_the_real_reply_cut_in_half(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    token = await login(http)
    whole = (await yemot(http, "GetSession", token=token)).content
    plan.force("yemot", FaultKind.TRUNCATED_JSON, count=1)
    response = await yemot(http, "GetSession", token=token)
    assert response.status_code == 200
    assert response.content == whole[: len(whole) // 2]
    assert int(response.headers["content-length"]) == len(whole) // 2
    with pytest.raises(json.JSONDecodeError):
        response.json()

    whole = (await coocenter(http)).content
    plan.force("coocenter", FaultKind.TRUNCATED_JSON, count=1)
    assert (await coocenter(http)).content == whole[: len(whole) // 2]


async def test_wrong_types_mistypes_the_real_reply(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    token = await login(http)
    real = (await yemot(http, "GetQueueRealTime", token=token, queuePath="/1")).json()
    plan.force("yemot", FaultKind.WRONG_TYPES, count=2)
    first = (await yemot(http, "GetQueueRealTime", token=token, queuePath="/1")).json()
    assert first == mistyped_reply(real)
    assert first["responseStatus"] == "OK"  # the envelope is believable ...
    assert isinstance(first["members"], dict)  # ... the data is not: lists became objects
    assert isinstance(first["queueData"]["Calls"], str) and first["queueData"]["Calls"].isalpha()

    real = (await coocenter(http)).json()
    plan.force("coocenter", FaultKind.WRONG_TYPES, count=1)
    mangled = (await coocenter(http)).json()
    assert mangled == mistyped_reply(real) and mangled["status"] == "success"
    assert not isinstance(mangled["data"], list)


def test_mistyped_changes_every_type_deterministically() -> None:
    value = {"n": 42, "f": 1.5, "b": True, "s": "Alice", "d": "0501", "z": None, "l": [1, "x"]}
    assert mistyped(value) == {
        "n": "ec",
        "f": "bf",
        "b": "notabool",
        "s": ["Alice"],
        "d": "afab",
        "z": {},
        "l": {"0": "b", "1": ["x"]},
    }


async def test_yemot_expired_token_really_expires_the_session(
    http: httpx.AsyncClient, plan: FaultPlan, world: World
) -> None:
    token = await login(http)
    plan.force("yemot", FaultKind.EXPIRED_TOKEN, count=1)
    body = (await yemot(http, "GetSession", token=token)).json()
    assert (body["responseStatus"], body["message"]) == A4_EXPIRED
    assert all(s.expired for s in world.auth.sessions_of(DEMO[0]))
    body = (await yemot(http, "GetSession", token=token)).json()  # no fault now: still expired
    assert (body["responseStatus"], body["message"]) == A4_EXPIRED
    fresh = await login(http)  # logging in again recovers
    assert (await yemot(http, "GetSession", token=fresh)).json()["responseStatus"] == "OK"


async def test_session_faults_leave_login_alone(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("yemot", FaultKind.EXPIRED_TOKEN, count=1)
    token = await login(http)  # Login needs no session: the forced fault waits
    body = (await yemot(http, "GetSession", token=token)).json()
    assert (body["responseStatus"], body["message"]) == A4_EXPIRED
    assert plan.served("yemot") == {FaultKind.EXPIRED_TOKEN: 1}


async def test_coocenter_expired_token_is_the_401(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("coocenter", FaultKind.EXPIRED_TOKEN, count=1)
    response = await coocenter(http)
    assert response.status_code == 401 and response.json() == C_A2_UNAUTHORIZED_BODY
    assert "date" in response.headers


async def test_mfa_dropped_revokes_the_pass(http: httpx.AsyncClient, plan: FaultPlan, world: World) -> None:
    token = await login(http)
    plan.force("yemot", FaultKind.MFA_DROPPED, count=1)
    body = (await yemot(http, "GetSession", token=token)).json()
    assert (body["responseStatus"], body["message"]) == (A3_MFA_REQUIRED_STATUS, A3_MFA_REQUIRED_MESSAGE)
    body = (await yemot(http, "GetSession", token=token)).json()  # the world agrees now
    assert (body["responseStatus"], body["message"]) == (A3_MFA_REQUIRED_STATUS, A3_MFA_REQUIRED_MESSAGE)
    assert not any(s.passed for s in world.auth.sessions_of(DEMO[0]))


async def test_yemot_throttled_is_the_seeds_wait_reply(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    token = await login(http)
    plan.force("yemot", FaultKind.THROTTLED, count=1)
    response = await yemot(http, "GetSession", token=token)
    assert response.status_code == 200
    body = response.json()
    assert body["responseStatus"] == "Exception"
    assert body["message"].endswith("wait 7s") and "file" in body and "Line" in body


async def test_coocenter_throttled_is_a_429(http: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.force("coocenter", FaultKind.THROTTLED, count=1)
    response = await coocenter(http)
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
    assert response.json()["status"] == "error"


@pytest.mark.parametrize("vendor", ["yemot", "coocenter"])
async def test_rate_limit_is_a_429_with_retry_after(
    http: httpx.AsyncClient, plan: FaultPlan, vendor: str
) -> None:
    plan.force(vendor, FaultKind.RATE_LIMIT, count=1)
    response = await (yemot(http, "Login") if vendor == "yemot" else coocenter(http))
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
