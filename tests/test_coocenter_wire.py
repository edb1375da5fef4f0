"""coocenter-api wire models, assumptions and pure mappings, against the seed's verbatim examples.

The seed prints its examples as JS object literals with the spaces lost in extraction; here they are
written as JSON with every value verbatim ("Channelswillfollow", "OK(45ms)"), and where a spaced
spelling matters ("OK (45 ms)") both are checked.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr, TypeAdapter

from tui.domain import (
    AgentState,
    CallAnswered,
    CallEnded,
    CallRecorded,
    CallStarted,
    ExtensionStateChanged,
)
from tui.vendors.base import UnreadableReply
from tui.vendors.coocenter import assumptions as A
from tui.vendors.coocenter import wire as W
from tui.vendors.coocenter.adapter import (
    CoocenterVendor,
    agent_state,
    channel_extension,
    duration_seconds,
    member_extension,
    push_events,
    sip_latency_ms,
    sip_registered,
)
from tui.vendors.coocenter.wire_blacklist import BlacklistReply
from tui.vendors.coocenter.wire_calls import CurrentCallsReply
from tui.vendors.coocenter.wire_push import PUSH_EVENT_MODELS, CcCdrEvent, DialBeginEvent
from tui.vendors.coocenter.wire_sip import ExtensionStatusReply

# ---------------------------------------------------------------------------------------------
# The seed's replies, verbatim.

CURRENT_CALLS = {
    "status": "success",
    "message": "Channelswillfollow",
    "data": [
        {
            "calleridname": "896",
            "calleridnum": "896",
            "channel": "SIP/896-0000000b",
            "channelstate": "6",
            "channelstatedesc": "Up",
            "connectedlinename": "897",
            "connectedlinenum": "897",
            "duration": "00:02:58",
        }
    ],
}
EXTENSION_STATUS = {
    "status": "success",
    "message": "Peerstatuslistwillfollow",
    "data": [
        {"Exten": "800", "Type": "SIP", "IPAddr": "-none-", "Status": "UNKNOWN"},
        {"Exten": "801", "Type": "SIP", "IPAddr": "192.168.12.4", "Status": "OK(45ms)"},
        {"Exten": "802", "Type": "SIP", "IPAddr": "192.168.12.3", "Status": "OK(42ms)"},
    ],
}
HINTS = [
    {"agentName": "800", "extension": "800", "extenType": "analogCallCenter", "status": "0"},
    {"agentName": "801", "extension": "801", "extenType": "analogCallCenter", "status": "0"},
]
QUEUE_INFO = {
    "status": "success",
    "message": "Queuestatuswillfollow",
    "data": {
        "630": [
            {"name": "sip/876", "paused": "0", "penalty": "0"},
            {"name": "sip/805", "paused": "0", "penalty": "1"},
            {"name": "sip/870", "paused": "0", "penalty": "0"},
            {"name": "sip/802", "paused": "0", "penalty": "1"},
            {"name": "sip/800", "paused": "0", "penalty": "0"},
            {"name": "sip/899", "paused": "0", "penalty": "0"},
            {"name": "sip/898", "paused": "0", "penalty": "0"},
            {"name": "sip/895", "paused": "0", "penalty": "0"},
            {"name": "sip/893", "paused": "1", "penalty": "0"},
        ],
        "631": [
            {"name": "sip/870", "paused": "0", "penalty": "0"},
            {"name": "sip/876", "paused": "0", "penalty": "0"},
            {"name": "sip/897", "paused": "0", "penalty": "0"},
            {"name": "sip/802", "paused": "0", "penalty": "0"},
            {"name": "sip/898", "paused": "0", "penalty": "0"},
            {"name": "sip/800", "paused": "0", "penalty": "0"},
        ],
        "632": [
            {"name": "sip/897", "paused": "0", "penalty": "0"},
            {"name": "sip/898", "paused": "0", "penalty": "0"},
        ],
    },
}
LOGIN_OK = {"status": "success", "message": "loginextensionsuccess"}
LOGOUT_OK = {"status": "success", "message": "logoutextensionsuccess"}
HANGUP_OK = {"status": "success", "message": "hangupextensionsuccess"}
TRANSFER_OK = {"status": "success", "message": "tansferextensionsuccess"}  # sic
SPY_OK = {"status": "success", "message": "spyextensionsuccess"}
BLACKLIST_INDEX = {"status": "success", "data": ["123456"]}
BLACKLIST_DELETED = {"status": "success", "message": "Keydeletedsuccessfully"}
BLACKLIST_CREATED = {"status": "success", "message": "Updateddatabasesuccessfully"}
# From the digest (the seed shows no agent-pause reply).
PAUSE_OK = {"status": "success", "message": "Interface paused successfully"}
PAUSE_NOT_FOUND = {"status": "error", "message": "Interface not found"}

# ---------------------------------------------------------------------------------------------
# The seed's seven pushed events, verbatim (as JSON).

DIALBEGIN = {
    "event": "dialbegein",
    "timestamp": "1534993059.785012",
    "channel": "DAHDI/i1/18782985586-51",
    "calleridnum": "18782985586",
    "destchannel": "SIP/886-00000065",
    "destcalleridnum": "886",
    "destuniqueid": "1534993059.630",
    "dialstring": "SIP/886",
    "uniqueid": "1534993030.626",
    "mac": "68:69:2e:05:0f:9a",
}
DIALEND = {
    "event": "dialend",
    "timestamp": "1534993059.785012",
    "channel": "DAHDI/i1/18782985586-51",
    "calleridnum": "18782985586",
    "destchannel": "SIP/886-00000065",
    "destcalleridnum": "886",
    "uniqueid": "1534993030.626",
    "dialstatus": "hangup",
}
HANGUP = {
    "event": "hangup",
    "calleridnum": "808",
    "calleridname": "808",
    "connectedlinenum": "809",
    "connectedlinename": "809",
    "uniqueid": "1325747409.260",
}
EXTENSIONSTATUS = {"event": "extensionstatus", "exten": "808", "status": "0", "statustext": "Idle"}
IVR = {
    "event": "ivr",
    "uuid": "1541643689.15",
    "caller": "810",
    "called": "",
    "callType": "IN",
    "queueCode": "630",
    "startTime": "2018-11-0810:21:29",
    "endTime": "2018-11-0810:21:32",
    "duration": "3",
    "ivrId": "610",
    "ivrName": "workingtime",
    "ivrDtmf": "0",
    "trunkNumber": "123456",
    "mac": "68:69:2e:03:8b:3e",
}
CDR = {
    "event": "cdr",
    "callerid": '"808"<808>',
    "source": "808",
    "destination": "809",
    "starttime": "2012-01-0515:10:09",
    "answertime": "2012-01-0515:10:10",
    "endtime": "2012-01-0515:10:11",
    "disposition": "ANSWERED",
    "duration": "2",
    "billableseconds": "1",
    "calltype": "",
    "recordfile": "",
    "uniqueid": "1325747409.260",
}
CC_CDR = {
    "event": "cc_cdr",
    "uuid": "1541415929.807",
    "caller": "85322361",
    "called": "100",
    "queueCode": "630",
    "agentCode": "100",
    "callType": "incoming",
    "cdrState": "queue",
    "hangupSide": "caller",
    "hangupCause": "ANALOGANALOG_EVENT_ONHOOK",
    "startTime": "2018-11-0519:05:31",
    "endTime": "2018-11-0519:05:39",
    "duration": "8",
    "queueTime": "7",
    "feedbackTime": "0",
    "ivrTime": "",
    "ringTime": "7",
    "holdTime": 0,
    "pauseTime": 0,
    "talkingTime": "0",
    "voicemailState": "0",
    "ivrId": "",
    "ivrName": "",
    "ivrDtmf": "0",
    "fwType": "",
    "score": "0",
    "trunkNumber": "",
    "forwardNumber": "",
    "filePath": "",
    "missCause": "MEMBER_CANCEL",
    "mac": "68:69:2e:03:8b:3e",
}
SEED_PUSHES = [DIALBEGIN, DIALEND, HANGUP, EXTENSIONSTATUS, IVR, CDR, CC_CDR]


# ---------------------------------------------------------------------------------------------
# Replies.


def test_current_calls_reply_parses() -> None:
    reply = CurrentCallsReply.model_validate(CURRENT_CALLS)
    assert reply.ok and reply.message == "Channelswillfollow"
    (call,) = reply.data
    assert call.channel == "SIP/896-0000000b"
    assert (call.calleridnum, call.connectedlinenum, call.duration) == ("896", "897", "00:02:58")
    assert call.channelstatedesc == "Up" and call.channelstate == "6"


def test_extension_status_reply_parses() -> None:
    reply = ExtensionStatusReply.model_validate(EXTENSION_STATUS)
    assert [(p.Exten, p.Type, p.IPAddr, p.Status) for p in reply.data] == [
        ("800", "SIP", "-none-", "UNKNOWN"),
        ("801", "SIP", "192.168.12.4", "OK(45ms)"),
        ("802", "SIP", "192.168.12.3", "OK(42ms)"),
    ]


def test_hints_bare_array_parses() -> None:
    hints = TypeAdapter(list[W.ExtensionHint]).validate_python(HINTS)
    assert [(h.agentName, h.extension, h.extenType, h.status) for h in hints] == [
        ("800", "800", "analogCallCenter", "0"),
        ("801", "801", "analogCallCenter", "0"),
    ]


def test_hints_accept_the_plugin_spelling() -> None:
    hint = W.ExtensionHint.model_validate(
        {"Exten": "1004", "Interface": "SIP/1004", "Status": "0", "StatusText": "Idle"}
    )
    assert (hint.extension, hint.status, hint.agentName) == ("1004", "0", "")


def test_queue_info_reply_parses() -> None:
    reply = W.QueueInfoReply.model_validate(QUEUE_INFO)
    assert list(reply.data) == ["630", "631", "632"]
    assert len(reply.data["630"]) == 9
    last = reply.data["630"][-1]
    assert (last.name, last.paused, last.penalty) == ("sip/893", True, 0)
    assert reply.data["630"][1].penalty == 1 and reply.data["630"][1].paused is False


@pytest.mark.parametrize(
    "body",
    [
        LOGIN_OK,
        LOGOUT_OK,
        HANGUP_OK,
        TRANSFER_OK,
        SPY_OK,
        BLACKLIST_DELETED,
        BLACKLIST_CREATED,
        PAUSE_OK,
        {"status": "success", "message": "Channels will follow"},
    ],
)
def test_command_replies_are_success_envelopes(body: dict) -> None:
    envelope = W.Envelope.model_validate(body)
    assert envelope.ok and envelope.message == body["message"]


def test_error_envelope_and_status_case() -> None:
    assert not W.Envelope.model_validate(PAUSE_NOT_FOUND).ok
    assert W.Envelope.model_validate({"status": "SUCCESS"}).ok
    assert W.Envelope.model_validate({"status": " Success "}).ok
    assert not W.Envelope.model_validate({}).ok


def test_blacklist_index_parses_without_message() -> None:
    reply = BlacklistReply.model_validate(BLACKLIST_INDEX)
    assert reply.ok and reply.message is None and reply.data == ["123456"]


def test_replies_are_lenient() -> None:
    reply = W.QueueInfoReply.model_validate(
        {
            "status": "success",
            "data": {"630": [{"name": "sip/876", "paused": 1, "penalty": 2.0}], "631": None},
        }
    )
    assert reply.data["630"][0].paused is True and reply.data["630"][0].penalty == 2
    assert reply.data["631"] == []
    assert W.QueueInfoReply.model_validate({"status": "success", "data": []}).data == {}
    calls = CurrentCallsReply.model_validate(
        {"status": "success", "data": [{"channel": "SIP/1-1", "calleridnum": 896, "extra": {"x": 1}}]}
    )
    assert calls.data[0].calleridnum == "896"
    assert CurrentCallsReply.model_validate({"status": "success", "data": None}).data == []
    assert BlacklistReply.model_validate({"status": "success", "data": [123456]}).data == ["123456"]


# ---------------------------------------------------------------------------------------------
# Pushed events parse into their models.


@pytest.mark.parametrize("body", SEED_PUSHES, ids=lambda body: body["event"])
def test_every_seed_push_parses_into_its_model(body: dict) -> None:
    model = PUSH_EVENT_MODELS[body["event"]]
    event = model.model_validate(body)
    for key, value in body.items():
        assert getattr(event, key) == value


def test_both_dialbegin_spellings_have_a_model() -> None:
    assert PUSH_EVENT_MODELS["dialbegein"] is DialBeginEvent
    assert PUSH_EVENT_MODELS["dialbegin"] is DialBeginEvent
    assert A.C_A6_DIALBEGIN_PUSHED in A.C_A6_DIALBEGIN_NAMES


def test_cc_cdr_numbers_are_lenient() -> None:
    event = CcCdrEvent.model_validate(CC_CDR | {"holdTime": "12", "pauseTime": "", "duration": 8})
    assert event.holdTime == 12 and event.pauseTime is None and event.duration == "8"
    assert CcCdrEvent.model_validate(CC_CDR).holdTime == 0


# ---------------------------------------------------------------------------------------------
# Assumptions.


def test_c_a1_authorization_is_lowercase_hex_md5_of_webkey_and_date() -> None:
    # md5("asjdfjklkasdf2018-11-08"), computed with md5sum: the seed's sample WEBKEY.
    expected = "12e43b491f2a66422d5ed7f683e06f7e"
    assert A.c_a1_authorization(SecretStr("asjdfjklkasdf"), date(2018, 11, 8)) == expected
    assert A.c_a1_authorization("asjdfjklkasdf", date(2018, 11, 8)) == expected
    assert A.c_a1_authorization("asjdfjklkasdf", date(2018, 11, 9)) == "39483dc485bad179f9705aa53793b8aa"


def test_c_a3_date_header_round_trip() -> None:
    moment = datetime(2026, 3, 1, 23, 59, 58, tzinfo=UTC)
    text = A.c_a3_format_date(moment)
    assert text == "Sun, 01 Mar 2026 23:59:58 GMT"
    assert A.c_a3_parse_date(text) == moment
    assert A.c_a3_parse_date(None) is None
    assert A.c_a3_parse_date("not a date") is None
    assert A.c_a3_parse_date("") is None


def test_c_a7_pause_states() -> None:
    assert A.c_a7_pause_state(True) == "on"
    assert A.c_a7_pause_state(False) == "off"


def test_c_a2_body_is_an_error_envelope() -> None:
    envelope = W.Envelope.model_validate(A.C_A2_UNAUTHORIZED_BODY)
    assert not envelope.ok and envelope.message == "Unauthorized"


# ---------------------------------------------------------------------------------------------
# Pure mappings.


@pytest.mark.parametrize(
    ("code", "state", "label"),
    [
        ("0", AgentState.IDLE, "idle"),
        ("1", AgentState.IN_CALL, "in call"),
        ("2", AgentState.BUSY, "busy"),
        ("4", AgentState.UNAVAILABLE, "offline"),
        ("8", AgentState.RINGING, "ringing"),
        ("16", AgentState.ON_HOLD, "on hold"),
        (" 16 ", AgentState.ON_HOLD, "on hold"),
        ("9", AgentState.UNKNOWN, "unknown (9)"),
        ("-1", AgentState.UNKNOWN, "unknown (-1)"),
        ("", AgentState.UNKNOWN, "unknown"),
        (None, AgentState.UNKNOWN, "unknown"),
    ],
)
def test_agent_state_codes(code: str | None, state: AgentState, label: str) -> None:
    assert agent_state(code) == (state, label)


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("sip/876", "876"),
        ("SIP/876", "876"),
        ("PJSIP/876", "876"),
        ("IAX2/876", "876"),
        ("Local/876@from-queue/n", "876"),
        ("876", "876"),
        (" sip/876 ", "876"),
        ("DAHDI/1", "DAHDI/1"),
        ("SIP/876/extra", "SIP/876/extra"),
    ],
)
def test_member_extension(name: str, extension: str) -> None:
    assert member_extension(name) == extension


@pytest.mark.parametrize(
    ("channel", "extension"),
    [
        ("SIP/896-0000000b", "896"),
        ("PJSIP/896-00000001", "896"),
        ("IAX2/896-1234", "896"),
        ("sip/886-00000065", "886"),
        ("SIP/886", "886"),
        ("SIP/trunk-1-0000000c", None),  # a trunk is not an extension we can act on
        ("SIP/trunk-000000a1", None),
        ("DAHDI/i1/18782985586-51", None),
        ("Local/876@from-queue-00000012;1", None),
        ("", None),
        (None, None),
    ],
)
def test_channel_extension(channel: str | None, extension: str | None) -> None:
    assert channel_extension(channel) == extension


@pytest.mark.parametrize(
    ("status", "latency"),
    [
        ("OK (45 ms)", 45),
        ("OK(45ms)", 45),
        ("LAGGED (350 ms)", 350),
        ("LAGGED(350ms)", 350),
        ("UNKNOWN", None),
        ("UNREACHABLE", None),
        ("Unmonitored", None),
        ("OK", None),
    ],
)
def test_sip_latency(status: str, latency: int | None) -> None:
    assert sip_latency_ms(status) == latency


@pytest.mark.parametrize(
    ("status", "address", "registered"),
    [
        ("OK (45 ms)", "192.168.12.4", True),
        ("OK(45ms)", "192.168.12.4", True),
        ("LAGGED (350 ms)", "10.0.0.2", True),
        ("UNKNOWN", None, False),
        ("UNREACHABLE", "10.0.0.2", False),
        ("Unmonitored", "10.0.0.2", None),
        ("Unmonitored", None, False),
    ],
)
def test_sip_registered(status: str, address: str | None, registered: bool | None) -> None:
    assert sip_registered(status, address) is registered


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("00:02:58", 178), ("26:00:01", 93601), ("2:58", None), ("", None), (None, None), ("0²:00:00", None)],
)
def test_duration_seconds(text: str | None, seconds: int | None) -> None:
    assert duration_seconds(text) == seconds


# ---------------------------------------------------------------------------------------------
# parse_push.


@pytest.fixture
def vendor() -> CoocenterVendor:
    return CoocenterVendor(base_url="http://pbx.test:8000/coocenter-api/")


def test_push_dialbegin(vendor: CoocenterVendor) -> None:
    for name in ("dialbegein", "dialbegin", "DialBegin"):
        assert vendor.parse_push(DIALBEGIN | {"event": name}) == [
            CallStarted(
                call_id="DAHDI/i1/18782985586-51",
                caller="18782985586",
                callee="886",
                unique_id="1534993030.626",
                channel="DAHDI/i1/18782985586-51",
                extension="886",
                at=1534993059.785012,
            )
        ]


def test_push_dialbegin_with_bad_timestamp_has_no_time(vendor: CoocenterVendor) -> None:
    for stamp in ("", "soon", "1e999", "nan"):
        (event,) = vendor.parse_push(DIALBEGIN | {"timestamp": stamp})
        assert isinstance(event, CallStarted) and event.at is None


def test_push_dialend(vendor: CoocenterVendor) -> None:
    ended = CallEnded(
        call_id="DAHDI/i1/18782985586-51", unique_id="1534993030.626", caller="18782985586", callee="886"
    )
    assert vendor.parse_push(DIALEND) == [ended]  # the seed's "hangup"
    for status in ("NOANSWER", "BUSY", "CANCEL", "CHANUNAVAIL"):
        assert vendor.parse_push(DIALEND | {"dialstatus": status}) == [ended]
    assert vendor.parse_push(DIALEND | {"dialstatus": "ANSWER"}) == [
        CallAnswered(call_id="DAHDI/i1/18782985586-51", unique_id="1534993030.626")
    ]
    assert vendor.parse_push(DIALEND | {"dialstatus": "answer"})[0] == CallAnswered(
        call_id="DAHDI/i1/18782985586-51", unique_id="1534993030.626"
    )


def test_push_hangup(vendor: CoocenterVendor) -> None:
    assert vendor.parse_push(HANGUP) == [CallEnded(unique_id="1325747409.260", caller="808", callee="809")]


def test_push_extensionstatus(vendor: CoocenterVendor) -> None:
    assert vendor.parse_push(EXTENSIONSTATUS) == [
        ExtensionStateChanged(extension="808", state=AgentState.IDLE, label="idle")
    ]
    assert vendor.parse_push(EXTENSIONSTATUS | {"status": 8}) == [
        ExtensionStateChanged(extension="808", state=AgentState.RINGING, label="ringing")
    ]
    assert vendor.parse_push(EXTENSIONSTATUS | {"status": "17"}) == [
        ExtensionStateChanged(extension="808", state=AgentState.UNKNOWN, label="unknown (17)")
    ]


def test_push_ivr_gives_nothing(vendor: CoocenterVendor) -> None:
    assert vendor.parse_push(IVR) == []


def test_push_cdr(vendor: CoocenterVendor) -> None:
    (record,) = vendor.parse_push(CDR)
    assert record == CallRecorded(call_id="1325747409.260", queue=None, answered=True, detail=record.detail)
    assert "808" in record.detail and "809" in record.detail and "ANSWERED" in record.detail
    (missed,) = vendor.parse_push(CDR | {"disposition": "NO ANSWER"})
    assert isinstance(missed, CallRecorded) and missed.answered is False
    (unknown,) = vendor.parse_push(CDR | {"disposition": ""})
    assert isinstance(unknown, CallRecorded) and unknown.answered is None


def test_push_cc_cdr(vendor: CoocenterVendor) -> None:
    (record,) = vendor.parse_push(CC_CDR)
    assert isinstance(record, CallRecorded)
    assert (record.call_id, record.queue, record.answered) == ("1541415929.807", "630", False)
    assert "MEMBER_CANCEL" in record.detail and "85322361" in record.detail
    bridged = CC_CDR | {"cdrState": "bridged", "missCause": "", "talkingTime": "42"}
    assert vendor.parse_push(bridged)[0].answered is True  # type: ignore[union-attr]
    rated = CC_CDR | {"cdrState": "feedback", "missCause": ""}
    assert vendor.parse_push(rated)[0].answered is True  # type: ignore[union-attr]
    odd = CC_CDR | {"cdrState": "elsewhere", "missCause": "", "queueCode": ""}
    (other,) = vendor.parse_push(odd)
    assert isinstance(other, CallRecorded) and other.answered is None and other.queue is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"event": ""},
        {"event": None},
        {"event": 5},
        {"event": ["dialend"]},
        {"event": "queuecallerjoin"},
        {"event": "x" * 100_000},
        {"event": "dialbegein"},  # no channel
        {"event": "extensionstatus", "exten": "808"},  # no status
        {"event": "dialend", "channel": {"nested": ["garbage"]}},
        {"event": "hangup", "uniqueid": True},
        {"event": "cc_cdr", "uuid": "1", "holdTime": "lots"},
        {"event": "cc_cdr", "uuid": "1", "holdTime": "9" * 5000},
        {"event": "cc_cdr", "uuid": "1", "holdTime": float("inf")},
        {"event": "cdr"},  # no uniqueid
    ],
)
def test_hostile_push_bodies_are_unreadable(vendor: CoocenterVendor, body: dict) -> None:
    with pytest.raises(UnreadableReply) as caught:
        vendor.parse_push(body)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("payload", [None, [], ["event"], "dialend", 5, b"{}"])
def test_push_that_is_not_an_object_is_unreadable(vendor: CoocenterVendor, payload: object) -> None:
    with pytest.raises(UnreadableReply):
        vendor.parse_push(payload)  # type: ignore[arg-type]


def test_push_with_deeply_nested_extra_is_still_read(vendor: CoocenterVendor) -> None:
    nested: object = "end"
    for _ in range(2000):
        nested = [nested]
    assert vendor.parse_push(HANGUP | {"junk": nested}) == [
        CallEnded(unique_id="1325747409.260", caller="808", callee="809")
    ]


def test_push_with_huge_strings_is_read(vendor: CoocenterVendor) -> None:
    huge = "8" * 1_000_000
    (event,) = vendor.parse_push(EXTENSIONSTATUS | {"exten": huge})
    assert isinstance(event, ExtensionStateChanged) and event.extension == huge


def test_push_with_non_string_keys_is_unreadable_or_read(vendor: CoocenterVendor) -> None:
    body = {**HANGUP, 5: "x", None: [1]}
    try:
        events = vendor.parse_push(body)  # type: ignore[arg-type]
    except UnreadableReply:
        return
    assert events == [CallEnded(unique_id="1325747409.260", caller="808", callee="809")]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_field_names = st.sampled_from(
    [*sorted({name for model in PUSH_EVENT_MODELS.values() for name in model.model_fields}), "zz"]
)


@settings(max_examples=300, deadline=None)
@given(
    event=st.sampled_from([*PUSH_EVENT_MODELS, "DIALEND", "nope"]) | _json,
    fields=st.dictionaries(_field_names, _json, max_size=8),
)
def test_parse_push_never_raises_anything_but_unreadable(event: object, fields: dict) -> None:
    try:
        events = push_events({**fields, "event": event})
    except UnreadableReply:
        return
    assert isinstance(events, list)
    for item in events:
        at = getattr(item, "at", None)
        assert at is None or math.isfinite(at)


def test_two_legs_of_a_bridged_call_are_one_call() -> None:
    from tui.domain import LiveCall
    from tui.vendors.coocenter.adapter import merge_legs

    trunk = LiveCall("DAHDI/i1/0501234567-51", "0501234567", "804", "Up", started_at=100.0)
    agent = LiveCall("SIP/804-0000000b", "804", "0501234567", "Up", started_at=104.0, extension="804")
    waiting = LiveCall("SIP/trunk-000000a1", "0559999999", "<unknown>", "Up", started_at=90.0)
    calls = merge_legs([trunk, waiting, agent])
    assert len(calls) == 2
    call = calls[0]
    # The id and direction of the older leg (what a dialbegin push names), acting on our extension.
    assert (call.call_id, call.caller, call.callee, call.extension) == (
        trunk.call_id,
        "0501234567",
        "804",
        "804",
    )
    assert call.started_at == 100.0
    assert calls[1] == waiting
