"""Yemot HaMashiach as a `Vendor`: maps the wire models of `wire.py` onto `tui.domain`."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import SecretStr

from tui.domain import (
    ActionResult,
    Agent,
    AgentState,
    CallbackBoard,
    CallbackRequest,
    Campaign,
    CampaignBoard,
    CampaignLaunched,
    CampaignRequest,
    CodeCheck,
    ItemResult,
    MfaMethod,
    MfaMethods,
    MfaStatus,
    QueueBoard,
    QueueSummary,
    SessionInfo,
    SipAccount,
    SipBoard,
    SmsInbox,
    SmsMessage,
    TrustBoard,
    TrustedIpsSaved,
    TrustToken,
    WaitingCaller,
)
from tui.vendors.base import Capability, MfaRequired, Vendor, VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.client import YemotClient, is_past_stage
from tui.vendors.yemot.wire import (
    MFA_OVERTRY_MESSAGE,
    SIP_TRANSPORT_COMMANDS,
    BridgingReply,
    CallbackEntry,
    CallbackQueue,
    CallerIdApprovalReply,
    CampaignInfo,
    CodeCheckReply,
    IncomingSmsRow,
    MfaMethodRow,
    MfaStatusReply,
    QueueMember,
    QueueRealTimeReply,
    SipAccountRow,
    SipContext,
    SipRegistrationRow,
    TrustIpsSavedReply,
    TrustTokenRow,
)

log = logging.getLogger("callboard.vendor.yemot")

T = TypeVar("T")

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


def _callback_queue_id(queue: CallbackQueue) -> str:
    path = queue.queue_path or queue.path
    return A.a6_normal_path(path) if path else f"callback queue {queue.id}"


def _callback_request(queue_id: str, entry: CallbackEntry) -> CallbackRequest:
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


def _extension_refused(extension: int | None) -> ActionResult | None:
    """A SIP extension number is 200-10000 (1.1): anything else is refused without a request."""
    if extension is None or A.SIP_EXTENSION_MIN <= extension <= A.SIP_EXTENSION_MAX:
        return None
    message = f"a SIP extension number is {A.SIP_EXTENSION_MIN}-{A.SIP_EXTENSION_MAX}, not {extension}"
    return ActionResult(ok=False, message=message)


def _account_number(account_id: str) -> int | None:
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


# ---------------------------------------------------------------------------------------------


async def _gather_all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Run concurrently and wait for all; then raise the first failure, so none is dropped silently."""
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


class YemotVendor(Vendor):
    """A Yemot system (call2all), spoken to through `YemotClient`."""

    name = "yemot"
    display_name = "Yemot HaMashiach"
    capabilities = frozenset(
        {
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
    )
    api_capabilities = capabilities

    def __init__(
        self,
        *,
        base_url: str,
        username: str | None = None,
        password: SecretStr | str | None = None,
        token: SecretStr | str | None = None,
        queues: Sequence[str] = (),
        timeout: float = 10.0,
        verify_tls: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._username = username or None
        # The SMS inbox held between polls (newest first): later polls ask only for what is newer.
        self._inbox: tuple[SmsMessage, ...] = ()
        self._inbox_loaded = False
        # Campaigns launched from here, followed after they leave GetActiveCampaigns (last known row).
        self._followed: dict[str, Campaign | None] = {}
        # Watched queues in canonical "/2/5" form, duplicates (in any spelling) dropped.
        self.queues: tuple[str, ...] = tuple(dict.fromkeys(A.a6_normal_path(q) for q in queues))
        self.client = YemotClient(
            base_url,
            username=username,
            password=password,
            token=token,
            timeout=timeout,
            verify_tls=verify_tls,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"YemotVendor({self.client!r}, queues={list(self.queues)!r})"

    # -- session ---------------------------------------------------------------------------

    async def open(self) -> SessionInfo:
        """Log in (unless a session is open), isPass and, if not passed, `try`.

        A session that has not passed is reported, not raised. An open session is kept: MFA passes
        per session, so logging in again after a verification would throw the verification away.
        """
        if self.client.has_session:
            status = await self.client.mfa_is_pass()
            if not status.isPass:
                status = await self.client.mfa_try()
        else:
            status = await self.client.start_session()
        return SessionInfo(
            account=self._username or "token",
            mfa_passed=status.isPass,
            mfa_reason=status.passRessen,
        )

    async def close(self) -> None:
        try:
            await self.client.logout()
        except Exception:  # closing must never fail the caller; logout already ignores vendor errors
            pass
        try:
            await self.client.aclose()
        except Exception:
            pass

    # -- queues ----------------------------------------------------------------------------

    async def fetch_queues(self) -> QueueBoard:
        """GetQueueRealTime for every watched queue at once.

        With no queues configured, the queues are discovered from QueueCallBack getQueues'
        `queue_path`s (the only queue listing Yemot's API offers). Any failing queue fails the
        whole board: a board must not silently drop a queue.
        """
        paths = self.queues or await self._discover_queues()
        replies = await _gather_all(self.client.get_queue_real_time(path) for path in paths)
        summaries: list[QueueSummary] = []
        agents: list[Agent] = []
        waiting: list[WaitingCaller] = []
        for path, reply in zip(paths, replies, strict=True):
            summary, queue_agents, queue_waiting = queue_board_part(path, reply)
            summaries.append(summary)
            agents += queue_agents
            waiting += queue_waiting
        return QueueBoard(queues=tuple(summaries), agents=tuple(agents), waiting=tuple(waiting))

    async def _discover_queues(self) -> tuple[str, ...]:
        reply = await self.client.callback_queues()
        found = (q.queue_path for q in reply.callbackList if q.queue_path)
        return tuple(dict.fromkeys(A.a6_normal_path(path) for path in found))

    async def fetch_callbacks(self) -> CallbackBoard:
        """QueueCallBack getQueues, then getList of every callback queue at once."""
        queues = (await self.client.callback_queues()).callbackList
        lists = await _gather_all(self.client.callback_list(queue.id) for queue in queues)
        requests = [
            _callback_request(_callback_queue_id(queue), entry)
            for queue, reply in zip(queues, lists, strict=True)
            for entry in reply.callbackList
        ]
        return CallbackBoard(requests=tuple(requests))

    async def set_agent_paused(self, queue_id: str, agent_id: str, paused: bool) -> ActionResult:
        if paused:
            await self.client.queue_pause(queue_id, agent_id)
        else:
            await self.client.queue_unpause(queue_id, agent_id)
        verb = "paused" if paused else "unpaused"
        return ActionResult(ok=True, message=f"{agent_id} {verb} in {A.a6_normal_path(queue_id)}")

    async def kick_callers(self, queue_id: str, call_ids: list[str], goto: str | None = None) -> ActionResult:
        if not call_ids:
            return ActionResult(ok=False, message="no callers to kick")
        reply = await self.client.queue_kick(queue_id, call_ids, goto)
        return kick_result(call_ids, reply.status)

    async def remove_callback(self, request_id: str) -> ActionResult:
        try:
            numeric_id = int(request_id)
        except ValueError:
            return ActionResult(ok=False, message=f"not a Yemot callback id: {request_id!r}")
        reply = await self.client.callback_remove(numeric_id)
        detail = reply.callbackList or "OK"
        ok = detail.strip().upper() == "OK"
        return ActionResult(ok=ok, message=f"callback {request_id} removed" if ok else detail)

    # -- SIP ---------------------------------------------------------------------------------

    async def fetch_sip(self) -> SipBoard:
        """Accounts and registration states at once, then the contacts of the registered accounts.

        Accounts the registration call reports as not registered have no contact to read, so they
        cost no SipGetContexts request (a big system polls a handful, not a thousand). On a server
        without SIP every call answers the seed's error: NotSupported, with the vendor's message.
        """
        accounts_reply, registered_reply = await _gather_all(
            [self.client.sip_accounts(), self.client.sip_registered_status()]
        )
        registrations = {row.userName: row for row in registered_reply.accounts}
        rows = accounts_reply.accounts
        wanted = [row for row in rows if row.id not in registrations or registrations[row.id].registered]
        replies = await _gather_all(self.client.sip_contexts(row.accountNumber) for row in wanted)
        contexts = {row.accountNumber: reply.contexts for row, reply in zip(wanted, replies, strict=True)}
        accounts = tuple(
            sip_account(row, registrations.get(row.id), contexts.get(row.accountNumber, ())) for row in rows
        )
        return SipBoard(accounts=accounts, account_limit=accounts_reply.accountLimit)

    async def sip_create(self, extension: int | None) -> ActionResult:
        """CreateSipAccount. The new password travels only in `ActionResult.secret`."""
        refused = _extension_refused(extension)
        if refused is not None:
            return refused
        reply = await self.client.sip_create(extension)
        where = f" with extension {extension}" if extension is not None else ""
        return ActionResult(
            ok=True,
            message=f"created SIP account {reply.accountNumber} (user {reply.accountID}){where}",
            secret=reply.PASS.get_secret_value() if reply.PASS is not None else None,
        )

    async def sip_delete(self, account_ids: list[str]) -> ActionResult:
        numbers = [_account_number(account_id) for account_id in account_ids]
        valid = [n for n in numbers if n is not None]
        if not valid or len(valid) != len(numbers):
            return ActionResult(ok=False, message=f"not Yemot SIP account numbers: {account_ids!r}")
        reply = await self.client.sip_delete(valid)
        if reply.affected_rows is None:
            return ActionResult(ok=True, message=f"deleted SIP account(s) {', '.join(map(str, valid))}")
        ok = reply.affected_rows == len(valid)
        return ActionResult(ok=ok, message=f"deleted {reply.affected_rows} of {len(valid)} SIP account(s)")

    async def sip_set_transport(self, account_id: str, transport: str) -> ActionResult:
        number = _account_number(account_id)
        wanted = transport.strip().lower()
        if number is None:
            return ActionResult(ok=False, message=f"not a Yemot SIP account number: {account_id!r}")
        if wanted not in SIP_TRANSPORT_COMMANDS:
            return ActionResult(ok=False, message=f"Yemot SIP transports are UDP and WSS, not {transport!r}")
        if not await self.client.sip_set_transport(number, wanted):
            message = f"SIP account {number} already uses {wanted.upper()}: nothing changed"
            return ActionResult(ok=True, message=message)
        return ActionResult(ok=True, message=f"SIP account {number} now uses {wanted.upper()}")

    async def caller_id_approved(self, caller_id: str) -> ActionResult:
        return caller_id_result(caller_id, await self.client.caller_id_approved(caller_id))

    async def sip_set_caller_id(self, account_id: str, caller_id: str) -> ActionResult:
        number = _account_number(account_id)
        if number is None:
            return ActionResult(ok=False, message=f"not a Yemot SIP account number: {account_id!r}")
        await self.client.sip_set_caller_id(number, caller_id)
        return ActionResult(ok=True, message=f"SIP account {number} now calls out as {caller_id}")

    async def sip_set_extension(self, account_id: str, extension: int | None) -> ActionResult:
        """SipExtensionManagement Set (form-encoded, A11); None clears the extension number."""
        number = _account_number(account_id)
        if number is None:
            return ActionResult(ok=False, message=f"not a Yemot SIP account number: {account_id!r}")
        refused = _extension_refused(extension)
        if refused is not None:
            return refused
        reply = await self.client.sip_set_extension(number, extension)
        if extension is None:
            return ActionResult(ok=True, message=f"SIP account {number}: extension number cleared")
        now = reply.extNumber if reply.extNumber is not None else extension
        return ActionResult(ok=True, message=f"SIP account {number}: extension number {now}")

    # -- campaigns ---------------------------------------------------------------------------

    async def launch_campaign(self, request: CampaignRequest) -> CampaignLaunched:
        """CallExtensionBridging: the numbers as a JSON array, or the list id ("tpl:12"/"tzl:3")."""
        reply = await self.client.call_extension_bridging(
            ivr_path=request.ivr_path,
            phones=request.phones,
            list_id=None if request.phones else request.list_id,
            caller_id=request.caller_id,
            timeout_s=request.timeout_s,
        )
        launched = campaign_launched(reply)
        if launched.campaign_id:
            self._follow(launched.campaign_id)
        return launched

    def _follow(self, campaign_id: str) -> None:
        self._followed.pop(campaign_id, None)
        self._followed[campaign_id] = None
        while len(self._followed) > MAX_FOLLOWED_CAMPAIGNS:
            del self._followed[next(iter(self._followed))]

    async def fetch_campaigns(self) -> CampaignBoard:
        """GetActiveCampaigns, plus GetCampaignStatus where a listing lacks its counts and for the
        campaigns launched here once they leave the active list (until they reach a final state).

        Listed campaigns come first in the vendor's order, then followed ones, newest launch first.
        """
        listed = {info.campaignId: info for info in (await self.client.active_campaigns()).campaigns}
        lacking = [cid for cid, info in listed.items() if info.totalEntries is None]
        gone = [
            cid
            for cid, known in self._followed.items()
            if cid not in listed and (known is None or known.status not in FINAL_CAMPAIGN_STATES)
        ]
        asked = [*lacking, *gone]
        fetched = dict(
            zip(asked, await _gather_all(self._campaign_status(cid) for cid in asked), strict=True)
        )
        shown = {cid: campaign(fetched.get(cid) or info) for cid, info in listed.items()}
        followed: list[Campaign] = []
        for cid in reversed(list(self._followed)):  # no await below: the snapshot stays true
            if cid in shown:
                self._followed[cid] = shown[cid]
                continue
            if cid in gone:
                info = fetched.get(cid)
                if info is not None:
                    self._followed[cid] = campaign(info)
                elif self._followed[cid] is None:
                    del self._followed[cid]  # gone, and the vendor does not say what became of it
                    continue
            known = self._followed[cid]
            if known is not None:
                followed.append(known)
        return CampaignBoard(campaigns=(*shown.values(), *followed))

    async def _campaign_status(self, campaign_id: str) -> CampaignInfo | None:
        """The campaign with its failed entries; None when the vendor refuses to say."""
        try:
            return (await self.client.campaign_status(campaign_id, entries="failed")).campaign
        except VendorRejected as refused:
            log.debug("GetCampaignStatus %s refused: %s", campaign_id, refused.message)
        return None

    async def campaign_set_paused(self, campaign_id: str, paused: bool) -> ActionResult:
        """CampaignAction setPaused with value 1 (pause) or 0 (resume)."""
        reply = await self.client.campaign_action(campaign_id, "setPaused", 1 if paused else 0)
        verb = "paused" if paused else "resumed"
        return ActionResult(ok=True, message=f"campaign {campaign_id} {verb}{_now_in(reply.campaign)}")

    async def campaign_stop(self, campaign_id: str) -> ActionResult:
        reply = await self.client.campaign_action(campaign_id, "stop")
        message = f"campaign {campaign_id}: stop requested{_now_in(reply.campaign)}"
        return ActionResult(ok=True, message=message)

    # -- SMS -----------------------------------------------------------------------------------

    async def fetch_sms(self) -> SmsInbox:
        """GetIncomingSms: the last 3,000 first (A9's maximum), then only since the newest held.

        startDate is taken as inclusive, so the newest second is asked again and its messages are
        deduplicated by id; the inbox keeps at most 3,000 messages, newest first.
        """
        newest = next((m.received_at for m in self._inbox if m.received_at is not None), None)
        since = wire_time(newest) if self._inbox_loaded and newest is not None else None
        reply = await self.client.incoming_sms(A.A9_INCOMING_SMS_MAX, start_date=since)
        self._inbox = merge_inbox(sms_messages(reply.rows), self._inbox)
        self._inbox_loaded = True
        return SmsInbox(messages=self._inbox)

    # -- MFA and trust -------------------------------------------------------------------------
    # Every call uses the client's one session token: a code verified here counts "in this same
    # connection" (1.8). Only A4's re-login after expiry changes it, to a session not yet passed.

    async def mfa_status(self) -> MfaStatus:
        return mfa_status(await self.client.mfa_is_pass())

    async def mfa_try(self) -> MfaStatus:
        """`try`; a session that had already passed gets A3's past-stage reply: its isPass then."""
        return mfa_status(await self.client.mfa_try())

    async def mfa_methods(self) -> MfaMethods:
        reply = await self.client.mfa_methods()
        return MfaMethods(
            status=mfa_status(reply), methods=tuple(mfa_method(row) for row in reply.mfaMethods)
        )

    async def mfa_send_code(self, method_id: int, channel: str, lang: str = "HE") -> ActionResult:
        """sendMFA; a "wait Ns" answer raises Throttled(wait_seconds=N)."""
        already = False
        try:
            await self.client.mfa_send(method_id, channel, lang)
        except VendorRejected as refused:
            if not is_past_stage(refused):
                raise
            already = True
        if already:  # raised here, outside the except block, so nothing is chained
            raise VendorRejected("this session is already verified: no code is needed")
        return ActionResult(ok=True, message=f"a code was sent by {channel.upper()}")

    async def mfa_verify(self, code: str, remember: bool = False, note: str = "") -> CodeCheck:
        """validMFA; with `remember` the vendor creates an IP remember-me token described by `note`."""
        return await self._code_check(self.client.mfa_valid(code, remember, note))

    async def fetch_trust(self) -> TrustBoard:
        """Methods, remember-me tokens and trusted IPs. Methods can always be listed; tokens and IPs
        need a code verified in this session (the vendor answers MFA_REQUIRED): then the board is
        `locked` and the screen offers the verification, rather than an error."""
        methods = await self.client.mfa_methods()
        status = mfa_status(methods)
        board = TrustBoard(
            methods=tuple(mfa_method(row) for row in methods.mfaMethods),
            tokens=(),
            trusted_ips=(),
            status=status,
        )
        if not status.passed_in_session:
            return replace(board, locked=True)
        try:
            tokens, ips = await _gather_all([self.client.mfa_trust_tokens(), self.client.mfa_trust_ips()])
        except MfaRequired:
            return replace(board, locked=True)
        return replace(
            board,
            tokens=tuple(trust_token(row) for row in tokens.trustTokens),
            trusted_ips=tuple(ips.trustIps),
        )

    async def mfa_add_method(self, kind: str, value: str, note: str, expires: datetime) -> ActionResult:
        """addMethod: the method is pending until verified; its stable id is the result's one item."""
        wanted = kind.strip().upper()
        if wanted not in ("PHONE", "EMAIL"):
            return ActionResult(ok=False, message=f"a method is a PHONE or an EMAIL, not {kind!r}")
        reply = await self.client.mfa_add_method(wanted, value, note, wire_time(expires))
        if reply.methodId is None:
            return ActionResult(ok=True, message=f"{wanted.lower()} method added, pending verification")
        return ActionResult(
            ok=True,
            message=f"{wanted.lower()} method {reply.methodId} added, pending verification",
            items=(ItemResult(target=reply.methodId, ok=True, detail="pending verification"),),
        )

    async def mfa_resend_method_code(self, stable_id: str, channel: str, lang: str = "HE") -> ActionResult:
        await self.client.mfa_revalid_method(stable_id, channel, lang)
        return ActionResult(ok=True, message=f"a code for method {stable_id} was sent by {channel.upper()}")

    async def mfa_verify_method(self, stable_id: str, code: str) -> CodeCheck:
        return await self._code_check(self.client.mfa_valid_method(stable_id, code))

    async def _code_check(self, request: Awaitable[CodeCheckReply]) -> CodeCheck:
        """A checked code. A refusal "over trys" (as an error reply) becomes OVERTRY: send a new code."""
        overtry: str | None = None
        try:
            return code_check(await request)
        except VendorRejected as refused:
            if MFA_OVERTRY_MESSAGE.lower() not in refused.message.lower():
                raise
            overtry = refused.message
        return CodeCheck(status="OVERTRY", message=overtry)

    async def mfa_delete_method(self, stable_id: str) -> ActionResult:
        await self.client.mfa_delete_method(stable_id)
        return ActionResult(ok=True, message=f"method {stable_id} deleted")

    async def delete_trust_token(self, token_id: str) -> ActionResult:
        await self.client.mfa_delete_trust_token(token_id)
        return ActionResult(ok=True, message=f"remember-me token {token_id} deleted")

    async def set_trusted_ips(self, ips: list[str]) -> TrustedIpsSaved:
        """setMFATrustIps with the whole list (an array, so JSON)."""
        return trusted_ips_saved(await self.client.mfa_set_trust_ips(ips))


def _now_in(info: CampaignInfo | None) -> str:
    """ " (now STOPPING)" from a CampaignAction reply's campaign, when it has a status."""
    if info is None or not (info.campaignStatus or "").strip():
        return ""
    return f" (now {campaign_status(info.campaignStatus, info.paused)})"
