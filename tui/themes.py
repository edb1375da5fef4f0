"""Themes are data: one TOML file a theme, from the project's themes/ and the user's config dir."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from textual.theme import Theme

from tui import paths

log = logging.getLogger("callboard.themes")

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "themes"
THEME_KEYS = {
    "name", "dark", "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "success", "warning", "error", "boost", "luminosity_spread", "text_alpha", "variables",
}  # fmt: skip


def theme_dirs() -> list[Path]:
    return [BUILTIN_DIR, paths.user_themes_dir()]


def load_theme(path: Path) -> Theme:
    data = tomllib.loads(path.read_text("utf-8"))
    unknown = set(data) - THEME_KEYS
    if unknown:
        raise ValueError(f"{path}: unknown theme keys: {', '.join(sorted(unknown))}")
    data.setdefault("name", path.stem)
    return Theme(**data)


def load_themes() -> dict[str, Theme]:
    """Every readable theme; a broken user theme is logged and skipped, never fatal."""
    themes: dict[str, Theme] = {}
    for directory in theme_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme(path)
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as error:
                log.warning("theme %s skipped: %s", path, error)
                continue
            themes[theme.name] = theme
    return themes
