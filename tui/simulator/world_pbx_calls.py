"""A call on the switchboard: what kind it is, what phase it is in, and its one or two legs.

`world_pbx.Switchboard` keeps these in `calls`: a queue call's legs follow the world's caller and
agent, every other call is stepped by the switchboard itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tui.simulator.world_entities import Channel
from tui.simulator.world_events import CallDirection

EXTENSION_DIGITS = 4  # numbers this short are extensions; longer ones go out on the trunk


class CallKind(StrEnum):
    QUEUE = "queue"
    TRANSFERRED = "transferred"
    INTERNAL = "internal"
    OUTBOUND = "outbound"  # an agent's own call (a busy spell)
    CLICK_TO_CALL = "click-to-call"
    SPY = "spy"


class Phase(StrEnum):
    QUEUED = "queued"  # a caller in a queue, maybe with an agent ringing
    A_RINGING = "a ringing"  # an originated call rings its first phone
    B_RINGING = "b ringing"
    TALKING = "talking"
    LISTENING = "listening"  # a spy channel


@dataclass(slots=True, eq=False)
class PbxCall:
    kind: CallKind
    direction: CallDirection
    a: Channel
    started_at: datetime
    phase: Phase
    b: Channel | None = None
    dial_to: str = ""  # what `a` dials once it is up
    dialstring: str = ""
    phase_until: datetime | None = None
    answers: bool = True  # whether the phone now ringing will pick up when `phase_until` comes
    ends_at: datetime | None = None  # end of talk (None: the world or an operator ends it)
    bridge_answered_at: datetime | None = None
    spied: Channel | None = None  # the leg a spy listens to
    # Queue calls only.
    queue_id: str | None = None
    caller_call_id: str | None = None
    joined_at: datetime | None = None
    ivr_s: float = 0.0
    ring_started_at: datetime | None = None
    ring_s: float = 0.0
    rung: int = 0
    hold_s: float = 0.0

    @property
    def linkedid(self) -> str:
        return self.a.linkedid

    def legs(self) -> list[Channel]:
        return [self.a] if self.b is None else [self.a, self.b]


def is_extension_number(number: str) -> bool:
    return number.isdigit() and len(number) <= EXTENSION_DIGITS
