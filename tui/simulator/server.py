"""The simulator over real HTTP: one world, a clock that moves it, and the vendor facades.

The clock is lazy: before each request it advances the world by the real time elapsed since the
last request times the speed, so callers keep arriving while nobody asks and an idle simulator
costs nothing. Each vendor's facade is mounted under its own prefix (`/yemot/ym/api/`, ...).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from tui.simulator.world import World
from tui.simulator.world_auth import DEMO_ACCOUNTS
from tui.simulator.yemot_facade import yemot_app

# Where each vendor's facade lives; a client's base URL is the server address + this + "/".
VENDOR_MOUNTS: dict[str, str] = {"yemot": "/yemot/ym/api"}
STARTUP_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class DemoCredential:
    """A demo login printed for the user (demo credentials are public by design)."""

    vendor: str
    username: str
    password: str
    note: str


DEMO_CREDENTIALS: tuple[DemoCredential, ...] = tuple(
    DemoCredential("yemot", account.system, account.password, account.note) for account in DEMO_ACCOUNTS
)


class SimClock:
    """Advances the world by real elapsed time × speed, when asked (speed 0: frozen)."""

    def __init__(self, world: World, speed: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        if speed < 0:
            raise ValueError("speed cannot be negative")
        self.world = world
        self.speed = speed
        self._monotonic = monotonic
        self._last = monotonic()

    def tick(self) -> None:
        now = self._monotonic()
        elapsed, self._last = now - self._last, now
        if self.speed > 0 and elapsed > 0:
            self.world.advance(elapsed * self.speed)


def build_app(world: World, speed: float) -> Starlette:
    """Every facade over one world, plus a small index at `/`."""
    clock = SimClock(world, speed)

    async def index(request: Request) -> JSONResponse:
        clock.tick()
        vendors = {vendor: mount + "/" for vendor, mount in VENDOR_MOUNTS.items()}
        return JSONResponse({"simulator": "callboard", "now": world.now.isoformat(), "vendors": vendors})

    routes = [
        Route("/", index),
        Mount(VENDOR_MOUNTS["yemot"], app=yemot_app(world, before_request=clock.tick)),
    ]
    app = Starlette(routes=routes)
    app.state.world = world
    app.state.clock = clock
    return app


def _bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket (port 0 = a free one), so the port is known before serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _url(host: str, port: int, path: str = "/") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def vendor_base_url(host: str, port: int, vendor: str) -> str:
    if vendor not in VENDOR_MOUNTS:
        raise ValueError(f"the simulator has no {vendor!r} facade (it has: {', '.join(VENDOR_MOUNTS)})")
    return _url(host, port, VENDOR_MOUNTS[vendor] + "/")


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the program embedding it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class SimulatorServer:
    """The simulator served by uvicorn inside the current asyncio loop (tests, `callboard demo`)."""

    def __init__(self, world: World | None = None, *, seed: int = 7, speed: float = 1.0) -> None:
        self.world = world if world is not None else World(seed)
        self.app = build_app(self.world, speed)
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._task is not None:
            raise RuntimeError("the simulator is already running")
        sock = _bind(host, port)
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", log_config=None
        )
        server = _EmbeddedServer(config)
        task = asyncio.create_task(server.serve(sockets=[sock]), name="callboard-simulator")
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started:
            if task.done() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                await asyncio.gather(task, return_exceptions=True)
                raise RuntimeError(f"the simulator did not start on {_url(host, port)}")
            await asyncio.sleep(0.01)
        self.host, self.port = host, sock.getsockname()[1]
        self._server, self._task = server, task

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._server = self._task = None

    def base_url(self, vendor: str) -> str:
        """E.g. `http://127.0.0.1:PORT/yemot/ym/api/`."""
        if self.port is None:
            raise RuntimeError("the simulator has not started")
        return vendor_base_url(self.host, self.port, vendor)

    async def __aenter__(self) -> SimulatorServer:
        if self._task is None:
            await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


def run_forever(
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 7,
    speed: float = 1.0,
    print_fn: Callable[[str], object] = print,
) -> None:
    """Serve the simulator until Ctrl-C, after printing where it is and how to log in."""
    world = World(seed)
    app = build_app(world, speed)
    sock = _bind(host, port)
    actual_port = sock.getsockname()[1]
    print_fn(f"Callboard simulator on {_url(host, actual_port)} (seed {seed}, speed {speed:g}x)")
    for vendor in VENDOR_MOUNTS:
        print_fn(f"  {vendor:<10} base_url = {vendor_base_url(host, actual_port, vendor)}")
    print_fn("Demo credentials:")
    for cred in DEMO_CREDENTIALS:
        print_fn(f"  {cred.vendor:<10} username {cred.username}  password {cred.password}  ({cred.note})")
    print_fn("Press Ctrl-C to stop.")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
