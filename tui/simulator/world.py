"""One seeded, living call center in simulated time, shared by every vendor facade.

All randomness comes from one `random.Random(seed)`; time moves only through `advance()`. The
world steps once per whole simulated second (so a given total of advanced time gives the same
state however it was split), while `now` moves smoothly in between. Times are kept in UTC inside
and shown as Israel time (`now`), the zone Yemot writes its dates in.

The PBX side (phones, SIP registrations, channels, the blacklist and the event log that push
senders read) lives in `world_pbx.Switchboard` as `world.pbx`; the world tells it about every
queue-call moment and it draws from a random stream of its own. The hosted systems' SIP accounts
(`world.sip`), phone numbers and caller IDs (`world.numbers`), incoming SMS (`world.sms`) and
campaigns (`world.campaigns`) each draw from a stream of their own too.

Nothing here knows a wire format: facades read these objects and call the operations below.
"""

from __future__ import annotations

import math
import random
import re
from collections import deque
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tui.simulator import world_seed
from tui.simulator.world_auth import AuthBook
from tui.simulator.world_auth_records import SentCode
from tui.simulator.world_auth_seed import seed_accounts
from tui.simulator.world_campaigns import Campaign, CampaignBook
from tui.simulator.world_entities import (
    Agent,
    CallbackQueue,
    CallbackRequest,
    Caller,
    Channel,
    DeviceState,
    Extension,
    KickOutcome,
    Membership,
    Queue,
    WorldEvent,
)
from tui.simulator.world_events import DialOutcome, EventLog, HangupSide
from tui.simulator.world_numbers import (
    GOTO_USAGE,
    SIP_USAGE,
    Approval,
    CallerIdUse,
    SystemNumbers,
    UsageOutcome,
    check_caller_id,
    seed_numbers,
    selectable,
)
from tui.simulator.world_pbx import CommandOutcome, Switchboard
from tui.simulator.world_sip_accounts import SipAccount, SipAccountBook, SipOutcome, SipTransport
from tui.simulator.world_sms import Sms, SmsInbox
from tui.vendors.yemot.assumptions import CAMPAIGN_UNITS_PER_NUMBER

ISRAEL = ZoneInfo("Asia/Jerusalem")
# The world runs this long before `start`, so it opens with calls, counters and callbacks.
WARMUP = timedelta(minutes=30)
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
BLACKLIST_NUMBER = re.compile(r"^\+?\d{3,20}$")


class LaunchStatus(StrEnum):
    OK = "ok"
    NO_EXTENSION = "no such extension"
    NO_NUMBERS = "no numbers"
    LOW_UNITS = "low units"


class World:
    """A call center: queues, agents, callers, callback requests, accounts and sessions."""

    def __init__(self, seed: int = 7, start: datetime | None = None) -> None:
        self.seed = seed
        self._rng = random.Random(seed)
        # Sessions and codes draw from their own stream (itself drawn from the seed), so API
        # traffic never changes what the callers and agents do.
        auth_rng = random.Random(self._rng.getrandbits(64))
        start = start or datetime.now(ISRAEL)
        if start.tzinfo is None:  # a naive start is read as Israel time, like Yemot's dates
            start = start.replace(tzinfo=ISRAEL)
        start = start.astimezone(UTC)
        self._origin = start - WARMUP
        self._elapsed = 0.0
        self._ticks_done = 0
        self.queues: dict[str, Queue] = world_seed.seed_queues()
        self.agents: dict[str, Agent] = world_seed.seed_agents()
        self.callback_queues: dict[int, CallbackQueue] = world_seed.seed_callback_queues()
        self.callback_requests: dict[int, CallbackRequest] = {}
        self._next_callback_request_id = world_seed.FIRST_CALLBACK_REQUEST_ID
        self.callbacks_done = 0
        self.events: deque[WorldEvent] = deque(maxlen=300)
        self.auth = AuthBook(auth_rng, self._utc_now, seed_accounts(start))
        world_seed.seed_member_history(self.queues, self._rng, self._origin)
        # The PBX's stream is seeded apart from the main one, so it leaves the callers' draws alone.
        self.pbx = Switchboard(self, random.Random(f"pbx:{seed}"), self._origin)
        self._penalties: dict[tuple[str, str], int] = {}  # remembered across logout and login
        systems = list(self.auth.accounts)
        self.numbers: dict[str, SystemNumbers] = seed_numbers(systems)
        self.sip = SipAccountBook(random.Random(f"sip-accounts:{seed}"), self._origin)
        inboxes = {s: [n.main, *(x.number for x in n.secondary)] for s, n in self.numbers.items()}
        self.sms = SmsInbox(random.Random(f"sms:{seed}"), inboxes, self._origin)
        self.campaigns = CampaignBook(random.Random(f"campaigns:{seed}"), self._charge_units)
        self.advance(WARMUP.total_seconds())

    # -- time ------------------------------------------------------------------------------

    def _utc_now(self) -> datetime:
        return self._origin + timedelta(seconds=self._elapsed)

    @property
    def now(self) -> datetime:
        """Simulated time, in Israel time."""
        return self._utc_now().astimezone(ISRAEL)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward, stepping the world at every whole second passed."""
        if seconds < 0 or math.isnan(seconds):
            raise ValueError(f"cannot advance by {seconds} seconds")
        self._elapsed += seconds
        while self._ticks_done + TICK_S <= self._elapsed + 1e-9:
            self._ticks_done += TICK_S
            self._step(self._origin + timedelta(seconds=self._ticks_done))

    def _step(self, t: datetime) -> None:
        for queue in self.queues.values():
            self._arrive(queue, t)
            self._abandon(queue, t)
        for agent in self.agents.values():
            self._finish_timed_state(agent, t)
            self._wander(agent, t)
        self._resume_self_paused(t)
        for queue in self.queues.values():
            self._offer(queue, t)
        self._run_callbacks(t)
        self.pbx.step(t)
        self.sip.step(t)
        self.sms.step(t)
        self.campaigns.step(t)

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

    def _log(self, t: datetime, kind: str, queue_id: str | None, detail: str) -> None:
        self.events.append(WorldEvent(t.astimezone(ISRAEL), kind, queue_id, detail))

    # -- lookups ---------------------------------------------------------------------------

    def queue(self, queue_id: str) -> Queue | None:
        return self.queues.get(queue_id)

    def queue_by_ivr_path(self, path: str) -> Queue | None:
        """The queue at a canonical IVR path such as "/2/5"."""
        return next((q for q in self.queues.values() if q.ivr_path == path), None)

    def queue_by_number(self, number: str) -> Queue | None:
        return next((q for q in self.queues.values() if q.number == number), None)

    def agent(self, agent_id: str) -> Agent | None:
        return self.agents.get(agent_id)

    def agent_by_phone(self, phone: str) -> Agent | None:
        return next((a for a in self.agents.values() if a.phone == phone), None)

    def agent_by_extension(self, extension: str) -> Agent | None:
        return next((a for a in self.agents.values() if a.extension == extension), None)

    def memberships_of(self, agent_id: str) -> list[Membership]:
        return [m for q in self.queues.values() for m in q.members if m.agent_id == agent_id]

    def in_progress(self, queue_id: str) -> int:
        """Answered calls of a queue still being talked (or on hold)."""
        return sum(
            1
            for a in self.agents.values()
            if a.state in (DeviceState.IN_CALL, DeviceState.ON_HOLD)
            and a.call
            and a.call.queue_id == queue_id
        )

    @property
    def extensions(self) -> dict[str, Extension]:
        """Every phone on the PBX by extension number (agents' phones and the others)."""
        return self.pbx.extensions

    def device_state(self, extension: str) -> DeviceState:
        return self.pbx.device_state(extension)

    def channels(self) -> list[Channel]:
        """Every live channel of every call, oldest first."""
        return self.pbx.channels()

    @property
    def pbx_log(self) -> EventLog:
        """The PBX's typed event log that push senders read with their own cursors."""
        return self.pbx.log

    @property
    def blacklist(self) -> tuple[str, ...]:
        return tuple(self.pbx.blacklist)

    def callback_queue(self, callback_id: int) -> CallbackQueue | None:
        return self.callback_queues.get(callback_id)

    def callback_requests_for(self, callback_id: int) -> list[CallbackRequest]:
        return [r for r in self.callback_requests.values() if r.callback_id == callback_id]

    @property
    def sent_codes(self) -> deque[SentCode]:
        """Two-factor codes the world has "sent" (the demo shows them to the user)."""
        return self.auth.sent_codes

    # -- operations ------------------------------------------------------------------------

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

    def kill_sessions(self, system: str) -> int:
        """Invalidate every session of a system (tests and fault injection)."""
        return self.auth.kill_sessions(system)

    def expire_sessions(self, system: str) -> int:
        """Make every session of a system idle-expired (tests and fault injection)."""
        return self.auth.expire_sessions(system)

    # -- hosted systems: SIP accounts, caller IDs, SMS, campaigns (vendor-neutral outcomes) --------

    def sip_accounts(self, system: str) -> list[SipAccount]:
        """The system's SIP accounts by account number (none where the system has no SIP)."""
        return self.sip.accounts_of(system)

    def sip_account(self, system: str, number: int | None = None) -> SipAccount | None:
        """An account by number; None asks for the first one."""
        return self.sip.account(system, number)

    def sip_account_limit(self, system: str) -> int:
        return self.sip.limit(system)

    def create_sip_account(
        self, system: str, extension: int | None = None
    ) -> tuple[SipOutcome, SipAccount | None]:
        t = self._utc_now()
        outcome, account = self.sip.create(system, extension, t)
        if account is not None:
            self._log(t, "sip account created", None, account.username)
        return outcome, account

    def delete_sip_accounts(self, system: str, numbers: list[int]) -> int:
        deleted = self.sip.delete(system, numbers)
        if deleted:
            self._log(self._utc_now(), "sip accounts deleted", None, f"{system}: {deleted}")
        return deleted

    def set_sip_transport(self, system: str, number: int | None, transport: SipTransport) -> SipOutcome:
        return self.sip.set_transport(system, number, transport, self._utc_now())

    def set_sip_caller_id(self, system: str, number: int | None, caller_id: str) -> SipOutcome:
        """Only a number approved for calls in this system (its own numbers included) is taken."""
        if self.sip.account(system, number) is None:
            return SipOutcome.NOT_FOUND
        if not self.caller_id_approval(system, caller_id).approved:
            return SipOutcome.CALLER_ID_NOT_APPROVED
        return self.sip.set_caller_id(system, number, caller_id.strip())

    def set_sip_extension(self, system: str, number: int | None, extension: int | None) -> SipOutcome:
        return self.sip.set_extension(system, number, extension)

    def caller_id_approval(
        self, system: str, caller_id: str, use: CallerIdUse = CallerIdUse.CALL
    ) -> Approval:
        """May the system show `caller_id` on calls (or as an SMS sender)?"""
        return check_caller_id(self.numbers[system], caller_id, use)

    def set_secondary_usage(self, system: str, number_id: int, usage: str) -> UsageOutcome:
        """Send direct calls of a secondary number to a SIP account (`sip:5`) or an extension (`goto:/1`)."""
        secondary = next((n for n in self.numbers[system].secondary if n.number_id == number_id), None)
        if secondary is None:
            return UsageOutcome.NOT_FOUND
        if not selectable(secondary.usage):
            return UsageOutcome.LOCKED
        sip, goto = SIP_USAGE.match(usage), GOTO_USAGE.match(usage)
        if sip is not None:
            target = int(sip.group(1))
            accounts = self.sip.accounts_of(system)
            if not any(target in (a.number, a.extension) for a in accounts):
                return UsageOutcome.BAD_USAGE
        elif goto is None or self.ivr_module(goto.group(1).rstrip("/") or "/") is None:
            return UsageOutcome.BAD_USAGE
        secondary.usage = usage
        self._log(self._utc_now(), "secondary number usage", None, f"{secondary.number} -> {usage}")
        return UsageOutcome.OK

    def incoming_sms(
        self, system: str, start: datetime | None = None, end: datetime | None = None, limit: int = 100
    ) -> list[Sms]:
        """Up to `limit` messages received between `start` and `end` (inclusive), newest first."""
        found: list[Sms] = []
        for sms in self.sms.newest_first(system, start, end):
            if len(found) >= limit:
                break
            found.append(sms)
        return found

    def receive_sms(self, system: str, source: str, text: str, destination: str | None = None) -> Sms:
        """An SMS reaches the system now (tests, demos)."""
        return self.sms.receive(system, source, text, self._utc_now(), destination)

    def ivr_module(self, path: str) -> str | None:
        """The module of the IVR extension at a canonical path such as "/2/5" (None: no such one)."""
        return world_seed.IVR_EXTENSIONS.get(path)

    def launch_campaign(
        self,
        system: str,
        campaign_id: str,
        numbers: list[tuple[str, str]],
        caller_id: str,
        ivr_path: str,
        timeout_s: int,
        errors: dict[str, str] | None = None,
    ) -> tuple[LaunchStatus, Campaign | None]:
        """Dial `numbers` ((phone, caller ID) pairs) and bridge the answered ones into `ivr_path`."""
        module = self.ivr_module(ivr_path)
        if module is None:
            return LaunchStatus.NO_EXTENSION, None
        if not numbers:
            return LaunchStatus.NO_NUMBERS, None
        account = self.auth.accounts[system]
        if account.units < CAMPAIGN_UNITS_PER_NUMBER * len(numbers):
            return LaunchStatus.LOW_UNITS, None
        t = self._utc_now()
        campaign = self.campaigns.launch(
            system, campaign_id, numbers, caller_id, ivr_path, module, timeout_s, errors or {}, t
        )
        self._log(t, "campaign launched", None, f"{campaign_id}: {len(numbers)} numbers -> {ivr_path}")
        return LaunchStatus.OK, campaign

    def campaign(self, system: str, campaign_id: str) -> Campaign | None:
        return self.campaigns.find(system, campaign_id)

    def active_campaigns(self, system: str) -> list[Campaign]:
        """Campaigns still running, paused or stopping."""
        return [c for c in self.campaigns.of(system) if c.running]

    def pause_campaign(self, system: str, campaign_id: str, paused: bool) -> bool:
        campaign = self.campaigns.find(system, campaign_id)
        return campaign is not None and self.campaigns.set_paused(campaign, paused)

    def stop_campaign(self, system: str, campaign_id: str) -> bool:
        campaign = self.campaigns.find(system, campaign_id)
        if campaign is None or not self.campaigns.stop(campaign, self._utc_now()):
            return False
        self._log(self._utc_now(), "campaign stopped", None, campaign_id)
        return True

    def _charge_units(self, system: str, units: float) -> None:
        account = self.auth.accounts.get(system)
        if account is not None:
            account.units = round(account.units - units, 2)

    def describe(self) -> dict[str, object]:
        """A plain summary of the moving state, for comparing worlds and for debugging."""
        return {
            "now": self.now.isoformat(),
            "queues": {
                q.queue_id: {
                    "stats": (q.stats.offered, q.stats.completed, q.stats.abandoned, q.stats.kicked),
                    "waiting": [c.call_id for c in q.waiting],
                    "members": [(m.agent_id, m.paused, m.calls_taken) for m in q.members],
                }
                for q in self.queues.values()
            },
            "agents": {a.agent_id: str(a.state) for a in self.agents.values()},
            "callbacks": sorted((r.request_id, r.attempts) for r in self.callback_requests.values()),
            "pbx": self.pbx.describe(),
            "sip_accounts": self.sip.describe(),
            "sms": self.sms.describe(),
            "campaigns": self.campaigns.describe(),
        }
