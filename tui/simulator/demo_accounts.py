"""Where the simulator's facades live and the demo's logins: what a console needs to reach it.

Light on purpose (no Starlette, no world): `callboard demo` builds its profiles from these while
the simulator is still starting in its own process.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo account the world is seeded with (credentials are public by design)."""

    system: str
    password: str
    trusted_ips: tuple[str, ...]
    sip_enabled: bool
    note: str


LOOPBACK_IPS = ("127.0.0.1", "::1")

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("0773137770", "demo-1234", LOOPBACK_IPS, True, "passes MFA: 127.0.0.1 is a trusted IP"),
    DemoAccount("0773137771", "demo-mfa", (), True, "needs MFA: no trusted IP, verify a code"),
    DemoAccount("0773137772", "demo-nosip", LOOPBACK_IPS, False, "passes MFA; its server has no SIP"),
)


# Where each vendor's facade lives; a client's base URL is the server address + this + "/".
VENDOR_MOUNTS: dict[str, str] = {"yemot": "/yemot/ym/api", "coocenter": "/coocenter/coocenter-api"}
# The demo's WEBKEYs (public by design), so the Authorization path is exercised; {} turns it off.
DEMO_WEBKEYS: dict[str, str] = {"coocenter": "demo-webkey"}
# The simulated coocenter PBX's MAC address, which its pushes carry (the seed's api.conf example).
DEMO_MAC = "68:69:2e:03:8b:3e"
# The simulated coocenter PBX's own time zone (its dates and WEBKEY day are local to it).
DEFAULT_PBX_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class DemoCredential:
    """A demo login printed for the user (demo credentials are public by design)."""

    vendor: str
    username: str
    password: str
    note: str


COOCENTER_WEBKEY_NOTE = "WEBKEY: Authorization = md5(WEBKEY + the PBX's date YYYY-MM-DD)"

# A coocenter PBX has no user: its credential is the WEBKEY, given as `password`.
DEMO_CREDENTIALS: tuple[DemoCredential, ...] = (
    *(DemoCredential("yemot", account.system, account.password, account.note) for account in DEMO_ACCOUNTS),
    DemoCredential("coocenter", "", DEMO_WEBKEYS["coocenter"], COOCENTER_WEBKEY_NOTE),
)


def server_url(host: str, port: int, path: str = "/") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def vendor_base_url(host: str, port: int, vendor: str) -> str:
    """E.g. `http://127.0.0.1:PORT/yemot/ym/api/`."""
    if vendor not in VENDOR_MOUNTS:
        raise ValueError(f"the simulator has no {vendor!r} facade (it has: {', '.join(VENDOR_MOUNTS)})")
    return server_url(host, port, VENDOR_MOUNTS[vendor] + "/")
