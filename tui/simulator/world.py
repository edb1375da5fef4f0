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

The clock, the state and the lookups are here; the rest of `World` is kept in parts of its own:
callers, agents and callback requests living second by second (`world_queue_life`), operators'
commands on queues, phones and sessions (`world_commands`), and the hosted systems' SIP accounts,
caller IDs, SMS and campaigns (`world_hosted`).

Nothing here knows a wire format: facades read these objects and call the world's operations.
"""

from __future__ import annotations

import math
import random
from collections import deque
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.simulator import world_seed
from tui.simulator.world_auth import AuthBook
from tui.simulator.world_auth_records import SentCode
from tui.simulator.world_auth_seed import seed_accounts
from tui.simulator.world_campaigns import CampaignBook
from tui.simulator.world_commands import OperatorCommands
from tui.simulator.world_entities import (
    Agent,
    CallbackQueue,
    CallbackRequest,
    Channel,
    DeviceState,
    Extension,
    Membership,
    Queue,
    WorldEvent,
)
from tui.simulator.world_events import EventLog
from tui.simulator.world_hosted import HostedSystems
from tui.simulator.world_numbers import SystemNumbers, seed_numbers
from tui.simulator.world_pbx import Switchboard
from tui.simulator.world_queue_life import TICK_S, QueueLife
from tui.simulator.world_sip_accounts import SipAccountBook
from tui.simulator.world_sms import SmsInbox

ISRAEL = ZoneInfo("Asia/Jerusalem")
# The world runs this long before `start`, so it opens with calls, counters and callbacks.
WARMUP = timedelta(minutes=30)


class World(QueueLife, OperatorCommands, HostedSystems):
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
