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


# ---------------------------------------------------------------------------------------------
# Limits the seeds state (vendors/yemot.md Part 1), shared so that the client's validation and
# the simulator's refusals agree.

SIP_EXTENSION_MIN, SIP_EXTENSION_MAX = 200, 10000  # 1.1: a SIP account's internal extension number
SIP_TRANSPORT_UDP, SIP_TRANSPORT_WSS = "transport-udp", "transport-wss"  # GetSipAccountsInCustomer
CAMPAIGN_MAX_NUMBERS = 500  # 1.5: CallExtensionBridging takes at most 500 numbers
CAMPAIGN_TIMEOUT_DEFAULT_S, CAMPAIGN_TIMEOUT_MAX_S = 30, 35  # 1.5: `callsTimeOut`
CAMPAIGN_UNITS_PER_NUMBER = 0.1  # 1.5: billed for every number entered for dialling
CAMPAIGN_UNITS_PER_MINUTE, CAMPAIGN_MIN_UNITS_PER_ANSWER = 1.0, 0.5  # 1.5: per answered call
CAMPAIGN_INVALID_NUMBER = "not Vaild"  # 1.5: the per-number error, misspelt on the wire
A9_INCOMING_SMS_DEFAULT = 100  # 1.6: GetIncomingSms `limit` default
MFA_MAX_METHODS = 20  # 1.8 addMethod
MFA_MAX_TRUSTED_IPS = 50  # 1.8 setMFATrustIps
MFA_PHONE_COUNTRY_CODES = ("972", "1")  # 1.8 addMethod: Israel; the USA and Canada share +1
CALLER_ID_INVALID, CALLER_ID_SMS_ID, CALLER_ID_INCLUDE = "INVALID_CALLER", "SMS_ID", "INCLUDE"  # 1.2


def mfa_ip_error(ip: str) -> str:
    """setMFATrustIps' error for one address (1.8): `ip: 0.192.66.2222 is not valid`."""
    return f"ip: {ip} is not valid"


# ---------------------------------------------------------------------------------------------
# Further working assumptions (not yet in Part 3), made with the simulator's SIP, caller-ID,
# campaign, SMS and MFA-management services. Each is a guess where the docs are silent.

# SIP usernames: account 1 is the bare system number (the seed's `userName` and contact-URI
# examples are `0773137770`), account N > 1 is `<system>=N` (the seed's `0772222770=2`).
SIP_USERNAME_SEPARATOR = "="


def sip_username(system: str, account_number: int) -> str:
    return system if account_number == 1 else f"{system}{SIP_USERNAME_SEPARATOR}{account_number}"


# SipToWss/SipToUdp that change nothing: 2.6 says a non-OK reply containing "לא בוצע" ("not done").
SIP_TRANSPORT_UNCHANGED = ("ERROR", "לא בוצע שינוי, החשבון כבר מוגדר לתעבורה זו")
SIP_TRANSPORT_UNCHANGED_MARK = "לא בוצע"
# Refusals the docs do not quote (every one HTTP 200, `ERROR`).
SIP_ACCOUNT_LIMIT_REACHED = ("ERROR", "account limit reached")
SIP_ACCOUNT_NOT_FOUND = ("ERROR", "sip account not found")
SIP_EXTENSION_OUT_OF_RANGE = ("ERROR", "extNumber must be between 200 and 10000")
SIP_EXTENSION_TAKEN = ("ERROR", "extNumber is already in use by another account")
SIP_CALLER_ID_NOT_APPROVED = ("ERROR", "callerId is not approved in this system")
# SipGetContexts' `endpoint` (2.6, value never seen): the account's username, as Asterisk names it.
# A11 (see above): the working form is a form or query parameter; a JSON body gets A11_BAD_ACTION,
# as 2.6 reports for yemot_api's JSON call.
A11_JSON_REFUSED = True

# IsCallerIDApproved: `reason` names the rule that decided, so a valid number that is not on the
# authorised list is `isApproved: false, reason: INCLUDE`; an invalid one is echoed as given in
# `parsedCallerId` with INVALID_CALLER.


def to_e164(number: str) -> str | None:
    """`0773137770`, `972773137770`, `+972773137770`, `00972…` -> `+972773137770`; `+1…` kept.

    Israeli numbers need 8 digits after the 0 (landlines) or 9 (mobiles, 07x); other countries
    need a `+` or `00` prefix and 8-15 digits. Anything else -> None.
    """
    digits = "".join(ch for ch in number.strip() if ch not in " -()")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        rest = digits[1:]
        if not rest.isdigit() or not 8 <= len(rest) <= 15:
            return None
        if rest.startswith("972"):
            return "+" + rest if _israeli_national(rest[3:]) else None
        return "+" + rest
    if not digits.isdigit():
        return None
    if digits.startswith("972"):
        return "+" + digits if _israeli_national(digits[3:]) else None
    if digits.startswith("0") and _israeli_national(digits[1:]):
        return "+972" + digits[1:]
    return None


def _israeli_national(national: str) -> bool:
    """The national part of an Israeli number: 5x/7x + 7 digits, or 2/3/4/8/9 + 7 digits."""
    if not national.isdigit():
        return False
    if national[:1] in ("5", "7"):
        return len(national) == 9
    return national[:1] in ("2", "3", "4", "8", "9") and len(national) == 8


def is_dialable(number: str) -> bool:
    """A number CallExtensionBridging dials; others get CAMPAIGN_INVALID_NUMBER. Israeli only."""
    e164 = to_e164(number)
    return e164 is not None and e164.startswith("+972")


# CallExtensionBridging (A12): `campaignId` is `YA-<customer id>-<callerId>-Yemot-<16 digits>` (the
# seed's and the real RunTzintuk reply's last part is 16 digits: microseconds since the epoch).
A12_CAMPAIGN_ID_RE = re.compile(r"^YA-(\d+)-([^-]*)-Yemot-(\d+)$")
CAMPAIGN_TOO_MANY_NUMBERS = ("ERROR", "too many phones: at most 500 numbers")
CAMPAIGN_NO_VALID_NUMBERS = ("ERROR", "no valid phones")
CAMPAIGN_NOT_FOUND = ("ERROR", "campaign not found")
CAMPAIGN_LOW_UNITS = ("ERROR", "Low unit balance")  # seen on SendSms (2.5)
# A `callsTimeOut` above 35 is accepted as 35 (the reply's `callsTimeout` says what was accepted).
# GetCampaignStatus `campaignStatus` values (2.4); yemot_api's literal for stopping has a trailing
# space, so the simulator sends it that way and parsers strip.
CAMPAIGN_RUNNING, CAMPAIGN_PAUSED, CAMPAIGN_STOPPING = "RUNNING", "PAUSED", "STOPPING "
CAMPAIGN_STOPPED, CAMPAIGN_FINISHED = "STOPPED", "FINISHED"
# Counts: `doneEntries` = answered and hung up; `failedEntries` = failed, busy or not answered;
# `activeEntries` = ringing; `bridgedEntries` = in the IVR now; stopped entries are `canceled`.

# MFASession method management (1.8): `methodId` is an int like MFA_METHOD_ID; a method action's
# `mfaId` is MFA_METHOD_ID (or addMethod's methodId), else the ID of the latest getMFAMethods.
# The 20-method limit counts every unexpired method of the account. Resends of a method's code
# are throttled per method with A7's numbers.
MFA_TOO_MANY_METHODS = ("ERROR", "max 20 mfa methods")
MFA_PHONE_COUNTRY_REFUSED = ("ERROR", "only phones of Israel, USA and Canada can be added")
MFA_BAD_VALUE = ("ERROR", "mtaNewValue is not a valid email or phone")
MFA_METHOD_EXISTS = ("ERROR", "this mfa method already exists")
MFA_METHOD_NOT_FOUND = ("ERROR", "mfaId not found")
MFA_METHOD_NOT_DELETABLE = "this mfa method cannot be deleted, its source is "  # + NIKE
MFA_TRUST_TOKEN_NOT_FOUND = ("ERROR", "trustTokenId not found")
MFA_TOO_MANY_TRUSTED_IPS = ("ERROR", "max 50 trust ips")


# The seed's reply on servers without SIP (1.1): "This server does not support the SIP system".
SIP_OFF_MESSAGE = "שרת זה אינו תומך במערכת SIP"
