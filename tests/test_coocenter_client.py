"""CoocenterClient and CoocenterVendor against an in-test fake PBX (httpx.MockTransport).

The fake checks the WEBKEY hash against its own clock and zone (C-A1), answers 401 with C-A2's
body when it does not match, and stamps every reply with a Date header from its clock (C-A3).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from tests.test_coocenter_wire import (
    BLACKLIST_CREATED,
    BLACKLIST_DELETED,
    BLACKLIST_INDEX,
    CURRENT_CALLS,
    EXTENSION_STATUS,
    HANGUP_OK,
    HINTS,
    LOGIN_OK,
    LOGOUT_OK,
    PAUSE_NOT_FOUND,
    PAUSE_OK,
    QUEUE_INFO,
    SPY_OK,
    TRANSFER_OK,
)
from tui.domain import (
    ActionResult,
    AgentState,
    Blacklist,
    LiveCall,
    SessionInfo,
    SipAccount,
)
from tui.vendors.base import (
    BadCredentials,
    Capability,
    Throttled,
    TransportError,
    UnreadableReply,
    VendorError,
    VendorRejected,
)
from tui.vendors.coocenter import assumptions as A
from tui.vendors.coocenter.adapter import CoocenterVendor
from tui.vendors.coocenter.client import MAX_PARALLEL_REQUESTS, CoocenterClient

BASE = "http://192.168.12.183:8000/coocenter-api/"
WEBKEY = "Wk-PLANTED-s3cret-9f2"  # planted: must never show up in an error, a repr or a log line

REPLIES: dict[tuple[str, str], Any] = {
    ("POST", "extensions/current-calls"): CURRENT_CALLS,
    ("GET", "extensions/extension-status"): EXTENSION_STATUS,
    ("GET", "extensions/extension-hints-status"): HINTS,
    ("GET", "queues/queue-info"): QUEUE_INFO,
    ("POST", "queues/agent-pause"): PAUSE_OK,
    ("POST", "queues/agent-login"): LOGIN_OK,
    ("POST", "queues/agent-logout"): LOGOUT_OK,
    ("POST", "extensions/click-number"): {"status": "success", "message": "click extension success"},
    ("POST", "extensions/hangup"): HANGUP_OK,
    ("POST", "extensions/transfer"): TRANSFER_OK,
    ("POST", "extensions/extenSpy"): SPY_OK,
    ("GET", "blacklist/index"): BLACKLIST_INDEX,
    ("POST", "blacklist/create"): BLACKLIST_CREATED,
    ("DELETE", "blacklist/delete"): BLACKLIST_DELETED,
}


class Clock:
    """Our clock, driven by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Seen:
    method: str
    path: str
    authorization: str | None
    content_type: str | None
    body: bytes
    status: int

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class FakePbx:
    """A coocenter PBX: its clock runs `ahead` of ours, its dates are local to `zone`."""

    clock: Clock
    webkey: str | None = WEBKEY
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    ahead: timedelta = timedelta(0)
    replies: dict[tuple[str, str], Any] = field(default_factory=lambda: dict(REPLIES))
    seen: list[Seen] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock.now + self.ahead

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/coocenter-api/")
        authorization = request.headers.get("authorization")
        status = 200
        if self.webkey is not None and authorization != A.c_a1_authorization(self.webkey, self.today()):
            status, reply = A.C_A2_UNAUTHORIZED_STATUS, A.C_A2_UNAUTHORIZED_BODY
        else:
            reply = self.replies.get((request.method, path))
            if reply is None:
                status, reply = 404, {"status": "error", "message": "Interface not found"}
        self.seen.append(
            Seen(
                request.method,
                path,
                authorization,
                request.headers.get("content-type"),
                request.content,
                status,
            )
        )
        if isinstance(reply, httpx.Response):
            response = reply
        else:
            response = httpx.Response(status, json=reply)
        response.headers[A.C_A3_DATE_HEADER] = A.c_a3_format_date(self.now())
        return response

    @property
    def refusals(self) -> int:
        return sum(seen.status == 401 for seen in self.seen)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def dated(day: date) -> str:
    return A.c_a1_authorization(WEBKEY, day)


def client_on(handler: Callable[[httpx.Request], httpx.Response], clock: Clock) -> CoocenterClient:
    """A client with our WEBKEY on a hand-written PBX that sends no Date header."""
    transport = httpx.MockTransport(handler)
    return CoocenterClient(
        BASE, webkey=SecretStr(WEBKEY), transport=transport, clock=clock, pbx_timezone="UTC"
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC))


@pytest.fixture
def pbx(clock: Clock) -> FakePbx:
    return FakePbx(clock)


def make_client(pbx: FakePbx, clock: Clock, *, webkey: str | None = WEBKEY, **extra: Any) -> CoocenterClient:
    return CoocenterClient(
        BASE,
        webkey=SecretStr(webkey) if webkey is not None else None,
        transport=pbx.transport(),
        clock=clock,
        **{"pbx_timezone": "UTC", **extra},
    )


def make_vendor(pbx: FakePbx, clock: Clock, **extra: Any) -> CoocenterVendor:
    return CoocenterVendor(
        base_url=BASE,
        webkey=SecretStr(WEBKEY),
        transport=pbx.transport(),
        pbx_timezone="UTC",
        clock=clock,
        **extra,
    )


# ---------------------------------------------------------------------------------------------
# Authorization (C-A1..C-A3).


async def test_header_is_the_md5_of_webkey_and_the_pbx_date(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock)
    await client.queue_info()
    assert pbx.seen[0].authorization == A.c_a1_authorization(WEBKEY, date(2026, 3, 1))
    assert pbx.seen[0].authorization == dated(date(2026, 3, 1))
    assert len(pbx.seen[0].authorization or "") == 32
    assert pbx.refusals == 0
    await client.aclose()


async def test_no_authorization_header_without_a_webkey(pbx: FakePbx, clock: Clock) -> None:
    pbx.webkey = None
    for webkey in (None, ""):
        client = make_client(pbx, clock, webkey=webkey)
        await client.queue_info()
        await client.blacklist_create("123123")
        await client.aclose()
    assert pbx.seen and all(seen.authorization is None for seen in pbx.seen)


async def test_no_webkey_but_the_pbx_wants_one_is_bad_credentials(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock, webkey=None)
    with pytest.raises(BadCredentials, match="WEBKEY"):
        await client.queue_info()
    assert len(pbx.seen) == 1
    await client.aclose()


async def test_rolls_over_exactly_at_the_pbx_midnight(pbx: FakePbx, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 1, 23, 59, 50, tzinfo=UTC)
    client = make_client(pbx, clock)
    await client.queue_info()
    clock.now = datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)
    await client.queue_info()
    clock.now = datetime(2026, 3, 2, 0, 0, 0, 100_000, tzinfo=UTC)
    await client.queue_info()
    assert [s.authorization for s in pbx.seen] == [
        dated(date(2026, 3, 1)),
        dated(date(2026, 3, 1)),
        dated(date(2026, 3, 2)),
    ]
    assert pbx.refusals == 0
    await client.aclose()


async def test_rolls_over_at_midnight_in_the_pbx_zone(pbx: FakePbx, clock: Clock) -> None:
    pbx.zone = ZoneInfo("Asia/Shanghai")  # midnight there is 16:00 UTC
    clock.now = datetime(2026, 3, 1, 15, 59, 55, tzinfo=UTC)
    client = make_client(pbx, clock, pbx_timezone="Asia/Shanghai")
    await client.queue_info()
    clock.advance(seconds=6)
    await client.queue_info()
    assert [s.authorization for s in pbx.seen] == [dated(date(2026, 3, 1)), dated(date(2026, 3, 2))]
    assert pbx.refusals == 0
    await client.aclose()


async def test_pbx_clock_twenty_minutes_ahead(pbx: FakePbx, clock: Clock) -> None:
    pbx.ahead = timedelta(minutes=20)
    clock.now = datetime(2026, 3, 1, 23, 50, 0, tzinfo=UTC)  # the PBX is already at 00:10 on 2 March
    client = make_client(pbx, clock)
    reply = await client.queue_info()  # the caller never sees the 401
    assert reply.ok
    assert [(s.status, s.authorization) for s in pbx.seen] == [
        (401, dated(date(2026, 3, 1))),
        (200, dated(date(2026, 3, 2))),
    ]
    pbx.seen.clear()
    clock.advance(minutes=5)
    await client.queue_info()  # right first time now that the PBX clock is known
    clock.advance(minutes=10)  # our own midnight passes: nothing changes for the PBX's date
    await client.queue_info()
    assert [(s.status, s.authorization) for s in pbx.seen] == [(200, dated(date(2026, 3, 2)))] * 2
    assert client.calendar.day_offset == 0
    await client.aclose()


async def test_learned_skew_rolls_over_at_the_pbx_midnight_not_ours(pbx: FakePbx, clock: Clock) -> None:
    pbx.ahead = timedelta(minutes=20)
    clock.now = datetime(2026, 3, 1, 23, 0, 0, tzinfo=UTC)
    client = make_client(pbx, clock)
    await client.queue_info()  # learns the skew; same date on both sides
    clock.now = datetime(2026, 3, 1, 23, 39, 58, tzinfo=UTC)  # PBX 23:59:58
    await client.queue_info()
    clock.now = datetime(2026, 3, 1, 23, 40, 1, tzinfo=UTC)  # PBX 00:00:01, we are still on 1 March
    await client.queue_info()
    assert [s.authorization for s in pbx.seen] == [
        dated(date(2026, 3, 1)),
        dated(date(2026, 3, 1)),
        dated(date(2026, 3, 2)),
    ]
    assert pbx.refusals == 0
    await client.aclose()


async def test_pbx_in_another_zone_ahead(pbx: FakePbx, clock: Clock) -> None:
    pbx.zone = ZoneInfo("Asia/Shanghai")  # we assume UTC
    clock.now = datetime(2026, 3, 1, 17, 0, 0, tzinfo=UTC)  # 01:00 on 2 March in Shanghai
    client = make_client(pbx, clock, pbx_timezone="UTC")
    assert (await client.current_calls()).ok
    assert [(s.status, s.authorization) for s in pbx.seen] == [
        (401, dated(date(2026, 3, 1))),
        (200, dated(date(2026, 3, 2))),
    ]
    pbx.seen.clear()
    clock.advance(hours=1)
    await client.queue_info()
    await client.extension_status()
    assert [(s.status, s.authorization) for s in pbx.seen] == [(200, dated(date(2026, 3, 2)))] * 2
    # Our own midnight: the learned +1 day is now wrong; one transparent retry finds the right date.
    pbx.seen.clear()
    clock.now = datetime(2026, 3, 2, 0, 30, 0, tzinfo=UTC)  # 08:30 on 2 March in Shanghai
    await client.queue_info()
    assert [(s.status, s.authorization) for s in pbx.seen] == [
        (401, dated(date(2026, 3, 3))),
        (200, dated(date(2026, 3, 2))),
    ]
    pbx.seen.clear()
    await client.queue_info()
    assert [s.status for s in pbx.seen] == [200]
    await client.aclose()


async def test_pbx_in_another_zone_behind(pbx: FakePbx, clock: Clock) -> None:
    pbx.zone = ZoneInfo("America/New_York")  # we assume UTC
    clock.now = datetime(2026, 3, 2, 2, 0, 0, tzinfo=UTC)  # 21:00 on 1 March in New York
    client = make_client(pbx, clock, pbx_timezone="UTC")
    await client.queue_info()
    assert [(s.status, s.authorization) for s in pbx.seen] == [
        (401, dated(date(2026, 3, 2))),
        (200, dated(date(2026, 3, 1))),
    ]
    pbx.seen.clear()
    await client.queue_info()
    assert [s.status for s in pbx.seen] == [200]
    await client.aclose()


async def test_a_wrong_webkey_is_refused_after_each_date_is_tried(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock, webkey="not-the-key")
    with pytest.raises(BadCredentials) as caught:
        await client.queue_info()
    assert str(caught.value) == "WEBKEY refused"
    assert not caught.value.retryable
    wrong = {A.c_a1_authorization("not-the-key", date(2026, 3, d)) for d in (1, 2)} | {
        A.c_a1_authorization("not-the-key", date(2026, 2, 28))
    }
    assert [s.status for s in pbx.seen] == [401, 401, 401]
    assert {s.authorization for s in pbx.seen} == wrong
    await client.aclose()


async def test_a_reply_without_a_date_header_keeps_our_clock(clock: Clock) -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200, json=QUEUE_INFO)

    client = client_on(handler, clock)
    await client.queue_info()
    assert seen == [dated(date(2026, 3, 1))]
    await client.aclose()


async def test_a_correction_found_at_midnight_is_not_remembered(clock: Clock) -> None:
    """Without a Date header, a 401 seconds after our midnight is clock jitter, not a zone."""
    pbx_lag = timedelta(seconds=15)
    statuses: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        pbx_day = (clock.now - pbx_lag).date()
        ok = request.headers.get("authorization") == dated(pbx_day)
        statuses.append(200 if ok else 401)
        return (
            httpx.Response(200, json=QUEUE_INFO) if ok else httpx.Response(401, json=A.C_A2_UNAUTHORIZED_BODY)
        )

    client = client_on(handler, clock)
    clock.now = datetime(2026, 3, 2, 0, 0, 10, tzinfo=UTC)  # the PBX is still on 1 March
    await client.queue_info()
    assert statuses == [401, 200]
    assert client.calendar.day_offset == 0
    clock.advance(minutes=1)  # both on 2 March now
    await client.queue_info()
    assert statuses == [401, 200, 200]
    await client.aclose()


# ---------------------------------------------------------------------------------------------
# Methods, bodies and encodings.


async def test_queries_use_the_seed_methods(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock)
    await client.current_calls()
    await client.extension_status()
    hints = await client.extension_hints_status()
    await client.queue_info()
    blacklist = await client.blacklist_index()
    assert [(s.method, s.path) for s in pbx.seen] == [
        ("POST", "extensions/current-calls"),
        ("GET", "extensions/extension-status"),
        ("GET", "extensions/extension-hints-status"),
        ("GET", "queues/queue-info"),
        ("GET", "blacklist/index"),
    ]
    assert [h.extension for h in hints] == ["800", "801"]
    assert blacklist.data == ["123456"]
    await client.aclose()


@pytest.mark.parametrize(
    ("call", "path", "form", "message"),
    [
        (
            lambda c: c.agent_pause("630", "808", True),
            "queues/agent-pause",
            {"queue": "630", "member": "808", "state": "on"},
            "Interface paused successfully",
        ),
        (
            lambda c: c.agent_pause("630", "808", False),
            "queues/agent-pause",
            {"queue": "630", "member": "808", "state": "off"},
            "Interface paused successfully",
        ),
        (
            lambda c: c.agent_login("630", "800"),
            "queues/agent-login",
            {"extension": "800", "queue": "630"},
            "loginextensionsuccess",
        ),
        (
            lambda c: c.agent_logout("630", "800"),
            "queues/agent-logout",
            {"extension": "800", "queue": "630"},
            "logoutextensionsuccess",
        ),
        (
            lambda c: c.click_number("808", "809"),
            "extensions/click-number",
            {"src": "808", "dst": "809"},
            "click extension success",
        ),
        (lambda c: c.hangup("801"), "extensions/hangup", {"extension": "801"}, "hangupextensionsuccess"),
        (
            lambda c: c.transfer("802", "801"),
            "extensions/transfer",
            {"src": "802", "dst": "801"},
            "tansferextensionsuccess",
        ),
        (
            lambda c: c.exten_spy("801", "806"),
            "extensions/extenSpy",
            {"src": "801", "dst": "806"},
            "spyextensionsuccess",
        ),
        (
            lambda c: c.blacklist_create("123123"),
            "blacklist/create",
            {"number": "123123"},
            "Updateddatabasesuccessfully",
        ),
    ],
)
async def test_commands_are_form_encoded_posts(
    pbx: FakePbx, clock: Clock, call: Callable, path: str, form: dict[str, str], message: str
) -> None:
    client = make_client(pbx, clock)
    reply = await call(client)
    assert reply.ok and reply.message == message
    (seen,) = pbx.seen
    assert (seen.method, seen.path) == ("POST", path)
    assert seen.content_type == "application/x-www-form-urlencoded"
    assert seen.form == form
    await client.aclose()


async def test_blacklist_delete_is_a_delete_with_a_form_body(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock)
    reply = await client.blacklist_delete("123456")
    assert reply.ok and reply.message == "Keydeletedsuccessfully"
    (seen,) = pbx.seen
    assert (seen.method, seen.path) == ("DELETE", "blacklist/delete")
    assert seen.content_type == "application/x-www-form-urlencoded"
    assert seen.body == b"number=123456"
    await client.aclose()


async def test_empty_arguments_are_not_sent(pbx: FakePbx, clock: Clock) -> None:
    client = make_client(pbx, clock)
    with pytest.raises(ValueError, match="extension"):
        await client.hangup("  ")
    with pytest.raises(ValueError, match="dst"):
        await client.transfer("802", "")
    assert pbx.seen == []
    await client.aclose()


async def test_hints_in_an_envelope_are_accepted(pbx: FakePbx, clock: Clock) -> None:
    pbx.replies[("GET", "extensions/extension-hints-status")] = {
        "status": "success",
        "message": "Extension Statuses will follow",
        "data": [{"Exten": "1004", "Interface": "SIP/1004", "Status": "8", "StatusText": "Ringing"}],
    }
    client = make_client(pbx, clock)
    (hint,) = await client.extension_hints_status()
    assert (hint.extension, hint.status) == ("1004", "8")
    await client.aclose()


async def test_parallel_requests_are_capped(clock: Clock) -> None:
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json=QUEUE_INFO)

    client = CoocenterClient(BASE, webkey=None, transport=httpx.MockTransport(handler), clock=clock)
    await asyncio.gather(*(client.queue_info() for _ in range(12)))
    assert peak == MAX_PARALLEL_REQUESTS == 4
    await client.aclose()


# ---------------------------------------------------------------------------------------------
# Error mapping.


def canned(response: httpx.Response | Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(response, Exception):
            raise response
        return response

    return httpx.MockTransport(handler)


def html(status: int, title: str = "502 Bad Gateway") -> httpx.Response:
    body = f"<html><head><title>{title}</title></head><body>nginx</body></html>"
    return httpx.Response(status, text=body, headers={"content-type": "text/html"})


ERROR_CASES: list[tuple[str, httpx.Response | Exception, type[VendorError], str]] = [
    ("timeout", httpx.ReadTimeout("timed out"), TransportError, "no answer within"),
    ("refused", httpx.ConnectError("refused"), TransportError, "cannot connect to 192.168.12.183"),
    ("reset", httpx.RemoteProtocolError("reset"), TransportError, "RemoteProtocolError"),
    ("500", httpx.Response(500, json={"status": "error"}), TransportError, "HTTP 500"),
    ("502 html", html(502), TransportError, "HTTP 502"),
    ("200 html", html(200, "Login page"), UnreadableReply, "HTML page instead of JSON (Login page)"),
    (
        "truncated",
        httpx.Response(200, content=b'{"status":"success","data":[{"chan'),
        UnreadableReply,
        "trunc",
    ),
    ("empty", httpx.Response(200, content=b""), UnreadableReply, "empty reply"),
    ("text", httpx.Response(200, content=b"OK"), UnreadableReply, "not JSON"),
    ("scalar", httpx.Response(200, json=5), UnreadableReply, "JSON int"),
    ("no status", httpx.Response(200, json={"data": []}), UnreadableReply, "no status"),
    (
        "wrong types",
        httpx.Response(200, json={"status": "success", "data": "lots"}),
        UnreadableReply,
        "unexpected reply",
    ),
    (
        "status error",
        httpx.Response(200, json={"status": "ERROR", "message": "Queue not found"}),
        VendorRejected,
        "Queue not found",
    ),
    ("status error bare", httpx.Response(200, json={"status": "failed"}), VendorRejected, "failed"),
    ("404 envelope", httpx.Response(404, json=PAUSE_NOT_FOUND), VendorRejected, "Interface not found"),
    ("403 html", html(403, "Forbidden"), VendorRejected, "HTTP 403"),
    ("302", httpx.Response(302, headers={"location": "/login"}), VendorRejected, "redirect"),
    ("429", httpx.Response(429, headers={"retry-after": "7"}), Throttled, "429"),
]


@pytest.mark.parametrize(("label", "response", "error", "text"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
async def test_error_mapping(
    clock: Clock, label: str, response: httpx.Response | Exception, error: type[VendorError], text: str
) -> None:
    client = CoocenterClient(BASE, webkey=SecretStr(WEBKEY), transport=canned(response), clock=clock)
    with pytest.raises(error) as caught:
        await client.queue_info()
    assert type(caught.value) is error
    assert text in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    if isinstance(caught.value, Throttled):
        assert caught.value.wait_seconds == 7.0
    await client.aclose()


async def test_an_array_where_an_envelope_belongs_is_unreadable(clock: Clock) -> None:
    client = CoocenterClient(BASE, transport=canned(httpx.Response(200, json=HINTS)), clock=clock)
    with pytest.raises(UnreadableReply, match="array"):
        await client.queue_info()
    await client.aclose()


async def test_hints_errors(clock: Clock) -> None:
    for response, error in [
        (httpx.Response(200, json={"status": "error", "message": "AMI down"}), VendorRejected),
        (httpx.Response(200, json=[{"agentName": "x"}]), UnreadableReply),  # no extension
        (httpx.Response(200, json={"status": "success", "data": "x"}), UnreadableReply),
    ]:
        client = CoocenterClient(BASE, transport=canned(response), clock=clock)
        with pytest.raises(error):
            await client.extension_hints_status()
        await client.aclose()


async def test_vendor_text_is_kept_short(clock: Clock) -> None:
    response = httpx.Response(200, json={"status": "error", "message": "x" * 10_000})
    client = CoocenterClient(BASE, transport=canned(response), clock=clock)
    with pytest.raises(VendorRejected) as caught:
        await client.queue_info()
    assert len(str(caught.value)) <= 300
    await client.aclose()


# ---------------------------------------------------------------------------------------------
# The WEBKEY never leaks.


async def test_the_webkey_never_leaks(clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hashes = {A.c_a1_authorization(WEBKEY, date(2026, 3, 1) + timedelta(days=d)) for d in (-1, 0, 1)}
    secrets = {WEBKEY, *hashes}
    echoing = {"status": "error", "message": f"bad key {WEBKEY} / {min(hashes)} / {max(hashes)}"}
    texts: list[str] = []
    responses: list[httpx.Response | Exception] = [
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("refused"),
        httpx.Response(500),
        html(200, f"key {WEBKEY}"),
        httpx.Response(200, json=echoing),
        httpx.Response(404, json=echoing),
        httpx.Response(401, json=A.C_A2_UNAUTHORIZED_BODY),
        httpx.Response(200, json={"status": "success", "data": WEBKEY}),
    ]
    for response in responses:
        client = CoocenterClient(BASE, webkey=SecretStr(WEBKEY), transport=canned(response), clock=clock)
        texts.append(repr(client))
        with pytest.raises(VendorError) as caught:
            await client.current_calls()
        texts += [str(caught.value), repr(caught.value), repr(caught.value.args)]
        await client.aclose()
    vendor = CoocenterVendor(base_url=BASE, webkey=SecretStr(WEBKEY), transport=canned(httpx.Response(500)))
    texts.append(repr(vendor))
    await vendor.close()
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    assert caplog.records  # the client did log at DEBUG
    for text in texts:
        for secret in secrets:
            assert secret not in text


async def test_a_successful_session_logs_no_secret(
    pbx: FakePbx, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pbx.zone = ZoneInfo("Asia/Shanghai")
    clock.now = datetime(2026, 3, 1, 17, 0, 0, tzinfo=UTC)
    vendor = make_vendor(pbx, clock)
    await vendor.open()
    await vendor.fetch_queues()
    await vendor.blacklist_remove("123456")
    await vendor.close()
    sent = {s.authorization for s in pbx.seen}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert logged
    assert WEBKEY not in logged
    assert not any(value and value in logged for value in sent)


# ---------------------------------------------------------------------------------------------
# The adapter.


async def test_vendor_identity_and_capabilities() -> None:
    vendor = CoocenterVendor(base_url=BASE)
    assert (vendor.name, vendor.display_name) == ("coocenter", "coocenter-api")
    expected = {
        Capability.QUEUES,
        Capability.QUEUE_PAUSE,
        Capability.QUEUE_AGENT_LOGIN,
        Capability.SIP,
        Capability.CALLS,
        Capability.BLACKLIST,
        Capability.PUSH,
    }
    assert vendor.capabilities == vendor.api_capabilities == expected
    await vendor.close()


async def test_open_checks_reachability(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    assert await vendor.open() == SessionInfo(account="192.168.12.183", mfa_passed=True, mfa_reason=None)
    assert [(s.method, s.path) for s in pbx.seen] == [("GET", "queues/queue-info")]
    await vendor.close()
    await vendor.close()  # closing twice never raises


async def test_open_with_a_wrong_webkey_fails(pbx: FakePbx, clock: Clock) -> None:
    pbx.webkey = "another"
    vendor = make_vendor(pbx, clock)
    with pytest.raises(BadCredentials):
        await vendor.open()
    await vendor.close()


async def test_fetch_queues_maps_members_and_hints(pbx: FakePbx, clock: Clock) -> None:
    pbx.replies[("GET", "extensions/extension-hints-status")] = [
        *HINTS,
        {"agentName": "Dana", "extension": "876", "extenType": "sip", "status": "1"},
        {"agentName": "", "extension": "893", "extenType": "sip", "status": "16"},
        {"agentName": "Odd", "extension": "805", "extenType": "sip", "status": "32"},
    ]
    vendor = make_vendor(pbx, clock)
    board = await vendor.fetch_queues()
    assert not board.lists_waiting and board.waiting == ()
    assert [(q.queue_id, q.name) for q in board.queues] == [("630", "630"), ("631", "631"), ("632", "632")]
    assert all(
        (q.waiting, q.longest_wait, q.answered, q.abandoned) == (None, None, None, None) for q in board.queues
    )
    assert len(board.agents) == 9 + 6 + 2
    by_key = {(a.queue_id, a.agent_id): a for a in board.agents}
    dana = by_key["630", "876"]
    assert (dana.name, dana.extension, dana.state, dana.state_label, dana.paused, dana.penalty) == (
        "Dana",
        "876",
        AgentState.IN_CALL,
        "in call",
        False,
        0,
    )
    held = by_key["630", "893"]
    assert (held.name, held.state, held.paused) == ("893", AgentState.ON_HOLD, True)
    assert by_key["630", "805"].state_label == "unknown (32)" and by_key["630", "805"].penalty == 1
    idle = by_key["631", "800"]
    assert (idle.state, idle.name) == (AgentState.IDLE, "800")
    no_hint = by_key["632", "897"]
    assert (no_hint.state, no_hint.state_label, no_hint.name) == (AgentState.UNKNOWN, "unknown", "897")
    counts = board.counts("630")
    assert (counts.free, counts.busy, counts.paused) == (1, 1, 1)
    assert sorted((s.method, s.path) for s in pbx.seen) == [
        ("GET", "extensions/extension-hints-status"),
        ("GET", "queues/queue-info"),
    ]
    await vendor.close()


async def test_fetch_queues_watches_only_the_configured_queues(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock, queues=["632", " 630 ", "632", "699"])
    board = await vendor.fetch_queues()
    assert [q.queue_id for q in board.queues] == ["632", "630", "699"]
    assert {a.queue_id for a in board.agents} == {"632", "630"}
    assert board.agents_of("699") == []
    await vendor.close()


async def test_fetch_queues_fails_when_either_request_fails(pbx: FakePbx, clock: Clock) -> None:
    pbx.replies[("GET", "extensions/extension-hints-status")] = httpx.Response(502)
    vendor = make_vendor(pbx, clock)
    with pytest.raises(TransportError):
        await vendor.fetch_queues()
    await vendor.close()


async def test_agent_actions(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    assert await vendor.set_agent_paused("630", "808", True) == ActionResult(
        ok=True, message="Interface paused successfully"
    )
    assert await vendor.set_agent_paused("630", "sip/808", False) == ActionResult(
        ok=True, message="Interface paused successfully"
    )
    assert await vendor.agent_login("630", "800") == ActionResult(ok=True, message="loginextensionsuccess")
    assert await vendor.agent_logout("630", "800") == ActionResult(ok=True, message="logoutextensionsuccess")
    assert [s.form for s in pbx.seen] == [
        {"queue": "630", "member": "808", "state": "on"},
        {"queue": "630", "member": "808", "state": "off"},
        {"extension": "800", "queue": "630"},
        {"extension": "800", "queue": "630"},
    ]
    pbx.replies[("POST", "queues/agent-pause")] = httpx.Response(404, json=PAUSE_NOT_FOUND)
    with pytest.raises(VendorRejected, match="Interface not found"):
        await vendor.set_agent_paused("630", "999", True)
    pbx.replies[("POST", "queues/agent-login")] = {"status": "success"}
    result = await vendor.agent_login("630", "801")
    assert result.ok and "801" in result.message and "630" in result.message
    await vendor.close()


async def test_fetch_sip(pbx: FakePbx, clock: Clock) -> None:
    pbx.replies[("GET", "extensions/extension-status")] = {
        **EXTENSION_STATUS,
        "data": [
            *EXTENSION_STATUS["data"],
            {"Exten": "803", "Type": "SIP", "IPAddr": "10.0.0.7", "Status": "OK (45 ms)"},
            {"Exten": "804", "Type": "SIP", "IPAddr": "10.0.0.8", "Status": "LAGGED (350 ms)"},
            {"Exten": "805", "Type": "SIP", "IPAddr": "10.0.0.9", "Status": "UNREACHABLE"},
            {"Exten": "806", "Type": "IAX2", "IPAddr": "10.0.0.10", "Status": "Unmonitored"},
        ],
    }
    vendor = make_vendor(pbx, clock)
    board = await vendor.fetch_sip()
    assert board.accounts[0] == SipAccount(
        account_id="800",
        user="800",
        extension="800",
        kind="SIP",
        address=None,
        status="UNKNOWN",
        registered=False,
        latency_ms=None,
    )
    assert board.accounts[1] == SipAccount(
        account_id="801",
        user="801",
        extension="801",
        kind="SIP",
        address="192.168.12.4",
        status="OK(45ms)",
        registered=True,
        latency_ms=45,
    )
    rows = [(a.account_id, a.registered, a.latency_ms, a.address) for a in board.accounts[2:]]
    assert rows == [
        ("802", True, 42, "192.168.12.3"),
        ("803", True, 45, "10.0.0.7"),
        ("804", True, 350, "10.0.0.8"),
        ("805", False, None, "10.0.0.9"),
        ("806", None, None, "10.0.0.10"),
    ]
    assert board.accounts[-1].kind == "IAX2" and board.accounts[-1].status == "Unmonitored"
    await vendor.close()


async def test_fetch_calls_start_time_ticks(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    first = (await vendor.fetch_calls()).calls
    assert first == (
        LiveCall(
            call_id="SIP/896-0000000b",
            caller="896",
            callee="897",
            state="Up",
            started_at=clock.now.timestamp() - 178,
            caller_name="896",
            callee_name="897",
            channel="SIP/896-0000000b",
            extension="896",
        ),
    )
    clock.advance(seconds=1)
    later = dict(CURRENT_CALLS)
    later["data"] = [
        CURRENT_CALLS["data"][0] | {"duration": "00:02:59"},
        {
            "calleridname": "18782985586",
            "calleridnum": "18782985586",
            "channel": "DAHDI/i1/18782985586-51",
            "channelstate": "4",
            "channelstatedesc": "Ring",
            "connectedlinename": "",
            "connectedlinenum": "886",
            "duration": "bogus",
        },
    ]
    pbx.replies[("POST", "extensions/current-calls")] = later
    second = (await vendor.fetch_calls()).calls
    assert second[0].started_at == first[0].started_at  # the start stays put; the duration ticks
    trunk = second[1]
    assert (trunk.extension, trunk.started_at, trunk.state, trunk.callee_name) == (None, None, "Ring", None)
    await vendor.close()


def call_on(extension: str | None) -> LiveCall:
    return LiveCall(call_id="SIP/802-0000000c", caller="802", callee="897", state="Up", extension=extension)


async def test_call_actions(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    assert await vendor.hangup(call_on("801")) == ActionResult(ok=True, message="hangupextensionsuccess")
    assert await vendor.transfer(call_on("802"), "801") == ActionResult(
        ok=True, message="tansferextensionsuccess"
    )
    assert await vendor.spy(call_on("806"), "801") == ActionResult(ok=True, message="spyextensionsuccess")
    assert (await vendor.click_to_call("808", "809")).message == "click extension success"
    assert [(s.path, s.form) for s in pbx.seen] == [
        ("extensions/hangup", {"extension": "801"}),
        ("extensions/transfer", {"src": "802", "dst": "801"}),
        ("extensions/extenSpy", {"src": "801", "dst": "806"}),
        ("extensions/click-number", {"src": "808", "dst": "809"}),
    ]
    await vendor.close()


async def test_call_actions_need_an_extension(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    with pytest.raises(VendorRejected, match="no extension"):
        await vendor.hangup(call_on(None))
    with pytest.raises(VendorRejected, match="no extension"):
        await vendor.transfer(call_on(None), "801")
    with pytest.raises(VendorRejected, match="no extension"):
        await vendor.spy(call_on(None), "801")
    with pytest.raises(VendorRejected):
        await vendor.transfer(call_on("802"), " ")
    with pytest.raises(VendorRejected):
        await vendor.click_to_call("", "809")
    assert pbx.seen == []
    await vendor.close()


async def test_blacklist(pbx: FakePbx, clock: Clock) -> None:
    vendor = make_vendor(pbx, clock)
    assert await vendor.fetch_blacklist() == Blacklist(numbers=("123456",))
    assert await vendor.blacklist_add("123123") == ActionResult(
        ok=True, message="Updateddatabasesuccessfully"
    )
    assert await vendor.blacklist_remove("123456") == ActionResult(ok=True, message="Keydeletedsuccessfully")
    assert [(s.method, s.path, s.body) for s in pbx.seen] == [
        ("GET", "blacklist/index", b""),
        ("POST", "blacklist/create", b"number=123123"),
        ("DELETE", "blacklist/delete", b"number=123456"),
    ]
    await vendor.close()


async def test_close_never_raises(clock: Clock) -> None:
    vendor = CoocenterVendor(base_url=BASE)

    async def broken() -> None:
        raise RuntimeError("boom")

    vendor.client.aclose = broken  # type: ignore[method-assign]
    await vendor.close()


def test_a_mapping_that_breaks_is_unreadable() -> None:
    class Exploding(dict):
        def get(self, key: object, default: object = None) -> object:
            raise RuntimeError("boom")

    vendor = CoocenterVendor(base_url=BASE)
    with pytest.raises(UnreadableReply, match="RuntimeError"):
        vendor.parse_push(Exploding(event="hangup"))


def test_unknown_time_zone_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        CoocenterClient(BASE, pbx_timezone="Mars/Olympus")


def test_seed_bodies_are_json(pbx: FakePbx) -> None:
    # The fake answers with exactly the seed's bodies; a sanity check that they survive JSON.
    for body in REPLIES.values():
        assert json.loads(json.dumps(body)) == body
