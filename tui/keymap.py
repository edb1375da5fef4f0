"""The `[keys]` table of the config: binding ids, key names and conflicts, checked against the UI.

Every binding of the console has an id (`queues.kick`, `table.down`, `app.help`, ...); the user
remaps one with `"queues.kick" = "K"` and Textual's `App.set_keymap` applies it everywhere that id
is bound. The ids live on the Textual classes, so this module is part of the UI layer: it walks the
app, screen and widget classes of the package and checks the config's keymap against them — for
`callboard config check` and before the console starts — reporting every problem at once, each at
its line in the file. `tui.config` itself stays free of Textual.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding, InvalidBinding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, key_to_character
from textual.screen import ModalScreen, Screen

from tui.config import Config, ConfigError, ConfigProblem

UI_PACKAGES = ("tui.screens", "tui.widgets")
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Named keys Textual reports (escape, enter, f1, pageup, ...), without the internal "<...>" ones.
NAMED_KEYS = frozenset(k.value for k in Keys if "+" not in k.value and not k.value.startswith("<"))
COMMON_KEY_NAMES = NAMED_KEYS | {
    "question_mark", "slash", "backslash", "minus", "plus", "comma", "full_stop", "colon", "semicolon",
    "left_square_bracket", "right_square_bracket", "exclamation_mark", "number_sign", "at",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class BindingInfo:
    """One binding id as the console declares it."""

    id: str
    action: str
    description: str
    keys: tuple[str, ...]  # default keys, in Textual's names
    owners: tuple[str, ...]  # names of the classes that declare it


# -- the classes and their bindings ----------------------------------------------------------------


@cache
def binding_classes() -> tuple[type[DOMNode], ...]:
    """The app class and every screen and widget class defined in the package, in a stable order."""
    from tui.app import CallboardApp

    found: dict[type[DOMNode], None] = {CallboardApp: None}
    for module in ("tui.app", *_modules_under(UI_PACKAGES)):
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module:
                found[value] = None
    return tuple(found)


def _modules_under(packages: Iterable[str]) -> Iterator[str]:
    for package in packages:
        yield package
        path = importlib.import_module(package).__path__
        for info in pkgutil.walk_packages(path, prefix=package + "."):
            yield info.name


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings `cls` itself declares (not inherited), one per key."""
    return list(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))


def merged_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings an instance of `cls` has: its own and inherited ones, one per key."""
    return [b for bindings in cls._merge_bindings().key_to_bindings.values() for b in bindings]


@cache
def known_bindings() -> dict[str, BindingInfo]:
    """Every binding id in the console, with its action, description, default keys and owners."""
    keys: dict[str, dict[str, None]] = {}
    owners: dict[str, dict[str, None]] = {}
    first: dict[str, Binding] = {}
    for cls in binding_classes():
        for binding in declared_bindings(cls):
            if binding.id is None:
                continue
            first.setdefault(binding.id, binding)
            keys.setdefault(binding.id, {})[binding.key] = None
            owners.setdefault(binding.id, {})[cls.__name__] = None
    return {
        binding_id: BindingInfo(
            binding_id, b.action, b.description, tuple(keys[binding_id]), tuple(owners[binding_id])
        )
        for binding_id, b in sorted(first.items())
    }


# -- key names -------------------------------------------------------------------------------------


def normalize_keys(keys: str) -> tuple[str, ...]:
    """A comma-separated key string in Textual's names ("?" -> "question_mark"), as Textual binds it.

    Raises ValueError for an empty alternative ("a,,b").
    """
    try:
        return tuple(b.key for b in Binding.make_bindings([Binding(keys, "noop")]))
    except InvalidBinding:
        raise ValueError("has an empty key between commas") from None


def key_name_problem(key: str) -> str | None:
    """Why `key` (one normalized key, e.g. "ctrl+k") is not a key Textual can report; None if it is."""
    *modifiers, base = key.split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(MODIFIERS), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "ctrl, shift, alt, meta, super"
        return f"'{unknown[0]}' in '{key}' is not a modifier ({hint})"
    if len(base) == 1 or base in NAMED_KEYS or key_to_character(REPLACED_KEYS.get(base, base)):
        return None
    close = difflib.get_close_matches(base, sorted(COMMON_KEY_NAMES), n=1)
    hint = f" (did you mean '{'+'.join([*modifiers, close[0]])}'?)" if close else ""
    return f"'{key}' is not a key name Textual knows{hint}"


# -- checking a config -----------------------------------------------------------------------------


def keymap_problems(config: Config) -> list[ConfigProblem]:
    """Every problem of `config.keys`: unknown ids, bad key names, two bindings on one key."""
    if not config.keys:
        return []  # nothing to check: the bindings are collected from every screen module otherwise
    known = known_bindings()
    problems: list[ConfigProblem] = []
    keymap: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in config.keys.items():
        place = ("keys", binding_id)
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else "; `callboard config keys` lists them"
            problems.append(config.problem(place, f"unknown binding id '{binding_id}'{hint}"))
            continue
        try:
            normalized = normalize_keys(keys)
        except ValueError as error:
            problems.append(config.problem(place, f"'{keys}' {error}"))
            continue
        bad = [message for key in normalized if (message := key_name_problem(key))]
        if bad:
            problems.append(config.problem(place, bad[0]))
            continue
        keymap[binding_id] = normalized
    problems.extend(config.problem(("keys", c.binding_id), c.message) for c in conflicts(keymap))
    return problems


def checked_keymap(config: Config) -> dict[str, str]:
    """The keymap to give `App.set_keymap`; raises ConfigError listing every problem of `[keys]`."""
    problems = keymap_problems(config)
    if problems:
        raise ConfigError(problems)
    return {binding_id: keys for binding_id, keys in config.keys.items()}


@dataclass(frozen=True, slots=True)
class Conflict:
    binding_id: str  # the remapped binding the problem is reported at
    message: str


def conflicts(keymap: Mapping[str, tuple[str, ...]]) -> list[Conflict]:
    """Keys that two bindings would answer on one screen once `keymap` is applied.

    Only clashes the keymap causes count: the defaults overlap on purpose in places (the wall's
    `[`/`]` cycle boards where elsewhere they switch profiles). A binding of a focused widget
    answers before its screen's, and the screen's before the app's, so a clash across them makes
    one binding silently unreachable — it is reported like a clash within one class.
    """
    found: dict[tuple[str, frozenset[str]], Conflict] = {}
    for screen in binding_classes():
        if not issubclass(screen, Screen) or _is_base(screen):
            continue
        claims: dict[str, dict[str, bool]] = {}  # key -> binding (id or class:action) -> remapped?
        for namespace in _chain(screen):
            for binding in merged_bindings(namespace):
                name = binding.id or f"{binding.action} ({namespace.__name__})"
                remapped = binding.id in keymap
                for key in keymap[binding.id] if remapped else (binding.key,):
                    claims.setdefault(key, {})[name] = remapped
        for key, names in claims.items():
            if len(names) < 2 or not any(names.values()):
                continue
            ids = frozenset(names)
            if (key, ids) in found:
                continue
            reported = next(name for name, remapped in names.items() if remapped)
            others = ", ".join(f"'{n}'" for n in names if n != reported)
            where = getattr(screen, "TITLE", "") or screen.__name__
            found[(key, ids)] = Conflict(
                reported, f"key '{key}' is also bound to {others} on the {where} screen"
            )
    return list(found.values())


def _chain(screen: type[Screen]) -> list[type[DOMNode]]:
    """The classes whose bindings answer keys on `screen`: its widgets, itself, then the app.

    A modal screen ends the chain (neither the app's keys nor the tables under a dialog reach
    through it). Which widget classes a screen holds is read from the names its module uses: each
    screen module of this package imports the widgets it composes.
    """
    from tui.app import CallboardApp

    if issubclass(screen, ModalScreen):
        return [screen]
    module = vars(sys.modules[screen.__module__])
    widgets = [
        cls
        for cls in binding_classes()
        if not issubclass(cls, (Screen, CallboardApp))
        and declared_bindings(cls)
        and module.get(cls.__name__) is cls
    ]
    return [*widgets, screen, CallboardApp]


def _is_base(screen: type[Screen]) -> bool:
    """A screen class only other screens are made from (its keys are checked on theirs)."""
    return any(other is not screen and issubclass(other, screen) for other in binding_classes())


def describe_bindings(config: Config | None = None) -> str:
    """Every binding id with its keys (after `config.keys`) and description: what `[keys]` remaps."""
    keymap = config.keys if config is not None else {}
    rows = [("binding id", "keys", "does")]
    for info in known_bindings().values():
        keys = keymap.get(info.id)
        shown = f"{keys} (was {','.join(info.keys)})" if keys else ",".join(info.keys)
        rows.append((info.id, shown, info.description))
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{a:<{width[0]}}  {b:<{width[1]}}  {c}".rstrip() for a, b, c in rows)


def key_name(node: DOMNode, binding_id: str, default: str) -> str:
    """The key of binding `binding_id` as shown to the user (after `[keys]`), for text that names it."""
    key_of = getattr(node.app, "key_of", None)
    return default if key_of is None else key_of(binding_id, default)
