"""The config file (SPEC §4): pydantic models, loaded with tomllib.

Validation is strict (TOML has types; `timeout = "10"` is a mistake, not a number) and every
problem is reported at once with file, line and dotted key (SPEC §3). Secrets stay `SecretStr`
from the moment they are read; no message, repr or description ever contains one. A `<name>_env`
secret is read from the environment only when its profile is opened (`ProfileConfig.secret`), so
one profile with an unset variable never stops the others from loading.

Saving is in `tui.config_save` (it alone needs tomli-w), `callboard config check`'s description in
`tui.config_describe`, and where a problem is in the file and how it is worded in `tui.config_locate`.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tui.config_locate import (
    KeyLocator,
    KeyPath,
    describe_error,
    did_you_mean,
    dotted,
    toml_syntax_problem,
)

SecretName = Literal["password", "token", "api_key", "webkey"]
SECRET_NAMES: tuple[str, ...] = get_args(SecretName)
VendorName = Literal["yemot", "simotel", "coocenter", "mango"]

NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")
# Each field's docstring documents it for readers of this file (tests check there is one); pydantic's
# `use_attribute_docstrings` would re-read and parse this module's source at every start to copy them.
_MODEL_CONFIG = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


# -- errors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a config: where it is and what is wrong. Never holds a secret."""

    file: str
    line: int | None
    key: str  # dotted, e.g. "profiles.office.pasword"; "" when the problem is not about one key
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return ": ".join(part for part in (place, self.key, self.message) if part)


class ConfigError(Exception):
    """The config cannot be used. `str()` has one line per problem, in file order."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


class _KeyedError(ValueError):
    """A model-level check that knows which key (relative to the model) it is about."""

    def __init__(self, key: KeyPath, message: str) -> None:
        super().__init__(message)
        self.key = key


def _unknown_profile(name: str, names: list[str]) -> str:
    if not names:
        return f"unknown profile '{name}'; there are no profiles (add a [profiles.NAME] table)"
    return f"unknown profile '{name}'{did_you_mean(name, names)}; profiles: {', '.join(names)}"


# -- models ------------------------------------------------------------------------------------


class RefreshConfig(BaseModel):
    """How often each screen refreshes its data while it is open, in seconds."""

    model_config = _MODEL_CONFIG

    queues: float = Field(2.0, gt=0, le=3600)
    """Queues screen: queue figures, agents and waiting callers."""
    sip: float = Field(10.0, gt=0, le=3600)
    """SIP screen: accounts and their registrations."""
    campaigns: float = Field(5.0, gt=0, le=3600)
    """Campaigns screen: launched and vendor-listed campaigns."""
    sms: float = Field(5.0, gt=0, le=3600)
    """SMS screen: the incoming-message inbox."""
    calls: float = Field(2.0, gt=0, le=3600)
    """Calls screen: live calls."""


class ProfileConfig(BaseModel):
    """One phone system to connect to. Each secret is given literally or as `<name>_env`."""

    model_config = _MODEL_CONFIG

    vendor: VendorName
    """Which dialect the phone system speaks: yemot, simotel, coocenter or mango."""
    base_url: str
    """Root URL of the vendor's API (http or https); a missing trailing "/" is added."""
    username: NonEmptyStr | None = None
    """Login name (for Yemot, the system number)."""
    password: SecretStr | None = None
    """Password, written literally in this file (prefer `password_env`)."""
    token: SecretStr | None = None
    """A ready API token, instead of username and password."""
    api_key: SecretStr | None = None
    """API key (Simotel's X-APIKEY)."""
    webkey: SecretStr | None = None
    """coocenter's WEBKEY; absent means no Authorization header."""
    password_env: str | None = None
    """Name of the environment variable holding the password (read when the profile opens)."""
    token_env: str | None = None
    """Name of the environment variable holding the token."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key."""
    webkey_env: str | None = None
    """Name of the environment variable holding the WEBKEY."""
    queues: list[NonEmptyStr] = []
    """Queues to watch (for Yemot, queue paths such as "/1" or "/2/5"); empty means all."""
    push_listen: str | None = None
    """host:port where this machine listens for the vendor's push events, e.g. 127.0.0.1:8090."""
    extension: NonEmptyStr | None = None
    """The operator's own extension (used e.g. by Mango for callbacks and transfers)."""
    read_only: bool = False
    """Never offer or run an action that changes anything on this phone system."""
    theme: NonEmptyStr | None = None
    """Theme for this profile, to tell production from staging at a glance; unset: the global one."""
    timeout: float = Field(10.0, gt=0, le=120)
    """Seconds to wait for one HTTP request before giving up."""
    verify_tls: bool = True
    """Check the server's TLS certificate (turn off only for a lab PBX with a self-signed one)."""
    pbx_timezone: NonEmptyStr | None = None
    """The PBX's own time zone (IANA name, e.g. "Asia/Shanghai") where its date matters (coocenter's
    WEBKEY hash); unset: this machine's zone, corrected automatically if the PBX disagrees."""
    push_silence: float = Field(120.0, gt=0, le=86400)
    """Seconds without a pushed event after which the push channel counts as silent and feeds poll
    at their normal pace again."""

    _name: str = PrivateAttr("")
    _source: str = PrivateAttr("<config>")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def name(self) -> str:
        """The profile's name: its key under [profiles]."""
        return self._name

    @field_validator("pbx_timezone")
    @classmethod
    def _check_timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from None
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        # messages never repeat the URL: a user may have put credentials in it
        if not value or any(ch.isspace() for ch in value):
            raise ValueError("must be an http:// or https:// URL without spaces")
        try:
            parts = urlsplit(value)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            raise ValueError("is not a valid URL (check the host and port)") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
            raise ValueError("must be an http:// or https:// URL with a host, e.g. https://pbx.example/api/")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not contain credentials; use username and password (or *_env)")
        if parts.query or parts.fragment:
            raise ValueError("must not have a query string or #fragment")
        return value if value.endswith("/") else value + "/"

    @field_validator("push_listen")
    @classmethod
    def _check_push_listen(cls, value: str | None) -> str | None:
        if value is None:
            return None
        example = "must be host:port with a port from 1 to 65535, e.g. 127.0.0.1:8090 or [::1]:8090"
        host, _, port = value.rpartition(":")
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(example)
        if host.startswith("[") and host.endswith("]"):
            try:
                ipaddress.IPv6Address(host[1:-1])
            except ValueError:
                raise ValueError(example) from None
        elif not _HOST_NAME.fullmatch(host):
            raise ValueError(example)
        return value

    @field_validator("password_env", "token_env", "api_key_env", "webkey_env")
    @classmethod
    def _check_env_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        field = info.field_name or ""
        literal = field.removesuffix("_env")
        if info.data.get(literal) is not None:
            raise ValueError(f"give either '{literal}' or '{field}', not both")
        if not _ENV_NAME.fullmatch(value):
            # never echo the value: it may be the secret itself, put in the wrong key
            raise ValueError("must be the name of an environment variable (letters, digits, _), not a value")
        return value

    def secret(self, name: SecretName) -> SecretStr | None:
        """The secret `name`: its literal value, else its `<name>_env` variable read now, else None.

        Raises ConfigError when `<name>_env` names a variable that is unset or empty.
        """
        if name not in SECRET_NAMES:
            raise ValueError(f"not a secret: {name!r}")
        literal: SecretStr | None = getattr(self, name)
        if literal is not None:
            return literal
        variable: str | None = getattr(self, f"{name}_env")
        if variable is None:
            return None
        value = os.environ.get(variable)
        if not value:
            state = "is empty" if value == "" else "is not set"
            key = f"{name}_env"
            problem = ConfigProblem(
                self._source,
                self._lines.get(key),
                dotted(("profiles", self.name, key)),
                f"environment variable {variable} {state}",
            )
            raise ConfigError([problem])
        return SecretStr(value)

    def secrets(self) -> dict[str, SecretStr]:
        """Every secret this profile has, by name; one ConfigError lists every unset variable."""
        found: dict[str, SecretStr] = {}
        problems: list[ConfigProblem] = []
        for name in SECRET_NAMES:
            try:
                value = self.secret(name)  # type: ignore[arg-type]
            except ConfigError as exc:
                problems.extend(exc.problems)
                continue
            if value is not None:
                found[name] = value
        if problems:
            raise ConfigError(problems)
        return found


class WallConfig(BaseModel):
    """The NOC wall (`callboard --wall`): alarm thresholds, quiet hours and the board cycle."""

    model_config = _MODEL_CONFIG

    waiting_alarm: int = Field(5, ge=1, le=10000)
    """Alarm when a queue has this many callers waiting or more."""
    longest_wait_alarm: int = Field(120, ge=1, le=86400)
    """Alarm when the longest wait in a queue reaches this many seconds."""
    free_agents_alarm: int = Field(0, ge=0, le=10000)
    """Alarm when a queue with callers waiting has this many free agents or fewer."""
    bell: bool = True
    """Ring the terminal bell when an alarm starts (not while it lasts)."""
    quiet_hours: str | None = None
    """No bell between these local times, e.g. "22:00-07:00" (colours still show)."""
    cycle_seconds: float = Field(15.0, ge=3, le=3600)
    """How long each profile's board stays on the wall before the next one."""

    @field_validator("quiet_hours")
    @classmethod
    def _check_quiet_hours(cls, value: str | None) -> str | None:
        if value is None:
            return None
        import re

        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError('quiet hours look like "22:00-07:00"')
        return value.strip()


class Config(BaseModel):
    """The whole config file."""

    model_config = _MODEL_CONFIG

    default_profile: str | None = None
    """Profile opened when no --profile is given; may be left out when there is only one."""
    theme: NonEmptyStr = "callboard-dark"
    """Theme for the whole console (a built-in one or a file in the user's themes directory)."""
    bidi: Literal["auto", "reorder", "terminal"] = "reorder"
    """Who puts right-to-left text (Hebrew, Arabic) in display order: "reorder" = Callboard does,
    "terminal" = the terminal does (Konsole, Terminal.app), "auto" = guess from the terminal."""
    read_only: bool = False
    """Never offer or run an action that changes anything, on any profile."""
    keys: dict[str, NonEmptyStr] = {}
    """Key remapping: binding id -> key(s) in Textual's names, alternatives separated by commas,
    e.g. `"queues.kick" = "K"` or `"app.help" = "f1,h"`. `callboard config check` lists mistakes."""
    refresh: RefreshConfig = Field(default_factory=RefreshConfig)
    """Refresh interval of each screen."""
    wall: WallConfig = Field(default_factory=WallConfig)
    """The NOC wall's thresholds, quiet hours and cycle."""
    profiles: dict[str, ProfileConfig] = {}
    """The phone systems, by name, e.g. [profiles.office]."""

    _source: Path | None = PrivateAttr(None)
    _label: str = PrivateAttr("<config>")
    _locator: KeyLocator | None = PrivateAttr(None)

    @property
    def source(self) -> Path | None:
        """The file this config was loaded from; None when it was built in memory."""
        return self._source

    @property
    def label(self) -> str:
        """What problems name this config by: its file, or what built it in memory."""
        return self._label

    @model_validator(mode="after")
    def _link_profiles(self) -> Config:
        for name, profile in self.profiles.items():
            profile._name = name
        if self.default_profile is not None and self.default_profile not in self.profiles:
            raise _KeyedError(
                ("default_profile",), _unknown_profile(self.default_profile, list(self.profiles))
            )
        return self

    def profile(self, name: str | None = None) -> ProfileConfig:
        """The profile `name`; None means the default profile, or the only one there is."""
        if name is None:
            if self.default_profile is not None:
                name = self.default_profile
            elif len(self.profiles) == 1:
                return next(iter(self.profiles.values()))
            elif not self.profiles:
                raise self._error("no profiles configured (add a [profiles.NAME] table)")
            else:
                raise self._error(f"no default_profile set; choose one of: {', '.join(self.profiles)}")
        if name not in self.profiles:
            raise self._error(_unknown_profile(name, list(self.profiles)))
        return self.profiles[name]

    def _error(self, message: str) -> ConfigError:
        return ConfigError([ConfigProblem(self._label, None, "", message)])

    def problem(self, key: KeyPath, message: str) -> ConfigProblem:
        """A problem about `key` (e.g. `("keys", "queues.kick")`), placed at its line in the file.

        For checks that need more than this module knows (binding ids and theme names live in
        the UI layer, which must not be imported here).
        """
        line = self._locator.line_of(key) if self._locator else None
        return ConfigProblem(self._label, line, dotted(key), message)


# -- loading -----------------------------------------------------------------------------------


def load_config(path: Path) -> Config:
    """Read, parse and validate the config file; raises ConfigError listing every problem."""
    path = Path(path)
    label = str(path)

    def fail(message: str, line: int | None = None) -> ConfigError:
        return ConfigError([ConfigProblem(label, line, "", message)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("config file not found") from None
    except OSError as exc:
        raise fail(f"cannot read config file ({exc.strerror or type(exc).__name__})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail("not UTF-8 text", raw[: exc.start].count(b"\n") + 1) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(*toml_syntax_problem(exc, text)) from None
    config = _validate(data, label, KeyLocator(text))
    config._source = path
    return config


def config_from_dict(data: dict[str, Any], source: str) -> Config:
    """Validate a config built in memory (e.g. by `callboard demo`); `source` names it in errors."""
    return _validate(data, source, None)


def _validate(data: dict[str, Any], label: str, locator: KeyLocator | None) -> Config:
    def line_of(loc: KeyPath) -> int | None:
        return locator.line_of(loc) if locator else None

    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error, label, line_of) for error in exc.errors(include_url=False)]
        # the default_profile check lives in an after-validator, which does not run while a
        # profile is invalid; check it here too so every problem is reported at once
        default = data.get("default_profile") if isinstance(data, dict) else None
        profiles = data.get("profiles", {}) if isinstance(data, dict) else None
        if (
            isinstance(default, str)
            and isinstance(profiles, dict)
            and default not in profiles
            and not any(p.key == "default_profile" for p in problems)
        ):
            message = _unknown_profile(default, [str(n) for n in profiles])
            problems.append(ConfigProblem(label, line_of(("default_profile",)), "default_profile", message))
        raise ConfigError(problems) from None
    config._label = label
    config._locator = locator
    for name, profile in config.profiles.items():
        profile._source = label
        for key in type(profile).model_fields:
            line = line_of(("profiles", name, key))
            if line is not None:
                profile._lines[key] = line
    return config


# -- turning pydantic errors into problems -----------------------------------------------------


def _is_sensitive(loc: KeyPath) -> bool:
    names = [part for part in loc if isinstance(part, str)]
    return bool(names) and (names[-1] in SECRET_NAMES or names[-1].endswith("_env"))


def _problem(error: Any, label: str, line_of: Any) -> ConfigProblem:
    loc: KeyPath = tuple(error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, _KeyedError):
        loc += cause.key
    return ConfigProblem(
        label, line_of(loc), dotted(loc), describe_error(error, loc, Config, _is_sensitive(loc))
    )
