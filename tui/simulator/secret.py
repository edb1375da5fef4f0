"""A secret held by the simulated world (a password, a WEBKEY): never shown by repr or str.

The simulator's own stand-in for pydantic's SecretStr, with the same `get_secret_value()`: the demo's
simulator process starts beside the console, and pydantic alone would add ~50 ms to its start.
"""

from __future__ import annotations

MASK = "**********"


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
