"""Actions: what a key asks a vendor to do.

Each action is a pydantic model, so it is validated when it is built (bad input raises
ValidationError and nothing is sent). `ActionRunner.run` executes it, records the outcome in the
audit log and refreshes the feeds it touched.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from tui.domain import ActionResult, LiveCall
from tui.service.audit import AuditLog
from tui.service.validate import parse_dial, parse_extension, parse_extension_path, parse_phone
from tui.vendors.base import Capability, Vendor, VendorError

log = logging.getLogger("callboard.actions")

Extension = Annotated[str, BeforeValidator(parse_extension)]
Dial = Annotated[str, BeforeValidator(parse_dial)]
Phone = Annotated[str, BeforeValidator(parse_phone)]


class Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ClassVar[str]
    description: ClassVar[str]
    capability: ClassVar[Capability]
    destructive: ClassVar[bool] = False
    touches: ClassVar[tuple[str, ...]] = ()

    def target(self) -> str:
        raise NotImplementedError

    async def execute(self, vendor: Vendor) -> ActionResult:
        raise NotImplementedError


class SetAgentPaused(Action):
    kind: ClassVar[str] = "agent_pause"
    description: ClassVar[str] = "Pause or unpause an agent"
    capability: ClassVar[Capability] = Capability.QUEUE_PAUSE
    touches: ClassVar[tuple[str, ...]] = ("queues",)

    queue_id: str = Field(min_length=1)
    agent_id: str = Field(min_length=1)
    paused: bool

    def target(self) -> str:
        return f"{self.queue_id} {self.agent_id} {'pause' if self.paused else 'unpause'}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.set_agent_paused(self.queue_id, self.agent_id, self.paused)


class KickCallers(Action):
    kind: ClassVar[str] = "queue_kick"
    description: ClassVar[str] = "Remove waiting callers from a queue"
    capability: ClassVar[Capability] = Capability.QUEUE_KICK
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("queues",)

    queue_id: str = Field(min_length=1)
    call_ids: tuple[str, ...] = Field(min_length=1, max_length=500)
    goto: str | None = None

    @field_validator("goto", mode="before")
    @classmethod
    def _goto(cls, value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError("an extension path looks like /1 or /2/5")
        return parse_extension_path(value)

    def target(self) -> str:
        where = f" -> {self.goto}" if self.goto else ""
        return f"{self.queue_id} {','.join(self.call_ids)}{where}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.kick_callers(self.queue_id, list(self.call_ids), self.goto)


class RemoveCallback(Action):
    kind: ClassVar[str] = "callback_remove"
    description: ClassVar[str] = "Remove a callback request"
    capability: ClassVar[Capability] = Capability.QUEUE_CALLBACKS
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("callbacks",)

    request_id: str = Field(min_length=1, pattern=r"^[0-9]+$")

    def target(self) -> str:
        return self.request_id

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.remove_callback(self.request_id)


class AgentLogin(Action):
    kind: ClassVar[str] = "agent_login"
    description: ClassVar[str] = "Log an agent in to a queue"
    capability: ClassVar[Capability] = Capability.QUEUE_AGENT_LOGIN
    touches: ClassVar[tuple[str, ...]] = ("queues",)

    queue_id: str = Field(min_length=1)
    extension: Extension

    def target(self) -> str:
        return f"{self.queue_id} {self.extension} login"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.agent_login(self.queue_id, self.extension)


class AgentLogout(Action):
    kind: ClassVar[str] = "agent_logout"
    description: ClassVar[str] = "Log an agent out of a queue"
    capability: ClassVar[Capability] = Capability.QUEUE_AGENT_LOGIN
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("queues",)

    queue_id: str = Field(min_length=1)
    extension: Extension

    def target(self) -> str:
        return f"{self.queue_id} {self.extension} logout"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.agent_logout(self.queue_id, self.extension)


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


class ActionRunner:
    """Runs validated actions for one profile: capability and read-only checks, audit, refresh."""

    def __init__(
        self,
        profile: str,
        vendor: Vendor,
        audit: AuditLog,
        refresh: Callable[[tuple[str, ...]], Awaitable[None]],
        *,
        read_only: bool = False,
    ) -> None:
        self.profile = profile
        self.vendor = vendor
        self.audit = audit
        self._refresh = refresh
        self.read_only = read_only

    def allowed(self, action_type: type[Action]) -> bool:
        return not self.read_only and self.vendor.supports(action_type.capability)

    async def run(self, action: Action) -> ActionResult:
        if self.read_only:
            result = ActionResult(ok=False, message="read-only: actions are disabled")
        elif not self.vendor.supports(action.capability):
            result = ActionResult(ok=False, message=f"{self.vendor.display_name} cannot do this")
        else:
            try:
                result = await action.execute(self.vendor)
            except VendorError as error:
                result = ActionResult(ok=False, message=error.message)
            except Exception as error:  # never let a vendor bug crash the console
                log.exception("action %s failed", action.kind)
                result = ActionResult(ok=False, message=f"internal error: {type(error).__name__}")
        self.audit.record(profile=self.profile, action=action.kind, target=action.target(), result=result)
        if action.touches and not self.read_only:
            await self._refresh(action.touches)
        return result
