"""What operators (through the facades), tests and demos do to the call center.

`OperatorCommands` is a part of `world.World`: pausing queue members, kicking waiting callers and
removing callback requests; the PBX commands (blacklist, agent login and logout, click-to-call,
hang-up, transfer, listening in), each reporting a `CommandOutcome` with the phone-state events
written at once; and killing or expiring sessions, for tests and fault injection.
"""

from __future__ import annotations

import re

from tui.simulator.world_entities import Agent, Caller, DeviceState, KickOutcome, Membership, Queue
from tui.simulator.world_events import HangupSide
from tui.simulator.world_pbx import CommandOutcome

BLACKLIST_NUMBER = re.compile(r"^\+?\d{3,20}$")


class OperatorCommands:
    """Operators' commands on queues, phones and sessions (a part of `World`, on its state)."""

    # -- queue members, waiting callers, callback requests ---------------------------------

    def set_paused(self, queue_id: str, agent_id: str, paused: bool) -> bool:
        """Pause or unpause an agent in one queue; False when the agent is not a member."""
        queue = self.queues.get(queue_id)
        member = queue.member(agent_id) if queue else None
        if member is None:
            return False
        member.paused, member.resume_at = paused, None
        self._log(
            self._utc_now(), "paused by operator" if paused else "unpaused by operator", queue_id, agent_id
        )
        return True

    def kick(self, queue_id: str, call_id: str, goto: str | None = None) -> KickOutcome:
        """Remove a waiting caller, sending them to `goto` (an IVR path) or hanging up."""
        queue = self.queues.get(queue_id)
        caller = queue.caller(call_id) if queue else None
        if queue is None or caller is None:
            return KickOutcome.NOT_FOUND
        t = self._utc_now()
        self._drop_waiting(queue, caller, t, HangupSide.SYSTEM)
        queue.stats.kicked += 1
        self.pbx.publish_states(t)
        self._log(t, "kicked", queue_id, f"{caller.phone} -> {goto or 'hang up'}")
        return KickOutcome.OK

    def remove_callback(self, request_id: int) -> bool:
        if self.callback_requests.pop(request_id, None) is None:
            return False
        self._log(self._utc_now(), "callback removed", None, str(request_id))
        return True

    # -- PBX operations (each reports a CommandOutcome; phone-state events follow at once) -------

    def call_in(self, queue_id: str, phone: str) -> Caller | None:
        """A caller rings into a queue now (tests, demos); None when the PBX refuses them."""
        queue = self.queues.get(queue_id)
        if queue is None:
            raise KeyError(f"no queue {queue_id!r}")
        t = self._utc_now()
        rng = self.pbx.rng
        patience = 20 + rng.gammavariate(2.0, queue.patience_mean_s / 2)
        caller = Caller(f"{rng.getrandbits(128):032x}", phone, queue_id, t, patience)
        admitted = self._admit(queue, caller, t)
        self.pbx.publish_states(t)
        return caller if admitted else None

    def blacklist_add(self, number: str) -> CommandOutcome:
        number = number.strip()
        if not BLACKLIST_NUMBER.match(number):
            return CommandOutcome.INVALID_NUMBER
        self.pbx.blacklist_add(number)
        self._log(self._utc_now(), "blacklisted", None, number)
        return CommandOutcome.OK

    def blacklist_remove(self, number: str) -> CommandOutcome:
        if not self.pbx.blacklist_remove(number.strip()):
            return CommandOutcome.NOT_LISTED
        self._log(self._utc_now(), "unblacklisted", None, number.strip())
        return CommandOutcome.OK

    def _queue_agent(self, queue_id: str, extension: str) -> tuple[Queue, Agent] | CommandOutcome:
        """The queue and the agent whose phone this is, or why the command cannot name them."""
        queue = self.queues.get(queue_id)
        if queue is None:
            return CommandOutcome.UNKNOWN_QUEUE
        if extension not in self.pbx.extensions:
            return CommandOutcome.UNKNOWN_EXTENSION
        agent = self.agent_by_extension(extension)
        if agent is None:
            return CommandOutcome.NOT_AN_AGENT
        return queue, agent

    def agent_login(self, queue_id: str, extension: str) -> CommandOutcome:
        """Add the agent whose phone this is to a queue (a logged-out agent is offered no calls)."""
        found = self._queue_agent(queue_id, extension)
        if isinstance(found, CommandOutcome):
            return found
        queue, agent = found
        if queue.member(agent.agent_id) is not None:
            return CommandOutcome.ALREADY_MEMBER
        penalty = self._penalties.get((queue_id, agent.agent_id), 0)
        queue.members.append(Membership(queue_id, agent.agent_id, penalty))
        self._log(self._utc_now(), "logged in", queue_id, agent.name)
        return CommandOutcome.OK

    def agent_logout(self, queue_id: str, extension: str) -> CommandOutcome:
        found = self._queue_agent(queue_id, extension)
        if isinstance(found, CommandOutcome):
            return found
        queue, agent = found
        member = queue.member(agent.agent_id)
        if member is None:
            return CommandOutcome.NOT_MEMBER
        self._penalties[(queue_id, agent.agent_id)] = member.penalty
        queue.members.remove(member)
        self._log(self._utc_now(), "logged out", queue_id, agent.name)
        return CommandOutcome.OK

    def click_to_call(self, source: str, target: str) -> CommandOutcome:
        """Ring `source` first; once it answers, it dials `target` (a phone here or outside)."""
        t = self._utc_now()
        outcome = self.pbx.click_to_call(source, target, t)
        if outcome is CommandOutcome.OK:
            self._log(t, "click-to-call", None, f"{source} -> {target}")
        self.pbx.publish_states(t)
        return outcome

    def hangup_extension(self, extension: str) -> CommandOutcome:
        """End the call this phone is in (a ringing agent refuses it; the caller waits on)."""
        if extension not in self.pbx.extensions:
            return CommandOutcome.UNKNOWN_EXTENSION
        t = self._utc_now()
        agent = self.agent_by_extension(extension)
        if agent is not None and agent.call is not None:
            if agent.state is DeviceState.RINGING:
                self._refuse_ring(agent, t)
            else:
                self._hang_up(agent, t, HangupSide.AGENT)
            outcome = CommandOutcome.OK
        else:
            outcome = self.pbx.hang_up(extension, t)
        if outcome is CommandOutcome.OK:
            self._log(t, "hung up by operator", None, extension)
        self.pbx.publish_states(t)
        return outcome

    def transfer_call(self, extension: str, target: str) -> CommandOutcome:
        """Send the other party of this phone's answered call to `target`; this phone drops out."""
        if extension not in self.pbx.extensions:
            return CommandOutcome.UNKNOWN_EXTENSION
        t = self._utc_now()
        agent = self.agent_by_extension(extension)
        queue_talk = (
            agent is not None
            and agent.call is not None
            and agent.state in (DeviceState.IN_CALL, DeviceState.ON_HOLD)
        )
        if not queue_talk and self.pbx.leg_of(extension) is None:
            return CommandOutcome.NO_CALL
        outcome = self.pbx.check_target(target, not_this=extension)
        if outcome is not CommandOutcome.OK:
            return outcome
        if queue_talk:
            assert agent is not None
            self._hang_up(agent, t, HangupSide.AGENT, transfer_to=target)
        else:
            outcome = self.pbx.transfer(extension, target, t)
        if outcome is CommandOutcome.OK:
            self._log(t, "transferred", None, f"{extension} -> {target}")
        self.pbx.publish_states(t)
        return outcome

    def spy_call(self, listener: str, target: str) -> CommandOutcome:
        """`listener`'s phone rings; once answered it listens to `target`'s call."""
        t = self._utc_now()
        outcome = self.pbx.spy(listener, target, t)
        if outcome is CommandOutcome.OK:
            self._log(t, "listening", None, f"{listener} -> {target}")
        self.pbx.publish_states(t)
        return outcome

    # -- sessions --------------------------------------------------------------------------

    def kill_sessions(self, system: str) -> int:
        """Invalidate every session of a system (tests and fault injection)."""
        return self.auth.kill_sessions(system)

    def expire_sessions(self, system: str) -> int:
        """Make every session of a system idle-expired (tests and fault injection)."""
        return self.auth.expire_sessions(system)
