"""Where Callboard keeps its files, and how it writes the private ones.

Every function reads the environment when called (not at import), so tests and `--config` can move
things around with environment variables.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import platformdirs

APP_NAME = "callboard"
CONFIG_ENV = "CALLBOARD_CONFIG"


def config_dir() -> Path:
    """The user's config directory (honours XDG_CONFIG_HOME on Linux)."""
    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """The user's data directory (honours XDG_DATA_HOME on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_config_path() -> Path:
    """`$CALLBOARD_CONFIG` if set and non-empty, else `config.toml` in the config directory."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return config_dir() / "config.toml"


def audit_log_path() -> Path:
    """The JSON-lines audit log of actions (SPEC §7)."""
    return data_dir() / "audit.jsonl"


def user_themes_dir() -> Path:
    """Where the user's own theme files live."""
    return config_dir() / "themes"


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` and any missing parents with mode 0700; existing ones are left alone."""
    missing: list[Path] = []
    current = Path(directory)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def write_private(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically, readable by the owner only (mode 0600).

    The data goes to a temporary file in the same directory, created 0600 from its first moment,
    which then replaces `path` in one step: a crash leaves the old file or the new one, never half
    of one. A symlinked `path` is followed, so a config kept in a dotfiles repo stays a link.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    ensure_private_dir(target.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o600)  # the umask may have taken bits away; want exactly 0600
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows opening a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
