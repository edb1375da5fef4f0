"""Textual's Footer, without the slow leak a console left open for days would die of.

Footer rebuilds its keys whenever the bindings change (every screen switch). Each key is data-bound
to the footer's `compact` reactive, which registers a watcher on the footer; Textual drops the
watchers of removed keys only when `compact` itself changes, which it never does. So every rebuild
leaves the old keys alive (~75 widgets a round of the six screens; the soak saw +70 % RSS in 30
minutes). This footer drops the dead keys' watchers before each rebuild.

It also rebuilds only when what it shows changed: a screen shown again announces its bindings,
though they are the ones its footer already holds (a rebuild costs ~6 ms of every screen switch).
"""

from __future__ import annotations

from textual.widgets import Footer


class LeanFooter(Footer):
    _shown: tuple | None = None  # what the keys were built from

    async def recompose(self) -> None:
        shown = self._what_is_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        self._forget_closed_watchers()
        await super().recompose()

    def _what_is_shown(self) -> tuple | None:
        """Everything Footer.compose builds its keys from (None before the bindings are known)."""
        if not self._bindings_ready or not self.is_attached:
            return None
        get_key_display = self.app.get_key_display
        return (
            self.compact,
            self.show_command_palette,
            self.app.COMMAND_PALETTE_BINDING,
            tuple(
                (
                    binding.key,
                    get_key_display(binding),
                    binding.description,
                    binding.action,
                    binding.group,
                    binding.show,
                    enabled,
                    tooltip,
                )
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            ),
        )

    def _forget_closed_watchers(self) -> None:
        # Textual keeps a reactable's watchers as {attribute: [(node, callback), ...]} under this
        # name (textual.reactive._watch); it prunes closed nodes the same way, on a change only.
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [
                (node, callback) for node, callback in watchers if not node._closing and node.is_attached
            ]
