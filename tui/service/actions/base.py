"""What every action shares, and the runner that executes them.

Each action is a pydantic model, so it is validated when it is built (bad input raises
ValidationError and nothing is sent). `ActionRunner.run` executes it, records the outcome in the
audit log and refreshes the feeds it touched.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from tui.domain import ActionResult
from tui.service.audit import AuditLog
from tui.service.validate import parse_dial, parse_extension, parse_phone
from tui.vendors.base import Capability, Throttled, Vendor, VendorError

log = logging.getLogger("callboard.actions")

Extension = Annotated[str, BeforeValidator(parse_extension)]
Dial = Annotated[str, BeforeValidator(parse_dial)]
Phone = Annotated[str, BeforeValidator(parse_phone)]


class Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: ClassVar[str]
    description: ClassVar[str]
    capability: ClassVar[Capability]
    destructive: ClassVar[bool] = False
    #: False for what changes nothing on the phone system (e.g. verifying an MFA code): allowed read-only
    changes_system: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ()

    def target(self) -> str:
        raise NotImplementedError

    async def execute(self, vendor: Vendor) -> ActionResult:
        raise NotImplementedError


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
        writable = not (self.read_only and action_type.changes_system)
        return writable and self.vendor.supports(action_type.capability)

    async def run(self, action: Action) -> ActionResult:
        executed = False
        if self.read_only and action.changes_system:
            result = ActionResult(ok=False, message="read-only: actions are disabled")
        elif not self.vendor.supports(action.capability):
            result = ActionResult(ok=False, message=f"{self.vendor.display_name} cannot do this")
        else:
            executed = True
            try:
                result = await action.execute(self.vendor)
            except Throttled as error:
                result = ActionResult(ok=False, message=error.message, retry_after=error.wait_seconds)
            except VendorError as error:
                result = ActionResult(ok=False, message=error.message)
            except Exception as error:  # never let a vendor bug crash the console
                log.exception("action %s failed", action.kind)
                result = ActionResult(ok=False, message=f"internal error: {type(error).__name__}")
        self.audit.record(profile=self.profile, action=action.kind, target=action.target(), result=result)
        if executed and action.touches:  # even a failure may mean the board is out of date
            await self._refresh(action.touches)
        return result
