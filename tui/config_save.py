"""Writing the config file: whole (`save_config`), or just its theme line (`save_theme`).

Only saving needs tomli-w, so loading a config (`tui.config`) does not import it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, SecretStr

from tui import paths
from tui.config import Config, load_config
from tui.config_locate import KeyLocator, KeyPath


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write `config` as TOML with mode 0600 to `path` (default: the file it came from).

    Literal secrets are written back literally and `*_env` names kept; unset keys are left out,
    and so are keys still at their default that the file did not give. Comments are not kept.
    Returns the path written. Raises ValueError for an in-memory config given no path.
    """
    target = path if path is not None else config.source
    if target is None:
        raise ValueError("this config was not loaded from a file; give the path to save it to")
    paths.write_private(Path(target), tomli_w.dumps(_to_toml(config)))
    return Path(target)


def save_theme(path: Path, theme: str, profile: str | None = None) -> None:
    """Set the console-wide theme, or `profile`'s, in the config file at `path`, keeping the file as
    written: only its one `theme = ...` line is changed or added, so comments and layout stay.

    The edit is checked by parsing the result: it must differ from the file in that theme alone.
    Where the file's layout defeats it (e.g. dotted `profiles.x.theme` keys), the file is written
    whole by `save_config` instead (comments lost). Raises ConfigError when the file is not a valid
    config now, OSError when it cannot be written.
    """
    path = Path(path)
    config = load_config(path)  # the file as it is now: it may have been edited since it was read
    if profile is not None:
        config.profile(profile)  # an unknown profile is a ConfigError
    text = path.read_text("utf-8")
    wanted = tomllib.loads(text)
    table = wanted if profile is None else wanted["profiles"][profile]
    present = "theme" in table
    table["theme"] = theme
    edited = _with_theme_line(text, theme, profile, present)
    try:
        fits = edited is not None and tomllib.loads(edited) == wanted
    except tomllib.TOMLDecodeError:
        fits = False
    if fits:
        paths.write_private(path, edited)
        return
    if profile is None:
        config.theme = theme
    else:
        config.profiles[profile].theme = theme
    save_config(config, path)


_THEME_LINE = re.compile(r"""(\s*theme\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')""")
_TABLE_HEADER = re.compile(r"\s*\[")


def _with_theme_line(text: str, theme: str, profile: str | None, present: bool) -> str | None:
    """`text` with its theme line set (or added); None when the line is not where it is expected."""
    lines = text.splitlines(keepends=True)
    line = tomli_w.dumps({"theme": theme})  # 'theme = "..."' quoted as TOML wants
    key: KeyPath = ("theme",) if profile is None else ("profiles", profile, "theme")
    if present:
        number = KeyLocator(text).line_of(key)
        match = _THEME_LINE.match(lines[number - 1]) if number else None
        if match is None:
            return None
        old = lines[number - 1]
        lines[number - 1] = match.group(1) + line.split("=", 1)[1].strip() + old[match.end() :]
        return "".join(lines)
    if profile is None:  # a top-level key goes before the first table
        at = next((i for i, text_line in enumerate(lines) if _TABLE_HEADER.match(text_line)), len(lines))
    else:  # right under the profile's [profiles.NAME] header
        number = KeyLocator(text).line_of(("profiles", profile))
        if number is None or not _TABLE_HEADER.match(lines[number - 1]):
            return None
        at = number
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(at, line)
    return "".join(lines)


def _to_toml(model: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if name not in model.model_fields_set and value == field.get_default(call_default_factory=True):
            continue
        out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _to_toml(value)
    if isinstance(value, SecretStr):
        return value.get_secret_value()  # the moment of writing the file is the moment of use
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # refresh intervals stay "2", not "2.0"
    return value
