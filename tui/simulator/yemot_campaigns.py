"""Campaigns into an extension (vendors/yemot.md 1.5, 2.4, A12, A13) over the simulated world.

CallExtensionBridging starts one; its `YA-…` id then works with GetCampaignStatus, appears in
GetActiveCampaigns while it runs, and CampaignAction pauses, resumes or stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tui.simulator.world import ISRAEL
from tui.simulator.world_campaigns import Campaign, CampaignEntry, CampaignState, EntryStatus
from tui.simulator.world_hosted import LaunchStatus
from tui.simulator.yemot_common import ERROR, EXTENSION_MISSING, Call, Refusal, Service
from tui.vendors.yemot.assumptions import (
    CAMPAIGN_FINISHED,
    CAMPAIGN_INVALID_NUMBER,
    CAMPAIGN_LOW_UNITS,
    CAMPAIGN_MAX_NUMBERS,
    CAMPAIGN_NO_VALID_NUMBERS,
    CAMPAIGN_NOT_FOUND,
    CAMPAIGN_PAUSED,
    CAMPAIGN_RUNNING,
    CAMPAIGN_STOPPED,
    CAMPAIGN_STOPPING,
    CAMPAIGN_TIMEOUT_DEFAULT_S,
    CAMPAIGN_TIMEOUT_MAX_S,
    CAMPAIGN_TOO_MANY_NUMBERS,
    CAMPAIGN_UNITS_PER_MINUTE,
    a6_normal_path,
    is_dialable,
)

STATE_WORDS = {
    CampaignState.RUNNING: CAMPAIGN_RUNNING,
    CampaignState.PAUSED: CAMPAIGN_PAUSED,
    CampaignState.STOPPING: CAMPAIGN_STOPPING,
    CampaignState.STOPPED: CAMPAIGN_STOPPED,
    CampaignState.FINISHED: CAMPAIGN_FINISHED,
}
FAILED_STATUSES = (EntryStatus.FAILED, EntryStatus.BUSY, EntryStatus.NO_ANSWER)
# GetCampaignStatus `entries` filters (2.4); those the simulated campaigns never produce match nothing.
ENTRY_FILTERS: dict[str, frozenset[EntryStatus]] = {
    "all": frozenset(EntryStatus),
    "pending": frozenset({EntryStatus.PENDING}),
    "done": frozenset({EntryStatus.DONE}),
    "accepted": frozenset({EntryStatus.BRIDGED, EntryStatus.DONE}),
    "failed": frozenset({EntryStatus.FAILED}),
    "no_answer": frozenset({EntryStatus.NO_ANSWER}),
    "busy": frozenset({EntryStatus.BUSY}),
    "ringing": frozenset({EntryStatus.RINGING}),
    "up": frozenset({EntryStatus.BRIDGED}),
    "bridged": frozenset({EntryStatus.BRIDGED}),
    "canceled": frozenset({EntryStatus.CANCELED}),
    **{name: frozenset() for name in ("blocked", "amd", "remove_request", "redial", "error")},
}
LAUNCH_REFUSALS = {
    LaunchStatus.LOW_UNITS: CAMPAIGN_LOW_UNITS,
    LaunchStatus.NO_EXTENSION: ("ERROR", EXTENSION_MISSING),
    LaunchStatus.NO_NUMBERS: CAMPAIGN_NO_VALID_NUMBERS,
}
WHO = "API"
START_TIME_FORMAT = "%H:%M:%S"  # entries' `startTime` (2.8: bare HH:MM:SS)


# -- CallExtensionBridging --------------------------------------------------------------------


def _phones_of(call: Call) -> tuple[list[tuple[str, str | None]], str | None]:
    """(phone, its own caller ID or None) pairs as given, and the distribution list's caller ID."""
    value = call.params.get("phones")
    if isinstance(value, list):  # only a JSON body can carry an array
        pairs: list[tuple[str, str | None]] = []
        for item in value:
            if isinstance(item, str | int) and not isinstance(item, bool):
                pairs.append((str(item), None))
            elif isinstance(item, dict) and isinstance(item.get("phones"), list):
                group_caller = _caller_of(item)
                pairs += [(str(p), group_caller) for p in item["phones"]]
            elif isinstance(item, dict) and item.get("phone") is not None:
                pairs.append((str(item["phone"]), _caller_of(item)))
            else:
                raise Refusal(ERROR, "phones: every item must be a phone, {phone, callerId} or a group")
        return pairs, None
    text = call.required_text("phones").strip()
    if text[:4].lower() in ("tpl:", "tzl:"):
        stored = call.world.campaigns.distribution_list(call.system, text)
        if stored is None:
            raise Refusal(ERROR, f"list {text} not found")
        return [(p, None) for p in stored.phones], stored.caller_id
    return [(p, None) for p in text.split(":") if p.strip()], None


def _caller_of(item: dict[str, Any]) -> str | None:
    caller = item.get("callerId")
    return str(caller).strip() if caller not in (None, "") else None


def _timeout_of(call: Call) -> int:
    """`callsTimeOut` (seconds): default 30; above 35 it is accepted as 35."""
    value = call.params.get("callsTimeOut")
    if value is None or (isinstance(value, str) and not value.strip()):
        return CAMPAIGN_TIMEOUT_DEFAULT_S
    try:
        seconds = float(str(value).strip())
    except ValueError:
        raise Refusal(ERROR, "callsTimeOut must be a number") from None
    if isinstance(value, bool) or not seconds >= 1:
        raise Refusal(ERROR, "callsTimeOut must be a positive number")
    return min(CAMPAIGN_TIMEOUT_MAX_S, int(seconds))


def _campaign_id(call: Call, caller_id: str) -> str:
    """`YA-<customer id>-<callerId>-Yemot-<microseconds>` (A12), unique in the world."""
    customer = call.world.auth.accounts[call.system].customer_id
    micros = int(call.world.now.timestamp() * 1_000_000)
    while f"YA-{customer}-{caller_id}-Yemot-{micros}" in call.world.campaigns.campaigns:
        micros += 1
    return f"YA-{customer}-{caller_id}-Yemot-{micros}"


def call_extension_bridging(call: Call) -> dict[str, Any]:
    pairs, list_caller = _phones_of(call)
    if len(pairs) > CAMPAIGN_MAX_NUMBERS:
        raise Refusal(*CAMPAIGN_TOO_MANY_NUMBERS)
    ivr_path = a6_normal_path(call.required_text("ivrPath"))
    module = call.world.ivr_module(ivr_path)
    if module is None:
        raise Refusal(ERROR, EXTENSION_MISSING)
    timeout_s = _timeout_of(call)
    given = (call.text("callerId") or "").strip()
    caller_id = given or list_caller or call.world.numbers[call.system].main
    numbers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for phone, own_caller in pairs:
        phone = phone.strip()
        if is_dialable(phone):
            numbers.setdefault(phone, own_caller or caller_id)
        else:
            errors[phone] = CAMPAIGN_INVALID_NUMBER
    if not numbers:
        raise Refusal(*CAMPAIGN_NO_VALID_NUMBERS)
    campaign_id = _campaign_id(call, caller_id)
    status, campaign = call.world.launch_campaign(
        call.system, campaign_id, list(numbers.items()), caller_id, ivr_path, timeout_s, errors
    )
    if campaign is None:
        raise Refusal(*LAUNCH_REFUSALS[status])
    per_call = CAMPAIGN_UNITS_PER_MINUTE
    return {
        "module": module,
        "callerId": caller_id,
        "callsCount": len(numbers),
        "bilingPerCall": int(per_call) if per_call.is_integer() else per_call,
        "errors": errors,
        "callsTimeout": timeout_s,
        "campaignId": campaign.campaign_id,
    }


# -- the campaign object (2.4) ----------------------------------------------------------------


def _entry_row(entry: CampaignEntry, now: datetime) -> dict[str, Any]:
    started = entry.dialed_at.astimezone(ISRAEL).strftime(START_TIME_FORMAT) if entry.dialed_at else None
    return {
        "phone": entry.phone,
        "name": "",
        "moreinfo": "",
        "entryStatus": str(entry.status),
        "duration": entry.duration_s(now),
        "bridgedDuration": entry.bridged_s(now),
        "currentPrice": entry.price,
        "bridged": entry.answered_at is not None,
        "startTime": started,
        "redials": [],
    }


def campaign_object(campaign: Campaign, now: datetime, entries: list[CampaignEntry] | None) -> dict[str, Any]:
    answered = sum(1 for e in campaign.entries if e.answered_at is not None)
    failed = campaign.count(*FAILED_STATUSES)
    return {
        "campaignId": campaign.campaign_id,
        "campaignStatus": STATE_WORDS[campaign.state],
        "templateId": None,
        "who": WHO,
        "callerId": campaign.caller_id,
        "blockedEntries": 0,
        "pendingEntries": campaign.count(EntryStatus.PENDING),
        "activeEntries": campaign.count(EntryStatus.RINGING),
        "bridgedEntries": campaign.count(EntryStatus.BRIDGED),
        "redialEntries": 0,
        "doneEntries": campaign.count(EntryStatus.DONE),
        "failedEntries": failed,
        "totalEntries": len(campaign.entries),
        "totalDialed": sum(1 for e in campaign.entries if e.dialed_at is not None),
        "totalSuccessful": answered,
        "totalBridged": answered,
        "totalFailed": failed,
        "totalIncoming": 0,
        "totalIncomingBridged": 0,
        "maxActiveChannels": campaign.max_active,
        "maxBridgedChannels": campaign.max_bridged,
        "maxDialAttempts": 1,
        "redialWait": 0,
        "redialPolicy": "NONE",
        "vmDetect": False,
        "playPrivateMsg": False,
        "runTime": campaign.run_time_s(now),
        "currentPrice": campaign.price,
        "paused": campaign.paused,
        "entries": [_entry_row(e, now) for e in entries] if entries is not None else None,
    }


def _campaign_of(call: Call) -> Campaign:
    campaign = call.world.campaign(call.system, call.required_text("campaignId"))
    if campaign is None:
        raise Refusal(*CAMPAIGN_NOT_FOUND)
    return campaign


def _range_of(text: str | None, count: int) -> slice:
    """`"min:max"` (0-based, max exclusive), either side open; `":"` or nothing is everything."""
    if not text or not text.strip():
        return slice(0, count)
    low, sep, high = text.strip().partition(":")
    try:
        start = int(low) if low.strip() else 0
        stop = int(high) if sep and high.strip() else count
    except ValueError:
        raise Refusal(ERROR, 'range must be "min:max"') from None
    return slice(max(0, start), max(0, stop))


def get_campaign_status(call: Call) -> dict[str, Any]:
    campaign = _campaign_of(call)
    wanted = call.text("entries")
    entries = None
    if wanted:
        statuses = ENTRY_FILTERS.get(wanted.strip().lower())
        if statuses is None:
            raise Refusal(ERROR, f"unknown entries filter '{wanted}'")
        matching = [e for e in campaign.entries if e.status in statuses]
        entries = matching[_range_of(call.text("range"), len(matching))]
    return {"campaign": campaign_object(campaign, call.world.now, entries)}


def get_active_campaigns(call: Call) -> dict[str, Any]:
    now = call.world.now
    return {"campaigns": [campaign_object(c, now, None) for c in call.world.active_campaigns(call.system)]}


# -- CampaignAction ---------------------------------------------------------------------------


def _not_running() -> Refusal:
    return Refusal(ERROR, "the campaign is not running")


def _set_paused(call: Call, campaign: Campaign) -> tuple[str, Any]:
    given = call.text("value")
    if given is None or not given.strip():
        raise Refusal(ERROR, "value is required (1 pauses, 0 resumes)")
    paused = call.flag("value")
    if not call.world.pause_campaign(call.system, campaign.campaign_id, paused):
        raise _not_running()
    return "SET_PAUSED", 1 if paused else 0


def _stop(call: Call, campaign: Campaign) -> tuple[str, Any]:
    if not call.world.stop_campaign(call.system, campaign.campaign_id):
        raise _not_running()
    return "STOP", None


def _channels(field_name: str, action: str) -> Callable[[Call, Campaign], tuple[str, Any]]:
    def handler(call: Call, campaign: Campaign) -> tuple[str, Any]:
        value = call.integer("value")
        if value < 1:
            raise Refusal(ERROR, "value must be at least 1")
        if not call.world.campaigns.set_limits(campaign, **{field_name: value}):
            raise _not_running()
        return action, value

    return handler


CAMPAIGN_ACTIONS: dict[str, Callable[[Call, Campaign], tuple[str, Any]]] = {
    "setPaused": _set_paused,
    "stop": _stop,
    "setMaxActiveChannels": _channels("max_active", "SET_MAX_ACTIVE_CHANNELS"),
    "setMaxBridgedChannels": _channels("max_bridged", "SET_MAX_BRIDGED_CHANNELS"),
}


def campaign_action(call: Call) -> dict[str, Any]:
    campaign = _campaign_of(call)
    action = call.text("action") or ""
    handler = CAMPAIGN_ACTIONS.get(action)
    if handler is None:
        raise Refusal(ERROR, f"unknown action '{action}'")
    word, value = handler(call, campaign)
    return {
        "campaign": campaign_object(campaign, call.world.now, None),
        "action": word,
        "value": value,
        "data": [],
    }


SERVICES: dict[str, Service] = {
    "CallExtensionBridging": Service(call_extension_bridging),
    "GetActiveCampaigns": Service(get_active_campaigns),
    "GetCampaignStatus": Service(get_campaign_status),
    "CampaignAction": Service(campaign_action),
}
