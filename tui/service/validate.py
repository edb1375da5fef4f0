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
