"""coocenter-api (ZYCOO CooCenter, an Asterisk-based PBX) over the simulated world, in its wire format.

Shapes follow the seed (003) and vendors/coocenter.md B3: a `{"status", "message", "data"}`
envelope (the hints list is a bare array), every value a string, messages verbatim (they are
Asterisk's AMI reply texts). What the seed leaves open comes from the console's working
assumptions C-A1..C-A7 in `tui.vendors.coocenter.assumptions`, imported, never restated.

The PBX keeps its own clock: the world's clock plus `clock_skew_s`, read in `pbx_timezone`. It
stamps every reply's `Date` header (C-A3) and decides which date the Authorization hash must be
made from (C-A1).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.simulator.demo_accounts import DEFAULT_PBX_TIMEZONE  # re-exported
from tui.simulator.secret import Secret
from tui.simulator.world import World
from tui.simulator.world_entities import Channel, DeviceState, Extension, SipStatus
from tui.simulator.world_pbx import CommandOutcome
from tui.vendors.coocenter.assumptions import (
    C_A1_HEADER,
    C_A2_UNAUTHORIZED_BODY,
    C_A2_UNAUTHORIZED_STATUS,
    C_A3_DATE_HEADER,
    C_A4_BUSY,
    C_A4_HOLD,
    C_A4_IDLE,
    C_A4_IN_CALL,
    C_A4_OFFLINE,
    C_A4_RINGING,
    C_A7_PAUSE_OFF,
    C_A7_PAUSE_ON,
    c_a1_authorization,
    c_a3_format_date,
)

LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the PBX's own dates in pushes ("2018-11-05 19:05:31")

SUCCESS, ERROR = "success", "error"
# Verbatim reply texts (the seed with its spaces restored, B3, B5; AMI's own words where it is silent).
CHANNELS_FOLLOW = "Channels will follow"
PEERS_FOLLOW = "Peer status list will follow"
QUEUE_STATUS_FOLLOWS = "Queue status will follow"
PAUSED = "Interface paused successfully"
UNPAUSED = "Interface unpaused successfully"  # AMI QueuePause with Paused: false
INTERFACE_NOT_FOUND = "Interface not found"
LOGIN_DONE = "login extension success"
LOGOUT_DONE = "logout extension success"
CLICK_DONE = "clickToCall extension success"  # B5's text; the 2018 book shows a placeholder
HANGUP_DONE = "hangup extension success"
TRANSFER_DONE = "tansfer extension success"  # sic
SPY_DONE = "spy extension success"
DB_UPDATED = "Updated database successfully"
DB_DELETED = "Key deleted successfully"
DB_NOT_FOUND = "Database entry not found"
NO_SUCH_CHANNEL = "No such channel"
ALREADY_THERE = "Unable to add interface: Already there"
NOT_THERE = "Unable to remove interface: Not there"
NO_SUCH_QUEUE = "No such queue"

NO_ADDRESS = "-none-"  # chan_sip's address of an unregistered peer
UNKNOWN_PARTY = "<unknown>"  # what CoreShowChannels shows for a connected line nobody set
EXTEN_TYPE_AGENT = "sipCallCenter"  # the seed's "analogCallCenter", for agents on SIP phones
EXTEN_TYPE_PHONE = "sip"

STATUS_CODES: dict[DeviceState, str] = {
    DeviceState.IDLE: C_A4_IDLE,
    DeviceState.IN_CALL: C_A4_IN_CALL,
    DeviceState.BUSY: C_A4_BUSY,
    DeviceState.UNAVAILABLE: C_A4_OFFLINE,
    DeviceState.RINGING: C_A4_RINGING,
    DeviceState.ON_HOLD: C_A4_HOLD,
}


# -- the PBX's clock ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PbxClock:
    """The PBX's wall clock: the world's clock plus a skew, shown in the PBX's time zone."""

    world: World
    zone: ZoneInfo
    skew: timedelta = timedelta(0)

    @classmethod
    def of(cls, world: World, timezone: str = DEFAULT_PBX_TIMEZONE, skew_s: float = 0.0) -> PbxClock:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown PBX time zone {timezone!r}") from None
        return cls(world, zone, timedelta(seconds=skew_s))

    def local(self, moment: datetime) -> datetime:
        """A world moment as the PBX writes it (its skew, its zone)."""
        return (moment + self.skew).astimezone(self.zone)

    def now(self) -> datetime:
        return self.local(self.world.now)

    def text(self, moment: datetime | None) -> str:
        return self.local(moment).strftime(LOCAL_TIME_FORMAT) if moment is not None else ""

    def epoch(self, moment: datetime) -> float:
        return (moment + self.skew).timestamp()

    def http_date(self) -> str:
        return c_a3_format_date(self.world.now + self.skew)

    def authorization(self, webkey: Secret) -> str:
        """C-A1: what the Authorization header must be right now."""
        return c_a1_authorization(webkey, self.now().date())


def clock_text(seconds: float) -> str:
    """ "HH:MM:SS"; hours keep counting past a day."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


# -- replies and errors -------------------------------------------------------------------------


class PbxError(Exception):
    """An error reply: `{"status": "error", "message": ...}` with an HTTP status."""

    def __init__(self, http_status: int, message: str) -> None:
        super().__init__(message)
        self.http_status, self.message = http_status, message


def success(message: str | None = None, data: Any = None, *, with_data: bool = False) -> JSONResponse:
    body: dict[str, Any] = {"status": SUCCESS}
    if message is not None:
        body["message"] = message
    if with_data or data is not None:
        body["data"] = data
    return JSONResponse(body)


def failure(http_status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": ERROR, "message": message}, status_code=http_status)


OUTCOME_ERRORS: dict[CommandOutcome, tuple[int, str]] = {
    CommandOutcome.UNKNOWN_EXTENSION: (404, "Extension {} not found"),
    CommandOutcome.UNKNOWN_QUEUE: (404, NO_SUCH_QUEUE),
    CommandOutcome.NOT_AN_AGENT: (400, "Extension {} is not an agent"),
    CommandOutcome.NO_CALL: (404, NO_SUCH_CHANNEL),
    CommandOutcome.UNAVAILABLE: (400, "Extension {} is not available"),
    CommandOutcome.INVALID_NUMBER: (400, "Invalid number {}"),
    CommandOutcome.SAME_EXTENSION: (400, "src and dst must differ"),
    CommandOutcome.ALREADY_MEMBER: (400, ALREADY_THERE),
    CommandOutcome.NOT_MEMBER: (404, NOT_THERE),
    CommandOutcome.NOT_LISTED: (404, DB_NOT_FOUND),
}


def outcome_reply(outcome: CommandOutcome, done: str, subject: str) -> JSONResponse:
    if outcome is CommandOutcome.OK:
        return success(done)
    http_status, message = OUTCOME_ERRORS[outcome]
    raise PbxError(http_status, message.format(subject))


# -- requests ---------------------------------------------------------------------------------


async def read_params(request: Request) -> dict[str, str]:
    """Query parameters overlaid by a form (or JSON) body; names and values stripped, as the
    seed's own curl examples send `-d " src=808"`."""
    params = {k.strip(): v.strip() for k, v in request.query_params.items()}
    body = await request.body()
    if not body.strip():
        return params
    if "json" in request.headers.get("content-type", "").lower():
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise PbxError(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise PbxError(400, "the JSON body must be an object")
        params.update({str(k).strip(): str(v).strip() for k, v in data.items() if v is not None})
        return params
    text = body.decode("utf-8", "replace")
    params.update({k.strip(): v.strip() for k, v in parse_qsl(text, keep_blank_values=True)})
    return params


def required(params: dict[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value:
        raise PbxError(400, f"{name} is required")
    return value


def member_extension(value: str) -> str:
    """ "sip/808", "SIP/808" and "808" name the same member."""
    tech, slash, rest = value.partition("/")
    return rest if slash and tech.lower() == "sip" else value


@dataclass(frozen=True, slots=True)
class Pbx:
    """What a handler works with."""

    world: World
    clock: PbxClock


Handler = Callable[[Pbx, dict[str, str]], Response]


# -- queries ----------------------------------------------------------------------------------


def _channel_row(channel: Channel, now: datetime) -> dict[str, str]:
    peer = channel.peer
    return {
        "calleridname": channel.display_name,
        "calleridnum": channel.number,
        "channel": channel.name,
        "channelstate": str(int(channel.state)),
        "channelstatedesc": channel.state.desc,
        "connectedlinename": peer.display_name if peer else UNKNOWN_PARTY,
        "connectedlinenum": peer.number if peer else UNKNOWN_PARTY,
        "duration": clock_text((now - channel.created_at).total_seconds()),
    }


def current_calls(pbx: Pbx, params: dict[str, str]) -> Response:
    now = pbx.world.now
    return success(CHANNELS_FOLLOW, [_channel_row(c, now) for c in pbx.world.channels()], with_data=True)


def sip_status_text(extension: Extension) -> str:
    """chan_sip's words: "OK (45 ms)", "LAGGED (1250 ms)", "UNREACHABLE", "UNKNOWN"."""
    reg = extension.registration
    status = reg.status
    if status in (SipStatus.OK, SipStatus.LAGGED):
        return f"{status} ({reg.latency_ms} ms)"
    return str(status)


def extension_status(pbx: Pbx, params: dict[str, str]) -> Response:
    rows = [
        {
            "Exten": ext.number,
            "Type": "SIP",
            "IPAddr": ext.registration.address or NO_ADDRESS,
            "Status": sip_status_text(ext),
        }
        for ext in pbx.world.extensions.values()
    ]
    return success(PEERS_FOLLOW, rows, with_data=True)


def extension_hints_status(pbx: Pbx, params: dict[str, str]) -> Response:
    """The seed's bare array, not an envelope."""
    world = pbx.world
    rows = [
        {
            "agentName": ext.name,
            "extension": ext.number,
            "extenType": EXTEN_TYPE_AGENT if ext.agent_id else EXTEN_TYPE_PHONE,
            "status": STATUS_CODES[world.device_state(ext.number)],
        }
        for ext in world.extensions.values()
    ]
    return JSONResponse(rows)


def queue_info(pbx: Pbx, params: dict[str, str]) -> Response:
    world = pbx.world
    data = {
        queue.number: [
            {
                "name": f"sip/{world.agents[m.agent_id].extension}",
                "paused": "1" if m.paused else "0",
                "penalty": str(m.penalty),
            }
            for m in queue.members
        ]
        for queue in sorted(world.queues.values(), key=lambda q: q.number)
    }
    return success(QUEUE_STATUS_FOLLOWS, data, with_data=True)


def blacklist_index(pbx: Pbx, params: dict[str, str]) -> Response:
    return success(data=list(pbx.world.blacklist), with_data=True)  # the seed shows no message


# -- commands ---------------------------------------------------------------------------------


def agent_pause(pbx: Pbx, params: dict[str, str]) -> Response:
    """C-A7: `state=on` pauses, `state=off` unpauses; without `queue`, every queue of the member."""
    world = pbx.world
    member = member_extension(required(params, "member"))
    state = required(params, "state").lower()
    if state not in (C_A7_PAUSE_ON, C_A7_PAUSE_OFF):
        raise PbxError(400, f"state must be {C_A7_PAUSE_ON} or {C_A7_PAUSE_OFF}")
    agent = world.agent_by_extension(member)
    if agent is None:
        raise PbxError(404, INTERFACE_NOT_FOUND)
    number = params.get("queue", "")
    if number:
        queue = world.queue_by_number(number)
        queue_ids = [queue.queue_id] if queue is not None else []
    else:
        queue_ids = [m.queue_id for m in world.memberships_of(agent.agent_id)]
    paused = state == C_A7_PAUSE_ON
    if not queue_ids or not all(world.set_paused(q, agent.agent_id, paused) for q in queue_ids):
        raise PbxError(404, INTERFACE_NOT_FOUND)
    return success(PAUSED if paused else UNPAUSED)


def _queue_id(pbx: Pbx, params: dict[str, str]) -> str:
    queue = pbx.world.queue_by_number(required(params, "queue"))
    if queue is None:
        raise PbxError(404, NO_SUCH_QUEUE)
    return queue.queue_id


def agent_login(pbx: Pbx, params: dict[str, str]) -> Response:
    extension = required(params, "extension")
    outcome = pbx.world.agent_login(_queue_id(pbx, params), extension)
    return outcome_reply(outcome, LOGIN_DONE, extension)


def agent_logout(pbx: Pbx, params: dict[str, str]) -> Response:
    extension = required(params, "extension")
    outcome = pbx.world.agent_logout(_queue_id(pbx, params), extension)
    return outcome_reply(outcome, LOGOUT_DONE, extension)


def _subject(pbx: Pbx, outcome: CommandOutcome, src: str, dst: str, unavailable: str) -> str:
    """Which of the two numbers an error is about."""
    if outcome is CommandOutcome.UNKNOWN_EXTENSION:
        return src if src not in pbx.world.extensions else dst
    if outcome is CommandOutcome.UNAVAILABLE:
        return unavailable
    return dst if outcome is CommandOutcome.INVALID_NUMBER else src


def click_number(pbx: Pbx, params: dict[str, str]) -> Response:
    src, dst = required(params, "src"), required(params, "dst")
    outcome = pbx.world.click_to_call(src, dst)
    return outcome_reply(outcome, CLICK_DONE, _subject(pbx, outcome, src, dst, unavailable=src))


def hangup(pbx: Pbx, params: dict[str, str]) -> Response:
    extension = required(params, "extension")
    return outcome_reply(pbx.world.hangup_extension(extension), HANGUP_DONE, extension)


def transfer(pbx: Pbx, params: dict[str, str]) -> Response:
    src, dst = required(params, "src"), required(params, "dst")
    outcome = pbx.world.transfer_call(src, dst)
    return outcome_reply(outcome, TRANSFER_DONE, _subject(pbx, outcome, src, dst, unavailable=dst))


def exten_spy(pbx: Pbx, params: dict[str, str]) -> Response:
    src, dst = required(params, "src"), required(params, "dst")
    outcome = pbx.world.spy_call(src, dst)
    return outcome_reply(outcome, SPY_DONE, _subject(pbx, outcome, src, dst, unavailable=src))


def blacklist_create(pbx: Pbx, params: dict[str, str]) -> Response:
    number = required(params, "number")
    return outcome_reply(pbx.world.blacklist_add(number), DB_UPDATED, number)


def blacklist_delete(pbx: Pbx, params: dict[str, str]) -> Response:
    number = required(params, "number")
    return outcome_reply(pbx.world.blacklist_remove(number), DB_DELETED, number)


QUERY = ["GET", "POST"]
# (path, handler, methods): GET and POST on queries and agent-pause (B3), POST on commands.
ROUTES: tuple[tuple[str, Handler, list[str]], ...] = (
    ("/extensions/current-calls", current_calls, QUERY),
    ("/extensions/extension-status", extension_status, QUERY),
    ("/extensions/extension-hints-status", extension_hints_status, QUERY),
    ("/queues/queue-info", queue_info, QUERY),
    ("/queues/agent-pause", agent_pause, QUERY),
    ("/queues/agent-login", agent_login, ["POST"]),
    ("/queues/agent-logout", agent_logout, ["POST"]),
    ("/extensions/click-number", click_number, ["POST"]),
    ("/extensions/hangup", hangup, ["POST"]),
    ("/extensions/transfer", transfer, ["POST"]),
    ("/extensions/extenSpy", exten_spy, ["POST"]),
    ("/blacklist/index", blacklist_index, QUERY),
    ("/blacklist/create", blacklist_create, ["POST"]),
    ("/blacklist/delete", blacklist_delete, ["DELETE"]),
)


# -- the gate: clock, Date header and Authorization ---------------------------------------------


class PbxGate:
    """Before every request: move the world, check Authorization (C-A1/C-A2); after: the PBX's
    Date header (C-A3) on every reply, errors and refusals included."""

    def __init__(
        self,
        app: ASGIApp,
        clock: PbxClock,
        webkey: Secret | None,
        before_request: Callable[[], None] | None,
    ) -> None:
        self.app, self.clock, self.webkey, self.before_request = app, clock, webkey, before_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.before_request is not None:
            self.before_request()
        date = self.clock.http_date()

        async def send_dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                headers.append((C_A3_DATE_HEADER.lower().encode(), date.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        if self.webkey is not None and not self._authorized(Request(scope)):
            refusal = JSONResponse(C_A2_UNAUTHORIZED_BODY, status_code=C_A2_UNAUTHORIZED_STATUS)
            await refusal(scope, receive, send_dated)
            return
        await self.app(scope, receive, send_dated)

    def _authorized(self, request: Request) -> bool:
        assert self.webkey is not None
        given = request.headers.get(C_A1_HEADER, "").strip()
        return hmac.compare_digest(given.encode(), self.clock.authorization(self.webkey).encode())


def _endpoint(pbx: Pbx, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return handler(pbx, await read_params(request))
        except PbxError as error:
            return failure(error.http_status, error.message)

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return failure(exc.status_code, exc.detail)


def coocenter_app(
    world: World,
    *,
    webkey: str | Secret | None = None,
    pbx_timezone: str = DEFAULT_PBX_TIMEZONE,
    clock_skew_s: float = 0.0,
    before_request: Callable[[], None] | None = None,
) -> Starlette:
    """The API to mount where a client's base URL ends in `/coocenter-api/`.

    `webkey` None or empty: no Authorization is asked for (the WEBKEY is commented out).
    """
    key = webkey if isinstance(webkey, Secret) else Secret(webkey or "")
    clock = PbxClock.of(world, pbx_timezone, clock_skew_s)
    pbx = Pbx(world, clock)
    routes = [Route(path, _endpoint(pbx, handler), methods=methods) for path, handler, methods in ROUTES]
    gate = Middleware(
        PbxGate, clock=clock, webkey=key if key.get_secret_value() else None, before_request=before_request
    )
    app = Starlette(routes=routes, middleware=[gate], exception_handlers={404: _http_error, 405: _http_error})
    app.state.pbx_clock = clock
    return app
