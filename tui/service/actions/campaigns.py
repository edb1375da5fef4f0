"""Campaign actions: launch (validated, costed), pause/resume, stop."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from tui.domain import ActionResult, CampaignRequest, ItemResult
from tui.service.actions.base import Action
from tui.service.validate import (
    MAX_CAMPAIGN_NUMBERS,
    MAX_RING_SECONDS,
    campaign_cost,
    parse_caller_id,
    parse_extension_path,
    parse_list_id,
)
from tui.vendors.base import Capability, Vendor


class LaunchCampaign(Action):
    kind: ClassVar[str] = "campaign_launch"
    description: ClassVar[str] = "Launch a campaign"
    capability: ClassVar[Capability] = Capability.CAMPAIGNS
    destructive: ClassVar[bool] = True  # it costs units: confirmed with the estimate
    touches: ClassVar[tuple[str, ...]] = ("campaigns",)

    ivr_path: str
    phones: tuple[str, ...] = Field((), max_length=MAX_CAMPAIGN_NUMBERS)
    list_id: str | None = None
    caller_id: str | None = None
    timeout_s: int = Field(30, ge=1, le=MAX_RING_SECONDS)

    @field_validator("ivr_path", mode="before")
    @classmethod
    def _path(cls, value: str) -> str:
        return parse_extension_path(value)

    @field_validator("caller_id", mode="before")
    @classmethod
    def _caller_id(cls, value: str | None) -> str | None:
        return parse_caller_id(value) if value and value.strip() else None

    @field_validator("list_id", mode="before")
    @classmethod
    def _list_id(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parsed = parse_list_id(value)
        if parsed is None:
            raise ValueError("a list id is tpl:NUMBER or tzl:NUMBER")
        return parsed

    @model_validator(mode="after")
    def _something_to_dial(self) -> LaunchCampaign:
        if bool(self.phones) == bool(self.list_id):
            raise ValueError("give numbers to dial, or a tpl:/tzl: list id (not both)")
        return self

    def estimate(self) -> str:
        if self.list_id:
            return (
                f"{self.list_id}: 0.1 unit a number dialled + 1 unit a minute of each answered call (≥ 0.5)"
            )
        least, one_minute_each = campaign_cost(len(self.phones))
        return (
            f"{len(self.phones)} numbers: {least:g} units to dial them; if every call is answered for a "
            f"minute, {one_minute_each:g} units (1 unit a minute of each answered call, at least 0.5)"
        )

    def target(self) -> str:
        what = self.list_id or f"{len(self.phones)} numbers"
        return f"{what} -> {self.ivr_path}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        launched = await vendor.launch_campaign(
            CampaignRequest(
                ivr_path=self.ivr_path,
                phones=self.phones,
                list_id=self.list_id,
                caller_id=self.caller_id,
                timeout_s=self.timeout_s,
            )
        )
        message = f"campaign {launched.campaign_id}: {launched.calls_count} calls"
        if launched.errors:
            message += f", {len(launched.errors)} numbers not dialled"
        items = tuple(ItemResult(e.target, False, e.detail) for e in launched.errors)
        return ActionResult(ok=True, message=message, items=items, data=launched)


class SetCampaignPaused(Action):
    kind: ClassVar[str] = "campaign_pause"
    description: ClassVar[str] = "Pause or resume a campaign"
    capability: ClassVar[Capability] = Capability.CAMPAIGNS
    touches: ClassVar[tuple[str, ...]] = ("campaigns",)

    campaign_id: str = Field(min_length=1)
    paused: bool

    def target(self) -> str:
        return f"{self.campaign_id} {'pause' if self.paused else 'resume'}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.campaign_set_paused(self.campaign_id, self.paused)


class StopCampaign(Action):
    kind: ClassVar[str] = "campaign_stop"
    description: ClassVar[str] = "Stop a campaign"
    capability: ClassVar[Capability] = Capability.CAMPAIGNS
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("campaigns",)

    campaign_id: str = Field(min_length=1)

    def target(self) -> str:
        return self.campaign_id

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.campaign_stop(self.campaign_id)
