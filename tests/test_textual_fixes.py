"""Widgets that are gone are collected, whatever they drew (a console runs for weeks)."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

from tui import textual_fixes


def test_a_styles_cache_that_drew_is_not_kept_alive_by_the_colour_cache():
    textual_fixes.apply()
    drawn = StylesCache()
    inner, outer = drawn.get_inner_outer(Color(10, 20, 30), Color(0, 0, 0, 0.5))  # as render_line does
    gone = weakref.ref(drawn)
    del drawn
    gc.collect()
    assert gone() is None  # its widget's lines go with it
    assert (inner, outer) == StylesCache.get_inner_outer(Color(10, 20, 30), Color(0, 0, 0, 0.5))
    assert inner.background != outer.background


def test_the_fix_applies_once():
    textual_fixes.apply()
    fixed = StylesCache.__dict__["get_inner_outer"]
    textual_fixes.apply()
    assert StylesCache.__dict__["get_inner_outer"] is fixed
