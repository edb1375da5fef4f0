"""`callboard screenshots`: an SVG of every screen, from the seeded simulator, headless.

The same states each time: a fixed seed, the world advanced a fixed amount and then frozen, the
console driven by Textual's pilot. Used for the docs and to look at every screen as a picture.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tui.config import config_from_dict

SHOTS = (
    # (file stem, profile, keys pressed after start)
    ("1-queues-yemot", "yemot", ""),
    ("2-sip-yemot", "yemot", "2"),
    ("3-campaigns-yemot", "yemot", "3"),
    ("4-sms-yemot", "yemot", "4"),
    ("5-calls-yemot", "yemot", "5"),
    ("6-trust-yemot", "yemot", "6"),
    ("0-login-mfa-yemot", "yemot-mfa", ""),
    ("1-queues-coocenter", "coocenter", ""),
    ("2-sip-coocenter", "coocenter", "2"),
    ("5-calls-coocenter", "coocenter", "5"),
)


def _config(base: str):
    from tui.demo import DEMO_QUEUES
    from tui.simulator.coocenter_facade import DEFAULT_PBX_TIMEZONE
    from tui.simulator.server import DEMO_CREDENTIALS, DEMO_WEBKEYS

    yemot = {c.username: c.password for c in DEMO_CREDENTIALS if c.vendor == "yemot"}
    profiles = {
        name: {
            "vendor": "yemot",
            "base_url": f"{base}/yemot/ym/api/",
            "username": user,
            "password": yemot[user],
            "queues": DEMO_QUEUES,
        }
        for name, user in (("yemot", "0773137770"), ("yemot-mfa", "0773137771"))
    }
    profiles["coocenter"] = {
        "vendor": "coocenter",
        "base_url": f"{base}/coocenter/coocenter-api/",
        "webkey": DEMO_WEBKEYS["coocenter"],
        "pbx_timezone": DEFAULT_PBX_TIMEZONE,
    }
    return config_from_dict({"profiles": profiles}, "<screenshots>")


async def _shoot(out: Path, size: tuple[int, int], seed: int) -> list[Path]:
    from tui.app import CallboardApp
    from tui.service.audit import AuditLog
    from tui.sessions import build_sessions
    from tui.simulator.server import build_app
    from tui.simulator.world import World

    written: list[Path] = []
    for stem, profile, keys in SHOTS:
        world = World(seed)
        world.advance(120)
        transport = httpx.ASGITransport(app=build_app(world, speed=0))
        sessions, _ = build_sessions(
            _config("http://simulator"),
            transport_for=lambda _name, t=transport: t,
            audit=AuditLog(out / ".screenshots-audit.jsonl"),
        )
        app = CallboardApp(sessions, start_profile=profile)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(1.0)
            for key in keys:
                await pilot.press(key)
                await pilot.pause(1.0)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{stem}.svg", path=str(out))
        written.append(out / f"{stem}.svg")
    (out / ".screenshots-audit.jsonl").unlink(missing_ok=True)
    return written


def take_screenshots(out: Path, size: tuple[int, int] = (120, 40), seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(_shoot(out, size, seed))
