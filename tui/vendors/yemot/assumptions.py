"""Working assumptions about Yemot's API (vendors/yemot.md, Part 3), one name per A-number.

Nothing is published for these; the client's parsers and the simulator's facade both import them
from here so that each changes in one place when better evidence appears. Parsers stay lenient;
the simulator emits exactly what is stated.
"""

from __future__ import annotations

import re

YAFAST_VERSION = "6.7.30"

# A1 -- GetQueueRealTime values.
A1_STRATEGY = "ringall"
A1_AGO_FORMAT = "%H:%M:%S"  # "*Ago" fields: "HH:MM:SS"
A1_LAST_CALL_FORMAT = "%m/%d/%Y, %I:%M:%S %p"  # member "LastCall"
A1_CALL_ID_HEX_LEN = 32


def a1_ago_seconds(value: str | None) -> int | None:
    """`"00:04:12"` -> 252; None or anything unreadable -> None (parsers stay lenient)."""
    if not value:
        return None
    parts = value.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


# A2 -- member "Status" codes (strings on the wire); pause is the separate "Paused" flag.
A2_STATUS_IDLE = "1"
A2_STATUS_IN_CALL = "2"
A2_STATUS_BUSY = "3"
A2_STATUS_UNAVAILABLE = "5"
A2_STATUS_RINGING = "6"
A2_STATUS_ON_HOLD = "8"
A2_STATUS_NAMES = {
    A2_STATUS_IDLE: "idle",
    A2_STATUS_IN_CALL: "in call",
    A2_STATUS_BUSY: "busy",
    A2_STATUS_UNAVAILABLE: "unavailable",
    A2_STATUS_RINGING: "ringing",
    A2_STATUS_ON_HOLD: "on hold",
}

# A3 -- a session that has not passed MFA.
A3_MFA_REQUIRED_STATUS = "FORBIDDEN"
A3_MFA_REQUIRED_MESSAGE = "MFA_REQUIRED"
A3_PAST_STAGE_MESSAGE = "the this action allow only BEFORE pass"


def a3_is_mfa_required(message: str | None) -> bool:
    """Any non-OK reply whose message contains MFA_REQUIRED, in any case."""
    return bool(message) and A3_MFA_REQUIRED_MESSAGE.lower() in message.lower()


# A4 -- token expiry.
A4_IDLE_MINUTES = 60
A4_EXPIRED = ("FORBIDDEN", "session is expired")
A4_INVALID = ("EXCEPTION", "IllegalStateException(session token is invalid)")


def a4_is_token_dead(status: str | None, message: str | None) -> bool:
    """True for the two replies that mean "log in again" (compared case-insensitively)."""
    pair = ((status or "").lower(), (message or "").lower())
    return pair in {(s.lower(), m.lower()) for s, m in (A4_EXPIRED, A4_INVALID)}


# A5 -- Logout.
A5_LOGOUT_MESSAGE = "logout successful"

# Login failures (Part 2.2).
LOGIN_BAD_CREDENTIALS = ("FORBIDDEN", "user name or password do not match")
LOGIN_LOCKED = ("FORBIDDEN", "bruteforce protection - account locked")


# A6 -- queuePath: "ivr2:" + the configured path with a leading slash, from one function.
def a6_queue_path(path: str) -> str:
    """`/2/5`, `2/5`, `ivr2:2/5` and `ivr2:/2/5` all become `ivr2:/2/5`."""
    bare = path.strip()
    if bare.lower().startswith("ivr2:"):
        bare = bare[5:]
    bare = bare.strip().strip("/")
    return "ivr2:/" + bare


def a6_normal_path(path: str) -> str:
    """The canonical `/2/5` form of any of the accepted spellings."""
    return a6_queue_path(path)[len("ivr2:") :]


# A7 -- MFA codes and throttles.
A7_CODE_DIGITS = 6
A7_TRIES_PER_CODE = 5
A7_RESEND_WINDOW_S = 60
A7_RESEND_CAP_S = 3600
A7_TRY_FAILS_TO_BLOCK = 5
A7_TRY_BLOCK_WINDOW_S = 600
A7_TRY_BLOCK_S = 900
A7_WAIT_RE = re.compile(r"wait\s+(\d+)\s*s", re.IGNORECASE)


def a7_wait_seconds(message: str | None) -> int | None:
    """The N of a "wait Ns" throttle message, else None."""
    match = A7_WAIT_RE.search(message or "")
    return int(match.group(1)) if match else None


# A9 -- SMS logs.
A9_INCOMING_SMS_MAX = 3000

# A10 -- encoding: every call POST JSON, token in the body, booleans as 0/1.
A10_QUEUE_MANAGEMENT_NOT_JSON = "callIds must be an array (POST JSON)"

# A11 -- SipExtensionManagement.
A11_BAD_ACTION = ("Exception", "bad action")

# A13 -- empty maps: the client accepts [] wherever a map is expected.
