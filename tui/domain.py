"""Vendor-neutral models: the only shapes screens ever see.

Every vendor adapter maps its wire models onto these. They are immutable records, so that a feed
can compare two snapshots cheaply and a table can diff rows by key; a changed copy is
`record._replace(field=...)`.

They are NamedTuples: Python 3.11 builds a frozen dataclass from ~6 generated functions (~0.6 ms
each class, ~20 ms of every start for these), a NamedTuple from one; and they compare in C. Being
tuples, two records of different kinds with the same values compare equal: compare records of
one kind only. `ActionResult` stays a dataclass: its secret must stay out of its repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class AgentState(StrEnum):
    """What an agent's device is doing (pause is separate: see Agent.paused)."""

    IDLE = "idle"
    IN_CALL = "in call"
    BUSY = "busy"
    RINGING = "ringing"
    ON_HOLD = "on hold"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"

    @property
    def is_free(self) -> bool:
        return self is AgentState.IDLE

    @property
    def is_busy(self) -> bool:
        return self in (AgentState.IN_CALL, AgentState.BUSY, AgentState.RINGING, AgentState.ON_HOLD)


class Agent(NamedTuple):
    """One agent as a member of one queue (an agent in two queues is two rows)."""

    queue_id: str
    agent_id: str  # what the vendor's pause/unpause call takes
    name: str
    state: AgentState
    state_label: str  # e.g. "unknown (9)" for a code we do not know
    paused: bool
    calls_taken: int | None = None
    penalty: int | None = None
    last_call_seconds_ago: int | None = None
    logged_in: bool = True
    extension: str | None = None  # the agent's extension where the PBX has one (push events name it)

    @property
    def key(self) -> str:
        return f"{self.queue_id}\x1f{self.agent_id}"


class WaitingCaller(NamedTuple):
    queue_id: str
    call_id: str  # what the vendor's kick call takes
    caller: str
    position: int
    wait_seconds: int

    @property
    def key(self) -> str:
        return f"{self.queue_id}\x1f{self.call_id}"


class QueueSummary(NamedTuple):
    """Per-queue figures. None means the vendor does not give that figure."""

    queue_id: str
    name: str
    waiting: int | None
    longest_wait: int | None
    answered: int | None
    abandoned: int | None
    avg_hold: int | None = None
    avg_talk: int | None = None
    strategy: str | None = None


class CallbackRequest(NamedTuple):
    """A caller who asked to be called back."""

    request_id: str  # what the vendor's remove call takes
    queue_id: str
    caller: str
    status: str
    requested_at: datetime | None
    attempts: int
    last_attempt: str | None = None

    @property
    def key(self) -> str:
        return self.request_id


class QueueBoard(NamedTuple):
    """One snapshot of every watched queue of a profile."""

    queues: tuple[QueueSummary, ...]
    agents: tuple[Agent, ...]
    waiting: tuple[WaitingCaller, ...]
    # False when the vendor's API cannot list waiting callers at all (screens say so).
    lists_waiting: bool = True

    def agents_of(self, queue_id: str) -> list[Agent]:
        return [a for a in self.agents if a.queue_id == queue_id]

    def counts(self, queue_id: str) -> AgentCounts:
        free = busy = paused = 0
        for agent in self.agents_of(queue_id):
            if agent.paused:
                paused += 1
            elif agent.state.is_free:
                free += 1
            elif agent.state.is_busy:
                busy += 1
        return AgentCounts(free=free, busy=busy, paused=paused)


class AgentCounts(NamedTuple):
    free: int
    busy: int
    paused: int


class CallbackBoard(NamedTuple):
    requests: tuple[CallbackRequest, ...]


class ItemResult(NamedTuple):
    """The outcome of an action for one item (e.g. one call id of a kick)."""

    target: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What a vendor call did. `items` is filled where the vendor reports per item."""

    ok: bool
    message: str
    items: tuple[ItemResult, ...] = field(default_factory=tuple)
    # A secret the vendor handed back (e.g. a new SIP password): never shown, logged or audited;
    # the screen offers to copy it. repr=False keeps it out of tracebacks and logs.
    secret: str | None = field(default=None, repr=False, compare=False)
    retry_after: float | None = None  # the vendor asked us to wait this many seconds
    data: object = field(default=None, repr=False, compare=False)  # a typed answer, e.g. a CodeCheck


class SipAccount(NamedTuple):
    """A SIP account / extension and its registration. None = the vendor does not say."""

    account_id: str  # what the vendor's calls take (key)
    user: str  # the SIP user name or extension shown to people
    extension: str | None = None
    account_number: int | None = None
    kind: str | None = None  # e.g. "SIP", "IAX2"
    transport: str | None = None  # "udp", "wss", ...
    caller_id: str | None = None
    registered: bool | None = None
    status: str = ""  # the vendor's own words, e.g. "OK (45 ms)", "UNKNOWN"
    address: str | None = None  # IP address / via address
    latency_ms: int | None = None
    user_agent: str | None = None
    contact_uri: str | None = None
    expires_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.account_id


class SipBoard(NamedTuple):
    accounts: tuple[SipAccount, ...]
    account_limit: int | None = None


class LiveCall(NamedTuple):
    """A call in progress. `started_at` is epoch seconds, so a duration can be given as of any moment."""

    call_id: str  # the vendor's id of the call/channel (key)
    caller: str
    callee: str
    state: str  # e.g. "Up", "Ringing"
    started_at: float | None = None
    unique_id: str | None = None  # a second id some vendors' events use (Asterisk's uniqueid)
    caller_name: str | None = None
    callee_name: str | None = None
    channel: str | None = None
    extension: str | None = None  # our side of the call: what hang up / transfer / spy act on

    @property
    def key(self) -> str:
        return self.call_id


class CallsBoard(NamedTuple):
    calls: tuple[LiveCall, ...]


class Blacklist(NamedTuple):
    numbers: tuple[str, ...]


# -- events pushed by a vendor, already in domain terms ---------------------------------------


class ExtensionStateChanged(NamedTuple):
    """An extension's device state changed (agents with that extension change with it)."""

    extension: str
    state: AgentState
    label: str


class CallStarted(NamedTuple):
    """A call began (ringing). `call_id` is the same id `fetch_calls` gives that call."""

    call_id: str
    caller: str
    callee: str
    unique_id: str | None = None
    channel: str | None = None
    extension: str | None = None
    at: float | None = None  # epoch seconds


class CallAnswered(NamedTuple):
    call_id: str | None = None
    unique_id: str | None = None


class CallEnded(NamedTuple):
    """A call ended. Matched by call_id, else unique_id, else the (caller, callee) pair."""

    call_id: str | None = None
    unique_id: str | None = None
    caller: str | None = None
    callee: str | None = None


class CallRecorded(NamedTuple):
    """A finished call's record (CDR). Feeds use it as a hint that figures changed."""

    call_id: str
    queue: str | None = None
    answered: bool | None = None
    detail: str = ""


PushEvent = ExtensionStateChanged | CallStarted | CallAnswered | CallEnded | CallRecorded


# -- MFA and trust (Yemot's MFASession) ---------------------------------------------------------


class MfaStatus(NamedTuple):
    """isPass / try: whether this session passed two-factor verification, and how."""

    available: bool  # MFA can be performed at all (methods exist)
    passed: bool
    reason: str | None = None  # e.g. MFA_PASSED, INIT_WHITELIST_IPS, HAVE_ACTIVE_TRUST_TOKEN
    passed_in_session: bool = False  # a code was verified in this very session (hard verification)


class MfaMethod(NamedTuple):
    """A way to receive codes. `method_id` is valid for this listing only (the vendor rebuilds it)."""

    method_id: int  # what sendMFA takes (per request, never stored)
    stable_id: str | None  # what the method actions take (MFA_METHOD_ID); None for auto-offered ones
    status: str  # ACTIVE or PENDING
    origin: str  # CREATE_PHONE, RESET_MAIL, PROFILE, MASTER_LOGIN, BY_CUSTOMER
    kind: str  # PHONE or EMAIL (derived from the value)
    value: str  # masked before hard verification, e.g. "shmu•••@•••.co.il"
    send_types: tuple[str, ...]  # CALL, SMS, EMAIL; empty: no code can be sent on request
    note: str = ""
    expires: str | None = None
    last_used: str | None = None
    listing_key: str = ""  # stable across listings for a method without a stable id (see mfa_methods)

    @property
    def key(self) -> str:
        """The row's identity on screen: `method_id` changes with every listing, so it cannot be it."""
        return self.stable_id or self.listing_key or f"#{self.method_id}"

    @property
    def deletable(self) -> bool:
        """Only methods the customer added can be deleted (not profile, reseller or creating number)."""
        return self.origin == "BY_CUSTOMER"


class MfaMethods(NamedTuple):
    status: MfaStatus
    methods: tuple[MfaMethod, ...]


class CodeCheck(NamedTuple):
    """The answer to a code: VALID, UNVALID (try again) or OVERTRY (send a new code)."""

    status: str
    tries: int | None = None
    left: int | None = None
    message: str = ""

    @property
    def valid(self) -> bool:
        return self.status.upper() == "VALID"

    @property
    def over(self) -> bool:
        return self.status.upper() == "OVERTRY"


class TrustToken(NamedTuple):
    """A remember-me token."""

    token_id: str
    kind: str  # YM_CALL2ALL_WEBSITE or CUSTOMER_IP
    created_by: str | None
    created_at: str | None
    updated_by: str | None = None
    updated_at: str | None = None
    last_use: str | None = None
    note: str = ""

    @property
    def key(self) -> str:
        return self.token_id


class TrustBoard(NamedTuple):
    methods: tuple[MfaMethod, ...]
    tokens: tuple[TrustToken, ...]
    trusted_ips: tuple[str, ...]
    status: MfaStatus | None = None
    locked: bool = False  # tokens and IPs need a code verified in this session: not read


class TrustedIpsSaved(NamedTuple):
    ok_count: int
    saved: bool  # False: nothing changed
    valid: tuple[str, ...]
    errors: tuple[str, ...]


# -- campaigns ------------------------------------------------------------------------------------


class CampaignRequest(NamedTuple):
    """What to dial: numbers (already validated) or a list id ("tpl:12" / "tzl:3"), into an IVR path."""

    ivr_path: str
    phones: tuple[str, ...] = ()
    list_id: str | None = None
    caller_id: str | None = None
    timeout_s: int = 30


class CampaignLaunched(NamedTuple):
    campaign_id: str
    calls_count: int
    caller_id: str | None = None
    module: str | None = None
    per_call: float | None = None  # the vendor's own estimate per call
    timeout_s: int | None = None
    errors: tuple[ItemResult, ...] = ()  # numbers not dialled, with the vendor's reason


class Campaign(NamedTuple):
    campaign_id: str
    status: str  # RUNNING, PAUSED, STOPPING, STOPPED, FINISHED
    caller_id: str | None = None
    total: int | None = None
    pending: int | None = None
    active: int | None = None
    bridged: int | None = None
    done: int | None = None
    failed: int | None = None
    price: float | None = None
    paused: bool = False
    errors: tuple[ItemResult, ...] = ()

    @property
    def key(self) -> str:
        return self.campaign_id

    @property
    def progress(self) -> float | None:
        if not self.total:
            return None
        finished = (self.done or 0) + (self.failed or 0) + (self.bridged or 0)
        return min(1.0, finished / self.total)


class CampaignBoard(NamedTuple):
    campaigns: tuple[Campaign, ...]


# -- SMS ------------------------------------------------------------------------------------------


class SmsMessage(NamedTuple):
    """One incoming SMS. `text` is kept in logical order (bidi is for display only)."""

    message_id: str  # stable across polls (the vendor gives none: derived from the fields)
    received_at: datetime | None
    sender: str
    recipient: str
    text: str

    @property
    def key(self) -> str:
        return self.message_id


class SmsInbox(NamedTuple):
    messages: tuple[SmsMessage, ...]  # newest first


class SessionInfo(NamedTuple):
    """Who we are logged in as, and whether the session passed MFA."""

    account: str
    mfa_passed: bool
    mfa_reason: str | None = None
