"""Yemot's SIP account replies (1.1, 2.6) and IsCallerIDApproved (1.2), with the vendor's field names."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, SecretStr

from tui.vendors.lenient import LenientBool, LenientInt, LenientStr, ListOrNull, OptionalInt, to_str
from tui.vendors.yemot.wire import Envelope, OptionalStr, WireModel

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
