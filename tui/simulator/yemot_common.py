"""What every Yemot service of the simulator shares: reading a request, refusing it, replying.

Every reply is HTTP 200 with `responseStatus` and `yAfastVersion` (vendors/yemot.md 2.1);
parameters come from the query string, a form body or a JSON body, and the token also from the
raw `authorization` header. A handler returns its payload, or raises `Refusal` for a non-OK reply.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth_records import LoginStatus, MethodKind, MfaMethod, Session, TokenStatus
from tui.vendors.yemot.assumptions import (
    A1_AGO_FORMAT,
    A3_MFA_REQUIRED_MESSAGE,
    A3_MFA_REQUIRED_STATUS,
    A3_PAST_STAGE_MESSAGE,
    A4_EXPIRED,
    A4_INVALID,
    LOGIN_BAD_CREDENTIALS,
    LOGIN_LOCKED,
    YAFAST_VERSION,
)

# Wire strings from the seeds (vendors/yemot.md 1.4, 1.8) and client code (2.2, 2.8).
OK = "OK"
ERROR = "ERROR"
EXCEPTION = "Exception"
EXCEPTION_FILE, EXCEPTION_LINE = "CustomerMFA.class.ym", "590:19"
EXTENSION_MISSING = "extension does not exist"
LOCAL_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # SIP, SMS, MFA dates: local Israel time, no zone
CALLBACK_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"  # callback rows: UTC with "Z"
MASK = "•••"


class Refusal(Exception):
    """A non-OK reply: raised anywhere in a handler, answered with HTTP 200."""

    def __init__(self, status: str, message: str, *, version: str = YAFAST_VERSION, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.version, self.extra = status, message, version, extra


def reply(status: str, payload: dict[str, Any], version: str = YAFAST_VERSION) -> JSONResponse:
    return JSONResponse({"responseStatus": status, "yAfastVersion": version, **payload})


def throttled(action: str, wait_s: int) -> Refusal:
    """The seed's throttle reply: `Exception`, "wait Ns", file and Line."""
    message = f"exception {action} by customer. wait {wait_s}s"
    return Refusal(EXCEPTION, message, file=EXCEPTION_FILE, Line=EXCEPTION_LINE)


def mfa_required() -> Refusal:
    return Refusal(A3_MFA_REQUIRED_STATUS, A3_MFA_REQUIRED_MESSAGE)


def past_stage() -> Refusal:
    return Refusal(ERROR, A3_PAST_STAGE_MESSAGE)


@dataclass(slots=True)
class Call:
    """One request as the handlers see it."""

    world: World
    params: dict[str, Any]
    is_json: bool
    client_ip: str
    authorization: str | None
    session: Session | None = None

    def text(self, name: str) -> str | None:
        value = self.params.get(name)
        if value is None or isinstance(value, dict | list):
            return None
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if not value or not value.strip():
            raise Refusal(ERROR, f"{name} is required")
        return value

    def integer(self, name: str) -> int:
        value = self.optional_integer(name)
        if value is None:
            raise Refusal(ERROR, f"{name} is required")
        return value

    def optional_integer(self, name: str) -> int | None:
        """An integer parameter; None when absent or empty."""
        value = self.params.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool | dict | list):
            raise Refusal(ERROR, f"{name} must be an integer")
        try:
            return int(str(value).strip())
        except ValueError:
            raise Refusal(ERROR, f"{name} must be an integer") from None

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        return value is True or str(value).strip().lower() in {"1", "true", "yes", "on"}

    @property
    def live_session(self) -> Session:
        assert self.session is not None
        return self.session

    @property
    def system(self) -> str:
        return self.live_session.system


@dataclass(frozen=True, slots=True)
class Service:
    handler: Callable[[Call], dict[str, Any]]
    needs_session: bool = True
    needs_pass: bool = True  # False: a session that has not passed MFA may call it (1.8)
    sip: bool = False  # a SIP service: a server without SIP answers the seed's SIP-off error (1.1)


# -- formatting -------------------------------------------------------------------------------


def local(moment: datetime | None) -> str | None:
    return moment.astimezone(ISRAEL).strftime(LOCAL_DATE_FORMAT) if moment else None


def iso_utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime(CALLBACK_DATE_FORMAT) if moment else None


def ago(seconds: float) -> str:
    """A1's "HH:MM:SS"; hours keep counting past a day."""
    whole = max(0, int(seconds))
    if whole < 86400:
        return (datetime.min + timedelta(seconds=whole)).strftime(A1_AGO_FORMAT)
    hours, rest = divmod(whole, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def masked(method: MfaMethod) -> str:
    """A target shown before hard verification: "+97250•••60", "admi•••@•••.example"."""
    if method.kind is MethodKind.EMAIL:
        local_part, _, domain = method.value.partition("@")
        _, _, tail = domain.partition(".")
        return f"{local_part[:4]}{MASK}@{MASK}.{tail}" if tail else f"{local_part[:4]}{MASK}@{MASK}"
    return f"{method.value[:6]}{MASK}{method.value[-2:]}"


def parse_local(text: str, name: str, *, end_of_day: bool = False) -> datetime:
    """`YYYY-MM-DD HH:MM:SS` (or a bare date) in Israel time, as an aware datetime."""
    value = text.strip()
    for pattern, is_date in ((LOCAL_DATE_FORMAT, False), ("%Y-%m-%d %H:%M", False), ("%Y-%m-%d", True)):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if is_date and end_of_day:
            parsed = parsed.replace(hour=23, minute=59, second=59)
        return parsed.replace(tzinfo=ISRAEL)
    raise Refusal(ERROR, f"{name} must be YYYY-MM-DD HH:MM:SS")


# -- request parsing and authentication -------------------------------------------------------


async def read_params(request: Request) -> tuple[dict[str, Any], bool]:
    """Query parameters overlaid by a JSON or form body; True when the body was JSON."""
    params: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "").lower()
    body = await request.body()
    if "json" in content_type:
        try:
            data = json.loads(body) if body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            raise Refusal(ERROR, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Refusal(ERROR, "the JSON body must be an object")
        params.update(data)
        return params, True
    if "multipart/" in content_type:
        raise Refusal(ERROR, "multipart bodies are not accepted: send a form or JSON")
    if body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params, False


def authenticate(call: Call) -> Session:
    """The session behind the token (A4); a SYSTEM:PASSWORD token opens a one-request session."""
    token = call.text("token") or call.authorization or ""
    auth = call.world.auth
    if ":" in token:
        system, _, password = token.partition(":")
        outcome = auth.login(system, password, call.client_ip, keep=False)
        if outcome.status is LoginStatus.LOCKED:
            raise Refusal(*LOGIN_LOCKED)
        if outcome.session is None:
            raise Refusal(*LOGIN_BAD_CREDENTIALS)
        return outcome.session
    status, session = auth.resolve(token) if token else (TokenStatus.INVALID, None)
    if status is TokenStatus.EXPIRED:
        raise Refusal(*A4_EXPIRED)
    if status is not TokenStatus.OK or session is None:
        raise Refusal(*A4_INVALID)
    return session
