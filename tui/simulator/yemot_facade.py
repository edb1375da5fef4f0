"""Yemot HaMashiach's API over the simulated world, in the vendor's exact wire format.

Shapes follow vendors/yemot.md (Part 1 from the seeds, Part 2 from client code); every value that
Part 3 assumes comes from `tui.vendors.yemot.assumptions`. Every reply is HTTP 200 with
`responseStatus` and `yAfastVersion`; parameters come from the query string, a form body or a JSON
body, and the token also from the raw `authorization` header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth import (
    CodeStatus,
    LoginStatus,
    MethodKind,
    MethodOrigin,
    MfaMethod,
    PassReason,
    SendChannel,
    SendStatus,
    Session,
    TokenStatus,
    TrustKind,
)
from tui.simulator.world_entities import DeviceState, Queue
from tui.vendors.yemot.assumptions import (
    A1_AGO_FORMAT,
    A1_LAST_CALL_FORMAT,
    A1_STRATEGY,
    A2_STATUS_BUSY,
    A2_STATUS_IDLE,
    A2_STATUS_IN_CALL,
    A2_STATUS_ON_HOLD,
    A2_STATUS_RINGING,
    A2_STATUS_UNAVAILABLE,
    A3_MFA_REQUIRED_MESSAGE,
    A3_MFA_REQUIRED_STATUS,
    A3_PAST_STAGE_MESSAGE,
    A4_EXPIRED,
    A4_INVALID,
    A5_LOGOUT_MESSAGE,
    A10_QUEUE_MANAGEMENT_NOT_JSON,
    LOGIN_BAD_CREDENTIALS,
    LOGIN_LOCKED,
    YAFAST_VERSION,
    a6_normal_path,
)

# Wire strings from the seeds (vendors/yemot.md 1.4, 1.8) and client code (2.2, 2.8).
OK = "OK"
ERROR = "ERROR"
EXCEPTION = "Exception"
EXCEPTION_FILE, EXCEPTION_LINE = "CustomerMFA.class.ym", "590:19"
SEND_OK_MESSAGE = "the code send. please valid the code"
OVERTRY_MESSAGE = "validMFA not allow. over trys attempt"
NO_CODE_MESSAGE = "validMFA not allow. no code was sent"
EXTENSION_MISSING = "extension does not exist"
CALLBACK_DONE = "OK"
LOCAL_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # MFA dates: local Israel time, no zone
CALLBACK_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"  # callback rows: UTC with "Z"
MASK = "•••"

STATUS_CODES = {
    DeviceState.IDLE: A2_STATUS_IDLE,
    DeviceState.IN_CALL: A2_STATUS_IN_CALL,
    DeviceState.BUSY: A2_STATUS_BUSY,
    DeviceState.UNAVAILABLE: A2_STATUS_UNAVAILABLE,
    DeviceState.RINGING: A2_STATUS_RINGING,
    DeviceState.ON_HOLD: A2_STATUS_ON_HOLD,
}
PASS_REASONS = {
    PassReason.TRUSTED_IP: "INIT_WHITELIST_IPS",
    PassReason.TRUST_TOKEN: "HAVE_ACTIVE_TRUST_TOKEN",
    PassReason.VERIFIED: "MFA_PASSED",
}
METHOD_ORIGINS = {
    MethodOrigin.CREATED_SYSTEM: "CREATE_PHONE",
    MethodOrigin.RECOVERY_EMAIL: "RESET_MAIL",
    MethodOrigin.PROFILE: "PROFILE",
    MethodOrigin.MASTER_LOGIN: "MASTER_LOGIN",
    MethodOrigin.CUSTOMER: "BY_CUSTOMER",
}
SEND_TYPES = {SendChannel.CALL: "CALL", SendChannel.SMS: "SMS", SendChannel.EMAIL: "EMAIL"}
CODE_STATUSES = {
    CodeStatus.VALID: "VALID",
    CodeStatus.WRONG: "UNVALID",
    CodeStatus.USED_UP: "OVERTRY",
    CodeStatus.NO_CODE: "OVERTRY",
}
TRUST_KINDS = {TrustKind.WEBSITE: "YM_CALL2ALL_WEBSITE", TrustKind.CUSTOMER_IP: "CUSTOMER_IP"}
# MFASession actions that need a code verified in this very session (1.8).
HARD_VERIFIED_ACTIONS = frozenset(
    {
        "addMethod",
        "reValidMethod",
        "validMethod",
        "deleteMethod",
        "getMFATrustTokens",
        "deleteTrustToken",
        "getMFATrustIps",
        "setMFATrustIps",
    }
)


class Refusal(Exception):
    """A non-OK reply: raised anywhere in a handler, answered with HTTP 200."""

    def __init__(self, status: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def reply(status: str, payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"responseStatus": status, "yAfastVersion": YAFAST_VERSION, **payload})


def _throttle(action: str, wait_s: int) -> Refusal:
    """The seed's throttle reply: `Exception`, "wait Ns", file and Line."""
    message = f"exception {action} by customer. wait {wait_s}s"
    return Refusal(EXCEPTION, message, file=EXCEPTION_FILE, Line=EXCEPTION_LINE)


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
        return str(value)

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise Refusal(ERROR, f"{name} is required")
        return value

    def integer(self, name: str) -> int:
        value = self.params.get(name)
        if value is None or isinstance(value, bool | dict | list) or not str(value).strip():
            raise Refusal(ERROR, f"{name} is required")
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


# -- formatting -------------------------------------------------------------------------------


def _local(moment: datetime | None) -> str | None:
    return moment.astimezone(ISRAEL).strftime(LOCAL_DATE_FORMAT) if moment else None


def _iso_utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime(CALLBACK_DATE_FORMAT) if moment else None


def _ago(seconds: float) -> str:
    """A1's "HH:MM:SS"; hours keep counting past a day."""
    whole = max(0, int(seconds))
    if whole < 86400:
        return (datetime.min + timedelta(seconds=whole)).strftime(A1_AGO_FORMAT)
    hours, rest = divmod(whole, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _mask(method: MfaMethod) -> str:
    """A target shown before hard verification: "+97250•••60", "admi•••@•••.example"."""
    if method.kind is MethodKind.EMAIL:
        local, _, domain = method.value.partition("@")
        _, _, tail = domain.partition(".")
        return f"{local[:4]}{MASK}@{MASK}.{tail}" if tail else f"{local[:4]}{MASK}@{MASK}"
    return f"{method.value[:6]}{MASK}{method.value[-2:]}"


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


def _mfa_required() -> Refusal:
    return Refusal(A3_MFA_REQUIRED_STATUS, A3_MFA_REQUIRED_MESSAGE)


def _past_stage() -> Refusal:
    return Refusal(ERROR, A3_PAST_STAGE_MESSAGE)


# -- session services -------------------------------------------------------------------------


def login(call: Call) -> dict[str, Any]:
    outcome = call.world.auth.login(call.text("username") or "", call.text("password") or "", call.client_ip)
    if outcome.status is LoginStatus.LOCKED:
        raise Refusal(*LOGIN_LOCKED)
    if outcome.session is None:
        raise Refusal(*LOGIN_BAD_CREDENTIALS)
    return {"token": outcome.session.token}


def logout(call: Call) -> dict[str, Any]:
    session = call.live_session
    if session.kept:
        call.world.auth.logout(session.token)
    return {"message": A5_LOGOUT_MESSAGE}


def get_session(call: Call) -> dict[str, Any]:
    account = call.world.auth.accounts[call.live_session.system]
    return {
        "name": account.name,
        "units": account.units,
        "unitsExpireDate": account.units_expire.isoformat(),
        "email": account.email,
        "organization": account.organization,
        "contactName": account.contact_name,
        "phones": "",
        "invoiceName": account.organization,
        "invoiceAddress": "",
        "fax": "",
        "accessPassword": None,
        "recordPassword": None,
        "creditFile": "Yemot",
        "username": account.system,
    }


# -- MFASession -------------------------------------------------------------------------------


def _mfa_status(call: Call) -> dict[str, Any]:
    session = call.live_session
    return {
        "isAvailable": call.world.auth.is_available(session),
        "isPass": session.passed,
        "passRessen": PASS_REASONS[session.pass_reason] if session.pass_reason else None,
        "isPassInThisSession": session.hard_verified,
    }


def mfa_try(call: Call) -> dict[str, Any]:
    if call.live_session.passed:
        raise _past_stage()
    outcome = call.world.auth.try_pass(call.live_session)
    if outcome.blocked_for_s is not None:
        raise _throttle("try", outcome.blocked_for_s)
    return _mfa_status(call)


def mfa_methods(call: Call) -> dict[str, Any]:
    session = call.live_session
    rows = [
        {
            "ID": method_id,
            "STATUS": "ACTIVE" if method.active else "PENDING",
            "MFA_METHOD_ID": method.stable_id,
            "NIKE": METHOD_ORIGINS[method.origin],
            "NOTE": method.note,
            "SEND_TYPE": [SEND_TYPES[c] for c in method.channels],
            "VALUE": method.value if session.hard_verified else _mask(method),
            "EXPIRED_DATE": _local(method.expires_at),
            "LAST_USED": _local(method.last_used),
        }
        for method_id, method in call.world.auth.list_methods(session)
    ]
    return {**_mfa_status(call), "mfaMethods": rows}


def mfa_send(call: Call) -> dict[str, Any]:
    session = call.live_session
    if session.hard_verified:
        raise _past_stage()
    method_id = call.integer("mfaId")
    send_type = (call.text("mfaSendType") or "").upper()
    channel = next((c for c, name in SEND_TYPES.items() if name == send_type), None)
    if channel is None:
        raise Refusal(ERROR, "mfaSendType must be CALL, SMS or EMAIL")
    outcome = call.world.auth.send_code(session, method_id, channel)
    if outcome.status is SendStatus.THROTTLED:
        raise _throttle("send", outcome.wait_s or 1)
    if outcome.status is SendStatus.UNKNOWN_METHOD:
        raise Refusal(ERROR, "mfaId not found")
    if outcome.status is SendStatus.BAD_CHANNEL:
        raise Refusal(ERROR, "mfaSendType not available for this method")
    return {"message": SEND_OK_MESSAGE}


def mfa_valid(call: Call) -> dict[str, Any]:
    session = call.live_session
    if session.hard_verified:
        raise _past_stage()
    code = call.text("mfaCode") or ""
    outcome = call.world.auth.check_code(
        session, code, call.flag("mfaRememberMe"), call.text("mfaRememberNote") or ""
    )
    messages = {CodeStatus.USED_UP: OVERTRY_MESSAGE, CodeStatus.NO_CODE: NO_CODE_MESSAGE}
    return {
        "mfa_valid_status": CODE_STATUSES[outcome.status],
        "mfa_valid_trys": outcome.tries,
        "mfa_valid_left": outcome.left,
        "mfa_valid_message": messages.get(outcome.status, ""),
    }


def mfa_trust_tokens(call: Call) -> dict[str, Any]:
    account = call.world.auth.accounts[call.live_session.system]
    rows = [
        {
            "id": t.token_id,
            "trust_key_type": TRUST_KINDS[t.kind],
            "create_by": t.created_by,
            "create_date": _local(t.created_at),
            "update_by": t.updated_by,
            "update_date": _local(t.updated_at),
            "last_use": _local(t.last_use),
            "trust_note": t.note,
        }
        for t in account.trust_tokens
    ]
    return {"trustTokens": rows}


def mfa_trust_ips(call: Call) -> dict[str, Any]:
    return {"trustIps": list(call.world.auth.accounts[call.live_session.system].trusted_ips)}


MFA_ACTIONS: dict[str, Callable[[Call], dict[str, Any]]] = {
    "isPass": _mfa_status,
    "try": mfa_try,
    "getMFAMethods": mfa_methods,
    "sendMFA": mfa_send,
    "validMFA": mfa_valid,
    "getMFATrustTokens": mfa_trust_tokens,
    "getMFATrustIps": mfa_trust_ips,
}


def mfa_session(call: Call) -> dict[str, Any]:
    action = call.text("action") or ""
    if action in HARD_VERIFIED_ACTIONS and not call.live_session.hard_verified:
        raise _mfa_required()
    handler = MFA_ACTIONS.get(action)
    if handler is None:
        raise Refusal(ERROR, f"the simulator does not offer MFASession action '{action}'")
    return handler(call)


# -- queues -----------------------------------------------------------------------------------


def _queue_of(call: Call) -> Queue:
    queue = call.world.queue_by_ivr_path(a6_normal_path(call.required_text("queuePath")))
    if queue is None:
        raise Refusal(ERROR, EXTENSION_MISSING)
    return queue


def get_queue_real_time(call: Call) -> dict[str, Any]:
    world, queue = call.world, _queue_of(call)
    now = world.now
    members = []
    for member in queue.members:
        agent = world.agents[member.agent_id]
        last = member.last_call
        members.append(
            {
                "agent": agent.phone,
                "Status": STATUS_CODES[agent.state],
                "CallsTaken": member.calls_taken,
                "LastCallUnitTime": str(int(last.timestamp())) if last else "0",
                "LastCall": last.astimezone(ISRAEL).strftime(A1_LAST_CALL_FORMAT) if last else None,
                "LastCallAgo": _ago((now - last).total_seconds()) if last else None,
                "Paused": member.paused,
                "Penalty": str(member.penalty),
            }
        )
    entries = [
        {
            "phone": caller.phone,
            "Wait": int((now - caller.joined_at).total_seconds()),
            "WaitAgo": _ago((now - caller.joined_at).total_seconds()),
            "Position": position,
            "CallId": caller.call_id,
        }
        for position, caller in enumerate(queue.waiting, start=1)
    ]
    stats = queue.stats
    queue_data = {
        "Abandoned": stats.abandoned,
        "Calls": len(entries),
        "Completed": stats.completed,
        "TalkTime": stats.avg_talk_s,
        "Holdtime": stats.avg_hold_s,
        "Max": queue.capacity,
        "Strategy": A1_STRATEGY,
    }
    return {"queueData": queue_data, "members": members, "entries": entries}


def _goto_of(more_data: str | None) -> str | None:
    """`GOTO:/1` names the extension kicked callers go to; anything else hangs them up."""
    if more_data and more_data.upper().startswith("GOTO:"):
        return a6_normal_path(more_data[len("GOTO:") :])
    return None


def queue_management(call: Call) -> dict[str, Any]:
    if not call.is_json:
        raise Refusal(ERROR, A10_QUEUE_MANAGEMENT_NOT_JSON)
    queue = _queue_of(call)
    action = call.text("action")
    if action == "kick":
        call_ids = call.params.get("callIds")
        if not isinstance(call_ids, list):
            raise Refusal(ERROR, A10_QUEUE_MANAGEMENT_NOT_JSON)
        goto = _goto_of(call.text("moreData"))
        status = {
            str(cid): str(call.world.kick(queue.queue_id, str(cid), goto)) for cid in dict.fromkeys(call_ids)
        }
        return {"status": status}
    if action in ("pause", "unpause"):
        name = call.required_text("agent")
        agent = call.world.agent_by_phone(name)
        if agent is None or not call.world.set_paused(queue.queue_id, agent.agent_id, action == "pause"):
            raise Refusal(ERROR, f"agent {name} is not a member of this queue")
        return {}
    raise Refusal(ERROR, f"unknown action '{action or ''}'")


def queue_callback(call: Call) -> dict[str, Any]:
    world = call.world
    action = call.text("action")
    if action == "getQueues":
        rows = [
            {
                "id": cbq.callback_id,
                "path": cbq.path,
                "queue_path": cbq.queue_path,
                "caller_id": cbq.caller_id,
                "callback_times": cbq.callback_times,
                "max_waiting_time": cbq.max_waiting_time_min,
                "max_waiting_customers": cbq.max_waiting_customers,
                "waiting_customers": len(world.callback_requests_for(cbq.callback_id)),
                "open": 1 if cbq.open else 0,
            }
            for cbq in world.callback_queues.values()
        ]
        return {"callbackList": rows}
    if action == "getList":
        callback_id = call.integer("id")
        if world.callback_queue(callback_id) is None:
            raise Refusal(ERROR, f"callback queue {callback_id} not found")
        rows = [
            {
                "id": r.request_id,
                "calling_number": r.calling_number,
                "status": r.status,
                "date_time": _iso_utc(r.requested_at),
                "attempts": r.attempts,
                "last_attempt": _iso_utc(r.last_attempt),
            }
            for r in sorted(world.callback_requests_for(callback_id), key=lambda r: r.request_id)
        ]
        return {"callbackList": rows}
    if action == "removeNumber":
        request_id = call.integer("id")
        if not world.remove_callback(request_id):
            raise Refusal(ERROR, f"callback request {request_id} not found")
        return {"callbackList": CALLBACK_DONE}
    raise Refusal(ERROR, f"unknown action '{action or ''}'")


# -- the application --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Service:
    handler: Callable[[Call], dict[str, Any]]
    needs_session: bool = True
    needs_pass: bool = True  # False: a session that has not passed MFA may call it (1.8)


SERVICES: dict[str, Service] = {
    "Login": Service(login, needs_session=False, needs_pass=False),
    "Logout": Service(logout),
    "GetSession": Service(get_session),
    "MFASession": Service(mfa_session, needs_pass=False),
    "GetQueueRealTime": Service(get_queue_real_time),
    "QueueManagement": Service(queue_management),
    "QueueCallBack": Service(queue_callback),
}


def yemot_app(world: World, before_request: Callable[[], None] | None = None) -> Starlette:
    """The Yemot API (`/{command}`), to be mounted where a client's base URL ends in `/ym/api/`."""

    async def endpoint(request: Request) -> JSONResponse:
        if before_request is not None:
            before_request()
        command = request.path_params["command"]
        service = SERVICES.get(command)
        if service is None:
            return reply(ERROR, {"message": f"command {command} not found"})
        try:
            params, is_json = await read_params(request)
            client_ip = request.client.host if request.client else ""
            call = Call(world, params, is_json, client_ip, request.headers.get("authorization"))
            if service.needs_session:
                call.session = authenticate(call)
                if service.needs_pass and not call.session.passed:
                    raise _mfa_required()
            return reply(OK, service.handler(call))
        except Refusal as refusal:
            return reply(refusal.status, {"message": refusal.message, **refusal.extra})

    return Starlette(routes=[Route("/{command}", endpoint, methods=["GET", "POST"])])
