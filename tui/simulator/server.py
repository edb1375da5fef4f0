"""The simulator over real HTTP: one world, a clock that moves it, and the vendor facades.

The clock is lazy: before each request it advances the world by the real time elapsed since the
last request times the speed, so callers keep arriving while nobody asks and an idle simulator
costs nothing. Each vendor's facade is mounted under its own prefix (`/yemot/ym/api/`,
`/coocenter/coocenter-api/`). A push sender (coocenter's PBX pushes events to a URL) ticks the
same clock while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.embedded_uvicorn import EmbeddedServer
from tui.listen import bind_listener
from tui.simulator.coocenter_facade import coocenter_app
from tui.simulator.demo_accounts import (  # re-exported: tests and tools import them from here
    DEFAULT_PBX_TIMEZONE,
    DEMO_CREDENTIALS,
    DEMO_MAC,
    DEMO_WEBKEYS,
    VENDOR_MOUNTS,
    server_url,
    vendor_base_url,
)
from tui.simulator.faults import TRANSIENT_KINDS, ConnectionDropper, FaultInjector, FaultPlan
from tui.simulator.world import World
from tui.simulator.yemot_facade import YemotQuirks, yemot_app
from tui.vendors.coocenter.assumptions import c_a3_format_date

if TYPE_CHECKING:
    from tui.simulator.coocenter_pusher import CoocenterPusher

# Vendors whose simulated PBX pushes events to a URL.
PUSH_VENDORS = frozenset({"coocenter"})
STARTUP_TIMEOUT_S = 10.0
SHUTDOWN_GRACE_S = 1.0
KEEP_ALIVE_S = 75  # over tui.vendors.http's keep-alive expiry: the client lets go first


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


class WorldDate:
    """A `Date` header from the world's clock on replies that have none (coocenter sets its own)."""

    def __init__(self, app: ASGIApp, world: World) -> None:
        self.app, self.world = app, world

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"date" for name, _ in headers):
                    headers.append((b"date", c_a3_format_date(self.world.now).encode("latin-1")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_dated)


def build_app(
    world: World,
    speed: float,
    *,
    webkeys: Mapping[str, str] | None = None,
    pbx_timezone: str = DEFAULT_PBX_TIMEZONE,
    clock_skew_s: float = 0.0,
    faults: FaultPlan | None = None,
) -> Starlette:
    """Every facade over one world, plus a small index at `/`.

    `webkeys`: vendor -> key (None: the demo's `DEMO_WEBKEYS`; {}: no Authorization checked).
    `faults`: the fault plan applied to each vendor's mount (None: one that faults nothing until
    forced); `app.state.faults` is the plan, switchable while serving.
    """
    clock = SimClock(world, speed)
    plan = faults if faults is not None else FaultPlan()
    keys = DEMO_WEBKEYS if webkeys is None else webkeys

    async def index(request: Request) -> JSONResponse:
        clock.tick()
        vendors = {vendor: mount + "/" for vendor, mount in VENDOR_MOUNTS.items()}
        return JSONResponse({"simulator": "callboard", "now": world.now.isoformat(), "vendors": vendors})

    coocenter = coocenter_app(
        world,
        webkey=keys.get("coocenter"),
        pbx_timezone=pbx_timezone,
        clock_skew_s=clock_skew_s,
        before_request=clock.tick,
    )
    yemot_quirks = YemotQuirks()
    yemot = yemot_app(world, before_request=clock.tick, quirks=yemot_quirks)
    routes = [
        Route("/", index),
        Mount(
            VENDOR_MOUNTS["yemot"],
            app=FaultInjector(yemot, plan, "yemot", world, before_request=clock.tick),
        ),
        Mount(
            VENDOR_MOUNTS["coocenter"],
            app=FaultInjector(
                coocenter,
                plan,
                "coocenter",
                world,
                before_request=clock.tick,
                date_header=coocenter.state.pbx_clock.http_date,
            ),
        ),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(WorldDate, world=world)])
    app.state.world = world
    app.state.clock = clock
    app.state.yemot_quirks = yemot_quirks  # fault injection, switchable while serving
    app.state.faults = plan
    return app


def _uvicorn_config(app: Starlette) -> uvicorn.Config:
    # uvicorn's own Date header would be a second one next to the PBX's (C-A3). ConnectionDropper
    # lets the REFUSED fault drop a connection without uvicorn answering 500 for it. A TIMEOUT fault
    # holds its request for long: stopping cancels what is still running after a short grace.
    # Idle connections are kept as web servers in front of vendor APIs commonly keep them (nginx:
    # 75 s), longer than the console keeps its own: at uvicorn's 5 s, a poll every 5 s raced the
    # server closing its connection (a failed poll now and then).
    return uvicorn.Config(
        ConnectionDropper(app),
        log_level="warning",
        access_log=False,
        lifespan="off",
        log_config=None,
        date_header=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
        timeout_keep_alive=KEEP_ALIVE_S,
    )


class SimulatorServer:
    """The simulator served by uvicorn inside the current asyncio loop (tests, `callboard demo`).

    `webkeys`: vendor -> WEBKEY (None: `DEMO_WEBKEYS`; {}: no Authorization). The simulated
    coocenter PBX keeps its clock `clock_skew_s` off the world's, in `pbx_timezone`.
    """

    def __init__(
        self,
        world: World | None = None,
        *,
        seed: int = 7,
        speed: float = 1.0,
        webkeys: Mapping[str, str] | None = None,
        pbx_timezone: str = DEFAULT_PBX_TIMEZONE,
        clock_skew_s: float = 0.0,
        mac: str = DEMO_MAC,
        faults: FaultPlan | None = None,
    ) -> None:
        self.world = world if world is not None else World(seed)
        self.webkeys: dict[str, str] = dict(DEMO_WEBKEYS if webkeys is None else webkeys)
        self.pbx_timezone, self.clock_skew_s, self.mac = pbx_timezone, clock_skew_s, mac
        self.app = build_app(
            self.world,
            speed,
            webkeys=self.webkeys,
            pbx_timezone=pbx_timezone,
            clock_skew_s=clock_skew_s,
            faults=faults,
        )
        self.faults: FaultPlan = self.app.state.faults
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._server: EmbeddedServer | None = None
        self._task: asyncio.Task[None] | None = None
        self._pushers: dict[str, tuple[CoocenterPusher, asyncio.Task[None]]] = {}

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._task is not None:
            raise RuntimeError("the simulator is already running")
        sock = bind_listener(host, port)
        server = EmbeddedServer(_uvicorn_config(self.app))
        task = asyncio.create_task(server.serve(sockets=[sock]), name="callboard-simulator")
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started:
            if task.done() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                await asyncio.gather(task, return_exceptions=True)
                raise RuntimeError(f"the simulator did not start on {server_url(host, port)}")
            await asyncio.sleep(0.01)
        self.host, self.port = host, sock.getsockname()[1]
        self._server, self._task = server, task

    async def stop(self) -> None:
        """Stop every pusher, then the server."""
        pushers, self._pushers = list(self._pushers.values()), {}
        for _pusher, task in pushers:
            await stop_task(task)
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._server = self._task = None

    def start_pusher(self, vendor: str, target_url: str, **options: Any) -> CoocenterPusher:
        """Start pushing `vendor`'s events to `target_url` from the running loop (stopped by `stop()`).

        `options` go to `CoocenterPusher` (retry_s, retries, interval_s, transport, ...).
        """
        if vendor not in PUSH_VENDORS:
            raise ValueError(f"the simulator pushes events only for {', '.join(sorted(PUSH_VENDORS))}")
        if vendor in self._pushers:
            raise RuntimeError(f"the simulator already pushes {vendor} events")
        from tui.simulator.coocenter_pusher import CoocenterPusher  # httpx: loaded only to push

        pusher = CoocenterPusher(
            self.world,
            target_url,
            mac=self.mac,
            pbx_timezone=self.pbx_timezone,
            clock_skew_s=self.clock_skew_s,
            tick=self.app.state.clock.tick,
            **options,
        )
        task = asyncio.get_running_loop().create_task(pusher.run(), name=f"callboard-simulator-{vendor}-push")
        self._pushers[vendor] = (pusher, task)
        return pusher

    def pusher(self, vendor: str) -> CoocenterPusher:
        """The running pusher of `vendor` (KeyError when none was started)."""
        if vendor not in self._pushers:
            raise KeyError(f"no {vendor} pusher has been started")
        return self._pushers[vendor][0]

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


async def stop_task(task: asyncio.Task[None]) -> None:
    """Cancel a pusher's `run()` task and wait until it has cleaned up."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _serve(app: Starlette, sock: socket.socket, pushers: list[CoocenterPusher]) -> None:
    server = uvicorn.Server(_uvicorn_config(app))
    tasks = [asyncio.create_task(pusher.run()) for pusher in pushers]
    try:
        await server.serve(sockets=[sock])
    finally:
        for task in tasks:
            await stop_task(task)


def run_forever(
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 7,
    speed: float = 1.0,
    print_fn: Callable[[str], object] = print,
    *,
    webkeys: Mapping[str, str] | None = None,
    push_urls: Mapping[str, str] | None = None,
    pbx_timezone: str = DEFAULT_PBX_TIMEZONE,
    clock_skew_s: float = 0.0,
    fault_rate: float = 0.0,
) -> None:
    """Serve the simulator until Ctrl-C, after printing where it is and how to log in.

    `push_urls`: vendor -> where its PBX pushes events (coocenter only). `fault_rate`: the share
    of each vendor's requests answered with a random fault (seeded by `seed`).
    """
    keys = dict(DEMO_WEBKEYS if webkeys is None else webkeys)
    targets = dict(push_urls or {})
    unknown = set(targets) - PUSH_VENDORS
    if unknown:
        raise ValueError(f"the simulator pushes events only for {', '.join(sorted(PUSH_VENDORS))}")
    world = World(seed)
    plan = FaultPlan(fault_rate, seed=seed, kinds=TRANSIENT_KINDS)
    app = build_app(
        world, speed, webkeys=keys, pbx_timezone=pbx_timezone, clock_skew_s=clock_skew_s, faults=plan
    )
    from tui.simulator.coocenter_pusher import CoocenterPusher

    pushers = [
        CoocenterPusher(
            world,
            url,
            mac=DEMO_MAC,
            pbx_timezone=pbx_timezone,
            clock_skew_s=clock_skew_s,
            tick=app.state.clock.tick,
        )
        for url in targets.values()
    ]
    sock = bind_listener(host, port)
    actual_port = sock.getsockname()[1]
    print_fn(f"Callboard simulator on {server_url(host, actual_port)} (seed {seed}, speed {speed:g}x)")
    for vendor in VENDOR_MOUNTS:
        print_fn(f"  {vendor:<10} base_url = {vendor_base_url(host, actual_port, vendor)}")
    print_fn("Demo credentials:")
    for cred in DEMO_CREDENTIALS:
        if cred.vendor != "coocenter":
            print_fn(f"  {cred.vendor:<10} username {cred.username}  password {cred.password}  ({cred.note})")
        elif keys.get("coocenter"):
            print_fn(
                f"  {'coocenter':<10} WEBKEY {keys['coocenter']}  ({cred.note}; PBX time zone {pbx_timezone})"
            )
        else:
            print_fn(f"  {'coocenter':<10} no WEBKEY: Authorization is not checked")
    for vendor, url in targets.items():
        print_fn(f"  {vendor:<10} pushes events to {url}")
    if fault_rate > 0:
        print_fn(f"Fault injection: {fault_rate:.0%} of each vendor's requests get a random fault")
    print_fn("Press Ctrl-C to stop.")
    sys.stdout.flush()
    try:
        asyncio.run(_serve(app, sock, pushers))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
