"""The accounts book of the simulated phone systems: logins, sessions and two-factor verification.

`AuthBook` keeps the records of `world_auth_records` (the demo accounts come from
`world_auth_seed`) and changes them; outcomes are vendor-neutral enums and dataclasses that a
facade turns into its vendor's wire replies. The policy numbers (idle expiry, code tries, send
throttle, `try` block) are the working assumptions of vendors/yemot.md Part 3 and come from the
one module that owns them.
"""

from __future__ import annotations

import ipaddress
import math
import random
import re
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from tui.simulator.world_auth_records import (
    Account,
    AddMethodOutcome,
    AddMethodStatus,
    CodeOutcome,
    CodeStatus,
    LoginOutcome,
    LoginStatus,
    MethodCode,
    MethodKind,
    MethodOrigin,
    MfaMethod,
    PassReason,
    PendingCode,
    SendChannel,
    SendOutcome,
    SendStatus,
    SentCode,
    Session,
    TokenStatus,
    TrustedIpsOutcome,
    TrustKind,
    TrustToken,
    TryOutcome,
)
from tui.vendors.yemot.assumptions import (
    A4_IDLE_MINUTES,
    A7_CODE_DIGITS,
    A7_RESEND_CAP_S,
    A7_RESEND_WINDOW_S,
    A7_TRIES_PER_CODE,
    A7_TRY_BLOCK_S,
    A7_TRY_BLOCK_WINDOW_S,
    A7_TRY_FAILS_TO_BLOCK,
    MFA_MAX_METHODS,
    MFA_MAX_TRUSTED_IPS,
    MFA_PHONE_COUNTRY_CODES,
    to_e164,
)

LOGIN_FAILURES_TO_LOCK = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=10)
# Forgotten sessions are dropped after this long, so a long-running demo does not grow.
SESSION_FORGET_AFTER = timedelta(days=1)
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
TOKEN_LENGTH = 40
FIRST_ADDED_METHOD_ID = 6599  # stable ids of methods the customer adds (the seed's example is 6598)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AuthBook:
    """Accounts and their sessions; every time comes from the world's clock."""

    def __init__(self, rng: random.Random, clock: Callable[[], datetime], accounts: list[Account]) -> None:
        self._rng = rng
        self._clock = clock
        self.accounts: dict[str, Account] = {a.system: a for a in accounts}
        self._sessions: dict[str, Session] = {}
        self.idle_timeout = timedelta(minutes=A4_IDLE_MINUTES)
        self.sent_codes: deque[SentCode] = deque(maxlen=50)
        self._next_method_id = FIRST_ADDED_METHOD_ID

    # -- login and tokens ------------------------------------------------------------------

    def login(self, system: str, password: str, client_ip: str, *, keep: bool = True) -> LoginOutcome:
        """Check credentials; on success open a session (kept in the token table if `keep`)."""
        now = self._clock()
        account = self.accounts.get(system)
        if account is None:
            return LoginOutcome(LoginStatus.BAD_CREDENTIALS)
        _drop_older(account.login_failures, now - LOGIN_FAILURE_WINDOW)
        if len(account.login_failures) >= LOGIN_FAILURES_TO_LOCK:
            return LoginOutcome(LoginStatus.LOCKED)
        if password != account.password.get_secret_value():
            account.login_failures.append(now)
            return LoginOutcome(LoginStatus.BAD_CREDENTIALS)
        session = self._open_session(account, client_ip, keep)
        return LoginOutcome(LoginStatus.OK, session)

    def _open_session(self, account: Account, client_ip: str, keep: bool) -> Session:
        now = self._clock()
        token = "".join(self._rng.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        session = Session(token, account.system, client_ip, now, now, kept=keep)
        reason = self._pass_reason(account, client_ip)
        if reason is not None:
            session.passed, session.pass_reason = True, reason
        if keep:
            self._forget_stale_sessions(now)
            self._sessions[token] = session
        return session

    def resolve(self, token: str) -> tuple[TokenStatus, Session | None]:
        """The session of a token; a live one is marked as used now."""
        session = self._sessions.get(token)
        if session is None:
            return TokenStatus.INVALID, None
        now = self._clock()
        if session.expired or now - session.last_used > self.idle_timeout:
            session.expired = True
            return TokenStatus.EXPIRED, session
        session.last_used = now
        return TokenStatus.OK, session

    def logout(self, token: str) -> bool:
        return self._sessions.pop(token, None) is not None

    def kill_sessions(self, system: str) -> int:
        """Forget every session of a system: their tokens become invalid."""
        doomed = [t for t, s in self._sessions.items() if s.system == system]
        for token in doomed:
            del self._sessions[token]
        return len(doomed)

    def expire_sessions(self, system: str) -> int:
        """Mark every session of a system as idle-expired."""
        sessions = [s for s in self._sessions.values() if s.system == system and not s.expired]
        for session in sessions:
            session.expired = True
        return len(sessions)

    def sessions_of(self, system: str) -> list[Session]:
        return [s for s in self._sessions.values() if s.system == system]

    def _forget_stale_sessions(self, now: datetime) -> None:
        stale = [t for t, s in self._sessions.items() if now - s.last_used > SESSION_FORGET_AFTER]
        for token in stale:
            del self._sessions[token]

    # -- passing two-factor verification ---------------------------------------------------

    def _pass_reason(self, account: Account, client_ip: str) -> PassReason | None:
        if client_ip in account.trusted_ips:
            return PassReason.TRUSTED_IP
        for trust in account.trust_tokens:
            if trust.kind is TrustKind.CUSTOMER_IP and trust.created_by == client_ip:
                trust.last_use = self._clock()
                return PassReason.TRUST_TOKEN
        return None

    def is_available(self, session: Session) -> bool:
        """Whether the session can be verified at all: the account has an active method."""
        return any(m.active for m in self._live_methods(self.accounts[session.system]))

    def try_pass(self, session: Session) -> TryOutcome:
        """Pass the session if a reason applies; repeated failures block `try` for the account."""
        account = self.accounts[session.system]
        now = self._clock()
        if account.try_blocked_until is not None and now < account.try_blocked_until:
            return TryOutcome(False, _seconds_until(now, account.try_blocked_until))
        reason = self._pass_reason(account, session.client_ip)
        if reason is not None:
            session.passed, session.pass_reason = True, reason
            return TryOutcome(True)
        _drop_older(account.try_failures, now - timedelta(seconds=A7_TRY_BLOCK_WINDOW_S))
        account.try_failures.append(now)
        if len(account.try_failures) >= A7_TRY_FAILS_TO_BLOCK:
            account.try_blocked_until = now + timedelta(seconds=A7_TRY_BLOCK_S)
            account.try_failures.clear()
        return TryOutcome(False)

    # -- methods and codes -----------------------------------------------------------------

    def _live_methods(self, account: Account) -> list[MfaMethod]:
        now = self._clock()
        return [m for m in account.methods if m.expires_at > now]

    def list_methods(self, session: Session) -> list[tuple[int, MfaMethod]]:
        """The account's unexpired methods under ids that are new on every call."""
        session.listing = {}
        for method in self._live_methods(self.accounts[session.system]):
            session.listing[session.next_listing_id] = method
            session.next_listing_id += 1
        return list(session.listing.items())

    def _method_for(self, session: Session, method_id: int) -> MfaMethod | None:
        if method_id in session.listing:
            return session.listing[method_id]
        account = self.accounts[session.system]
        return next((m for m in self._live_methods(account) if m.stable_id == method_id), None)

    def send_code(self, session: Session, method_id: int, channel: SendChannel) -> SendOutcome:
        """Send a new code (voiding the pending one), unless the account is throttled."""
        method = self._method_for(session, method_id)
        if method is None or not method.active:
            return SendOutcome(SendStatus.UNKNOWN_METHOD)
        if channel not in method.channels:
            return SendOutcome(SendStatus.BAD_CHANNEL)
        account = self.accounts[session.system]
        now = self._clock()
        wait_s = _early_send_wait(account, now)
        if wait_s is not None:
            return SendOutcome(SendStatus.THROTTLED, wait_s)
        code = self._new_code()
        session.pending = PendingCode(code, method, channel, now)
        self.sent_codes.append(SentCode(now, account.system, channel, method.value, code))
        return SendOutcome(SendStatus.SENT)

    def check_code(self, session: Session, code: str, remember: bool = False, note: str = "") -> CodeOutcome:
        """Verify the pending code; success is hard verification of this session."""
        pending = session.pending
        if pending is None:
            return CodeOutcome(CodeStatus.NO_CODE, 0, 0)
        if pending.tries >= A7_TRIES_PER_CODE:
            return CodeOutcome(CodeStatus.USED_UP, pending.tries, 0)
        pending.tries += 1
        left = A7_TRIES_PER_CODE - pending.tries
        if code.strip() != pending.code:
            return CodeOutcome(CodeStatus.WRONG, pending.tries, left)
        now = self._clock()
        session.pending = None
        session.passed, session.pass_reason, session.hard_verified = True, PassReason.VERIFIED, True
        pending.method.last_used = now
        if remember:
            self._remember_ip(self.accounts[session.system], session.client_ip, note, now)
        return CodeOutcome(CodeStatus.VALID, pending.tries, left)

    def _new_code(self) -> str:
        return f"{self._rng.randrange(10**A7_CODE_DIGITS):0{A7_CODE_DIGITS}d}"

    # -- managing methods, trust tokens and trusted IPs (hard-verified sessions only) ----------

    def add_method(
        self, session: Session, kind: MethodKind, value: str, note: str, expires_at: datetime
    ) -> AddMethodOutcome:
        """Add a pending method (phones of Israel, the USA and Canada only, at most 20 methods)."""
        account = self.accounts[session.system]
        if kind is MethodKind.PHONE:
            e164 = to_e164(value)
            if e164 is None:
                return AddMethodOutcome(AddMethodStatus.BAD_VALUE)
            if not any(_in_country(e164, code) for code in MFA_PHONE_COUNTRY_CODES):
                return AddMethodOutcome(AddMethodStatus.COUNTRY_REFUSED)
            value, channels = e164, (SendChannel.CALL, SendChannel.SMS)
        else:
            value = value.strip()
            if not EMAIL.match(value):
                return AddMethodOutcome(AddMethodStatus.BAD_VALUE)
            channels = (SendChannel.EMAIL,)
        live = self._live_methods(account)
        if any(m.value.lower() == value.lower() for m in live):
            return AddMethodOutcome(AddMethodStatus.EXISTS)
        if len(live) >= MFA_MAX_METHODS:
            return AddMethodOutcome(AddMethodStatus.TOO_MANY)
        method = MfaMethod(
            kind,
            value,
            MethodOrigin.CUSTOMER,
            channels,
            expires_at,
            stable_id=self._next_method_id,
            note=note,
            active=False,
        )
        self._next_method_id += 1
        account.methods.append(method)
        return AddMethodOutcome(AddMethodStatus.ADDED, method)

    def find_method(self, session: Session, method_id: str | int) -> MfaMethod | None:
        """A method by its stable id (MFA_METHOD_ID / methodId), else by the latest listing's ID."""
        try:
            wanted = int(str(method_id).strip())
        except ValueError:
            return None
        account = self.accounts[session.system]
        stable = next((m for m in self._live_methods(account) if m.stable_id == wanted), None)
        if stable is not None:
            return stable
        listed = session.listing.get(wanted)
        if listed is None or not any(m is listed for m in self._live_methods(account)):
            return None
        return listed

    def send_method_code(self, session: Session, method: MfaMethod, channel: SendChannel) -> SendOutcome:
        """(Re)send a code that verifies `method`; early resends wait like sendMFA's (A7)."""
        if channel not in method.channels:
            return SendOutcome(SendStatus.BAD_CHANNEL)
        now = self._clock()
        wait_s = _early_send_wait(method, now)
        if wait_s is not None:
            return SendOutcome(SendStatus.THROTTLED, wait_s)
        method.code = MethodCode(self._new_code(), now)
        self.sent_codes.append(SentCode(now, session.system, channel, method.value, method.code.code))
        return SendOutcome(SendStatus.SENT)

    def check_method_code(self, method: MfaMethod, code: str) -> CodeOutcome:
        """Verify a method's code: on success the method becomes ACTIVE."""
        pending = method.code
        if pending is None:
            return CodeOutcome(CodeStatus.NO_CODE, 0, 0)
        if pending.tries >= A7_TRIES_PER_CODE:
            return CodeOutcome(CodeStatus.USED_UP, pending.tries, 0)
        pending.tries += 1
        left = A7_TRIES_PER_CODE - pending.tries
        if code.strip() != pending.code:
            return CodeOutcome(CodeStatus.WRONG, pending.tries, left)
        method.code, method.active, method.last_used = None, True, self._clock()
        return CodeOutcome(CodeStatus.VALID, pending.tries, left)

    def delete_method(self, session: Session, method: MfaMethod) -> bool:
        """Delete a method the customer added; False for the profile's, a reseller's and the like."""
        if not method.deletable:
            return False
        account = self.accounts[session.system]
        account.methods = [m for m in account.methods if m is not method]
        for listing_id in [i for i, m in session.listing.items() if m is method]:
            del session.listing[listing_id]
        return True

    def delete_trust_token(self, system: str, token_id: str | int) -> bool:
        account = self.accounts[system]
        token = next((t for t in account.trust_tokens if str(t.token_id) == str(token_id).strip()), None)
        if token is None:
            return False
        account.trust_tokens.remove(token)
        return True

    def set_trusted_ips(self, system: str, entries: list[str]) -> TrustedIpsOutcome:
        """Replace the trusted IPs with the valid entries (IPv4/IPv6, at most 50)."""
        account = self.accounts[system]
        valid: list[str] = []
        invalid: list[str] = []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                address = str(ipaddress.ip_address(entry))
            except ValueError:
                invalid.append(entry)
                continue
            if address not in valid:
                valid.append(address)
        if len(valid) > MFA_MAX_TRUSTED_IPS:
            return TrustedIpsOutcome(tuple(valid), tuple(invalid), saved=False, too_many=True)
        saved = set(valid) != set(account.trusted_ips)
        if saved:
            account.trusted_ips = valid
        return TrustedIpsOutcome(tuple(account.trusted_ips), tuple(invalid), saved)

    def _remember_ip(self, account: Account, client_ip: str, note: str, now: datetime) -> None:
        for trust in account.trust_tokens:
            if trust.kind is TrustKind.CUSTOMER_IP and trust.created_by == client_ip:
                trust.updated_by, trust.updated_at, trust.note = client_ip, now, note or trust.note
                return
        token = TrustToken(account.next_trust_token_id, TrustKind.CUSTOMER_IP, client_ip, now, note)
        account.next_trust_token_id += 1
        account.trust_tokens.append(token)


def _early_send_wait(sender: Account | MfaMethod, now: datetime) -> int | None:
    """A7's resend throttle: None lets the send go out (and restarts the window); else the wait.

    A send within the window is refused with the seconds left in it; every further early send
    first doubles the window (cap 1 h), so the wait a refusal reports is always the real one.
    """
    if sender.last_send_at is not None and now < sender.last_send_at + timedelta(
        seconds=sender.send_window_s
    ):
        if sender.early_sends:
            sender.send_window_s = min(sender.send_window_s * 2, A7_RESEND_CAP_S)
        sender.early_sends += 1
        return _seconds_until(now, sender.last_send_at + timedelta(seconds=sender.send_window_s))
    sender.last_send_at, sender.send_window_s, sender.early_sends = now, A7_RESEND_WINDOW_S, 0
    return None


def _in_country(e164: str, country_code: str) -> bool:
    """+1 is the USA and Canada (10 digits after it); +972 is Israel."""
    if country_code == "1":
        return e164.startswith("+1") and len(e164) == 12
    return e164.startswith("+" + country_code)


def _drop_older(times: deque[datetime], cutoff: datetime) -> None:
    while times and times[0] < cutoff:
        times.popleft()


def _seconds_until(now: datetime, then: datetime) -> int:
    return max(1, math.ceil((then - now).total_seconds()))
