"""Queue actions: pause an agent, kick callers, remove a callback request, agent login/logout."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from tui.domain import ActionResult
from tui.service.actions.base import Action, Extension
from tui.service.validate import parse_extension_path
from tui.vendors.base import Capability, Vendor


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
