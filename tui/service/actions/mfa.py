"""MFA and trust actions: send and verify codes, methods, remember-me tokens, trusted IPs.

Codes are secrets of a kind: targets written to the audit log never contain them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, model_validator

from tui.domain import ActionResult
from tui.service.actions.base import Action
from tui.service.validate import parse_code, parse_email, parse_ip_list, parse_mfa_phone
from tui.vendors.base import Capability, Vendor

Code = Annotated[str, BeforeValidator(parse_code)]
Channel = Literal["CALL", "SMS", "EMAIL"]
Lang = Literal["HE", "EN"]


class _MfaAction(Action):
    capability: ClassVar[Capability] = Capability.MFA


class SendMfaCode(_MfaAction):
    kind: ClassVar[str] = "mfa_send_code"
    description: ClassVar[str] = "Send a verification code"
    changes_system: ClassVar[bool] = False

    method_id: int
    channel: Channel
    lang: Lang = "HE"

    def target(self) -> str:
        return f"method #{self.method_id} by {self.channel} ({self.lang})"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.mfa_send_code(self.method_id, self.channel, self.lang)


class VerifyMfaCode(_MfaAction):
    kind: ClassVar[str] = "mfa_verify"
    description: ClassVar[str] = "Verify the code"
    changes_system: ClassVar[bool] = False

    code: Code

    def target(self) -> str:
        return "code ******"

    async def execute(self, vendor: Vendor) -> ActionResult:
        check = await vendor.mfa_verify(self.code)
        return ActionResult(ok=check.valid, message=_check_message(check), data=check)


class VerifyMfaCodeRemember(VerifyMfaCode):
    """Verify and create a remember-me token for this IP: that changes the system."""

    kind: ClassVar[str] = "mfa_verify_remember"
    description: ClassVar[str] = "Verify the code and remember this computer"
    changes_system: ClassVar[bool] = True

    note: str = Field("", max_length=100)

    def target(self) -> str:
        return f"code ****** remember {self.note!r}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        check = await vendor.mfa_verify(self.code, remember=True, note=self.note)
        return ActionResult(ok=check.valid, message=_check_message(check), data=check)


def _check_message(check) -> str:
    if check.valid:
        return "verified"
    if check.over:
        return "too many wrong tries: send a new code"
    left = f"; {check.left} tries left" if check.left is not None else ""
    return f"wrong code{left}" + (f" ({check.message})" if check.message else "")


class AddMfaMethod(_MfaAction):
    kind: ClassVar[str] = "mfa_add_method"
    description: ClassVar[str] = "Add an MFA method"
    touches: ClassVar[tuple[str, ...]] = ("trust",)

    method_kind: Literal["EMAIL", "PHONE"]
    value: str
    note: str = Field("", max_length=100)
    expires: datetime

    @model_validator(mode="after")
    def _check_value(self) -> AddMfaMethod:
        parse = parse_email if self.method_kind == "EMAIL" else parse_mfa_phone
        object.__setattr__(self, "value", parse(self.value))
        if self.expires <= datetime.now(self.expires.tzinfo):
            raise ValueError("the expiry date must be in the future")
        return self

    def target(self) -> str:
        return f"{self.method_kind} {self.value}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.mfa_add_method(self.method_kind, self.value, self.note, self.expires)


class ResendMethodCode(_MfaAction):
    kind: ClassVar[str] = "mfa_resend_method_code"
    description: ClassVar[str] = "Send a code to verify a method"

    stable_id: str = Field(min_length=1)
    channel: Channel
    lang: Lang = "HE"

    def target(self) -> str:
        return f"method {self.stable_id} by {self.channel}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.mfa_resend_method_code(self.stable_id, self.channel, self.lang)


class VerifyMethod(_MfaAction):
    kind: ClassVar[str] = "mfa_verify_method"
    description: ClassVar[str] = "Verify a method"
    touches: ClassVar[tuple[str, ...]] = ("trust",)

    stable_id: str = Field(min_length=1)
    code: Code

    def target(self) -> str:
        return f"method {self.stable_id} code ******"

    async def execute(self, vendor: Vendor) -> ActionResult:
        check = await vendor.mfa_verify_method(self.stable_id, self.code)
        return ActionResult(ok=check.valid, message=_check_message(check), data=check)


class DeleteMfaMethod(_MfaAction):
    kind: ClassVar[str] = "mfa_delete_method"
    description: ClassVar[str] = "Delete an MFA method"
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("trust",)

    stable_id: str = Field(min_length=1)

    def target(self) -> str:
        return f"method {self.stable_id}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.mfa_delete_method(self.stable_id)


class DeleteTrustToken(_MfaAction):
    kind: ClassVar[str] = "trust_token_delete"
    description: ClassVar[str] = "Delete a remember-me token"
    destructive: ClassVar[bool] = True
    touches: ClassVar[tuple[str, ...]] = ("trust",)

    token_id: str = Field(min_length=1)

    def target(self) -> str:
        return f"token {self.token_id}"

    async def execute(self, vendor: Vendor) -> ActionResult:
        return await vendor.delete_trust_token(self.token_id)


class SetTrustedIps(_MfaAction):
    kind: ClassVar[str] = "trusted_ips_set"
    description: ClassVar[str] = "Save the trusted IP addresses"
    touches: ClassVar[tuple[str, ...]] = ("trust",)

    ips: Annotated[tuple[str, ...], BeforeValidator(lambda v: parse_ip_list(v) if isinstance(v, str) else v)]

    def target(self) -> str:
        return f"{len(self.ips)} addresses"

    async def execute(self, vendor: Vendor) -> ActionResult:
        saved = await vendor.set_trusted_ips(list(self.ips))
        parts = [f"{saved.ok_count} added", "saved" if saved.saved else "nothing changed"]
        if saved.errors:
            parts.append("errors: " + "; ".join(saved.errors))
        return ActionResult(ok=not saved.errors, message=", ".join(parts), data=saved)
