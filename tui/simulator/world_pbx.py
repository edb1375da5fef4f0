"""The call center's PBX: phones, their registrations, live channels, the blacklist, and what it reports.

Queue calls are driven by the world (callers arrive, agents ring, talk and hang up); the world
tells the switchboard at each of those moments and the switchboard keeps the channels and writes
the events. Calls that do not come from a queue (an agent dialing out, the reception calling the
conference room, click-to-call, a transferred caller, a supervisor listening in) are driven here,
step by step, from the switchboard's own random stream, so they never disturb the callers.

One rule holds throughout: a phone is in at most one call at a time.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tui.simulator import world_seed, world_sip
from tui.simulator.world_entities import (
    Agent,
    Caller,
    Channel,
    ChannelState,
    DeviceState,
    Extension,
    Queue,
)
from tui.simulator.world_events import (
    CAUSE_BUSY,
    CAUSE_NO_ANSWER,
    CAUSE_NORMAL,
    CAUSE_REJECTED,
    CallDirection,
    CallRecord,
    ChannelRef,
    DialBegan,
    DialEnded,
    DialOutcome,
    Disposition,
    EventLog,
    ExtensionChanged,
    HangupSide,
    HungUp,
    IvrRecord,
    MissCause,
    QueueCallRecord,
)

if TYPE_CHECKING:
    from tui.simulator.world import World

FIRST_CHANNEL_SEQ = 600
RING_S = (2.0, 6.0)  # until a local phone answers
FAR_RING_S = (3.0, 12.0)  # until an outside number answers
NO_ANSWER_S = 20.0  # a phone that will not answer rings this long
TALK_S = (30.0, 360.0)
IVR_S = (4.0, 14.0)
LOCAL_ANSWERS = 0.9
FAR_ANSWERS = 0.8
CLICK_SOURCE_ANSWERS = 0.95
INTERNAL_CALL_RATE = 1 / 300  # per second: a call between two phones that no agent uses
SPELL_IS_INTERNAL = 0.3  # an agent's own call goes to a colleague phone rather than outside
REGULAR_CALLER_SHARE = 0.05
QUICK_HANG_UP_SHARE = 0.03  # callers who hang up within seconds (a wrong number, second thoughts)
QUICK_HANG_UP_S = (3.0, 9.0)
CALLER_HANGS_UP_FIRST = 0.6
MEMBER_CANCEL_S = 10.0
EXTENSION_DIGITS = 4  # numbers this short are extensions; longer ones go out on the trunk
OUTSIDE_NUMBER = re.compile(r"^\+?\d{5,15}$")


class CommandOutcome(StrEnum):
    """What a PBX command did (facades choose their words and HTTP codes)."""

    OK = "ok"
    UNKNOWN_EXTENSION = "unknown extension"
    UNKNOWN_QUEUE = "unknown queue"
    NOT_AN_AGENT = "not an agent"
    NO_CALL = "no call"
    UNAVAILABLE = "unavailable"  # not registered, or already in a call
    INVALID_NUMBER = "invalid number"
    SAME_EXTENSION = "same extension"
    ALREADY_MEMBER = "already a member"
    NOT_MEMBER = "not a member"
    NOT_LISTED = "not on the blacklist"


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


class Switchboard:
    """Extensions, registrations, channels, calls and the blacklist; events go to `log`."""

    def __init__(self, world: World, rng: random.Random, origin: datetime) -> None:
        self._world = world
        self._rng = rng
        self.rng = rng  # also draws what the world's operations need (so they leave its stream alone)
        self.extensions: dict[str, Extension] = world_seed.seed_extensions(world.agents)
        for extension in self.extensions.values():
            if not extension.unplugged:
                world_sip.seed(extension.registration, origin, rng)
        self.blacklist: list[str] = list(world_seed.BLACKLIST)
        self.log = EventLog()
        self.calls: list[PbxCall] = []
        self._queue_calls: dict[str, PbxCall] = {}  # by the world's caller id
        self._seq = FIRST_CHANNEL_SEQ
        # Each phone with its agent (looked up once: this runs every simulated second).
        self._phones = [
            (e, world.agents[e.agent_id] if e.agent_id else None) for e in self.extensions.values()
        ]
        self._published = {number: self.device_state(number) for number in self.extensions}

    # -- looking things up ----------------------------------------------------------------------

    def _agent_of(self, number: str) -> Agent | None:
        extension = self.extensions.get(number)
        if extension is None or extension.agent_id is None:
            return None
        return self._world.agents[extension.agent_id]

    def device_state(self, number: str) -> DeviceState:
        """What the phone is doing; an agent's phone is the agent's state."""
        agent = self._agent_of(number)
        if agent is not None:
            return agent.state
        extension = self.extensions[number]
        if not extension.registration.online:
            return DeviceState.UNAVAILABLE
        return extension.state

    def channels(self) -> list[Channel]:
        """Every live channel, oldest first."""
        legs = [leg for call in self.calls for leg in call.legs()]
        return sorted(legs, key=lambda leg: int(leg.uniqueid.rpartition(".")[2]))

    def leg_of(self, number: str) -> tuple[Channel, PbxCall] | None:
        for call in self.calls:
            for leg in call.legs():
                if leg.extension == number:
                    return leg, call
        return None

    def _can_ring(self, number: str) -> bool:
        extension = self.extensions[number]
        return (
            extension.registration.online
            and self.device_state(number) is DeviceState.IDLE
            and self.leg_of(number) is None
        )

    def check_target(self, number: str, not_this: str | None = None) -> CommandOutcome:
        """Whether `number` is something a call can be sent to right now."""
        if number == not_this:
            return CommandOutcome.SAME_EXTENSION
        if is_extension_number(number):
            if number not in self.extensions:
                return CommandOutcome.UNKNOWN_EXTENSION
            return CommandOutcome.OK if self._can_ring(number) else CommandOutcome.UNAVAILABLE
        return CommandOutcome.OK if OUTSIDE_NUMBER.match(number) else CommandOutcome.INVALID_NUMBER

    # -- channels and phone states -------------------------------------------------------------

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _channel(
        self, kind: str, number: str, name: str, t: datetime, state: ChannelState, linkedid: str | None = None
    ) -> Channel:
        """A new channel: `kind` is an extension number, "trunk" or "dahdi"."""
        seq = self._next_seq()
        uniqueid = f"{int(t.timestamp())}.{seq}"
        if kind == "dahdi":
            channel_name = f"DAHDI/i1/{number}-{seq:x}"
        elif kind == "trunk":
            channel_name = f"SIP/trunk-{seq:08x}"
        else:
            channel_name = f"SIP/{kind}-{seq:08x}"
        extension = kind if kind not in ("dahdi", "trunk") else None
        return Channel(channel_name, uniqueid, linkedid or uniqueid, number, name, t, state, extension)

    def _phone_channel(self, number: str, t: datetime, state: ChannelState, linkedid: str | None = None):
        return self._channel(number, number, self.extensions[number].name, t, state, linkedid)

    def _trunk_channel(self, number: str, t: datetime, state: ChannelState, linkedid: str | None = None):
        kind = "dahdi" if self._rng.random() < 0.5 else "trunk"
        return self._channel(kind, number, number, t, state, linkedid)

    def _set_phone(self, number: str, state: DeviceState) -> None:
        """A non-queue call moved this phone (its agent's timed state, if any, is the world's)."""
        agent = self._agent_of(number)
        if agent is None:
            self.extensions[number].state = state
            return
        if state is DeviceState.IDLE:
            agent.state, agent.state_until, agent.call = DeviceState.IDLE, None, None
            agent.call_started_at = agent.call_ends_at = None
        else:
            agent.state = state

    def publish_states(self, t: datetime) -> None:
        """An event for every phone whose state changed since the last look."""
        for extension, agent in self._phones:
            number = extension.number
            if agent is not None:
                state = agent.state
            elif not extension.registration.online:
                state = DeviceState.UNAVAILABLE
            else:
                state = extension.state
            if self._published[number] is not state:
                self._published[number] = state
                self.log.emit(ExtensionChanged, at=t, extension=number, state=state)

    def _hang_up_leg(self, leg: Channel, t: datetime, cause: int = CAUSE_NORMAL) -> None:
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(leg), cause=cause)
        if leg.extension is not None:
            self._set_phone(leg.extension, DeviceState.IDLE)

    def _dial_ended(self, call: PbxCall, t: datetime, outcome: DialOutcome) -> None:
        assert call.b is not None
        caller, callee = ChannelRef.of(call.a), ChannelRef.of(call.b)
        self.log.emit(DialEnded, at=t, caller=caller, callee=callee, outcome=outcome)

    def _dial_began(self, call: PbxCall, t: datetime) -> None:
        assert call.b is not None
        caller, callee = ChannelRef.of(call.a), ChannelRef.of(call.b)
        self.log.emit(DialBegan, at=t, caller=caller, callee=callee, dialstring=call.dialstring)

    # -- the blacklist --------------------------------------------------------------------------

    def is_blacklisted(self, number: str) -> bool:
        return number in self.blacklist

    def blacklist_add(self, number: str) -> None:
        if number not in self.blacklist:
            self.blacklist.append(number)

    def blacklist_remove(self, number: str) -> bool:
        if number not in self.blacklist:
            return False
        self.blacklist.remove(number)
        return True

    def incoming_number(self, drawn: str) -> str:
        """The number a new caller rings from: now and then a regular caller instead of a new one."""
        if self._rng.random() < REGULAR_CALLER_SHARE:
            return self._rng.choice(world_seed.REGULAR_CALLERS)
        return drawn

    def caller_patience(self, drawn: float) -> float:
        """How long a new caller waits: now and then only a few seconds."""
        if self._rng.random() < QUICK_HANG_UP_SHARE:
            return self._rng.uniform(*QUICK_HANG_UP_S)
        return drawn

    def refuse(self, number: str, t: datetime) -> None:
        """A blacklisted caller: the trunk channel is answered and dropped at once."""
        leg = self._trunk_channel(number, t, ChannelState.UP)
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(leg), cause=CAUSE_REJECTED)
        trunk, inbound = world_seed.TRUNK_NUMBER, CallDirection.INBOUND
        self._record(leg.uniqueid, leg, trunk, t, None, t, inbound, failed=True)

    # -- queue calls (the world drives them) ----------------------------------------------------

    def queue_caller_arrived(self, caller: Caller, queue: Queue, t: datetime) -> None:
        ivr_s = self._rng.uniform(*IVR_S)
        entered = t - timedelta(seconds=ivr_s)
        leg = self._trunk_channel(caller.phone, entered, ChannelState.UP)
        leg.application = "Queue"
        call = PbxCall(CallKind.QUEUE, CallDirection.INBOUND, leg, entered, Phase.QUEUED)
        call.queue_id, call.caller_call_id = queue.queue_id, caller.call_id
        call.joined_at, call.ivr_s = t, ivr_s
        self.calls.append(call)
        self._queue_calls[caller.call_id] = call
        self.log.emit(
            IvrRecord,
            at=t,
            uniqueid=leg.uniqueid,
            caller=caller.phone,
            queue_number=queue.number,
            started_at=entered,
            ended_at=t,
            ivr_id=world_seed.IVR_ID,
            ivr_name=world_seed.IVR_NAME,
            dtmf=_dtmf(queue.ivr_path),
            trunk_number=world_seed.TRUNK_NUMBER,
        )

    def queue_agent_ringing(self, agent: Agent, caller: Caller, t: datetime) -> None:
        call = self._queue_calls[caller.call_id]
        leg = self._phone_channel(agent.extension, t, ChannelState.RINGING, call.linkedid)
        leg.application, leg.peer = "AppQueue", call.a
        call.b, call.dialstring = leg, f"SIP/{agent.extension}"
        call.ring_started_at, call.rung = t, call.rung + 1
        self._dial_began(call, t)

    def _stop_ringing(self, call: PbxCall, t: datetime) -> None:
        if call.ring_started_at is not None:
            call.ring_s += (t - call.ring_started_at).total_seconds()
            call.ring_started_at = None

    def queue_ring_stopped(self, caller: Caller, t: datetime, outcome: DialOutcome) -> None:
        """The agent's phone stops ringing unanswered (the caller left, or the agent refused)."""
        call = self._queue_calls[caller.call_id]
        assert call.b is not None
        self._stop_ringing(call, t)
        self._dial_ended(call, t, outcome)
        leg, call.b = call.b, None
        cause = CAUSE_BUSY if outcome is DialOutcome.BUSY else CAUSE_NORMAL
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(leg), cause=cause)

    def queue_answered(self, caller: Caller, t: datetime) -> None:
        call = self._queue_calls[caller.call_id]
        assert call.b is not None
        self._stop_ringing(call, t)
        call.b.state, call.a.peer = ChannelState.UP, call.b
        call.phase, call.bridge_answered_at = Phase.TALKING, t
        self._dial_ended(call, t, DialOutcome.ANSWER)

    def queue_hold(self, caller: Caller, seconds: float) -> None:
        self._queue_calls[caller.call_id].hold_s += seconds

    def queue_caller_left(self, caller: Caller, queue: Queue, t: datetime, side: HangupSide) -> None:
        """A caller left the queue unanswered (gave up, or was taken out by an operator)."""
        call = self._queue_calls.pop(caller.call_id)
        self.calls.remove(call)
        assert call.joined_at is not None
        waited = (t - call.joined_at).total_seconds()
        if side is HangupSide.CALLER and waited < MEMBER_CANCEL_S:
            cause = MissCause.MEMBER_CANCEL
        elif not queue.members:
            cause = MissCause.NO_AGENT_LOGIN
        elif call.rung:
            cause = MissCause.NO_AGENT_ANSWER
        else:
            cause = MissCause.NO_ASSIGN
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(call.a))
        self._queue_record(call, queue, t, None, side, cause)
        self._record(call.linkedid, call.a, queue.number, call.started_at, None, t, call.direction)

    def queue_call_ended(self, agent: Agent, caller: Caller, t: datetime, side: HangupSide | None) -> None:
        """An answered queue call is over."""
        call = self._queue_calls.pop(caller.call_id)
        self.calls.remove(call)
        assert call.b is not None
        if side is None:
            side = HangupSide.CALLER if self._rng.random() < CALLER_HANGS_UP_FIRST else HangupSide.AGENT
        first, second = (call.a, call.b) if side is HangupSide.CALLER else (call.b, call.a)
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(first))
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(second))
        self._end_spies_on(call.b, t)
        queue = self._world.queues[caller.queue_id]
        self._queue_record(call, queue, t, agent, side, None)
        self._bridge_record(call, agent.extension, t)

    def queue_call_transferred(self, agent: Agent, caller: Caller, t: datetime, target: str) -> None:
        """The agent sends the caller on; the queue part of the call is over."""
        call = self._queue_calls.pop(caller.call_id)
        assert call.b is not None
        queue = self._world.queues[caller.queue_id]
        self._queue_record(call, queue, t, agent, HangupSide.AGENT, None)
        self._bridge_record(call, agent.extension, t)
        self.log.emit(HungUp, at=t, channel=ChannelRef.of(call.b))
        self._end_spies_on(call.b, t)
        call.kind, call.b, call.a.peer, call.bridge_answered_at = CallKind.TRANSFERRED, None, None, None
        call.a.application = "Dial"
        self._dial(call, target, t)

    def _queue_record(
        self,
        call: PbxCall,
        queue: Queue,
        t: datetime,
        agent: Agent | None,
        side: HangupSide,
        cause: MissCause | None,
    ) -> None:
        assert call.joined_at is not None
        answered_at = call.bridge_answered_at
        queue_end = answered_at or t
        talk_s = (t - answered_at).total_seconds() if answered_at else 0.0
        if side is HangupSide.CALLER:
            hangup_cause = "ANALOG ANALOG_EVENT_ONHOOK" if call.a.name.startswith("DAHDI/") else "SIP BYE"
        elif side is HangupSide.AGENT:
            hangup_cause = "SIP BYE"
        else:
            hangup_cause = "SOFTHANGUP"
        self.log.emit(
            QueueCallRecord,
            at=t,
            uniqueid=call.linkedid,
            caller=call.a.number,
            called=agent.extension if agent else queue.number,
            queue_number=queue.number,
            agent_extension=agent.extension if agent else "",
            answered=agent is not None,
            miss_cause=cause,
            hangup_side=side,
            hangup_cause=hangup_cause,
            started_at=call.started_at,
            ended_at=t,
            queue_s=round((queue_end - call.joined_at).total_seconds()),
            ring_s=round(call.ring_s),
            talk_s=round(talk_s),
            hold_s=round(min(call.hold_s, talk_s)),
            ivr_s=round(call.ivr_s),
            ivr_id=world_seed.IVR_ID,
            ivr_name=world_seed.IVR_NAME,
            ivr_dtmf=_dtmf(queue.ivr_path),
            trunk_number=world_seed.TRUNK_NUMBER,
        )

    def _bridge_record(self, call: PbxCall, destination: str, t: datetime) -> None:
        self._record(
            call.linkedid, call.a, destination, call.started_at, call.bridge_answered_at, t, call.direction
        )

    def _record(
        self,
        uniqueid: str,
        source: Channel,
        destination: str,
        started_at: datetime,
        answered_at: datetime | None,
        t: datetime,
        direction: CallDirection,
        *,
        failed: bool = False,
        busy: bool = False,
    ) -> None:
        if answered_at is not None:
            disposition = Disposition.ANSWERED
        elif failed:
            disposition = Disposition.FAILED
        elif busy:
            disposition = Disposition.BUSY
        else:
            disposition = Disposition.NO_ANSWER
        self.log.emit(
            CallRecord,
            at=t,
            uniqueid=uniqueid,
            caller_name=source.display_name,
            source=source.number,
            destination=destination,
            started_at=started_at,
            answered_at=answered_at,
            ended_at=t,
            disposition=disposition,
            direction=direction,
        )

    # -- calls that do not come from a queue ----------------------------------------------------

    def _dial(self, call: PbxCall, target: str, t: datetime) -> None:
        """`call.a` (already up, or dialing) calls `target`: a phone here, or a number outside."""
        call.dial_to = target
        if is_extension_number(target):
            if target not in self.extensions or not self._can_ring(target):
                unavailable = target not in self.extensions or not self.extensions[target].registration.online
                self._end(call, t, first=call.a, busy=not unavailable, failed=unavailable)
                return
            leg = self._phone_channel(target, t, ChannelState.RINGING, call.linkedid)
            call.dialstring, answers, ring = f"SIP/{target}", LOCAL_ANSWERS, RING_S
            self._set_phone(target, DeviceState.RINGING)
        else:
            leg = self._trunk_channel(target, t, ChannelState.RINGING, call.linkedid)
            call.dialstring, answers, ring = f"SIP/trunk/{target}", FAR_ANSWERS, FAR_RING_S
        leg.peer, call.b, call.phase = call.a, leg, Phase.B_RINGING
        # A transferred caller has been announced, so the phone they are sent to always picks up.
        call.answers = call.kind is CallKind.TRANSFERRED or self._rng.random() < answers
        wait = self._rng.uniform(*ring) if call.answers else NO_ANSWER_S
        call.phase_until = t + timedelta(seconds=wait)
        self._dial_began(call, t)

    def _end(
        self,
        call: PbxCall,
        t: datetime,
        first: Channel,
        *,
        busy: bool = False,
        failed: bool = False,
        cause: int = CAUSE_NORMAL,
        outcome: DialOutcome | None = None,
    ) -> None:
        """Hang up every leg of a non-queue call (`first` first) and write the record of the bridge."""
        if call not in self.calls:
            return
        self.calls.remove(call)
        if call.b is not None and call.phase is Phase.B_RINGING:
            default = DialOutcome.CANCEL if first is call.a else DialOutcome.NOANSWER
            self._dial_ended(call, t, outcome or default)
        legs = [first] + [leg for leg in call.legs() if leg is not first]
        for leg in legs:
            self._hang_up_leg(leg, t, cause)
        destination = call.b.number if call.b is not None else call.dial_to
        self._record(
            call.linkedid,
            call.a,
            destination,
            call.started_at,
            call.bridge_answered_at,
            t,
            call.direction,
            busy=busy,
            failed=failed,
        )
        for leg in legs:
            self._end_spies_on(leg, t)

    def _end_spies_on(self, leg: Channel, t: datetime) -> None:
        """Listening to a channel stops when the channel goes."""
        for spy in [c for c in self.calls if c.kind is CallKind.SPY and c.spied is leg]:
            self._end(spy, t, first=spy.a)

    def _originate(self, kind: CallKind, source: str, target: str, t: datetime, direction: CallDirection):
        """The PBX rings `source` first; once it answers it dials `target` (or starts listening)."""
        leg = self._phone_channel(source, t, ChannelState.RINGING)
        call = PbxCall(kind, direction, leg, t, Phase.A_RINGING, dial_to=target)
        call.answers = self._rng.random() < CLICK_SOURCE_ANSWERS
        wait = self._rng.uniform(*RING_S) if call.answers else NO_ANSWER_S
        call.phase_until = t + timedelta(seconds=wait)
        self._set_phone(source, DeviceState.RINGING)
        self.calls.append(call)
        return call

    def click_to_call(self, source: str, target: str, t: datetime) -> CommandOutcome:
        if source not in self.extensions:
            return CommandOutcome.UNKNOWN_EXTENSION
        outcome = self.check_target(target, not_this=source)
        if outcome is CommandOutcome.UNAVAILABLE:
            outcome = CommandOutcome.OK  # found out when it is dialed, as on a real PBX
        if outcome is not CommandOutcome.OK:
            return outcome
        if not self._can_ring(source):
            return CommandOutcome.UNAVAILABLE
        internal = is_extension_number(target)
        direction = CallDirection.INTERNAL if internal else CallDirection.OUTBOUND
        self._originate(CallKind.CLICK_TO_CALL, source, target, t, direction)
        return CommandOutcome.OK

    def spy(self, listener: str, target: str, t: datetime) -> CommandOutcome:
        if listener not in self.extensions or target not in self.extensions:
            return CommandOutcome.UNKNOWN_EXTENSION
        if listener == target:
            return CommandOutcome.SAME_EXTENSION
        found = self.leg_of(target)
        if found is None or found[0].state is not ChannelState.UP or found[1].kind is CallKind.SPY:
            return CommandOutcome.NO_CALL
        if not self._can_ring(listener):
            return CommandOutcome.UNAVAILABLE
        call = self._originate(CallKind.SPY, listener, target, t, CallDirection.INTERNAL)
        call.a.application, call.spied = "ChanSpy", found[0]
        return CommandOutcome.OK

    def hang_up(self, number: str, t: datetime) -> CommandOutcome:
        """End the non-queue call `number` is in (queue calls are ended through the world)."""
        found = self.leg_of(number)
        if found is None:
            return CommandOutcome.NO_CALL
        leg, call = found
        rejected = call.phase is Phase.A_RINGING or (call.phase is Phase.B_RINGING and leg is call.b)
        if rejected:
            self._end(call, t, first=leg, cause=CAUSE_REJECTED, outcome=DialOutcome.BUSY)
        else:
            self._end(call, t, first=leg)
        return CommandOutcome.OK

    def transfer(self, number: str, target: str, t: datetime) -> CommandOutcome:
        """Send the other party of `number`'s answered, non-queue call to `target`."""
        found = self.leg_of(number)
        if found is None or found[1].phase is not Phase.TALKING or found[1].kind is CallKind.SPY:
            return CommandOutcome.NO_CALL
        leg, call = found
        assert call.b is not None
        other = call.b if leg is call.a else call.a
        self._bridge_record(call, call.b.number, t)
        self._hang_up_leg(leg, t)
        self._end_spies_on(leg, t)
        other.peer = None
        call.a, call.b, call.kind = other, None, CallKind.TRANSFERRED
        call.bridge_answered_at = call.ends_at = None
        self._dial(call, target, t)
        return CommandOutcome.OK

    def agent_went_busy(self, agent: Agent, t: datetime) -> None:
        """An agent's busy spell is a call of their own: to a colleague's phone, or outside."""
        leg = self._phone_channel(agent.extension, t, ChannelState.RING)
        free = [n for n, e in self.extensions.items() if e.agent_id is None and self._can_ring(n)]
        if free and self._rng.random() < SPELL_IS_INTERNAL:
            target, direction = self._rng.choice(free), CallDirection.INTERNAL
        else:
            target, direction = world_seed.random_israeli_phone(self._rng), CallDirection.OUTBOUND
        call = PbxCall(CallKind.OUTBOUND, direction, leg, t, Phase.B_RINGING, ends_at=agent.state_until)
        self.calls.append(call)
        self._dial(call, target, t)

    def end_phone_call(self, number: str, t: datetime) -> None:
        """The world ends whatever non-queue call this phone is in (an agent's busy spell is over)."""
        found = self.leg_of(number)
        if found is not None and found[1].kind is not CallKind.QUEUE:
            self._end(found[1], t, first=found[0])

    def _advance_call(self, call: PbxCall, t: datetime) -> None:
        if call.ends_at is not None and call.ends_at <= t and call.phase is not Phase.A_RINGING:
            self._end(call, t, first=call.a)
        elif call.phase_until is None or call.phase_until > t:
            return
        elif call.phase is Phase.A_RINGING:
            if not call.answers:
                self._end(call, t, first=call.a, cause=CAUSE_NO_ANSWER)
                return
            call.a.state = ChannelState.UP
            assert call.a.extension is not None
            self._set_phone(call.a.extension, DeviceState.BUSY)
            if call.kind is CallKind.SPY:
                call.a.peer, call.phase, call.phase_until = call.spied, Phase.LISTENING, None
                call.bridge_answered_at = t
            else:
                self._dial(call, call.dial_to, t)
        elif call.phase is Phase.B_RINGING:
            assert call.b is not None
            if not call.answers:
                self._end(call, t, first=call.b, cause=CAUSE_NO_ANSWER)
                return
            call.a.state = call.b.state = ChannelState.UP
            call.a.peer, call.phase, call.phase_until = call.b, Phase.TALKING, None
            call.bridge_answered_at = t
            if call.b.extension is not None:
                self._set_phone(call.b.extension, DeviceState.BUSY)
            if call.a.extension is not None and self.device_state(call.a.extension) is not DeviceState.BUSY:
                self._set_phone(call.a.extension, DeviceState.BUSY)
            if call.ends_at is None:
                call.ends_at = t + timedelta(seconds=self._rng.uniform(*TALK_S))
            self._dial_ended(call, t, DialOutcome.ANSWER)

    def _start_internal_call(self, t: datetime) -> None:
        free = [n for n, e in self.extensions.items() if e.agent_id is None and self._can_ring(n)]
        if len(free) < 2:
            return
        source, target = self._rng.sample(free, 2)
        leg = self._phone_channel(source, t, ChannelState.RING)
        call = PbxCall(CallKind.INTERNAL, CallDirection.INTERNAL, leg, t, Phase.B_RINGING)
        self._set_phone(source, DeviceState.BUSY)
        self.calls.append(call)
        self._dial(call, target, t)

    # -- registrations --------------------------------------------------------------------------

    def _step_registration(self, extension: Extension, agent: Agent | None, t: datetime) -> None:
        reg = extension.registration
        if agent is not None:
            # An agent's phone and the agent are away together.
            away = agent.state is DeviceState.UNAVAILABLE
            if away and reg.online:
                world_sip.lapse(reg, unreachable=self._rng.random() < world_sip.UNREACHABLE_SHARE)
            elif not away and not reg.online:
                world_sip.register(reg, t, self._rng)
        elif not reg.online and reg.back_at is not None and reg.back_at <= t:
            world_sip.register(reg, t, self._rng)
        if not world_sip.due(reg, t):
            return
        number = extension.number

        def idle() -> bool:
            return self.device_state(number) is DeviceState.IDLE and self.leg_of(number) is None

        if world_sip.step(reg, t, self._rng, idle):
            away_for = world_sip.down_for(self._rng)
            if agent is not None:
                agent.state, agent.state_until = DeviceState.UNAVAILABLE, t + away_for
            else:
                reg.back_at = t + away_for

    # -- one second of PBX life -----------------------------------------------------------------

    def step(self, t: datetime) -> None:
        for extension, agent in self._phones:
            if not extension.unplugged:
                self._step_registration(extension, agent, t)
        for call in list(self.calls):
            if call.kind is not CallKind.QUEUE and call in self.calls:  # an earlier one may have ended it
                self._advance_call(call, t)
        if self._rng.random() < INTERNAL_CALL_RATE:
            self._start_internal_call(t)
        self.publish_states(t)

    def describe(self) -> dict[str, object]:
        return {
            "channels": [(c.name, c.uniqueid, int(c.state), c.connected_number) for c in self.channels()],
            "sip": {
                n: (e.registration.status, e.registration.latency_ms) for n, e in self.extensions.items()
            },
            "blacklist": list(self.blacklist),
            "events": self.log.next_seq,
        }


def _dtmf(ivr_path: str) -> str:
    """The keys a caller pressed to reach a queue: "/2/5" -> "25"."""
    return "".join(part for part in ivr_path.split("/") if part)
