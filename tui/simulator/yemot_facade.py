"""Yemot HaMashiach's API over the simulated world, in the vendor's exact wire format.

Shapes follow vendors/yemot.md (Part 1 from the seeds, Part 2 from client code); every value that
Part 3 assumes comes from `tui.vendors.yemot.assumptions`. This module serves sessions, queues
and callbacks and mounts every service; the account's data (`yemot_account`), MFASession
(`yemot_mfa`), SIP and caller IDs (`yemot_sip`), campaigns (`yemot_campaigns`) and incoming SMS
(`yemot_sms`) live beside it, all on the request and reply machinery of `yemot_common`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.simulator import yemot_account, yemot_campaigns, yemot_mfa, yemot_sip, yemot_sms
from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth_records import LoginStatus
from tui.simulator.world_entities import DeviceState, Queue
from tui.simulator.yemot_common import (
    ERROR,
    EXTENSION_MISSING,
    OK,
    Call,
    Refusal,
    Service,
    ago,
    authenticate,
    iso_utc,
    mfa_required,
    read_params,
    reply,
)
from tui.vendors.yemot.assumptions import (
    A1_LAST_CALL_FORMAT,
    A1_STRATEGY,
    A2_STATUS_BUSY,
    A2_STATUS_IDLE,
    A2_STATUS_IN_CALL,
    A2_STATUS_ON_HOLD,
    A2_STATUS_RINGING,
    A2_STATUS_UNAVAILABLE,
    A5_LOGOUT_MESSAGE,
    A10_QUEUE_MANAGEMENT_NOT_JSON,
    LOGIN_BAD_CREDENTIALS,
    LOGIN_LOCKED,
    SIP_OFF_MESSAGE,
    a6_normal_path,
)

CALLBACK_DONE = "OK"
SIP_OFF_VERSION = "any"  # the seed's SIP-off reply carries `yAfastVersion: "any"` (1.1)

STATUS_CODES = {
    DeviceState.IDLE: A2_STATUS_IDLE,
    DeviceState.IN_CALL: A2_STATUS_IN_CALL,
    DeviceState.BUSY: A2_STATUS_BUSY,
    DeviceState.UNAVAILABLE: A2_STATUS_UNAVAILABLE,
    DeviceState.RINGING: A2_STATUS_RINGING,
    DeviceState.ON_HOLD: A2_STATUS_ON_HOLD,
}


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
                "LastCallAgo": ago((now - last).total_seconds()) if last else None,
                "Paused": member.paused,
                "Penalty": str(member.penalty),
            }
        )
    entries = [
        {
            "phone": caller.phone,
            "Wait": int((now - caller.joined_at).total_seconds()),
            "WaitAgo": ago((now - caller.joined_at).total_seconds()),
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
                "date_time": iso_utc(r.requested_at),
                "attempts": r.attempts,
                "last_attempt": iso_utc(r.last_attempt),
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


SERVICES: dict[str, Service] = {
    "Login": Service(login, needs_session=False, needs_pass=False),
    "Logout": Service(logout),
    "GetSession": Service(get_session),
    "GetQueueRealTime": Service(get_queue_real_time),
    "QueueManagement": Service(queue_management),
    "QueueCallBack": Service(queue_callback),
    **yemot_account.SERVICES,
    **yemot_mfa.SERVICES,
    **yemot_sip.SERVICES,
    **yemot_campaigns.SERVICES,
    **yemot_sms.SERVICES,
}


@dataclass(slots=True)
class YemotQuirks:
    """Fault injection that may be switched while the simulator runs."""

    # A13: every empty map in a reply (`errors`, `status`) is sent as `[]`, as some services do.
    empty_maps_as_lists: bool = False


def _with_quirks(payload: dict[str, Any], quirks: YemotQuirks) -> dict[str, Any]:
    if not quirks.empty_maps_as_lists:
        return payload
    return {key: [] if value == {} else value for key, value in payload.items()}


def yemot_app(
    world: World, before_request: Callable[[], None] | None = None, quirks: YemotQuirks | None = None
) -> Starlette:
    """The Yemot API (`/{command}`), to be mounted where a client's base URL ends in `/ym/api/`.

    `quirks` (also `app.state.quirks`) can be changed while it serves.
    """
    active_quirks = quirks if quirks is not None else YemotQuirks()

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
                    raise mfa_required()
                if service.sip and not world.auth.accounts[call.session.system].sip_enabled:
                    raise Refusal(ERROR, SIP_OFF_MESSAGE, version=SIP_OFF_VERSION)
            return reply(OK, _with_quirks(service.handler(call), active_quirks))
        except Refusal as refusal:
            return reply(refusal.status, {"message": refusal.message, **refusal.extra}, refusal.version)

    app = Starlette(routes=[Route("/{command}", endpoint, methods=["GET", "POST"])])
    app.state.quirks = active_quirks
    return app
