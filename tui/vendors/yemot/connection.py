"""The connection to Yemot's API: transport, envelope, session and typed errors.

Every call is POST JSON to `base_url + Command` with `token` in the body, never in the URL, and
booleans sent as 0/1 (A10); SipExtensionManagement alone is POSTed form-encoded, token still in
the body (A11: its JSON form was refused in client code). Failures become the typed errors of
`tui.vendors.base`. A dead token (A4) is renewed once, shared by every concurrent caller, when we
hold a username and password.

Secrets never enter a message, a repr or a log line: they are kept as SecretStr and unwrapped only
inside the expression that builds the request body, so no frame holds them as a plain local;
decoded replies are `WireReply`s whose repr masks secret keys; and errors are raised outside
`except` blocks so no chained httpx exception (which holds the request body) travels with them.
A traceback that prints locals therefore shows no secret.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from tui.vendors.base import (
    BadCredentials,
    MfaRequired,
    NotSupported,
    Throttled,
    TransportError,
    UnreadableReply,
    VendorError,
    VendorRejected,
)
from tui.vendors.http import new_http_client, retry_after_seconds, transport_failure
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.wire import (
    MASK,
    SECRET_KEYS,
    SIP_OFF_MESSAGE,
    Envelope,
    GetSessionReply,
    LoginReply,
    MfaStatusReply,
)

log = logging.getLogger("callboard.vendor.yemot")

M = TypeVar("M", bound=BaseModel)

MAX_PARALLEL_REQUESTS = 4  # 2.8: 25 simultaneous requests get an account throttled
_SNIPPET_CHARS = 80
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _masked(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: MASK if str(k).lower() in SECRET_KEYS else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


class WireReply(dict[str, Any]):
    """A decoded reply. Its repr masks secret-bearing keys (a Login reply holds the new token),
    so a traceback that prints locals cannot show them."""

    def __repr__(self) -> str:
        return repr(_masked(dict(self)))


class _SessionDead(Exception):
    """Internal: the token was expired or invalid (A4). Never leaves this module."""

    def __init__(self, generation: int) -> None:
        super().__init__("session token expired or invalid")
        self.generation = generation


def _as_secret(value: SecretStr | str | None) -> SecretStr | None:
    """Wrap a plain string; an empty secret counts as absent."""
    secret = SecretStr(value) if isinstance(value, str) else value
    return secret if secret is not None and secret.get_secret_value() else None


def _wire_value(value: Any) -> Any:
    """Booleans go out as 0/1 (A10), also inside lists and maps."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Mapping):
        return {key: _wire_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_wire_value(item) for item in value]
    return value


def _form_value(value: Any) -> str:
    """One form field: booleans as 0/1 (A10), numbers as digits; no lists (arrays need JSON, 1.0)."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Mapping | list | tuple):
        raise TypeError("arrays and maps cannot be form-encoded; send JSON")
    return str(value)


class YemotConnection:
    """One profile's connection to Yemot: one keep-alive httpx.AsyncClient, at most 4 requests at once.

    Give `username` and `password` (a session is opened lazily and renewed once when it dies), or a
    ready `token` (used as is; when it dies the call fails with BadCredentials), or both.
    The API families (the `api_*` modules) build on it; `YemotClient` combines them.
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: SecretStr | str | None = None,
        token: SecretStr | str | None = None,
        timeout: float = 10.0,
        verify_tls: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._password = _as_secret(password)
        self._token = _as_secret(token)
        if bool(username) != (self._password is not None):
            raise ValueError("Yemot needs both a username and a password, or neither")
        if not username and self._token is None:
            raise ValueError("Yemot needs a username and password, or a token")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.username = username or None
        self._timeout = timeout
        self._own_login = False  # True while our token came from our own Login (logout kills it)
        # A refused Login is not retried automatically: repeated bad logins lock the account (2.8).
        self._login_refusal: BadCredentials | None = None
        self._generation = 0  # counts sessions, so concurrent renewals collapse into one
        self._started: MfaStatusReply | None = None  # the MFA status the last session started with
        self._session_lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(MAX_PARALLEL_REQUESTS)
        self._http = new_http_client(
            base_url=self.base_url, timeout=timeout, verify_tls=verify_tls, transport=transport
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, username={self.username!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def can_relogin(self) -> bool:
        return self._password is not None

    @property
    def has_session(self) -> bool:
        return self._token is not None

    # -- session -------------------------------------------------------------------------------

    async def login(self) -> None:
        """Login with the stored username and password; the new token replaces the old one."""
        async with self._session_lock:
            await self._login_locked(explicit=True)

    async def start_session(self) -> MfaStatusReply:
        """Log in (when we hold credentials), then isPass and, if not passed, `try` once (A4).

        Returns the final MFA status; a session that has not passed is not an error here. A session
        that another call started while this one waited (a refresh that came first) is the one
        asked for: it is used as it is, not thrown away by a second Login.
        """
        generation = self._generation
        async with self._session_lock:
            if self._generation != generation and self._token is not None and self._started is not None:
                return self._started
            return await self._start_session_locked(explicit=True)

    async def logout(self) -> None:
        """Log out a token we obtained ourselves (A5); failures are ignored. A given token is kept."""
        async with self._session_lock:
            if self._token is None or not self._own_login:
                return
            try:
                await self._send_with_token("Logout", {})
            except (VendorError, _SessionDead):
                log.debug("Logout failed; ignored")
            self._token = None
            self._own_login = False

    async def _login_locked(self, *, explicit: bool) -> None:
        """Login; an automatic (not `explicit`) login after a refused one fails without a request."""
        if self._password is None or not self.username:
            raise BadCredentials("no username and password to log in with")
        if self._login_refusal is not None and not explicit:
            raise BadCredentials(self._login_refusal.message)
        login_params = {"username": self.username}
        try:
            reply = self._parse(
                "Login",
                LoginReply,
                await self._post("Login", login_params, secrets={"password": self._password}),
            )
        except BadCredentials as refused:
            self._login_refusal = refused
            raise
        self._login_refusal = None
        if reply.token is None or not reply.token.get_secret_value():
            raise UnreadableReply("Login: the reply has no token")
        self._token = reply.token
        self._own_login = True
        self._generation += 1

    async def _start_session_locked(self, *, explicit: bool) -> MfaStatusReply:
        self._started = None
        self._started = status = await self._log_in_and_check_mfa(explicit=explicit)
        return status

    async def _log_in_and_check_mfa(self, *, explicit: bool) -> MfaStatusReply:
        if self.can_relogin:
            await self._login_locked(explicit=explicit)
        try:
            status = await self._mfa_locked("isPass")
            if status.isPass:
                return status
            try:
                return await self._mfa_locked("try")
            except (Throttled, VendorRejected):
                # A blocked or refused `try` leaves the session not passed: the MFA flow takes over.
                log.debug("MFASession try refused; session stays not passed")
                return status
        except _SessionDead:
            pass
        if not self.can_relogin:
            raise BadCredentials("token expired or invalid")
        raise VendorRejected("the session expired right after logging in")

    async def _mfa_locked(self, action: str) -> MfaStatusReply:
        data = await self._send_with_token("MFASession", {"action": action})
        return self._parse("MFASession", MfaStatusReply, data)

    async def _ensure_session(self) -> None:
        if self._token is not None:
            return
        async with self._session_lock:
            if self._token is None:
                await self._start_session_locked(explicit=False)

    async def _renew_session(self, dead_generation: int) -> None:
        async with self._session_lock:
            if self._generation != dead_generation and self._token is not None:
                return  # another caller already renewed it
            await self._start_session_locked(explicit=False)

    # -- the generic call -------------------------------------------------------------------

    async def call(
        self, command: str, params: Mapping[str, Any] | None = None, *, form: bool = False
    ) -> dict[str, Any]:
        """POST `command` with `params` and our token; return the OK reply as a dict.

        The body is JSON (A10) unless `form` asks for a form-encoded body, which only
        SipExtensionManagement uses (A11). Raises TransportError, UnreadableReply, MfaRequired,
        BadCredentials, Throttled, NotSupported or VendorRejected.
        """
        await self._ensure_session()
        try:
            return await self._send_with_token(command, params or {}, form=form)
        except _SessionDead as dead:
            dead_generation = dead.generation
        if not self.can_relogin:
            raise BadCredentials("token expired or invalid")
        log.debug("%s: session dead, logging in again", command)
        await self._renew_session(dead_generation)
        try:
            return await self._send_with_token(command, params or {}, form=form)
        except _SessionDead:
            pass
        raise VendorRejected(f"{command}: the session expired again right after logging in")

    async def _send_with_token(
        self, command: str, params: Mapping[str, Any], *, form: bool = False
    ) -> dict[str, Any]:
        token, generation = self._token, self._generation
        if token is None:
            raise _SessionDead(generation)
        return await self._post(command, params, secrets={"token": token}, generation=generation, form=form)

    async def _post(
        self,
        command: str,
        params: Mapping[str, Any],
        *,
        secrets: Mapping[str, SecretStr],
        generation: int | None = None,
        form: bool = False,
    ) -> dict[str, Any]:
        """One request. Raises the typed errors, or _SessionDead for A4's two replies.

        The secrets join the body (JSON, or a form for A11) inside the call expression only.
        """
        url = self.base_url + command
        started = time.monotonic()
        failure: VendorError | None = None
        response: httpx.Response | None = None
        plain = {k: _form_value(v) for k, v in params.items() if v is not None} if form else None
        async with self._slots:
            try:
                if plain is not None:
                    response = await self._http.post(
                        url, data={**plain, **{name: s.get_secret_value() for name, s in secrets.items()}}
                    )
                else:
                    response = await self._http.post(
                        url,
                        json={
                            **_wire_value(params),
                            **{name: secret.get_secret_value() for name, secret in secrets.items()},
                        },
                    )
            except httpx.HTTPError as exc:  # refused, timed out, reset, TLS, protocol
                failure = transport_failure(exc, command, url, self._timeout)
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None or response is None:
            log.debug("%s failed after %.0f ms", command, elapsed_ms)
            raise failure or TransportError(f"{command}: no answer")
        log.debug("%s HTTP %d in %.0f ms", command, response.status_code, elapsed_ms)
        return self._read(command, response, generation)

    # -- reading replies ---------------------------------------------------------------------

    def _read(self, command: str, response: httpx.Response, generation: int | None) -> dict[str, Any]:
        status = response.status_code
        if status >= 500:
            raise TransportError(f"{command}: HTTP {status} from the server")
        if 300 <= status < 400:
            raise VendorRejected(f"{command}: HTTP {status} redirect; check base_url")
        if status == 429:  # not documented for Yemot, but a proxy in front may say it
            raise Throttled(f"{command}: too many requests (HTTP 429)", retry_after_seconds(response))
        if status < 400:
            data = self._decode(command, response)
        else:
            maybe = self._try_decode(response)
            if maybe is None:
                raise VendorRejected(f"{command}: HTTP {status}")
            data = maybe  # a 4xx carrying Yemot's envelope is read like any reply
        envelope = self._parse(command, Envelope, data)
        if envelope.responseStatus is None:
            raise UnreadableReply(f"{command}: the reply has no responseStatus")
        if not envelope.ok:
            self._raise_for_envelope(command, envelope, generation)
        if status >= 400:
            raise VendorRejected(f"{command}: HTTP {status}")
        return data

    def _decode(self, command: str, response: httpx.Response) -> dict[str, Any]:
        try:
            data = json.loads(response.content)
        except ValueError:
            problem = self._describe_unparsable(response)
        else:
            problem = None if isinstance(data, dict) else f"JSON {type(data).__name__} instead of an object"
        if problem is not None:
            raise UnreadableReply(f"{command}: {problem}")
        return WireReply(data)

    @staticmethod
    def _try_decode(response: httpx.Response) -> dict[str, Any] | None:
        try:
            data = json.loads(response.content)
        except ValueError:
            return None
        return WireReply(data) if isinstance(data, dict) else None

    def _describe_unparsable(self, response: httpx.Response) -> str:
        body = response.content.lstrip()
        if not body:
            return "empty reply"
        content_type = response.headers.get("content-type", "")
        if body[:1] == b"<" or "html" in content_type.lower():
            match = _TITLE_RE.search(response.content.decode("utf-8", "replace"))
            title = self._safe_snippet(match.group(1)) if match else ""
            return f"HTML page instead of JSON{f' ({title})' if title else ''}"
        if body[:1] in (b"{", b"["):
            return "truncated or malformed JSON"
        return "reply is not JSON"

    def _parse(self, command: str, model: type[M], data: dict[str, Any]) -> M:
        problem = ""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            # Only the location and kind of the first problem: pydantic's text includes the input.
            first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
            place = ".".join(str(part) for part in first["loc"]) or "reply"
            problem = (
                f"{command}: unexpected reply ({exc.error_count()} problem(s); {place}: {first['type']})"
            )
        raise UnreadableReply(problem)

    def _raise_for_envelope(self, command: str, envelope: Envelope, generation: int | None) -> None:
        """Map a non-OK reply to its typed error; `generation` is None when no token was sent."""
        status = envelope.responseStatus or ""
        text = envelope.text or ""
        if generation is not None and A.a4_is_token_dead(status, text):
            raise _SessionDead(generation)
        if A.a3_is_mfa_required(text):
            raise MfaRequired("the session has not passed two-factor verification (MFA_REQUIRED)")
        wait = A.a7_wait_seconds(text)
        shown = self._safe_text(text) or f"{command} failed ({self._safe_text(status)})"
        if wait is not None:
            raise Throttled(shown, wait_seconds=float(wait))
        if text.strip() == SIP_OFF_MESSAGE:
            raise NotSupported(f"This Yemot server does not support SIP accounts (“{shown}”).")
        pair = (status.lower(), text.strip().lower())
        login_failures = {(s.lower(), m.lower()) for s, m in (A.LOGIN_BAD_CREDENTIALS, A.LOGIN_LOCKED)}
        if pair in login_failures or (command == "Login" and status.lower() == "forbidden"):
            raise BadCredentials(shown)
        raise VendorRejected(shown)

    # -- secrets scrubbing --------------------------------------------------------------------

    def _secret_values(self) -> list[str]:
        return [s.get_secret_value() for s in (self._password, self._token) if s is not None]

    def _safe_text(self, text: str) -> str:
        """Vendor text shown verbatim, except any of our secrets it echoes."""
        for secret in self._secret_values():
            if secret:
                text = text.replace(secret, "***")
        return text

    def _safe_snippet(self, text: str) -> str:
        snippet = " ".join(text.split())[:_SNIPPET_CHARS]
        return self._safe_text(snippet)

    # -- typed calls (the API families in the api_* modules build on these) -------------------

    async def _call_as(self, model: type[M], command: str, params: Mapping[str, Any] | None = None) -> M:
        return self._parse(command, model, await self.call(command, params))

    async def get_session(self) -> GetSessionReply:
        return await self._call_as(GetSessionReply, "GetSession")

    async def aclose(self) -> None:
        await self._http.aclose()
