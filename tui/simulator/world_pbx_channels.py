"""The switchboard's channel work: new channels, phone states, and the events and records they leave.

`PbxChannels` is a part of `world_pbx.Switchboard` and works on its state (`extensions`, `log`,
the channel sequence, the phones whose state it publishes, its random stream): it opens phone and
trunk channels, sets a phone's state when a call moves it, writes a state event for every phone
that changed, and writes the dial, hang-up and call-record events.
"""

from __future__ import annotations

from datetime import datetime

from tui.simulator.world_entities import Channel, ChannelState, DeviceState
from tui.simulator.world_events import (
    CAUSE_NORMAL,
    CallDirection,
    CallRecord,
    ChannelRef,
    DialBegan,
    DialEnded,
    DialOutcome,
    Disposition,
    ExtensionChanged,
    HungUp,
)
from tui.simulator.world_pbx_calls import PbxCall


class PbxChannels:
    """Opening channels and writing what they do to the event log (a part of `Switchboard`)."""

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
