"""The records of the simulated phone systems' security: accounts, sessions, MFA methods, outcomes.

Plain data, vendor-neutral: outcomes are enums and dataclasses that a facade turns into its
vendor's wire replies. `world_auth.AuthBook` keeps and changes them; `world_auth_seed` makes the
demo accounts.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from tui.simulator.secret import Secret
from tui.vendors.yemot.assumptions import A7_RESEND_WINDOW_S


class PassReason(StrEnum):
    """Why a session passed two-factor verification."""

    TRUSTED_IP = "trusted_ip"  # the request came from one of the account's trusted IPs
    TRUST_TOKEN = "trust_token"  # a remember-me token for the caller's IP
    VERIFIED = "verified"  # a code was verified in this session


class MethodKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class MethodOrigin(StrEnum):
    CREATED_SYSTEM = "created_system"  # the number that created the system
    RECOVERY_EMAIL = "recovery_email"
    PROFILE = "profile"
    MASTER_LOGIN = "master_login"
    CUSTOMER = "customer"  # added by the customer


class SendChannel(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"


class TrustKind(StrEnum):
    WEBSITE = "website"
    CUSTOMER_IP = "customer_ip"


class LoginStatus(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"


class TokenStatus(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # unknown, killed or logged out
    EXPIRED = "expired"  # idle too long


class SendStatus(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"
    UNKNOWN_METHOD = "unknown_method"
    BAD_CHANNEL = "bad_channel"


class CodeStatus(StrEnum):
    VALID = "valid"
    WRONG = "wrong"
    USED_UP = "used_up"  # tries of this code used up: a new code must be sent
    NO_CODE = "no_code"  # nothing was sent in this session


class AddMethodStatus(StrEnum):
    ADDED = "added"
    TOO_MANY = "too_many"
    BAD_VALUE = "bad_value"
    COUNTRY_REFUSED = "country_refused"  # a phone outside Israel, the USA and Canada
    EXISTS = "exists"


@dataclass(slots=True)
class MethodCode:
    """A code sent to verify a newly added method (kept on the method, not the session)."""

    code: str = field(repr=False)
    sent_at: datetime
    tries: int = 0


@dataclass(slots=True)
class MfaMethod:
    kind: MethodKind
    value: str
    origin: MethodOrigin
    channels: tuple[SendChannel, ...]
    expires_at: datetime
    stable_id: int | None = None  # only deliberately added methods have one
    note: str = ""
    active: bool = True
    last_used: datetime | None = None
    # Verifying a method the customer added (reValidMethod / validMethod); resends throttled per method.
    code: MethodCode | None = None
    last_send_at: datetime | None = None
    send_window_s: int = A7_RESEND_WINDOW_S
    early_sends: int = 0

    @property
    def deletable(self) -> bool:
        """Methods from the profile, a reseller, the creating number or the recovery e-mail stay."""
        return self.origin is MethodOrigin.CUSTOMER


@dataclass(slots=True)
class TrustToken:
    token_id: int
    kind: TrustKind
    created_by: str
    created_at: datetime
    note: str = ""
    updated_by: str | None = None
    updated_at: datetime | None = None
    last_use: datetime | None = None


@dataclass(slots=True)
class Account:
    """One phone system (a customer's account) and its security settings."""

    system: str
    password: Secret
    name: str
    organization: str
    email: str
    contact_name: str
    units: float
    units_expire: date
    customer_id: int = 0  # the vendor's internal customer number (it appears in campaign ids)
    sms_units: float = 0.0
    pirsum_phone: bool = False  # registered with the PirsumPhone service
    sip_enabled: bool = True
    trusted_ips: list[str] = field(default_factory=list)
    methods: list[MfaMethod] = field(default_factory=list)
    trust_tokens: list[TrustToken] = field(default_factory=list)
    login_failures: deque[datetime] = field(default_factory=deque)
    try_failures: deque[datetime] = field(default_factory=deque)
    try_blocked_until: datetime | None = None
    last_send_at: datetime | None = None
    send_window_s: int = A7_RESEND_WINDOW_S
    early_sends: int = 0  # sends refused since the last one that went out
    next_trust_token_id: int = 1


@dataclass(slots=True)
class PendingCode:
    code: str = field(repr=False)
    method: MfaMethod
    channel: SendChannel
    sent_at: datetime
    tries: int = 0


@dataclass(slots=True)
class Session:
    token: str = field(repr=False)
    system: str
    client_ip: str
    created_at: datetime
    last_used: datetime
    kept: bool = True  # False for a one-request session made from credentials
    passed: bool = False
    pass_reason: PassReason | None = None
    hard_verified: bool = False
    expired: bool = False
    pending: PendingCode | None = None
    # The method ids handed out by the latest listing; ids are fresh on every listing.
    listing: dict[int, MfaMethod] = field(default_factory=dict)
    next_listing_id: int = 1


@dataclass(frozen=True, slots=True)
class SentCode:
    """A code the world "sent"; the demo shows these to the user."""

    at: datetime
    system: str
    channel: SendChannel
    target: str
    code: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TryOutcome:
    passed: bool
    blocked_for_s: int | None = None  # set when `try` is blocked for the account


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: SendStatus
    wait_s: int | None = None


@dataclass(frozen=True, slots=True)
class CodeOutcome:
    status: CodeStatus
    tries: int
    left: int


@dataclass(frozen=True, slots=True)
class AddMethodOutcome:
    status: AddMethodStatus
    method: MfaMethod | None = None


@dataclass(frozen=True, slots=True)
class TrustedIpsOutcome:
    """setMFATrustIps: the valid addresses (the new list), the invalid entries, and whether it changed."""

    valid: tuple[str, ...]
    invalid: tuple[str, ...]
    saved: bool
    too_many: bool = False


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    status: LoginStatus
    session: Session | None = None
