"""Table cells drawn straight (the common case) are exactly what Rich would draw."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.widgets.table_lines import fitting_text_line, text_line

CONSOLE = Console(width=120)
STYLES = ["", "bold", "yellow", "bold yellow", "dim", "red on white", Style(italic=True), Style()]
JUSTIFY = [None, "left", "right", "center", "default", "full"]


def both(value: Text, width: int, default_justify=None):
    fast = fitting_text_line(value, width, CONSOLE, default_justify)
    slow = text_line(value, width, CONSOLE, (default_justify, None))
    return fast, slow


def test_every_style_and_justification_is_drawn_as_rich_draws_it():
    drawn_fast = 0
    for plain, style, justify, width, default in itertools.product(
        ["7", "idle", "שלום", "0:42", "a b", "漢字", " lead"], STYLES, JUSTIFY, [1, 4, 6, 9], [None, "left"]
    ):
        value = Text(plain, style=style, justify=justify, no_wrap=True, overflow="ellipsis")
        fast, slow = both(value, width, default)
        if fast is not None:
            drawn_fast += 1
            assert fast == slow, (plain, style, justify, width, default)
    assert drawn_fast > 300  # the common case does take the straight way


def test_what_it_cannot_draw_straight_is_left_to_rich():
    assert fitting_text_line(Text("too wide"), 3, CONSOLE, None) is None
    assert fitting_text_line(Text("trailing "), 20, CONSOLE, None) is None
    assert fitting_text_line(Text.assemble(("a", "bold"), ("b", "red")), 20, CONSOLE, None) is None
    assert fitting_text_line(Text(""), 20, CONSOLE, None) is None


@settings(max_examples=300, deadline=None)
@given(
    plain=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
    ),
    style=st.sampled_from(STYLES),
    justify=st.sampled_from(JUSTIFY),
    width=st.integers(min_value=1, max_value=20),
)
def test_any_fitting_text_is_drawn_as_rich_draws_it(plain, style, justify, width):
    value = Text(plain, style=style, justify=justify, no_wrap=True, overflow="ellipsis")
    fast, slow = both(value, width)
    if fast is not None:
        assert fast == slow
