"""Right-to-left text (Hebrew, Persian, Arabic) for terminals that do not reorder by themselves.

Textual emits text in logical order; most terminals then show RTL runs reversed. We reorder at
display time only (python-bidi) — stored, searched and exported values keep logical order. The
`bidi` config key turns this off for terminals that reorder themselves (VTE with bidi on, Konsole,
Terminal.app).
"""

from __future__ import annotations

import re
from functools import lru_cache

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_enabled = True


def set_reorder(enabled: bool) -> None:
    global _enabled
    _enabled = enabled


def reordering() -> bool:
    return _enabled


def display_text(text: str) -> str:
    if not _enabled or not _RTL.search(text):
        return text
    return _reorder(text)


@lru_cache(maxsize=4096)
def _reorder(text: str) -> str:
    from bidi import get_display

    return get_display(text)
