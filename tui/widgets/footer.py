"""Textual's Footer, without the slow leak a console left open for days would die of.

Footer rebuilds its keys whenever the bindings change (every screen switch). Each key is data-bound
to the footer's `compact` reactive, which registers a watcher on the footer; Textual drops the
watchers of removed keys only when `compact` itself changes, which it never does. So every rebuild
leaves the old keys alive (~75 widgets a round of the six screens; the soak saw +70 % RSS in 30
minutes). This footer drops the dead keys' watchers before each rebuild.
"""

from __future__ import annotations

from textual.widgets import Footer


class LeanFooter(Footer):
    async def recompose(self) -> None:
        self._forget_closed_watchers()
        await super().recompose()

    def _forget_closed_watchers(self) -> None:
        # Textual keeps a reactable's watchers as {attribute: [(node, callback), ...]} under this
        # name (textual.reactive._watch); it prunes closed nodes the same way, on a change only.
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [
                (node, callback) for node, callback in watchers if not node._closing and node.is_attached
            ]
