"""The vendor protocol every dialect implements, its capabilities and its typed errors.

Screens and the service layer talk to vendors only through `Vendor`; what a vendor can do is
declared in `capabilities` (SPEC §6) and a capability it lacks is absent, never faked.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from tui.domain import (
    ActionResult,
    Blacklist,
    CallbackBoard,
    CallsBoard,
    CampaignBoard,
    CampaignLaunched,
    CampaignRequest,
    CodeCheck,
    LiveCall,
    MfaMethods,
    MfaStatus,
    PushEvent,
    QueueBoard,
    SessionInfo,
    SipBoard,
    SmsInbox,
    TrustBoard,
    TrustedIpsSaved,
)


class Capability(StrEnum):
    QUEUES = "queues"  # queue members/agents and per-queue figures
    QUEUE_WAITING = "queue_waiting"  # the API lists waiting callers
    QUEUE_PAUSE = "queue_pause"  # pause/unpause an agent
    QUEUE_KICK = "queue_kick"  # remove a waiting caller (optionally to an extension)
    QUEUE_AGENT_LOGIN = "queue_agent_login"
    QUEUE_CALLBACKS = "queue_callbacks"  # callback requests: list, remove
    SIP = "sip"  # list accounts/extensions and their registration
    SIP_MANAGE = "sip_manage"  # create, delete, transport, caller ID, extension
    CAMPAIGNS = "campaigns"
    SMS = "sms"
    CALLS = "calls"
    BLACKLIST = "blacklist"
    MFA = "mfa"
    PUSH = "push"


# ---------------------------------------------------------------------------------------------
# Errors. Messages never contain a secret: they are shown on screen and written to logs.


class VendorError(Exception):
    """Base of every error a vendor call raises. `str()` is safe to show."""

    retryable = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadCredentials(VendorError):
    """The vendor refused the username/password/token. Retrying will not help."""

    retryable = False


class MfaRequired(VendorError):
    """The session has not passed two-factor verification."""

    retryable = False


class Throttled(VendorError):
    """The vendor asked us to wait `wait_seconds` before trying again."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class VendorRejected(VendorError):
    """The vendor answered with an error of its own (its message kept verbatim)."""


class NotSupported(VendorError):
    """The vendor's API has no such feature (or the server has it switched off)."""

    retryable = False


class TransportError(VendorError):
    """The request did not get an answer: refused, timed out, reset, TLS failure, HTTP 5xx."""


class UnreadableReply(VendorError):
    """An answer came but could not be understood: HTML, truncated JSON, wrong types."""


# ---------------------------------------------------------------------------------------------


class Vendor(abc.ABC):
    """One profile's connection to one phone system.

    Implementations own their HTTP client (one per profile) and translate wire to domain.
    Methods for capabilities the vendor lacks raise NotSupported.
    """

    #: short id used in config files, e.g. "yemot"
    name: str = ""
    #: what people call it, e.g. "Yemot HaMashiach"
    display_name: str = ""
    #: what this adapter implements
    capabilities: frozenset[Capability] = frozenset()
    #: what the vendor's API offers at all (SPEC §6); a capability here but not above is not built yet
    api_capabilities: frozenset[Capability] = frozenset()

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _unsupported(self, what: str) -> NotSupported:
        return NotSupported(f"{self.display_name} has no {what} API")

    def lacks(self, capability: Capability, what: str) -> str:
        """The plain sentence a screen shows for a capability this adapter does not have."""
        if capability in self.api_capabilities:
            return f"The {self.display_name} {what} screen is not available in this version of Callboard yet."
        return f"{self.display_name} has no {what} API."

    # -- session ---------------------------------------------------------------------------
    @abc.abstractmethod
    async def open(self) -> SessionInfo:
        """Log in (where the vendor has sessions) and report whether MFA has passed."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Log out where that is cheap, and close the HTTP client. Never raises."""

    # -- queues ----------------------------------------------------------------------------
    async def fetch_queues(self) -> QueueBoard:
        raise self._unsupported("queue")

    async def fetch_callbacks(self) -> CallbackBoard:
        raise self._unsupported("callback-request")

    async def set_agent_paused(self, queue_id: str, agent_id: str, paused: bool) -> ActionResult:
        raise self._unsupported("agent pause")

    async def kick_callers(self, queue_id: str, call_ids: list[str], goto: str | None = None) -> ActionResult:
        raise self._unsupported("queue kick")

    async def remove_callback(self, request_id: str) -> ActionResult:
        raise self._unsupported("callback-request")

    async def agent_login(self, queue_id: str, extension: str) -> ActionResult:
        raise self._unsupported("agent login")

    async def agent_logout(self, queue_id: str, extension: str) -> ActionResult:
        raise self._unsupported("agent logout")

    # -- SIP -------------------------------------------------------------------------------------
    async def fetch_sip(self) -> SipBoard:
        raise self._unsupported("SIP")

    async def sip_create(self, extension: int | None) -> ActionResult:
        """Create an account (optionally with an extension number); the result names it. Its password
        is returned only in `ActionResult.secret` — never in the message."""
        raise self._unsupported("SIP")

    async def sip_delete(self, account_ids: list[str]) -> ActionResult:
        raise self._unsupported("SIP")

    async def sip_set_transport(self, account_id: str, transport: str) -> ActionResult:
        """`transport` is "udp" or "wss"."""
        raise self._unsupported("SIP")

    async def caller_id_approved(self, caller_id: str) -> ActionResult:
        """Is this number approved as an outgoing caller ID? ok=False carries the vendor's reason."""
        raise self._unsupported("caller-ID approval")

    async def sip_set_caller_id(self, account_id: str, caller_id: str) -> ActionResult:
        raise self._unsupported("SIP")

    async def sip_set_extension(self, account_id: str, extension: int | None) -> ActionResult:
        """Set or (None) clear the account's internal extension number."""
        raise self._unsupported("SIP")

    # -- campaigns ---------------------------------------------------------------------------------
    async def launch_campaign(self, request: CampaignRequest) -> CampaignLaunched:
        raise self._unsupported("campaign")

    async def fetch_campaigns(self) -> CampaignBoard:
        raise self._unsupported("campaign")

    async def campaign_set_paused(self, campaign_id: str, paused: bool) -> ActionResult:
        raise self._unsupported("campaign control")

    async def campaign_stop(self, campaign_id: str) -> ActionResult:
        raise self._unsupported("campaign control")

    # -- SMS ---------------------------------------------------------------------------------------
    async def fetch_sms(self) -> SmsInbox:
        raise self._unsupported("incoming-SMS")

    # -- MFA and trust -----------------------------------------------------------------------------
    async def mfa_status(self) -> MfaStatus:
        raise self._unsupported("MFA")

    async def mfa_try(self) -> MfaStatus:
        raise self._unsupported("MFA")

    async def mfa_methods(self) -> MfaMethods:
        raise self._unsupported("MFA")

    async def mfa_send_code(self, method_id: int, channel: str, lang: str = "HE") -> ActionResult:
        """Send a code by CALL, SMS or EMAIL. Raises Throttled with the vendor's wait."""
        raise self._unsupported("MFA")

    async def mfa_verify(self, code: str, remember: bool = False, note: str = "") -> CodeCheck:
        raise self._unsupported("MFA")

    async def fetch_trust(self) -> TrustBoard:
        """Methods, remember-me tokens and trusted IPs (needs verification in this session)."""
        raise self._unsupported("MFA trust-management")

    async def mfa_add_method(self, kind: str, value: str, note: str, expires: datetime) -> ActionResult:
        raise self._unsupported("MFA trust-management")

    async def mfa_resend_method_code(self, stable_id: str, channel: str, lang: str = "HE") -> ActionResult:
        raise self._unsupported("MFA trust-management")

    async def mfa_verify_method(self, stable_id: str, code: str) -> CodeCheck:
        raise self._unsupported("MFA trust-management")

    async def mfa_delete_method(self, stable_id: str) -> ActionResult:
        raise self._unsupported("MFA trust-management")

    async def delete_trust_token(self, token_id: str) -> ActionResult:
        raise self._unsupported("MFA trust-management")

    async def set_trusted_ips(self, ips: list[str]) -> TrustedIpsSaved:
        raise self._unsupported("MFA trust-management")

    # -- live calls --------------------------------------------------------------------------------
    async def fetch_calls(self) -> CallsBoard:
        raise self._unsupported("live-calls")

    async def hangup(self, call: LiveCall) -> ActionResult:
        raise self._unsupported("hang-up")

    async def transfer(self, call: LiveCall, to_extension: str) -> ActionResult:
        raise self._unsupported("transfer")

    async def spy(self, call: LiveCall, listener_extension: str) -> ActionResult:
        raise self._unsupported("listen (spy)")

    async def click_to_call(self, source: str, destination: str) -> ActionResult:
        raise self._unsupported("click-to-call")

    # -- blacklist ---------------------------------------------------------------------------------
    async def fetch_blacklist(self) -> Blacklist:
        raise self._unsupported("blacklist")

    async def blacklist_add(self, number: str) -> ActionResult:
        raise self._unsupported("blacklist")

    async def blacklist_remove(self, number: str) -> ActionResult:
        raise self._unsupported("blacklist")

    # -- push events -------------------------------------------------------------------------------
    def parse_push(self, payload: Mapping[str, Any]) -> list[PushEvent]:
        """Turn one pushed body (already decoded to a mapping) into domain events.

        Raises UnreadableReply for a body this vendor would never send; unknown event kinds that
        the vendor documents but the console does not use give an empty list.
        """
        raise self._unsupported("push-event")
