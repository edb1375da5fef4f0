"""What the world's PBX reports as it happens: typed events in a bounded log with sequence numbers.

The log only ever grows at its end and forgets its oldest events past `maxlen`. Each consumer (a
push sender, a test) keeps its own cursor, the next sequence number it wants, so several read the
same log independently; `since()` also says how many events a slow consumer missed. Vendor push
formats are made from these by the vendor's own module.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from tui.simulator.world_entities import Channel, DeviceState

DEFAULT_LOG_SIZE = 10_000


class DialOutcome(StrEnum):
    """How a dial attempt ended (Asterisk's DialStatus words)."""

    ANSWER = "ANSWER"
    NOANSWER = "NOANSWER"
    CANCEL = "CANCEL"  # the caller went away while it rang
    BUSY = "BUSY"  # the rung phone refused or was busy
    CHANUNAVAIL = "CHANUNAVAIL"  # the phone is not registered


class HangupSide(StrEnum):
    CALLER = "caller"
    AGENT = "agent"  # the local phone's side (an agent, or any extension)
    SYSTEM = "system"  # the PBX or an operator's tool (kick, refusal)


class MissCause(StrEnum):
    """Why a queue call was not answered."""

    NO_ASSIGN = "NO_ASSIGN"  # no free agent to ring
    NO_AGENT_ANSWER = "NO_AGENT_ANSWER"  # agents were rung, none answered
    NO_AGENT_LOGIN = "NO_AGENT_LOGIN"  # nobody logged in to the queue
    MEMBER_CANCEL = "MEMBER_CANCEL"  # the caller hung up within 10 s in the queue


class Disposition(StrEnum):
    """A call record's outcome (Asterisk CDR words)."""

    ANSWERED = "ANSWERED"
    NO_ANSWER = "NO ANSWER"
    BUSY = "BUSY"
    FAILED = "FAILED"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = ""


# Q.850 hangup causes carried by `HungUp`.
CAUSE_NORMAL = 16
CAUSE_BUSY = 17
CAUSE_NO_ANSWER = 19
CAUSE_REJECTED = 21


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel as it was when an event happened."""

    channel: str
    uniqueid: str
    linkedid: str
    number: str
    name: str
    connected_number: str
    connected_name: str
    extension: str | None

    @classmethod
    def of(cls, channel: Channel) -> ChannelRef:
        return cls(
            channel.name,
            channel.uniqueid,
            channel.linkedid,
            channel.number,
            channel.display_name,
            channel.connected_number,
            channel.connected_name,
            channel.extension,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxEvent:
    seq: int
    at: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class DialBegan(PbxEvent):
    """A phone (or a trunk) starts ringing for a call."""

    caller: ChannelRef
    callee: ChannelRef
    dialstring: str  # "SIP/801", "SIP/trunk/0521234567"


@dataclass(frozen=True, slots=True, kw_only=True)
class DialEnded(PbxEvent):
    caller: ChannelRef
    callee: ChannelRef
    outcome: DialOutcome


@dataclass(frozen=True, slots=True, kw_only=True)
class HungUp(PbxEvent):
    """One channel ended (a two-party call ends with two of these)."""

    channel: ChannelRef
    cause: int = CAUSE_NORMAL


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionChanged(PbxEvent):
    extension: str
    state: DeviceState


@dataclass(frozen=True, slots=True, kw_only=True)
class IvrRecord(PbxEvent):
    """A caller went through the IVR menu into a queue."""

    uniqueid: str
    caller: str
    queue_number: str
    started_at: datetime
    ended_at: datetime
    ivr_id: str
    ivr_name: str
    dtmf: str
    trunk_number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallRecord(PbxEvent):
    """A queue call's record: answered by an agent or missed (with why)."""

    uniqueid: str
    caller: str
    called: str  # the agent's extension, or the queue number when missed
    queue_number: str
    agent_extension: str  # "" when missed
    answered: bool
    miss_cause: MissCause | None
    hangup_side: HangupSide
    hangup_cause: str
    started_at: datetime  # entered the PBX (before the IVR)
    ended_at: datetime
    queue_s: int
    ring_s: int
    talk_s: int
    hold_s: int
    ivr_s: int
    ivr_id: str
    ivr_name: str
    ivr_dtmf: str
    trunk_number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRecord(PbxEvent):
    """A call detail record: one per bridge (a transfer ends one and starts another)."""

    uniqueid: str
    caller_name: str
    source: str
    destination: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    disposition: Disposition
    direction: CallDirection


E = TypeVar("E", bound=PbxEvent)


@dataclass(frozen=True, slots=True)
class LogRead:
    events: list[PbxEvent]
    next_cursor: int
    missed: int  # events the consumer never saw: the log forgot them first


class EventLog:
    """Append-only, bounded; sequence numbers start at 1 and never repeat."""

    def __init__(self, maxlen: int = DEFAULT_LOG_SIZE) -> None:
        if maxlen < 1:
            raise ValueError("an event log must hold at least one event")
        self._events: deque[PbxEvent] = deque(maxlen=maxlen)
        self._next_seq = 1

    def emit(self, kind: type[E], **fields: Any) -> E:
        event = kind(seq=self._next_seq, **fields)
        self._events.append(event)
        self._next_seq += 1
        return event

    @property
    def next_seq(self) -> int:
        """The number the next event will get: a new consumer's cursor for "only new events"."""
        return self._next_seq

    @property
    def first_seq(self) -> int:
        """The oldest number still kept (== next_seq when empty)."""
        return self._events[0].seq if self._events else self._next_seq

    def since(self, cursor: int) -> LogRead:
        """Every kept event numbered `cursor` or later."""
        first = self.first_seq
        start = max(cursor, first)
        events = list(itertools.islice(self._events, start - first, None))
        return LogRead(events, self._next_seq, max(0, first - cursor))

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[PbxEvent]:
        return iter(self._events)
