"""What `callboard config check` prints about a config: its settings and profiles, every secret
masked (a `*_env` secret shows its variable's name and whether it is set, never its value)."""

from __future__ import annotations

import os

from tui.config import SECRET_NAMES, Config, ProfileConfig
from tui.config_locate import dotted, format_number

MASK = "••••••"


def describe_config(config: Config) -> str:
    """What `callboard config check` prints: settings and profiles, every secret masked."""
    source = str(config.source) if config.source else f"{config.label} (in memory)"
    refresh = ", ".join(f"{name} {format_number(value)}" for name, value in config.refresh)
    lines = [
        f"config: {source}",
        f"default profile: {config.default_profile or '(none)'}",
        f"theme: {config.theme}",
        f"bidi: {config.bidi}",
        f"read-only: {'yes' if config.read_only else 'no'}",
        f"refresh (seconds): {refresh}",
    ]
    if config.keys:
        lines.append("keys: " + ", ".join(f"{binding} = {key}" for binding, key in config.keys.items()))
    lines.append(f"profiles: {len(config.profiles) or 'none'}")
    for name, profile in config.profiles.items():
        lines.append("")
        lines.append(
            f"[{dotted(('profiles', name))}]" + ("  (default)" if name == config.default_profile else "")
        )
        lines.extend(f"  {key}: {value}" for key, value in _describe_profile(profile))
    return "\n".join(lines)


def _describe_profile(profile: ProfileConfig) -> list[tuple[str, str]]:
    rows = [("vendor", profile.vendor), ("base_url", profile.base_url)]
    if profile.username is not None:
        rows.append(("username", profile.username))
    for name in SECRET_NAMES:
        variable = getattr(profile, f"{name}_env")
        if getattr(profile, name) is not None:
            rows.append((name, MASK))
        elif variable is not None:
            state = "set" if os.environ.get(variable) else "NOT SET"
            rows.append((name, f"env:{variable} ({state})"))
    if profile.queues:
        rows.append(("queues", ", ".join(profile.queues)))
    for key in ("push_listen", "extension", "theme"):
        if getattr(profile, key) is not None:
            rows.append((key, str(getattr(profile, key))))
    rows.append(("timeout", f"{format_number(profile.timeout)} s"))
    rows.append(("verify_tls", "yes" if profile.verify_tls else "NO (certificates not checked)"))
    rows.append(("read-only", "yes" if profile.read_only else "no"))
    return rows
