"""`callboard demo`: the simulator on loopback in a background thread, and profiles that point at it.

The simulator gets its own thread and asyncio loop so that its work never competes with the
console's event loop for a turn (the console talks to it over real HTTP like any vendor).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import Future

from tui.config import Config, config_from_dict

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
    ) -> None:
        self.seed, self.speed, self.host, self.port, self.faults = seed, speed, host, port, faults
        self.fault_kinds = fault_kinds  # None: every kind the simulator knows
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server = None
        self._seen_codes: set[int] = set()

    def start(self, timeout: float = 15.0) -> None:
        from tui.simulator.faults import FaultPlan
        from tui.simulator.server import SimulatorServer

        ready: Future[None] = Future()
        plan = FaultPlan(self.faults, seed=self.seed, kinds=self.fault_kinds)
        self._server = SimulatorServer(seed=self.seed, speed=self.speed, faults=plan)

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

    def base_url(self, vendor: str) -> str:
        return self._server.base_url(vendor)

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


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now, for the console's push listener."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def demo_profiles(simulator: BackgroundSimulator, vendor: str) -> dict[str, dict]:
    """One profile per vendor built so far (`all`), or the ones of the vendor asked for."""
    from tui.simulator.coocenter_facade import DEFAULT_PBX_TIMEZONE
    from tui.simulator.server import DEMO_CREDENTIALS, DEMO_WEBKEYS

    profiles: dict[str, dict] = {}
    if vendor in ("yemot", "all"):
        accounts = {c.username: c for c in DEMO_CREDENTIALS if c.vendor == "yemot"}
        for name, username in (("yemot", "0773137770"), ("yemot-mfa", "0773137771")):
            profiles[name] = {
                "vendor": "yemot",
                "base_url": simulator.base_url("yemot"),
                "username": username,
                "password": accounts[username].password,
                "queues": DEMO_QUEUES,
            }
    if vendor in ("coocenter", "all"):
        port = free_port()
        profiles["coocenter"] = {
            "vendor": "coocenter",
            "base_url": simulator.base_url("coocenter"),
            "webkey": DEMO_WEBKEYS["coocenter"],
            "pbx_timezone": DEFAULT_PBX_TIMEZONE,
            "push_listen": f"127.0.0.1:{port}",
        }
        simulator.start_pusher("coocenter", f"http://127.0.0.1:{port}/")
    return profiles


def demo_config(simulator: BackgroundSimulator, vendor: str) -> Config:
    profiles = demo_profiles(simulator, vendor)
    return config_from_dict({"default_profile": next(iter(profiles)), "profiles": profiles}, "<demo>")
