"""YemotVendor's SIP and campaign methods against an in-test fake of Yemot (httpx.MockTransport)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.test_yemot_client import BASE, OK, FakeYemot, Reply, make_vendor
from tests.test_yemot_more_wire import BRIDGING, CAMPAIGN, SIP_ACCOUNTS, SIP_CONTEXTS, SIP_PASSWORD
from tui.domain import CampaignRequest, ItemResult
from tui.vendors.base import NotSupported, VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.adapter import YemotVendor
from tui.vendors.yemot.mapping import campaign_status
from tui.vendors.yemot.wire import SIP_OFF_MESSAGE

ISRAEL = ZoneInfo("Asia/Jerusalem")
NEW_PASSWORD = "new-sip-PASS-42"


def bodies_of(fake: FakeYemot, command: str) -> list[dict[str, Any]]:
    """What was sent to `command`, without the token."""
    return [{k: v for k, v in body.items() if k != "token"} for c, body in fake.bodies if c == command]


def sip_world(fake: FakeYemot, accounts: int = 2) -> None:
    """Account 2 registered (with a contact), account 3 not, further ones registered."""
    rows = []
    for number in range(2, 2 + accounts):
        row = json.loads(json.dumps(SIP_ACCOUNTS["accounts"][0]))
        row |= {"id": f"0773137770={number}", "accountNumber": number, "customerExtension": 200 + number}
        rows.append(row)
    unregistered = rows[1]["id"] if len(rows) > 1 else None
    if len(rows) > 1:
        rows[1] |= {"transport": "transport-wss", "customerExtension": None, "specialCallerID": ""}
    registered = [
        {"userName": r["id"], "createdDate": "2021-06-26 23:00:00", "registered": r["id"] != unregistered}
        for r in rows
    ]
    fake.routes["GetSipAccountsInCustomer"] = lambda body: OK | {"accounts": rows, "accountLimit": 6}
    fake.routes["GetSipAccountsRegisteredStatus"] = lambda body: OK | {"accounts": registered}
    fake.routes["SipGetContexts"] = lambda body: SIP_CONTEXTS


# --- SIP board -----------------------------------------------------------------------------------------


async def test_fetch_sip_maps_accounts_registration_and_contact() -> None:
    fake = FakeYemot()
    sip_world(fake)
    vendor = make_vendor(fake)
    board = await vendor.fetch_sip()
    assert board.account_limit == 6
    first, second = board.accounts
    assert (first.account_id, first.user, first.extension, first.account_number) == (
        "2",
        "0773137770=2",
        "202",
        2,
    )
    assert (first.transport, first.caller_id, first.registered, first.status) == (
        "udp",
        "0773137770",
        True,
        "registered",
    )
    assert (first.address, first.user_agent, first.contact_uri) == (
        "192.168.1.110",
        "Yealink SIP-T29G",
        "sip:0773137770@192.168.1.99:5060",
    )
    assert first.expires_at == datetime(2024, 6, 4, 15, 43, 38, tzinfo=ISRAEL)
    assert first.expires_at is not None and first.expires_at.utcoffset() == timedelta(hours=3)  # summer time
    assert (second.account_id, second.extension, second.transport, second.caller_id) == (
        "3",
        None,
        "wss",
        None,
    )
    assert (second.registered, second.status, second.contact_uri, second.expires_at) == (
        False,
        "not registered",
        None,
        None,
    )
    # Contacts are read for the registered account only; SipGetContexts takes a string (1.1).
    assert bodies_of(fake, "SipGetContexts") == [{"accountNumber": "2"}]
    await vendor.close()


async def test_fetch_sip_account_missing_from_registration_call_is_unknown_and_still_read() -> None:
    fake = FakeYemot()
    sip_world(fake)
    fake.routes["GetSipAccountsRegisteredStatus"] = lambda body: OK | {"accounts": []}
    board = await make_vendor(fake).fetch_sip()
    assert [(a.registered, a.status) for a in board.accounts] == [(None, "unknown"), (None, "unknown")]
    assert sorted(b["accountNumber"] for b in bodies_of(fake, "SipGetContexts")) == ["2", "3"]
    assert board.accounts[0].contact_uri == "sip:0773137770@192.168.1.99:5060"


async def test_fetch_sip_runs_concurrently_within_the_cap_of_four() -> None:
    fake = FakeYemot(delay=0.02)
    sip_world(fake, accounts=9)
    board = await make_vendor(fake).fetch_sip()
    assert len(board.accounts) == 9
    assert len(bodies_of(fake, "SipGetContexts")) == 8  # the one unregistered account is skipped
    assert 2 <= fake.max_in_flight <= 4


async def test_fetch_sip_latest_context_wins() -> None:
    fake = FakeYemot()
    sip_world(fake, accounts=1)
    older = SIP_CONTEXTS["contexts"][0] | {
        "expiration_time": "2024-06-04 15:00:00",
        "uri": "sip:old@10.0.0.1",
    }
    fake.routes["SipGetContexts"] = lambda body: OK | {"contexts": [older, SIP_CONTEXTS["contexts"][0]]}
    (account,) = (await make_vendor(fake).fetch_sip()).accounts
    assert account.contact_uri == "sip:0773137770@192.168.1.99:5060"


async def test_sip_off_server_raises_not_supported_with_the_plain_message() -> None:
    fake = FakeYemot()
    sip_off = {"responseStatus": "ERROR", "message": SIP_OFF_MESSAGE, "yAfastVersion": "any"}
    for command in ("GetSipAccountsInCustomer", "GetSipAccountsRegisteredStatus", "CreateSipAccount"):
        fake.routes[command] = lambda body: sip_off
    vendor = make_vendor(fake)
    with pytest.raises(NotSupported) as caught:
        await vendor.fetch_sip()
    # Said in English, with the vendor's own words kept.
    assert str(caught.value) == f"This Yemot server does not support SIP accounts (“{SIP_OFF_MESSAGE}”)."
    with pytest.raises(NotSupported):
        await vendor.sip_create(None)


async def test_sip_password_never_reaches_domain_repr_log_or_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeYemot()
    sip_world(fake)
    fake.routes["CreateSipAccount"] = lambda body: (
        OK
        | {
            "accountID": "0773137770=4",
            "accountNumber": 4,
            "PASS": NEW_PASSWORD,
        }
    )
    vendor = make_vendor(fake)
    board = await vendor.fetch_sip()
    created = await vendor.sip_create(204)
    fake.routes["SipGetContexts"] = lambda body: {"responseStatus": "ERROR", "message": "no such account"}
    with pytest.raises(VendorRejected) as caught:
        await vendor.fetch_sip()
    shown = " ".join(
        [repr(board), str(board), repr(created), str(created), created.message, repr(vendor), caplog.text]
    )
    shown += f" {caught.value!s} {caught.value!r}"
    assert SIP_PASSWORD not in shown and NEW_PASSWORD not in shown
    assert created.secret == NEW_PASSWORD  # handed over only here, for the screen to offer a copy


# --- SIP actions --------------------------------------------------------------------------------------


async def test_sip_create_names_the_account_and_keeps_the_password_in_secret() -> None:
    fake = FakeYemot()
    fake.routes["CreateSipAccount"] = lambda body: (
        OK
        | {
            "accountID": "0773137770=4",
            "accountNumber": 4,
            "PASS": NEW_PASSWORD,
        }
    )
    vendor = make_vendor(fake)
    result = await vendor.sip_create(204)
    assert result.ok and "0773137770=4" in result.message and "account 4" in result.message
    assert NEW_PASSWORD not in result.message and result.secret == NEW_PASSWORD
    await vendor.sip_create(None)
    assert bodies_of(fake, "CreateSipAccount") == [{"extNumber": 204}, {}]


async def test_sip_delete_sends_an_array_and_reports_affected_rows() -> None:
    fake = FakeYemot()
    fake.routes["DeleteSipAccount"] = lambda body: OK | {"affected_rows": len(body["accountNumber"]) - 1}
    vendor = make_vendor(fake)
    one = await vendor.sip_delete(["3"])
    assert not one.ok and one.message == "deleted 0 of 1 SIP account(s)"
    fake.routes["DeleteSipAccount"] = lambda body: OK | {"affected_rows": len(body["accountNumber"])}
    two = await vendor.sip_delete(["2", "3"])
    assert two.ok and two.message == "deleted 2 of 2 SIP account(s)"
    assert bodies_of(fake, "DeleteSipAccount") == [{"accountNumber": [3]}, {"accountNumber": [2, 3]}]
    refused = await vendor.sip_delete(["2", "x"])
    assert not refused.ok and len(bodies_of(fake, "DeleteSipAccount")) == 2


@pytest.mark.parametrize(("transport", "command"), [("udp", "SipToUdp"), ("WSS", "SipToWss")])
async def test_sip_set_transport(transport: str, command: str) -> None:
    fake = FakeYemot()
    fake.routes[command] = lambda body: OK
    vendor = make_vendor(fake)
    result = await vendor.sip_set_transport("2", transport)
    assert result.ok and result.message == f"SIP account 2 now uses {transport.upper()}"
    assert bodies_of(fake, command) == [{"accountNumber": 2}]


async def test_sip_set_transport_not_done_is_tolerated_other_errors_are_not() -> None:
    fake = FakeYemot()
    fake.routes["SipToWss"] = lambda body: {
        "responseStatus": "ERROR",
        "message": A.SIP_TRANSPORT_UNCHANGED[1],
    }
    vendor = make_vendor(fake)
    result = await vendor.sip_set_transport("2", "wss")
    assert result.ok and "nothing changed" in result.message
    fake.routes["SipToWss"] = lambda body: {"responseStatus": "ERROR", "message": "account not found"}
    with pytest.raises(VendorRejected, match="account not found"):
        await vendor.sip_set_transport("2", "wss")
    bad = await vendor.sip_set_transport("2", "tcp")
    assert not bad.ok and len(bodies_of(fake, "SipToWss")) == 2


@pytest.mark.parametrize(
    ("approved", "reason", "ok", "words"),
    [
        (True, "INCLUDE", True, "(it is on the system's list of authorised numbers)"),
        (False, "INCLUDE", False, ": it is not on the system's list of authorised numbers"),
        (True, "SMS_ID", True, "(it is the system's SMS sender ID)"),
        (False, "INVALID_CALLER", False, "not a valid caller ID"),
        (False, "SMS_ID", False, "SMS sender ID is locked"),
        (False, "SOMETHING_NEW", False, "SOMETHING_NEW"),
    ],
)
async def test_caller_id_approved(approved: bool, reason: str, ok: bool, words: str) -> None:
    fake = FakeYemot()
    fake.routes["IsCallerIDApproved"] = lambda body: (
        OK
        | {
            "parsedCallerId": "+972773137770",
            "isApproved": approved,
            "reason": reason,
        }
    )
    result = await make_vendor(fake).caller_id_approved("0773137770")
    assert result.ok is ok and "+972773137770" in result.message and words in result.message
    assert ("is approved" in result.message) is ok
    assert bodies_of(fake, "IsCallerIDApproved") == [{"callerId": "0773137770", "serviceType": "call"}]


async def test_sip_set_caller_id() -> None:
    fake = FakeYemot()
    fake.routes["EditCallerIdInSipAccount"] = lambda body: OK
    result = await make_vendor(fake).sip_set_caller_id("2", "0773137770")
    assert result.ok and "0773137770" in result.message
    assert bodies_of(fake, "EditCallerIdInSipAccount") == [{"accountNumber": 2, "callerId": "0773137770"}]


async def test_sip_set_extension_is_form_encoded_with_the_token_in_the_body() -> None:
    """A11: SipExtensionManagement=Set, form-encoded; no extNumber clears it."""
    fake = FakeYemot()
    fake.routes["SipExtensionManagement"] = lambda body: (
        OK | ({"extNumber": int(body["extNumber"])} if "extNumber" in body else {})
    )
    vendor = make_vendor(fake)
    await vendor.open()
    set_result = await vendor.sip_set_extension("2", 205)
    cleared = await vendor.sip_set_extension("2", None)
    assert set_result.ok and set_result.message == "SIP account 2: extension number 205"
    assert cleared.ok and cleared.message == "SIP account 2: extension number cleared"
    requests = [r for r in fake.requests if r.url.path.endswith("/SipExtensionManagement")]
    assert [r.headers["content-type"] for r in requests] == ["application/x-www-form-urlencoded"] * 2
    assert all(r.url.query == b"" and str(r.url) == BASE + "SipExtensionManagement" for r in requests)
    sent = [body for command, body in fake.bodies if command == "SipExtensionManagement"]
    assert sent == [
        {
            "SipExtensionManagement": "Set",
            "accountNumber": "2",
            "extNumber": "205",
            "token": "TOKEN-1-secret",
        },
        {"SipExtensionManagement": "Set", "accountNumber": "2", "token": "TOKEN-1-secret"},
    ]
    # Every other command stays JSON (A10).
    other = [r for r in fake.requests if not r.url.path.endswith("/SipExtensionManagement")]
    assert {r.headers["content-type"] for r in other} == {"application/json"}


@pytest.mark.parametrize("extension", [199, 10001, 0])
async def test_extension_numbers_out_of_range_are_refused_without_a_request(extension: int) -> None:
    fake = FakeYemot()
    vendor = make_vendor(fake)
    created = await vendor.sip_create(extension)
    changed = await vendor.sip_set_extension("2", extension)
    assert not created.ok and not changed.ok and "200-10000" in created.message
    assert fake.commands() == []


async def test_form_encoded_request_renews_a_dead_token_like_json() -> None:
    fake = FakeYemot()
    fake.routes["SipExtensionManagement"] = lambda body: OK | {"extNumber": 205}
    vendor = make_vendor(fake)
    await vendor.open()
    fake.kill_tokens()
    result = await vendor.sip_set_extension("2", 205)
    assert result.ok and fake.logins == 2
    assert [b["token"] for c, b in fake.bodies if c == "SipExtensionManagement"] == [
        "TOKEN-1-secret",
        "TOKEN-2-secret",
    ]


async def test_form_encoding_refuses_arrays() -> None:
    fake = FakeYemot()
    vendor = make_vendor(fake)
    with pytest.raises(TypeError):
        await vendor.client.call("SipExtensionManagement", {"accountNumber": [1, 2]}, form=True)


# --- campaigns ------------------------------------------------------------------------------------------


def bridging_route(fake: FakeYemot, reply: dict[str, Any] = BRIDGING) -> None:
    fake.routes["CallExtensionBridging"] = lambda body: reply


async def test_launch_campaign_with_numbers_sends_a_json_array() -> None:
    fake = FakeYemot()
    bridging_route(fake)
    vendor = make_vendor(fake)
    request = CampaignRequest(
        ivr_path="1/100", phones=("0510000", "0510001", "0510002", "0510003"), caller_id="0770770770"
    )
    launched = await vendor.launch_campaign(request)
    assert bodies_of(fake, "CallExtensionBridging") == [
        {
            "phones": ["0510000", "0510001", "0510002", "0510003"],
            "ivrPath": "ivr2:/1/100",
            "callerId": "0770770770",
            "callsTimeOut": 30,
        }
    ]
    assert fake.requests[-1].headers["content-type"] == "application/json"
    assert (launched.campaign_id, launched.calls_count, launched.caller_id, launched.module) == (
        "YA-1-0770770770-Yemot-1695290243349441",
        6,
        "0770770770",
        "menu",
    )
    assert (launched.per_call, launched.timeout_s) == (1.0, 30)
    assert launched.errors == (
        ItemResult("0510001", False, "not Vaild"),
        ItemResult("0510002", False, "not Vaild"),
        ItemResult("0510003", False, "not Vaild"),
    )


@pytest.mark.parametrize("list_id", ["tpl:12", "tzl:3"])
async def test_launch_campaign_with_a_list_id(list_id: str) -> None:
    fake = FakeYemot()
    bridging_route(fake, BRIDGING | {"errors": [], "bilingPerCall": "0.5"})
    request = CampaignRequest(ivr_path="ivr2:/2/5/", list_id=list_id, timeout_s=35)
    launched = await make_vendor(fake).launch_campaign(request)
    assert bodies_of(fake, "CallExtensionBridging") == [
        {"phones": list_id, "ivrPath": "ivr2:/2/5", "callsTimeOut": 35}
    ]
    assert launched.errors == () and launched.per_call == 0.5


async def test_launch_campaign_guards_the_seed_limits() -> None:
    fake = FakeYemot()
    bridging_route(fake)
    vendor = make_vendor(fake)
    for bad in (
        CampaignRequest(ivr_path="/1", phones=tuple(f"05{n:08d}" for n in range(501))),
        CampaignRequest(ivr_path="/1", phones=("0510000",), timeout_s=36),
        CampaignRequest(ivr_path="/1"),
    ):
        with pytest.raises(ValueError):
            await vendor.launch_campaign(bad)
    assert bodies_of(fake, "CallExtensionBridging") == []


@pytest.mark.parametrize(
    ("wire", "paused", "shown"),
    [
        ("STOPPING ", False, "STOPPING"),
        (" running", False, "RUNNING"),
        ("", True, "PAUSED"),
        (None, False, "UNKNOWN"),
    ],
)
def test_campaign_status_is_stripped(wire: str | None, paused: bool, shown: str) -> None:
    assert campaign_status(wire, paused) == shown


async def test_fetch_campaigns_maps_counts_status_quirk_and_failed_entries() -> None:
    fake = FakeYemot()
    fake.routes["GetActiveCampaigns"] = lambda body: OK | {"campaigns": [CAMPAIGN]}
    board = await make_vendor(fake).fetch_campaigns()
    (campaign,) = board.campaigns
    assert (campaign.campaign_id, campaign.status, campaign.caller_id) == (
        "YA-1-0770770770-Yemot-1695290243349441",
        "STOPPING",
        "0770770770",
    )
    assert (campaign.total, campaign.pending, campaign.active, campaign.bridged) == (6, 2, 1, 1)
    assert (campaign.done, campaign.failed, campaign.price, campaign.paused) == (1, 1, 1.3, False)
    assert campaign.errors == (ItemResult("0510004", False, "failed"),)
    assert "GetCampaignStatus" not in fake.commands()  # the listing had its counts


async def test_fetch_campaigns_asks_status_when_the_listing_lacks_counts() -> None:
    fake = FakeYemot()
    bare = {"campaignId": CAMPAIGN["campaignId"], "campaignStatus": "RUNNING", "entries": None}
    fake.routes["GetActiveCampaigns"] = lambda body: OK | {"campaigns": [bare]}
    fake.routes["GetCampaignStatus"] = lambda body: (
        OK | {"campaign": CAMPAIGN | {"campaignStatus": "RUNNING"}}
    )
    (campaign,) = (await make_vendor(fake).fetch_campaigns()).campaigns
    assert (campaign.status, campaign.total, campaign.failed) == ("RUNNING", 6, 1)
    assert bodies_of(fake, "GetCampaignStatus") == [
        {"campaignId": CAMPAIGN["campaignId"], "entries": "failed"}
    ]


async def test_launched_campaign_is_followed_after_it_leaves_the_active_list() -> None:
    fake = FakeYemot()
    bridging_route(fake)
    active: list[dict[str, Any]] = [CAMPAIGN | {"campaignStatus": "RUNNING"}]
    fake.routes["GetActiveCampaigns"] = lambda body: OK | {"campaigns": active}
    fake.routes["GetCampaignStatus"] = lambda body: (
        OK | {"campaign": CAMPAIGN | {"campaignStatus": "FINISHED"}}
    )
    vendor = make_vendor(fake)
    await vendor.launch_campaign(CampaignRequest(ivr_path="/1/100", phones=("0510000",)))
    assert [c.status for c in (await vendor.fetch_campaigns()).campaigns] == ["RUNNING"]
    active.clear()
    assert [c.status for c in (await vendor.fetch_campaigns()).campaigns] == ["FINISHED"]
    assert [c.status for c in (await vendor.fetch_campaigns()).campaigns] == ["FINISHED"]
    assert len(bodies_of(fake, "GetCampaignStatus")) == 1  # final: not asked again


async def test_launched_campaign_the_vendor_does_not_know_is_dropped() -> None:
    fake = FakeYemot()
    bridging_route(fake)
    fake.routes["GetActiveCampaigns"] = lambda body: OK | {"campaigns": []}
    fake.routes["GetCampaignStatus"] = lambda body: {
        "responseStatus": "ERROR",
        "message": "campaign not found",
    }
    vendor = make_vendor(fake)
    await vendor.launch_campaign(CampaignRequest(ivr_path="/1/100", phones=("0510000",)))
    assert (await vendor.fetch_campaigns()).campaigns == ()
    assert (await vendor.fetch_campaigns()).campaigns == ()
    assert len(bodies_of(fake, "GetCampaignStatus")) == 1


async def test_campaign_pause_resume_and_stop() -> None:
    fake = FakeYemot()

    def action(body: dict[str, Any]) -> Reply:
        status = {"setPaused": "PAUSED" if body.get("value") == 1 else "RUNNING", "stop": "STOPPING "}
        return OK | {
            "campaign": CAMPAIGN | {"campaignStatus": status[body["action"]]},
            "action": "X",
            "data": [],
        }

    fake.routes["CampaignAction"] = action
    vendor: YemotVendor = make_vendor(fake)
    cid = CAMPAIGN["campaignId"]
    paused = await vendor.campaign_set_paused(cid, True)
    resumed = await vendor.campaign_set_paused(cid, False)
    stopped = await vendor.campaign_stop(cid)
    assert bodies_of(fake, "CampaignAction") == [
        {"campaignId": cid, "action": "setPaused", "value": 1},
        {"campaignId": cid, "action": "setPaused", "value": 0},
        {"campaignId": cid, "action": "stop"},
    ]
    assert paused.ok and paused.message == f"campaign {cid} paused (now PAUSED)"
    assert resumed.ok and resumed.message == f"campaign {cid} resumed (now RUNNING)"
    assert stopped.ok and stopped.message == f"campaign {cid}: stop requested (now STOPPING)"


async def test_campaign_action_refused_raises_the_vendor_message() -> None:
    fake = FakeYemot()
    fake.routes["CampaignAction"] = lambda body: {
        "responseStatus": "ERROR",
        "message": "campaign not running",
    }
    with pytest.raises(VendorRejected, match="campaign not running"):
        await make_vendor(fake).campaign_stop("YA-1")
