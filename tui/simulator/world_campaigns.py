"""Campaigns that dial a list of numbers and bridge each answered call into an IVR extension.

A campaign dials its numbers in order, at most `max_active` at once: each number rings, then is
answered (and bridged into the extension until the callee hangs up), busy, unanswered at the
timeout, or fails. It can be paused (nothing new is dialled) and stopped (numbers not yet
answered are cancelled; calls already bridged run to their end, meanwhile the campaign is
stopping). Billing follows the units the world charges: a fee per number entered, and per
answered call by the minute with a minimum.

Vendor-neutral; draws from its own random stream, so campaigns never change the callers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tui.vendors.yemot.assumptions import (
    CAMPAIGN_MIN_UNITS_PER_ANSWER,
    CAMPAIGN_UNITS_PER_MINUTE,
    CAMPAIGN_UNITS_PER_NUMBER,
)

DEFAULT_MAX_ACTIVE = 6
DEFAULT_MAX_BRIDGED = 6
KEEP_ENDED = 100  # per system; older finished campaigns are forgotten
# What a dialled number does: shares of failing, busy and answering (the rest ring out).
FAILED_SHARE, BUSY_SHARE, ANSWER_SHARE = 0.04, 0.10, 0.62
FAIL_AFTER_S, BUSY_AFTER_S = (0.5, 2.0), (1.0, 5.0)
ANSWER_AFTER_S = 3.0  # at the earliest; at the latest 80 % of the timeout
TALK_S = (5.0, 600.0)
TALK_MEAN_S = 70.0


class EntryStatus(StrEnum):
    PENDING = "pending"
    RINGING = "ringing"
    BRIDGED = "bridged"
    DONE = "done"  # answered, bridged and hung up
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    CANCELED = "canceled"  # the campaign stopped before it was answered

    @property
    def finished(self) -> bool:
        return self not in (EntryStatus.PENDING, EntryStatus.RINGING, EntryStatus.BRIDGED)


class CampaignState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class DistributionList:
    """A stored list of numbers to dial: a distribution list (`tpl`) or a free tzintuk list (`tzl`)."""

    kind: str  # "tpl" or "tzl"
    list_id: int
    name: str
    caller_id: str | None  # the list's own caller ID, if it has one
    phones: tuple[str, ...]


@dataclass(slots=True, eq=False)
class CampaignEntry:
    phone: str
    caller_id: str
    status: EntryStatus = EntryStatus.PENDING
    dialed_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    phase_until: datetime | None = None  # when ringing (or the bridged talk) ends
    rings_into: EntryStatus | None = None  # what ringing ends in
    price: float = 0.0

    def duration_s(self, now: datetime) -> int:
        if self.dialed_at is None:
            return 0
        return int(((self.ended_at or now) - self.dialed_at).total_seconds())

    def bridged_s(self, now: datetime) -> int:
        if self.answered_at is None:
            return 0
        return int(((self.ended_at or now) - self.answered_at).total_seconds())


@dataclass(slots=True, eq=False)
class Campaign:
    campaign_id: str
    system: str
    caller_id: str
    ivr_path: str
    module: str
    timeout_s: int
    created_at: datetime
    entries: list[CampaignEntry]
    errors: dict[str, str] = field(default_factory=dict)  # numbers not dialled, with the reason
    max_active: int = DEFAULT_MAX_ACTIVE
    max_bridged: int = DEFAULT_MAX_BRIDGED
    paused: bool = False
    stop_requested: bool = False
    ended_at: datetime | None = None
    price: float = 0.0
    next_pending: int = 0  # entries before this index have been dialled (or cancelled)
    live: list[CampaignEntry] = field(default_factory=list)  # ringing or bridged

    @property
    def state(self) -> CampaignState:
        if self.ended_at is not None:
            return CampaignState.STOPPED if self.stop_requested else CampaignState.FINISHED
        if self.stop_requested:
            return CampaignState.STOPPING
        return CampaignState.PAUSED if self.paused else CampaignState.RUNNING

    @property
    def running(self) -> bool:
        """Not ended yet (running, paused or stopping)."""
        return self.ended_at is None

    def count(self, *statuses: EntryStatus) -> int:
        return sum(1 for e in self.entries if e.status in statuses)

    def run_time_s(self, now: datetime) -> int:
        return int(((self.ended_at or now) - self.created_at).total_seconds())


# system -> distribution lists
LIST_SPECS: dict[str, tuple[DistributionList, ...]] = {
    "0773137770": (
        DistributionList(
            "tpl",
            12,
            "לקוחות VIP",
            "0773137780",
            ("0501234501", "0521234502", "0541234503", "0581234504", "035551001", "0510001", "0531234506"),
        ),
        DistributionList(
            "tpl",
            15,
            "Newsletter",
            None,
            tuple(f"05{d}76543{i:02d}" for d in "02458" for i in range(4)),
        ),
        DistributionList("tzl", 3, "צינתוק חינמי", None, ("0504440001", "0524440002", "0544440003")),
    ),
    "0773137771": (
        DistributionList("tpl", 21, "Reminders", None, ("0509990001", "0529990002", "046661234")),
    ),
}


class CampaignBook:
    """Every system's campaigns and distribution lists; `charge(system, units)` bills the account."""

    def __init__(self, rng: random.Random, charge: Callable[[str, float], None]) -> None:
        self._rng = rng
        self._charge = charge
        self.lists: dict[str, dict[str, DistributionList]] = {
            system: {f"{d.kind}:{d.list_id}": d for d in lists} for system, lists in LIST_SPECS.items()
        }
        self.campaigns: dict[str, Campaign] = {}

    def distribution_list(self, system: str, reference: str) -> DistributionList | None:
        """`tpl:12` / `tzl:3` (any case, spaces ignored)."""
        kind, _, number = reference.replace(" ", "").lower().partition(":")
        if not number.isdigit():
            return None
        return self.lists.get(system, {}).get(f"{kind}:{int(number)}")

    def of(self, system: str) -> list[Campaign]:
        return [c for c in self.campaigns.values() if c.system == system]

    def find(self, system: str, campaign_id: str) -> Campaign | None:
        campaign = self.campaigns.get(campaign_id.strip())
        return campaign if campaign is not None and campaign.system == system else None

    def launch(
        self,
        system: str,
        campaign_id: str,
        numbers: list[tuple[str, str]],
        caller_id: str,
        ivr_path: str,
        module: str,
        timeout_s: int,
        errors: dict[str, str],
        t: datetime,
    ) -> Campaign:
        """Start dialling `numbers` ((phone, caller ID) pairs) now; the per-number fee is charged."""
        entries = [CampaignEntry(phone, number_caller_id) for phone, number_caller_id in numbers]
        campaign = Campaign(
            campaign_id, system, caller_id, ivr_path, module, timeout_s, t, entries, dict(errors)
        )
        fee = round(CAMPAIGN_UNITS_PER_NUMBER * len(entries), 2)
        campaign.price = fee
        self._charge(system, fee)
        self.campaigns[campaign_id] = campaign
        self._forget_old(system)
        return campaign

    def _forget_old(self, system: str) -> None:
        ended = [c for c in self.of(system) if not c.running]
        for campaign in ended[: max(0, len(ended) - KEEP_ENDED)]:
            del self.campaigns[campaign.campaign_id]

    def set_paused(self, campaign: Campaign, paused: bool) -> bool:
        if not campaign.running or campaign.stop_requested:
            return False
        campaign.paused = paused
        return True

    def stop(self, campaign: Campaign, t: datetime) -> bool:
        """Cancel what is not answered yet; bridged calls run on until they end (stopping)."""
        if not campaign.running:
            return False
        campaign.stop_requested = True
        for entry in campaign.entries[campaign.next_pending :]:
            entry.status, entry.ended_at = EntryStatus.CANCELED, t
        campaign.next_pending = len(campaign.entries)
        for entry in [e for e in campaign.live if e.status is EntryStatus.RINGING]:
            entry.status, entry.ended_at, entry.phase_until = EntryStatus.CANCELED, t, None
            campaign.live.remove(entry)
        return True

    def set_limits(
        self, campaign: Campaign, max_active: int | None = None, max_bridged: int | None = None
    ) -> bool:
        if not campaign.running:
            return False
        if max_active is not None:
            campaign.max_active = max_active
        if max_bridged is not None:
            campaign.max_bridged = max_bridged
        return True

    # -- one second of dialling ------------------------------------------------------------------

    def step(self, t: datetime) -> None:
        for campaign in [c for c in self.campaigns.values() if c.running]:
            for entry in [e for e in campaign.live if e.phase_until is not None and e.phase_until <= t]:
                self._phase_over(campaign, entry, t)
            if not campaign.paused and not campaign.stop_requested:
                self._dial_more(campaign, t)
            if not campaign.live and campaign.next_pending >= len(campaign.entries):
                campaign.ended_at = t

    def _dial_more(self, campaign: Campaign, t: datetime) -> None:
        while campaign.next_pending < len(campaign.entries) and len(campaign.live) < campaign.max_active:
            bridged = sum(1 for e in campaign.live if e.status is EntryStatus.BRIDGED)
            if bridged >= campaign.max_bridged:
                return
            entry = campaign.entries[campaign.next_pending]
            campaign.next_pending += 1
            self._dial(campaign, entry, t)

    def _dial(self, campaign: Campaign, entry: CampaignEntry, t: datetime) -> None:
        rng = self._rng
        roll = rng.random()
        if roll < FAILED_SHARE:
            outcome, after = EntryStatus.FAILED, rng.uniform(*FAIL_AFTER_S)
        elif roll < FAILED_SHARE + BUSY_SHARE:
            outcome, after = EntryStatus.BUSY, rng.uniform(*BUSY_AFTER_S)
        elif roll < FAILED_SHARE + BUSY_SHARE + ANSWER_SHARE:
            latest = max(ANSWER_AFTER_S + 1, campaign.timeout_s * 0.8)
            outcome, after = EntryStatus.BRIDGED, rng.uniform(ANSWER_AFTER_S, latest)
        else:
            outcome, after = EntryStatus.NO_ANSWER, float(campaign.timeout_s)
        entry.status, entry.dialed_at, entry.rings_into = EntryStatus.RINGING, t, outcome
        entry.phase_until = t + timedelta(seconds=after)
        campaign.live.append(entry)

    def _phase_over(self, campaign: Campaign, entry: CampaignEntry, t: datetime) -> None:
        if entry.status is EntryStatus.RINGING and entry.rings_into is EntryStatus.BRIDGED:
            talk = min(TALK_S[1], max(TALK_S[0], self._rng.gammavariate(2.0, TALK_MEAN_S / 2)))
            entry.status, entry.answered_at = EntryStatus.BRIDGED, t
            entry.phase_until = t + timedelta(seconds=talk)
            return
        campaign.live.remove(entry)
        entry.ended_at, entry.phase_until = t, None
        if entry.status is EntryStatus.BRIDGED:
            entry.status = EntryStatus.DONE
            minutes = entry.bridged_s(t) / 60
            entry.price = round(max(CAMPAIGN_MIN_UNITS_PER_ANSWER, minutes * CAMPAIGN_UNITS_PER_MINUTE), 2)
            campaign.price = round(campaign.price + entry.price, 2)
            self._charge(campaign.system, entry.price)
        else:
            assert entry.rings_into is not None
            entry.status = entry.rings_into

    def describe(self) -> dict[str, object]:
        return {
            c.campaign_id: (str(c.state), [str(e.status) for e in c.entries]) for c in self.campaigns.values()
        }
