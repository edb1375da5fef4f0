"""Read-only: enforced where actions run (not only in the UI), and nothing that changes is offered."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import wait_until
from tui.domain import ActionResult, LiveCall
from tui.service import actions as A
from tui.service.audit import AuditLog
from tui.vendors.base import Capability, Vendor

CALL = LiveCall("SIP/801-1", "0528475913", "801", "Up", extension="801")
SAMPLES: dict[type[A.Action], dict] = {
    A.SetAgentPaused: {"queue_id": "/1", "agent_id": "0501111111", "paused": True},
    A.KickCallers: {"queue_id": "/1", "call_ids": ("abc",)},
    A.RemoveCallback: {"request_id": "84299"},
    A.AgentLogin: {"queue_id": "630", "extension": "801"},
    A.AgentLogout: {"queue_id": "630", "extension": "801"},
    A.HangupCall: {"call": CALL},
    A.TransferCall: {"call": CALL, "to_extension": "802"},
    A.SpyCall: {"call": CALL, "listener": "800"},
    A.ClickToCall: {"source": "801", "destination": "0528475913"},
    A.BlacklistAdd: {"number": "0528475913"},
    A.BlacklistRemove: {"number": "0528475913"},
    A.CreateSipAccount: {"extension": "250"},
    A.DeleteSipAccounts: {"account_ids": ("2",)},
    A.SetSipTransport: {"account_id": "2", "transport": "wss"},
    A.SetSipCallerId: {"account_id": "2", "caller_id": "0773137770"},
    A.SetSipExtension: {"account_id": "2", "extension": "260"},
    A.LaunchCampaign: {"ivr_path": "/1", "phones": ("0528475913",)},
    A.SetCampaignPaused: {"campaign_id": "YA-1", "paused": True},
    A.StopCampaign: {"campaign_id": "YA-1"},
    A.SendMfaCode: {"method_id": 1, "channel": "SMS"},
    A.VerifyMfaCode: {"code": "123456"},
    A.VerifyMfaCodeRemember: {"code": "123456", "note": "pc"},
    A.AddMfaMethod: {
        "method_kind": "EMAIL",
        "value": "a@example.com",
        "expires": datetime.now() + timedelta(1),
    },
    A.ResendMethodCode: {"stable_id": "6598", "channel": "SMS"},
    A.VerifyMethod: {"stable_id": "6598", "code": "123456"},
    A.DeleteMfaMethod: {"stable_id": "6598"},
    A.DeleteTrustToken: {"token_id": "1"},
    A.SetTrustedIps: {"ips": "1.2.3.4"},
}


def all_actions() -> set[type[A.Action]]:
    found, todo = set(), [A.Action]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not sub.__name__.startswith("_"):
                found.add(sub)
    return found


def test_every_action_has_a_sample():
    assert all_actions() == set(SAMPLES), all_actions() ^ set(SAMPLES)


class Recorder(Vendor):
    """A vendor that can do everything and records every call (none may come in read-only mode)."""

    name = "recorder"
    display_name = "Recorder"
    capabilities = frozenset(Capability)

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def open(self):  # pragma: no cover - not used
        raise NotImplementedError

    async def close(self) -> None:
        pass

    def __getattribute__(self, name: str):
        attr = object.__getattribute__(self, name)
        if callable(attr) and not name.startswith("_") and name not in ("supports", "lacks", "calls"):

            async def record(*args, **kwargs):
                object.__getattribute__(self, "calls").append(name)
                return ActionResult(ok=True, message="done")

            return record
        return attr


@pytest.mark.parametrize("action_type", sorted(SAMPLES, key=lambda t: t.__name__), ids=lambda t: t.__name__)
async def test_read_only_refuses_every_action_that_changes_something(action_type, tmp_path: Path):
    vendor = Recorder()
    refreshed = []

    async def refresh(resources):
        refreshed.append(resources)

    runner = A.ActionRunner("office", vendor, AuditLog(tmp_path / "audit.jsonl"), refresh, read_only=True)
    action = action_type(**SAMPLES[action_type])
    result = await runner.run(action)
    if action_type.changes_system:
        assert not result.ok and "read-only" in result.message
        assert vendor.calls == [] and refreshed == []
        assert not runner.allowed(action_type)  # nor is it offered
    else:  # verifying an MFA code changes nothing on the phone system: an operator may still log in
        assert vendor.calls and runner.allowed(action_type)
    assert runner.audit.read()[-1]["action"] == action.kind  # refusals are audited too


async def test_read_only_hides_the_keys_and_the_palette_entries(make_app, world, audit):
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        from tui.widgets.live_table import LiveTable

        agents = app.screen.query_one("#agents", LiveTable)
        await wait_until(pilot, lambda: agents.row_count > 0)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert not titles & {"Pause agent", "Kick", "Del callback"}
        footer = app.export_screenshot().replace("&#160;", " ")
        assert "Pause agent" not in footer and "read-only" in str(app.screen.query_one("StatusBar").render())
        key = agents.current_key()
        queue_path, phone = key.split("\x1f")
        before = world.queue_by_ivr_path(queue_path).member(world.agent_by_phone(phone).agent_id).paused
        await pilot.press("space", "x", "d")
        await pilot.pause(0.3)
        assert (
            world.queue_by_ivr_path(queue_path).member(world.agent_by_phone(phone).agent_id).paused == before
        )
    assert audit.read() == []
