"""Each system's phone numbers: its main number, secondary numbers and approved outgoing caller IDs.

Vendor-neutral: numbers are kept in local Israeli form (`0773137770`); a facade writes them in
whatever form its vendor uses (Yemot: E.164). Which numbers a system may show as its caller ID is
decided here, once, for IsCallerIDApproved and for setting a SIP account's caller ID alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from tui.vendors.yemot.assumptions import to_e164


class ApprovalRule(StrEnum):
    """The rule that decided whether a caller ID may be used."""

    INVALID = "invalid"  # not a phone number at all
    SMS_ID = "sms_id"  # SMS go out only under the system's SMS sender ID
    LISTED = "listed"  # the system's own numbers and its approved caller IDs


class CallerIdUse(StrEnum):
    CALL = "call"
    SMS = "sms"


# The usages a secondary number can be given (1.2): a SIP account or extension, or an IVR extension.
SIP_USAGE = re.compile(r"^sip:([0-9]+)$")
GOTO_USAGE = re.compile(r"^goto:(/[A-Za-z0-9\u05d0-\u05ea/]*)$")


class UsageOutcome(StrEnum):
    OK = "ok"
    NOT_FOUND = "not found"
    BAD_USAGE = "bad usage"  # neither sip:<n> nor goto:/<path>
    LOCKED = "locked"  # its current usage is not one that can be chosen, so it cannot be changed


def selectable(usage: str | None) -> bool:
    """A usage one may choose (and so change): none yet, `sip:<n>` or `goto:/<path>`."""
    return usage is None or bool(SIP_USAGE.match(usage) or GOTO_USAGE.match(usage))


@dataclass(slots=True)
class SecondaryNumber:
    number_id: int
    number: str
    usage: str | None = None  # e.g. "goto:/2", "sip:5"


@dataclass(slots=True)
class SystemNumbers:
    main: str
    secondary: list[SecondaryNumber] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)  # external numbers approved as caller IDs
    sms_id: str | None = None  # when set, SMS go out only under it
    allow_text_sender: bool = False

    def own_and_approved(self) -> list[str]:
        return [self.main, *(s.number for s in self.secondary), *self.approved]


@dataclass(frozen=True, slots=True)
class Approval:
    parsed: str | None  # E.164, None when the number is not valid
    approved: bool
    rule: ApprovalRule


def check_caller_id(numbers: SystemNumbers, caller_id: str, use: CallerIdUse = CallerIdUse.CALL) -> Approval:
    """May this system use `caller_id` for calls (or SMS)?"""
    parsed = to_e164(caller_id)
    if parsed is None:
        return Approval(None, False, ApprovalRule.INVALID)
    if use is CallerIdUse.SMS and numbers.sms_id is not None:
        return Approval(parsed, parsed == to_e164(numbers.sms_id), ApprovalRule.SMS_ID)
    listed = {to_e164(n) for n in numbers.own_and_approved()}
    return Approval(parsed, parsed in listed, ApprovalRule.LISTED)


def is_secondary(numbers: SystemNumbers, caller_id: str) -> bool:
    parsed = to_e164(caller_id)
    return parsed is not None and parsed in {to_e164(s.number) for s in numbers.secondary}


# system -> (secondary numbers with usage, approved external caller IDs, SMS sender ID, text senders)
NUMBER_SPECS: dict[str, tuple[tuple[tuple[int, str, str | None], ...], tuple[str, ...], str | None, bool]] = {
    "0773137770": (
        (
            (301, "0773137780", "goto:/2"),
            (302, "0773137781", "sip:2"),
            (303, "035551234", None),
            (304, "0773137782", "fax:inbox"),  # set up by support: not a usage one can choose
        ),
        ("0501234560", "0722222222"),
        None,
        True,
    ),
    "0773137771": (((311, "0773137790", "goto:/1"),), ("0529876543",), "0773137771", False),
    "0773137772": ((), (), None, False),
}


def seed_numbers(systems: list[str]) -> dict[str, SystemNumbers]:
    numbers: dict[str, SystemNumbers] = {}
    for system in systems:
        secondary, approved, sms_id, allow_text = NUMBER_SPECS.get(system, ((), (), None, False))
        numbers[system] = SystemNumbers(
            system,
            [SecondaryNumber(*spec) for spec in secondary],
            list(approved),
            sms_id,
            allow_text,
        )
    return numbers
