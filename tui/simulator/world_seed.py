"""What a fresh world holds: queues, agents, memberships and callback queues.

Rates are tuned so that a demo usually shows 0–6 callers waiting per queue, some agents talking,
now and then one paused, and callback requests coming and going.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tui.simulator.world_entities import Agent, CallbackQueue, Extension, Membership, Queue, Registration

# (queue_id, name, ivr_path, number, arrivals per minute, mean talk seconds, mean patience seconds)
QUEUE_SPECS: tuple[tuple[str, str, str, str, float, float, float], ...] = (
    ("sales", "Sales", "/1", "630", 1.5, 140.0, 150.0),
    ("support", "Support", "/2/5", "631", 1.9, 170.0, 180.0),
    ("billing", "Billing", "/3", "632", 1.1, 120.0, 120.0),
)

# (agent_id, name, phone, extension). Yemot agents are phones or SIP-<n>-<account>.
AGENT_SPECS: tuple[tuple[str, str, str, str], ...] = (
    ("a01", "Avi Cohen", "0501111111", "801"),
    ("a02", "Dana Levi", "0502222222", "802"),
    ("a03", "Yossi Mizrahi", "0523333333", "803"),
    ("a04", "Noa Peretz", "0544444444", "804"),
    ("a05", "Moshe Biton", "0505555555", "805"),
    ("a06", "Tamar Friedman", "0526666666", "806"),
    ("a07", "Eitan Azoulay", "0547777777", "807"),
    ("a08", "Shira Katz", "0508888888", "808"),
    ("a09", "David Ohana", "SIP-1234-2", "809"),
    ("a10", "Michal Gabay", "0529999999", "810"),
    ("a11", "Yael Shapiro", "0531212121", "811"),
    ("a12", "Omer Dahan", "0543434343", "812"),
    ("a13", "Rivka Amar", "0585656565", "813"),
    ("a14", "Ariel Ben-David", "SIP-1234-3", "814"),
    ("a15", "Liat Segal", "0527878787", "815"),
)

# queue_id -> (agent_id, penalty). a05 works both sales and support.
MEMBERSHIP_SPECS: dict[str, tuple[tuple[str, int], ...]] = {
    "sales": (("a01", 0), ("a02", 0), ("a03", 0), ("a04", 1), ("a05", 2)),
    "support": (("a05", 0), ("a06", 0), ("a07", 0), ("a08", 0), ("a09", 1), ("a10", 1), ("a11", 2)),
    "billing": (("a12", 0), ("a13", 0), ("a14", 1), ("a15", 0)),
}

# Agents who have not taken a queue call yet (their LastCall is empty at the start).
NEW_AGENTS = frozenset({"a15"})

WORKDAYS = "weekDay=1-5&monthDay=&month=&year=*&time=09:00-17:00&open=true"
EVENINGS = "weekDay=1-5&monthDay=&month=&year=*&time=17:00-21:00&open=true"

# (id, path, queue_path, caller_id, callback_times, max wait minutes, max customers, open, per minute)
CALLBACK_SPECS: tuple[tuple[int, str, str, str, str, int, int, bool, float], ...] = (
    (110, "/1", "/1", "0773137770", WORKDAYS, 120, 5, True, 0.25),
    (111, "/2/5", "/2/5", "0773137770", WORKDAYS, 90, 4, True, 0.2),
    (112, "/4", "/3", "0773137770", EVENINGS, 60, 3, False, 0.0),
)

FIRST_CALLBACK_REQUEST_ID = 84299

# Phones on the PBX that no agent uses: (extension, name, unplugged).
OTHER_EXTENSIONS: tuple[tuple[str, str, bool], ...] = (
    ("800", "Reception", False),
    ("820", "Conference room", False),
    ("830", "Warehouse", True),  # switched off: never registers
)

# (user agent, network (None: the office LAN), port, REGISTER expiry s, base latency ms). Phones are
# handed out in this order, round robin; softphones of remote workers register from home networks.
PHONE_MODELS: tuple[tuple[str, str | None, int, int, float], ...] = (
    ("Yealink SIP-T46S 66.86.0.15", None, 5060, 3600, 18.0),
    ("Grandstream GXP2170 1.0.11.23", None, 5060, 1800, 24.0),
    ("Yealink SIP-T54W 96.86.0.100", None, 5060, 3600, 15.0),
    ("Fanvil X4U 2.12.4", None, 5060, 600, 30.0),
    ("Zoiper rv2.10.19.3", "203.0.113.", 52841, 300, 95.0),
    ("MicroSIP/3.21.3", "198.51.100.", 61022, 600, 140.0),
)
OFFICE_LAN = "192.168.12."

# The IVR tree every system answers with: extension path -> module (queues sit at their paths).
IVR_EXTENSIONS: dict[str, str] = {
    "/": "menu",
    "/1": "queue",
    "/2": "menu",
    "/2/5": "queue",
    "/3": "queue",
    "/4": "queue",
    "/5": "playfile",
    "/6": "voicemail",
    "/7": "menu",
    "/7/1": "playfile",
    "/7/2": "record",
}

# The call center's public number (the DID its trunk answers) and the one IVR in front of queues.
TRUNK_NUMBER = "0773137770"
IVR_ID, IVR_NAME = "610", "welcome"

# Callers who ring again and again; the first two are on the blacklist from the start.
REGULAR_CALLERS: tuple[str, ...] = (
    "0521234567",
    "035550123",
    "0547001122",
    "0509876543",
    "0584441234",
    "046663322",
    "0531110099",
    "0528887766",
)
BLACKLIST: tuple[str, ...] = REGULAR_CALLERS[:2]


def seed_queues() -> dict[str, Queue]:
    queues: dict[str, Queue] = {}
    for queue_id, name, path, number, rate, talk, patience in QUEUE_SPECS:
        queue = Queue(queue_id, name, path, number, rate, talk_mean_s=talk, patience_mean_s=patience)
        queue.members = [
            Membership(queue_id, agent_id, penalty) for agent_id, penalty in MEMBERSHIP_SPECS[queue_id]
        ]
        queues[queue_id] = queue
    return queues


def seed_agents() -> dict[str, Agent]:
    return {agent_id: Agent(agent_id, name, phone, ext) for agent_id, name, phone, ext in AGENT_SPECS}


def seed_member_history(queues: dict[str, Queue], rng: random.Random, now: datetime) -> None:
    """Give members a plausible past: calls taken today and when the last one ended."""
    for queue in queues.values():
        for member in queue.members:
            if member.agent_id in NEW_AGENTS:
                continue
            member.calls_taken = rng.randint(3, 24)
            member.last_call = now - timedelta(seconds=rng.randint(120, 3 * 3600))


def seed_extensions(agents: dict[str, Agent]) -> dict[str, Extension]:
    """Every agent's phone and the other phones, by extension number (all unregistered yet)."""
    specs = [(a.extension, a.name, a.agent_id, False) for a in agents.values()]
    specs += [(number, name, None, unplugged) for number, name, unplugged in OTHER_EXTENSIONS]
    extensions: dict[str, Extension] = {}
    for index, (number, name, agent_id, unplugged) in enumerate(sorted(specs)):
        agent, network, port, expiry, latency = PHONE_MODELS[index % len(PHONE_MODELS)]
        if network is None:  # a desk phone on the office LAN
            address = f"{OFFICE_LAN}{101 + index}"
        else:  # a softphone behind a home router, on a NAT port of its own
            address, port = f"{network}{20 + index}", port + 37 * index
        registration = Registration(agent, address, port, expiry, latency)
        extensions[number] = Extension(number, name, registration, agent_id, unplugged=unplugged)
    return extensions


def seed_callback_queues() -> dict[int, CallbackQueue]:
    return {spec[0]: CallbackQueue(*spec) for spec in CALLBACK_SPECS}


def random_israeli_phone(rng: random.Random) -> str:
    """A mobile number most of the time, sometimes a landline."""
    if rng.random() < 0.8:
        return "05" + rng.choice("023458") + f"{rng.randrange(10**7):07d}"
    return "0" + rng.choice("23489") + f"{rng.randrange(10**7):07d}"
