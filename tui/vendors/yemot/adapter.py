"""Yemot HaMashiach as a `Vendor`: calls the client, maps the replies with `mapping.py`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import httpx
from pydantic import SecretStr

from tui.domain import (
    ActionResult,
    Agent,
    CallbackBoard,
    Campaign,
    CampaignBoard,
    CampaignLaunched,
    CampaignRequest,
    CodeCheck,
    ItemResult,
    MfaMethods,
    MfaStatus,
    QueueBoard,
    QueueSummary,
    SessionInfo,
    SipBoard,
    SmsInbox,
    SmsMessage,
    TrustBoard,
    TrustedIpsSaved,
    WaitingCaller,
)
from tui.vendors.base import Capability, MfaRequired, Vendor, VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.client import YemotClient, is_past_stage
from tui.vendors.yemot.mapping import (
    FINAL_CAMPAIGN_STATES,
    MAX_FOLLOWED_CAMPAIGNS,
    account_number,
    callback_queue_id,
    callback_request,
    caller_id_result,
    campaign,
    campaign_launched,
    campaign_status,
    code_check,
    extension_refused,
    kick_result,
    merge_inbox,
    mfa_methods,
    mfa_status,
    queue_board_part,
    sip_account,
    sms_messages,
    trust_token,
    trusted_ips_saved,
    wire_time,
)

if TYPE_CHECKING:
    from tui.vendors.yemot.wire_campaigns import CampaignInfo
    from tui.vendors.yemot.wire_mfa import CodeCheckReply

log = logging.getLogger("callboard.vendor.yemot")

T = TypeVar("T")


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
            callback_request(callback_queue_id(queue), entry)
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
        refused = extension_refused(extension)
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
        numbers = [account_number(account_id) for account_id in account_ids]
        valid = [n for n in numbers if n is not None]
        if not valid or len(valid) != len(numbers):
            return ActionResult(ok=False, message=f"not Yemot SIP account numbers: {account_ids!r}")
        reply = await self.client.sip_delete(valid)
        if reply.affected_rows is None:
            return ActionResult(ok=True, message=f"deleted SIP account(s) {', '.join(map(str, valid))}")
        ok = reply.affected_rows == len(valid)
        return ActionResult(ok=ok, message=f"deleted {reply.affected_rows} of {len(valid)} SIP account(s)")

    async def sip_set_transport(self, account_id: str, transport: str) -> ActionResult:
        number = account_number(account_id)
        # Start-up: each API family's wire models load with its first request, not with this module.
        from tui.vendors.yemot.wire_sip import SIP_TRANSPORT_COMMANDS

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
        number = account_number(account_id)
        if number is None:
            return ActionResult(ok=False, message=f"not a Yemot SIP account number: {account_id!r}")
        await self.client.sip_set_caller_id(number, caller_id)
        return ActionResult(ok=True, message=f"SIP account {number} now calls out as {caller_id}")

    async def sip_set_extension(self, account_id: str, extension: int | None) -> ActionResult:
        """SipExtensionManagement Set (form-encoded, A11); None clears the extension number."""
        number = account_number(account_id)
        if number is None:
            return ActionResult(ok=False, message=f"not a Yemot SIP account number: {account_id!r}")
        refused = extension_refused(extension)
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
        return MfaMethods(status=mfa_status(reply), methods=mfa_methods(reply.mfaMethods))

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
            methods=mfa_methods(methods.mfaMethods),
            tokens=(),
            trusted_ips=(),
            status=status,
        )
        if not status.passed_in_session:
            return board._replace(locked=True)
        try:
            tokens, ips = await _gather_all([self.client.mfa_trust_tokens(), self.client.mfa_trust_ips()])
        except MfaRequired:
            return board._replace(locked=True)
        return board._replace(
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
        from tui.vendors.yemot.wire_mfa import MFA_OVERTRY_MESSAGE

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
