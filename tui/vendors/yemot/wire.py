"""Yemot's reply shapes, with the vendor's exact field names (vendors/yemot.md Parts 1-2).

Field names are the wire names as they are spelled on the wire (camelCase, PascalCase, snake_case and
misspellings such as `passRessen` are all the vendor's). Parsing is lenient the way 2.8 says the
vendor is loose: numbers that arrive as strings, booleans as 0/1/"1"/"true", `[]` where a map is
expected (A13) and `null` where a list is expected. Unknown fields are kept (`extra="allow"`).

This module holds what a session's start reads: the base model, the envelope, Login, GetSession,
MFASession isPass/try, queues and queue callbacks. The other API families have their own modules
(`wire_sip`, `wire_campaigns`, `wire_sms`, `wire_mfa`), loaded with their first request.
"""

from __future__ import annotations

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
# Shared with the family modules.


def _blank_as_none(value: Any) -> Any:
    """An id that "may be empty" (1.8 `MFA_METHOD_ID`): "" and null become None."""
    value = to_str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


OptionalStr = Annotated[str | None, BeforeValidator(_blank_as_none)]
