"""Yemot's MFASession calls (1.8): status, methods, codes, trusted tokens and IPs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tui.vendors.base import VendorError, VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.connection import M, YemotConnection
from tui.vendors.yemot.wire import Envelope, MfaStatusReply

if TYPE_CHECKING:
    from tui.vendors.yemot.wire_mfa import (
        AddMethodReply,
        CodeCheckReply,
        MfaMethodsReply,
        TrustIpsReply,
        TrustIpsSavedReply,
        TrustTokensReply,
    )


def _send_params(
    mfa_id: int | str, send_type: str, lang: str, auto_otp_hostname: str | None
) -> dict[str, Any]:
    """sendMFA / reValidMethod parameters: channel CALL|SMS|EMAIL, language HE|EN (1.8)."""
    params: dict[str, Any] = {"mfaId": mfa_id, "mfaSendType": send_type.upper(), "lang": lang.upper()}
    if auto_otp_hostname:
        params["autoOtpHostname"] = auto_otp_hostname
    return params


def is_past_stage(error: VendorError) -> bool:
    """A3: an MFASession action called past its stage (`try` after a pass, ...)."""
    return A.A3_PAST_STAGE_MESSAGE.lower() in error.message.lower()


class MfaApi(YemotConnection):
    """Two-factor verification: the session's MFA status and the account's methods and trust lists."""

    async def mfa_is_pass(self) -> MfaStatusReply:
        return await self._call_as(MfaStatusReply, "MFASession", {"action": "isPass"})

    async def mfa_try(self) -> MfaStatusReply:
        """`try`. A session that already passed gets A3's past-stage reply: then a fresh isPass."""
        try:
            return await self._mfa_action(MfaStatusReply, "try")
        except VendorRejected as refused:
            if not is_past_stage(refused):
                raise
        return await self.mfa_is_pass()

    # The MFASession actions below go through `call`, so they use this client's one token: a code
    # verified here is verified "in this same connection" (1.8). Only A4's re-login changes it,
    # and that new session starts not passed.

    async def _mfa_action(self, model: type[M], action: str, params: Mapping[str, Any] | None = None) -> M:
        return await self._call_as(model, "MFASession", {"action": action, **(params or {})})

    async def mfa_methods(self) -> MfaMethodsReply:
        # Start-up: each API family's wire models load with its first request, not with this module.
        from tui.vendors.yemot.wire_mfa import MfaMethodsReply

        return await self._mfa_action(MfaMethodsReply, "getMFAMethods")

    async def mfa_send(
        self, method_id: int, send_type: str, lang: str = "HE", auto_otp_hostname: str | None = None
    ) -> Envelope:
        """sendMFA to a listing's per-request `ID` (an int). Raises Throttled with the vendor's "wait Ns"."""
        params = _send_params(int(method_id), send_type, lang, auto_otp_hostname)
        return await self._mfa_action(Envelope, "sendMFA", params)

    async def mfa_valid(self, code: str, remember: bool = False, note: str = "") -> CodeCheckReply:
        from tui.vendors.yemot.wire_mfa import CodeCheckReply

        params = {"mfaCode": code, "mfaRememberMe": bool(remember), "mfaRememberNote": note}
        return await self._mfa_action(CodeCheckReply, "validMFA", params)

    async def mfa_add_method(self, kind: str, value: str, note: str, expires: str) -> AddMethodReply:
        """addMethod; `expires` is "YYYY-MM-DD HH:mm:ss". The new method is pending until verified."""
        from tui.vendors.yemot.wire_mfa import AddMethodReply

        params: dict[str, Any] = {"mfaNewType": kind.upper(), "mtaNewValue": value, "newExpiredDate": expires}
        if note:
            params["mtaNewValidNote"] = note  # sic: "mta", the vendor's spelling
        return await self._mfa_action(AddMethodReply, "addMethod", params)

    async def mfa_revalid_method(
        self, stable_id: str, send_type: str, lang: str = "HE", auto_otp_hostname: str | None = None
    ) -> Envelope:
        """reValidMethod: (re)send a code for a method by its stable id (a string, 1.8)."""
        params = _send_params(str(stable_id), send_type, lang, auto_otp_hostname)
        return await self._mfa_action(Envelope, "reValidMethod", params)

    async def mfa_valid_method(self, stable_id: str, code: str) -> CodeCheckReply:
        from tui.vendors.yemot.wire_mfa import CodeCheckReply

        params = {"mfaId": str(stable_id), "mfaCode": code}
        return await self._mfa_action(CodeCheckReply, "validMethod", params)

    async def mfa_delete_method(self, stable_id: str) -> Envelope:
        return await self._mfa_action(Envelope, "deleteMethod", {"mfaId": str(stable_id)})

    async def mfa_trust_tokens(self) -> TrustTokensReply:
        from tui.vendors.yemot.wire_mfa import TrustTokensReply

        return await self._mfa_action(TrustTokensReply, "getMFATrustTokens")

    async def mfa_delete_trust_token(self, token_id: str) -> Envelope:
        return await self._mfa_action(Envelope, "deleteTrustToken", {"trustTokenId": str(token_id)})

    async def mfa_trust_ips(self) -> TrustIpsReply:
        from tui.vendors.yemot.wire_mfa import TrustIpsReply

        return await self._mfa_action(TrustIpsReply, "getMFATrustIps")

    async def mfa_set_trust_ips(self, ips: Sequence[str]) -> TrustIpsSavedReply:
        from tui.vendors.yemot.wire_mfa import TrustIpsSavedReply

        return await self._mfa_action(TrustIpsSavedReply, "setMFATrustIps", {"trustIps": list(ips)})
