"""What every vendor client does the same way with httpx: one keep-alive client per profile, with
explicit timeouts and no redirects, and one wording for transport failures (never with a body)."""

from __future__ import annotations

import httpx

from tui import __version__
from tui.vendors.base import TransportError


def new_http_client(
    *,
    timeout: float,
    verify_tls: bool,
    transport: httpx.AsyncBaseTransport | None,
    max_connections: int,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=60.0,
        ),
        verify=verify_tls,
        headers={"User-Agent": f"callboard/{__version__}", "Accept": "application/json"},
        follow_redirects=False,  # a redirected POST would silently turn into a GET
        transport=transport,
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
