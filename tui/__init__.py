"""Callboard: a terminal console for people who run telephone systems."""

__version__ = "0.1.0"

# Callboard runs on asyncio only. httpcore imports trio whenever it is installed, just in case,
# which costs ~150 ms of every start; a None entry makes that import fail fast, as if absent.
import sys as _sys

_sys.modules.setdefault("trio", None)  # type: ignore[arg-type]
