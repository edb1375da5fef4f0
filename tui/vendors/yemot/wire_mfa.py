"""Yemot's MFASession replies beyond isPass/try (1.8): methods, code checks, trusted tokens and IPs."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from tui.vendors.lenient import LenientBool, LenientInt, LenientStr, ListOrNull, OptionalInt, null_as_list
from tui.vendors.yemot.wire import Envelope, MfaStatusReply, OptionalStr, WireModel


def _words(value: Any) -> Any:
    """A list of words that may also arrive as one "CALL,SMS" string, null or `{}`."""
    if isinstance(value, str):
        return [word for word in re.split(r"[\s,;:]+", value) if word]
    return null_as_list(value)


def _lines(value: Any) -> Any:
    """A list of addresses that may also arrive as one string, one address per line (1.8)."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return null_as_list(value)


Words = Annotated[list[LenientStr], BeforeValidator(_words)]
Lines = Annotated[list[LenientStr], BeforeValidator(_lines)]


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
