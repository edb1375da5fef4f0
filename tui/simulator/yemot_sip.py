"""SIP accounts (vendors/yemot.md 1.1, 2.6, A11) and caller IDs (1.2) over the simulated world.

Every SIP service is flagged `sip=True`: on a system whose server has no SIP the app answers the
seed's SIP-off error instead of calling it. Registration state comes from the world's registrar,
so contacts appear, refresh, expire and come back between two calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.simulator.world_numbers import ApprovalRule, CallerIdUse
from tui.simulator.world_sip_accounts import SipAccount, SipOutcome, SipTransport
from tui.simulator.yemot_common import ERROR, Call, Refusal, Service, local
from tui.vendors.yemot.assumptions import (
    A11_BAD_ACTION,
    A11_JSON_REFUSED,
    CALLER_ID_INCLUDE,
    CALLER_ID_INVALID,
    CALLER_ID_SMS_ID,
    SIP_ACCOUNT_LIMIT_REACHED,
    SIP_ACCOUNT_NOT_FOUND,
    SIP_CALLER_ID_NOT_APPROVED,
    SIP_EXTENSION_OUT_OF_RANGE,
    SIP_EXTENSION_TAKEN,
    SIP_TRANSPORT_UDP,
    SIP_TRANSPORT_UNCHANGED,
    SIP_TRANSPORT_WSS,
    to_e164,
)

TRANSPORTS = {SipTransport.UDP: SIP_TRANSPORT_UDP, SipTransport.WSS: SIP_TRANSPORT_WSS}
REFUSALS = {
    SipOutcome.LIMIT_REACHED: SIP_ACCOUNT_LIMIT_REACHED,
    SipOutcome.NOT_FOUND: SIP_ACCOUNT_NOT_FOUND,
    SipOutcome.EXTENSION_OUT_OF_RANGE: SIP_EXTENSION_OUT_OF_RANGE,
    SipOutcome.EXTENSION_TAKEN: SIP_EXTENSION_TAKEN,
    SipOutcome.UNCHANGED: SIP_TRANSPORT_UNCHANGED,
    SipOutcome.CALLER_ID_NOT_APPROVED: SIP_CALLER_ID_NOT_APPROVED,
}
REASONS = {
    ApprovalRule.INVALID: CALLER_ID_INVALID,
    ApprovalRule.SMS_ID: CALLER_ID_SMS_ID,
    ApprovalRule.LISTED: CALLER_ID_INCLUDE,
}
SIP_EXCEPTION_FILE, SIP_EXCEPTION_LINE = "CustomerSip.class.ym", "212:23"


def _check(outcome: SipOutcome) -> None:
    if outcome is not SipOutcome.OK:
        raise Refusal(*REFUSALS[outcome])


def _account_of(call: Call, number: int | None) -> SipAccount:
    account = call.world.sip_account(call.system, number)
    if account is None:
        raise Refusal(*SIP_ACCOUNT_NOT_FOUND)
    return account


# -- reading ----------------------------------------------------------------------------------


def get_accounts(call: Call) -> dict[str, Any]:
    rows = [
        {
            "id": account.username,
            "accountNumber": account.number,
            "customerExtension": account.extension,
            "transport": TRANSPORTS[account.transport],
            "callerid": account.system,  # "system for unit billing" (1.1, 1.9 #2)
            "specialCallerID": account.caller_id,
            "password": account.password.get_secret_value(),  # the vendor does list it
            "created_date": local(account.created_at),
            "contactsCount": len(account.contacts()),
        }
        for account in call.world.sip_accounts(call.system)
    ]
    return {"accounts": rows, "accountLimit": call.world.sip_account_limit(call.system)}


def get_registered_status(call: Call) -> dict[str, Any]:
    rows = [
        {"userName": a.username, "createdDate": local(a.created_at), "registered": a.registered}
        for a in call.world.sip_accounts(call.system)
    ]
    return {"accounts": rows}


def get_contexts(call: Call) -> dict[str, Any]:
    """`accountNumber` is a string here (empty: the first account)."""
    account = _account_of(call, call.optional_integer("accountNumber"))
    rows = []
    for device in account.contacts():
        reg = device.registration
        rows.append(
            {
                "expiration_time": local(reg.expires_at),
                "uri": device.contact_uri(account.username),
                "user_agent": reg.user_agent,
                "via_addr": device.via_address,
                "via_port": str(device.via_port),
                "endpoint": account.username,
            }
        )
    return {"contexts": rows}


# -- changing ---------------------------------------------------------------------------------


def create_account(call: Call) -> dict[str, Any]:
    outcome, account = call.world.create_sip_account(call.system, call.optional_integer("extNumber"))
    _check(outcome)
    assert account is not None
    return {
        "accountID": account.username,
        "accountNumber": account.number,
        "PASS": account.password.get_secret_value(),
    }


def delete_accounts(call: Call) -> dict[str, Any]:
    """`accountNumber`: one number, or (JSON) an array of them."""
    value = call.params.get("accountNumber")
    if isinstance(value, list):
        try:
            numbers = [int(str(v).strip()) for v in value if not isinstance(v, bool | dict | list)]
        except ValueError:
            raise Refusal(ERROR, "accountNumber must be an integer or an array of integers") from None
    else:
        numbers = [call.integer("accountNumber")]
    return {"affected_rows": call.world.delete_sip_accounts(call.system, numbers)}


def _set_transport(transport: SipTransport) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        number = call.optional_integer("accountNumber")
        _check(call.world.set_sip_transport(call.system, number, transport))
        return {}

    return handler


def edit_caller_id(call: Call) -> dict[str, Any]:
    number = call.integer("accountNumber")
    caller_id = call.required_text("callerId")
    _check(call.world.set_sip_caller_id(call.system, number, caller_id))
    return {}


def extension_management(call: Call) -> dict[str, Any]:
    """A11: `SipExtensionManagement=Get|Set` as a form or query parameter; anything else is a bad action."""
    action = call.text("SipExtensionManagement")
    if (A11_JSON_REFUSED and call.is_json) or action not in ("Get", "Set"):
        raise Refusal(*A11_BAD_ACTION, file=SIP_EXCEPTION_FILE, Line=SIP_EXCEPTION_LINE)
    number = call.optional_integer("accountNumber")
    account = _account_of(call, number)
    if action == "Set":
        extension = call.optional_integer("extNumber")  # absent: the extension number is deleted
        _check(call.world.set_sip_extension(call.system, account.number, extension))
    return {"extNumber": account.extension}


# -- caller IDs (not SIP services: every server has them) -------------------------------------


def is_caller_id_approved(call: Call) -> dict[str, Any]:
    caller_id = call.required_text("callerId")
    service_type = (call.text("serviceType") or "call").strip().lower()
    if service_type not in ("call", "sms"):
        raise Refusal(ERROR, "serviceType must be call or sms")
    approval = call.world.caller_id_approval(call.system, caller_id, CallerIdUse(service_type))
    return {
        "parsedCallerId": approval.parsed if approval.parsed is not None else caller_id.strip(),
        "isApproved": approval.approved,
        "reason": REASONS[approval.rule],
    }


def approved_caller_ids(call: Call) -> dict[str, Any]:
    numbers = call.world.numbers[call.system]
    return {
        "call": {
            "mainDid": to_e164(numbers.main),
            "secondaryDids": [to_e164(s.number) for s in numbers.secondary],
            "callerIds": [to_e164(n) for n in numbers.approved],
        },
        "sms": {
            "smsId": to_e164(numbers.sms_id) if numbers.sms_id else None,
            "allowText": numbers.allow_text_sender,
        },
    }


SERVICES: dict[str, Service] = {
    "GetSipAccountsInCustomer": Service(get_accounts, sip=True),
    "GetSipAccountsRegisteredStatus": Service(get_registered_status, sip=True),
    "SipGetContexts": Service(get_contexts, sip=True),
    "CreateSipAccount": Service(create_account, sip=True),
    "DeleteSipAccount": Service(delete_accounts, sip=True),
    "SipToWss": Service(_set_transport(SipTransport.WSS), sip=True),
    "SipToUdp": Service(_set_transport(SipTransport.UDP), sip=True),
    "EditCallerIdInSipAccount": Service(edit_caller_id, sip=True),
    "SipExtensionManagement": Service(extension_management, sip=True),
    "IsCallerIDApproved": Service(is_caller_id_approved),
    "GetApprovedCallerIDs": Service(approved_caller_ids),
}
