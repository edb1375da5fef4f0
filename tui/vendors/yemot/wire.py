"""Yemot's reply shapes, with the vendor's exact field names (vendors/yemot.md Parts 1-2).

Field names are the wire names as they are spelled on the wire (camelCase, PascalCase, snake_case and
misspellings such as `passRessen` are all the vendor's). Parsing is lenient the way 2.8 says the
vendor is loose: numbers that arrive as strings, booleans as 0/1/"1"/"true", `[]` where a map is
expected (A13) and `null` where a list is expected. Unknown fields are kept (`extra="allow"`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, SecretStr

# The seed's reply on servers without SIP (1.1): "This server does not support the SIP system".
SIP_OFF_MESSAGE = "שרת זה אינו תומך במערכת SIP"

# ---------------------------------------------------------------------------------------------
# Lenient scalar and container types, used by every model below.

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def _to_int(value: Any) -> Any:
    """12, "12", " 12 ", 12.0 and "12.4" (rounded) become ints; anything else is left to fail."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            value = float(text)  # a ValueError here becomes a validation error
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return round(value)
    return value


def _to_float(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, str):
        return float(value.strip())
    return value


def _to_bool(value: Any) -> Any:
    """true/false, 1/0, "1"/"0", "true"/"false" (any case) become bools (2.8)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError("not a boolean")


def _to_str(value: Any) -> Any:
    """Phones, ports and codes arrive as strings or numbers: keep them as strings."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value


def _empty_list_as_map(value: Any) -> Any:
    """A13: an empty map may arrive as `[]` (or be missing as `null`)."""
    if value is None or (isinstance(value, list) and not value):
        return {}
    return value


def _null_as_list(value: Any) -> Any:
    """An empty list may arrive as `null` or as an empty map `{}`."""
    if value is None or (isinstance(value, dict) and not value):
        return []
    return value


LenientInt = Annotated[int, BeforeValidator(_to_int)]
LenientFloat = Annotated[float, BeforeValidator(_to_float)]
LenientBool = Annotated[bool, BeforeValidator(_to_bool)]
LenientStr = Annotated[str, BeforeValidator(_to_str)]

V = TypeVar("V")
#: `dict[str, V]` that also accepts `[]` and `null` as the empty map (A13).
MapOrEmptyList = Annotated[dict[str, V], BeforeValidator(_empty_list_as_map)]
#: a nested object that also accepts `[]` and `null` as "all fields absent" (A13).
ObjectOrEmptyList = Annotated[V, BeforeValidator(_empty_list_as_map)]
#: `list[V]` that also accepts `null` and `{}` as the empty list.
ListOrNull = Annotated[list[V], BeforeValidator(_null_as_list)]


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

    model_config = ConfigDict(extra="allow", populate_by_name=True)

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
    queueData: ObjectOrEmptyList[QueueData] = QueueData()
    members: ListOrNull[QueueMember] = []
    entries: ListOrNull[QueueEntry] = []


class QueueManagementReply(Envelope):
    """kick: `status` maps call id -> "OK" or a reason ("Call not found"); pause/unpause: OK only."""

    status: MapOrEmptyList[LenientStr] = {}


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
