"""Yemot's campaign replies (CallExtensionBridging and its status and actions; 1.5, 2.4, A12, A13)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from tui.vendors.lenient import (
    LenientBool,
    LenientFloat,
    LenientInt,
    LenientStr,
    ListOrNull,
    MapOrEmpty,
    OptionalInt,
)
from tui.vendors.yemot.wire import Envelope, WireModel


def _empty_as_none(value: Any) -> Any:
    """A nested object that may arrive as `[]`, `{}` or null: all mean "absent" (A13)."""
    if value is None or (isinstance(value, list | dict) and not value):
        return None
    return value


# ---------------------------------------------------------------------------------------------
# Campaigns (1.5, 2.4; A12, A13).


class BridgingReply(Envelope):
    """CallExtensionBridging's reply; RunTzintuk's has the same shape plus `biling`/`verifyCode`."""

    module: LenientStr | None = None
    callerId: LenientStr | None = None
    callsCount: LenientInt = 0
    bilingPerCall: LenientFloat | None = None  # sic; a number (A12), a string accepted
    biling: LenientFloat | None = None  # sic; RunTzintuk's real reply sends it as a string "0.10"
    errors: MapOrEmpty[LenientStr] = {}  # number -> reason ("not Vaild", sic); `[]` when empty (A13)
    callsTimeout: OptionalInt = None  # lower-case "o" on the way out (1.9)
    campaignId: LenientStr = ""
    verifyCode: LenientStr | None = None  # RunTzintuk with callerId=RAND


class CampaignEntry(WireModel):
    """One number of a campaign (GetCampaignStatus `entries[]`)."""

    phone: LenientStr
    name: LenientStr | None = None
    moreinfo: LenientStr | None = None
    entryStatus: LenientStr | None = None  # bridged|done|no_answer|failed|busy (|up)
    duration: OptionalInt = None
    bridgedDuration: OptionalInt = None
    currentPrice: LenientFloat | None = None
    bridged: LenientBool | None = None
    startTime: LenientStr | None = None  # bare "HH:MM:SS"
    redials: Any = None


class CampaignInfo(WireModel):
    """The campaign object of GetCampaignStatus, GetActiveCampaigns and CampaignAction (2.4)."""

    campaignId: LenientStr
    campaignStatus: LenientStr | None = None  # RUNNING|PAUSED|STOPPING|STOPPED|FINISHED; "STOPPING " seen
    templateId: LenientStr | None = None
    who: LenientStr | None = None
    callerId: LenientStr | None = None
    blockedEntries: OptionalInt = None
    pendingEntries: OptionalInt = None
    activeEntries: OptionalInt = None
    bridgedEntries: OptionalInt = None
    redialEntries: OptionalInt = None
    doneEntries: OptionalInt = None
    failedEntries: OptionalInt = None
    totalEntries: OptionalInt = None
    totalDialed: OptionalInt = None
    totalSuccessful: OptionalInt = None
    totalBridged: OptionalInt = None
    totalFailed: OptionalInt = None
    totalIncoming: OptionalInt = None
    totalIncomingBridged: OptionalInt = None
    maxActiveChannels: OptionalInt = None
    maxBridgedChannels: OptionalInt = None
    maxDialAttempts: OptionalInt = None
    redialWait: OptionalInt = None
    redialPolicy: LenientStr | None = None
    vmDetect: Any = None  # type not seen
    playPrivateMsg: Any = None  # type not seen
    runTime: Any = None  # type not seen
    currentPrice: LenientFloat | None = None
    paused: LenientBool = False
    entries: ListOrNull[CampaignEntry] = []


class CampaignStatusReply(Envelope):
    campaign: CampaignInfo


class ActiveCampaignsReply(Envelope):
    campaigns: ListOrNull[CampaignInfo] = []


class CampaignActionItem(WireModel):
    phone: LenientStr | None = None
    action: LenientStr | None = None  # add|addblocked|block|unblock|hangup|failed


class CampaignActionReply(Envelope):
    campaign: Annotated[CampaignInfo | None, BeforeValidator(_empty_as_none)] = None
    action: LenientStr | None = None  # ADD|BLOCK|HANGUP|STOP|SET_PAUSED|...
    value: Any = None
    data: ListOrNull[CampaignActionItem] = []
