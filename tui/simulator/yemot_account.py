"""The customer's own account: its data (vendors/yemot.md 2.7), secondary numbers (1.2), PirsumPhone (1.7)."""

from __future__ import annotations

from typing import Any

from tui.simulator.world_numbers import UsageOutcome
from tui.simulator.yemot_common import ERROR, Call, Refusal, Service

RESULTS_OK = "OK"
USAGE_REFUSALS = {
    UsageOutcome.NOT_FOUND: "secondaryDidId not found",
    UsageOutcome.BAD_USAGE: "newUsage must be sip:<account or extension> or goto:/<existing extension>",
    UsageOutcome.LOCKED: "the current usage of this number cannot be changed",
}
IVR_TYPE = "ivr2"


def get_customer_data(call: Call) -> dict[str, Any]:
    account = call.world.auth.accounts[call.system]
    numbers = call.world.numbers[call.system]
    return {
        "mainDid": numbers.main,
        "secondary_dids": [{"id": s.number_id, "did": s.number, "usage": s.usage} for s in numbers.secondary],
        "callerIds": [{"callerId": n, "expiryDate": None} for n in numbers.approved],
        "name": account.name,
        "expiredUnits": account.units_expire < call.world.now.date(),
        "unitsExpireDate": account.units_expire.isoformat(),
        "smsUnitsExpireDate": None,
        "email": account.email,
        "organization": account.organization,
        "contactName": account.contact_name,
        "phones": "",
        "invoiceName": account.organization,
        "invoiceAddress": "",
        "fax": "",
        "accessPassword": None,
        "units": account.units,
        "smsUnits": account.sms_units,
        "recordPassword": None,
        "resellerCreditFile": "Yemot",
        "systemSite": "",
        "pirsumPhoneStatus": account.pirsum_phone,
        "ivrType": IVR_TYPE,
    }


def set_secondary_usage(call: Call) -> dict[str, Any]:
    """`newUsage` is `sip:<n>` (a SIP account or extension) or `goto:/<path>` (an extension)."""
    outcome = call.world.set_secondary_usage(
        call.system, call.integer("secondaryDidId"), call.required_text("newUsage").strip()
    )
    if outcome is not UsageOutcome.OK:
        raise Refusal(ERROR, USAGE_REFUSALS[outcome])
    return {"status": True}


def pirsum_phone(call: Call) -> dict[str, Any]:
    account = call.world.auth.accounts[call.system]
    action = call.text("action") or ""
    if action == "GetRegistrationStatus":
        return {"registrationStatus": account.pirsum_phone}
    if action in ("Registration", "UnRegistration"):
        account.pirsum_phone = action == "Registration"
        return {"results": RESULTS_OK}
    raise Refusal(ERROR, f"unknown action '{action}'")


SERVICES: dict[str, Service] = {
    "GetCustomerData": Service(get_customer_data),
    "SetSecondaryDidUsageDescription": Service(set_secondary_usage),
    "PirsumPhoneManagement": Service(pirsum_phone),
}
