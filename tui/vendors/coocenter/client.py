"""Async HTTP client for coocenter-api: transport, the WEBKEY date hash, envelopes and typed errors.

Commands are form-encoded; each endpoint uses the method of the seed's curl example (`wire.py`).
With a WEBKEY, every request carries `Authorization: md5(WEBKEY + PBX's local date)` (C-A1). The
date is the PBX's, not ours: each reply's `Date` header (C-A3) tells us the PBX's clock, and its
local date is computed in `pbx_timezone`, so the hash rolls over at the PBX's midnight without a
failed request. A 401 the estimate did not prevent (the PBX's zone is not what we assumed, or its
clock jumped) is retried once with each adjacent date and the day offset that worked is kept;
only a 401 no date fixes reaches the caller, as BadCredentials.

The WEBKEY and the hashes derived from it never enter a message, a repr, a log line or a URL: the
key is a SecretStr, the header is built inside the request expression (no frame holds it as a
local), and errors are raised outside `except` blocks so no chained httpx exception travels.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from tui.clock import wall_utc
from tui.vendors.base import (
    BadCredentials,
    Throttled,
    TransportError,
    UnreadableReply,
    VendorError,
    VendorRejected,
)
from tui.vendors.coocenter import assumptions as A
from tui.vendors.coocenter import wire as W
from tui.vendors.http import new_http_client, retry_after_seconds, transport_failure

if TYPE_CHECKING:
    from tui.vendors.coocenter.wire_blacklist import BlacklistReply
    from tui.vendors.coocenter.wire_calls import CurrentCallsReply
    from tui.vendors.coocenter.wire_sip import ExtensionStatusReply

log = logging.getLogger("callboard.vendor.coocenter")

M = TypeVar("M", bound=BaseModel)

MAX_PARALLEL_REQUESTS = 4
_SNIPPET_CHARS = 80
_MESSAGE_CHARS = 300
_DEFAULT_THROTTLE_S = 5.0
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HINTS = TypeAdapter(list[W.ExtensionHint])


def utc_now() -> datetime:
    return wall_utc()


def _aware(moment: datetime) -> datetime:
    """Naive datetimes from a test clock count as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _zone(name: str | None) -> tzinfo | None:
    """The PBX's zone; None means this machine's local zone (resolved per moment, so DST holds)."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai)") from None


class PbxCalendar:
    """Which date the PBX thinks it is today, for the WEBKEY hash (C-A1, C-A3).

    `skew` is the PBX's clock minus ours, from the latest `Date` header: the header is stamped
    somewhere between our sending and our receiving, and truncated to the second, so the best
    estimate is its half-second midpoint against the midpoint of our two readings. `day_offset`
    corrects for a PBX whose zone is not the one we assumed; it is learned from a 401 retry.
    """

    #: a correction learned this close to the estimated midnight may be clock jitter, not a zone
    #: difference: it is used for that request but not remembered.
    MIDNIGHT_MARGIN = timedelta(seconds=30)

    def __init__(self, zone: tzinfo | None, clock: Callable[[], datetime]) -> None:
        self._zone = zone
        self._clock = clock
        self.skew = timedelta(0)
        self.day_offset = 0

    def our_now(self) -> datetime:
        return _aware(self._clock())

    def pbx_local_now(self) -> datetime:
        """Our estimate of the PBX's local wall-clock time."""
        moment = self.our_now() + self.skew
        return moment.astimezone(self._zone) if self._zone is not None else moment.astimezone()

    def observe(self, date_header: str | None, sent: datetime, received: datetime) -> None:
        stamped = A.c_a3_parse_date(date_header)
        if stamped is None:
            return
        midpoint = sent + (received - sent) / 2
        self.skew = stamped + timedelta(seconds=0.5) - midpoint

    def candidates(self, local: datetime) -> list[date]:
        """Dates to try, best first: the learned offset, the estimate, then the adjacent days.

        Late in the estimated day the PBX is more likely already in tomorrow than in yesterday.
        """
        adjacent = (1, -1) if local.hour >= 12 else (-1, 1)
        offsets = dict.fromkeys((self.day_offset, 0, *adjacent))
        today = local.date()
        return [today + timedelta(days=offset) for offset in offsets]

    def accepted(self, day: date, local: datetime) -> None:
        """The PBX accepted the hash for `day` while we estimated `local`."""
        offset = (day - local.date()).days
        if offset != 0 and self._near_midnight(local):
            return
        if offset != self.day_offset:
            log.info(
                "WEBKEY date: the PBX is on %s while we estimated %s; day offset %+d", day, local, offset
            )
        self.day_offset = offset

    def _near_midnight(self, local: datetime) -> bool:
        since = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
        return since < self.MIDNIGHT_MARGIN or timedelta(days=1) - since < self.MIDNIGHT_MARGIN


def _as_secret(value: SecretStr | str | None) -> SecretStr | None:
    """Wrap a plain string; an empty WEBKEY counts as none (the PBX then checks nothing)."""
    secret = SecretStr(value) if isinstance(value, str) else value
    return secret if secret is not None and secret.get_secret_value() else None


def _form(**fields: str) -> dict[str, str]:
    """Form fields, each a non-empty string (nothing is sent on bad input)."""
    form: dict[str, str] = {}
    for name, value in fields.items():
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise ValueError(f"{name} must be a non-empty string")
        form[name] = text
    return form


class CoocenterClient:
    """One PBX's coocenter-api: one keep-alive httpx.AsyncClient, at most 4 requests at once."""

    def __init__(
        self,
        base_url: str,
        *,
        webkey: SecretStr | None = None,
        timeout: float = 10.0,
        verify_tls: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        pbx_timezone: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._webkey = _as_secret(webkey)
        self._timeout = timeout
        self.clock = clock
        self.calendar = PbxCalendar(_zone(pbx_timezone), clock)
        self._slots = asyncio.Semaphore(MAX_PARALLEL_REQUESTS)
        self._http = new_http_client(
            base_url=self.base_url, timeout=timeout, verify_tls=verify_tls, transport=transport
        )

    def __repr__(self) -> str:
        webkey = "set" if self._webkey is not None else "none"
        return f"CoocenterClient(base_url={self.base_url!r}, webkey={webkey})"

    async def __aenter__(self) -> CoocenterClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the generic call -------------------------------------------------------------------

    async def call(self, endpoint: W.Endpoint, form: Mapping[str, str] | None = None) -> Any:
        """One endpoint; returns the decoded JSON of a successful reply (an object or an array).

        Raises TransportError, UnreadableReply, BadCredentials, Throttled or VendorRejected.
        """
        if self._webkey is None:
            response = await self._send(endpoint, form, None)
            if response.status_code == A.C_A2_UNAUTHORIZED_STATUS:
                raise BadCredentials("the PBX asks for a WEBKEY (HTTP 401); set webkey for this profile")
            return self._read(endpoint, response)
        tried: list[date] = []
        for _attempt in range(3):  # the estimated date and each adjacent one, once
            local = self.calendar.pbx_local_now()
            day = next((d for d in self.calendar.candidates(local) if d not in tried), None)
            if day is None:
                break
            tried.append(day)
            response = await self._send(endpoint, form, day)
            if response.status_code != A.C_A2_UNAUTHORIZED_STATUS:
                self.calendar.accepted(day, local)
                return self._read(endpoint, response)
            log.debug("%s: HTTP 401 with the hash for %s", endpoint.path, day)
        raise BadCredentials("WEBKEY refused")

    def _auth_headers(self, day: date | None) -> dict[str, str] | None:
        if day is None or self._webkey is None:
            return None
        return {A.C_A1_HEADER: A.c_a1_authorization(self._webkey, day)}

    async def _send(
        self, endpoint: W.Endpoint, form: Mapping[str, str] | None, day: date | None
    ) -> httpx.Response:
        """One request; a reply's Date header updates the PBX clock. Raises TransportError."""
        url = self.base_url + endpoint.path
        started = time.monotonic()
        failure: VendorError | None = None
        response: httpx.Response | None = None
        async with self._slots:
            sent = self.calendar.our_now()
            try:
                response = await self._http.request(
                    endpoint.method,
                    url,
                    data=dict(form) if form is not None else None,
                    headers=self._auth_headers(day),
                )
            except httpx.HTTPError as exc:  # refused, timed out, reset, TLS, protocol
                failure = transport_failure(exc, endpoint.path, url, self._timeout)
            received = self.calendar.our_now()
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None or response is None:
            log.debug("%s %s failed after %.0f ms", endpoint.method, endpoint.path, elapsed_ms)
            raise failure or TransportError(f"{endpoint.path}: no answer")
        self.calendar.observe(response.headers.get(A.C_A3_DATE_HEADER), sent, received)
        log.debug(
            "%s %s HTTP %d in %.0f ms", endpoint.method, endpoint.path, response.status_code, elapsed_ms
        )
        return response

    # -- reading replies ---------------------------------------------------------------------

    def _read(self, endpoint: W.Endpoint, response: httpx.Response) -> Any:
        name = endpoint.path
        status = response.status_code
        if status >= 500:
            raise TransportError(f"{name}: HTTP {status} from the PBX")
        if 300 <= status < 400:
            raise VendorRejected(f"{name}: HTTP {status} redirect; check base_url")
        if status == 429:
            raise Throttled(
                f"{name}: too many requests (HTTP 429)", retry_after_seconds(response, _DEFAULT_THROTTLE_S)
            )
        if status >= 400:
            raise VendorRejected(self._error_text(name, status, self._try_decode(response)))
        data = self._decode(name, response)
        if isinstance(data, dict):
            envelope = self._parse(name, W.Envelope, data)
            if envelope.status is None:
                raise UnreadableReply(f"{name}: the reply has no status")
            if not envelope.ok:
                raise VendorRejected(self._error_text(name, status, data))
        return data

    def _error_text(self, name: str, status: int, data: Any) -> str:
        """The PBX's own message where it gave one (e.g. "Interface not found"), else a sentence."""
        message = data.get("message") if isinstance(data, dict) else None
        if isinstance(message, str) and message.strip():
            return self._safe_text(message)
        if status >= 400:
            return f"{name}: HTTP {status}"
        reported = data.get("status") if isinstance(data, dict) else None
        return f"{name} failed ({self._safe_text(str(reported))})"

    def _decode(self, name: str, response: httpx.Response) -> Any:
        try:
            data = json.loads(response.content)
        except (ValueError, RecursionError):
            problem = self._describe_unparsable(response)
        else:
            problem = (
                None if isinstance(data, dict | list) else f"JSON {type(data).__name__} instead of an object"
            )
        if problem is not None:
            raise UnreadableReply(f"{name}: {problem}")
        return data

    @staticmethod
    def _try_decode(response: httpx.Response) -> Any:
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            return None

    def _describe_unparsable(self, response: httpx.Response) -> str:
        body = response.content.lstrip()
        if not body:
            return "empty reply"
        content_type = response.headers.get("content-type", "")
        if body[:1] == b"<" or "html" in content_type.lower():
            match = _TITLE_RE.search(response.content.decode("utf-8", "replace"))
            title = self._safe_text(" ".join(match.group(1).split())[:_SNIPPET_CHARS]) if match else ""
            return f"HTML page instead of JSON{f' ({title})' if title else ''}"
        if body[:1] in (b"{", b"["):
            return "truncated or malformed JSON"
        return "reply is not JSON"

    @staticmethod
    def _parse(name: str, model: type[M] | TypeAdapter[Any], data: Any) -> Any:
        problem = ""
        try:
            if isinstance(model, TypeAdapter):
                return model.validate_python(data)
            return model.model_validate(data)
        except ValidationError as exc:
            # Only the location and kind of the first problem: pydantic's text includes the input.
            first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
            place = ".".join(str(part) for part in first["loc"]) or "reply"
            problem = f"{name}: unexpected reply ({exc.error_count()} problem(s); {place}: {first['type']})"
        raise UnreadableReply(problem)

    def _safe_text(self, text: str) -> str:
        """Vendor text shown verbatim but short, without our WEBKEY or a hash of it."""
        if self._webkey is not None:
            today = self.calendar.pbx_local_now().date()
            for secret in (
                self._webkey.get_secret_value(),
                *(A.c_a1_authorization(self._webkey, today + timedelta(days=d)) for d in (-1, 0, 1)),
            ):
                text = text.replace(secret, "***")
        text = " ".join(text.split())
        return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"

    async def _call_as(
        self, model: type[M], endpoint: W.Endpoint, form: Mapping[str, str] | None = None
    ) -> M:
        data = await self.call(endpoint, form)
        if not isinstance(data, dict):
            raise UnreadableReply(f"{endpoint.path}: JSON array instead of an object")
        return self._parse(endpoint.path, model, data)

    # -- queries -----------------------------------------------------------------------------

    async def current_calls(self) -> CurrentCallsReply:
        # Start-up: each API family's wire models load with its first request, not with this module.
        from tui.vendors.coocenter.wire_calls import CurrentCallsReply

        return await self._call_as(CurrentCallsReply, W.CURRENT_CALLS)

    async def extension_status(self) -> ExtensionStatusReply:
        from tui.vendors.coocenter.wire_sip import ExtensionStatusReply

        return await self._call_as(ExtensionStatusReply, W.EXTENSION_STATUS)

    async def extension_hints_status(self) -> list[W.ExtensionHint]:
        """The seed's bare array; an envelope with the array as `data` is accepted too."""
        data = await self.call(W.EXTENSION_HINTS_STATUS)
        if isinstance(data, dict):
            data = data.get("data")
        return self._parse(W.EXTENSION_HINTS_STATUS.path, _HINTS, [] if data is None else data)

    async def queue_info(self) -> W.QueueInfoReply:
        return await self._call_as(W.QueueInfoReply, W.QUEUE_INFO)

    async def blacklist_index(self) -> BlacklistReply:
        from tui.vendors.coocenter.wire_blacklist import BlacklistReply

        return await self._call_as(BlacklistReply, W.BLACKLIST_INDEX)

    # -- commands ----------------------------------------------------------------------------

    async def agent_pause(self, queue: str, member: str, paused: bool) -> W.Envelope:
        """`member` is the agent's extension ("808") (C-A7); state on pauses, off unpauses."""
        form = _form(queue=queue, member=member) | {"state": A.c_a7_pause_state(paused)}
        return await self._call_as(W.Envelope, W.AGENT_PAUSE, form)

    async def agent_login(self, queue: str, extension: str) -> W.Envelope:
        return await self._call_as(W.Envelope, W.AGENT_LOGIN, _form(extension=extension, queue=queue))

    async def agent_logout(self, queue: str, extension: str) -> W.Envelope:
        return await self._call_as(W.Envelope, W.AGENT_LOGOUT, _form(extension=extension, queue=queue))

    async def click_number(self, src: str, dst: str) -> W.Envelope:
        """The PBX rings `src` first and, once it answers, dials `dst`."""
        return await self._call_as(W.Envelope, W.CLICK_NUMBER, _form(src=src, dst=dst))

    async def hangup(self, extension: str) -> W.Envelope:
        return await self._call_as(W.Envelope, W.HANGUP, _form(extension=extension))

    async def transfer(self, src: str, dst: str) -> W.Envelope:
        """Transfer the call that extension `src` is on to `dst`."""
        return await self._call_as(W.Envelope, W.TRANSFER, _form(src=src, dst=dst))

    async def exten_spy(self, src: str, dst: str) -> W.Envelope:
        """Extension `src` listens to extension `dst`'s call."""
        return await self._call_as(W.Envelope, W.EXTEN_SPY, _form(src=src, dst=dst))

    async def blacklist_create(self, number: str) -> W.Envelope:
        return await self._call_as(W.Envelope, W.BLACKLIST_CREATE, _form(number=number))

    async def blacklist_delete(self, number: str) -> W.Envelope:
        """HTTP DELETE with a form body, as the seed's curl sends it."""
        return await self._call_as(W.Envelope, W.BLACKLIST_DELETE, _form(number=number))
