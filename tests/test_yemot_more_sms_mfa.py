"""YemotVendor's incoming SMS and MFA/trust methods against an in-test fake of Yemot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.test_yemot_client import NOT_PASSED, OK, PASSED, FakeYemot, Reply, make_vendor
from tests.test_yemot_more_wire import INCOMING_SMS, MFA_METHOD, MFA_METHODS, TRUST_IPS_SAVED, TRUST_TOKENS
from tui.domain import CodeCheck, ItemResult, MfaStatus, SmsMessage
from tui.vendors.base import Throttled, VendorRejected
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.mapping import merge_inbox, parse_local_time, sms_messages
from tui.vendors.yemot.wire_mfa import MFA_OVERTRY_MESSAGE
from tui.vendors.yemot.wire_sms import IncomingSmsRow

ISRAEL = ZoneInfo("Asia/Jerusalem")
WAIT_55S = {
    "responseStatus": "Exception",
    "message": "exception send by customer. wait 55s",
    "file": "CustomerMFA.class.ym",
    "Line": "590:19",
    "yAfastVersion": "6.7.30",
}
MFA_REQUIRED = {"responseStatus": "FORBIDDEN", "message": "MFA_REQUIRED", "yAfastVersion": "6.7.30"}
PAST_STAGE = {"responseStatus": "ERROR", "message": A.A3_PAST_STAGE_MESSAGE}


def sms_row(date: str, text: str, source: str = "972541234567") -> dict[str, str]:
    return {"source": source, "destination": "972773137770", "message": text, "receive_date": date}


def bodies_of(fake: FakeYemot, command: str, action: str | None = None) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in body.items() if k != "token"}
        for c, body in fake.bodies
        if c == command and (action is None or body.get("action") == action)
    ]


def mfa(fake: FakeYemot, **actions: Callable[[dict[str, Any]], Reply] | dict[str, Any]) -> list[str]:
    """Route MFASession by action (isPass passes unless given); returns the actions seen, in order."""
    seen: list[str] = []

    def route(body: dict[str, Any]) -> Reply:
        seen.append(body["action"])
        answer = actions.get(body["action"], PASSED if body["action"] == "isPass" else None)
        if answer is None:
            return {"responseStatus": "ERROR", "message": f"unexpected action {body['action']}"}
        return answer(body) if callable(answer) else answer

    fake.routes["MFASession"] = route
    return seen


# --- SMS -------------------------------------------------------------------------------------------------


async def test_first_fetch_asks_for_the_last_3000_and_maps_the_seed_row() -> None:
    fake = FakeYemot()
    fake.routes["GetIncomingSms"] = lambda body: INCOMING_SMS
    inbox = await make_vendor(fake).fetch_sms()
    assert bodies_of(fake, "GetIncomingSms") == [{"limit": A.A9_INCOMING_SMS_MAX}]
    (message,) = inbox.messages
    assert (message.sender, message.recipient, message.text) == (
        "972773137770",
        "972773137770",
        "הודעת בדיקה",
    )
    assert message.received_at == datetime(2025, 6, 3, 19, 58, 3, tzinfo=ISRAEL)
    assert message.received_at is not None and message.received_at.utcoffset() == timedelta(hours=3)
    assert len(message.message_id) >= 16


async def test_later_fetches_ask_since_the_newest_date_and_dedupe() -> None:
    fake = FakeYemot()
    replies = [
        [sms_row("2025-06-03 19:58:03", "second"), sms_row("2025-06-03 19:50:00", "first")],
        # startDate is inclusive: the newest second comes again, with one new message.
        [sms_row("2025-06-03 20:01:00", "third"), sms_row("2025-06-03 19:58:03", "second")],
        [],
    ]
    fake.routes["GetIncomingSms"] = lambda body: OK | {"rows": replies.pop(0)}
    vendor = make_vendor(fake)
    first = await vendor.fetch_sms()
    second = await vendor.fetch_sms()
    third = await vendor.fetch_sms()
    assert bodies_of(fake, "GetIncomingSms") == [
        {"limit": 3000},
        {"limit": 3000, "startDate": "2025-06-03 19:58:03"},
        {"limit": 3000, "startDate": "2025-06-03 20:01:00"},
    ]
    assert [m.text for m in first.messages] == ["second", "first"]
    assert [m.text for m in second.messages] == ["third", "second", "first"]
    assert third.messages == second.messages
    # Ids are stable across polls: "second" kept the id it had in the first poll.
    assert second.messages[1].message_id == first.messages[0].message_id


async def test_empty_inbox_keeps_asking_without_a_start_date() -> None:
    fake = FakeYemot()
    fake.routes["GetIncomingSms"] = lambda body: OK | {"rows": None}
    vendor = make_vendor(fake)
    assert (await vendor.fetch_sms()).messages == ()
    await vendor.fetch_sms()
    assert bodies_of(fake, "GetIncomingSms") == [{"limit": 3000}, {"limit": 3000}]


def test_message_ids_are_hashes_of_the_fields_and_identical_twins_differ() -> None:
    rows = [IncomingSmsRow.model_validate(sms_row("2025-06-03 19:58:03", "שלום")) for _ in range(2)]
    twin_a, twin_b = sms_messages(rows)
    assert twin_a.message_id != twin_b.message_id
    assert sms_messages(rows[:1])[0].message_id == twin_a.message_id
    other = IncomingSmsRow.model_validate(sms_row("2025-06-03 19:58:03", "שלום", source="972500000000"))
    assert sms_messages([other])[0].message_id != twin_a.message_id


def test_merge_inbox_orders_newest_first_undated_last_and_caps() -> None:
    def message(ident: str, minute: int | None) -> SmsMessage:
        at = datetime(2025, 6, 3, 19, minute, tzinfo=ISRAEL) if minute is not None else None
        return SmsMessage(message_id=ident, received_at=at, sender="1", recipient="2", text=ident)

    held = (message("b", 20), message("a", 10), message("x", None))
    fresh = [message("c", 30), message("b", 20)]
    merged = merge_inbox(fresh, held)
    assert [m.message_id for m in merged] == ["c", "b", "a", "x"]
    assert [m.message_id for m in merge_inbox(fresh, held, cap=2)] == ["c", "b"]


@pytest.mark.parametrize(
    "text", ["2024-07-30 22:40:54", "22:40:54 2024-07-30", "2024-07-30T22:40:54", " 2024-07-30 22:40:54 "]
)
def test_local_times_in_either_order_are_israel_time(text: str) -> None:
    assert parse_local_time(text) == datetime(2024, 7, 30, 22, 40, 54, tzinfo=ISRAEL)


@pytest.mark.parametrize("text", [None, "", "yesterday", "2024-13-01 00:00:00"])
def test_unreadable_local_times_are_none(text: str | None) -> None:
    assert parse_local_time(text) is None


async def test_sms_in_order_of_vendor_for_same_second() -> None:
    fake = FakeYemot()
    rows = [sms_row("2025-06-03 19:58:03", "later"), sms_row("2025-06-03 19:58:03", "earlier")]
    fake.routes["GetIncomingSms"] = lambda body: OK | {"rows": rows}
    inbox = await make_vendor(fake).fetch_sms()
    assert [m.text for m in inbox.messages] == ["later", "earlier"]


# --- MFA status, try, methods ------------------------------------------------------------------------------


async def test_mfa_status_maps_is_pass() -> None:
    fake = FakeYemot()
    mfa(fake, isPass=PASSED | {"isPassInThisSession": True, "passRessen": "MFA_PASSED"})
    status = await make_vendor(fake).mfa_status()
    assert status == MfaStatus(available=True, passed=True, reason="MFA_PASSED", passed_in_session=True)


async def test_mfa_try_past_stage_means_passed_and_returns_a_fresh_is_pass() -> None:
    fake = FakeYemot()
    vendor = make_vendor(fake)
    await vendor.open()
    seen = mfa(fake, **{"try": PAST_STAGE})
    status = await vendor.mfa_try()
    assert seen == ["try", "isPass"]
    assert status.passed and status.reason == "HAVE_ACTIVE_TRUST_TOKEN"


async def test_mfa_try_that_passes_and_one_that_does_not() -> None:
    fake = FakeYemot()
    vendor = make_vendor(fake)
    await vendor.open()
    mfa(fake, **{"try": PASSED | {"passRessen": "INIT_WHITELIST_IPS"}})
    assert (await vendor.mfa_try()).reason == "INIT_WHITELIST_IPS"
    mfa(fake, **{"try": NOT_PASSED | {"isAvailable": False}})
    assert await vendor.mfa_try() == MfaStatus(available=False, passed=False, reason=None)


async def test_mfa_methods_kind_send_types_and_stable_id() -> None:
    fake = FakeYemot()
    rows = [
        MFA_METHOD,
        MFA_METHOD
        | {"ID": 2, "MFA_METHOD_ID": "", "NIKE": "CREATE_PHONE", "SEND_TYPE": [], "VALUE": "+97277•••70"},
        MFA_METHOD
        | {
            "ID": 3,
            "MFA_METHOD_ID": None,
            "STATUS": "pending",
            "SEND_TYPE": ["EMAIL"],
            "VALUE": "shmu•••@•••.co.il",
        },
    ]
    mfa(fake, getMFAMethods=MFA_METHODS | {"mfaMethods": rows, "isPassInThisSession": False})
    methods = await make_vendor(fake).mfa_methods()
    assert methods.status.passed and not methods.status.passed_in_session
    first, second, third = methods.methods
    assert (first.method_id, first.stable_id, first.status, first.origin, first.kind) == (
        1,
        "6598",
        "ACTIVE",
        "RESET_MAIL",
        "PHONE",
    )
    assert (first.value, first.send_types, first.note) == ("+972773137770", ("CALL", "SMS"), "הטלפון בבית")
    assert (first.expires, first.last_used) == ("2025-09-28 12:11:38", "2025-09-28 12:11:38")
    assert (second.stable_id, second.kind, second.send_types, second.method_id) == (None, "PHONE", (), 2)
    # Yemot numbers rows anew on every listing: the row key must not be that number.
    assert second.key == f"{second.origin}:{second.value}"
    assert (third.stable_id, third.kind, third.status, third.value) == (
        None,
        "EMAIL",
        "PENDING",
        "shmu•••@•••.co.il",
    )


# --- sending and checking codes --------------------------------------------------------------------------


async def test_send_code_body_and_result() -> None:
    fake = FakeYemot()
    mfa(fake, sendMFA=OK | {"message": "the code send. please valid the code"})
    result = await make_vendor(fake).mfa_send_code(1, "sms", "en")
    assert result.ok and result.message == "a code was sent by SMS"
    assert bodies_of(fake, "MFASession", "sendMFA") == [
        {"action": "sendMFA", "mfaId": 1, "mfaSendType": "SMS", "lang": "EN"}
    ]


async def test_send_code_throttled_carries_the_wait() -> None:
    fake = FakeYemot()
    mfa(fake, sendMFA=WAIT_55S)
    with pytest.raises(Throttled) as caught:
        await make_vendor(fake).mfa_send_code(1, "CALL")
    assert caught.value.wait_seconds == 55 and "wait 55s" in str(caught.value)


async def test_send_code_after_hard_verification_says_so_plainly() -> None:
    fake = FakeYemot()
    mfa(fake, sendMFA=PAST_STAGE)
    with pytest.raises(VendorRejected) as caught:
        await make_vendor(fake).mfa_send_code(1, "CALL")
    assert str(caught.value) == "this session is already verified: no code is needed"
    assert caught.value.__context__ is None and caught.value.__cause__ is None


@pytest.mark.parametrize(
    ("status", "tries", "left", "message", "valid", "over"),
    [
        ("VALID", 1, 4, "", True, False),
        ("UNVALID", 2, 3, "", False, False),
        ("OVERTRY", 5, 0, MFA_OVERTRY_MESSAGE, False, True),
    ],
)
async def test_verify_code_check(
    status: str, tries: int, left: int, message: str, valid: bool, over: bool
) -> None:
    fake = FakeYemot()
    reply = OK | {
        "mfa_valid_status": status,
        "mfa_valid_trys": tries,
        "mfa_valid_left": str(left),
        "mfa_valid_message": message,
    }
    mfa(fake, validMFA=reply)
    check = await make_vendor(fake).mfa_verify("123456", remember=True, note="המחשב שלי")
    assert check == CodeCheck(status=status, tries=tries, left=left, message=message)
    assert (check.valid, check.over) == (valid, over)
    assert bodies_of(fake, "MFASession", "validMFA") == [
        {"action": "validMFA", "mfaCode": "123456", "mfaRememberMe": 1, "mfaRememberNote": "המחשב שלי"}
    ]


async def test_verify_without_remember_sends_0_and_overtry_error_reply_is_a_code_check() -> None:
    fake = FakeYemot()
    mfa(fake, validMFA={"responseStatus": "ERROR", "message": MFA_OVERTRY_MESSAGE})
    check = await make_vendor(fake).mfa_verify("000000")
    assert check.over and check.message == MFA_OVERTRY_MESSAGE
    assert bodies_of(fake, "MFASession", "validMFA")[0]["mfaRememberMe"] == 0


async def test_mfa_calls_share_the_session_token_until_it_expires() -> None:
    """Hard verification is per session: every MFA call rides the token `open` got (A4 aside)."""
    fake = FakeYemot()
    vendor = make_vendor(fake)
    await vendor.open()
    mfa(
        fake,
        getMFAMethods=MFA_METHODS,
        sendMFA=OK,
        validMFA=OK | {"mfa_valid_status": "VALID", "mfa_valid_trys": 1, "mfa_valid_left": 4},
        getMFATrustTokens=TRUST_TOKENS,
        getMFATrustIps=OK | {"trustIps": []},
    )
    await vendor.mfa_methods()
    await vendor.mfa_send_code(1, "CALL")
    await vendor.mfa_verify("123456")
    await vendor.fetch_trust()
    assert fake.logins == 1
    assert {body["token"] for command, body in fake.bodies if command == "MFASession"} == {"TOKEN-1-secret"}
    # A4: after expiry one re-login starts a new session (isPass, then try when not passed), then replays.
    fake.kill_tokens()
    seen = mfa(fake, isPass=NOT_PASSED, **{"try": NOT_PASSED}, getMFAMethods=MFA_METHODS)
    await vendor.mfa_methods()
    assert fake.logins == 2 and seen == ["isPass", "try", "getMFAMethods"]  # the dead token never got through
    assert fake.bodies[-1][1]["token"] == "TOKEN-2-secret"


# --- trust management -------------------------------------------------------------------------------------


async def test_fetch_trust_reads_all_three_at_once() -> None:
    fake = FakeYemot(delay=0.02)
    mfa(
        fake,
        getMFAMethods=MFA_METHODS,
        getMFATrustTokens=TRUST_TOKENS,
        getMFATrustIps=OK | {"trustIps": ["192.168.1.1", "2001:db8::1"]},
    )
    board = await make_vendor(fake).fetch_trust()
    assert fake.max_in_flight == 2  # methods first (they say whether the rest can be read), then both
    assert not board.locked
    assert [m.stable_id for m in board.methods] == ["6598"]
    (token,) = board.tokens
    assert (token.token_id, token.kind, token.created_by, token.created_at) == (
        "1",
        "YM_CALL2ALL_WEBSITE",
        "192.168.1.1",
        "2025-09-28 21:56:52",
    )
    assert (token.updated_by, token.updated_at, token.last_use, token.note) == (
        "192.168.1.1",
        None,
        None,
        "המחשב שלי",
    )
    assert board.trusted_ips == ("192.168.1.1", "2001:db8::1")
    assert board.status is not None and board.status.passed_in_session


async def test_fetch_trust_without_hard_verification_lists_methods_and_is_locked() -> None:
    fake = FakeYemot()
    mfa(fake, getMFAMethods=MFA_METHODS, getMFATrustTokens=MFA_REQUIRED, getMFATrustIps=MFA_REQUIRED)
    board = await make_vendor(fake).fetch_trust()
    assert board.locked and board.tokens == () and board.trusted_ips == ()
    assert [m.stable_id for m in board.methods] == ["6598"]  # methods need no verification to be listed


async def test_add_method_body_and_result() -> None:
    fake = FakeYemot()
    mfa(fake, addMethod=OK | {"methodId": 7001})
    expires = datetime(2026, 1, 31, 22, 30, 0, tzinfo=UTC)  # 2026-02-01 00:30 in Israel (winter, +2)
    result = await make_vendor(fake).mfa_add_method("phone", "0527000000", "הטלפון בבית", expires)
    assert bodies_of(fake, "MFASession", "addMethod") == [
        {
            "action": "addMethod",
            "mfaNewType": "PHONE",
            "mtaNewValue": "0527000000",
            "mtaNewValidNote": "הטלפון בבית",
            "newExpiredDate": "2026-02-01 00:30:00",
        }
    ]
    assert result.ok and "7001" in result.message and "pending" in result.message
    assert result.items == (ItemResult("7001", True, "pending verification"),)


async def test_add_method_refuses_an_unknown_kind_without_a_request() -> None:
    fake = FakeYemot()
    seen = mfa(fake)
    result = await make_vendor(fake).mfa_add_method("fax", "1", "", datetime(2026, 1, 1))
    assert not result.ok and seen == []


async def test_method_actions_take_the_stable_id_as_text() -> None:
    fake = FakeYemot()
    mfa(
        fake,
        reValidMethod=OK,
        validMethod=OK | {"mfa_valid_status": "UNVALID", "mfa_valid_trys": 1, "mfa_valid_left": 4},
        deleteMethod=OK,
        deleteTrustToken=OK,
    )
    vendor = make_vendor(fake)
    resent = await vendor.mfa_resend_method_code("6598", "email")
    check = await vendor.mfa_verify_method("6598", "111111")
    deleted = await vendor.mfa_delete_method("6598")
    token = await vendor.delete_trust_token("1")
    assert [b for b in bodies_of(fake, "MFASession") if b["action"] != "isPass"] == [
        {"action": "reValidMethod", "mfaId": "6598", "mfaSendType": "EMAIL", "lang": "HE"},
        {"action": "validMethod", "mfaId": "6598", "mfaCode": "111111"},
        {"action": "deleteMethod", "mfaId": "6598"},
        {"action": "deleteTrustToken", "trustTokenId": "1"},
    ]
    assert resent.ok and deleted.ok and token.ok
    assert check == CodeCheck(status="UNVALID", tries=1, left=4, message="")


async def test_set_trusted_ips_sends_the_array_and_maps_the_seed_reply() -> None:
    fake = FakeYemot()
    mfa(fake, setMFATrustIps=TRUST_IPS_SAVED)
    saved = await make_vendor(fake).set_trusted_ips(["192.168.1.1", "0.192.66.2222"])
    assert bodies_of(fake, "MFASession", "setMFATrustIps") == [
        {"action": "setMFATrustIps", "trustIps": ["192.168.1.1", "0.192.66.2222"]}
    ]
    assert (saved.ok_count, saved.saved, saved.valid) == (1, True, ("192.168.1.1",))
    assert saved.errors == ("ip: 0.192.66.2222 is not valid",)


async def test_set_trusted_ips_unchanged() -> None:
    fake = FakeYemot()
    mfa(fake, setMFATrustIps=OK | {"okCount": 0, "save": False, "valid_new_list": ["1.2.3.4"], "errors": []})
    saved = await make_vendor(fake).set_trusted_ips(["1.2.3.4"])
    assert (saved.ok_count, saved.saved, saved.errors) == (0, False, ())


def test_mfa_method_keys_stay_put_across_listings_and_twins_get_apart():
    from tui.vendors.yemot.mapping import mfa_methods
    from tui.vendors.yemot.wire_mfa import MfaMethodRow

    def row(row_id, value, origin="CREATE_PHONE", stable=None):
        return MfaMethodRow.model_validate(
            {"ID": row_id, "MFA_METHOD_ID": stable, "VALUE": value, "NIKE": origin, "STATUS": "ACTIVE"}
        )

    first = mfa_methods([row(1, "+97250•••60"), row(2, "+97250•••60"), row(3, "a•••@•••.x", stable=77)])
    second = mfa_methods([row(4, "+97250•••60"), row(5, "+97250•••60"), row(6, "a•••@•••.x", stable=77)])
    assert [m.key for m in first] == [m.key for m in second]
    assert len({m.key for m in first}) == 3
    assert [m.method_id for m in second] == [4, 5, 6]  # what sendMFA takes stays this listing's own
