"""Lenient wire types shared by every vendor's models.

Vendors are loose about types: numbers arrive as strings ("12"), flags as 0/1/"1"/"true", an
empty map as `[]`, an empty list as `null` or `{}`. These Annotated types accept what the vendors
send and still fail on what no vendor would (a boolean where a number belongs, `inf`, words).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def to_int(value: Any) -> Any:
    """12, "12", " 12 ", 12.0 and "12.4" (rounded) become ints; "" and null become None."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            value = float(text)  # a ValueError here becomes a validation error
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return round(value)
    return value


def to_float(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, str):
        value = float(value.strip())
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def to_bool(value: Any) -> Any:
    """true/false, 1/0, "1"/"0", "true"/"false", "yes"/"no", "on"/"off" (any case) become bools."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError("not a boolean")


def to_str(value: Any) -> Any:
    """Phones, ports, extensions and codes arrive as strings or numbers: keep them as strings."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value


def empty_as_map(value: Any) -> Any:
    """An empty map may arrive as `[]` (or be missing as `null`)."""
    if value is None or (isinstance(value, list) and not value):
        return {}
    return value


def null_as_list(value: Any) -> Any:
    """An empty list may arrive as `null` or as an empty map `{}`."""
    if value is None or (isinstance(value, dict) and not value):
        return []
    return value


LenientInt = Annotated[int, BeforeValidator(to_int)]
OptionalInt = Annotated[int | None, BeforeValidator(to_int)]
LenientFloat = Annotated[float, BeforeValidator(to_float)]
LenientBool = Annotated[bool, BeforeValidator(to_bool)]
LenientStr = Annotated[str, BeforeValidator(to_str)]

V = TypeVar("V")
#: `dict[str, V]` that also accepts `[]` and `null` as the empty map.
MapOrEmpty = Annotated[dict[str, V], BeforeValidator(empty_as_map)]
#: a nested object that also accepts `[]` and `null` as "all fields absent".
ObjectOrEmpty = Annotated[V, BeforeValidator(empty_as_map)]
#: `list[V]` that also accepts `null` and `{}` as the empty list.
ListOrNull = Annotated[list[V], BeforeValidator(null_as_list)]
