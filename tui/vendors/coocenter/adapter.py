"""coocenter-api (ZYCOO CooCenter) as a `Vendor`: maps the wire models (`wire*.py`) onto `tui.domain`."""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr, ValidationError

from tui.domain import (
    ActionResult,
    Agent,
    AgentState,
    Blacklist,
    CallAnswered,
    CallEnded,
    CallRecorded,
    CallsBoard,
    CallStarted,
    ExtensionStateChanged,
    LiveCall,
    PushEvent,
    QueueBoard,
    QueueSummary,
    SessionInfo,
    SipAccount,
    SipBoard,
)
from tui.vendors.base import Capability, UnreadableReply, Vendor, VendorError, VendorRejected
from tui.vendors.coocenter import assumptions as A
from tui.vendors.coocenter import wire as W
from tui.vendors.coocenter.client import CoocenterClient, utc_now

if TYPE_CHECKING:
    from tui.vendors.coocenter.wire_calls import CurrentCall
    from tui.vendors.coocenter.wire_push import CcCdrEvent, CdrEvent, PushEventBase
    from tui.vendors.coocenter.wire_sip import ExtensionPeer

# C-A4: hint / extensionstatus codes -> what the device is doing.
_AGENT_STATES: dict[str, AgentState] = {
    A.C_A4_IDLE: AgentState.IDLE,
    A.C_A4_IN_CALL: AgentState.IN_CALL,
    A.C_A4_BUSY: AgentState.BUSY,
    A.C_A4_OFFLINE: AgentState.UNAVAILABLE,
    A.C_A4_RINGING: AgentState.RINGING,
    A.C_A4_HOLD: AgentState.ON_HOLD,
}
_MAX_LABEL_CODE = 12  # an unknown code longer than this is not echoed into a label


def agent_state(code: str | None) -> tuple[AgentState, str]:
    """C-A4 code -> (state, label); an unknown code is shown as "unknown (N)"."""
    normal = (code or "").strip()
    state = _AGENT_STATES.get(normal)
    if state is not None:
        return state, A.C_A4_LABELS[normal]
    if not normal:
        return AgentState.UNKNOWN, "unknown"
    return AgentState.UNKNOWN, f"unknown ({normal[:_MAX_LABEL_CODE]})"


# -- interfaces and channels ------------------------------------------------------------------

_INTERFACE_RE = re.compile(r"^(?P<tech>[A-Za-z][A-Za-z0-9_]*)/(?P<rest>.+)$")
_PHONE_TECHS = frozenset({"SIP", "PJSIP", "IAX2"})
# "SIP/896-0000000b": the peer, then Asterisk's per-channel hex suffix (absent in a dial string).
# Only a numeric peer is an extension: "SIP/trunk-000000a1" is a trunk, not a phone we can act on.
_CHANNEL_RE = re.compile(r"^(?P<tech>SIP|PJSIP|IAX2)/(?P<peer>[0-9]{2,10})(?:-[0-9A-Fa-f]+)?$", re.IGNORECASE)


def member_extension(name: str) -> str:
    """A queue member's interface -> its extension: "sip/876", "SIP/876", "PJSIP/876",
    "IAX2/876", "Local/876@from-queue/n" and "876" all give "876"; other forms are kept as they are."""
    text = name.strip()
    match = _INTERFACE_RE.match(text)
    if match is None:
        return text
    tech, rest = match["tech"].upper(), match["rest"]
    if tech in _PHONE_TECHS and "/" not in rest:
        return rest
    if tech == "LOCAL":
        return rest.split("@", 1)[0] or text
    return text


def channel_extension(channel: str | None) -> str | None:
    """The extension of a SIP/PJSIP/IAX2 channel ("SIP/896-0000000b" -> "896"); None for others."""
    match = _CHANNEL_RE.match((channel or "").strip())
    return match["peer"] if match else None


def duration_seconds(value: str | None) -> int | None:
    """ "00:02:58" -> 178 (hours may pass 24); None for anything else."""
    parts = (value or "").strip().split(":")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() and len(part) <= 6 for part in parts):
        return None
    hours, minutes, seconds = (int(part) for part in parts)
    return hours * 3600 + minutes * 60 + seconds


# -- SIP registration -------------------------------------------------------------------------

_LATENCY_RE = re.compile(r"\(\s*(\d{1,7})\s*ms\s*\)", re.IGNORECASE)
_NO_ADDRESS = frozenset({"", "-none-", "(null)"})


def sip_latency_ms(status: str) -> int | None:
    """ "OK (45 ms)", "OK(45ms)", "LAGGED (350 ms)" -> 45, 45, 350; otherwise None."""
    match = _LATENCY_RE.search(status)
    return int(match.group(1)) if match else None


def sip_registered(status: str, address: str | None) -> bool | None:
    """OK/LAGGED: registered; UNKNOWN/UNREACHABLE or no address: not; "Unmonitored": unknown."""
    word = status.strip().upper()
    if word.startswith(("OK", "LAGGED")):
        return True
    if address is None or word.startswith(("UNKNOWN", "UNREACHABLE")):
        return False
    return None


def sip_account(peer: ExtensionPeer) -> SipAccount:
    address = None if peer.IPAddr.strip().lower() in _NO_ADDRESS else peer.IPAddr.strip()
    return SipAccount(
        account_id=peer.Exten,
        user=peer.Exten,
        extension=peer.Exten,
        kind=peer.Type or None,
        address=address,
        status=peer.Status,
        registered=sip_registered(peer.Status, address),
        latency_ms=sip_latency_ms(peer.Status),
    )


# -- queues ------------------------------------------------------------------------------------


def queue_board(
    reply: W.QueueInfoReply, hints: Sequence[W.ExtensionHint], watched: Sequence[str] = ()
) -> QueueBoard:
    """queue-info + hints -> one summary per queue (no figures: the API has none) and one agent per
    member. Watched queues come in their configured order, a missing one as an empty queue."""
    by_extension = {hint.extension.strip(): hint for hint in hints}
    queue_ids = list(watched) if watched else list(reply.data)
    summaries = [
        QueueSummary(queue_id=q, name=q, waiting=None, longest_wait=None, answered=None, abandoned=None)
        for q in queue_ids
    ]
    agents = [
        _agent(queue_id, member, by_extension)
        for queue_id in queue_ids
        for member in reply.data.get(queue_id, [])
    ]
    return QueueBoard(queues=tuple(summaries), agents=tuple(agents), waiting=(), lists_waiting=False)


def _agent(queue_id: str, member: W.QueueMember, hints: Mapping[str, W.ExtensionHint]) -> Agent:
    extension = member_extension(member.name)
    hint = hints.get(extension)
    state, label = agent_state(hint.status) if hint is not None else (AgentState.UNKNOWN, "unknown")
    name = hint.agentName.strip() if hint is not None else ""
    return Agent(
        queue_id=queue_id,
        agent_id=extension,
        name=name or extension,
        state=state,
        state_label=label,
        paused=member.paused,
        penalty=member.penalty,
        extension=extension,
    )


# -- live calls -------------------------------------------------------------------------------


def live_call(call: CurrentCall, now: float) -> LiveCall:
    """One current-calls channel; `started_at` = now - duration, so the duration ticks between polls."""
    seconds = duration_seconds(call.duration)
    return LiveCall(
        call_id=call.channel,
        caller=call.calleridnum,
        callee=call.connectedlinenum,
        state=call.channelstatedesc or call.channelstate,
        started_at=now - seconds if seconds is not None else None,
        caller_name=call.calleridname or None,
        callee_name=call.connectedlinename or None,
        channel=call.channel,
        extension=channel_extension(call.channel),
    )


def _started(call: LiveCall) -> float:
    return call.started_at if call.started_at is not None else math.inf


def merge_legs(legs: Iterable[LiveCall]) -> tuple[LiveCall, ...]:
    """One row per call, not per channel.

    Asterisk lists both channels of a bridged call (caller -> agent, and agent -> caller). The call
    keeps the older leg's id and direction (the id a `dialbegin` push gives it), times from that
    leg, and acts on the leg that is on one of our extensions.
    """
    calls: dict[object, LiveCall] = {}
    for leg in legs:
        bridged = leg.caller and leg.callee and not leg.callee.startswith("<")
        key: object = frozenset((leg.caller, leg.callee)) if bridged else leg.call_id
        other = calls.get(key)
        if other is None:
            calls[key] = leg
            continue
        older, newer = sorted(
            (other, leg), key=lambda c: c.started_at if c.started_at is not None else math.inf
        )
        calls[key] = older._replace(
            extension=older.extension or newer.extension,
            unique_id=older.unique_id or newer.unique_id,
        )
    return tuple(calls.values())


# -- pushed events -----------------------------------------------------------------------------

_DIALSTATUS_ANSWER = "ANSWER"
_CDR_ANSWERED = "ANSWERED"
_CC_CDR_ANSWERED_STATES = frozenset({"bridged", "feedback"})  # talked to an agent (then maybe rated)
_CC_CDR_MISSED_STATES = frozenset({"queue", "ivr"})  # ended before an agent answered
_SNIPPET = 40


def _epoch(text: str) -> float | None:
    try:
        value = float(text.strip())
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _shown(value: Any) -> str:
    """A short, printable rendering of a hostile value for an error message."""
    text = value if isinstance(value, str) else type(value).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text[:_SNIPPET])
    return text + ("…" if isinstance(value, str) and len(value) > _SNIPPET else "")


def push_events(payload: Any) -> list[PushEvent]:
    """One pushed body -> domain events; UnreadableReply (only) for anything this PBX would not send."""
    if not isinstance(payload, Mapping):
        raise UnreadableReply(f"push: a {type(payload).__name__} instead of an object")
    kind = payload.get("event")
    if not isinstance(kind, str) or not kind.strip():
        raise UnreadableReply("push: the body has no event name")
    # Start-up: the pushed events' wire models load with the first push, not with this module.
    from tui.vendors.coocenter.wire_push import PUSH_EVENT_MODELS

    model = PUSH_EVENT_MODELS.get(kind.strip().lower())
    if model is None:
        raise UnreadableReply(f"push: unknown event {_shown(kind)!r}")
    problem = ""
    try:
        return _events_of(model.model_validate(dict(payload)))
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
        place = ".".join(str(part) for part in first["loc"]) or "body"
        problem = f"push {model.__name__}: unexpected body ({place}: {first['type']})"
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        problem = f"push {model.__name__}: unreadable body ({type(exc).__name__})"
    raise UnreadableReply(problem)


def _events_of(event: PushEventBase) -> list[PushEvent]:
    from tui.vendors.coocenter.wire_push import (
        CcCdrEvent,
        CdrEvent,
        DialBeginEvent,
        DialEndEvent,
        ExtensionStatusEvent,
        HangupEvent,
    )

    match event:
        case DialBeginEvent():
            return [
                CallStarted(
                    call_id=event.channel,
                    caller=event.calleridnum,
                    callee=event.destcalleridnum,
                    unique_id=event.uniqueid or None,
                    channel=event.channel,
                    extension=channel_extension(event.destchannel),
                    at=_epoch(event.timestamp),
                )
            ]
        case DialEndEvent() if event.dialstatus.strip().upper() == _DIALSTATUS_ANSWER:
            return [CallAnswered(call_id=event.channel, unique_id=event.uniqueid or None)]
        case DialEndEvent():
            return [
                CallEnded(
                    call_id=event.channel,
                    unique_id=event.uniqueid or None,
                    caller=event.calleridnum or None,
                    callee=event.destcalleridnum or None,
                )
            ]
        case HangupEvent():
            return [
                CallEnded(
                    unique_id=event.uniqueid or None,
                    caller=event.calleridnum or None,
                    callee=event.connectedlinenum or None,
                )
            ]
        case ExtensionStatusEvent():
            state, label = agent_state(event.status)
            return [ExtensionStateChanged(extension=event.exten, state=state, label=label)]
        case CdrEvent():
            return [_cdr_record(event)]
        case CcCdrEvent():
            return [_cc_cdr_record(event)]
    return []  # ivr: documented, but nothing on the boards depends on it


def _cdr_record(event: CdrEvent) -> CallRecorded:
    disposition = event.disposition.strip()
    answered = disposition.upper() == _CDR_ANSWERED if disposition else None
    parts = [f"{event.source or '?'} → {event.destination or '?'}", disposition]
    if event.billableseconds:
        parts.append(f"{event.billableseconds} s")
    return CallRecorded(
        call_id=event.uniqueid, queue=None, answered=answered, detail=", ".join(p for p in parts if p)
    )


def _cc_cdr_record(event: CcCdrEvent) -> CallRecorded:
    state = event.cdrState.strip().lower()
    if event.missCause.strip() or state in _CC_CDR_MISSED_STATES:
        answered: bool | None = False
    elif state in _CC_CDR_ANSWERED_STATES:
        answered = True
    else:
        answered = None
    parts = [
        f"{event.caller or '?'} → {event.called or '?'}",
        f"agent {event.agentCode}" if event.agentCode else "",
        event.cdrState,
        event.missCause,
    ]
    return CallRecorded(
        call_id=event.uuid,
        queue=event.queueCode or None,
        answered=answered,
        detail=", ".join(p for p in parts if p),
    )


def _done(reply: W.Envelope, fallback: str) -> ActionResult:
    """A successful command: the PBX's own words where it gave some."""
    return ActionResult(ok=True, message=(reply.message or "").strip() or fallback)


def _required(value: str | None, problem: str) -> str:
    text = (value or "").strip()
    if not text:
        raise VendorRejected(problem)
    return text


class CoocenterVendor(Vendor):
    """A ZYCOO CooCenter PBX, spoken to through `CoocenterClient`."""

    name = "coocenter"
    display_name = "coocenter-api"
    capabilities = frozenset(
        {
            Capability.QUEUES,
            Capability.QUEUE_PAUSE,
            Capability.QUEUE_AGENT_LOGIN,
            Capability.SIP,
            Capability.CALLS,
            Capability.BLACKLIST,
            Capability.PUSH,
        }
    )
    api_capabilities = capabilities

    def __init__(
        self,
        *,
        base_url: str,
        webkey: SecretStr | None = None,
        timeout: float = 10.0,
        verify_tls: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        pbx_timezone: str | None = None,
        queues: Sequence[str] = (),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        # Queue numbers to watch, in order, duplicates dropped; empty = every queue of queue-info.
        self.queues: tuple[str, ...] = tuple(dict.fromkeys(q.strip() for q in queues if q.strip()))
        self._clock = clock
        self.client = CoocenterClient(
            base_url,
            webkey=webkey,
            timeout=timeout,
            verify_tls=verify_tls,
            transport=transport,
            pbx_timezone=pbx_timezone,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"CoocenterVendor({self.client!r}, queues={list(self.queues)!r})"

    # -- session ---------------------------------------------------------------------------

    async def open(self) -> SessionInfo:
        """One cheap query proves the PBX answers and takes our WEBKEY; there is no login or MFA."""
        await self.client.queue_info()
        host = urlsplit(self.client.base_url).hostname or self.client.base_url
        return SessionInfo(account=host, mfa_passed=True, mfa_reason=None)

    async def close(self) -> None:
        try:
            await self.client.aclose()
        except Exception:  # closing must never fail the caller
            pass

    # -- queues ----------------------------------------------------------------------------

    async def fetch_queues(self) -> QueueBoard:
        """queue-info and extension-hints-status at once; either failing fails the board (after both
        have finished, so no request outlives the call)."""
        info, hints = await asyncio.gather(
            self.client.queue_info(), self.client.extension_hints_status(), return_exceptions=True
        )
        for result in (info, hints):
            if isinstance(result, BaseException):
                raise result
        return queue_board(cast(W.QueueInfoReply, info), cast(list[W.ExtensionHint], hints), self.queues)

    async def set_agent_paused(self, queue_id: str, agent_id: str, paused: bool) -> ActionResult:
        member = member_extension(_required(agent_id, "no agent to pause"))
        reply = await self.client.agent_pause(_required(queue_id, "no queue given"), member, paused)
        verb = "paused" if paused else "unpaused"
        return _done(reply, f"{member} {verb} in queue {queue_id}")

    async def agent_login(self, queue_id: str, extension: str) -> ActionResult:
        queue = _required(queue_id, "no queue given")
        reply = await self.client.agent_login(queue, _required(extension, "no extension given"))
        return _done(reply, f"{extension} logged in to queue {queue}")

    async def agent_logout(self, queue_id: str, extension: str) -> ActionResult:
        queue = _required(queue_id, "no queue given")
        reply = await self.client.agent_logout(queue, _required(extension, "no extension given"))
        return _done(reply, f"{extension} logged out of queue {queue}")

    # -- SIP -------------------------------------------------------------------------------------

    async def fetch_sip(self) -> SipBoard:
        reply = await self.client.extension_status()
        return SipBoard(accounts=tuple(sip_account(peer) for peer in reply.data))

    # -- live calls --------------------------------------------------------------------------------

    async def fetch_calls(self) -> CallsBoard:
        reply = await self.client.current_calls()
        now = self._clock().timestamp()
        return CallsBoard(calls=merge_legs(live_call(call, now) for call in reply.data))

    async def hangup(self, call: LiveCall) -> ActionResult:
        extension = _required(call.extension, f"cannot hang up {call.call_id}: it is on no extension")
        return _done(await self.client.hangup(extension), f"hung up {extension}")

    async def transfer(self, call: LiveCall, to_extension: str) -> ActionResult:
        extension = _required(call.extension, f"cannot transfer {call.call_id}: it is on no extension")
        target = _required(to_extension, "no extension to transfer to")
        return _done(await self.client.transfer(extension, target), f"transferred {extension} to {target}")

    async def spy(self, call: LiveCall, listener_extension: str) -> ActionResult:
        extension = _required(call.extension, f"cannot listen to {call.call_id}: it is on no extension")
        listener = _required(listener_extension, "no extension to listen from")
        return _done(await self.client.exten_spy(listener, extension), f"{listener} listens to {extension}")

    async def click_to_call(self, source: str, destination: str) -> ActionResult:
        src = _required(source, "no extension to call from")
        dst = _required(destination, "no number to call")
        return _done(await self.client.click_number(src, dst), f"calling {src}, then {dst}")

    # -- blacklist ---------------------------------------------------------------------------------

    async def fetch_blacklist(self) -> Blacklist:
        reply = await self.client.blacklist_index()
        return Blacklist(numbers=tuple(reply.data))

    async def blacklist_add(self, number: str) -> ActionResult:
        target = _required(number, "no number to blacklist")
        return _done(await self.client.blacklist_create(target), f"{target} blacklisted")

    async def blacklist_remove(self, number: str) -> ActionResult:
        target = _required(number, "no number to remove from the blacklist")
        return _done(await self.client.blacklist_delete(target), f"{target} removed from the blacklist")

    # -- push events -------------------------------------------------------------------------------

    def parse_push(self, payload: Mapping[str, Any]) -> list[PushEvent]:
        try:
            return push_events(payload)
        except VendorError:
            raise
        except Exception as exc:  # the contract: hostile input gives UnreadableReply and nothing else
            problem = f"push: unreadable body ({type(exc).__name__})"
        raise UnreadableReply(problem)
