"""Shared fixtures: the console wired to an in-process simulator (httpx.ASGITransport, frozen clock)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tui.app import CallboardApp
from tui.config import config_from_dict
from tui.demo import DEMO_QUEUES
from tui.service.audit import AuditLog
from tui.sessions import build_sessions
from tui.simulator.coocenter_facade import DEFAULT_PBX_TIMEZONE
from tui.simulator.server import DEMO_WEBKEYS, build_app
from tui.simulator.world import World

DEMO_ACCOUNT = ("0773137770", "demo-1234")
MFA_ACCOUNT = ("0773137771", "demo-mfa")


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config, data or logs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("CALLBOARD_CONFIG", raising=False)


class Switchable(httpx.AsyncBaseTransport):
    """Wraps a transport; tests switch it to fail like a dead vendor and back."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.failing: Exception | None = None
        self.reply: dict | None = None  # a canned JSON reply for every request (a vendor error)
        self.requests = 0
        self.commands: list[str] = []  # the last path segment of every request (Yemot's command)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self.commands.append(request.url.path.rsplit("/", 1)[-1])
        if self.failing is not None:
            raise self.failing
        if self.reply is not None:
            return httpx.Response(200, json=self.reply, request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def world() -> World:
    return World(seed=7)


@pytest.fixture
def transport(world: World) -> Switchable:
    return Switchable(httpx.ASGITransport(app=build_app(world, speed=0)))


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


def _app(profile: dict, refresh: float, transport: Switchable, audit: AuditLog) -> CallboardApp:
    intervals = {"queues": refresh, "sip": refresh, "calls": refresh}
    config = config_from_dict({"refresh": intervals, "profiles": {"office": profile}}, "<test>")
    sessions, broken = build_sessions(config, transport_for=lambda _name: transport, audit=audit)
    assert not broken
    return CallboardApp(sessions, start_profile="office")


@pytest.fixture
def make_app(transport: Switchable, audit: AuditLog) -> Callable[..., CallboardApp]:
    """The console on a Yemot profile of the simulator."""

    def make(account: tuple[str, str] = DEMO_ACCOUNT, *, refresh: float = 2.0, **extra) -> CallboardApp:
        profile = {
            "vendor": "yemot",
            "base_url": "http://sim/yemot/ym/api/",
            "username": account[0],
            "password": account[1],
            "queues": DEMO_QUEUES,
            **extra,
        }
        return _app(profile, refresh, transport, audit)

    return make


@pytest.fixture
def make_coocenter_app(transport: Switchable, audit: AuditLog) -> Callable[..., CallboardApp]:
    """The console on a coocenter profile of the simulator (its WEBKEY, its PBX time zone)."""

    def make(*, refresh: float = 2.0, **extra) -> CallboardApp:
        profile = {
            "vendor": "coocenter",
            "base_url": "http://sim/coocenter/coocenter-api/",
            "webkey": DEMO_WEBKEYS["coocenter"],
            "pbx_timezone": DEFAULT_PBX_TIMEZONE,
            **extra,
        }
        return _app(profile, refresh, transport, audit)

    return make


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (no fixed sleeps in tests)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)


def office_and_floor_profiles() -> dict[str, dict]:
    """Two profiles on the test simulator: `office` (Yemot, the demo account) and `floor` (coocenter)."""
    return {
        "office": {
            "vendor": "yemot",
            "base_url": "http://sim/yemot/ym/api/",
            "username": DEMO_ACCOUNT[0],
            "password": DEMO_ACCOUNT[1],
            "queues": DEMO_QUEUES,
        },
        "floor": {
            "vendor": "coocenter",
            "base_url": "http://sim/coocenter/coocenter-api/",
            "webkey": DEMO_WEBKEYS["coocenter"],
            "pbx_timezone": DEFAULT_PBX_TIMEZONE,
        },
    }


def busy_queue(world: World, minimum: int = 1):
    """Advance the world until some watched queue has `minimum` waiting callers; return that queue."""
    for _ in range(720):
        for queue in world.queues.values():
            if len(queue.waiting) >= minimum:
                return queue
        world.advance(10)
    raise AssertionError("no queue ever had callers waiting")
