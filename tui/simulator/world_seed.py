"""What a fresh world holds: queues, agents, memberships and callback queues.

Rates are tuned so that a demo usually shows 0–6 callers waiting per queue, some agents talking,
now and then one paused, and callback requests coming and going.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tui.simulator.world_entities import Agent, CallbackQueue, Membership, Queue

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


def seed_callback_queues() -> dict[int, CallbackQueue]:
    return {spec[0]: CallbackQueue(*spec) for spec in CALLBACK_SPECS}


def random_israeli_phone(rng: random.Random) -> str:
    """A mobile number most of the time, sometimes a landline."""
    if rng.random() < 0.8:
        return "05" + rng.choice("023458") + f"{rng.randrange(10**7):07d}"
    return "0" + rng.choice("23489") + f"{rng.randrange(10**7):07d}"
