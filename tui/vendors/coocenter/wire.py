"""coocenter-api's endpoints, replies and pushed events, with the vendor's exact wire names.

Field names are spelled as on the wire (lower-case AMI names, `Exten`/`IPAddr`, camelCase CDR
fields). The seed prints every value as a string except `holdTime`/`pauseTime`; parsing accepts
numbers where strings are expected and strings where numbers are, keeps unknown fields
(`extra="allow"`) and treats `null`/`{}`/`[]` as the empty container.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from tui.vendors.coocenter import assumptions as A
from tui.vendors.lenient import LenientBool, LenientStr, ListOrNull, MapOrEmpty, OptionalInt

# ---------------------------------------------------------------------------------------------
# Endpoints: (HTTP method, path under base_url), the method as the seed's curl example uses it.

Method = Literal["GET", "POST", "DELETE"]


class Endpoint(NamedTuple):
    method: Method
    path: str


CURRENT_CALLS = Endpoint("POST", "extensions/current-calls")
EXTENSION_STATUS = Endpoint("GET", "extensions/extension-status")
EXTENSION_HINTS_STATUS = Endpoint("GET", "extensions/extension-hints-status")
QUEUE_INFO = Endpoint("GET", "queues/queue-info")
AGENT_PAUSE = Endpoint("POST", "queues/agent-pause")
AGENT_LOGIN = Endpoint("POST", "queues/agent-login")
AGENT_LOGOUT = Endpoint("POST", "queues/agent-logout")
CLICK_NUMBER = Endpoint("POST", "extensions/click-number")
HANGUP = Endpoint("POST", "extensions/hangup")
TRANSFER = Endpoint("POST", "extensions/transfer")
EXTEN_SPY = Endpoint("POST", "extensions/extenSpy")
BLACKLIST_INDEX = Endpoint("GET", "blacklist/index")
BLACKLIST_CREATE = Endpoint("POST", "blacklist/create")
BLACKLIST_DELETE = Endpoint("DELETE", "blacklist/delete")  # with a form body

STATUS_SUCCESS = "success"
STATUS_ERROR = "error"

# Lenient scalars and containers are shared with every vendor (tui/vendors/lenient.py); here a
# missing number is None rather than an error.
LenientInt = OptionalInt


class WireModel(BaseModel):
    """Base of every wire model: the PBX may add fields, so extras are kept, never rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------------------------------------
# Replies: `{"status": "success"|"error", "message": ..., "data": ...}`.


class Envelope(WireModel):
    status: LenientStr | None = None
    message: LenientStr | None = None

    @property
    def ok(self) -> bool:
        """`status` is "success", in any case."""
        return self.status is not None and self.status.strip().lower() == STATUS_SUCCESS


class CurrentCall(WireModel):
    """One channel of `extensions/current-calls` (AMI CoreShowChannel, names lower-cased)."""

    channel: LenientStr
    calleridname: LenientStr = ""
    calleridnum: LenientStr = ""
    channelstate: LenientStr = ""
    channelstatedesc: LenientStr = ""
    connectedlinename: LenientStr = ""
    connectedlinenum: LenientStr = ""
    duration: LenientStr = ""  # "HH:MM:SS"


class CurrentCallsReply(Envelope):
    data: ListOrNull[CurrentCall] = []


class ExtensionPeer(WireModel):
    """One SIP peer of `extensions/extension-status`."""

    Exten: LenientStr
    Type: LenientStr = ""
    IPAddr: LenientStr = ""  # "-none-" when not registered
    Status: LenientStr = ""  # "OK (45 ms)" / "OK(45ms)", "LAGGED (350 ms)", "UNKNOWN", ...


class ExtensionStatusReply(Envelope):
    data: ListOrNull[ExtensionPeer] = []


class ExtensionHint(WireModel):
    """One row of the bare array of `extensions/extension-hints-status`.

    The newer plugin-asterisk variant spells them `Exten`/`Status`; both are accepted.
    """

    extension: LenientStr = Field(validation_alias=AliasChoices("extension", "Exten"))
    status: LenientStr = Field("", validation_alias=AliasChoices("status", "Status"))  # C-A4 code
    agentName: LenientStr = ""
    extenType: LenientStr = ""  # e.g. "analogCallCenter"


class QueueMember(WireModel):
    """One member of a queue in `queues/queue-info`."""

    name: LenientStr  # the interface, e.g. "sip/876"
    paused: LenientBool = False
    penalty: LenientInt = None


class QueueInfoReply(Envelope):
    """`data` maps queue number -> its members (no waiting callers, no figures)."""

    data: MapOrEmpty[ListOrNull[QueueMember]] = {}


class BlacklistReply(Envelope):
    data: ListOrNull[LenientStr] = []


# ---------------------------------------------------------------------------------------------
# Pushed events (the PBX POSTs one JSON object per event to our listener).

EVENT_DIALEND = "dialend"
EVENT_HANGUP = "hangup"
EVENT_EXTENSIONSTATUS = "extensionstatus"
EVENT_IVR = "ivr"
EVENT_CDR = "cdr"
EVENT_CC_CDR = "cc_cdr"


class PushEventBase(WireModel):
    event: str


class DialBeginEvent(PushEventBase):
    channel: LenientStr  # the caller's channel
    timestamp: LenientStr = ""  # epoch seconds as text, "1534993059.785012"
    calleridnum: LenientStr = ""
    destchannel: LenientStr = ""  # the ringing side's channel
    destcalleridnum: LenientStr = ""
    destuniqueid: LenientStr = ""
    dialstring: LenientStr = ""
    uniqueid: LenientStr = ""
    mac: LenientStr = ""


class DialEndEvent(PushEventBase):
    channel: LenientStr
    timestamp: LenientStr = ""
    calleridnum: LenientStr = ""
    destchannel: LenientStr = ""
    destcalleridnum: LenientStr = ""
    uniqueid: LenientStr = ""
    dialstatus: LenientStr = ""  # "ANSWER", "NOANSWER", "BUSY", ... (the seed's example: "hangup")


class HangupEvent(PushEventBase):
    calleridnum: LenientStr = ""
    calleridname: LenientStr = ""
    connectedlinenum: LenientStr = ""
    connectedlinename: LenientStr = ""
    uniqueid: LenientStr = ""


class ExtensionStatusEvent(PushEventBase):
    exten: LenientStr
    status: LenientStr  # C-A4 code
    statustext: LenientStr = ""


class IvrEvent(PushEventBase):
    uuid: LenientStr = ""
    caller: LenientStr = ""
    called: LenientStr = ""
    callType: LenientStr = ""
    queueCode: LenientStr = ""
    startTime: LenientStr = ""
    endTime: LenientStr = ""
    duration: LenientStr = ""
    ivrId: LenientStr = ""
    ivrName: LenientStr = ""
    ivrDtmf: LenientStr = ""
    trunkNumber: LenientStr = ""
    mac: LenientStr = ""


class CdrEvent(PushEventBase):
    uniqueid: LenientStr
    callerid: LenientStr = ""  # '"808" <808>'
    source: LenientStr = ""
    destination: LenientStr = ""
    starttime: LenientStr = ""
    answertime: LenientStr = ""
    endtime: LenientStr = ""
    disposition: LenientStr = ""  # "ANSWERED", "NO ANSWER", "BUSY", "FAILED"
    duration: LenientStr = ""
    billableseconds: LenientStr = ""
    calltype: LenientStr = ""  # outbound | inbound | "" (internal)
    recordfile: LenientStr = ""


class CcCdrEvent(PushEventBase):
    uuid: LenientStr
    caller: LenientStr = ""
    called: LenientStr = ""
    queueCode: LenientStr = ""
    agentCode: LenientStr = ""
    callType: LenientStr = ""
    cdrState: LenientStr = ""  # bridged | feedback | queue | ivr
    hangupSide: LenientStr = ""
    hangupCause: LenientStr = ""
    startTime: LenientStr = ""
    endTime: LenientStr = ""
    duration: LenientStr = ""
    queueTime: LenientStr = ""
    feedbackTime: LenientStr = ""
    ivrTime: LenientStr = ""
    ringTime: LenientStr = ""
    holdTime: LenientInt = None  # a number on the wire
    pauseTime: LenientInt = None  # a number on the wire (after-call work, seconds)
    talkingTime: LenientStr = ""
    voicemailState: LenientStr = ""
    ivrId: LenientStr = ""
    ivrName: LenientStr = ""
    ivrDtmf: LenientStr = ""
    fwType: LenientStr = ""
    score: LenientStr = ""
    trunkNumber: LenientStr = ""
    forwardNumber: LenientStr = ""
    filePath: LenientStr = ""
    missCause: LenientStr = ""  # NO_ASSIGN | NO_AGENT_ANSWER | NO_AGENT_LOGIN | MEMBER_CANCEL
    mac: LenientStr = ""


#: every event name (lower case) -> its model; dial-begin has two spellings (C-A6).
PUSH_EVENT_MODELS: dict[str, type[PushEventBase]] = {
    **dict.fromkeys(A.C_A6_DIALBEGIN_NAMES, DialBeginEvent),
    EVENT_DIALEND: DialEndEvent,
    EVENT_HANGUP: HangupEvent,
    EVENT_EXTENSIONSTATUS: ExtensionStatusEvent,
    EVENT_IVR: IvrEvent,
    EVENT_CDR: CdrEvent,
    EVENT_CC_CDR: CcCdrEvent,
}
