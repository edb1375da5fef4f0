"""Yemot's SIP account calls (1.1, 2.6): accounts, registration, transport, caller id, extension."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.vendors.base import VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.connection import YemotConnection
from tui.vendors.yemot.wire import Envelope

if TYPE_CHECKING:
    from tui.vendors.yemot.wire_sip import (
        CallerIdApprovalReply,
        SipAccountsReply,
        SipContextsReply,
        SipCreateReply,
        SipDeleteReply,
        SipExtensionReply,
        SipRegisteredStatusReply,
    )


class SipApi(YemotConnection):
    """SIP accounts (1.1, 2.6); on a server without SIP every call raises NotSupported."""

    async def sip_accounts(self) -> SipAccountsReply:
        # Start-up: each API family's wire models load with its first request, not with this module.
        from tui.vendors.yemot.wire_sip import SipAccountsReply

        return await self._call_as(SipAccountsReply, "GetSipAccountsInCustomer")

    async def sip_registered_status(self) -> SipRegisteredStatusReply:
        from tui.vendors.yemot.wire_sip import SipRegisteredStatusReply

        return await self._call_as(SipRegisteredStatusReply, "GetSipAccountsRegisteredStatus")

    async def sip_contexts(self, account_number: int | str) -> SipContextsReply:
        from tui.vendors.yemot.wire_sip import SipContextsReply

        # The only SIP call whose `accountNumber` the seed types as a string.
        params = {"accountNumber": str(account_number)}
        return await self._call_as(SipContextsReply, "SipGetContexts", params)

    async def sip_create(self, ext_number: int | None = None) -> SipCreateReply:
        from tui.vendors.yemot.wire_sip import SipCreateReply

        params = {} if ext_number is None else {"extNumber": int(ext_number)}
        return await self._call_as(SipCreateReply, "CreateSipAccount", params)

    async def sip_delete(self, account_numbers: Sequence[int]) -> SipDeleteReply:
        from tui.vendors.yemot.wire_sip import SipDeleteReply

        if not account_numbers:
            raise ValueError("DeleteSipAccount needs at least one account number")
        params = {"accountNumber": [int(n) for n in account_numbers]}
        return await self._call_as(SipDeleteReply, "DeleteSipAccount", params)

    async def sip_set_transport(self, account_number: int, transport: str) -> bool:
        """SipToUdp / SipToWss. False when the vendor answered "לא בוצע" (nothing changed, 2.6)."""
        from tui.vendors.yemot.wire_sip import SIP_TRANSPORT_COMMANDS

        command = SIP_TRANSPORT_COMMANDS.get(transport.strip().lower())
        if command is None:
            raise ValueError(f"transport must be one of {sorted(SIP_TRANSPORT_COMMANDS)}")
        try:
            await self.call(command, {"accountNumber": int(account_number)})
        except VendorRejected as refused:
            if A.SIP_TRANSPORT_UNCHANGED_MARK not in refused.message:
                raise
            return False
        return True

    async def caller_id_approved(self, caller_id: str, service_type: str = "call") -> CallerIdApprovalReply:
        from tui.vendors.yemot.wire_sip import CallerIdApprovalReply

        params = {"callerId": caller_id, "serviceType": service_type}
        return await self._call_as(CallerIdApprovalReply, "IsCallerIDApproved", params)

    async def sip_set_caller_id(self, account_number: int, caller_id: str) -> Envelope:
        params = {"accountNumber": int(account_number), "callerId": caller_id}
        return await self._call_as(Envelope, "EditCallerIdInSipAccount", params)

    async def sip_get_extension(self, account_number: int) -> SipExtensionReply:
        return await self._sip_extension_management("Get", account_number, None)

    async def sip_set_extension(self, account_number: int, ext_number: int | None) -> SipExtensionReply:
        """Set, or (None) clear: a Set without `extNumber` deletes the extension number (1.1)."""
        return await self._sip_extension_management("Set", account_number, ext_number)

    async def _sip_extension_management(
        self, action: str, account_number: int, ext_number: int | None
    ) -> SipExtensionReply:
        from tui.vendors.yemot.wire_sip import SipExtensionReply

        # A11: the JSON form was refused with "bad action" in client code (2.6); this command
        # alone is sent form-encoded, its action spelled exactly "Get"/"Set".
        params: dict[str, Any] = {"SipExtensionManagement": action, "accountNumber": int(account_number)}
        if ext_number is not None:
            params["extNumber"] = int(ext_number)
        data = await self.call("SipExtensionManagement", params, form=True)
        return self._parse("SipExtensionManagement", SipExtensionReply, data)
