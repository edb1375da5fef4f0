"""The switchboard's side of queue calls: the world drives them, the switchboard keeps their legs.

At each moment of a queue call (a caller comes through the IVR, an agent's phone rings or stops
ringing, the call is answered, held, ended or transferred) the world calls one method of
`QueueCallLegs`, a part of `world_pbx.Switchboard`; it keeps the call's channels and writes the
events and the queue call record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tui.simulator import world_seed
from tui.simulator.world_entities import Agent, Caller, ChannelState, Queue
from tui.simulator.world_events import (
    CAUSE_BUSY,
    CAUSE_NORMAL,
    CallDirection,
    ChannelRef,
    DialOutcome,
    HangupSide,
    HungUp,
    IvrRecord,
    MissCause,
    QueueCallRecord,
)
from tui.simulator.world_pbx_calls import CallKind, PbxCall, Phase

IVR_S = (4.0, 14.0)
CALLER_HANGS_UP_FIRST = 0.6
MEMBER_CANCEL_S = 10.0


class QueueCallLegs:
    """The channels, events and records of the calls that come through a queue (a part of `Switchboard`)."""

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


def _dtmf(ivr_path: str) -> str:
    """The keys a caller pressed to reach a queue: "/2/5" -> "25"."""
    return "".join(part for part in ivr_path.split("/") if part)
