"""An HTTP listener for events a PBX pushes to us, and how healthy that push channel is.

The PBX is the HTTP client here: it POSTs one event per request to `push_listen`. Bodies are JSON
(or form-encoded); anything else, or anything too big, is answered 400 and dropped with a log
line — a hostile body never reaches further than this module. While events arrive the channel is
"live" and feeds poll slowly; when the listener cannot bind, or no event came for a while, the
channel says so and feeds poll at their normal interval again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from tui.listen import bind_listener

if TYPE_CHECKING:
    from tui.service.push_http import PushServer, Reply

log = logging.getLogger("callboard.push")

MAX_BODY_BYTES = 64 * 1024
DEFAULT_SILENCE_S = 120.0


class PushState(StrEnum):
    OFF = "off"
    STARTING = "starting"
    WAITING = "waiting for the first push"
    LIVE = "live"
    SILENT = "silent"
    FAILED = "listener failed"


@dataclass(frozen=True, slots=True)
class PushStatus:
    state: PushState
    detail: str = ""

    @property
    def polling(self) -> bool:
        """True when feeds must poll at their normal pace (pushes are not carrying the board)."""
        return self.state is not PushState.LIVE


def parse_listen(listen: str) -> tuple[str, int]:
    """`127.0.0.1:8090`, `[::1]:8090`, `localhost:8090` -> (host, port)."""
    host, _, port = listen.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def decode_body(raw: bytes, content_type: str) -> Mapping[str, Any]:
    """A pushed body as a mapping; ValueError for anything that is not one."""
    if len(raw) > MAX_BODY_BYTES:
        raise ValueError(f"body of {len(raw)} bytes is over the {MAX_BODY_BYTES}-byte limit")
    text = raw.decode("utf-8")
    if "application/x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text, keep_blank_values=True))
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"a push must be a JSON object, not {type(value).__name__}")
    return value


class PushChannel:
    def __init__(
        self,
        listen: str,
        on_payload: Callable[[Mapping[str, Any]], bool],
        on_status: Callable[[PushStatus], None],
        *,
        silence_s: float = DEFAULT_SILENCE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`on_payload` returns True for a usable event (only those keep the channel live)."""
        self.listen = listen
        self._on_payload = on_payload
        self._on_status = on_status
        self._silence_s = silence_s
        self._clock = clock
        self._status = PushStatus(PushState.OFF)
        self._last_event: float | None = None
        self._server: PushServer | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self.received = 0
        self.dropped = 0

    @property
    def status(self) -> PushStatus:
        return self._status

    @property
    def port(self) -> int | None:
        return None if self._server is None else self._server.port

    def _set(self, status: PushStatus) -> None:
        if status != self._status:
            self._status = status
            self._on_status(status)

    async def start(self) -> None:
        self._set(PushStatus(PushState.STARTING, self.listen))
        try:
            sock = bind_listener(*parse_listen(self.listen))
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            log.warning("push listener %s could not bind: %s", self.listen, reason)
            self._set(PushStatus(PushState.FAILED, f"cannot listen on {self.listen}: {reason}"))
            return
        from tui.service.push_http import PushServer  # uvicorn loads only for a profile that listens

        self._server = PushServer(
            sock, max_body=MAX_BODY_BYTES, on_body=self._receive, on_refused=self._drop,
            name=f"push:{self.listen}",
        )  # fmt: skip
        self._watchdog = asyncio.create_task(self._watch(), name=f"push-watch:{self.listen}")
        self._set(PushStatus(PushState.WAITING, self.listen))

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._server is not None:
            await self._server.stop()
        self._server = self._watchdog = None
        self._set(PushStatus(PushState.OFF))

    def _receive(self, raw: bytes, content_type: str) -> Reply:
        try:
            payload = decode_body(raw, content_type)
        except (ValueError, UnicodeDecodeError) as error:
            return self._drop(f"unreadable body: {str(error)[:120]}")
        try:
            usable = self._on_payload(payload)
        except Exception:  # a bug downstream must not kill the listener
            log.exception("push handler failed")
            usable = False
        if not usable:
            self.dropped += 1
            return 400, {"status": "error", "message": "event not understood"}
        self.received += 1
        self._last_event = self._clock()
        self._set(PushStatus(PushState.LIVE, self.listen))
        return 200, {"status": "success"}

    def _drop(self, why: str) -> Reply:
        self.dropped += 1
        log.warning("push dropped: %s", why)
        return 400, {"status": "error", "message": why}

    async def _watch(self) -> None:
        """Pushes that stop are noticed: after `silence_s` without an event, feeds poll again."""
        while True:
            await asyncio.sleep(min(5.0, self._silence_s / 4))
            if self._status.state is PushState.LIVE and self._last_event is not None:
                quiet = self._clock() - self._last_event
                if quiet >= self._silence_s:
                    self._set(PushStatus(PushState.SILENT, f"no push for {int(quiet)}s"))
