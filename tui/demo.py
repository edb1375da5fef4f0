"""`callboard demo`: the simulator on loopback in a background thread, and profiles that point at it.

The simulator gets its own thread and asyncio loop so that its work never competes with the
console's event loop for a turn (the console talks to it over real HTTP like any vendor).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

from tui.listen import free_port

if TYPE_CHECKING:
    from tui.config import Config


DEMO_QUEUES = ["/1", "/2/5", "/3"]


class BackgroundSimulator:
    def __init__(
        self,
        *,
        seed: int = 7,
        speed: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: float = 0.0,
        fault_kinds=None,
        world=None,
        wrap_app=None,
    ) -> None:
        self.seed, self.speed, self.host, self.port, self.faults = seed, speed, host, port, faults
        self.fault_kinds = fault_kinds  # None: every kind the simulator knows
        self.world = world  # None: a fresh World(seed)
        self.wrap_app = wrap_app  # an ASGI middleware around every facade (the bench counts connections)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server = None
        self._seen_codes: set[int] = set()

    def start(self, timeout: float = 15.0) -> None:
        from tui.simulator.faults import FaultPlan
        from tui.simulator.server import SimulatorServer

        ready: Future[None] = Future()
        plan = FaultPlan(self.faults, seed=self.seed, kinds=self.fault_kinds)
        self._server = SimulatorServer(self.world, seed=self.seed, speed=self.speed, faults=plan)
        if self.wrap_app is not None:
            self._server.app = self.wrap_app(self._server.app)

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._server.start(self.host, self.port))
            except BaseException as error:  # handed to the waiting thread
                ready.set_exception(error)
                loop.close()
                return
            ready.set_result(None)
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._server.stop())
                loop.close()

        self._thread = threading.Thread(target=run, name="callboard-simulator", daemon=True)
        self._thread.start()
        ready.result(timeout)

    @property
    def port_in_use(self) -> int:
        """The port it serves on (the one asked for, or the one the system gave for 0)."""
        return self._server.port

    def base_url(self, vendor: str) -> str:
        return self._server.base_url(vendor)

    def call(self, function, timeout: float = 5.0):
        """Run `function()` on the simulator's loop (the world is only ever touched from there)."""

        async def run():
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def faults_served(self) -> dict[str, int]:
        """How many faults the simulator served, by kind (all vendors)."""
        totals: dict[str, int] = {}
        for vendor in self._server.faults.vendors:
            for kind, count in self._server.faults.served(vendor).items():
                totals[str(kind)] = totals.get(str(kind), 0) + count
        return totals

    def new_codes(self) -> list[str]:
        """MFA codes the simulated world "sent" since the last call, worded for a demo notification."""
        sent = list(self._server.world.sent_codes)
        fresh = [c for c in sent if id(c) not in self._seen_codes]
        self._seen_codes.update(id(c) for c in fresh)
        return [f"{c.system}: code {c.code} by {c.channel} to {c.target}" for c in fresh]

    def start_pusher(self, vendor: str, target_url: str) -> None:
        """Have the simulated PBX push its events to `target_url` (from the simulator's own loop)."""

        async def start() -> None:
            self._server.start_pusher(vendor, target_url)

        asyncio.run_coroutine_threadsafe(start(), self._loop).result(5)

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)


def demo_profiles(simulator: BackgroundSimulator, vendor: str) -> dict[str, dict]:
    """The demo's profiles on a running simulator; its PBX pushes to the coocenter profile's listener."""
    profiles = demo_profiles_at(simulator.host, simulator.port_in_use, vendor, push_port=free_port())
    if "coocenter" in profiles:
        simulator.start_pusher("coocenter", push_url(profiles["coocenter"]))
    return profiles


def demo_profiles_at(host: str, port: int, vendor: str, *, push_port: int | None) -> dict[str, dict]:
    """One profile per vendor built so far (`all`), or the ones of the vendor asked for, on a
    simulator at host:port (which need not be up yet); `push_port`: the coocenter profile's push
    listener (None: it polls only)."""
    from tui.simulator.demo_accounts import (
        DEFAULT_PBX_TIMEZONE,
        DEMO_CREDENTIALS,
        DEMO_WEBKEYS,
        vendor_base_url,
    )

    profiles: dict[str, dict] = {}
    if vendor in ("yemot", "all"):
        accounts = {c.username: c for c in DEMO_CREDENTIALS if c.vendor == "yemot"}
        for name, username in (("yemot", "0773137770"), ("yemot-mfa", "0773137771")):
            profiles[name] = {
                "vendor": "yemot",
                "base_url": vendor_base_url(host, port, "yemot"),
                "username": username,
                "password": accounts[username].password,
                "queues": DEMO_QUEUES,
            }
    if vendor in ("coocenter", "all"):
        profiles["coocenter"] = {
            "vendor": "coocenter",
            "base_url": vendor_base_url(host, port, "coocenter"),
            "webkey": DEMO_WEBKEYS["coocenter"],
            "pbx_timezone": DEFAULT_PBX_TIMEZONE,
        }
        if push_port is not None:
            profiles["coocenter"]["push_listen"] = f"127.0.0.1:{push_port}"
    return profiles


def push_url(profile: dict) -> str:
    """Where a simulated PBX reaches this profile's push listener."""
    return f"http://{profile['push_listen']}/"


def demo_config(simulator: BackgroundSimulator, vendor: str) -> Config:
    return demo_config_from(demo_profiles(simulator, vendor))


def demo_config_from(profiles: dict[str, dict]) -> Config:
    from tui.config import config_from_dict  # pydantic: not loaded before `callboard demo` spawns

    return config_from_dict({"default_profile": next(iter(profiles)), "profiles": profiles}, "<demo>")
