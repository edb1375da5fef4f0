"""Data flows one way: vendors, service, simulator, config and domain never load Textual; screens and
widgets never load httpx (SPEC §2). Each module is imported in a fresh interpreter."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui

ROOT = Path(tui.__file__).parent
HEADLESS = ("tui.vendors", "tui.service", "tui.simulator")
HEADLESS_MODULES = ("tui.config", "tui.domain", "tui.paths", "tui.sessions", "tui.demo", "tui.cli")
UI = ("tui.screens", "tui.widgets")


def modules_under(package: str) -> list[str]:
    path = ROOT.joinpath(*package.split(".")[1:])
    found = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=package + "."):
        found.append(info.name)
    return found


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", [m for p in HEADLESS for m in modules_under(p)] + list(HEADLESS_MODULES))
def test_headless_modules_do_not_load_textual(module):
    loaded = loaded_after_import(module)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}, module


@pytest.mark.parametrize("module", [m for p in UI for m in modules_under(p)])
def test_ui_modules_do_not_load_httpx(module):
    loaded = loaded_after_import(module)
    assert "httpx" not in loaded, module


# What `callboard demo` loads before its first frame is what it waits for: the heavy parts that only
# some profiles or the simulator need are loaded when they are used. The demo's simulator loads
# beside the console; httpx comes to it only once it starts to push.
PUSH_SERVER, CONSOLE_ONLY = ("uvicorn", "starlette"), ("pydantic", "httpx")
CONSOLE_START = ("tui.app", "tui.sessions", "tui.cli", "tui.demo_process", "tui.simulator.demo_accounts")
SIMULATOR_START = ("tui.simulator.server", "tui.simulator.faults", "tui.demo")
LOADED_LATER = [(m, PUSH_SERVER) for m in CONSOLE_START] + [(m, CONSOLE_ONLY) for m in SIMULATOR_START]


@pytest.mark.parametrize(("module", "later"), LOADED_LATER)
def test_start_up_leaves_for_later_what_it_does_not_need_yet(module, later):
    loaded = loaded_after_import(module)
    assert not {m for m in loaded if m.split(".")[0] in later}, module


# A vendor's start reads its session and its queues: the wire models of its other API families (SIP,
# campaigns, SMS, MFA methods and trust, calls, blacklist, pushed events) load with their first use.
LATER_WIRE = [
    m
    for vendor in ("tui.vendors.yemot", "tui.vendors.coocenter")
    for m in modules_under(vendor)
    if m.rsplit(".", 1)[1].startswith("wire_")
]


def test_vendors_leave_the_wire_models_of_other_api_families_for_their_first_use():
    loaded = loaded_after_import("tui.vendors.yemot.adapter, tui.vendors.coocenter.adapter")
    assert {"tui.vendors.yemot.wire", "tui.vendors.coocenter.wire"} <= loaded
    assert len(LATER_WIRE) >= 8
    loaded_early = sorted(loaded & set(LATER_WIRE))
    assert not loaded_early


# The console opens on one screen: the other screens, and the action models of their keys, load
# when first shown.
OTHER_SCREENS = ("sip", "campaigns", "sms", "calls", "trust", "mfa", "wall")
OTHER_ACTIONS = ("sip", "campaigns", "calls", "mfa")


CHECK_A_CONFIG_WITHOUT_KEYS = (
    "tui.keymap; from tui.config import config_from_dict; "
    "tui.keymap.keymap_problems(config_from_dict({}, 't'))"
)


@pytest.mark.parametrize(
    "module", ["tui.app", "tui.sessions", "tui.screens.queues", CHECK_A_CONFIG_WITHOUT_KEYS]
)
def test_the_console_loads_the_screen_it_opens_on_only(module):
    loaded = loaded_after_import(module)
    others = {f"tui.screens.{s}" for s in OTHER_SCREENS} | {f"tui.service.actions.{a}" for a in OTHER_ACTIONS}
    assert not loaded & others, module
    assert "textual.widgets._text_area" not in loaded, module  # only a form with a pasted list uses it
    if module == "tui.app":
        assert "tui.screens.queues" not in loaded


def test_demo_profiles_do_not_load_the_simulated_world():
    code = (
        "import sys; from tui.demo import demo_profiles_at; "
        "demo_profiles_at('127.0.0.1', 1, 'all', push_port=2); print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert "pydantic" not in loaded
    assert not {m for m in loaded if m.startswith("tui.simulator.world")}


def test_the_console_leaves_out_extras_it_never_uses_and_httpx_still_works():
    code = (
        "import sys, asyncio; from tui.cli import leave_out_unused_extras; leave_out_unused_extras()\n"
        "import httpx\n"
        "async def main():\n"
        "    async def app(scope, receive, send):\n"
        "        await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "        await send({'type': 'http.response.body', 'body': b'ok'})\n"
        "    async with httpx.AsyncClient(transport=httpx.ASGITransport(app)) as client:\n"
        "        print((await client.get('http://x/')).text)\n"
        "asyncio.run(main())\n"
        "loaded = [m for m, module in sys.modules.items() if module is not None]\n"
        "print(' '.join(m for m in loaded if m.split('.')[0] in ('click', 'pygments', 'trio')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    answer, extras = out.stdout.split("\n")[:2]
    assert answer == "ok"
    assert extras == ""


@pytest.mark.parametrize(("preset", "expected"), [(None, "__all__"), ("", ""), ("logfire", "logfire")])
def test_pydantic_plugins_stay_out_unless_the_user_asks_for_them(preset, expected):
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if preset is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = preset
    code = (
        "import os; from tui.cli import leave_out_unused_extras; leave_out_unused_extras()\n"
        "print(repr(os.environ['PYDANTIC_DISABLE_PLUGINS']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == repr(expected)
