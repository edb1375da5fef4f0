"""The call center's PBX: phones, their registrations, live channels, the blacklist, and what it reports.

Queue calls are driven by the world (callers arrive, agents ring, talk and hang up); the world
tells the switchboard at each of those moments and the switchboard keeps the channels and writes
the events (`world_pbx_queue_calls`). Calls that do not come from a queue (an agent dialing out,
the reception calling the conference room, click-to-call, a transferred caller, a supervisor
listening in) are driven here, step by step, from the switchboard's own random stream, so they
never disturb the callers.

One rule holds throughout: a phone is in at most one call at a time. What a call is lives in
`world_pbx_calls`; opening channels and writing their events and records, in `world_pbx_channels`.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tui.simulator import world_seed, world_sip
from tui.simulator.world_entities import Agent, Channel, ChannelState, DeviceState, Extension
from tui.simulator.world_events import (
    CAUSE_NO_ANSWER,
    CAUSE_NORMAL,
    CAUSE_REJECTED,
    CallDirection,
    ChannelRef,
    DialOutcome,
    EventLog,
    HungUp,
)
from tui.simulator.world_pbx_calls import CallKind, PbxCall, Phase, is_extension_number
from tui.simulator.world_pbx_channels import PbxChannels
from tui.simulator.world_pbx_queue_calls import QueueCallLegs

if TYPE_CHECKING:
    from tui.simulator.world import World

FIRST_CHANNEL_SEQ = 600
RING_S = (2.0, 6.0)  # until a local phone answers
FAR_RING_S = (3.0, 12.0)  # until an outside number answers
NO_ANSWER_S = 20.0  # a phone that will not answer rings this long
TALK_S = (30.0, 360.0)
LOCAL_ANSWERS = 0.9
FAR_ANSWERS = 0.8
CLICK_SOURCE_ANSWERS = 0.95
INTERNAL_CALL_RATE = 1 / 300  # per second: a call between two phones that no agent uses
SPELL_IS_INTERNAL = 0.3  # an agent's own call goes to a colleague phone rather than outside
REGULAR_CALLER_SHARE = 0.05
QUICK_HANG_UP_SHARE = 0.03  # callers who hang up within seconds (a wrong number, second thoughts)
QUICK_HANG_UP_S = (3.0, 9.0)
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


class Switchboard(QueueCallLegs, PbxChannels):
    """Extensions, registrations, channels, calls and the blacklist; events go to `log`.

    Its side of queue calls (`QueueCallLegs`) and its channel work (`PbxChannels`) are parts of it
    kept in modules of their own; they work on the state set up here.
    """

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
