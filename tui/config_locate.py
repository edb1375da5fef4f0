"""Where a config problem is in its TOML file, and how to word it.

tomllib gives values but no positions. `KeyLocator` scans the text once and maps every key path
(table headers, `key = value` lines, dotted keys, inline tables, array elements) to its 1-based line.
It is only run on text tomllib has already accepted, and it never raises: whatever it found
before getting confused is kept. `describe_error` words a pydantic error for someone editing the
file: TOML type names, what was expected, "did you mean", and never the value of a secret.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = ",]}#\r\n"


class _ScanError(Exception):
    """The text is not shaped as expected; stop scanning and keep what was found."""


class KeyLocator:
    """Lines of the keys of one TOML document."""

    def __init__(self, text: str) -> None:
        scanner = _Scanner(text)
        try:
            scanner.scan()
        except (_ScanError, IndexError, tomllib.TOMLDecodeError):
            pass
        self._lines = scanner.lines

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of `path`, else of its nearest enclosing key or table; None if none is known."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._array_index: dict[tuple[str, ...], int] = {}
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    # -- helpers ---------------------------------------------------------------------------
    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_left(self._newlines, self.pos if pos is None else pos) + 1

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.pos):
            raise _ScanError(f"expected {token!r} at {self.pos}")
        self.pos += len(token)

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces and tabs; with `newlines`, also line breaks and comments."""
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif newlines and ch == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- document --------------------------------------------------------------------------
    def scan(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            line = self.line()
            if self.peek(2) == "[[":
                self.pos += 2
                table = self.header(self.key(), is_array=True, line=line)
                self.skip_blank(newlines=False)
                self.expect("]]")
            elif self.peek() == "[":
                self.pos += 1
                table = self.header(self.key(), is_array=False, line=line)
                self.skip_blank(newlines=False)
                self.expect("]")
            else:
                self.key_value(table)

    def header(self, parts: list[str], is_array: bool, line: int) -> KeyPath:
        """Resolve a table header to a concrete path (array-of-tables headers get their index)."""
        concrete: KeyPath = ()
        for i, part in enumerate(parts):
            raw = tuple(parts[: i + 1])
            concrete += (part,)
            if is_array and i == len(parts) - 1:
                index = self._array_index.get(raw, -1) + 1
                self._array_index[raw] = index
                for nested in [k for k in self._array_index if len(k) > len(raw) and k[: len(raw)] == raw]:
                    del self._array_index[nested]
                self.record(concrete, line)
                concrete += (index,)
            elif raw in self._array_index:
                concrete += (self._array_index[raw],)
            self.record(concrete, line)
        return concrete

    def key_value(self, table: KeyPath) -> None:
        line = self.line()
        parts = self.key()
        path = table + tuple(parts)
        for i in range(1, len(parts)):
            self.record(table + tuple(parts[:i]), line)
        self.record(path, line)
        self.skip_blank(newlines=False)
        self.expect("=")
        self.value(path)

    def key(self) -> list[str]:
        """A possibly dotted key: bare, "basic" or 'literal' parts separated by dots."""
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            ch = self.peek()
            if ch == '"':
                start = self.pos
                self.basic_string()
                parts.append(tomllib.loads("k = " + self.text[start : self.pos])["k"])
            elif ch == "'":
                end = self.text.index("'", self.pos + 1)
                parts.append(self.text[self.pos + 1 : end])
                self.pos = end + 1
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise _ScanError(f"no key at {self.pos}")
                parts.append(match.group())
                self.pos = match.end()
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1

    # -- values ----------------------------------------------------------------------------
    def value(self, path: KeyPath) -> None:
        self.skip_blank(newlines=False)
        ch = self.peek()
        if self.peek(3) in ('"""', "'''"):
            self.multiline_string(self.peek(3))
        elif ch == '"':
            self.basic_string()
        elif ch == "'":
            self.pos = self.text.index("'", self.pos + 1) + 1
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self.pos += 1

    def basic_string(self) -> None:
        self.pos += 1
        while self.text[self.pos] != '"':
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        self.pos += 1

    def multiline_string(self, quotes: str) -> None:
        self.pos += 3
        while not self.text.startswith(quotes, self.pos):
            self.pos += 2 if quotes == '"""' and self.text[self.pos] == "\\" else 1
        self.pos += 3
        # up to two quote characters may end the content right before the closing delimiter
        for _ in range(2):
            if self.peek() == quotes[0]:
                self.pos += 1

    def array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "]":
                self.pos += 1
                return
            self.record((*path, index), self.line())
            self.value((*path, index))
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1
                index += 1
            elif self.peek() != "]":
                raise _ScanError(f"bad array at {self.pos}")

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "}":
                self.pos += 1
                return
            self.key_value(path)
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise _ScanError(f"bad inline table at {self.pos}")


# -- wording: pydantic errors in the words of a TOML file -----------------------------------

_EXPECTED = {
    "string_type": "a string",
    "float_type": "a number",
    "int_type": "an integer",
    "bool_type": "true or false",
    "list_type": "an array",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}
_BOUNDS = {
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
}


def describe_error(error: Any, loc: KeyPath, root: type[BaseModel], sensitive: bool) -> str:
    """One pydantic error as a message about a TOML key. With `sensitive`, the input is never shown."""
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'{did_you_mean(str(loc[-1]), _field_names_at(root, loc[:-1]))}"
    if kind == "missing":
        return "required key is missing"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        text = "expected one of " + ", ".join(json.dumps(c) for c in choices)
        text += f", got {_given(given, sensitive)}"
        if isinstance(given, str) and not sensitive:
            text += did_you_mean(given.lower(), choices)
        return text
    if kind in _BOUNDS:
        bounds = {k: format_number(v) for k, v in ctx.items()}
        return _BOUNDS[kind].format(**bounds) + f", got {_given(given, sensitive)}"
    if kind in _EXPECTED:
        hint = " (put it in quotes)" if kind == "string_type" and type(given) in (int, float) else ""
        return f"expected {_EXPECTED[kind]}, got {_given(given, sensitive)}{hint}"
    return str(error["msg"])  # pydantic's own messages do not include the input


def _given(value: Any, sensitive: bool) -> str:
    """What was given: its TOML type, and its value when that is short and not secret."""
    kinds = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}
    kind = kinds.get(type(value), type(value).__name__)
    if sensitive:
        return kind
    if isinstance(value, bool):
        return f"{kind} {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"{kind} {format_number(value)}"
    if isinstance(value, str) and len(value) <= 40:
        return f"{kind} {json.dumps(value, ensure_ascii=False)}"
    return kind


def format_number(value: Any) -> str:
    """A number as a person writes it: 2.0 -> "2", 0.5 -> "0.5"."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _field_names_at(root: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed in the table at `loc`, for "did you mean"."""
    node: Any = root
    for part in loc:
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part))
            if field is None:
                return []
            node = field.annotation
        elif get_origin(node) in (dict, list):
            node = get_args(node)[-1]
        else:
            return []
        if get_origin(node) in (Union, UnionType):
            options = [arg for arg in get_args(node) if arg is not type(None)]
            node = options[0] if len(options) == 1 else None
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def dotted(loc: KeyPath) -> str:
    """A key path as TOML writes it: profiles.office.queues[1], quoting keys that need it."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            out += f".{key}" if out else key
    return out


def did_you_mean(word: str, choices: list[str]) -> str:
    """The suffix ` (did you mean 'x'?)` naming the closest of `choices`; "" when none is close."""
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def toml_syntax_problem(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int | None]:
    """A TOML syntax error as (message, line)."""
    message = str(exc)
    line: int | None = getattr(exc, "lineno", None)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if where:
        line = line or int(where.group(1))
        message = message[: where.start()] + f" (column {where.group(2)})"
    elif message.endswith("(at end of document)"):
        line = line or max(1, len(text.splitlines()))
        message = message.removesuffix(" (at end of document)") + " (at end of file)"
    return f"TOML syntax error: {message}", line
