"""A multi-line text field whose cursor does not blink (see `tui.widgets.inputs`).

A module of its own so that it loads on first use: Textual's TextArea (with its syntax themes)
takes ~8 ms to load, and only a form for a pasted list needs it, never the first screen.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import TextArea


class SteadyTextArea(TextArea):
    cursor_blink = reactive(False, init=False)
