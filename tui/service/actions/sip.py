"""SIP account actions: create, delete, transport, caller ID (approval checked first), extension."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field

from tui.domain import ActionResult
from tui.service.actions.base import Action
from tui.service.validate import parse_caller_id, parse_sip_extension
from tui.vendors.base import Capability, Vendor

SipExtension = Annotated[
    int | None, BeforeValidator(lambda v: parse_sip_extension(v) if isinstance(v, str) else v)
]
CallerId = Annotated[str, BeforeValidator(parse_caller_id)]


class _SipAction(Action):
    capability: ClassVar[Capability] = Capability.SIP_MANAGE
    touches: ClassVar[tuple[str, ...]] = ("sip",)


class CreateSipAccount(_SipAction):
    kind: ClassVar[str] = "sip_create"
    description: ClassVar[str] = "Create a SIP account"

    extension: SipExtension = None

    def target(self) -> str:
        return f"extension {self.extension}" if self.extension else "no extension"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.sip_create(self.extension)


class DeleteSipAccounts(_SipAction):
    kind: ClassVar[str] = "sip_delete"
    description: ClassVar[str] = "Delete SIP accounts"
    destructive: ClassVar[bool] = True

    account_ids: tuple[str, ...] = Field(min_length=1)

    def target(self) -> str:
        return ",".join(self.account_ids)

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.sip_delete(list(self.account_ids))


class SetSipTransport(_SipAction):
    kind: ClassVar[str] = "sip_transport"
    description: ClassVar[str] = "Set a SIP account's transport"

    account_id: str = Field(min_length=1)
    transport: Literal["udp", "wss"]

    def target(self) -> str:
        return f"{self.account_id} {self.transport}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.sip_set_transport(self.account_id, self.transport)


class SetSipCallerId(_SipAction):
    kind: ClassVar[str] = "sip_caller_id"
    description: ClassVar[str] = "Set a SIP account's caller ID"

    account_id: str = Field(min_length=1)
    caller_id: CallerId

    def target(self) -> str:
        return f"{self.account_id} {self.caller_id}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        approval = await vendor.caller_id_approved(self.caller_id)
        if not approval.ok:  # the vendor would refuse it: say why, and change nothing
            return ActionResult(ok=False, message=f"not approved: {approval.message}")
        return await vendor.sip_set_caller_id(self.account_id, self.caller_id)


class SetSipExtension(_SipAction):
    kind: ClassVar[str] = "sip_extension"
    description: ClassVar[str] = "Set or clear a SIP account's extension"

    account_id: str = Field(min_length=1)
    extension: SipExtension = None

    def target(self) -> str:
        return f"{self.account_id} {self.extension if self.extension else 'clear'}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.sip_set_extension(self.account_id, self.extension)
