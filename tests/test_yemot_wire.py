"""Yemot wire models against the verbatim examples of vendors/yemot.md and the quirks of 2.8/A13."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.wire import (
    SIP_OFF_MESSAGE,
    CallbackListReply,
    CallbackQueuesReply,
    CallbackRemoveReply,
    Envelope,
    GetSessionReply,
    LenientBool,
    LenientInt,
    LenientStr,
    LoginReply,
    MapOrEmpty,
    MfaStatusReply,
    QueueManagementReply,
    QueueRealTimeReply,
    is_ok,
)

# --- verbatim examples (vendors/yemot.md) --------------------------------------------------------

QUEUE_MANAGEMENT_KICK = """{
    "responseStatus": "OK",
    "yAfastVersion": "6.6.20",
    "status": {
        "805c3b221d4b76bb53769aac9e2c57c1": "Call not found",
        "f6657b78a2f35d6d04dd203400828362": "OK"
    }
}"""

QUEUE_REAL_TIME = """{"responseStatus":"OK","yAfastVersion":"6.7.30",
 "queueData":{"Abandoned":2,"Calls":3,"Completed":41,"TalkTime":95,"Holdtime":27,"Max":0,"Strategy":"ringall"},
 "members":[{"agent":"0501111111","Status":"1","CallsTaken":12,"LastCallUnitTime":"1716980000",
   "LastCall":"05/29/2024, 01:33:20 PM","LastCallAgo":"00:04:12","Paused":false,"Penalty":"0"}],
 "entries":[{"phone":"0527000000","Wait":35,"WaitAgo":"00:00:35","Position":1,"CallId":"805c3b221d4b76bb53769aac9e2c57c1"}]}"""

# Seed 001, QueueCallBack: the example values of each documented field, with their documented types.
CALLBACK_QUEUE_ROW = {
    "id": 110,
    "path": "/1",
    "queue_path": "/1",
    "caller_id": "0773137770",
    "callback_times": "weekDay=1-5&monthDay=&month=&year=*&time=09:15-16:30&open=true",
    "max_waiting_time": 120,
    "max_waiting_customers": 1,
    "waiting_customers": 0,
    "open": 1,
}
CALLBACK_LIST_ROW = {
    "id": 84299,
    "calling_number": "0533137770",
    "status": "waiting",
    "date_time": "2025-05-14T14:37:11.000Z",
    "attempts": 0,
    "last_attempt": None,
}

LOGIN_MOCK = '{"responseStatus":"OK", "token":"gvUp4a7s3xe3Rd"}'

GET_SESSION = (
    '{"name":"0773137770","units":0.0,"unitsExpireDate":"2023-07-06","email":"…","organization":"",'
    '"contactName":"","phones":"","invoiceName":"","invoiceAddress":"","fax":"","accessPassword":null,'
    '"recordPassword":null,"creditFile":"Yemot","username":"0773137770","responseStatus":"OK"}'
)

IS_PASS = {
    "responseStatus": "OK",
    "isAvailable": True,
    "isPass": True,
    "passRessen": "MFA_PASSED",
    "isPassInThisSession": True,
}

WAIT_55S = {
    "responseStatus": "Exception",
    "message": "exception send by customer. wait 55s",
    "file": "CustomerMFA.class.ym",
    "Line": "590:19",
    "yAfastVersion": "6.7.30",
}

MFA_REQUIRED = '{"responseStatus":"FORBIDDEN","message":"MFA_REQUIRED","yAfastVersion":"6.7.30"}'
SESSION_EXPIRED = '{"responseStatus":"FORBIDDEN","message":"session is expired"}'
TOKEN_INVALID = '{"responseStatus":"EXCEPTION","message":"IllegalStateException(session token is invalid)"}'
LOGOUT = '{"responseStatus":"OK","message":"logout successful","yAfastVersion":"6.7.30"}'
SIP_OFF = {"responseStatus": "ERROR", "message": SIP_OFF_MESSAGE, "yAfastVersion": "any"}


def test_queue_management_kick_reply() -> None:
    reply = QueueManagementReply.model_validate_json(QUEUE_MANAGEMENT_KICK)
    assert reply.ok
    assert reply.yAfastVersion == "6.6.20"
    assert reply.status == {
        "805c3b221d4b76bb53769aac9e2c57c1": "Call not found",
        "f6657b78a2f35d6d04dd203400828362": "OK",
    }


def test_queue_management_pause_reply_has_no_status_map() -> None:
    reply = QueueManagementReply.model_validate({"responseStatus": "OK", "yAfastVersion": "6.7.30"})
    assert reply.ok and reply.status == {}


def test_get_queue_real_time_example() -> None:
    reply = QueueRealTimeReply.model_validate_json(QUEUE_REAL_TIME)
    data = reply.queueData
    assert (data.Abandoned, data.Calls, data.Completed) == (2, 3, 41)
    assert (data.TalkTime, data.Holdtime, data.Max, data.Strategy) == (95, 27, 0, A.A1_STRATEGY)
    [member] = reply.members
    assert member.agent == "0501111111"
    assert member.Status == A.A2_STATUS_IDLE
    assert member.CallsTaken == 12
    assert member.LastCallUnitTime == "1716980000"
    assert member.LastCall == "05/29/2024, 01:33:20 PM"
    assert member.LastCallAgo == "00:04:12"
    assert member.Paused is False
    assert member.Penalty == 0  # "0" on the wire
    [entry] = reply.entries
    assert (entry.phone, entry.Wait, entry.WaitAgo, entry.Position) == ("0527000000", 35, "00:00:35", 1)
    assert entry.CallId == "805c3b221d4b76bb53769aac9e2c57c1"
    assert len(entry.CallId) == A.A1_CALL_ID_HEX_LEN


def test_queue_member_before_first_call_has_null_last_call() -> None:
    member = {"agent": "SIP-200-1", "Status": "5", "CallsTaken": "0", "LastCallUnitTime": "0"}
    member |= {"LastCall": None, "LastCallAgo": None, "Paused": "1", "Penalty": 2}
    reply = QueueRealTimeReply.model_validate({"responseStatus": "OK", "members": [member]})
    [parsed] = reply.members
    assert parsed.LastCall is None and parsed.LastCallAgo is None
    assert parsed.Paused is True and parsed.CallsTaken == 0 and parsed.Penalty == 2


def test_empty_queue_accepts_empty_list_queue_data_and_null_lists() -> None:
    reply = QueueRealTimeReply.model_validate(
        {"responseStatus": "OK", "queueData": [], "members": None, "entries": {}}
    )
    assert reply.queueData.Calls is None and reply.members == [] and reply.entries == []


def test_queue_numbers_as_strings_and_ints_as_strings() -> None:
    raw = json.loads(QUEUE_REAL_TIME)
    raw["queueData"] = {k: str(v) for k, v in raw["queueData"].items()}
    raw["members"][0] |= {"CallsTaken": "12", "LastCallUnitTime": 1716980000, "Status": 1, "Paused": 0}
    raw["entries"][0] |= {"phone": 527000000, "Wait": "35", "Position": "1"}
    reply = QueueRealTimeReply.model_validate(raw)
    assert reply.queueData.Completed == 41 and reply.queueData.Strategy == "ringall"
    member = reply.members[0]
    assert (member.CallsTaken, member.LastCallUnitTime, member.Status, member.Paused) == (
        12,
        "1716980000",
        "1",
        False,
    )
    assert (reply.entries[0].phone, reply.entries[0].Wait, reply.entries[0].Position) == ("527000000", 35, 1)


def test_queue_reply_keeps_unknown_fields() -> None:
    raw = json.loads(QUEUE_REAL_TIME)
    raw["members"][0]["Name"] = "Sarah"
    raw["newTopLevel"] = {"x": 1}
    reply = QueueRealTimeReply.model_validate(raw)
    assert reply.members[0].model_extra == {"Name": "Sarah"}
    assert reply.model_extra == {"newTopLevel": {"x": 1}}


def test_queue_reply_wrong_types_fail() -> None:
    raw = json.loads(QUEUE_REAL_TIME)
    raw["entries"][0]["Wait"] = "soon"
    with pytest.raises(ValidationError):
        QueueRealTimeReply.model_validate(raw)
    with pytest.raises(ValidationError):
        QueueRealTimeReply.model_validate({"responseStatus": "OK", "members": "nobody"})
    with pytest.raises(ValidationError):  # a member without its `agent` cannot be paused: unreadable
        QueueRealTimeReply.model_validate({"responseStatus": "OK", "members": [{"Status": "1"}]})


def test_callback_get_queues_rows() -> None:
    reply = CallbackQueuesReply.model_validate({"responseStatus": "OK", "callbackList": [CALLBACK_QUEUE_ROW]})
    [row] = reply.callbackList
    assert (row.id, row.path, row.queue_path, row.caller_id) == (110, "/1", "/1", "0773137770")
    assert row.callback_times == CALLBACK_QUEUE_ROW["callback_times"]
    assert (row.max_waiting_time, row.max_waiting_customers, row.waiting_customers) == (120, 1, 0)
    assert row.open is True  # documented boolean, example `1`


def test_callback_get_list_rows() -> None:
    reply = CallbackListReply.model_validate({"responseStatus": "OK", "callbackList": [CALLBACK_LIST_ROW]})
    [row] = reply.callbackList
    assert (row.id, row.calling_number, row.status) == (84299, "0533137770", "waiting")
    assert row.date_time == "2025-05-14T14:37:11.000Z"
    assert row.attempts == 0 and row.last_attempt is None


def test_callback_rows_with_string_numbers_and_empty_list() -> None:
    row = dict(CALLBACK_LIST_ROW, id="84299", attempts="2", last_attempt="2025-05-14 15:00:00")
    reply = CallbackListReply.model_validate({"responseStatus": "OK", "callbackList": [row]})
    assert reply.callbackList[0].id == 84299 and reply.callbackList[0].attempts == 2
    assert CallbackListReply.model_validate({"responseStatus": "OK", "callbackList": None}).callbackList == []


def test_callback_remove_number_reply() -> None:
    reply = CallbackRemoveReply.model_validate({"responseStatus": "OK", "callbackList": "OK"})
    assert reply.ok and reply.callbackList == "OK"


def test_login_mock_token_is_secret() -> None:
    reply = LoginReply.model_validate_json(LOGIN_MOCK)
    assert reply.ok
    assert reply.token is not None and reply.token.get_secret_value() == "gvUp4a7s3xe3Rd"
    assert "gvUp4a7s3xe3Rd" not in repr(reply) and "gvUp4a7s3xe3Rd" not in str(reply)


def test_get_session_example() -> None:
    reply = GetSessionReply.model_validate_json(GET_SESSION)
    assert reply.ok
    assert (reply.name, reply.username, reply.units, reply.creditFile) == (
        "0773137770",
        "0773137770",
        0.0,
        "Yemot",
    )
    assert reply.unitsExpireDate == "2023-07-06" and reply.accessPassword is None


def test_get_session_passwords_are_secret() -> None:
    reply = GetSessionReply.model_validate({"responseStatus": "OK", "accessPassword": "4321x"})
    assert reply.accessPassword is not None and "4321x" not in repr(reply)


def test_is_pass_reply() -> None:
    reply = MfaStatusReply.model_validate(IS_PASS)
    assert reply.isAvailable and reply.isPass and reply.isPassInThisSession
    assert reply.passRessen == "MFA_PASSED"


def test_is_pass_reply_lenient_booleans_and_required_is_pass() -> None:
    reply = MfaStatusReply.model_validate({"responseStatus": "ok", "isPass": "0", "isAvailable": 1})
    assert reply.ok and reply.isPass is False and reply.isAvailable is True
    assert reply.isPassInThisSession is False and reply.passRessen is None
    with pytest.raises(ValidationError):
        MfaStatusReply.model_validate({"responseStatus": "OK"})


def test_exception_wait_reply() -> None:
    reply = Envelope.model_validate(WAIT_55S)
    assert not reply.ok
    assert reply.responseStatus == "Exception"
    assert A.a7_wait_seconds(reply.message) == 55
    assert reply.model_extra == {"file": "CustomerMFA.class.ym", "Line": "590:19"}


@pytest.mark.parametrize("text", [SESSION_EXPIRED, TOKEN_INVALID])
def test_a4_dead_token_replies(text: str) -> None:
    reply = Envelope.model_validate_json(text)
    assert not reply.ok and A.a4_is_token_dead(reply.responseStatus, reply.message)


def test_a3_mfa_required_reply() -> None:
    reply = Envelope.model_validate_json(MFA_REQUIRED)
    assert not reply.ok and A.a3_is_mfa_required(reply.message)
    assert not A.a4_is_token_dead(reply.responseStatus, reply.message)


def test_logout_and_sip_off_replies() -> None:
    assert Envelope.model_validate_json(LOGOUT).message == A.A5_LOGOUT_MESSAGE
    sip = Envelope.model_validate(SIP_OFF)
    assert not sip.ok and sip.message == SIP_OFF_MESSAGE and sip.yAfastVersion == "any"


def test_envelope_extras_message_code_and_exception_message() -> None:
    reply = Envelope.model_validate(
        {"responseStatus": "ERROR", "messageCode": 104, "exceptionMessage": "isKodesh is true"}
    )
    assert reply.messageCode == "104" and reply.text == "isKodesh is true"


@pytest.mark.parametrize("status", ["OK", "ok", "Ok", " OK "])
def test_is_ok_is_case_insensitive(status: str) -> None:
    assert is_ok(status)
    assert Envelope.model_validate({"responseStatus": status}).ok


@pytest.mark.parametrize("status", [None, "", "ERROR", "Exception", "EXCEPTION", "FORBIDDEN", "OKAY"])
def test_is_ok_refuses_everything_else(status: str | None) -> None:
    assert not is_ok(status)


# --- the lenient types themselves ---------------------------------------------------------------


class _Probe(BaseModel):
    number: LenientInt | None = None
    flag: LenientBool | None = None
    text: LenientStr | None = None
    statuses: MapOrEmpty[LenientStr] = {}


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_lenient_int_accepts_ints_and_their_strings(value: int) -> None:
    assert _Probe(number=value).number == value
    assert _Probe.model_validate({"number": str(value)}).number == value
    assert _Probe.model_validate({"number": f" {value} "}).number == value


@pytest.mark.parametrize("raw", ["abc", "", "nan", "inf", True, [1], {"a": 1}])
def test_lenient_int_refuses_non_numbers(raw: object) -> None:
    with pytest.raises(ValidationError):
        _Probe.model_validate({"number": raw})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[(True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False)],
        *[("true", True), ("TRUE", True), ("false", False), ("False", False), (1.0, True)],
    ],
)
def test_lenient_bool(raw: object, expected: bool) -> None:
    assert _Probe.model_validate({"flag": raw}).flag is expected


@pytest.mark.parametrize("raw", [2, "2", "maybe", [], {}])
def test_lenient_bool_refuses_other_values(raw: object) -> None:
    with pytest.raises(ValidationError):
        _Probe.model_validate({"flag": raw})


@pytest.mark.parametrize(("raw", "expected"), [("5060", "5060"), (5060, "5060"), (5060.0, "5060")])
def test_lenient_str_takes_via_port_style_numbers(raw: object, expected: str) -> None:
    assert _Probe.model_validate({"text": raw}).text == expected


def test_map_or_empty_list() -> None:
    assert _Probe.model_validate({"statuses": []}).statuses == {}
    assert _Probe.model_validate({"statuses": None}).statuses == {}
    assert _Probe.model_validate({"statuses": {"a": "OK"}}).statuses == {"a": "OK"}
    with pytest.raises(ValidationError):
        _Probe.model_validate({"statuses": ["OK"]})


def test_secret_keys_arriving_as_extras_are_masked_in_repr() -> None:
    reply = Envelope.model_validate({"responseStatus": "OK", "token": "T-123-secret", "PASS": "pw-9"})
    shown = repr(reply) + str(reply)
    assert "T-123-secret" not in shown and "pw-9" not in shown
    assert reply.model_extra == {"token": "T-123-secret", "PASS": "pw-9"}  # the data itself is kept
