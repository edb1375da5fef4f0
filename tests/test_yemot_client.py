"""YemotClient and YemotVendor against an in-test fake of Yemot (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from pydantic import SecretStr

from tui import __version__
from tui.domain import AgentState
from tui.vendors.base import (
    BadCredentials,
    Capability,
    MfaRequired,
    NotSupported,
    Throttled,
    TransportError,
    UnreadableReply,
    VendorError,
    VendorRejected,
)
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.adapter import YemotVendor
from tui.vendors.yemot.client import YemotClient, goto_more_data
from tui.vendors.yemot.wire import SIP_OFF_MESSAGE

BASE = "https://yemot.test/ym/api/"
USER = "0771234567"
PASSWORD = "Pw-S3cret-XYZ"  # planted: must never show up in an error, a repr or a log line
GIVEN_TOKEN = "GIVEN-token-777"

OK = {"responseStatus": "OK", "yAfastVersion": A.YAFAST_VERSION}
PASSED = OK | {"isAvailable": True, "isPass": True, "passRessen": "HAVE_ACTIVE_TRUST_TOKEN"}
NOT_PASSED = OK | {"isAvailable": True, "isPass": False, "passRessen": None, "isPassInThisSession": False}
EXPIRED = {"responseStatus": A.A4_EXPIRED[0], "message": A.A4_EXPIRED[1]}
INVALID = {"responseStatus": A.A4_INVALID[0], "message": A.A4_INVALID[1]}

QUEUE_REAL_TIME = {
    "responseStatus": "OK",
    "yAfastVersion": "6.7.30",
    "queueData": {
        "Abandoned": 2,
        "Calls": 3,
        "Completed": 41,
        "TalkTime": 95,
        "Holdtime": 27,
        "Max": 0,
        "Strategy": "ringall",
    },
    "members": [
        {
            "agent": "0501111111",
            "Status": "1",
            "CallsTaken": 12,
            "LastCallUnitTime": "1716980000",
            "LastCall": "05/29/2024, 01:33:20 PM",
            "LastCallAgo": "00:04:12",
            "Paused": False,
            "Penalty": "0",
        }
    ],
    "entries": [
        {
            "phone": "0527000000",
            "Wait": 35,
            "WaitAgo": "00:00:35",
            "Position": 1,
            "CallId": "805c3b221d4b76bb53769aac9e2c57c1",
        }
    ],
}
KICK_REPLY = {
    "responseStatus": "OK",
    "yAfastVersion": "6.6.20",
    "status": {
        "805c3b221d4b76bb53769aac9e2c57c1": "Call not found",
        "f6657b78a2f35d6d04dd203400828362": "OK",
    },
}

Reply = dict[str, Any] | httpx.Response | Exception
Route = Callable[[dict[str, Any]], Reply]


class FakeYemot:
    """Just enough Yemot: Login hands out tokens, other commands check them, routes answer."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.requests: list[httpx.Request] = []
        self.bodies: list[tuple[str, dict[str, Any]]] = []
        self.valid_tokens: set[str] = {GIVEN_TOKEN}
        self.logins = 0
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0
        self.routes: dict[str, Route] = {"MFASession": lambda body: PASSED, "Logout": lambda body: OK}

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def commands(self) -> list[str]:
        return [command for command, _ in self.bodies]

    def kill_tokens(self) -> None:
        self.valid_tokens.clear()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        command = request.url.path.rsplit("/", 1)[-1]
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            body: dict[str, Any] = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
        else:
            body = json.loads(request.content)
        self.bodies.append((command, body))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            reply = self._answer(command, body)
        finally:
            self.in_flight -= 1
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return httpx.Response(200, json=reply)

    def _answer(self, command: str, body: dict[str, Any]) -> Reply:
        if command == "Login":
            if "Login" in self.routes:
                return self.routes["Login"](body)
            if body.get("username") != USER or body.get("password") != PASSWORD:
                return {"responseStatus": "FORBIDDEN", "message": "user name or password do not match"}
            self.logins += 1
            token = f"TOKEN-{self.logins}-secret"
            self.valid_tokens.add(token)
            return OK | {"token": token}
        if body.get("token") not in self.valid_tokens:
            return EXPIRED
        route = self.routes.get(command)
        if route is None:
            return {"responseStatus": "ERROR", "message": f"unknown command {command}"}
        return route(body)


def make_client(fake: FakeYemot, **kwargs: Any) -> YemotClient:
    if "token" not in kwargs:
        kwargs.setdefault("username", USER)
        kwargs.setdefault("password", SecretStr(PASSWORD))
    return YemotClient(BASE, transport=fake.transport(), **kwargs)


def secrets_of(fake: FakeYemot) -> list[str]:
    issued = [f"TOKEN-{n}-secret" for n in range(1, fake.logins + 2)]
    return [PASSWORD, GIVEN_TOKEN, *issued]


def assert_no_secret(exc: BaseException, fake: FakeYemot) -> None:
    shown = f"{exc!s} {exc!r} {exc.args!r}"
    for secret in secrets_of(fake):
        assert secret not in shown
    # Nothing chained: a chained httpx error would carry the request body with the token.
    assert exc.__cause__ is None and exc.__context__ is None


# --- transport and body -------------------------------------------------------------------------


async def test_token_goes_in_json_body_never_in_url() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: OK | {"name": USER}
    async with make_client(fake) as client:
        await client.get_session()
    assert fake.commands() == ["Login", "MFASession", "GetSession"]
    for request in fake.requests:
        assert request.method == "POST"
        assert request.url.query == b""
        assert "secret" not in str(request.url) and PASSWORD not in str(request.url)
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == f"callboard/{__version__}"
    assert str(fake.requests[-1].url) == BASE + "GetSession"
    assert fake.bodies[0][1] == {"username": USER, "password": PASSWORD}
    assert fake.bodies[-1][1] == {"token": "TOKEN-1-secret"}


async def test_booleans_are_sent_as_0_1() -> None:
    fake = FakeYemot()
    fake.routes["Echo"] = lambda body: OK | {"got": body}
    async with make_client(fake, token=GIVEN_TOKEN, username=None, password=None) as client:
        reply = await client.call(
            "Echo", {"flag": True, "off": False, "nested": [True, {"x": False}], "n": 3}
        )
    assert reply["got"] == {"flag": 1, "off": 0, "nested": [1, {"x": 0}], "n": 3, "token": GIVEN_TOKEN}


def test_base_url_gets_a_trailing_slash_and_repr_shows_no_secret() -> None:
    client = YemotClient("https://yemot.test/ym/api", username=USER, password=PASSWORD)
    assert client.base_url == BASE
    assert repr(client) == f"YemotClient(base_url={BASE!r}, username={USER!r})"
    token_client = YemotClient(BASE, token=GIVEN_TOKEN)
    assert GIVEN_TOKEN not in repr(token_client) and PASSWORD not in repr(client)


def test_constructor_needs_credentials_or_token() -> None:
    with pytest.raises(ValueError):
        YemotClient(BASE)
    with pytest.raises(ValueError):
        YemotClient(BASE, username=USER)
    with pytest.raises(ValueError):
        YemotClient(BASE, password=PASSWORD, token=GIVEN_TOKEN)


# --- session: lazy login, MFA, expiry ----------------------------------------------------------------


async def test_start_session_runs_try_only_when_not_passed() -> None:
    fake = FakeYemot()
    actions: list[str] = []

    def mfa(body: dict[str, Any]) -> Reply:
        actions.append(body["action"])
        return NOT_PASSED if body["action"] == "isPass" else PASSED | {"passRessen": "INIT_WHITELIST_IPS"}

    fake.routes["MFASession"] = mfa
    async with make_client(fake) as client:
        status = await client.start_session()
        assert status.isPass and status.passRessen == "INIT_WHITELIST_IPS"
        assert actions == ["isPass", "try"]
        fake.routes["MFASession"] = lambda body: actions.append(body["action"]) or PASSED
        await client.start_session()
    assert actions == ["isPass", "try", "isPass"]


async def test_start_session_survives_a_throttled_try() -> None:
    fake = FakeYemot()
    wait = {"responseStatus": "Exception", "message": "exception send by customer. wait 55s"}
    fake.routes["MFASession"] = lambda body: NOT_PASSED if body["action"] == "isPass" else wait
    async with make_client(fake) as client:
        status = await client.start_session()
    assert status.isPass is False


@pytest.mark.parametrize("dead", [EXPIRED, INVALID])
async def test_expiry_logs_in_once_and_replays(dead: dict[str, str]) -> None:
    fake = FakeYemot()
    calls = 0

    def queues(body: dict[str, Any]) -> Reply:
        nonlocal calls
        calls += 1
        return dead if calls == 1 else QUEUE_REAL_TIME

    fake.routes["GetQueueRealTime"] = queues
    async with make_client(fake) as client:
        reply = await client.get_queue_real_time("/2/5")
    assert reply.queueData.Completed == 41
    assert fake.logins == 2
    assert fake.commands() == [
        "Login",
        "MFASession",
        "GetQueueRealTime",
        "Login",
        "MFASession",
        "GetQueueRealTime",
    ]
    assert fake.bodies[-1][1]["token"] == "TOKEN-2-secret"


async def test_second_expiry_is_an_error_after_one_relogin() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: EXPIRED
    async with make_client(fake) as client:
        with pytest.raises(VendorRejected) as caught:
            await client.get_session()
    assert "expired again" in str(caught.value)
    assert fake.logins == 2
    assert fake.commands().count("GetSession") == 2
    assert_no_secret(caught.value, fake)


async def test_concurrent_expiry_shares_one_login() -> None:
    fake = FakeYemot(delay=0.01)
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake) as client:
        await client.login()
        fake.kill_tokens()
        await asyncio.gather(*(client.get_session() for _ in range(8)))
    assert fake.logins == 2  # the first login, then one renewal for all eight callers
    assert fake.commands().count("Login") == 2


async def test_a_session_started_by_a_refresh_is_the_one_the_opening_gets() -> None:
    """The first refresh may log in before the console's own opening does: the opening waits for
    that session and uses it, rather than logging in a second time."""
    fake = FakeYemot(delay=0.01)
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake) as client:
        refresh = asyncio.ensure_future(client.get_session())
        await asyncio.sleep(0)  # the refresh holds the session lock: its login is under way
        status = await client.start_session()
        await refresh
        assert fake.commands() == ["Login", "MFASession", "GetSession"]
        assert status.isPass
        await client.start_session()  # asked for when no other start is under way: a new login
    assert fake.logins == 2


async def test_ready_token_is_not_renewed_on_expiry() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        await client.get_session()
        fake.kill_tokens()
        with pytest.raises(BadCredentials) as caught:
            await client.get_session()
    assert str(caught.value) == "token expired or invalid"
    assert "Login" not in fake.commands()
    assert_no_secret(caught.value, fake)


async def test_given_token_with_credentials_renews_by_login() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake, token=GIVEN_TOKEN, username=USER, password=PASSWORD) as client:
        fake.kill_tokens()
        await client.get_session()
    assert fake.commands() == ["GetSession", "Login", "MFASession", "GetSession"]


async def test_logout_only_our_own_login_and_ignores_failures() -> None:
    fake = FakeYemot()
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        await client.logout()
    assert fake.commands() == []  # a token the user gave us is never killed

    fake = FakeYemot()
    fake.routes["Logout"] = lambda body: httpx.Response(503)
    async with make_client(fake) as client:
        await client.login()
        await client.logout()
        assert not client.has_session
    assert fake.commands() == ["Login", "Logout"]


async def test_parallel_requests_are_capped_at_four() -> None:
    fake = FakeYemot(delay=0.02)
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        await asyncio.gather(*(client.get_session() for _ in range(12)))
    assert fake.max_in_flight == 4


# --- error mapping ---------------------------------------------------------------------------------


def _html(status: int = 200) -> httpx.Response:
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    return httpx.Response(status, content=page.encode(), headers={"content-type": "text/html"})


ERROR_CASES: list[tuple[str, Reply, type[VendorError], str]] = [
    ("read timeout", httpx.ReadTimeout("timed out"), TransportError, "no answer within"),
    ("connect timeout", httpx.ConnectTimeout("timed out"), TransportError, "no answer within"),
    ("refused", httpx.ConnectError("[Errno 111] Connection refused"), TransportError, "cannot connect"),
    ("reset", httpx.ReadError("reset by peer"), TransportError, "ReadError"),
    ("503", httpx.Response(503, text="busy"), TransportError, "HTTP 503"),
    ("500 html", _html(500), TransportError, "HTTP 500"),
    ("html page", _html(), UnreadableReply, "HTML page instead of JSON (502 Bad Gateway)"),
    ("truncated", httpx.Response(200, content=b'{"responseStatus":"OK","que'), UnreadableReply, "truncated"),
    ("empty", httpx.Response(200, content=b""), UnreadableReply, "empty reply"),
    ("not json", httpx.Response(200, content=b"Internal error"), UnreadableReply, "not JSON"),
    ("json list", httpx.Response(200, json=[1, 2]), UnreadableReply, "JSON list"),
    ("json string", httpx.Response(200, json="OK"), UnreadableReply, "JSON str"),
    ("no status", {"token": "x"}, UnreadableReply, "no responseStatus"),
    ("wrong types", OK | {"members": "nobody"}, UnreadableReply, "members"),
    (
        "wrong wait",
        OK | {"entries": [{"phone": "1", "CallId": "c", "Wait": "soon"}]},
        UnreadableReply,
        "Wait",
    ),
    (
        "mfa required",
        {"responseStatus": "FORBIDDEN", "message": "MFA_REQUIRED", "yAfastVersion": "6.7.30"},
        MfaRequired,
        "MFA_REQUIRED",
    ),
    ("mfa required error", {"responseStatus": "ERROR", "message": "mfa_required"}, MfaRequired, "MFA"),
    (
        "wait 55s",
        {
            "responseStatus": "Exception",
            "message": "exception send by customer. wait 55s",
            "file": "CustomerMFA.class.ym",
            "Line": "590:19",
            "yAfastVersion": "6.7.30",
        },
        Throttled,
        "exception send by customer. wait 55s",
    ),
    (
        "sip off",
        {"responseStatus": "ERROR", "message": SIP_OFF_MESSAGE, "yAfastVersion": "any"},
        NotSupported,
        SIP_OFF_MESSAGE,
    ),
    (
        "locked",
        {"responseStatus": "FORBIDDEN", "message": "bruteforce protection - account locked"},
        BadCredentials,
        "account locked",
    ),
    ("vendor error", {"responseStatus": "ERROR", "message": "Low unit balance"}, VendorRejected, "Low unit"),
    (
        "exception message",
        {"responseStatus": "EXCEPTION", "exceptionMessage": "boom"},
        VendorRejected,
        "boom",
    ),
    ("bare error", {"responseStatus": "ERROR"}, VendorRejected, "GetQueueRealTime failed (ERROR)"),
    ("404", httpx.Response(404, text="Not Found"), VendorRejected, "HTTP 404"),
    (
        "403 envelope",
        httpx.Response(403, json={"responseStatus": "FORBIDDEN", "message": "MFA_REQUIRED"}),
        MfaRequired,
        "MFA",
    ),
    ("301", httpx.Response(301, headers={"location": "https://x/"}), VendorRejected, "HTTP 301"),
]


@pytest.mark.parametrize(
    ("reply", "error", "text"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
async def test_error_mapping(reply: Reply, error: type[VendorError], text: str) -> None:
    fake = FakeYemot()
    fake.routes["GetQueueRealTime"] = lambda body: reply
    async with make_client(fake) as client:
        await client.login()
        with pytest.raises(error) as caught:
            await client.get_queue_real_time("1")
    assert type(caught.value) is error
    assert text in str(caught.value)
    assert_no_secret(caught.value, fake)


async def test_throttled_carries_the_wait() -> None:
    fake = FakeYemot()
    fake.routes["MFASession"] = lambda body: {"responseStatus": "Exception", "message": "blocked. wait 55s"}
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        with pytest.raises(Throttled) as caught:
            await client.mfa_try()
    assert caught.value.wait_seconds == 55


async def test_login_failure_is_bad_credentials() -> None:
    fake = FakeYemot()
    async with make_client(fake, password="wrong-" + PASSWORD) as client:
        with pytest.raises(BadCredentials) as caught:
            await client.get_session()
    assert str(caught.value) == "user name or password do not match"
    assert fake.commands() == ["Login"]
    assert_no_secret(caught.value, fake)
    assert "wrong-" not in repr(caught.value)


async def test_refused_login_is_not_retried_automatically() -> None:
    fake = FakeYemot()
    async with make_client(fake, password="wrong") as client:
        for _ in range(3):
            with pytest.raises(BadCredentials):
                await client.get_session()
        assert fake.commands() == ["Login"]  # repeated bad logins would lock the account (2.8)
        with pytest.raises(BadCredentials):
            await client.login()  # an explicit login does try again
    assert fake.commands() == ["Login", "Login"]


async def test_refused_renewal_is_not_retried_automatically() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: OK
    async with make_client(fake) as client:
        await client.get_session()
        fake.kill_tokens()
        fake.routes["Login"] = lambda body: {
            "responseStatus": "FORBIDDEN",
            "message": "user name or password do not match",
        }
        for _ in range(3):
            with pytest.raises(BadCredentials):
                await client.get_session()
    assert fake.commands().count("Login") == 2


@pytest.mark.parametrize("dead", [EXPIRED, INVALID])
async def test_login_answered_with_a_dead_token_reply_does_not_leak_internals(dead: dict[str, str]) -> None:
    fake = FakeYemot()
    fake.routes["Login"] = lambda body: dead
    async with make_client(fake) as client:
        with pytest.raises(VendorError) as caught:
            await client.login()
    assert type(caught.value) in (BadCredentials, VendorRejected)
    assert dead["message"] in str(caught.value)


async def test_login_reply_without_token_is_unreadable() -> None:
    fake = FakeYemot()
    fake.routes["Login"] = lambda body: OK
    async with make_client(fake) as client:
        with pytest.raises(UnreadableReply):
            await client.login()


async def test_secrets_echoed_by_the_vendor_are_scrubbed() -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: {
        "responseStatus": "ERROR",
        "message": f"bad request token={body['token']} for {USER}",
    }
    async with make_client(fake) as client:
        with pytest.raises(VendorRejected) as caught:
            await client.get_session()
    assert str(caught.value) == f"bad request token=*** for {USER}"
    assert_no_secret(caught.value, fake)


async def test_html_title_echoing_a_secret_is_scrubbed() -> None:
    fake = FakeYemot()
    page = f"<html><title>Error for {GIVEN_TOKEN}</title></html>".encode()
    fake.routes["GetSession"] = lambda body: httpx.Response(200, content=page)
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        with pytest.raises(UnreadableReply) as caught:
            await client.get_session()
    assert_no_secret(caught.value, fake)


@pytest.mark.parametrize(
    "login_reply",
    [
        {"responseStatus": "OK", "token": "TOKEN-1-secret", "message": {"not": "text"}},  # bad envelope
        {"token": "TOKEN-1-secret"},  # no responseStatus
        {"responseStatus": "OK", "token": ["TOKEN-1-secret"]},  # token of the wrong type
    ],
)
async def test_traceback_with_locals_shows_no_secret(login_reply: dict[str, Any]) -> None:
    """Tracebacks print locals (PATTERNS.md): not even a malformed Login reply may show its token."""
    from rich.console import Console
    from rich.traceback import Traceback

    fake = FakeYemot()
    fake.routes["Login"] = lambda body: login_reply
    async with make_client(fake) as client:
        with pytest.raises(UnreadableReply) as caught:
            await client.get_session()
    console = Console(file=io.StringIO(), width=200, color_system=None)
    # From the client's first frame on: this test's own frame holds the planted reply.
    client_frames = caught.tb.tb_next
    console.print(Traceback.from_exception(type(caught.value), caught.value, client_frames, show_locals=True))
    rendered = console.file.getvalue()
    assert "_read" in rendered or "_parse" in rendered  # the frames that held the reply are shown
    for secret in secrets_of(fake):
        assert secret not in rendered


async def test_timeout_traceback_with_locals_shows_no_secret() -> None:
    from rich.console import Console
    from rich.traceback import Traceback

    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: httpx.ReadTimeout("timed out")
    async with make_client(fake) as client:
        with pytest.raises(TransportError) as caught:
            await client.get_session()
    console = Console(file=io.StringIO(), width=200, color_system=None)
    # From the client's first frame on: this test's own frame holds the planted reply.
    client_frames = caught.tb.tb_next
    console.print(Traceback.from_exception(type(caught.value), caught.value, client_frames, show_locals=True))
    rendered = console.file.getvalue()
    assert "_post" in rendered
    for secret in secrets_of(fake):
        assert secret not in rendered


async def test_debug_log_names_commands_but_never_secrets(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeYemot()
    fake.routes["GetSession"] = lambda body: OK
    caplog.set_level(logging.DEBUG, logger="callboard.vendor.yemot")
    async with make_client(fake) as client:
        await client.get_session()
        fake.kill_tokens()
        await client.get_session()
    text = caplog.text
    assert "Login" in text and "GetSession" in text
    for secret in secrets_of(fake):
        assert secret not in text
    assert USER not in text  # params are not logged at all


# --- QueueManagement and QueueCallBack parameters ----------------------------------------------------


@pytest.mark.parametrize("goto", ["/1/20", "1/20", "GOTO:/1/20", "goto:/1/20", " GOTO:1/20 "])
def test_goto_more_data_normalised(goto: str) -> None:
    assert goto_more_data(goto) == "GOTO:/1/20"


def test_goto_more_data_absent() -> None:
    assert goto_more_data(None) is None and goto_more_data("  ") is None


async def test_queue_management_bodies() -> None:
    fake = FakeYemot()
    fake.routes["QueueManagement"] = lambda body: KICK_REPLY if body["action"] == "kick" else OK
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        reply = await client.queue_kick("2/5", ["a", "b"], goto="1")
        assert reply.status["f6657b78a2f35d6d04dd203400828362"] == "OK"
        await client.queue_kick("ivr2:/2/5", ["a"])
        await client.queue_pause("/2/5", "0501111111")
        await client.queue_unpause("/2/5/", "0501111111")
        with pytest.raises(ValueError):
            await client.queue_kick("/2/5", [])
    bodies = [body for _, body in fake.bodies]
    base = {"token": GIVEN_TOKEN, "queuePath": "ivr2:/2/5"}
    assert bodies == [
        base | {"callIds": ["a", "b"], "action": "kick", "moreData": "GOTO:/1"},
        base | {"callIds": ["a"], "action": "kick"},
        base | {"action": "pause", "agent": "0501111111"},
        base | {"action": "unpause", "agent": "0501111111"},
    ]


async def test_queue_callback_bodies() -> None:
    fake = FakeYemot()
    fake.routes["QueueCallBack"] = lambda body: (
        OK | {"callbackList": "OK" if body["action"] == "removeNumber" else []}
    )
    async with make_client(fake, token=GIVEN_TOKEN) as client:
        assert (await client.callback_queues()).callbackList == []
        assert (await client.callback_list(110)).callbackList == []
        assert (await client.callback_remove(84299)).callbackList == "OK"
    assert [body for _, body in fake.bodies] == [
        {"token": GIVEN_TOKEN, "action": "getQueues"},
        {"token": GIVEN_TOKEN, "action": "getList", "id": 110},
        {"token": GIVEN_TOKEN, "action": "removeNumber", "id": 84299},
    ]


# --- the adapter ------------------------------------------------------------------------------------


def make_vendor(fake: FakeYemot, **kwargs: Any) -> YemotVendor:
    kwargs.setdefault("queues", ["2/5"])
    return YemotVendor(
        base_url=BASE, username=USER, password=SecretStr(PASSWORD), transport=fake.transport(), **kwargs
    )


def test_vendor_identity() -> None:
    assert YemotVendor.name == "yemot" and YemotVendor.display_name == "Yemot HaMashiach"
    assert YemotVendor.capabilities == {
        Capability.QUEUES,
        Capability.QUEUE_WAITING,
        Capability.QUEUE_PAUSE,
        Capability.QUEUE_KICK,
        Capability.QUEUE_CALLBACKS,
        Capability.MFA,
        Capability.SIP,
        Capability.SIP_MANAGE,
        Capability.CAMPAIGNS,
        Capability.SMS,
    }
    assert YemotVendor.api_capabilities == YemotVendor.capabilities


async def test_open_reports_mfa_without_raising() -> None:
    fake = FakeYemot()
    fake.routes["MFASession"] = lambda body: NOT_PASSED
    vendor = make_vendor(fake)
    info = await vendor.open()
    assert (info.account, info.mfa_passed, info.mfa_reason) == (USER, False, None)
    await vendor.close()
    assert fake.commands() == ["Login", "MFASession", "MFASession", "Logout"]


async def test_open_with_a_token_profile() -> None:
    fake = FakeYemot()
    vendor = YemotVendor(base_url=BASE, token=GIVEN_TOKEN, queues=[], transport=fake.transport())
    info = await vendor.open()
    assert (info.account, info.mfa_passed, info.mfa_reason) == ("token", True, "HAVE_ACTIVE_TRUST_TOKEN")
    await vendor.close()
    assert fake.commands() == ["MFASession"]


async def test_close_never_raises() -> None:
    fake = FakeYemot()
    fake.routes["Logout"] = lambda body: httpx.ConnectError("gone")
    vendor = make_vendor(fake)
    await vendor.open()
    await vendor.close()
    await vendor.close()  # twice, on a closed client


async def test_fetch_queues_maps_the_2_3_example() -> None:
    fake = FakeYemot()
    raw = json.loads(json.dumps(QUEUE_REAL_TIME))
    raw["members"] += [
        {"agent": "SIP-200-1", "Status": "2", "CallsTaken": "3", "Paused": "1", "Penalty": 1}
        | {"LastCall": None, "LastCallAgo": None},
        {"agent": "SIP-201-1", "Status": "9", "Paused": False},
    ]
    raw["entries"].append(
        {"phone": "0527000001", "Wait": "80", "Position": "2", "CallId": "f6657b78a2f35d6d04dd203400828362"}
    )
    fake.routes["GetQueueRealTime"] = lambda body: raw
    vendor = make_vendor(fake)
    board = await vendor.fetch_queues()
    await vendor.close()

    assert fake.bodies[2] == ("GetQueueRealTime", {"queuePath": "ivr2:/2/5", "token": "TOKEN-1-secret"})
    [queue] = board.queues
    assert (queue.queue_id, queue.name, queue.waiting, queue.longest_wait) == ("/2/5", "/2/5", 2, 80)
    assert (queue.answered, queue.abandoned, queue.avg_hold, queue.avg_talk) == (41, 2, 27, 95)
    assert queue.strategy == "ringall"

    first, second, third = board.agents
    assert (first.queue_id, first.agent_id, first.name) == ("/2/5", "0501111111", "0501111111")
    assert (first.state, first.state_label, first.paused) == (AgentState.IDLE, "idle", False)
    assert (first.calls_taken, first.penalty, first.last_call_seconds_ago) == (12, 0, 252)
    assert (second.state, second.paused, second.calls_taken, second.last_call_seconds_ago) == (
        AgentState.IN_CALL,
        True,
        3,
        None,
    )
    assert (third.state, third.state_label) == (AgentState.UNKNOWN, "unknown (9)")
    assert board.counts("/2/5").free == 1 and board.counts("/2/5").paused == 1

    caller, later = board.waiting
    assert (caller.queue_id, caller.call_id, caller.caller) == (
        "/2/5",
        "805c3b221d4b76bb53769aac9e2c57c1",
        "0527000000",
    )
    assert (caller.position, caller.wait_seconds) == (1, 35)
    assert (later.position, later.wait_seconds) == (2, 80)
    assert board.lists_waiting


async def test_fetch_queues_empty_queue() -> None:
    fake = FakeYemot()
    fake.routes["GetQueueRealTime"] = lambda body: OK | {"queueData": [], "members": [], "entries": []}
    vendor = make_vendor(fake)
    board = await vendor.fetch_queues()
    await vendor.close()
    assert (board.queues[0].waiting, board.queues[0].longest_wait) == (0, 0)
    assert board.agents == () and board.waiting == ()


async def test_fetch_queues_fails_whole_board_when_one_queue_fails() -> None:
    fake = FakeYemot()
    fake.routes["GetQueueRealTime"] = lambda body: (
        QUEUE_REAL_TIME if body["queuePath"] == "ivr2:/1" else {"responseStatus": "ERROR", "message": "nope"}
    )
    vendor = make_vendor(fake, queues=["/1", "/2"])
    with pytest.raises(VendorRejected, match="nope"):
        await vendor.fetch_queues()
    await vendor.close()


async def test_fetch_queues_discovers_queues_when_none_configured() -> None:
    fake = FakeYemot()
    rows = [
        {"id": 110, "path": "/1", "queue_path": "/1"},
        {"id": 111, "path": "/3", "queue_path": "ivr2:/2/5"},
    ]
    rows.append({"id": 112, "path": "/4", "queue_path": "1"})  # same queue as 110, another spelling
    fake.routes["QueueCallBack"] = lambda body: OK | {"callbackList": rows}
    fake.routes["GetQueueRealTime"] = lambda body: QUEUE_REAL_TIME
    vendor = make_vendor(fake, queues=[])
    board = await vendor.fetch_queues()
    await vendor.close()
    assert [q.queue_id for q in board.queues] == ["/1", "/2/5"]
    paths = [body["queuePath"] for command, body in fake.bodies if command == "GetQueueRealTime"]
    assert sorted(paths) == ["ivr2:/1", "ivr2:/2/5"]


async def test_duplicate_configured_queues_are_watched_once() -> None:
    vendor = make_vendor(FakeYemot(), queues=["/1", "1", "ivr2:/1", "/2/5/"])
    assert vendor.queues == ("/1", "/2/5")
    await vendor.close()


async def test_kick_callers_per_item_results() -> None:
    fake = FakeYemot()
    fake.routes["QueueManagement"] = lambda body: KICK_REPLY
    vendor = make_vendor(fake)
    ids = ["805c3b221d4b76bb53769aac9e2c57c1", "f6657b78a2f35d6d04dd203400828362"]
    result = await vendor.kick_callers("/2/5", ids, goto="GOTO:/1")
    assert not result.ok
    assert [(i.target, i.ok, i.detail) for i in result.items] == [
        (ids[0], False, "Call not found"),
        (ids[1], True, "OK"),
    ]
    assert fake.bodies[-1][1]["moreData"] == "GOTO:/1"

    fake.routes["QueueManagement"] = lambda body: OK | {"status": {ids[1]: "OK"}}
    assert (await vendor.kick_callers("/2/5", [ids[1]])).ok

    fake.routes["QueueManagement"] = lambda body: OK | {"status": []}  # A13: empty map as []
    empty = await vendor.kick_callers("/2/5", [ids[1]])
    assert not empty.ok and empty.items[0].detail == "no status"

    assert not (await vendor.kick_callers("/2/5", [])).ok
    await vendor.close()


async def test_set_agent_paused_and_remove_callback() -> None:
    fake = FakeYemot()
    fake.routes["QueueManagement"] = lambda body: OK
    fake.routes["QueueCallBack"] = lambda body: OK | {"callbackList": "OK"}
    vendor = make_vendor(fake)
    assert (await vendor.set_agent_paused("2/5", "0501111111", True)).ok
    assert (await vendor.set_agent_paused("2/5", "0501111111", False)).ok
    assert (await vendor.remove_callback("84299")).ok
    assert not (await vendor.remove_callback("not-a-number")).ok
    await vendor.close()
    sent = [body for command, body in fake.bodies if command in ("QueueManagement", "QueueCallBack")]
    assert [b["action"] for b in sent] == ["pause", "unpause", "removeNumber"]
    assert sent[0]["agent"] == "0501111111" and sent[2]["id"] == 84299


async def test_fetch_callbacks() -> None:
    fake = FakeYemot()
    queues = [{"id": 110, "path": "/1", "queue_path": "/1", "open": 1}, {"id": 111, "queue_path": "2/5"}]
    lists = {
        110: [
            {
                "id": 84299,
                "calling_number": "0533137770",
                "status": "waiting",
                "date_time": "2025-05-14T14:37:11.000Z",
                "attempts": 0,
                "last_attempt": None,
            }
        ],
        111: [],
    }

    def callbacks(body: dict[str, Any]) -> Reply:
        if body["action"] == "getQueues":
            return OK | {"callbackList": queues}
        return OK | {"callbackList": lists[body["id"]]}

    fake.routes["QueueCallBack"] = callbacks
    vendor = make_vendor(fake)
    board = await vendor.fetch_callbacks()
    await vendor.close()
    [request] = board.requests
    assert (request.request_id, request.queue_id, request.caller, request.status) == (
        "84299",
        "/1",
        "0533137770",
        "waiting",
    )
    assert request.requested_at == datetime(2025, 5, 14, 14, 37, 11, tzinfo=UTC)
    assert (request.attempts, request.last_attempt) == (0, None)
