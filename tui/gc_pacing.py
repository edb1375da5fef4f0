"""Full garbage collections at quiet moments, not in the middle of a refresh or a keypress.

With a big board held (3,000 messages, 500 agents as cells and caches), CPython's automatic
full collection scans every live object: ~30 ms with the UI frozen, landing wherever allocation
happens to cross its threshold: inside a refresh, or between a key and its frame. Young
collections stay automatic (they scan only new objects and take well under a millisecond); the
full one is run here, on a timer, once nobody has pressed a key for a moment, and in any case
every `longest` seconds. Refcounting frees everything that is not in a cycle at once regardless;
only cyclic garbage waits, at most `longest` seconds.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator

#: Young collections every 10,000 new objects rather than CPython's 700: a refresh of a 3,000-row
#: inbox makes tens of thousands of short-lived objects, and at 700 it ran ~30 young collections
#: (and 3 middle ones) that mostly scanned objects about to be freed anyway (~3-5 ms a refresh).
#: The full collection's threshold is out of reach: the pacer runs it.
AUTOMATIC_THRESHOLDS = (10_000, 10)
NEVER = 1 << 30


@contextlib.contextmanager
def collections_held_for_start_up() -> Iterator[None]:
    """No collections while the console starts: loading modules, classes and CSS allocates a few
    hundred thousand objects that all stay, and every collection on the way scans them for
    nothing (~30-40 ms of each start). `freeze_start_up_objects` lets the collector work again
    once the console is up; leaving the block does in any case (a console that never came up)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_start_up_objects() -> None:
    """Move what start-up built (modules, classes, CSS, the first screens) out of the collector's
    sight: a full collection then scans only what came since, so it pauses the UI ~70 ms less.
    Collections held for the start-up run again from here."""
    gc.collect()
    gc.freeze()
    gc.enable()


class GcPacer:
    def __init__(
        self,
        *,
        every: float = 30.0,
        quiet: float = 1.0,
        longest: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        self.every, self.quiet, self.longest = every, quiet, longest
        self._clock, self._collect = clock, collect
        self._last_input = self._last_full = clock()
        self._saved: tuple[int, int, int] | None = None
        self.collections = 0

    def take_over(self) -> None:
        """Stop the collector's own full collections (young ones go on as usual)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(*AUTOMATIC_THRESHOLDS, NEVER)

    def give_back(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def saw_input(self) -> None:
        self._last_input = self._clock()

    def due(self) -> bool:
        now = self._clock()
        if now - self._last_full < self.every:
            return False
        return now - self._last_input >= self.quiet or now - self._last_full >= self.longest

    def tick(self) -> bool:
        """Collect in full if it is time and quiet (call it often; it returns at once otherwise)."""
        if not self.due():
            return False
        self._collect()
        self._last_full = self._clock()
        self.collections += 1
        return True
