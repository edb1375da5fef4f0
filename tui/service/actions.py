"""Actions: what a key asks a vendor to do.

Each action is a pydantic model, so it is validated when it is built (bad input raises
ValidationError and nothing is sent). `ActionRunner.run` executes it, records the outcome in the
audit log and refreshes the feeds it touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tui.domain import ActionResult
from tui.service.audit import AuditLog
from tui.vendors.base import Capability, Vendor, VendorError

log = logging.getLogger("callboard.actions")

# An IVR extension path: "/1", "/2/5", "1/20/11"; Yemot also allows Hebrew letters in paths.
_EXTENSION_PATH = re.compile(r"^/?[0-9A-Za-z\u05d0-\u05ea]+(/[0-9A-Za-z\u05d0-\u05ea]+)*/?$")


def parse_extension_path(text: str) -> str:
    """`1`, `/1/20`, `GOTO:/1` -> `/1`, `/1/20`, `/1`. Raises ValueError on anything else."""
    value = text.strip()
    if value.upper().startswith("GOTO:"):
        value = value[5:].strip()
    if not value or not _EXTENSION_PATH.match(value):
        raise ValueError("an extension path looks like /1 or /2/5")
    return "/" + value.strip("/")


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


class ReadOnlyError(VendorError):
    retryable = False


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
