"""Yemot's outbound campaigns (CallExtensionBridging and its status and actions) and incoming SMS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.connection import YemotConnection

if TYPE_CHECKING:
    from tui.vendors.yemot.wire_campaigns import (
        ActiveCampaignsReply,
        BridgingReply,
        CampaignActionReply,
        CampaignStatusReply,
    )
    from tui.vendors.yemot.wire_sms import IncomingSmsReply


class CampaignSmsApi(YemotConnection):
    """Campaigns (1.5, 2.4) and the incoming SMS inbox (1.6; A9)."""

    # -- campaigns (1.5, 2.4) ---------------------------------------------------------------

    async def call_extension_bridging(
        self,
        *,
        ivr_path: str,
        phones: Sequence[str] = (),
        list_id: str | None = None,
        caller_id: str | None = None,
        timeout_s: int | None = None,
    ) -> BridgingReply:
        """Dial `phones` (sent as a JSON array) or a list id ("tpl:12" / "tzl:3") into `ivr_path`."""
        if bool(phones) == bool(list_id):
            raise ValueError("give either phone numbers or a list id")
        if len(phones) > A.CAMPAIGN_MAX_NUMBERS:
            raise ValueError(f"at most {A.CAMPAIGN_MAX_NUMBERS} numbers per campaign")
        if timeout_s is not None and not 1 <= timeout_s <= A.CAMPAIGN_TIMEOUT_MAX_S:
            raise ValueError(f"callsTimeOut must be 1-{A.CAMPAIGN_TIMEOUT_MAX_S} seconds")
        # Start-up: each API family's wire models load with its first request, not with this module.
        from tui.vendors.yemot.wire_campaigns import BridgingReply

        params: dict[str, Any] = {
            "phones": [str(phone) for phone in phones] if phones else str(list_id).strip(),
            "ivrPath": A.a6_queue_path(ivr_path),
        }
        if caller_id:
            params["callerId"] = caller_id
        if timeout_s is not None:
            params["callsTimeOut"] = int(timeout_s)  # sic: "TimeOut" in, "Timeout" out
        return await self._call_as(BridgingReply, "CallExtensionBridging", params)

    async def active_campaigns(self) -> ActiveCampaignsReply:
        from tui.vendors.yemot.wire_campaigns import ActiveCampaignsReply

        return await self._call_as(ActiveCampaignsReply, "GetActiveCampaigns")

    async def campaign_status(self, campaign_id: str, entries: str | None = None) -> CampaignStatusReply:
        """GetCampaignStatus; `entries` (e.g. "failed", "all") asks for those per-number rows too."""
        from tui.vendors.yemot.wire_campaigns import CampaignStatusReply

        params: dict[str, Any] = {"campaignId": campaign_id}
        if entries:
            params["entries"] = entries
        return await self._call_as(CampaignStatusReply, "GetCampaignStatus", params)

    async def campaign_action(self, campaign_id: str, action: str, value: Any = None) -> CampaignActionReply:
        from tui.vendors.yemot.wire_campaigns import CampaignActionReply

        params: dict[str, Any] = {"campaignId": campaign_id, "action": action}
        if value is not None:
            params["value"] = value
        return await self._call_as(CampaignActionReply, "CampaignAction", params)

    # -- SMS (1.6; A9) ---------------------------------------------------------------------

    async def incoming_sms(
        self, limit: int = A.A9_INCOMING_SMS_MAX, start_date: str | None = None, end_date: str | None = None
    ) -> IncomingSmsReply:
        from tui.vendors.yemot.wire_sms import IncomingSmsReply

        params: dict[str, Any] = {"limit": max(1, min(int(limit), A.A9_INCOMING_SMS_MAX))}
        if start_date:
            params["startDate"] = start_date
        if end_date:
            params["endDate"] = end_date
        return await self._call_as(IncomingSmsReply, "GetIncomingSms", params)
