"""Secrets never leave: not on screen, in logs, in the audit log, in screenshots, in errors or URLs.

Known secrets are planted in a config file (literal and through *_env), every screen of both vendors
is shown, actions run, the vendor fails for a while, and everything written is scanned for them.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Switchable, wait_until
from tui.app import CallboardApp
from tui.config import load_config
from tui.config_describe import describe_config
from tui.logs import log_path, setup_logging
from tui.service.audit import AuditLog
from tui.sessions import build_sessions
from tui.simulator.faults import TRANSIENT_KINDS
from tui.simulator.server import DEMO_WEBKEYS
from tui.widgets.live_table import LiveTable

YEMOT_PASSWORD = "demo-1234"  # the simulator's account: real enough to log in with
WEBKEY = DEMO_WEBKEYS["coocenter"]


def write_config(path: Path) -> Path:
    path.write_text(
        f"""
default_profile = "office"
[profiles.office]
vendor = "yemot"
base_url = "http://sim/yemot/ym/api/"
username = "0773137770"
password = "{YEMOT_PASSWORD}"
queues = ["/1", "/2/5", "/3"]

[profiles.floor]
vendor = "coocenter"
base_url = "http://sim/coocenter/coocenter-api/"
webkey_env = "FLOOR_WEBKEY"
pbx_timezone = "Asia/Shanghai"
""",
        encoding="utf-8",
    )
    return path


def planted_secrets() -> set[str]:
    found = {YEMOT_PASSWORD, WEBKEY}
    today = date.today()
    for day in (today - timedelta(1), today, today + timedelta(1)):  # the WEBKEY's daily hash is one too
        found.add(hashlib.md5(f"{WEBKEY}{day:%Y-%m-%d}".encode()).hexdigest())
    return found


def tokens_issued(world) -> set[str]:
    tokens = set()
    for system in ("0773137770", "0773137771"):
        tokens |= {s.token for s in world.auth.sessions_of(system)}
    return tokens


@pytest.fixture
def log_file():
    names = ("callboard", "uvicorn", "uvicorn.error", "httpx")
    saved = {
        n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate, logging.getLogger(n).level)
        for n in names
    }
    path = setup_logging(logging.DEBUG)
    yield path
    for name, (handlers, propagate, level) in saved.items():  # later tests' caplog must see records again
        logger = logging.getLogger(name)
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:], logger.propagate, logger.level = handlers, propagate, level


async def test_no_secret_anywhere(tmp_path, monkeypatch, world, transport: Switchable, capsys, log_file):
    monkeypatch.setenv("FLOOR_WEBKEY", WEBKEY)
    config = load_config(write_config(tmp_path / "config.toml"))
    audit = AuditLog(tmp_path / "audit.jsonl")
    sessions, broken = build_sessions(config, transport_for=lambda _n: transport, audit=audit)
    assert not broken
    app = CallboardApp(sessions, start_profile="office")
    dumps: list[str] = [describe_config(config), repr(config), str(config)]
    tokens: set[str] = set()
    faults = transport.inner.app.state.faults  # the simulator fails a fifth of requests meanwhile
    async with app.run_test(size=(120, 36)) as pilot:
        for profile in ("office", "floor"):
            if app.profile != profile:
                await pilot.press("right_square_bracket")
            faults.set_rate("yemot" if profile == "office" else "coocenter", 0.2, TRANSIENT_KINDS)
            for key in "123456":
                await pilot.press(key)
                await pilot.pause(0.6)
                await pilot.press("r")  # fetch again, through the faults
                await pilot.pause(0.3)
                dumps.append(app.export_screenshot())
                for form_key in ("n", "e"):  # every screen's forms and their answers, with faults
                    await pilot.press(form_key)
                    await pilot.pause(0.2)
                    dumps.append(app.export_screenshot())
                    await pilot.press("escape")
            assert sum(faults.served().values()) > 0  # faults were served while we looked
            faults.clear()
            await pilot.press("1")
            agents = app.screen.query_one("#agents", LiveTable)
            await wait_until(pilot, lambda a=agents: a.row_count > 0)
            await pilot.press("space")  # an action: audited
            await pilot.pause(0.3)
            transport.failing = ConnectionError("refused")  # the vendor fails: errors on screen and in logs
            await pilot.press("r")
            await pilot.pause(0.5)
            dumps.append(app.export_screenshot())
            transport.failing = None
            tokens |= tokens_issued(world)  # the session tokens the vendor gave us are secrets too
        app.save_screenshot(filename="shot.svg", path=str(tmp_path))
        dumps += [str(n.message) + str(n.title) for n in app._notifications]
    assert tokens, "the Yemot session token is among the secrets looked for"
    secrets = planted_secrets() | tokens
    config_file = tmp_path / "config.toml"  # the user's own file holds them, of course
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != config_file]
    assert any(p.suffix == ".svg" for p in files) and any(p.name == "audit.jsonl" for p in files)
    written = [p.read_text("utf-8", errors="replace") for p in files]
    written.append(log_path().read_text("utf-8") if log_path().exists() else "")
    captured = capsys.readouterr()
    haystacks = [*dumps, *written, captured.out, captured.err]
    names = (
        [f"dump {i}" for i in range(len(dumps))] + [f"file {i}" for i in range(len(written))] + ["out", "err"]
    )
    leaks = [
        (name, secret[:4])
        for secret in secrets
        for name, text in zip(names, haystacks, strict=True)
        if secret in text
    ]
    assert leaks == [], "secrets leaked (where, first characters)"
    assert log_path().exists() and log_path().stat().st_size > 0  # the log was written, and scanned


async def test_a_crash_report_never_shows_locals(make_app, capfd):
    app = make_app()

    def crash() -> None:
        # A secret sitting in a crashing frame (built, so the source line shown in a report is not it).
        password = "".join(reversed("lacol-a-ni-t3rc3s"))  # noqa: F841
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(crash)
            await pilot.pause(0.5)
    captured = capfd.readouterr()
    report = captured.err + captured.out
    assert "RuntimeError" in report and "boom" in report  # the report is there
    assert "s3cr3t-in-a-local" not in report  # its locals are not
