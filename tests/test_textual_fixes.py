"""Widgets that are gone are collected, whatever they drew (a console runs for weeks); CSS that did
not change is not parsed again."""

from __future__ import annotations

import gc
import uuid
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.css import stylesheet as stylesheet_module
from textual.css.stylesheet import Stylesheet

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
    parse_rules = Stylesheet._parse_rules
    textual_fixes.apply()
    assert StylesCache.__dict__["get_inner_outer"] is fixed
    assert Stylesheet._parse_rules is parse_rules


CSS = "Panel { background: $panel; color: $text; }\nLabel { width: 1fr; }"


def test_css_is_parsed_again_only_when_its_source_or_variables_change(monkeypatch):
    textual_fixes.apply()
    parsed = []
    parse = stylesheet_module.parse

    def counting_parse(*args, **kwargs):
        parsed.append(args[1])
        return parse(*args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting_parse)
    # "marker": a set of variables never parsed before in this process
    dark = {"panel": "#101010", "text": "#e0e0e0", "marker": uuid.uuid4().hex}

    def rules_of(css: str, variables: dict[str, str]) -> list:
        sheet = Stylesheet(variables=dict(variables))  # a fresh stylesheet, as refresh_css makes
        sheet.add_source(css, read_from=("test", "css"))
        sheet.parse()
        return sheet.rules

    first = rules_of(CSS, dark)
    again = rules_of(CSS, dark)
    assert parsed == [CSS] and again == first
    light = rules_of(CSS, {**dark, "panel": "#f0f0f0"})
    assert parsed == [CSS, CSS]  # other variables: parsed again, and the colours follow them
    assert str(light[0].styles.background) != str(first[0].styles.background)
    rules_of(CSS + "\nStatic { height: 1; }", dark)
    assert len(parsed) == 3
