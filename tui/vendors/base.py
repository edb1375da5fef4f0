"""The vendor protocol every dialect implements, its capabilities and its typed errors.

Screens and the service layer talk to vendors only through `Vendor`; what a vendor can do is
declared in `capabilities` (SPEC §6) and a capability it lacks is absent, never faked.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from tui.domain import (
    ActionResult,
    Blacklist,
    CallbackBoard,
    CallsBoard,
    LiveCall,
    PushEvent,
    QueueBoard,
    SessionInfo,
    SipBoard,
)


class Capability(StrEnum):
    QUEUES = "queues"  # queue members/agents and per-queue figures
    QUEUE_WAITING = "queue_waiting"  # the API lists waiting callers
    QUEUE_PAUSE = "queue_pause"  # pause/unpause an agent
    QUEUE_KICK = "queue_kick"  # remove a waiting caller (optionally to an extension)
    QUEUE_AGENT_LOGIN = "queue_agent_login"
    QUEUE_CALLBACKS = "queue_callbacks"  # callback requests: list, remove
    SIP = "sip"
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
