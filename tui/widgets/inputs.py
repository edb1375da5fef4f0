"""Text fields whose cursor does not blink.

A blinking cursor redraws its cell twice a second: ~2.6 KB/s to the terminal for as long as a field
has focus (PATTERNS.md), on SSH links, all day. SPEC §9 allows no bytes while nothing changes.
The multi-line field is `tui.widgets.text_area.SteadyTextArea`.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class SteadyInput(Input):
    cursor_blink = reactive(False, init=False)
