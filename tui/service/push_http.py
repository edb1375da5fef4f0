"""The push listener's HTTP side: uvicorn serving one catch-all POST/PUT route in the console's loop.

Apart from `push.py` so that uvicorn and Starlette (~80 ms to import) load only once a profile
actually listens for pushes, not on every start of the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.embedded_uvicorn import EmbeddedServer

# (HTTP status, JSON body) for the vendor's PBX.
Reply = tuple[int, dict[str, Any]]


class PushServer:
    """Serves `on_body(raw, content_type)` on a bound socket; a body over `max_body` bytes gets
    `on_refused(why)` instead, and is never read whole."""

    def __init__(
        self,
        sock: socket.socket,
        *,
        max_body: int,
        on_body: Callable[[bytes, str], Reply],
        on_refused: Callable[[str], Reply],
        name: str,
    ) -> None:
        self._max_body, self._on_body, self._on_refused = max_body, on_body, on_refused
        app = Starlette(routes=[Route("/{path:path}", self._receive, methods=["POST", "PUT"])])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", log_config=None)
        self._server = EmbeddedServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name=name)

    @property
    def port(self) -> int | None:
        if not self._server.servers:
            return None
        return self._server.servers[0].sockets[0].getsockname()[1]

    async def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(self._task, timeout)

    async def _receive(self, request: Request) -> JSONResponse:
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > self._max_body:
            return self._reply(self._on_refused(f"body of {declared} bytes refused"))
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > self._max_body:
                return self._reply(self._on_refused("body over the size limit"))
        return self._reply(self._on_body(raw, request.headers.get("content-type", "")))

    @staticmethod
    def _reply(reply: Reply) -> JSONResponse:
        status, body = reply
        return JSONResponse(body, status_code=status)
