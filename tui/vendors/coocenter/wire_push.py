"""The events the PBX pushes to our listener (one JSON object per POST), with the vendor's wire names."""

from __future__ import annotations

from tui.vendors.coocenter import assumptions as A
from tui.vendors.coocenter.wire import LenientInt, WireModel
from tui.vendors.lenient import LenientStr

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
