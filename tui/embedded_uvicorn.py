"""uvicorn run inside a program's own event loop (the simulator, a profile's push listener).

Apart from `tui.listen` so that uvicorn loads only where a server is actually started.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import uvicorn


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the program embedding it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
