"""What every vendor client does the same way with httpx: one keep-alive client per profile, with
explicit timeouts and no redirects, and one wording for transport failures (never with a body)."""

from __future__ import annotations

import functools
import ssl
from collections.abc import Awaitable, Callable

import certifi
import httpx

from tui import __version__
from tui.vendors.base import TransportError

# One kept-alive connection per profile (SPEC §9): a profile's requests take turns on it, so a
# refresh costs no TCP or TLS handshake and the vendor sees one client, not a burst of sockets.
CONNECTIONS_PER_PROFILE = 1


@functools.cache
def _verified_tls() -> ssl.SSLContext:
    """The CA bundle is read once for every profile (~80 ms each on this machine otherwise)."""
    return ssl.create_default_context(cafile=certifi.where())


def _tls(base_url: str, verify_tls: bool) -> ssl.SSLContext | bool:
    if not verify_tls:
        return False
    # Plain-HTTP vendors (a PBX on the LAN, the simulator) never use TLS: no CA bundle to load.
    return _verified_tls() if base_url.lower().startswith("https:") else False


_start_gate: Callable[[], Awaitable[None]] | None = None


def hold_requests_until(gate: Callable[[], Awaitable[None]] | None) -> None:
    """Every request of clients made from now on first awaits `gate` (None: no gate).

    `callboard demo` starts its simulator in a process of its own, alongside the console: the
    console draws at once and its first requests wait here for the simulator to serve, instead of
    failing and backing off.
    """
    global _start_gate
    _start_gate = gate


def _gated() -> dict[str, list]:
    gate = _start_gate
    if gate is None:
        return {}
    opened = False

    async def wait_for_gate(_request: httpx.Request) -> None:
        nonlocal opened
        if not opened:
            await gate()
            opened = True

    return {"event_hooks": {"request": [wait_for_gate]}}


def new_http_client(
    *,
    base_url: str,
    timeout: float,
    verify_tls: bool,
    transport: httpx.AsyncBaseTransport | None,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        # Waiting for the connection (`pool`) is part of a request's time; the vendor's own answer
        # time is still bounded by `timeout` once the request is on the wire.
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout), pool=2 * timeout),
        limits=httpx.Limits(
            max_connections=CONNECTIONS_PER_PROFILE,
            max_keepalive_connections=CONNECTIONS_PER_PROFILE,
            keepalive_expiry=60.0,
        ),
        verify=_tls(base_url, verify_tls),
        headers={"User-Agent": f"callboard/{__version__}", "Accept": "application/json"},
        follow_redirects=False,  # a redirected POST would silently turn into a GET
        transport=transport,
        **_gated(),
    )


def transport_failure(error: httpx.HTTPError, what: str, url: str, timeout: float) -> TransportError:
    """A request that got no answer, said safely (no request body, no chained httpx error)."""
    if isinstance(error, httpx.TimeoutException):
        return TransportError(f"{what}: no answer within {timeout:g} s")
    if isinstance(error, httpx.ConnectError):
        return TransportError(f"{what}: cannot connect to {httpx.URL(url).host}")
    return TransportError(f"{what}: connection failed ({type(error).__name__})")


DEFAULT_RETRY_AFTER_S = 5.0


def retry_after_seconds(response: httpx.Response, default: float = DEFAULT_RETRY_AFTER_S) -> float:
    """An HTTP 429's Retry-After in seconds (the date form and garbage give the default)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return default
