"""Turn a config into open profile sessions (vendor + feeds + actions). No UI code."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tui.config import Config, ConfigError
from tui.paths import audit_log_path
from tui.service.audit import AuditLog
from tui.service.session import ProfileSession
from tui.vendors.registry import VendorNotBuilt, make_vendor


def build_sessions(
    config: Config,
    *,
    read_only: bool = False,
    transport_for: Callable[[str], httpx.AsyncBaseTransport | None] | None = None,
    audit: AuditLog | None = None,
) -> tuple[dict[str, ProfileSession], dict[str, str]]:
    """Sessions for every profile that can be opened, and why the others cannot."""
    audit = audit or AuditLog(audit_log_path())
    intervals = config.refresh.model_dump()
    sessions: dict[str, ProfileSession] = {}
    broken: dict[str, str] = {}
    for name, profile in config.profiles.items():
        try:
            vendor = make_vendor(profile, transport=transport_for(name) if transport_for else None)
        except (ConfigError, VendorNotBuilt) as error:
            broken[name] = str(error)
            continue
        sessions[name] = ProfileSession(
            name,
            vendor,
            intervals=intervals,
            audit=audit,
            read_only=read_only or config.read_only or profile.read_only,
            push_listen=profile.push_listen,
            push_silence_s=profile.push_silence,
        )
    return sessions, broken
