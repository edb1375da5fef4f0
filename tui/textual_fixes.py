"""Fixes for Textual bugs that a console left open for days runs into (textual 8.x).

Each fix checks that the bug is still there before it applies, so a Textual that fixed it upstream
is left alone.
"""

from __future__ import annotations

import functools
import inspect

from textual._styles_cache import StylesCache


def keep_dead_widgets_collectable() -> None:
    """`StylesCache.get_inner_outer` is an `lru_cache(1024)` on a method that lacks its
    `@classmethod`: every widget's styles cache that draws a line becomes part of a key, and up to
    1,024 of them stay alive after their widgets are gone, each with every line it drew. Toasts,
    footer keys and dialogs come and go all day, so a console grew for hours (the 30-minute soak:
    ~0.2 MB a minute) until that cache was full. Here the colours alone are the key."""
    method = inspect.getattr_static(StylesCache, "get_inner_outer")
    if isinstance(method, classmethod | staticmethod) or not hasattr(method, "__wrapped__"):
        return  # fixed upstream, or no longer a cached method
    inner_outer = method.__wrapped__  # (cls, base_background, background); it never reads cls

    @functools.lru_cache(1024)
    def get_inner_outer(base_background, background):
        return inner_outer(StylesCache, base_background, background)

    StylesCache.get_inner_outer = staticmethod(get_inner_outer)


def apply() -> None:
    keep_dead_widgets_collectable()
