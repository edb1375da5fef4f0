"""Fixes for Textual bugs and costs that a console left open for days runs into (textual 8.x).

Each fix checks that the code it mends is still there as it was before it applies, so a Textual
that changed it upstream is left alone.
"""

from __future__ import annotations

import functools
import inspect

from textual._styles_cache import StylesCache
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet


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


PARSED_SOURCES_KEPT = 256  # ~25 CSS sources a theme: the themes an operator goes through in a day


def parse_each_css_source_once() -> None:
    """`App.refresh_css` parses every CSS source again, in a fresh stylesheet with an empty parse
    cache, even when neither the sources nor the theme's variables changed; and Textual calls it
    twice on the first switch to each screen mode (once to build the mode, once to switch to it).
    At start that was ~44 source parses (~24 ms) where 21 were needed. Here the rules parsed from
    one source with one set of variables are kept for every stylesheet: rule sets are never changed
    once parsed (Textual's own cache hands the same ones out again)."""
    parse_rules = Stylesheet._parse_rules
    wanted = ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]
    if getattr(parse_rules, "__wrapped__", None) or list(inspect.signature(parse_rules).parameters) != wanted:
        return  # applied already, or Textual parses differently now
    parsed: LRUCache[tuple, list] = LRUCache(PARSED_SOURCES_KEPT)

    @functools.wraps(parse_rules)
    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = _parse_rules


def _variables_key(stylesheet: Stylesheet) -> tuple:
    """The stylesheet's variables as a key, worked out once per set of variables it is given."""
    variables = stylesheet._variables
    known = stylesheet.__dict__.get("_callboard_variables_key")
    if known is None or known[0] is not variables:
        known = stylesheet._callboard_variables_key = (variables, tuple(variables.items()))
    return known[1]


def apply() -> None:
    keep_dead_widgets_collectable()
    parse_each_css_source_once()
