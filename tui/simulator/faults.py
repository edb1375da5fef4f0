"""Fault injection for the simulator (SPEC §8, §10): per vendor, random at a rate or forced by tests.

A `FaultPlan` decides, request by request, whether a vendor's reply is replaced by a fault; a
`FaultInjector` wraps one vendor's mounted facade and serves the fault. Only the vendors' mounts
are wrapped: the index at `/` and the coocenter pusher (which sends, and is never asked) are
never faulted. Requests the plan leaves alone pass through untouched.

REFUSED drops the connection without a reply. Under uvicorn (wrapped by `ConnectionDropper`,
which `server.py` puts outermost) the connection's transport is aborted, so the client sees
httpx's "Server disconnected without sending a response" (`httpx.RemoteProtocolError`). Under
`httpx.ASGITransport` there is no connection to drop: the app raises that same
`httpx.RemoteProtocolError`, which ASGITransport hands to the client (starlette's error
middleware first answers a 500 that only a transport with `raise_app_exceptions=False` shows).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.simulator.world import World
from tui.simulator.world_auth_records import Session, TokenStatus
from tui.simulator.yemot_common import Refusal, mfa_required, read_params, reply, throttled
from tui.simulator.yemot_facade import SERVICES as YEMOT_SERVICES
from tui.vendors.coocenter.assumptions import C_A2_UNAUTHORIZED_BODY, C_A2_UNAUTHORIZED_STATUS
from tui.vendors.yemot.assumptions import A4_EXPIRED

DROP_CONNECTION_KEY = "callboard.drop_connection"  # scope key: a callable that aborts the connection
REFUSED_MESSAGE = "Server disconnected without sending a response."  # httpx's words for a dropped one
SERVER_ERROR_TEXTS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
SERVER_ERROR_STATUSES = tuple(SERVER_ERROR_TEXTS)
HTML_PAGE_STATUSES = (200, 502)
# Top-level envelope keys WRONG_TYPES leaves alone, so the client believes the reply and meets
# the wrong types in the data.
ENVELOPE_KEYS = frozenset({"responseStatus", "yAfastVersion", "status"})
DEFAULT_LATENCY_S = 1.5
DEFAULT_HANG_S = 30.0
DEFAULT_RETRY_AFTER_S = 5
PBX_THROTTLED_MESSAGE = "Too Many Requests"


class FaultKind(StrEnum):
    LATENCY = "latency"  # the real reply, `latency_s` late
    TIMEOUT = "timeout"  # held `hang_s` (longer than any client timeout), then 504
    REFUSED = "refused"  # the connection dropped without a reply (see the module docstring)
    SERVER_ERROR = "server_error"  # 500, 502 or 503, plain text
    HTML_PAGE = "html_page"  # 200 or 502 with an HTML error page
    TRUNCATED_JSON = "truncated_json"  # the real reply cut in half
    WRONG_TYPES = "wrong_types"  # the real JSON reply with every value of a wrong type
    EXPIRED_TOKEN = "expired_token"  # Yemot: A4 "session is expired" (and expired); coocenter: 401
    MFA_DROPPED = "mfa_dropped"  # Yemot: A3 MFA_REQUIRED, the session's pass revoked
    THROTTLED = "throttled"  # Yemot: the seed's `Exception` "wait Ns"; coocenter: 429 + Retry-After
    RATE_LIMIT = "rate_limit"  # 429 + Retry-After from a proxy in front, plain text


# The faults each vendor can show; coocenter has no MFA.
APPLICABLE_KINDS: dict[str, frozenset[FaultKind]] = {
    "yemot": frozenset(FaultKind),
    "coocenter": frozenset(FaultKind) - {FaultKind.MFA_DROPPED},
}
FAULT_VENDORS = tuple(APPLICABLE_KINDS)


@dataclass(slots=True)
class VendorFaults:
    """One vendor's part of the plan."""

    rate: float
    kinds: set[FaultKind]
    rng: random.Random
    forced: FaultKind | None = None
    forced_left: int | None = None  # None: until cleared
    served: Counter[FaultKind] = field(default_factory=Counter)


def _checked_rate(rate: float) -> float:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("a fault rate is a probability between 0 and 1")
    return rate


# Faults that clear by themselves. A dropped MFA pass waits for a person to type a code, so random
# fault runs (the demo's --faults, the soak) leave it out; tests force it where they mean it.
TRANSIENT_KINDS = frozenset(FaultKind) - {FaultKind.MFA_DROPPED}


class FaultPlan:
    """Which requests of which vendor get which fault.

    `rate`: the probability that a request is faulted (each vendor; `set_rate` changes one).
    `kinds`: the faults drawn from (default: every one that applies to the vendor). Each vendor
    draws from its own `random.Random` seeded from `seed` and its name, so a seed gives the same
    sequence of faults whatever the other vendors do. `force` and `clear` are for tests.
    """

    def __init__(
        self,
        rate: float = 0.0,
        *,
        seed: int = 0,
        kinds: Iterable[FaultKind] | None = None,
        latency_s: float = DEFAULT_LATENCY_S,
        hang_s: float = DEFAULT_HANG_S,
        retry_after_s: int = DEFAULT_RETRY_AFTER_S,
    ) -> None:
        self.latency_s, self.hang_s, self.retry_after_s = latency_s, hang_s, retry_after_s
        chosen = None if kinds is None else set(kinds)
        self.vendors: dict[str, VendorFaults] = {
            vendor: VendorFaults(
                _checked_rate(rate),
                set(applicable) if chosen is None else chosen & applicable,
                random.Random(f"{seed}:{vendor}"),
            )
            for vendor, applicable in APPLICABLE_KINDS.items()
        }

    def _vendor(self, vendor: str) -> VendorFaults:
        if vendor not in self.vendors:
            raise ValueError(f"no faults for {vendor!r} (vendors: {', '.join(self.vendors)})")
        return self.vendors[vendor]

    def set_rate(self, vendor: str, rate: float, kinds: Iterable[FaultKind] | None = None) -> None:
        """Fault `rate` of `vendor`'s requests, drawn from `kinds` (None: keep the current kinds)."""
        faults = self._vendor(vendor)
        faults.rate = _checked_rate(rate)
        if kinds is not None:
            faults.kinds = set(kinds) & APPLICABLE_KINDS[vendor]

    def force(self, vendor: str, kind: FaultKind, count: int | None = None) -> None:
        """Every request of `vendor` gets `kind` until `clear`, or only the next `count` requests."""
        faults = self._vendor(vendor)
        if kind not in APPLICABLE_KINDS[vendor]:
            raise ValueError(f"{kind} does not apply to {vendor!r}")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1")
        faults.forced, faults.forced_left = kind, count

    def clear(self, vendor: str | None = None) -> None:
        """No more faults for `vendor` (None: every vendor): forced ones end and the rate drops to 0."""
        for name in self.vendors if vendor is None else [vendor]:
            faults = self._vendor(name)
            faults.forced = faults.forced_left = None
            faults.rate = 0.0

    def served(self, vendor: str | None = None) -> Counter[FaultKind]:
        """Faults served so far, per kind (one vendor's, or all vendors' together)."""
        total: Counter[FaultKind] = Counter()
        for name in self.vendors if vendor is None else [vendor]:
            total.update(self._vendor(name).served)
        return total

    def choose(self, vendor: str, applicable: frozenset[FaultKind]) -> FaultKind | None:
        """The fault for the next request of `vendor` (None: serve it normally), counted as served.

        `applicable`: what can be shown on this request (no session faults on Login). A forced
        fault that does not apply lets the request through and is not used up.
        """
        faults = self._vendor(vendor)
        if faults.forced is not None:
            if faults.forced not in applicable:
                return None
            kind = faults.forced
            if faults.forced_left is not None:
                faults.forced_left -= 1
                if faults.forced_left <= 0:
                    faults.forced = faults.forced_left = None
        else:
            if faults.rate <= 0.0 or faults.rng.random() >= faults.rate:
                return None
            candidates = sorted(faults.kinds & applicable)
            if not candidates:
                return None
            kind = faults.rng.choice(candidates)
        faults.served[kind] += 1
        return kind

    def pick_status(self, vendor: str, statuses: tuple[int, ...]) -> int:
        return self._vendor(vendor).rng.choice(statuses)


# -- what a fault looks like ------------------------------------------------------------------


def _letters(number: int | float | str) -> str:
    """A number's digits as letters (42 -> "ec"): a string of letters where a number belongs."""
    text = number if isinstance(number, str) else repr(number)
    digits = "".join(ch for ch in text if ch.isdigit()) or "0"
    return "".join("abcdefghij"[int(d)] for d in digits)


def mistyped(value: Any) -> Any:
    """`value` with every value replaced by one of a wrong type (keys and nesting kept)."""
    if isinstance(value, dict):
        return {key: mistyped(item) for key, item in value.items()}
    if isinstance(value, list):
        return {str(index): mistyped(item) for index, item in enumerate(value)}
    if isinstance(value, bool):
        return "notabool"
    if isinstance(value, int | float):
        return _letters(value)
    if isinstance(value, str):
        bare = value.strip().lstrip("+-").replace(".", "", 1)
        return _letters(bare) if bare.isdigit() else [value]
    return {}  # None


def mistyped_reply(body: Any) -> Any:
    """WRONG_TYPES: a reply's values mistyped, its top-level envelope (`ENVELOPE_KEYS`) kept."""
    if not isinstance(body, dict):
        return mistyped(body)
    return {key: value if key in ENVELOPE_KEYS else mistyped(value) for key, value in body.items()}


def html_page(status: int) -> HTMLResponse:
    title = "502 Bad Gateway" if status == 502 else "Service temporarily unavailable"
    page = (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n"
        f"<body><center><h1>{title}</h1></center><hr><center>nginx</center></body></html>\n"
    )
    return HTMLResponse(page, status_code=status)


def plain(status: int, text: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status, headers=headers)


# -- serving faults -----------------------------------------------------------------------------


def applicable_kinds(vendor: str, scope: Scope) -> frozenset[FaultKind]:
    """The faults this request can show: Yemot's session faults only where a session is asked for."""
    kinds = APPLICABLE_KINDS[vendor]
    if vendor != "yemot":
        return kinds
    command = scope.get("path", "").rstrip("/").rsplit("/", 1)[-1]
    service = YEMOT_SERVICES.get(command)
    if service is None or not service.needs_session:
        return kinds - {FaultKind.EXPIRED_TOKEN, FaultKind.MFA_DROPPED}
    if not service.needs_pass:
        return kinds - {FaultKind.MFA_DROPPED}
    return kinds


async def _yemot_session(world: World, scope: Scope, receive: Receive) -> tuple[str | None, Session | None]:
    """The system and live session the request's token names (either may be None)."""
    request = Request(scope, receive)
    try:
        params, _ = await read_params(request)
    except Refusal:
        return None, None
    token = params.get("token") or request.headers.get("authorization") or ""
    token = token if isinstance(token, str) else ""
    if ":" in token:  # SYSTEM:PASSWORD makes a one-request session: only the system is known
        return token.partition(":")[0], None
    status, session = world.auth.resolve(token) if token else (TokenStatus.INVALID, None)
    if session is None or status is TokenStatus.INVALID:
        return None, None
    return session.system, session


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Hold a request up to `seconds`; True as soon as the client disconnects."""

    async def disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(disconnect(), seconds)
    except TimeoutError:
        return False
    return True


async def _captured(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run `app` and keep its reply: the start message and the whole body."""
    start: Message = {"type": "http.response.start", "status": 500, "headers": []}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return start, b"".join(chunks)


async def _send_reply(send: Send, start: Message, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class FaultInjector:
    """Applies `plan` to every request of `vendor`'s facade `app`.

    `before_request` moves the world before a fault that answers without the facade;
    `date_header` gives such replies the vendor's own `Date` (coocenter's PBX clock, C-A3).
    """

    def __init__(
        self,
        app: ASGIApp,
        plan: FaultPlan,
        vendor: str,
        world: World,
        *,
        before_request: Callable[[], None] | None = None,
        date_header: Callable[[], str] | None = None,
    ) -> None:
        if vendor not in APPLICABLE_KINDS:
            raise ValueError(f"no faults for {vendor!r}")
        self.app, self.plan, self.vendor, self.world = app, plan, vendor, world
        self.before_request, self.date_header = before_request, date_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = self.plan.choose(self.vendor, applicable_kinds(self.vendor, scope))
        if kind is None:
            await self.app(scope, receive, send)
            return
        if kind is FaultKind.LATENCY:
            await asyncio.sleep(self.plan.latency_s)
            await self.app(scope, receive, send)
            return
        if kind in (FaultKind.TRUNCATED_JSON, FaultKind.WRONG_TYPES):
            start, body = await _captured(self.app, scope, receive)
            await _send_reply(send, start, self._altered(kind, body))
            return
        if self.before_request is not None:
            self.before_request()
        if kind is FaultKind.REFUSED:
            drop = scope.get(DROP_CONNECTION_KEY)
            if drop is None:
                import httpx  # only under ASGITransport (tests); the demo's simulator does without it

                raise httpx.RemoteProtocolError(REFUSED_MESSAGE)
            drop()
            return
        if kind is FaultKind.TIMEOUT and await _client_left_within(receive, self.plan.hang_s):
            return  # the client gave up: nobody to answer (uvicorn sends nothing either)
        response = await self._reply(kind, scope, receive)
        if self.date_header is not None:
            response.headers["date"] = self.date_header()
        await response(scope, receive, send)

    @staticmethod
    def _altered(kind: FaultKind, body: bytes) -> bytes:
        if kind is FaultKind.TRUNCATED_JSON:
            return body[: len(body) // 2]
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return body  # not JSON: nothing to mistype
        return json.dumps(mistyped_reply(data), ensure_ascii=False).encode()

    async def _reply(self, kind: FaultKind, scope: Scope, receive: Receive) -> Response:
        plan, yemot = self.plan, self.vendor == "yemot"
        retry_after = {"Retry-After": str(plan.retry_after_s)}
        if kind is FaultKind.TIMEOUT:
            return plain(504, "Gateway Time-out")
        if kind is FaultKind.SERVER_ERROR:
            status = plan.pick_status(self.vendor, SERVER_ERROR_STATUSES)
            return plain(
                status, {500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Unavailable")
            )
        if kind is FaultKind.HTML_PAGE:
            return html_page(plan.pick_status(self.vendor, HTML_PAGE_STATUSES))
        if kind is FaultKind.RATE_LIMIT:
            return plain(429, "Too Many Requests", retry_after)
        if kind is FaultKind.THROTTLED and not yemot:
            body = {"status": "error", "message": PBX_THROTTLED_MESSAGE}
            return JSONResponse(body, status_code=429, headers=retry_after)
        if kind is FaultKind.THROTTLED:
            command = scope.get("path", "").rstrip("/").rsplit("/", 1)[-1]
            refusal = throttled(command, plan.retry_after_s)
            return reply(refusal.status, {"message": refusal.message, **refusal.extra}, refusal.version)
        if kind is FaultKind.EXPIRED_TOKEN and not yemot:
            return JSONResponse(C_A2_UNAUTHORIZED_BODY, status_code=C_A2_UNAUTHORIZED_STATUS)
        system, session = await _yemot_session(self.world, scope, receive)
        if kind is FaultKind.EXPIRED_TOKEN:
            if system is not None:
                self.world.expire_sessions(system)
            return reply(A4_EXPIRED[0], {"message": A4_EXPIRED[1]})
        # MFA_DROPPED: the world has no "revoke" call; the session's own pass flags are its state.
        if session is not None:
            session.passed, session.pass_reason, session.hard_verified = False, None, False
        refusal = mfa_required()
        return reply(refusal.status, {"message": refusal.message})


class ConnectionDropper:
    """Outermost wrapper under uvicorn: lets an inner app drop its connection without a reply.

    Puts a callable under `DROP_CONNECTION_KEY` in the scope that aborts the connection's
    transport (uvicorn's `send` is a bound method of its request cycle, which holds it). After
    a drop it lets the loop record the disconnect, so uvicorn sends no 500 after the app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if scope["type"] != "http" or transport is None:
            await self.app(scope, receive, send)
            return
        dropped = False

        def drop() -> None:
            nonlocal dropped
            dropped = True
            transport.abort()

        scope[DROP_CONNECTION_KEY] = drop
        await self.app(scope, receive, send)
        for _ in range(100):
            if not dropped or getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0)
