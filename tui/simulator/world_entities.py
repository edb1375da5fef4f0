"""The things a simulated call center is made of (vendor-neutral; facades choose the wire form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum


class DeviceState(StrEnum):
    """What an agent's phone is doing. Pause is per queue membership, not a device state."""

    IDLE = "idle"
    IN_CALL = "in call"
    BUSY = "busy"  # on a call that did not come from a queue
    UNAVAILABLE = "unavailable"
    RINGING = "ringing"
    ON_HOLD = "on hold"


class KickOutcome(StrEnum):
    OK = "OK"
    NOT_FOUND = "Call not found"


@dataclass(slots=True)
class Caller:
    """A caller waiting in a queue (still waiting while an agent's phone rings for them)."""

    call_id: str
    phone: str
    queue_id: str
    joined_at: datetime
    patience_s: float
    ringing_agent_id: str | None = None


@dataclass(slots=True)
class Agent:
    agent_id: str
    name: str
    phone: str  # what Yemot calls the agent: a phone number or SIP-<n>-<account>
    extension: str  # what PBX vendors call the agent
    state: DeviceState = DeviceState.IDLE
    state_until: datetime | None = None  # when a timed state (ring, talk, hold, busy, away) ends
    call: Caller | None = None  # the caller being rung or talked to
    call_started_at: datetime | None = None
    call_ends_at: datetime | None = None  # talk end, pushed back by time on hold


@dataclass(slots=True)
class Membership:
    """An agent's place in one queue."""

    queue_id: str
    agent_id: str
    penalty: int = 0
    paused: bool = False
    resume_at: datetime | None = None  # set when the agent paused on their own
    calls_taken: int = 0
    last_call: datetime | None = None  # end of the last queue call


@dataclass(slots=True)
class QueueStats:
    offered: int = 0
    completed: int = 0  # answered by an agent
    abandoned: int = 0  # the caller hung up while waiting
    kicked: int = 0  # removed by an operator
    hold_seconds_total: float = 0.0
    talk_seconds_total: float = 0.0
    talks_ended: int = 0

    @property
    def avg_hold_s(self) -> int:
        return round(self.hold_seconds_total / self.completed) if self.completed else 0

    @property
    def avg_talk_s(self) -> int:
        return round(self.talk_seconds_total / self.talks_ended) if self.talks_ended else 0


@dataclass(slots=True)
class Queue:
    queue_id: str
    name: str
    ivr_path: str  # the IVR extension that holds it, e.g. "/2/5"
    number: str  # its PBX number, e.g. "631"
    arrivals_per_min: float
    talk_mean_s: float = 150.0
    patience_mean_s: float = 150.0
    capacity: int = 0  # 0 = unlimited
    strategy: str = "ringall"
    members: list[Membership] = field(default_factory=list)
    waiting: list[Caller] = field(default_factory=list)
    stats: QueueStats = field(default_factory=QueueStats)

    def member(self, agent_id: str) -> Membership | None:
        return next((m for m in self.members if m.agent_id == agent_id), None)

    def caller(self, call_id: str) -> Caller | None:
        return next((c for c in self.waiting if c.call_id == call_id), None)


@dataclass(slots=True)
class CallbackQueue:
    """A queue where callers leave their number to be called back."""

    callback_id: int
    path: str  # where the caller registered
    queue_path: str  # the queue the callback is made from
    caller_id: str
    callback_times: str
    max_waiting_time_min: int
    max_waiting_customers: int
    open: bool
    requests_per_min: float


@dataclass(slots=True)
class CallbackRequest:
    request_id: int
    callback_id: int
    calling_number: str
    requested_at: datetime
    status: str = "waiting"
    attempts: int = 0
    last_attempt: datetime | None = None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorldEvent:
    """Something that happened, for the demo's activity log and for tests."""

    at: datetime
    kind: str
    queue_id: str | None
    detail: str


# -- the PBX side: extensions, SIP registrations and channels --------------------------------------

# A qualify reply slower than this makes a peer LAGGED (chan_sip's `qualify=<ms>`).
QUALIFY_MAX_MS = 1000


class SipStatus(StrEnum):
    """A SIP peer's state as the PBX sees it (chan_sip's words, without the latency)."""

    OK = "OK"
    LAGGED = "LAGGED"  # registered, answers qualify too slowly
    UNREACHABLE = "UNREACHABLE"  # registered, does not answer qualify
    UNKNOWN = "UNKNOWN"  # not registered


@dataclass(slots=True)
class Registration:
    """One phone's SIP registration (its contact) and the PBX's latest qualify result."""

    user_agent: str
    home_address: str  # where the phone registers from
    port: int
    expiry_s: int  # the expiry the phone asks for in every REGISTER
    base_latency_ms: float
    transport: str = "udp"
    address: str | None = None  # None: not registered ("-none-")
    registered_at: datetime | None = None
    expires_at: datetime | None = None
    reachable: bool = True
    latency_ms: int | None = None
    # The registrar's own schedule.
    refresh_at: datetime | None = None
    next_qualify_at: datetime | None = None
    back_at: datetime | None = None  # when a lapsed phone registers again (extensions without an agent)

    @property
    def registered(self) -> bool:
        return self.address is not None

    @property
    def online(self) -> bool:
        """Registered and answering qualify: the PBX can ring it."""
        return self.address is not None and self.reachable

    @property
    def status(self) -> SipStatus:
        if self.address is None:
            return SipStatus.UNKNOWN
        if not self.reachable or self.latency_ms is None:
            return SipStatus.UNREACHABLE
        return SipStatus.LAGGED if self.latency_ms > QUALIFY_MAX_MS else SipStatus.OK


@dataclass(slots=True)
class Extension:
    """A phone on the PBX. An agent's phone follows `Agent.state`; others keep their own `state`."""

    number: str
    name: str
    registration: Registration
    agent_id: str | None = None
    state: DeviceState = DeviceState.IDLE  # only for extensions without an agent
    unplugged: bool = False  # never registers (a phone that is switched off for good)

    def contact_uri(self) -> str | None:
        reg = self.registration
        return f"sip:{self.number}@{reg.address}:{reg.port}" if reg.address else None


class ChannelState(IntEnum):
    """Asterisk's channel states (the subset a call center shows)."""

    DOWN = 0
    RING = 4  # a phone that dialed out, waiting for the far end
    RINGING = 5  # a phone being rung
    UP = 6

    @property
    def desc(self) -> str:
        return {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}[self.value]


@dataclass(slots=True, eq=False)
class Channel:
    """One leg of a call: a local phone (`extension` set) or a trunk to the outside."""

    name: str  # "SIP/801-0000025a", "DAHDI/i1/0521234567-25b", "SIP/trunk-0000025c"
    uniqueid: str  # "1747206000.602"
    linkedid: str  # the uniqueid of the call's first channel
    number: str  # caller ID number of this leg
    display_name: str
    created_at: datetime
    state: ChannelState
    extension: str | None = None
    application: str = "Dial"
    peer: Channel | None = None  # the connected party, once there is one

    @property
    def connected_number(self) -> str:
        return self.peer.number if self.peer else ""

    @property
    def connected_name(self) -> str:
        return self.peer.display_name if self.peer else ""
