"""Parsers for what people type: each returns the value to send, or raises ValueError with the
sentence to show beside the field. Actions call these from their pydantic validators, so bad input
never reaches a vendor."""

from __future__ import annotations

import re

# An IVR extension path: "/1", "/2/5", "1/20/11"; Yemot also allows Hebrew letters in paths.
_EXTENSION_PATH = re.compile(r"^/?[0-9A-Za-z\u05d0-\u05ea]+(/[0-9A-Za-z\u05d0-\u05ea]+)*/?$")
_EXTENSION = re.compile(r"^[0-9]{2,10}$")
_DIAL = re.compile(r"^\+?[0-9*#]{2,20}$")
_PHONE = re.compile(r"^\+?[0-9]{3,20}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def parse_extension_path(text: str) -> str:
    """`1`, `/1/20`, `GOTO:/1` -> `/1`, `/1/20`, `/1`."""
    value = text.strip()
    if value.upper().startswith("GOTO:"):
        value = value[5:].strip()
    if not value or not _EXTENSION_PATH.match(value):
        raise ValueError("an extension path looks like /1 or /2/5")
    return "/" + value.strip("/")


def parse_extension(text: str) -> str:
    """A PBX extension number: 2 to 10 digits."""
    value = text.strip()
    if not _EXTENSION.match(value):
        raise ValueError("an extension is 2 to 10 digits, e.g. 801")
    return value


def parse_dial(text: str) -> str:
    """Something a PBX can dial: an extension or a phone number (spaces and dashes dropped)."""
    value = _SEPARATORS.sub("", text)
    if not _DIAL.match(value):
        raise ValueError("enter an extension or a phone number (digits, optionally + * #)")
    return value


def parse_phone(text: str) -> str:
    """A caller's number as the PBX sees it: digits with an optional leading + (3 to 20 digits)."""
    value = _SEPARATORS.sub("", text)
    if not _PHONE.match(value):
        raise ValueError("a phone number is 3 to 20 digits, optionally starting with +")
    return value


# -- MFA, trust and SIP ---------------------------------------------------------------------------

_CODE = re.compile(r"^[0-9]{4,8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MFA_PHONE_REGIONS = ("IL", "US", "CA")  # Yemot accepts MFA phones of Israel, the USA and Canada only
MAX_TRUSTED_IPS = 50


def parse_code(text: str) -> str:
    """A verification code: 4 to 8 digits (spaces ignored)."""
    value = re.sub(r"\s", "", text)
    if not _CODE.match(value):
        raise ValueError("the code is the digits you received (4 to 8 of them)")
    return value


def parse_email(text: str) -> str:
    value = text.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("an e-mail address looks like name@example.com")
    return value


def parse_mfa_phone(text: str) -> str:
    """A phone for MFA codes, as E.164: Israel, the USA or Canada (local Israeli form accepted)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text.strip(), "IL")
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    if phonenumbers.region_code_for_number(number) not in MFA_PHONE_REGIONS:
        raise ValueError("only phones of Israel, the USA and Canada can receive codes")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_ip(text: str) -> str:
    """One IPv4 or IPv6 address, in its canonical form."""
    import ipaddress

    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not an IPv4 or IPv6 address") from None


def parse_ip_list(text: str) -> tuple[str, ...]:
    """One address a line (or comma-separated); every bad line named; at most 50; no duplicates."""
    entries = [e.strip() for e in re.split(r"[\n,]", text) if e.strip()]
    problems, addresses = [], []
    for line, entry in enumerate(entries, 1):
        try:
            address = parse_ip(entry)
        except ValueError as error:
            problems.append(f"line {line}: {error}")
            continue
        if address not in addresses:
            addresses.append(address)
    if problems:
        raise ValueError("; ".join(problems[:5]) + ("; …" if len(problems) > 5 else ""))
    if len(addresses) > MAX_TRUSTED_IPS:
        raise ValueError(f"at most {MAX_TRUSTED_IPS} addresses ({len(addresses)} given)")
    return tuple(addresses)


def parse_sip_extension(text: str) -> int | None:
    """A SIP account's internal extension: 200 to 10000; empty clears it."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 200 <= int(value) <= 10000:
        raise ValueError("an extension number is 200 to 10000 (empty to clear it)")
    return int(value)


def parse_caller_id(text: str) -> str:
    """An outgoing caller ID: a phone number (Israeli local or international), digits only."""
    import phonenumbers

    raw = _SEPARATORS.sub("", text)
    try:
        number = phonenumbers.parse(raw, "IL")
    except phonenumbers.NumberParseException:
        raise ValueError("a caller ID is a phone number, e.g. 0773137770") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError("a caller ID is a phone number, e.g. 0773137770")
    return raw


# -- campaigns ------------------------------------------------------------------------------------

MAX_CAMPAIGN_NUMBERS = 500
MAX_RING_SECONDS = 35
_LIST_ID = re.compile(r"^(tpl|tzl):[0-9]+$", re.IGNORECASE)


def parse_list_id(text: str) -> str | None:
    """`tpl:12` (a distribution list) or `tzl:3` (a free tzintuk list); None if the text is not one."""
    value = text.strip()
    return value.lower() if _LIST_ID.match(value) else None


def parse_campaign_numbers(text: str, region: str = "IL") -> tuple[tuple[str, ...], list[str]]:
    """Numbers one a line or `:`-separated -> (numbers to dial, problems by line).

    Every number is checked with phonenumbers (Israel by default); numbers are sent in the form
    they were typed, separators removed. Duplicates are dropped silently.
    """
    import phonenumbers

    numbers: list[str] = []
    problems: list[str] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        for entry in line.split(":"):
            raw = _SEPARATORS.sub("", entry)
            if not raw:
                continue
            try:
                parsed = phonenumbers.parse(raw, region)
                valid = phonenumbers.is_valid_number(parsed)
            except phonenumbers.NumberParseException:
                valid = False
            if not valid:
                problems.append(f"line {line_no}: {entry.strip()!r} is not a valid phone number")
            elif raw not in numbers:
                numbers.append(raw)
    if len(numbers) > MAX_CAMPAIGN_NUMBERS:
        problems.append(f"{len(numbers)} numbers: at most {MAX_CAMPAIGN_NUMBERS} a campaign")
    return tuple(numbers), problems


def campaign_cost(numbers: int, answered_minutes: float | None = None) -> tuple[float, float]:
    """Units: 0.1 a number dialled, plus 1 a minute of each answered call (at least 0.5 a call).

    Returns (the least it can cost — nobody answers, the cost if every number answers for
    `answered_minutes`, default one minute).
    """
    dialled = round(0.1 * numbers, 2)
    minutes = 1.0 if answered_minutes is None else answered_minutes
    per_answer = max(0.5, minutes)
    return dialled, round(dialled + numbers * per_answer, 2)
