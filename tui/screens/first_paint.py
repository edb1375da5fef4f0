"""The console's first paint waits for its first data (`CallboardApp.painting`).

An empty board painted ~0.1 s before the full one costs a start ~40 ms of drawing, and the terminal
the bytes of a screen that is overwritten at once. So the screens the console opens on say when they
have drawn the first data or error of each of their feeds (`FirstDataDrawn`, which the app answers
by painting), and draw no frame while the console waits: Textual would draw it and then throw it
away unpainted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.message import Message


class FirstDataDrawn(Message):
    """A screen drew the first data (or error) of each of its feeds: it is worth painting now."""


class PaintsWithFirstData:
    """Mixin ahead of `Screen` (overrides and calls private methods of textual 8.x)."""

    _first_data_awaited: set[str] | None = None  # the feeds the first paint still waits for

    def await_first_data(self, feeds: Iterable[str]) -> None:
        """The first paint waits for these feeds (the first call only): a board comes whole."""
        if self._first_data_awaited is None:
            self._first_data_awaited = set(feeds)
            if not self._first_data_awaited:
                self.post_message(FirstDataDrawn())

    def drew(self, feed: str, state: Any) -> None:
        """Call after drawing a feed's state (a `FeedState`)."""
        awaited = self._first_data_awaited
        if awaited and feed in awaited and (state.data is not None or state.error is not None):
            awaited.discard(feed)
            if not awaited:
                self.post_message(FirstDataDrawn())

    def _compositor_refresh(self) -> None:
        if getattr(self.app, "painting", True):
            super()._compositor_refresh()

    def paint_now(self) -> None:
        """Lay out and draw the whole screen now (the first paint), not at Textual's next frame
        tick ~10 ms later."""
        self._refresh_layout()
