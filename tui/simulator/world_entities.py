"""The things a simulated call center is made of (vendor-neutral; facades choose the wire form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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
