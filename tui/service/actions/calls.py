"""Live-call and blacklist actions: hang up, transfer, listen, click-to-call, blacklist."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from tui.domain import ActionResult, LiveCall
from tui.service.actions.base import Action, Dial, Extension, Phone
from tui.vendors.base import Capability, Vendor


class _CallAction(Action):
    touches: ClassVar[tuple[str, ...]] = ("calls",)
    call: LiveCall

    def _who(self) -> str:
        return f"{self.call.caller}->{self.call.callee} ({self.call.extension or self.call.call_id})"


class HangupCall(_CallAction):
    kind: ClassVar[str] = "call_hangup"
    description: ClassVar[str] = "Hang up a call"
    capability: ClassVar[Capability] = Capability.CALLS
    destructive: ClassVar[bool] = True

    def target(self) -> str:
        return self._who()

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.hangup(self.call)


class TransferCall(_CallAction):
    kind: ClassVar[str] = "call_transfer"
    description: ClassVar[str] = "Transfer a call"
    capability: ClassVar[Capability] = Capability.CALLS
    to_extension: Extension

    def target(self) -> str:
        return f"{self._who()} -> {self.to_extension}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.transfer(self.call, self.to_extension)


class SpyCall(_CallAction):
    kind: ClassVar[str] = "call_spy"
    description: ClassVar[str] = "Listen to a call"
    capability: ClassVar[Capability] = Capability.CALLS
    listener: Extension

    def target(self) -> str:
        return f"{self._who()} heard by {self.listener}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.spy(self.call, self.listener)


class ClickToCall(Action):
    kind: ClassVar[str] = "click_to_call"
    description: ClassVar[str] = "Place a call (rings the first number, then dials the second)"
    capability: ClassVar[Capability] = Capability.CALLS
    touches: ClassVar[tuple[str, ...]] = ("calls",)

    source: Dial
    destination: Dial

    def target(self) -> str:
        return f"{self.source} -> {self.destination}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.click_to_call(self.source, self.destination)


class BlacklistAdd(Action):
    kind: ClassVar[str] = "blacklist_add"
    description: ClassVar[str] = "Add a number to the blacklist"
    capability: ClassVar[Capability] = Capability.BLACKLIST
    touches: ClassVar[tuple[str, ...]] = ("blacklist",)

    number: Phone

    def target(self) -> str:
        return self.number

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.blacklist_add(self.number)


class BlacklistRemove(Action):
    kind: ClassVar[str] = "blacklist_remove"
    description: ClassVar[str] = "Remove a number from the blacklist"
    capability: ClassVar[Capability] = Capability.BLACKLIST
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("blacklist",)

    number: str = Field(min_length=1)

    def target(self) -> str:
        return self.number

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.blacklist_remove(self.number)
