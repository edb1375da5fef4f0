"""Themes are data: one TOML file a theme, from the project's themes/ and the user's config dir."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from textual.theme import BUILTIN_THEMES, Theme

from tui import paths
from tui.config import Config, ConfigProblem
from tui.config_locate import did_you_mean

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


def load_themes(skipped: dict[str, str] | None = None) -> dict[str, Theme]:
    """Every readable theme; a broken user theme is logged and skipped, never fatal.

    With `skipped`, each skipped file's name (its stem) is put there with the reason.
    """
    themes: dict[str, Theme] = {}
    for directory in theme_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme(path)
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as error:
                log.warning("theme %s skipped: %s", path, error)
                if skipped is not None:
                    reason = str(error).removeprefix(f"{path}: ")
                    skipped[path.stem] = f"theme file {path} could not be used: {reason}"
                continue
            themes[theme.name] = theme
    return themes


def theme_names() -> list[str]:
    """Every theme the console can show: ours, the user's and Textual's own."""
    return sorted(set(load_themes()) | set(BUILTIN_THEMES))


def theme_problems(config: Config) -> list[ConfigProblem]:
    """Every theme the config names that the console does not have, at its line in the file."""
    skipped: dict[str, str] = {}
    known = sorted(set(load_themes(skipped)) | set(BUILTIN_THEMES))
    wanted: list[tuple[tuple[str, ...], str]] = [(("theme",), config.theme)]
    wanted += [(("profiles", n, "theme"), p.theme) for n, p in config.profiles.items() if p.theme]
    problems = []
    for place, name in wanted:
        if name in known:
            continue
        if name in skipped:
            problems.append(config.problem(place, skipped[name]))
            continue
        problems.append(config.problem(place, unknown_theme(name, known)))
    return problems


def unknown_theme(name: str, known: list[str]) -> str:
    """The sentence for a theme name nobody has: the closest one, ours, and where to add one."""
    ours = ", ".join(n for n in known if n.startswith("callboard-"))
    where = paths.user_themes_dir()
    return f"unknown theme '{name}'{did_you_mean(name, known)}; ours: {ours}; add your own in {where}"
