"""Yemot wire models -> the vendor-neutral domain: pure functions, one subject a section."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.domain import (
    ActionResult,
    Agent,
    AgentState,
    CallbackRequest,
    Campaign,
    CampaignLaunched,
    CodeCheck,
    ItemResult,
    MfaMethod,
    MfaStatus,
    QueueSummary,
    SipAccount,
    SmsMessage,
    TrustedIpsSaved,
    TrustToken,
    WaitingCaller,
)
from tui.vendors.yemot import assumptions as A

if TYPE_CHECKING:
    from tui.vendors.yemot.wire import (
        CallbackEntry,
        CallbackQueue,
        MfaStatusReply,
        QueueMember,
        QueueRealTimeReply,
    )
    from tui.vendors.yemot.wire_campaigns import BridgingReply, CampaignInfo
    from tui.vendors.yemot.wire_mfa import CodeCheckReply, MfaMethodRow, TrustIpsSavedReply, TrustTokenRow
    from tui.vendors.yemot.wire_sip import (
        CallerIdApprovalReply,
        SipAccountRow,
        SipContext,
        SipRegistrationRow,
    )
    from tui.vendors.yemot.wire_sms import IncomingSmsRow

log = logging.getLogger("callboard.vendor.yemot")


# A2: member "Status" codes -> what the device is doing.
_AGENT_STATES: dict[str, AgentState] = {
    A.A2_STATUS_IDLE: AgentState.IDLE,
    A.A2_STATUS_IN_CALL: AgentState.IN_CALL,
    A.A2_STATUS_BUSY: AgentState.BUSY,
    A.A2_STATUS_UNAVAILABLE: AgentState.UNAVAILABLE,
    A.A2_STATUS_RINGING: AgentState.RINGING,
    A.A2_STATUS_ON_HOLD: AgentState.ON_HOLD,
}


def _local_zone() -> tzinfo:
    """Yemot's zone-less dates are Israel time (2.8); UTC when the system has no tz database."""
    try:
        return ZoneInfo("Asia/Jerusalem")
    except ZoneInfoNotFoundError:
        return UTC


#: Yemot's zone-less date-time, in the order the seeds print it and RTL-flipped (A9, 2.8).
_LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%H:%M:%S %Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
#: what the vendor's date parameters take (startDate, newExpiredDate: "YYYY-MM-DD HH:mm:ss")
WIRE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_local_time(value: str | None) -> datetime | None:
    """A zone-less Yemot date-time (Israel local time, 2.8) as an aware datetime; None if unreadable."""
    if not value:
        return None
    text = value.strip()
    for pattern in _LOCAL_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=_local_zone())
        except ValueError:
            continue
    return None


def wire_time(moment: datetime) -> str:
    """A datetime as the vendor's local "YYYY-MM-DD HH:MM:SS"; a naive one is taken as Israel time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(_local_zone())
    return moment.strftime(WIRE_TIME_FORMAT)


def agent_state(code: str | None) -> tuple[AgentState, str]:
    """A2 code -> (state, label); an unknown code is shown as "unknown (N)"."""
    normal = (code or "").strip()
    state = _AGENT_STATES.get(normal)
    if state is not None:
        return state, A.A2_STATUS_NAMES[normal]
    return AgentState.UNKNOWN, f"unknown ({normal})" if normal else "unknown"


def parse_callback_time(value: str | None) -> datetime | None:
    """Callback `date_time` is ISO with "Z" (2.8); always returns an aware datetime, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_local_zone())


def queue_board_part(
    path: str, reply: QueueRealTimeReply
) -> tuple[QueueSummary, list[Agent], list[WaitingCaller]]:
    """One GetQueueRealTime reply -> its summary, agents and waiting callers (queue id = "/2/5")."""
    queue_id = A.a6_normal_path(path)
    data = reply.queueData
    waits = [entry.Wait for entry in reply.entries]
    summary = QueueSummary(
        queue_id=queue_id,
        name=queue_id,
        waiting=len(reply.entries) if reply.entries else (data.Calls or 0),
        longest_wait=max(waits, default=0),
        answered=data.Completed,
        abandoned=data.Abandoned,
        avg_hold=data.Holdtime,
        avg_talk=data.TalkTime,
        strategy=data.Strategy,
    )
    agents = [_agent(queue_id, member) for member in reply.members]
    waiting = [
        WaitingCaller(
            queue_id=queue_id,
            call_id=entry.CallId,
            caller=entry.phone,
            position=entry.Position if entry.Position is not None else index,
            wait_seconds=entry.Wait,
        )
        for index, entry in enumerate(reply.entries, start=1)
    ]
    waiting.sort(key=lambda caller: caller.position)
    return summary, agents, waiting


def _agent(queue_id: str, member: QueueMember) -> Agent:
    state, label = agent_state(member.Status)
    return Agent(
        queue_id=queue_id,
        agent_id=member.agent,
        name=member.agent,
        state=state,
        state_label=label,
        paused=member.Paused,
        calls_taken=member.CallsTaken,
        penalty=member.Penalty,
        last_call_seconds_ago=A.a1_ago_seconds(member.LastCallAgo),
    )


def callback_queue_id(queue: CallbackQueue) -> str:
    path = queue.queue_path or queue.path
    return A.a6_normal_path(path) if path else f"callback queue {queue.id}"


def callback_request(queue_id: str, entry: CallbackEntry) -> CallbackRequest:
    return CallbackRequest(
        request_id=str(entry.id),
        queue_id=queue_id,
        caller=entry.calling_number,
        status=entry.status or "",
        requested_at=parse_callback_time(entry.date_time),
        attempts=entry.attempts,
        last_attempt=entry.last_attempt,
    )


def kick_result(call_ids: Sequence[str], status: dict[str, str]) -> ActionResult:
    """QueueManagement kick's per-callId `status` -> per-item results; ok only if every item is "OK"."""
    items = [
        ItemResult(target=call_id, ok=status.get(call_id) == "OK", detail=status.get(call_id, "no status"))
        for call_id in call_ids
    ]
    items += [ItemResult(target=k, ok=v == "OK", detail=v) for k, v in status.items() if k not in call_ids]
    done = sum(item.ok for item in items)
    ok = bool(items) and done == len(items)
    return ActionResult(ok=ok, message=f"kicked {done} of {len(call_ids)}", items=tuple(items))


# -- SIP ---------------------------------------------------------------------------------------


#: GetSipAccountsInCustomer `transport` -> the domain's word
_TRANSPORTS = {A.SIP_TRANSPORT_UDP: "udp", A.SIP_TRANSPORT_WSS: "wss"}


def sip_transport(value: str | None) -> str | None:
    """ "transport-udp" -> "udp", "transport-wss" -> "wss"; another is kept without its prefix."""
    if not value or not value.strip():
        return None
    text = value.strip().lower()
    return _TRANSPORTS.get(text, text.removeprefix("transport-"))


def current_context(contexts: Sequence[SipContext]) -> SipContext | None:
    """The registration to show: the one expiring last (in principle there is only one, 1.1)."""
    if not contexts:
        return None
    floor = datetime.min.replace(tzinfo=UTC)
    return max(contexts, key=lambda c: parse_local_time(c.expiration_time) or floor)


def sip_account(
    row: SipAccountRow, registration: SipRegistrationRow | None, contexts: Sequence[SipContext]
) -> SipAccount:
    """One account of GetSipAccountsInCustomer with its registration state and current contact.

    The row's `password` is deliberately not read: a SIP password never enters a domain object.
    """
    context = current_context(contexts)
    registered = registration.registered if registration is not None else None
    status = {True: "registered", False: "not registered", None: "unknown"}[registered]
    return SipAccount(
        account_id=str(row.accountNumber),
        user=row.id,
        extension=str(row.customerExtension) if row.customerExtension is not None else None,
        account_number=row.accountNumber,
        transport=sip_transport(row.transport),
        caller_id=row.specialCallerID,
        registered=registered,
        status=status,
        address=context.via_addr if context else None,
        user_agent=context.user_agent if context else None,
        contact_uri=context.uri if context else None,
        expires_at=parse_local_time(context.expiration_time) if context else None,
    )


#: IsCallerIDApproved `reason` (1.2): the rule that decided, in words (when approved, when refused).
CALLER_ID_REASONS = {
    A.CALLER_ID_INVALID: ("", "not a valid caller ID"),
    A.CALLER_ID_SMS_ID: (
        "it is the system's SMS sender ID",
        "the system's SMS sender ID is locked: outgoing SMS may use only that ID",
    ),
    A.CALLER_ID_INCLUDE: (
        "it is on the system's list of authorised numbers",
        "it is not on the system's list of authorised numbers",
    ),
}


def caller_id_result(caller_id: str, reply: CallerIdApprovalReply) -> ActionResult:
    """ok = isApproved; the message names the parsed number and explains the vendor's reason."""
    number = reply.parsedCallerId or caller_id
    reason = (reply.reason or "").strip()
    when_approved, when_refused = CALLER_ID_REASONS.get(reason.upper(), (reason, reason))
    if reply.isApproved:
        why = f" ({when_approved})" if when_approved else ""
        return ActionResult(ok=True, message=f"{number} is approved as a caller ID{why}")
    why = f": {when_refused}" if when_refused else ""
    return ActionResult(ok=False, message=f"{number} is not approved as a caller ID{why}")


def extension_refused(extension: int | None) -> ActionResult | None:
    """A SIP extension number is 200-10000 (1.1): anything else is refused without a request."""
    if extension is None or A.SIP_EXTENSION_MIN <= extension <= A.SIP_EXTENSION_MAX:
        return None
    message = f"a SIP extension number is {A.SIP_EXTENSION_MIN}-{A.SIP_EXTENSION_MAX}, not {extension}"
    return ActionResult(ok=False, message=message)


def account_number(account_id: str) -> int | None:
    """Yemot's SIP account ids are account numbers ("1", "2", ...)."""
    text = str(account_id).strip()
    return int(text) if text.isdigit() else None


# -- campaigns ---------------------------------------------------------------------------------

#: campaign states after which nothing changes any more
FINAL_CAMPAIGN_STATES = frozenset(state.strip() for state in (A.CAMPAIGN_STOPPED, A.CAMPAIGN_FINISHED))
#: per-number outcomes shown as errors (the others are ordinary outcomes: busy, no answer, ...)
FAILED_ENTRY_STATES = frozenset({"failed", "error"})
#: campaigns launched here and followed with GetCampaignStatus after they leave the active list
MAX_FOLLOWED_CAMPAIGNS = 20


def campaign_status(value: str | None, paused: bool) -> str:
    """The vendor's status, stripped ("STOPPING " with a space is seen, 2.4) and upper-cased."""
    status = (value or "").strip().upper()
    return status or (A.CAMPAIGN_PAUSED.strip() if paused else "UNKNOWN")


def campaign(info: CampaignInfo) -> Campaign:
    errors = tuple(
        ItemResult(target=entry.phone, ok=False, detail=(entry.entryStatus or "").strip())
        for entry in info.entries
        if (entry.entryStatus or "").strip().lower() in FAILED_ENTRY_STATES
    )
    return Campaign(
        campaign_id=info.campaignId,
        status=campaign_status(info.campaignStatus, info.paused),
        caller_id=info.callerId or None,
        total=info.totalEntries,
        pending=info.pendingEntries,
        active=info.activeEntries,
        bridged=info.bridgedEntries,
        done=info.doneEntries,
        failed=info.failedEntries,
        price=info.currentPrice,
        paused=info.paused,
        errors=errors,
    )


def campaign_launched(reply: BridgingReply) -> CampaignLaunched:
    """CallExtensionBridging's reply; `errors` (a map, or `[]` when empty, A13) become per-number items."""
    return CampaignLaunched(
        campaign_id=reply.campaignId,
        calls_count=reply.callsCount,
        caller_id=reply.callerId or None,
        module=reply.module or None,
        per_call=reply.bilingPerCall,
        timeout_s=reply.callsTimeout,
        errors=tuple(ItemResult(target=phone, ok=False, detail=why) for phone, why in reply.errors.items()),
    )


# -- SMS ---------------------------------------------------------------------------------------


def sms_messages(rows: Sequence[IncomingSmsRow]) -> list[SmsMessage]:
    """GetIncomingSms rows -> messages, in the vendor's order (newest first, A9).

    The vendor gives no id: it is a hash of (receive_date, source, destination, message), so it is
    the same in every poll. A second identical message in one reply gets "#1" in its key.
    """
    seen: dict[str, int] = {}
    messages = []
    for row in rows:
        fields = "\x1f".join((row.receive_date or "", row.source, row.destination, row.message))
        occurrence = seen.get(fields, 0)
        seen[fields] = occurrence + 1
        key = fields if occurrence == 0 else f"{fields}#{occurrence}"
        messages.append(
            SmsMessage(
                message_id=hashlib.sha256(key.encode("utf-8")).hexdigest()[:20],
                received_at=parse_local_time(row.receive_date),
                sender=row.source,
                recipient=row.destination,
                text=row.message,
            )
        )
    return messages


def merge_inbox(
    fresh: Sequence[SmsMessage], held: Sequence[SmsMessage], cap: int = A.A9_INCOMING_SMS_MAX
) -> tuple[SmsMessage, ...]:
    """Fresh and held messages, deduplicated by id, newest first (undated last), at most `cap`."""
    merged = {m.message_id: m for m in held}
    merged.update((m.message_id, m) for m in fresh)
    order = {message_id: index for index, message_id in enumerate(m.message_id for m in (*fresh, *held))}

    def newest_first(message: SmsMessage) -> tuple[bool, float, int]:
        stamp = message.received_at.timestamp() if message.received_at else 0.0
        return (message.received_at is None, -stamp, order[message.message_id])

    return tuple(sorted(merged.values(), key=newest_first)[:cap])


# -- MFA and trust -----------------------------------------------------------------------------


def mfa_status(reply: MfaStatusReply) -> MfaStatus:
    return MfaStatus(
        available=reply.isAvailable if reply.isAvailable is not None else True,
        passed=reply.isPass,
        reason=reply.passRessen or None,
        passed_in_session=reply.isPassInThisSession,
    )


def mfa_method(row: MfaMethodRow) -> MfaMethod:
    """A getMFAMethods row. The kind is read from the value (masked e-mails keep their "@")."""
    return MfaMethod(
        method_id=row.ID,
        stable_id=row.MFA_METHOD_ID,
        status=(row.STATUS or "").strip().upper(),
        origin=(row.NIKE or "").strip().upper(),
        kind="EMAIL" if "@" in row.VALUE else "PHONE",
        value=row.VALUE,
        send_types=tuple(dict.fromkeys(t.strip().upper() for t in row.SEND_TYPE if t.strip())),
        note=row.NOTE or "",
        expires=row.EXPIRED_DATE or None,
        last_used=row.LAST_USED or None,
    )


def mfa_methods(rows: list[MfaMethodRow]) -> tuple[MfaMethod, ...]:
    """A getMFAMethods listing. Yemot numbers its rows anew on every listing, so a method without an
    MFA_METHOD_ID is known across listings by its origin and (masked) value; twins get "·2", "·3"...
    """
    methods, seen = [], {}
    for row in rows:
        method = mfa_method(row)
        base = f"{method.origin}:{method.value}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}·{seen[base]}"
        methods.append(method._replace(listing_key=key))
    return tuple(methods)


def code_check(reply: CodeCheckReply) -> CodeCheck:
    return CodeCheck(
        status=reply.mfa_valid_status.strip().upper(),
        tries=reply.mfa_valid_trys,
        left=reply.mfa_valid_left,
        message=reply.mfa_valid_message or "",
    )


def trust_token(row: TrustTokenRow) -> TrustToken:
    return TrustToken(
        token_id=row.id,
        kind=row.trust_key_type or "",
        created_by=row.create_by or None,
        created_at=row.create_date or None,
        updated_by=row.update_by or None,
        updated_at=row.update_date or None,
        last_use=row.last_use or None,
        note=row.trust_note or "",
    )


def trusted_ips_saved(reply: TrustIpsSavedReply) -> TrustedIpsSaved:
    return TrustedIpsSaved(
        ok_count=reply.okCount,
        saved=reply.save,
        valid=tuple(reply.valid_new_list),
        errors=tuple(reply.errors),
    )
