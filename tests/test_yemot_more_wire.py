"""Yemot wire models for SIP, campaigns, SMS and MFA/trust against the verbatim examples of
vendors/yemot.md (seeds 000/001 and the real RunTzintuk reply) and the quirks of 2.6/2.8/A13."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr, ValidationError

from tui.vendors.yemot.wire import SIP_OFF_MESSAGE, Envelope
from tui.vendors.yemot.wire_campaigns import (
    ActiveCampaignsReply,
    BridgingReply,
    CampaignActionReply,
    CampaignStatusReply,
)
from tui.vendors.yemot.wire_mfa import (
    MFA_OVERTRY_MESSAGE,
    AddMethodReply,
    CodeCheckReply,
    MfaMethodsReply,
    TrustIpsReply,
    TrustIpsSavedReply,
    TrustTokensReply,
)
from tui.vendors.yemot.wire_sip import (
    CallerIdApprovalReply,
    SipAccountsReply,
    SipContextsReply,
    SipCreateReply,
    SipDeleteReply,
    SipExtensionReply,
    SipRegisteredStatusReply,
)
from tui.vendors.yemot.wire_sms import IncomingSmsReply

SIP_PASSWORD = "sip-Pa55-planted"

# Seed 000, GetSipAccountsInCustomer: each documented field with its documented type.
SIP_ACCOUNTS = {
    "responseStatus": "OK",
    "yAfastVersion": "6.7.30",
    "accounts": [
        {
            "id": "0773137770=2",
            "accountNumber": 2,
            "customerExtension": 201,
            "transport": "transport-udp",
            "callerid": "0773137770",
            "specialCallerID": "0773137770",
            "password": SIP_PASSWORD,
            "created_date": "2021-06-26 23:00:00",
        }
    ],
    "accountLimit": 6,
}
# Seed 001, GetSipAccountsRegisteredStatus and SipGetContexts: the documented examples.
SIP_REGISTERED = {
    "responseStatus": "OK",
    "accounts": [{"userName": "0773137770", "createdDate": "2021-06-26 23:00:00", "registered": True}],
}
SIP_CONTEXTS = {
    "responseStatus": "OK",
    "contexts": [
        {
            "expiration_time": "2024-06-04 15:43:38",
            "uri": "sip:0773137770@192.168.1.99:5060",
            "user_agent": "Yealink SIP-T29G",
            "via_addr": "192.168.1.110",
            "via_port": "5060",
        }
    ],
}
# Seed 000, CallExtensionBridging's reply table.
BRIDGING = {
    "responseStatus": "OK",
    "module": "menu",
    "callerId": "0770770770",
    "callsCount": 6,
    "bilingPerCall": 1,
    "errors": {"0510001": "not Vaild", "0510002": "not Vaild", "0510003": "not Vaild"},
    "callsTimeout": 30,
    "campaignId": "YA-1-0770770770-Yemot-1695290243349441",
}
# Part 2.4, a real RunTzintuk reply, verbatim.
RUN_TZINTUK_REAL = (
    '{"responseStatus":"OK","yAfastVersion":"6.6.156","verifyCode":"5284","callerId":"0799405284",'
    '"callsCount":1,"bilingPerCall":0.1,"biling":"0.10","errors":{},"callsTimeout":9,'
    '"campaignId":"YA-24054-025089532-Yemot-1724246589311468"}'
)
# Seed 001, GetIncomingSms row example.
INCOMING_SMS = {
    "responseStatus": "OK",
    "rows": [
        {
            "source": "972773137770",
            "destination": "972773137770",
            "message": "הודעת בדיקה",
            "receive_date": "2025-06-03 19:58:03",
        }
    ],
}
# Seed 001, getMFAMethods row example (with the isPass fields beside it).
MFA_METHOD = {
    "ID": 1,
    "STATUS": "ACTIVE",
    "MFA_METHOD_ID": 6598,
    "NIKE": "RESET_MAIL",
    "NOTE": "הטלפון בבית",
    "SEND_TYPE": ["CALL", "SMS"],
    "VALUE": "+972773137770",
    "EXPIRED_DATE": "2025-09-28 12:11:38",
    "LAST_USED": "2025-09-28 12:11:38",
}
MFA_METHODS = {
    "responseStatus": "OK",
    "isAvailable": True,
    "isPass": True,
    "passRessen": "MFA_PASSED",
    "isPassInThisSession": True,
    "mfaMethods": [MFA_METHOD],
}
VALID_MFA = {
    "responseStatus": "OK",
    "mfa_valid_status": "VALID",
    "mfa_valid_trys": 1,
    "mfa_valid_left": 4,
    "mfa_valid_message": "validMFA not allow. over trys attempt",
}
TRUST_TOKENS = {
    "responseStatus": "OK",
    "trustTokens": [
        {
            "id": 1,
            "trust_key_type": "YM_CALL2ALL_WEBSITE",
            "create_by": "192.168.1.1",
            "create_date": "2025-09-28 21:56:52",
            "update_by": "192.168.1.1",
            "update_date": None,
            "last_use": None,
            "trust_note": "המחשב שלי",
        }
    ],
}
TRUST_IPS_SAVED = {
    "responseStatus": "OK",
    "okCount": 1,
    "save": True,
    "valid_new_list": ["192.168.1.1"],
    "errors": ["ip: 0.192.66.2222 is not valid"],
}
# Part 2.4: GetCampaignStatus' campaign object (yemot_api's literal "STOPPING " with a space).
CAMPAIGN = {
    "campaignId": "YA-1-0770770770-Yemot-1695290243349441",
    "campaignStatus": "STOPPING ",
    "templateId": 1117319,
    "who": "API",
    "callerId": "0770770770",
    "blockedEntries": 0,
    "pendingEntries": "2",
    "activeEntries": 1,
    "bridgedEntries": 1,
    "redialEntries": 0,
    "doneEntries": 1,
    "failedEntries": 1,
    "totalEntries": 6,
    "totalDialed": 4,
    "totalSuccessful": 2,
    "totalBridged": 1,
    "totalFailed": 1,
    "totalIncoming": 0,
    "totalIncomingBridged": 0,
    "maxActiveChannels": 10,
    "maxBridgedChannels": 5,
    "maxDialAttempts": 1,
    "redialWait": 60,
    "redialPolicy": "NONE",
    "vmDetect": False,
    "playPrivateMsg": 0,
    "runTime": "00:01:10",
    "currentPrice": "1.3",
    "paused": False,
    "entries": [
        {
            "phone": "0510004",
            "name": "",
            "moreinfo": "",
            "entryStatus": "failed",
            "duration": 0,
            "bridgedDuration": 0,
            "currentPrice": 0.1,
            "bridged": False,
            "startTime": "12:00:01",
            "redials": [],
        }
    ],
}


# --- SIP -------------------------------------------------------------------------------------------


def test_sip_accounts_seed_fields_and_password_is_secret() -> None:
    reply = SipAccountsReply.model_validate(SIP_ACCOUNTS)
    row = reply.accounts[0]
    assert (row.id, row.accountNumber, row.customerExtension, row.transport) == (
        "0773137770=2",
        2,
        201,
        "transport-udp",
    )
    assert (row.callerid, row.specialCallerID, row.created_date) == (
        "0773137770",
        "0773137770",
        "2021-06-26 23:00:00",
    )
    assert reply.accountLimit == 6
    assert isinstance(row.password, SecretStr) and row.password.get_secret_value() == SIP_PASSWORD
    for shown in (repr(reply), str(reply), repr(row), reply.model_dump_json()):
        assert SIP_PASSWORD not in shown


def test_sip_accounts_client_code_additions_and_loose_types() -> None:
    """2.6: `contactsCount`, `customerExtension` null; numbers as strings, a numeric password."""
    raw = json.loads(json.dumps(SIP_ACCOUNTS))
    raw["accounts"][0] |= {"customerExtension": None, "contactsCount": "1", "accountNumber": "2"}
    raw["accounts"][0]["password"] = 123456
    raw["accounts"][0]["specialCallerID"] = ""
    reply = SipAccountsReply.model_validate(raw)
    row = reply.accounts[0]
    assert (row.customerExtension, row.contactsCount, row.accountNumber, row.specialCallerID) == (
        None,
        1,
        2,
        None,
    )
    assert row.password is not None and row.password.get_secret_value() == "123456"
    assert "123456" not in repr(reply)


def test_sip_accounts_empty_and_null_lists() -> None:
    assert SipAccountsReply.model_validate({"responseStatus": "OK", "accounts": None}).accounts == []
    assert SipRegisteredStatusReply.model_validate({"responseStatus": "OK"}).accounts == []
    assert SipContextsReply.model_validate({"responseStatus": "OK", "contexts": {}}).contexts == []


def test_sip_registered_status_and_contexts_examples() -> None:
    registered = SipRegisteredStatusReply.model_validate(SIP_REGISTERED).accounts[0]
    assert (registered.userName, registered.createdDate, registered.registered) == (
        "0773137770",
        "2021-06-26 23:00:00",
        True,
    )
    context = SipContextsReply.model_validate(SIP_CONTEXTS).contexts[0]
    assert context.expiration_time == "2024-06-04 15:43:38"
    assert context.uri == "sip:0773137770@192.168.1.99:5060"
    assert (context.user_agent, context.via_addr, context.via_port) == (
        "Yealink SIP-T29G",
        "192.168.1.110",
        "5060",
    )


@pytest.mark.parametrize("port", ["5060", 5060])
def test_sip_context_via_port_string_or_int_and_endpoint(port: object) -> None:
    """2.6: yemot_api parses `via_port` as int; rows also carry `endpoint`."""
    raw = SIP_CONTEXTS["contexts"][0] | {"via_port": port, "endpoint": "0773137770=2"}
    reply = SipContextsReply.model_validate({"responseStatus": "OK", "contexts": [raw]})
    assert reply.contexts[0].via_port == "5060" and reply.contexts[0].endpoint == "0773137770=2"


def test_sip_create_pass_is_secret_and_other_sip_replies() -> None:
    created = SipCreateReply.model_validate(
        {"responseStatus": "OK", "accountID": "0773137770=3", "accountNumber": 3, "PASS": SIP_PASSWORD}
    )
    assert (created.accountID, created.accountNumber) == ("0773137770=3", 3)
    assert created.PASS is not None and created.PASS.get_secret_value() == SIP_PASSWORD
    assert SIP_PASSWORD not in repr(created) and SIP_PASSWORD not in created.model_dump_json()
    assert SipDeleteReply.model_validate({"responseStatus": "OK", "affected_rows": "2"}).affected_rows == 2
    assert SipExtensionReply.model_validate({"responseStatus": "OK", "extNumber": 205}).extNumber == 205
    assert SipExtensionReply.model_validate({"responseStatus": "OK"}).extNumber is None


def test_sip_off_reply_is_an_error_envelope() -> None:
    envelope = Envelope.model_validate(
        {"responseStatus": "ERROR", "message": SIP_OFF_MESSAGE, "yAfastVersion": "any"}
    )
    assert not envelope.ok and envelope.text == "שרת זה אינו תומך במערכת SIP"


@pytest.mark.parametrize("reason", ["INVALID_CALLER", "SMS_ID", "INCLUDE"])
def test_is_caller_id_approved_reply(reason: str) -> None:
    reply = CallerIdApprovalReply.model_validate(
        {"responseStatus": "OK", "parsedCallerId": "+972773137770", "isApproved": "1", "reason": reason}
    )
    assert (reply.parsedCallerId, reply.isApproved, reply.reason) == ("+972773137770", True, reason)


# --- campaigns ------------------------------------------------------------------------------------


def test_call_extension_bridging_seed_reply() -> None:
    reply = BridgingReply.model_validate(BRIDGING)
    assert (reply.module, reply.callerId, reply.callsCount, reply.bilingPerCall) == (
        "menu",
        "0770770770",
        6,
        1,
    )
    assert reply.errors == {"0510001": "not Vaild", "0510002": "not Vaild", "0510003": "not Vaild"}
    assert reply.callsTimeout == 30
    assert reply.campaignId == "YA-1-0770770770-Yemot-1695290243349441"


def test_run_tzintuk_real_reply_string_biling() -> None:
    """The real reply: `biling` a string beside a numeric `bilingPerCall`, `errors: {}`."""
    reply = BridgingReply.model_validate_json(RUN_TZINTUK_REAL)
    assert reply.biling == pytest.approx(0.10) and reply.bilingPerCall == pytest.approx(0.1)
    assert (reply.verifyCode, reply.callerId, reply.callsCount, reply.callsTimeout) == (
        "5284",
        "0799405284",
        1,
        9,
    )
    assert reply.errors == {} and reply.campaignId == "YA-24054-025089532-Yemot-1724246589311468"


def test_bridging_errors_as_empty_list_and_string_numbers() -> None:
    """A13: `[]` where a map is expected; 2.8: numbers as strings."""
    raw = BRIDGING | {"errors": [], "bilingPerCall": "0.1", "callsCount": "3", "callsTimeout": "35"}
    reply = BridgingReply.model_validate(raw)
    assert reply.errors == {} and reply.bilingPerCall == pytest.approx(0.1)
    assert (reply.callsCount, reply.callsTimeout) == (3, 35)


def test_bridging_refuses_a_boolean_count() -> None:
    with pytest.raises(ValidationError):
        BridgingReply.model_validate(BRIDGING | {"callsCount": True})


def test_campaign_status_object() -> None:
    info = CampaignStatusReply.model_validate({"responseStatus": "OK", "campaign": CAMPAIGN}).campaign
    assert info.campaignStatus == "STOPPING "  # kept verbatim on the wire; the adapter strips it
    assert (info.totalEntries, info.pendingEntries, info.currentPrice, info.paused) == (6, 2, 1.3, False)
    entry = info.entries[0]
    assert (entry.phone, entry.entryStatus, entry.startTime, entry.bridged) == (
        "0510004",
        "failed",
        "12:00:01",
        False,
    )


def test_campaign_entries_null_and_active_list() -> None:
    reply = ActiveCampaignsReply.model_validate(
        {"responseStatus": "OK", "campaigns": [CAMPAIGN | {"entries": None, "paused": "1"}]}
    )
    assert reply.campaigns[0].entries == [] and reply.campaigns[0].paused is True
    assert ActiveCampaignsReply.model_validate({"responseStatus": "OK", "campaigns": None}).campaigns == []


def test_campaign_action_reply() -> None:
    reply = CampaignActionReply.model_validate(
        {
            "responseStatus": "OK",
            "campaign": CAMPAIGN,
            "action": "STOP",
            "value": None,
            "data": [{"phone": "0510004", "action": "hangup"}],
        }
    )
    assert reply.action == "STOP" and reply.campaign is not None
    assert reply.data[0].phone == "0510004"
    bare = CampaignActionReply.model_validate({"responseStatus": "OK", "campaign": [], "data": None})
    assert bare.campaign is None and bare.data == []


# --- SMS -------------------------------------------------------------------------------------------


def test_get_incoming_sms_seed_row() -> None:
    row = IncomingSmsReply.model_validate(INCOMING_SMS).rows[0]
    assert (row.source, row.destination, row.message, row.receive_date) == (
        "972773137770",
        "972773137770",
        "הודעת בדיקה",
        "2025-06-03 19:58:03",
    )


def test_incoming_sms_numbers_as_ints_and_null_message() -> None:
    raw = {
        "responseStatus": "OK",
        "rows": [{"source": 972541234567, "destination": 972501234567, "message": None}],
    }
    row = IncomingSmsReply.model_validate(raw).rows[0]
    assert (row.source, row.destination, row.message, row.receive_date) == (
        "972541234567",
        "972501234567",
        "",
        None,
    )
    assert IncomingSmsReply.model_validate({"responseStatus": "OK", "rows": None}).rows == []


# --- MFA and trust -----------------------------------------------------------------------------------


def test_get_mfa_methods_seed_row() -> None:
    reply = MfaMethodsReply.model_validate(MFA_METHODS)
    assert (reply.isAvailable, reply.isPass, reply.passRessen, reply.isPassInThisSession) == (
        True,
        True,
        "MFA_PASSED",
        True,
    )
    row = reply.mfaMethods[0]
    assert (row.ID, row.STATUS, row.MFA_METHOD_ID, row.NIKE, row.NOTE) == (
        1,
        "ACTIVE",
        "6598",
        "RESET_MAIL",
        "הטלפון בבית",
    )
    assert row.SEND_TYPE == ["CALL", "SMS"] and row.VALUE == "+972773137770"
    assert row.EXPIRED_DATE == row.LAST_USED == "2025-09-28 12:11:38"


@pytest.mark.parametrize("empty", ["", None])
def test_mfa_method_without_a_stable_id_and_loose_send_types(empty: object) -> None:
    """MFA_METHOD_ID "may be empty"; SEND_TYPE "empty when a code cannot be sent" (or one string)."""
    rows = [
        MFA_METHOD | {"MFA_METHOD_ID": empty, "SEND_TYPE": None, "VALUE": "shmu•••@•••.co.il"},
        MFA_METHOD | {"ID": "2", "SEND_TYPE": "CALL,SMS"},
    ]
    reply = MfaMethodsReply.model_validate(MFA_METHODS | {"mfaMethods": rows})
    assert reply.mfaMethods[0].MFA_METHOD_ID is None and reply.mfaMethods[0].SEND_TYPE == []
    assert reply.mfaMethods[1].ID == 2 and reply.mfaMethods[1].SEND_TYPE == ["CALL", "SMS"]


@pytest.mark.parametrize("status", ["VALID", "UNVALID", "OVERTRY"])
def test_code_check_replies(status: str) -> None:
    reply = CodeCheckReply.model_validate(VALID_MFA | {"mfa_valid_status": status})
    assert (reply.mfa_valid_status, reply.mfa_valid_trys, reply.mfa_valid_left) == (status, 1, 4)
    assert reply.mfa_valid_message == MFA_OVERTRY_MESSAGE


def test_code_check_needs_a_status() -> None:
    with pytest.raises(ValidationError):
        CodeCheckReply.model_validate({"responseStatus": "OK"})


def test_trust_tokens_seed_row() -> None:
    row = TrustTokensReply.model_validate(TRUST_TOKENS).trustTokens[0]
    assert (row.id, row.trust_key_type, row.create_by, row.create_date) == (
        "1",
        "YM_CALL2ALL_WEBSITE",
        "192.168.1.1",
        "2025-09-28 21:56:52",
    )
    assert (row.update_by, row.update_date, row.last_use, row.trust_note) == (
        "192.168.1.1",
        None,
        None,
        "המחשב שלי",
    )


def test_trust_ips_array_or_lines() -> None:
    assert TrustIpsReply.model_validate(
        {"responseStatus": "OK", "trustIps": ["1.2.3.4", "::1"]}
    ).trustIps == [
        "1.2.3.4",
        "::1",
    ]
    lines = TrustIpsReply.model_validate({"responseStatus": "OK", "trustIps": "1.2.3.4\r\n\n::1\n"})
    assert lines.trustIps == ["1.2.3.4", "::1"]
    assert TrustIpsReply.model_validate({"responseStatus": "OK", "trustIps": None}).trustIps == []


def test_set_trust_ips_seed_reply() -> None:
    reply = TrustIpsSavedReply.model_validate(TRUST_IPS_SAVED)
    assert (reply.okCount, reply.save, reply.valid_new_list) == (1, True, ["192.168.1.1"])
    assert reply.errors == ["ip: 0.192.66.2222 is not valid"]
    unchanged = TrustIpsSavedReply.model_validate({"responseStatus": "OK", "save": 0, "errors": None})
    assert (unchanged.okCount, unchanged.save, unchanged.errors) == (0, False, [])


def test_add_method_reply_method_id_as_text() -> None:
    assert AddMethodReply.model_validate({"responseStatus": "OK", "methodId": 7001}).methodId == "7001"
    assert AddMethodReply.model_validate({"responseStatus": "OK"}).methodId is None
