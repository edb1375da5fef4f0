"""The call center's own life, second by second: callers, agents and callback requests.

Callers arrive, wait, give up or are rung to a free member of their queue; agents answer, talk,
put callers on hold and hang up, and now and then pause or step away on their own; callback
requests come in and are worked. All of it draws from the world's main random stream and tells
the PBX (`world.pbx`) about every queue-call moment. `QueueLife` is a part of `world.World` and
works on its state; `World._step` calls it in a fixed order, so a seed always lives the same day.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from tui.simulator import world_seed
from tui.simulator.world_entities import Agent, CallbackQueue, CallbackRequest, Caller, DeviceState, Queue
from tui.simulator.world_events import DialOutcome, HangupSide

# The world steps once every TICK_S simulated seconds (`World.advance`); the rates are per second.
TICK_S = 1

# Per agent per second: how often an idle agent wanders off, and a talking one puts on hold.
PAUSE_RATE = 1 / 900
BUSY_RATE = 1 / 1800
UNAVAILABLE_RATE = 1 / 6000
HOLD_RATE = 1 / 400
RING_SECONDS = (2.0, 6.0)
SELF_PAUSE_SECONDS = (60.0, 420.0)
BUSY_SECONDS = (30.0, 180.0)
UNAVAILABLE_SECONDS = (60.0, 600.0)
HOLD_SECONDS = (8.0, 40.0)
# Callback requests: first attempt, later attempts, chance an attempt reaches the caller.
CALLBACK_FIRST_ATTEMPT_S = (90.0, 400.0)
CALLBACK_RETRY_S = (120.0, 480.0)
CALLBACK_SUCCESS = 0.4
CALLBACK_MAX_ATTEMPTS = 3


class QueueLife:
    """Callers, agents and callback requests, stepped each second (a part of `World`, on its state)."""

    # -- callers ---------------------------------------------------------------------------

    def _poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-mean), 0, self._rng.random()
        while product > limit:
            count += 1
            product *= self._rng.random()
        return count

    def _new_call_id(self) -> str:
        return f"{self._rng.getrandbits(128):032x}"

    def _arrive(self, queue: Queue, t: datetime) -> None:
        for _ in range(self._poisson(queue.arrivals_per_min / 60 * TICK_S)):
            if queue.capacity and len(queue.waiting) >= queue.capacity:
                self._log(t, "refused", queue.queue_id, "queue full")
                continue
            patience = self.pbx.caller_patience(20 + self._rng.gammavariate(2.0, queue.patience_mean_s / 2))
            call_id = self._new_call_id()
            phone = self.pbx.incoming_number(world_seed.random_israeli_phone(self._rng))
            self._admit(queue, Caller(call_id, phone, queue.queue_id, t, patience), t)

    def _admit(self, queue: Queue, caller: Caller, t: datetime) -> bool:
        """A caller reaches the queue, unless the PBX refuses their number."""
        if self.pbx.is_blacklisted(caller.phone):
            self.pbx.refuse(caller.phone, t)
            self._log(t, "refused", queue.queue_id, f"blacklisted {caller.phone}")
            return False
        queue.waiting.append(caller)
        queue.stats.offered += 1
        self._log(t, "arrived", queue.queue_id, caller.phone)
        self.pbx.queue_caller_arrived(caller, queue, t)
        return True

    def _abandon(self, queue: Queue, t: datetime) -> None:
        for caller in [c for c in queue.waiting if (t - c.joined_at).total_seconds() >= c.patience_s]:
            self._drop_waiting(queue, caller, t, HangupSide.CALLER)
            queue.stats.abandoned += 1
            self._log(t, "abandoned", queue.queue_id, caller.phone)

    def _drop_waiting(self, queue: Queue, caller: Caller, t: datetime, side: HangupSide) -> None:
        """Take a caller out of the queue, stopping the phone that rings for them."""
        queue.waiting.remove(caller)
        if caller.ringing_agent_id is not None:
            self.pbx.queue_ring_stopped(caller, t, DialOutcome.CANCEL)
            self._set_idle(self.agents[caller.ringing_agent_id])
        self.pbx.queue_caller_left(caller, queue, t, side)

    def _offer(self, queue: Queue, t: datetime) -> None:
        """Ring a free, unpaused member for each waiting caller nobody is ringing for yet."""
        for caller in queue.waiting:
            if caller.ringing_agent_id is not None:
                continue
            free = [
                m for m in queue.members if not m.paused and self.agents[m.agent_id].state is DeviceState.IDLE
            ]
            if not free:
                return
            best = min(m.penalty for m in free)
            member = self._rng.choice([m for m in free if m.penalty == best])
            agent = self.agents[member.agent_id]
            agent.state, agent.call = DeviceState.RINGING, caller
            agent.state_until = t + timedelta(seconds=self._rng.uniform(*RING_SECONDS))
            caller.ringing_agent_id = agent.agent_id
            self.pbx.queue_agent_ringing(agent, caller, t)

    # -- agents ----------------------------------------------------------------------------

    def _set_idle(self, agent: Agent) -> None:
        agent.state, agent.state_until, agent.call = DeviceState.IDLE, None, None
        agent.call_started_at = agent.call_ends_at = None

    def _finish_timed_state(self, agent: Agent, t: datetime) -> None:
        if agent.state_until is None or agent.state_until > t:
            return
        if agent.state is DeviceState.RINGING:
            self._connect(agent, t)
        elif agent.state is DeviceState.ON_HOLD:
            agent.state, agent.state_until = DeviceState.IN_CALL, agent.call_ends_at
        elif agent.state is DeviceState.IN_CALL:
            self._hang_up(agent, t)
        else:
            if agent.state is DeviceState.BUSY:  # the agent's own call is over
                self.pbx.end_phone_call(agent.extension, t)
            self._set_idle(agent)

    def _connect(self, agent: Agent, t: datetime) -> None:
        caller = agent.call
        assert caller is not None
        queue = self.queues[caller.queue_id]
        queue.waiting.remove(caller)
        queue.stats.completed += 1
        queue.stats.hold_seconds_total += (t - caller.joined_at).total_seconds()
        talk = min(900.0, 15 + self._rng.gammavariate(2.0, queue.talk_mean_s / 2))
        agent.state, agent.call_started_at = DeviceState.IN_CALL, t
        agent.call_ends_at = agent.state_until = t + timedelta(seconds=talk)
        self.pbx.queue_answered(caller, t)
        self._log(t, "answered", queue.queue_id, f"{agent.name} <- {caller.phone}")

    def _hang_up(
        self, agent: Agent, t: datetime, side: HangupSide | None = None, transfer_to: str | None = None
    ) -> None:
        """An answered queue call ends for the agent: hung up, or sent on to `transfer_to`."""
        caller, started = agent.call, agent.call_started_at
        assert caller is not None and started is not None
        queue = self.queues[caller.queue_id]
        queue.stats.talk_seconds_total += (t - started).total_seconds()
        queue.stats.talks_ended += 1
        member = queue.member(agent.agent_id)
        if member is not None:
            member.calls_taken += 1
            member.last_call = t
        if transfer_to is None:
            self.pbx.queue_call_ended(agent, caller, t, side)
        else:
            self.pbx.queue_call_transferred(agent, caller, t, transfer_to)
        self._set_idle(agent)

    def _refuse_ring(self, agent: Agent, t: datetime) -> None:
        """The agent's phone stops ringing; the caller waits on for someone else."""
        caller = agent.call
        assert caller is not None
        self.pbx.queue_ring_stopped(caller, t, DialOutcome.BUSY)
        caller.ringing_agent_id = None
        self._set_idle(agent)

    def _wander(self, agent: Agent, t: datetime) -> None:
        """Agents pause, step away and put callers on hold on their own now and then."""
        if agent.state is DeviceState.IN_CALL:
            if self._rng.random() < HOLD_RATE:
                hold = timedelta(seconds=self._rng.uniform(*HOLD_SECONDS))
                assert agent.call_ends_at is not None and agent.call is not None
                agent.call_ends_at += hold
                agent.state, agent.state_until = DeviceState.ON_HOLD, t + hold
                self.pbx.queue_hold(agent.call, hold.total_seconds())
            return
        if agent.state is not DeviceState.IDLE:
            return
        roll = self._rng.random()
        if roll < PAUSE_RATE:
            self._pause_on_own(agent, t)
        elif roll < PAUSE_RATE + BUSY_RATE:
            self._away(agent, DeviceState.BUSY, BUSY_SECONDS, t)
        elif roll < PAUSE_RATE + BUSY_RATE + UNAVAILABLE_RATE:
            self._away(agent, DeviceState.UNAVAILABLE, UNAVAILABLE_SECONDS, t)

    def _away(self, agent: Agent, state: DeviceState, seconds: tuple[float, float], t: datetime) -> None:
        agent.state, agent.state_until = state, t + timedelta(seconds=self._rng.uniform(*seconds))
        self._log(t, str(state), None, agent.name)
        if state is DeviceState.BUSY:
            self.pbx.agent_went_busy(agent, t)

    def _pause_on_own(self, agent: Agent, t: datetime) -> None:
        unpaused = [m for m in self.memberships_of(agent.agent_id) if not m.paused]
        if not unpaused:
            return
        member = self._rng.choice(unpaused)
        member.paused = True
        member.resume_at = t + timedelta(seconds=self._rng.uniform(*SELF_PAUSE_SECONDS))
        self._log(t, "paused", member.queue_id, agent.name)

    def _resume_self_paused(self, t: datetime) -> None:
        for queue in self.queues.values():
            for member in queue.members:
                if member.resume_at is not None and member.resume_at <= t:
                    member.paused, member.resume_at = False, None
                    self._log(t, "unpaused", queue.queue_id, self.agents[member.agent_id].name)

    # -- callback requests -----------------------------------------------------------------

    def _run_callbacks(self, t: datetime) -> None:
        for cbq in self.callback_queues.values():
            pending = len(self.callback_requests_for(cbq.callback_id))
            if cbq.open and pending < cbq.max_waiting_customers:
                if self._rng.random() < cbq.requests_per_min / 60 * TICK_S:
                    self._add_callback_request(cbq, t)
        for request in list(self.callback_requests.values()):
            self._work_callback(request, t)

    def _add_callback_request(self, cbq: CallbackQueue, t: datetime) -> None:
        request_id = self._next_callback_request_id
        self._next_callback_request_id += 1
        first = t + timedelta(seconds=self._rng.uniform(*CALLBACK_FIRST_ATTEMPT_S))
        phone = world_seed.random_israeli_phone(self._rng)
        self.callback_requests[request_id] = CallbackRequest(
            request_id, cbq.callback_id, phone, t, next_attempt_at=first
        )
        self._log(t, "callback requested", None, phone)

    def _work_callback(self, request: CallbackRequest, t: datetime) -> None:
        cbq = self.callback_queues[request.callback_id]
        if t - request.requested_at > timedelta(minutes=cbq.max_waiting_time_min):
            self._finish_callback(request, t, "timed out")
            return
        if request.next_attempt_at is None or request.next_attempt_at > t:
            return
        request.attempts += 1
        request.last_attempt = t
        if self._rng.random() < CALLBACK_SUCCESS:
            self._finish_callback(request, t, "called back")
        elif request.attempts >= CALLBACK_MAX_ATTEMPTS:
            self._finish_callback(request, t, "gave up")
        else:
            request.next_attempt_at = t + timedelta(seconds=self._rng.uniform(*CALLBACK_RETRY_S))

    def _finish_callback(self, request: CallbackRequest, t: datetime, how: str) -> None:
        del self.callback_requests[request.request_id]
        self.callbacks_done += 1
        self._log(t, "callback " + how, None, request.calling_number)
