"""The figures of SPEC §9 that need the console as a separate program in a real pseudo-terminal.

The simulator runs in this (the bench's) process, on its own thread, so the console's process is
only the console: its bytes, CPU and memory are its own. The world is frozen (speed 0) unless a
figure changes it on purpose, so any byte the console writes is one it did not need to write.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from tui.bench.pty_console import PtyConsole

SIZE = (120, 40)
START_TIMEOUT_S = 60.0
HELLO_MARKER = "hello-bench-ready"
HELLO_APP = f"""
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static({HELLO_MARKER!r})

Hello().run()
"""


def _console_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def _first_agent_phone(seed_world) -> str:
    """Text that is on the Queues board only once its data came: the first agent's number."""
    queue = next(iter(seed_world.queues.values()))
    return seed_world.agents[queue.members[0].agent_id].phone


def _isolated_env(home: Path) -> dict[str, str]:
    """Config, logs and state of a bench run stay in a throwaway folder."""
    return {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


# -- start-up ---------------------------------------------------------------------------------------
def start_up(quick: bool) -> dict:
    """`callboard demo` from exec to its first queue data on screen, beside a hello-world Textual app."""
    from tui.simulator.world import World

    runs = 1 if quick else 3
    marker = _first_agent_phone(World(7))
    hello: list[float] = []
    console: list[float] = []
    with tempfile.TemporaryDirectory(prefix="callboard-bench-") as home:
        env = _isolated_env(Path(home))
        for _ in range(runs):  # interleaved, so both see the same machine load
            with PtyConsole([sys.executable, "-c", HELLO_APP], size=SIZE, env=env) as app:
                hello.append(_required(app.wait_for(HELLO_MARKER, START_TIMEOUT_S), "hello-world app"))
            with PtyConsole(_console_argv("demo"), size=SIZE, env=env) as app:
                console.append(_required(app.wait_for(marker, START_TIMEOUT_S), "callboard demo"))
    hello_s, console_s = statistics.median(hello), statistics.median(console)
    return {
        "hello_world_s": round(hello_s, 3),
        "first_queue_data_s": round(console_s, 3),
        "ratio": round(console_s / hello_s, 2),
        "runs": runs,
    }


def _required(seconds: float | None, what: str) -> float:
    if seconds is None:
        raise RuntimeError(f"{what} did not show its first screen within {START_TIMEOUT_S:.0f} s")
    return seconds


# -- the console against the bench's own simulator ----------------------------------------------------
@dataclass
class ConnectionCounter:
    """ASGI middleware: each request's vendor mount, client connection (host, port) and time."""

    app: Callable
    first_seen: dict[tuple[str, int], float] = field(default_factory=dict)
    requests: list[tuple[str, tuple[str, int], float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def state(self):  # the simulator reaches its clock and fault plan through app.state
        return self.app.state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            mount = scope["path"].strip("/").split("/", 1)[0]
            client, now = tuple(scope["client"]), time.monotonic()
            with self.lock:
                self.first_seen.setdefault(client, now)
                self.requests.append((mount, client, now))
        await self.app(scope, receive, send)

    def between(self, start: float, end: float) -> dict[str, dict[str, int]]:
        """Per mount, in [start, end): requests, connections that carried them, and new connections."""
        with self.lock:
            requests = [(m, c) for m, c, t in self.requests if start <= t < end]
            first_seen = dict(self.first_seen)
        per_mount: dict[str, dict] = {}
        for mount, client in requests:
            entry = per_mount.setdefault(mount, {"requests": 0, "clients": set()})
            entry["requests"] += 1
            entry["clients"].add(client)
        return {
            mount: {
                "requests": entry["requests"],
                "connections_used": len(entry["clients"]),
                "connections_new": sum(1 for c in entry["clients"] if start <= first_seen[c] < end),
            }
            for mount, entry in per_mount.items()
        }


@dataclass
class BenchConsole:
    simulator: object
    counter: ConnectionCounter
    console: PtyConsole
    world: object
    marker: str


@contextmanager
def console_on_simulator(refresh: dict[str, float], *, load: dict | None = None) -> Iterator[BenchConsole]:
    """The simulator (frozen world, optionally loaded big) and `callboard` in a pty pointed at it."""
    from tui.demo import BackgroundSimulator
    from tui.simulator.coocenter_facade import DEFAULT_PBX_TIMEZONE
    from tui.simulator.server import DEMO_CREDENTIALS, DEMO_WEBKEYS
    from tui.simulator.world import World

    world = World(7)
    if load:
        from tui.simulator.world_load import load_world

        load_world(world, **load)
    marker = _first_agent_phone(world)
    counter: ConnectionCounter | None = None

    def wrap(app):
        nonlocal counter
        counter = ConnectionCounter(app)
        return counter

    simulator = BackgroundSimulator(seed=7, speed=0.0, world=world, wrap_app=wrap)
    simulator.start()
    try:
        password = next(c.password for c in DEMO_CREDENTIALS if c.username == "0773137770")
        config = {
            "default_profile": "yemot",
            "refresh": refresh,
            "profiles": {
                "yemot": {
                    "vendor": "yemot",
                    "base_url": simulator.base_url("yemot"),
                    "username": "0773137770",
                    "password": password,
                    "queues": ["/1", "/2/5", "/3"],
                },
                "coocenter": {
                    "vendor": "coocenter",
                    "base_url": simulator.base_url("coocenter"),
                    "webkey": DEMO_WEBKEYS["coocenter"],
                    "pbx_timezone": DEFAULT_PBX_TIMEZONE,
                },
            },
        }
        with tempfile.TemporaryDirectory(prefix="callboard-bench-") as home:
            path = Path(home) / "config.toml"
            path.write_bytes(tomli_w.dumps(config).encode())
            path.chmod(0o600)
            argv = _console_argv("--config", str(path), "--profile", "yemot")
            with PtyConsole(argv, size=SIZE, env=_isolated_env(Path(home))) as console:
                if console.wait_for(marker, START_TIMEOUT_S) is None:
                    raise RuntimeError("the console did not show queue data: " + console.text()[-500:])
                yield BenchConsole(simulator, counter, console, world, marker)
    finally:
        simulator.stop()


def _settle(console: PtyConsole) -> None:
    """Let the first screen finish drawing (late columns, the footer) before measuring."""
    console.quiet_for(1.5, timeout=8.0)


# -- idle: bytes, CPU, connections ------------------------------------------------------------------
def idle(quick: bool) -> dict:
    """Nothing changes while every feed polls at 2 s: bytes written, CPU used, connections opened."""
    window = 5.0 if quick else 60.0
    refresh = {screen: 2 for screen in ("queues", "sip", "campaigns", "sms", "calls")}
    with console_on_simulator(refresh) as bench:
        _settle(bench.console)
        time.sleep(4.0)  # steady state: every connection of the first polls is open by now
        start, cpu_before = time.monotonic(), bench.console.cpu_seconds()
        time.sleep(window)
        end, cpu_after = time.monotonic(), bench.console.cpu_seconds()
        written = bench.console.bytes_between(start, end)
        traffic = bench.counter.between(start, end)
        screens = _idle_screens(bench.console, quick)
    per_minute = 60.0 / window
    return {
        "window_s": window,
        "bytes_per_s": round(written / window, 1),
        "other_screens_bytes_per_s": screens,
        "worst_bytes_per_s": max([round(written / window, 1), *screens.values()]),
        "cpu_pct": round((cpu_after - cpu_before) / window * 100, 2),
        "per_profile": {
            mount: {
                "requests_per_min": round(c["requests"] * per_minute, 1),
                "connections_used": c["connections_used"],
                "connections_opened_per_min": round(c["connections_new"] * per_minute, 2),
            }
            for mount, c in traffic.items()
        },
    }


# Every other screen of both profiles (keys as pressed from the Queues board of the first profile).
IDLE_VISITS = (
    ("yemot/sip", "2"), ("yemot/campaigns", "3"), ("yemot/sms", "4"), ("yemot/calls", "5"),
    ("yemot/trust", "6"), ("coocenter/trust", "]"), ("coocenter/calls", "5"), ("coocenter/sip", "2"),
    ("coocenter/queues", "1"),
)  # fmt: skip


def _idle_screens(console: PtyConsole, quick: bool) -> dict[str, float]:
    """Bytes per second on each other screen once it has drawn its data and nothing changes."""
    window = 2.0 if quick else 8.0
    visits = IDLE_VISITS[:5] if quick else IDLE_VISITS
    rates: dict[str, float] = {}
    for name, key in visits:
        console.send(key)
        # Drawn and its first polls answered: quiet for longer than a poll interval. A profile switch
        # also shows a toast for 5 s, which is no data changing: it is waited out too.
        console.quiet_for(6.0 if key in "[]" else 3.0, timeout=20.0)
        start = time.monotonic()
        time.sleep(window)
        rates[name] = round(console.bytes_between(start, time.monotonic()) / window, 1)
    return rates


# -- one agent changing each second -----------------------------------------------------------------
def one_agent_changing(quick: bool) -> dict:
    """Bytes per second while one agent changes state each second (the Queues board polled at 1 s)."""
    window = 5.0 if quick else 30.0
    refresh = {"queues": 1, "sip": 10, "campaigns": 5, "sms": 5, "calls": 2}
    with console_on_simulator(refresh) as bench:
        _settle(bench.console)
        queue = next(iter(bench.world.queues.values()))
        agent_id = queue.members[0].agent_id
        paused = queue.members[0].paused
        start = time.monotonic()
        flips = 0
        while time.monotonic() < start + window:
            paused = not paused
            bench.simulator.call(lambda p=paused: bench.world.set_paused(queue.queue_id, agent_id, p))
            flips += 1
            time.sleep(max(0.0, start + flips - time.monotonic()))
        end = time.monotonic()
        written = bench.console.bytes_between(start, end)
    return {"window_s": window, "changes": flips, "bytes_per_s": round(written / (end - start), 1)}


# -- memory with a big call center --------------------------------------------------------------------
BIG = {"agents": 500, "waiting": 200, "sms": 3000, "sip_accounts": 1000}


def peak_memory(quick: bool) -> dict:
    """Peak RSS after the Queues, SIP and SMS screens have shown a big call center's data."""
    refresh = {"queues": 2, "sip": 2, "campaigns": 5, "sms": 2, "calls": 2}
    with console_on_simulator(refresh, load=BIG) as bench:
        _settle(bench.console)
        for key in ("2", "4", "5", "1"):
            bench.console.send(key)
            bench.console.quiet_for(1.0, timeout=10.0)
            time.sleep(2.0 if quick else 6.0)
        return {
            **BIG,
            "peak_rss_mb": round(bench.console.peak_rss_mb(), 1),
            "rss_mb": round(bench.console.rss_mb(), 1),
        }
