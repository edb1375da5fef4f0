"""Working assumptions about coocenter-api (C-A1..C-A7), one name per assumption.

The seed (vendors/coocenter.md, seed 003) leaves these open. The client and adapter parse by them
and the simulator's facade emits by them, so each changes in one place when better evidence
appears. Parsers stay lenient; the simulator emits exactly what is stated here.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr


# C-A1 -- Authorization: lowercase hex md5 of WEBKEY + the PBX's LOCAL date "YYYY-MM-DD".
C_A1_HEADER = "Authorization"
C_A1_DATE_FORMAT = "%Y-%m-%d"


def c_a1_authorization(webkey: SecretStr | str, pbx_date: date) -> str:
    """The Authorization value for `pbx_date`. The result is as secret as the WEBKEY itself.

    `webkey`: the WEBKEY, plain or held secret (anything with `get_secret_value()`: the console's
    SecretStr, the simulator's Secret)."""
    key = webkey if isinstance(webkey, str) else webkey.get_secret_value()
    return hashlib.md5((key + pbx_date.strftime(C_A1_DATE_FORMAT)).encode("utf-8")).hexdigest()


# C-A2 -- a wrong or missing Authorization (when a WEBKEY is set on the PBX).
C_A2_UNAUTHORIZED_STATUS = 401
C_A2_UNAUTHORIZED_MESSAGE = "Unauthorized"
C_A2_UNAUTHORIZED_BODY = {"status": "error", "message": C_A2_UNAUTHORIZED_MESSAGE}

# C-A3 -- every reply carries an HTTP Date header (RFC 7231, GMT) from the PBX's clock.
C_A3_DATE_HEADER = "Date"


def c_a3_format_date(moment: datetime) -> str:
    """`Sun, 06 Nov 1994 08:49:37 GMT` for an aware (or UTC-naive) moment."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return format_datetime(aware.astimezone(UTC), usegmt=True)


def c_a3_parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime from a Date header; None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC)


# C-A4 -- agent/extension state codes (hints `status` and the `extensionstatus` push), strings on
# the wire. Anything else is shown as "unknown (N)".
C_A4_IDLE = "0"
C_A4_IN_CALL = "1"
C_A4_BUSY = "2"
C_A4_OFFLINE = "4"
C_A4_RINGING = "8"
C_A4_HOLD = "16"
#: our label for each code
C_A4_LABELS = {
    C_A4_IDLE: "idle",
    C_A4_IN_CALL: "in call",
    C_A4_BUSY: "busy",
    C_A4_OFFLINE: "offline",
    C_A4_RINGING: "ringing",
    C_A4_HOLD: "on hold",
}
#: the PBX's `statustext` for each code (Asterisk's ExtensionStatus StatusText; the seed shows "Idle")
C_A4_STATUS_TEXT = {
    C_A4_IDLE: "Idle",
    C_A4_IN_CALL: "InUse",
    C_A4_BUSY: "Busy",
    C_A4_OFFLINE: "Unavailable",
    C_A4_RINGING: "Ringing",
    C_A4_HOLD: "OnHold",
}

# C-A5 -- pushed bodies are JSON objects (the doc prints JS object literals).
C_A5_PUSH_CONTENT_TYPE = "application/json"

# C-A6 -- the dial-begin event name: the seed spells it "dialbegein"; "dialbegin" is accepted too.
C_A6_DIALBEGIN_PUSHED = "dialbegein"
C_A6_DIALBEGIN_NAMES = frozenset({"dialbegein", "dialbegin"})

# C-A7 -- agent-pause: state=on pauses, state=off unpauses; `member` is the extension ("808").
C_A7_PAUSE_ON = "on"
C_A7_PAUSE_OFF = "off"


def c_a7_pause_state(paused: bool) -> str:
    return C_A7_PAUSE_ON if paused else C_A7_PAUSE_OFF
