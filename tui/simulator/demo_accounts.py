"""Where the simulator's facades live and the demo's logins: what a console needs to reach it.

Light on purpose (no Starlette, no world): `callboard demo` builds its profiles from these while
the simulator is still starting in its own process.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.simulator.world_auth import DEMO_ACCOUNTS

# Where each vendor's facade lives; a client's base URL is the server address + this + "/".
VENDOR_MOUNTS: dict[str, str] = {"yemot": "/yemot/ym/api", "coocenter": "/coocenter/coocenter-api"}
# The demo's WEBKEYs (public by design), so the Authorization path is exercised; {} turns it off.
DEMO_WEBKEYS: dict[str, str] = {"coocenter": "demo-webkey"}
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
