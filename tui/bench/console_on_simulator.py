"""The console headless (`run_test`, 120×40) against the simulator over loopback HTTP.

For `refresh_times` the simulator runs on a thread (`_simulator`: it is idle while a refresh is
measured, and the world is changed between refreshes); for the figures that poll it all along it
runs in a process of its own (`_simulator_process`), as a vendor would, so its work is not on our
interpreter.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.bench.instruments import clock

SIZE = (120, 40)
SEED = 7


def _yemot_profile(base_url: str, system: str = "0773137770") -> dict[str, Any]:
    from tui.demo import DEMO_QUEUES
    from tui.simulator.server import DEMO_CREDENTIALS

    password = next(c.password for c in DEMO_CREDENTIALS if c.vendor == "yemot" and c.username == system)
    return {
        "vendor": "yemot",
        "base_url": base_url,
        "username": system,
        "password": password,
        "queues": DEMO_QUEUES,
    }


def _console(profiles: dict[str, dict[str, Any]], refresh_s: float, **app_options: Any) -> Any:
    from tui.app import CallboardApp
    from tui.config import config_from_dict
    from tui.service.audit import AuditLog
    from tui.sessions import build_sessions

    intervals = dict.fromkeys(("queues", "sip", "campaigns", "sms", "calls"), refresh_s)
    config = config_from_dict({"refresh": intervals, "profiles": profiles}, "<bench>")
    sessions, broken = build_sessions(config, audit=AuditLog(Path(os.devnull)))
    if broken:
        raise RuntimeError(f"bench profiles did not open: {broken}")
    return CallboardApp(sessions, start_profile=next(iter(sessions)), **app_options)


@contextmanager
def _simulator(world: Any, speed: float) -> Iterator[Any]:
    from tui.demo import BackgroundSimulator

    simulator = BackgroundSimulator(seed=world.seed, speed=speed, world=world)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


async def _on_simulator(simulator: Any, function: Callable[[], Any]) -> Any:
    """Run `function()` where the simulator's world lives, without blocking this loop."""
    return await asyncio.to_thread(simulator.call, function)


def serve_for_bench(seed: int, speed: float, load: bool) -> None:
    """The simulator process's main: prints the Yemot base URL, serves until its stdin closes."""
    from tui.simulator.server import SimulatorServer
    from tui.simulator.world import World
    from tui.simulator.world_load import load_world

    world = World(seed)
    if load:
        load_world(world)

    async def serve() -> None:
        server = SimulatorServer(world, speed=speed)
        await server.start("127.0.0.1", 0)
        print(server.base_url("yemot"), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.stop()

    asyncio.run(serve())


@contextmanager
def _simulator_process(seed: int, speed: float, *, load: bool) -> Iterator[str]:
    """The simulator in a process of its own, like a vendor: its work takes nothing from this
    process's interpreter lock while the console polls it. Yields the Yemot base URL."""
    import queue
    import subprocess

    import tui

    code = (
        "from tui.bench.console_on_simulator import serve_for_bench; "
        f"serve_for_bench({seed!r}, {speed!r}, {load!r})"
    )
    source_root = str(Path(tui.__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        try:
            base_url = lines.get(timeout=120).strip()
        except queue.Empty:
            base_url = ""
        if not base_url:
            raise RuntimeError("bench: the simulator process did not start")
        yield base_url
    finally:
        process.stdin.close()  # its signal to stop
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        process.stdout.close()


async def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = clock() + timeout
    while not condition():
        if clock() > deadline:
            raise TimeoutError(f"bench: {what} did not happen within {timeout:g} s")
        await asyncio.sleep(0.02)
