"""A big call center for `callboard bench`: hundreds of agents, a long queue, a full inbox, many SIP accounts.

`load_world` grows a seeded `World` in place with the world's own entities (agents with phones on
the PBX and queue memberships, callers admitted through `World.call_in`, `Sms`, `SipAccount`), so
every facade serves them in its vendor's real wire format. Callers arrive while the world runs for
a couple of simulated minutes, so agents are in real calls and the waiting callers have waited for
different times; then the queues are topped up (or trimmed) to exactly the number asked for.

Everything draws from a stream of its own seeded from the world's seed: the same world and the
same counts always load the same way. Serve the loaded world at speed 0 (`build_app(world, 0)`,
`SimulatorServer(world, speed=0)`) to keep it still; `AgentFlipper` then changes exactly one agent
at a time, for the "one agent changes state each second" figure.
"""

from __future__ import annotations

import random
import string
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tui.simulator import world_seed, world_sip
from tui.simulator.demo_accounts import DEMO_ACCOUNTS
from tui.simulator.secret import Secret
from tui.simulator.world import World
from tui.simulator.world_entities import Agent, DeviceState, Extension, Membership, Queue, Registration
from tui.simulator.world_sip_accounts import (
    PASSWORD_ALPHABET,
    PASSWORD_LENGTH,
    SipAccount,
    SipDevice,
    SipTransport,
)
from tui.simulator.world_sms import DAYS, HISTORY_DAYS, NAMES, TEMPLATES, Sms, international
from tui.vendors.yemot.assumptions import SIP_EXTENSION_MAX, sip_username

DEMO_SYSTEM = DEMO_ACCOUNTS[0].system  # the demo's main system: trusted IP, SIP on
FIRST_AGENT_EXTENSION = 1000  # new agents' phones: 1000, 1001, ... (4 digits: still extensions)
MAX_EXTENSION = 9999
PAUSED_SHARE = 0.08  # of new agents' memberships
SELF_PAUSED_SHARE = 0.5  # of those: paused on their own, back in a few minutes (the rest by an operator)
PENALTIES = (0, 0, 0, 0, 0, 0, 0, 1, 1, 2)
RING_SETTLE_S = 7  # longer than any ring (RING_SECONDS): every agent rung has answered
ARRIVALS_S = 120  # waiting callers arrive over this long, so their waits differ
# An answered call holds its agent for the talk (at least 15 s more than the queue's mean: World._connect),
# the ring before it and time on hold; a caller waits at least 20 s beyond the mean patience.
CALL_OVERHEAD_S = 15.0 + 4.0 + 9.0
MIN_PATIENCE_S = 20.0
AT_WORK = 0.8  # share of unpaused members answering at any time (measured: keeps the queues' length steady)
SIP_REGISTERED_SHARE = 0.05  # of new SIP accounts with a device registered now
SIP_WSS_SHARE = 0.1
SIP_WITH_EXTENSION_SHARE = 0.7
FIRST_SIP_EXTENSION = 1000

FIRST_NAMES = (
    "Avi", "Dana", "Yossi", "Noa", "Moshe", "Tamar", "Eitan", "Shira", "David", "Michal", "Yael", "Omer",
    "Rivka", "Ariel", "Liat", "Itai", "Maya", "Gil", "Hila", "Ron", "Sara", "Amir", "Lea", "Nir",
)  # fmt: skip
LAST_NAMES = (
    "Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Azoulay", "Katz", "Ohana", "Gabay",
    "Shapiro", "Dahan", "Amar", "Segal", "Malka", "Vaknin", "Golan", "Hadad", "Sasson", "Barak",
)  # fmt: skip
# (user agent, network, port, REGISTER expiry s, latency ms) of the devices on new SIP accounts.
SIP_DEVICE_MODELS: tuple[tuple[str, str, int, int, float], ...] = (
    ("Yealink SIP-T31P 124.86.0.40", "192.168.", 5060, 600, 14.0),
    ("Grandstream GRP2612 1.0.9.16", "192.168.", 5060, 1800, 21.0),
    ("Zoiper rv2.10.20.2", "203.0.113.", 40000, 120, 85.0),
    ("MicroSIP/3.21.5", "198.51.100.", 50000, 300, 110.0),
)


def load_world(
    world: World,
    *,
    agents: int = 500,
    waiting: int = 200,
    sms: int = 3000,
    sip_accounts: int = 1000,
    system: str | None = None,
) -> None:
    """Grow `world` to `agents` agents in its queues, `waiting` callers waiting, and, in `system`
    (default: the demo's main system), at least `sms` incoming messages and `sip_accounts` SIP accounts.

    Counts already reached are left alone (a world is never shrunk); `waiting=0` leaves the callers
    alone. Otherwise the world moves on by about two simulated minutes while callers arrive, and its
    queues' arrival rates are raised to keep about `waiting` callers waiting while it runs on.
    """
    if min(agents, waiting, sms, sip_accounts) < 0:
        raise ValueError("counts cannot be negative")
    system = system or DEMO_SYSTEM
    if system not in world.numbers:
        raise ValueError(f"no system {system!r} in this world")
    rng = random.Random(f"load:{world.seed}")
    _add_agents(world, rng, agents - len(world.agents))
    if waiting > 0:
        _fill_queues(world, rng, waiting)
    _fill_inbox(world, rng, system, sms)
    _add_sip_accounts(world, rng, system, sip_accounts)


def loaded_world(seed: int = 7, start: datetime | None = None, **counts: int) -> World:
    """A new world of this seed, loaded (`counts` as for `load_world`)."""
    world = World(seed, start)
    load_world(world, **counts)
    return world


# -- agents ------------------------------------------------------------------------------------------


def _add_agents(world: World, rng: random.Random, count: int) -> None:
    if count <= 0:
        return
    used_phones = {a.phone for a in world.agents.values()} | set(world_seed.BLACKLIST)
    extensions = (
        str(n) for n in range(FIRST_AGENT_EXTENSION, MAX_EXTENSION + 1) if str(n) not in world.extensions
    )
    queues = list(world.queues.values())
    now = world.now.astimezone(UTC)
    number = len(world.agents)
    for index in range(count):
        number += 1
        agent_id = f"a{number:03d}"
        while agent_id in world.agents:
            number += 1
            agent_id = f"a{number:03d}"
        phone = _new_phone(rng, used_phones)
        extension = next(extensions, None)
        if extension is None:
            raise ValueError(f"no free extension number left for agent {index + 1} of {count}")
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        agent = Agent(agent_id, name, phone, extension)
        world.agents[agent_id] = agent
        _plug_in_phone(world, agent, rng, now)
        queue = queues[index % len(queues)]
        queue.members.append(_membership(queue, agent_id, rng, now))


def _new_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = "05" + rng.choice("023458") + f"{rng.randrange(10**7):07d}"
        if phone not in used:
            used.add(phone)
            return phone


def _plug_in_phone(world: World, agent: Agent, rng: random.Random, now: datetime) -> None:
    """The agent's desk phone or softphone, registered, on the PBX (as `world_seed.seed_extensions` does)."""
    index = len(world.extensions)
    user_agent, network, port, expiry, latency = world_seed.PHONE_MODELS[index % len(world_seed.PHONE_MODELS)]
    if network is None:  # a desk phone on the office LAN
        address = f"10.12.{index // 250}.{index % 250 + 2}"
    else:  # a softphone behind a home router
        address, port = f"{network}{index % 200 + 20}", 20000 + (37 * index) % 40000
    registration = Registration(user_agent, address, port, expiry, latency)
    world_sip.seed(registration, now, rng)
    extension = Extension(agent.extension, agent.name, registration, agent.agent_id)
    pbx = world.pbx
    pbx.extensions[agent.extension] = extension
    # The switchboard keeps each phone with its agent, and the state it last reported, for its
    # per-second step; a phone added after it was built joins both (the world has no "add a phone").
    pbx._phones.append((extension, agent))
    pbx._published[agent.extension] = agent.state


def _membership(queue: Queue, agent_id: str, rng: random.Random, now: datetime) -> Membership:
    member = Membership(queue.queue_id, agent_id, rng.choice(PENALTIES))
    member.calls_taken = rng.randint(0, 30)
    if member.calls_taken:
        member.last_call = now - timedelta(seconds=rng.randint(60, 3 * 3600))
    if rng.random() < PAUSED_SHARE:
        member.paused = True
        if rng.random() < SELF_PAUSED_SHARE:
            member.resume_at = now + timedelta(seconds=rng.uniform(60.0, 420.0))
    return member


# -- callers -------------------------------------------------------------------------------------------


def _fill_queues(world: World, rng: random.Random, waiting: int) -> None:
    """Busy agents first, then callers arriving faster than they are answered, then exact counts."""
    queues = list(world.queues.values())
    targets = {q.queue_id: waiting // len(queues) + (i < waiting % len(queues)) for i, q in enumerate(queues)}
    for queue in queues:  # a caller for every free agent: the board opens with agents in calls
        for _ in range(sum(1 for m in queue.members if _free(world, m))):
            _call_in(world, rng, queue)
    world.advance(RING_SETTLE_S)
    for second in range(1, ARRIVALS_S + 1):
        for queue in queues:
            ramp = targets[queue.queue_id] * second // ARRIVALS_S
            for _ in range(ramp - len(queue.waiting)):
                _call_in(world, rng, queue)
        world.advance(1)
    for queue in queues:
        target = targets[queue.queue_id]
        queue.arrivals_per_min = _steady_arrivals(world, queue, target)
        while len(queue.waiting) < target:
            _call_in(world, rng, queue)
        for caller in queue.waiting[target:]:  # the newest go; what stays has waited longest
            world.kick(queue.queue_id, caller.call_id)


def _steady_arrivals(world: World, queue: Queue, waiting: int) -> float:
    """Callers a minute that keep about `waiting` in the queue while the world runs on.

    The unpaused members answer about one call per handling time each; callers beyond that stay
    in the queue until they give up, after their patience on average, which sets the queue's length.
    """
    handling_s = CALL_OVERHEAD_S + queue.talk_mean_s
    answered_per_s = AT_WORK * sum(1 for m in queue.members if not m.paused) / handling_s
    patience_s = MIN_PATIENCE_S + queue.patience_mean_s
    return max(queue.arrivals_per_min, (answered_per_s + waiting / patience_s) * 60)


def _free(world: World, member: Membership) -> bool:
    return not member.paused and world.agents[member.agent_id].state is DeviceState.IDLE


def _call_in(world: World, rng: random.Random, queue: Queue) -> None:
    while world.call_in(queue.queue_id, world_seed.random_israeli_phone(rng)) is None:
        pass  # a blacklisted number was drawn: that caller is refused; another one rings


# -- SMS --------------------------------------------------------------------------------------------------


def _fill_inbox(world: World, rng: random.Random, system: str, count: int) -> None:
    """Older messages spread over the inbox's history, merged in time order with those already there."""
    held = world.sms.messages.setdefault(system, deque(maxlen=20000))
    missing = count - len(held)
    if missing <= 0:
        return
    numbers = world.numbers[system]
    destinations = [international(n) for n in (numbers.main, *(s.number for s in numbers.secondary))]
    senders = [_sms_sender(rng) for _ in range(200)]
    now = world.now.astimezone(UTC)
    span_s = HISTORY_DAYS * 86400
    extra = []
    for _ in range(missing):
        at = (now - timedelta(seconds=rng.uniform(1.0, span_s))).replace(microsecond=0)
        source = rng.choice(senders) if rng.random() < 0.6 else _sms_sender(rng)
        destination = destinations[0] if rng.random() < 0.75 else rng.choice(destinations)
        extra.append(Sms(at, source, destination, _sms_text(rng)))
    merged = sorted([*held, *extra], key=lambda sms: sms.received_at)
    world.sms.messages[system] = deque(merged, maxlen=max(held.maxlen or 0, len(merged)))


def _sms_sender(rng: random.Random) -> str:
    return "9725" + rng.choice("0234568") + f"{rng.randrange(10**7):07d}"


def _sms_text(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        code=f"{rng.randrange(10**6):06d}",
        order=rng.randrange(10000, 99999),
        name=rng.choice(NAMES),
        hour=rng.randrange(8, 20),
        day=rng.choice(DAYS),
    )


# -- SIP accounts -----------------------------------------------------------------------------------------


def _add_sip_accounts(world: World, rng: random.Random, system: str, count: int) -> None:
    """Accounts numbered on from the last one; a few have a device registered now, most none."""
    book = world.sip
    accounts = book.accounts.setdefault(system, [])
    if count <= len(accounts):
        return
    book.limits[system] = max(book.limit(system), count)
    now = world.now.astimezone(UTC)
    taken = {a.extension for a in accounts}
    number = max((a.number for a in accounts), default=0)
    while len(accounts) < count:
        number += 1
        extension = FIRST_SIP_EXTENSION + number
        if extension > SIP_EXTENSION_MAX or extension in taken or rng.random() >= SIP_WITH_EXTENSION_SHARE:
            extension = None
        transport = SipTransport.WSS if rng.random() < SIP_WSS_SHARE else SipTransport.UDP
        password = Secret("".join(rng.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH)))
        created = (now - timedelta(days=rng.randint(1, 1500), seconds=rng.randrange(86400))).replace(
            microsecond=0
        )
        account = SipAccount(
            system, number, sip_username(system, number), password, created, transport, extension
        )
        if rng.random() < SIP_REGISTERED_SHARE:
            account.devices.append(_registered_device(rng, transport, now, number))
        accounts.append(account)


def _registered_device(rng: random.Random, transport: SipTransport, now: datetime, number: int) -> SipDevice:
    if transport is SipTransport.WSS:
        address = f"198.51.100.{rng.randrange(2, 250)}"
        port = rng.randrange(49152, 65535)
        registration = Registration("JsSIP 3.10.1", address, port, 300, 60.0, transport)
        alphabet = string.ascii_lowercase + string.digits
        user = "".join(rng.choice(alphabet) for _ in range(8))
        host = "".join(rng.choice(alphabet) for _ in range(12))
        device = SipDevice(registration, address, port, f"{user}@{host}.invalid")
    else:
        user_agent, network, port, expiry, latency = SIP_DEVICE_MODELS[number % len(SIP_DEVICE_MODELS)]
        if network == "192.168.":  # a desk phone on the customer's LAN
            address = via = f"192.168.{number // 250 % 256}.{number % 250 + 2}"
        else:  # a softphone at home: its Via is its own LAN address
            address = f"{network}{rng.randrange(2, 250)}"
            via, port = f"10.0.{rng.randrange(0, 8)}.{rng.randrange(2, 250)}", port + rng.randrange(10000)
        registration = Registration(user_agent, address, port, expiry, latency, transport)
        device = SipDevice(registration, via, port)
    world_sip.seed(registration, now, rng)
    return device


# -- one agent at a time ----------------------------------------------------------------------------------


@dataclass(slots=True)
class AgentFlipper:
    """Pauses and unpauses one agent in one queue, one change per `flip()`.

    With the world served at speed 0 nothing else moves, so each flip is exactly one agent changing
    state (its row, and its queue's paused count). World operations are not thread-safe: call
    `flip()` where the simulator serves (e.g. `loop.call_soon_threadsafe(flipper.flip)`).
    """

    world: World
    queue_id: str
    agent_id: str

    def flip(self) -> bool:
        """Toggle the pause; the new paused state."""
        queue = self.world.queues[self.queue_id]
        member = queue.member(self.agent_id)
        if member is None:
            raise LookupError(f"agent {self.agent_id} is no longer in queue {self.queue_id}")
        paused = not member.paused
        self.world.set_paused(self.queue_id, self.agent_id, paused)
        return paused


def agent_flipper(world: World, queue_id: str | None = None) -> AgentFlipper:
    """A flipper for the first unpaused member of `queue_id` (default: the first queue)."""
    queue = world.queues[queue_id] if queue_id is not None else next(iter(world.queues.values()))
    member = next((m for m in queue.members if not m.paused), None) or next(iter(queue.members), None)
    if member is None:
        raise LookupError(f"queue {queue.queue_id} has no members")
    return AgentFlipper(world, queue.queue_id, member.agent_id)
