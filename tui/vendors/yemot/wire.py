"""Yemot's reply shapes, with the vendor's exact field names (vendors/yemot.md Parts 1-2).

Field names are the wire names as they are spelled on the wire (camelCase, PascalCase, snake_case and
misspellings such as `passRessen` are all the vendor's). Parsing is lenient the way 2.8 says the
vendor is loose: numbers that arrive as strings, booleans as 0/1/"1"/"true", `[]` where a map is
expected (A13) and `null` where a list is expected. Unknown fields are kept (`extra="allow"`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr

from tui.vendors.lenient import (
    LenientBool,
    LenientFloat,
    LenientInt,
    LenientStr,
    ListOrNull,
    MapOrEmpty,
    ObjectOrEmpty,
    OptionalInt,
    null_as_list,
    to_str,
)
from tui.vendors.yemot import assumptions

SIP_OFF_MESSAGE = assumptions.SIP_OFF_MESSAGE  # re-exported: where replies are read


def is_ok(status: str | None) -> bool:
    """`responseStatus` is "OK" on success, spelled in any case (2.1)."""
    return status is not None and status.strip().lower() == "ok"


#: keys whose values are secrets wherever they appear (lower case): masked in every repr.
SECRET_KEYS = frozenset({"token", "password", "pass", "accesspassword", "recordpassword"})
MASK = "**********"


class WireModel(BaseModel):
    """Base of every wire model: vendors add fields, so extras are kept, never rejected.

    A secret that arrives in an unexpected place (e.g. `token` as an extra of an envelope) is
    masked in the repr, like the SecretStr fields are.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name is not None and name.lower() in SECRET_KEYS and not isinstance(value, SecretStr):
                yield name, MASK
            else:
                yield name, value


# ---------------------------------------------------------------------------------------------
# Envelope (2.1): flat JSON, payload keys beside these.


class Envelope(WireModel):
    responseStatus: LenientStr | None = None
    message: LenientStr | None = None
    yAfastVersion: LenientStr | None = None
    messageCode: LenientStr | None = None
    exceptionMessage: LenientStr | None = None

    @property
    def ok(self) -> bool:
        return is_ok(self.responseStatus)

    @property
    def text(self) -> str | None:
        """The vendor's explanation: `message`, else `exceptionMessage` (yemot-api reads both)."""
        return self.message or self.exceptionMessage


# ---------------------------------------------------------------------------------------------
# Session (2.2) and MFA (1.8).


class LoginReply(Envelope):
    token: SecretStr | None = None


class GetSessionReply(Envelope):
    name: LenientStr | None = None
    username: LenientStr | None = None
    units: LenientFloat | None = None
    unitsExpireDate: str | None = None
    email: str | None = None
    organization: str | None = None
    contactName: str | None = None
    phones: LenientStr | None = None
    invoiceName: str | None = None
    invoiceAddress: str | None = None
    fax: LenientStr | None = None
    accessPassword: SecretStr | None = None
    recordPassword: SecretStr | None = None
    creditFile: str | None = None


class MfaStatusReply(Envelope):
    """The reply of MFASession `isPass`, and of `try` (same fields, after the attempt)."""

    isAvailable: LenientBool | None = None
    isPass: LenientBool
    passRessen: LenientStr | None = None  # sic: the vendor's spelling
    isPassInThisSession: LenientBool = False


# ---------------------------------------------------------------------------------------------
# Queues (1.4, 2.3; A1/A2).


class QueueData(WireModel):
    Abandoned: LenientInt | None = None
    Calls: LenientInt | None = None
    Completed: LenientInt | None = None
    TalkTime: LenientInt | None = None
    Holdtime: LenientInt | None = None
    Max: LenientInt | None = None
    Strategy: LenientStr | None = None


class QueueMember(WireModel):
    agent: LenientStr
    Status: LenientStr | None = None  # A2 device-state code, a string on the wire
    CallsTaken: LenientInt | None = None
    LastCallUnitTime: LenientStr | None = None
    LastCall: str | None = None  # "%m/%d/%Y, %I:%M:%S %p", null before the first call
    LastCallAgo: str | None = None  # "HH:MM:SS", null before the first call
    Paused: LenientBool = False
    Penalty: LenientInt | None = None


class QueueEntry(WireModel):
    phone: LenientStr
    Wait: LenientInt = 0
    WaitAgo: str | None = None
    Position: LenientInt | None = None
    CallId: LenientStr


class QueueRealTimeReply(Envelope):
    queueData: ObjectOrEmpty[QueueData] = Field(default_factory=QueueData)
    members: ListOrNull[QueueMember] = []
    entries: ListOrNull[QueueEntry] = []


class QueueManagementReply(Envelope):
    """kick: `status` maps call id -> "OK" or a reason ("Call not found"); pause/unpause: OK only."""

    status: MapOrEmpty[LenientStr] = {}


# ---------------------------------------------------------------------------------------------
# QueueCallBack (1.4): snake_case rows.


class CallbackQueue(WireModel):
    id: LenientInt
    path: LenientStr | None = None
    queue_path: LenientStr | None = None
    caller_id: LenientStr | None = None
    callback_times: str | None = None
    max_waiting_time: LenientInt | None = None
    max_waiting_customers: LenientInt | None = None
    waiting_customers: LenientInt | None = None
    open: LenientBool | None = None


class CallbackQueuesReply(Envelope):
    callbackList: ListOrNull[CallbackQueue] = []


class CallbackEntry(WireModel):
    id: LenientInt
    calling_number: LenientStr
    status: LenientStr | None = None
    date_time: str | None = None  # ISO with "Z", e.g. "2025-05-14T14:37:11.000Z"
    attempts: LenientInt = 0
    last_attempt: LenientStr | None = None


class CallbackListReply(Envelope):
    callbackList: ListOrNull[CallbackEntry] = []


class CallbackRemoveReply(Envelope):
    callbackList: LenientStr | None = None  # the success message, "OK"


# ---------------------------------------------------------------------------------------------
# Shared helpers for the replies below.


def _empty_as_none(value: Any) -> Any:
    """A nested object that may arrive as `[]`, `{}` or null: all mean "absent" (A13)."""
    if value is None or (isinstance(value, list | dict) and not value):
        return None
    return value


def _blank_as_none(value: Any) -> Any:
    """An id that "may be empty" (1.8 `MFA_METHOD_ID`): "" and null become None."""
    value = to_str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _words(value: Any) -> Any:
    """A list of words that may also arrive as one "CALL,SMS" string, null or `{}`."""
    if isinstance(value, str):
        return [word for word in re.split(r"[\s,;:]+", value) if word]
    return null_as_list(value)


def _text(value: Any) -> Any:
    """Message text: null is the empty text, a number is kept as its digits."""
    return "" if value is None else to_str(value)


def _lines(value: Any) -> Any:
    """A list of addresses that may also arrive as one string, one address per line (1.8)."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return null_as_list(value)


OptionalStr = Annotated[str | None, BeforeValidator(_blank_as_none)]
Words = Annotated[list[LenientStr], BeforeValidator(_words)]
Lines = Annotated[list[LenientStr], BeforeValidator(_lines)]
#: a secret that may arrive as a number (a numeric SIP password): kept as SecretStr either way.
WireSecret = Annotated[SecretStr, BeforeValidator(to_str)]


# ---------------------------------------------------------------------------------------------
# SIP accounts (1.1, 2.6). The account `password` and the new account's `PASS` are secrets.


#: the command that sets each transport (1.1)
SIP_TRANSPORT_COMMANDS = {"udp": "SipToUdp", "wss": "SipToWss"}


class SipAccountRow(WireModel):
    """A GetSipAccountsInCustomer `accounts[]` row."""

    id: LenientStr  # the SIP user name, e.g. "0773137770=2"
    accountNumber: LenientInt
    customerExtension: OptionalInt = None  # int|null (2.6)
    transport: LenientStr | None = None  # "transport-udp" | "transport-wss"
    callerid: LenientStr | None = None  # glossed "system for unit billing" (1.9)
    specialCallerID: OptionalStr = None  # fixed outgoing caller ID
    password: WireSecret | None = None
    created_date: LenientStr | None = None
    contactsCount: OptionalInt = None  # 2.6


class SipAccountsReply(Envelope):
    accounts: ListOrNull[SipAccountRow] = []
    accountLimit: OptionalInt = None


class SipRegistrationRow(WireModel):
    """A GetSipAccountsRegisteredStatus `accounts[]` row."""

    userName: LenientStr
    createdDate: LenientStr | None = None
    registered: LenientBool = False


class SipRegisteredStatusReply(Envelope):
    accounts: ListOrNull[SipRegistrationRow] = []


class SipContext(WireModel):
    """A SipGetContexts `contexts[]` row: one registration (in principle at most one is active)."""

    expiration_time: LenientStr | None = None  # "2024-06-04 15:43:38", Israel local time
    uri: LenientStr | None = None
    user_agent: LenientStr | None = None
    via_addr: LenientStr | None = None
    via_port: LenientStr | None = None  # "5060" in the seed, an int in client code (2.6)
    endpoint: LenientStr | None = None  # 2.6


class SipContextsReply(Envelope):
    contexts: ListOrNull[SipContext] = []


class SipCreateReply(Envelope):
    accountID: LenientStr  # the new account's user name
    accountNumber: LenientInt
    PASS: WireSecret | None = None  # the new account's password


class SipDeleteReply(Envelope):
    affected_rows: OptionalInt = None


class SipExtensionReply(Envelope):
    extNumber: OptionalInt = None  # after Set: the new one (absent or null once cleared)


class CallerIdApprovalReply(Envelope):
    """IsCallerIDApproved (1.2)."""

    parsedCallerId: LenientStr | None = None  # E.164, "+972773137770"
    isApproved: LenientBool = False
    reason: LenientStr | None = None  # INVALID_CALLER | SMS_ID | INCLUDE


# ---------------------------------------------------------------------------------------------
# Campaigns (1.5, 2.4; A12, A13).


class BridgingReply(Envelope):
    """CallExtensionBridging's reply; RunTzintuk's has the same shape plus `biling`/`verifyCode`."""

    module: LenientStr | None = None
    callerId: LenientStr | None = None
    callsCount: LenientInt = 0
    bilingPerCall: LenientFloat | None = None  # sic; a number (A12), a string accepted
    biling: LenientFloat | None = None  # sic; RunTzintuk's real reply sends it as a string "0.10"
    errors: MapOrEmpty[LenientStr] = {}  # number -> reason ("not Vaild", sic); `[]` when empty (A13)
    callsTimeout: OptionalInt = None  # lower-case "o" on the way out (1.9)
    campaignId: LenientStr = ""
    verifyCode: LenientStr | None = None  # RunTzintuk with callerId=RAND


class CampaignEntry(WireModel):
    """One number of a campaign (GetCampaignStatus `entries[]`)."""

    phone: LenientStr
    name: LenientStr | None = None
    moreinfo: LenientStr | None = None
    entryStatus: LenientStr | None = None  # bridged|done|no_answer|failed|busy (|up)
    duration: OptionalInt = None
    bridgedDuration: OptionalInt = None
    currentPrice: LenientFloat | None = None
    bridged: LenientBool | None = None
    startTime: LenientStr | None = None  # bare "HH:MM:SS"
    redials: Any = None


class CampaignInfo(WireModel):
    """The campaign object of GetCampaignStatus, GetActiveCampaigns and CampaignAction (2.4)."""

    campaignId: LenientStr
    campaignStatus: LenientStr | None = None  # RUNNING|PAUSED|STOPPING|STOPPED|FINISHED; "STOPPING " seen
    templateId: LenientStr | None = None
    who: LenientStr | None = None
    callerId: LenientStr | None = None
    blockedEntries: OptionalInt = None
    pendingEntries: OptionalInt = None
    activeEntries: OptionalInt = None
    bridgedEntries: OptionalInt = None
    redialEntries: OptionalInt = None
    doneEntries: OptionalInt = None
    failedEntries: OptionalInt = None
    totalEntries: OptionalInt = None
    totalDialed: OptionalInt = None
    totalSuccessful: OptionalInt = None
    totalBridged: OptionalInt = None
    totalFailed: OptionalInt = None
    totalIncoming: OptionalInt = None
    totalIncomingBridged: OptionalInt = None
    maxActiveChannels: OptionalInt = None
    maxBridgedChannels: OptionalInt = None
    maxDialAttempts: OptionalInt = None
    redialWait: OptionalInt = None
    redialPolicy: LenientStr | None = None
    vmDetect: Any = None  # type not seen
    playPrivateMsg: Any = None  # type not seen
    runTime: Any = None  # type not seen
    currentPrice: LenientFloat | None = None
    paused: LenientBool = False
    entries: ListOrNull[CampaignEntry] = []


class CampaignStatusReply(Envelope):
    campaign: CampaignInfo


class ActiveCampaignsReply(Envelope):
    campaigns: ListOrNull[CampaignInfo] = []


class CampaignActionItem(WireModel):
    phone: LenientStr | None = None
    action: LenientStr | None = None  # add|addblocked|block|unblock|hangup|failed


class CampaignActionReply(Envelope):
    campaign: Annotated[CampaignInfo | None, BeforeValidator(_empty_as_none)] = None
    action: LenientStr | None = None  # ADD|BLOCK|HANGUP|STOP|SET_PAUSED|...
    value: Any = None
    data: ListOrNull[CampaignActionItem] = []


# ---------------------------------------------------------------------------------------------
# Incoming SMS (1.6; A9): digit strings without "+", dates in Israel local time.


class IncomingSmsRow(WireModel):
    source: LenientStr
    destination: LenientStr
    message: Annotated[str, BeforeValidator(_text)] = ""
    receive_date: LenientStr | None = None  # "2025-06-03 19:58:03"


class IncomingSmsReply(Envelope):
    rows: ListOrNull[IncomingSmsRow] = []


# ---------------------------------------------------------------------------------------------
# MFASession beyond isPass/try (1.8): UPPER method rows, snake_case code checks and tokens.


#: validMFA's words once a code's tries are used up (1.8), whether as a message or an error reply
MFA_OVERTRY_MESSAGE = "validMFA not allow. over trys attempt"


class MfaMethodRow(WireModel):
    ID: LenientInt  # per request, never stored
    STATUS: LenientStr | None = None  # ACTIVE | PENDING
    MFA_METHOD_ID: OptionalStr = None  # stable; only deliberately added methods have one
    NIKE: LenientStr | None = None  # CREATE_PHONE | RESET_MAIL | PROFILE | MASTER_LOGIN | BY_CUSTOMER
    NOTE: LenientStr | None = None
    SEND_TYPE: Words = []  # CALL, SMS, EMAIL
    VALUE: LenientStr = ""  # masked before hard verification
    EXPIRED_DATE: LenientStr | None = None
    LAST_USED: LenientStr | None = None


class MfaMethodsReply(MfaStatusReply):
    """getMFAMethods: the isPass fields plus `mfaMethods`."""

    mfaMethods: ListOrNull[MfaMethodRow] = []


class CodeCheckReply(Envelope):
    """validMFA and validMethod."""

    mfa_valid_status: LenientStr
    mfa_valid_trys: OptionalInt = None  # sic
    mfa_valid_left: OptionalInt = None
    mfa_valid_message: LenientStr | None = None


class AddMethodReply(Envelope):
    methodId: OptionalStr = None  # type not given (1.9): kept as text, as the method actions take it


class TrustTokenRow(WireModel):
    id: LenientStr
    trust_key_type: LenientStr | None = None  # YM_CALL2ALL_WEBSITE | CUSTOMER_IP
    create_by: LenientStr | None = None
    create_date: LenientStr | None = None
    update_by: LenientStr | None = None
    update_date: LenientStr | None = None
    last_use: LenientStr | None = None
    trust_note: LenientStr | None = None


class TrustTokensReply(Envelope):
    trustTokens: ListOrNull[TrustTokenRow] = []


class TrustIpsReply(Envelope):
    trustIps: Lines = []


class TrustIpsSavedReply(Envelope):
    """setMFATrustIps: `errors` like "ip: 0.192.66.2222 is not valid"."""

    okCount: LenientInt = 0
    save: LenientBool = False
    valid_new_list: Lines = []
    errors: Lines = []
