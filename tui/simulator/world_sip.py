"""How the PBX's SIP registrar keeps each phone's registration: qualify, refresh, lapse, re-register.

Phones re-register a little before their contact expires; now and then a refresh never comes and
the contact expires (the phone shows "UNKNOWN", "-none-") until it registers again. The PBX
qualifies every registered phone every few seconds; the round trip wanders around the phone's
usual latency and sometimes spikes past the qualify limit (LAGGED).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from tui.simulator.world_entities import QUALIFY_MAX_MS, Registration

QUALIFY_EVERY_S = 15.0
LAG_SPIKE_CHANCE = 0.01  # per qualify
REFRESH_FAIL_CHANCE = 0.04  # per refresh of an idle phone: the contact will expire
REFRESH_MARGIN_S = (5.0, 30.0)  # phones refresh this long before expiry
DOWN_SECONDS = (20.0, 180.0)  # how long a lapsed phone stays away
UNREACHABLE_SHARE = 0.5  # of phones going away: still registered, but not answering qualify


def register(reg: Registration, t: datetime, rng: random.Random) -> None:
    """A (re-)REGISTER from the phone's home address: a fresh contact, expiry and qualify."""
    reg.address, reg.reachable = reg.home_address, True
    reg.registered_at = t
    _refresh(reg, t, rng)
    reg.back_at = None
    qualify(reg, t, rng)


def _refresh(reg: Registration, t: datetime, rng: random.Random) -> None:
    reg.expires_at = t + timedelta(seconds=reg.expiry_s)
    reg.refresh_at = reg.expires_at - timedelta(seconds=rng.uniform(*REFRESH_MARGIN_S))


def qualify(reg: Registration, t: datetime, rng: random.Random) -> None:
    """An OPTIONS round trip; the next one is due a qualify period later."""
    if rng.random() < LAG_SPIKE_CHANCE:
        latency = rng.uniform(QUALIFY_MAX_MS * 1.05, QUALIFY_MAX_MS * 2.6)
    else:
        latency = reg.base_latency_ms * rng.lognormvariate(0.0, 0.25) + rng.uniform(0.0, 4.0)
    reg.latency_ms = max(1, round(latency))
    reg.next_qualify_at = t + timedelta(seconds=QUALIFY_EVERY_S)


def lapse(reg: Registration, unreachable: bool) -> None:
    """The phone went away: it stops answering qualify, or its contact is gone altogether."""
    reg.reachable, reg.latency_ms, reg.next_qualify_at = False, None, None
    if not unreachable:
        reg.address = reg.registered_at = reg.expires_at = reg.refresh_at = None


def down_for(rng: random.Random) -> timedelta:
    return timedelta(seconds=rng.uniform(*DOWN_SECONDS))


def due(reg: Registration, t: datetime) -> bool:
    """Whether a registered phone has a qualify, a refresh or (unreachable) its expiry due."""
    if not reg.registered:
        return False
    if not reg.reachable:
        return reg.expires_at is not None and reg.expires_at <= t
    qualify_at, refresh_at = reg.next_qualify_at, reg.refresh_at
    return (qualify_at is not None and qualify_at <= t) or (refresh_at is not None and refresh_at <= t)


def step(reg: Registration, t: datetime, rng: random.Random, idle: Callable[[], bool]) -> bool:
    """Qualify and refresh a registered phone; True when its contact has just expired.

    `idle` is asked only when a refresh is due (it is the costly part of a second).
    """
    if not reg.registered:
        return False
    if not reg.reachable:  # an unreachable phone sends no refresh: its contact runs out
        if reg.expires_at is not None and reg.expires_at <= t:
            lapse(reg, unreachable=False)
        return False
    if reg.next_qualify_at is not None and reg.next_qualify_at <= t:
        qualify(reg, t, rng)
    if reg.refresh_at is not None and reg.refresh_at <= t:
        # A phone in a call always gets its refresh through; an idle one sometimes does not.
        if idle() and rng.random() < REFRESH_FAIL_CHANCE:
            lapse(reg, unreachable=False)
            return True
        _refresh(reg, t, rng)
    return False


def seed(reg: Registration, origin: datetime, rng: random.Random) -> None:
    """Registered some time before the world began, part-way through its expiry."""
    registered_ago = timedelta(seconds=rng.uniform(0.0, reg.expiry_s * 0.8))
    register(reg, origin - registered_ago, rng)
    reg.next_qualify_at = origin + timedelta(seconds=rng.uniform(0.0, QUALIFY_EVERY_S))
