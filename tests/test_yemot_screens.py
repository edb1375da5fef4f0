"""Pilot tests: Yemot's MFA login, SMS inbox, campaigns, SIP accounts and trust, through the simulator."""

from __future__ import annotations

import csv
import os
import stat

from tests.conftest import DEMO_ACCOUNT, MFA_ACCOUNT, wait_until
from tui.screens.campaigns import CampaignsScreen
from tui.screens.dialogs import ActionForm, ConfirmScreen
from tui.screens.mfa import MfaScreen
from tui.screens.queues import QueuesScreen
from tui.screens.sms import MessageScreen, SmsScreen
from tui.screens.trust import TrustScreen
from tui.widgets.bidi import display_text
from tui.widgets.live_table import LiveTable

SIZE = (120, 36)
SYSTEM, MFA_SYSTEM = DEMO_ACCOUNT[0], MFA_ACCOUNT[0]


def table(app, table_id: str) -> LiveTable:
    return app.screen.query_one(f"#{table_id}", LiveTable)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def keys(app, table_id: str) -> list[str]:
    return [k.value for k in table(app, table_id).rows]


def last_code(world, system: str) -> str:
    return [c for c in world.sent_codes if c.system == system][-1].code


async def pick_method_that_sends(app, pilot, channel: str) -> None:
    methods = table(app, "methods")
    await wait_until(pilot, lambda: methods.row_count > 0)
    for index in range(methods.row_count):
        methods.move_cursor(row=index)
        key = methods.current_key()
        if channel in app.screen._methods[key].send_types:
            return
    raise AssertionError(f"no method sends by {channel}")


# -- the MFA login flow ---------------------------------------------------------------------------


async def test_the_mfa_flow_left_with_escape_stays_closed_while_mfa_is_still_required(make_app):
    from dataclasses import replace

    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        session = app.sessions[app.profile]
        session._set_status(replace(session.status, detail="other words, the same state"))
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, QueuesScreen)  # the board the operator went back to
        await pilot.press("v")  # asked for: it opens again
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))


async def test_login_through_mfa_with_a_wrong_code_then_the_right_one(make_app, world, audit):
    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pick_method_that_sends(app, pilot, "SMS")
        sent_before = len(world.sent_codes)
        await pilot.press("s")
        await wait_until(pilot, lambda: len(world.sent_codes) > sent_before)
        await wait_until(pilot, lambda: "on its way" in text_of(app, "#progress"))
        code = last_code(world, MFA_SYSTEM)
        wrong = "000000" if code != "000000" else "111111"
        app.screen.query_one("#code").value = wrong
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Wrong code" in text_of(app, "#progress"))
        assert "tries left" in text_of(app, "#progress")
        app.screen.query_one("#code").value = code
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        await wait_until(pilot, lambda: table(app, "agents").row_count > 0)  # the board reads data now
        assert "connected" in str(app.screen.query_one("StatusBar").render())
    actions = [e["action"] for e in audit.read()]
    assert actions == ["mfa_send_code", "mfa_verify", "mfa_verify"]
    assert all(code not in e["target"] for e in audit.read())  # codes never reach the audit log


async def test_bad_code_is_refused_by_the_field(make_app, world, audit):
    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await wait_until(pilot, lambda: table(app, "methods").row_count > 0)
        app.screen.query_one("#code").value = "12ab"
        await pilot.press("tab")
        app.screen.query_one("#code").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "digits" in text_of(app, "#code-error"))
    assert audit.read() == []  # nothing sent


async def test_a_quick_resend_shows_the_vendors_countdown(make_app, world):
    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pick_method_that_sends(app, pilot, "SMS")
        await pilot.press("s")
        await wait_until(pilot, lambda: "on its way" in text_of(app, "#progress"))
        app.screen.query_one("#methods").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: "wait" in text_of(app, "#countdown"))
        first = text_of(app, "#countdown")
        await pilot.pause(1.2)
        assert text_of(app, "#countdown") != first  # it counts down


async def test_remember_me_lets_the_next_session_pass(make_app, world):
    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pick_method_that_sends(app, pilot, "SMS")
        await pilot.press("s")
        await wait_until(pilot, lambda: "on its way" in text_of(app, "#progress"))
        app.screen.query_one("#remember").value = True
        app.screen.query_one("#note").value = "test bench"
        app.screen.query_one("#code").value = last_code(world, MFA_SYSTEM)
        app.screen.query_one("#code").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
    second = make_app(MFA_ACCOUNT)
    async with second.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(second, "agents").row_count > 0)
        assert not isinstance(second.screen, MfaScreen)  # passed by the remember-me token


# -- SMS ------------------------------------------------------------------------------------------


async def test_sms_inbox_newest_first_new_marked_search_open_and_export(make_app, world, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: app.screen.query("#sms") and table(app, "sms").row_count > 0)
        inbox = app.screen._inbox.messages
        assert list(inbox) == sorted(inbox, key=lambda m: m.received_at, reverse=True)

        world.advance(5)
        world.receive_sms(SYSTEM, "972528475913", "שלום, [bold]קופון-זברה[/] היום")
        await pilot.press("r")
        await wait_until(pilot, lambda: "new" in app.screen.query_one("#sms-panel").border_title)
        newest = table(app, "sms").coordinate_to_cell_key((0, 0)).row_key.value
        row = table(app, "sms").get_row(newest)
        assert row[0].plain == "●" and row[2].plain == "972528475913"
        # Shown reordered for a terminal without bidi, literally (vendor text is never markup).
        assert row[4].plain == display_text("שלום, [bold]קופון-זברה[/] היום")

        await pilot.press("slash", *"זברה", "enter")  # search what was written (logical order)
        await wait_until(pilot, lambda: table(app, "sms").row_count == 1)
        table(app, "sms").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, MessageScreen))

        out = tmp_path / "inbox.csv"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#field-path").value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, out.exists)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["received_at", "from", "to", "message"]
    assert [r[3] for r in rows[1:]] == ["שלום, [bold]קופון-זברה[/] היום"]  # as filtered, text as written
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


# -- campaigns ------------------------------------------------------------------------------------


async def test_campaign_numbers_are_checked_by_line_before_anything_is_sent(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, CampaignsScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        form.query_one("#field-numbers").text = "0528475913\nnot-a-number\n0587654321"
        form.query_one("#field-timeout_s").value = "40"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "line 2" in text_of(app, "#error-numbers"))
        form.query_one("#field-numbers").text = "0528475913\n0587654321"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "35" in text_of(app, "#error-timeout_s") + text_of(app, "#error-form")
        )
    assert audit.read() == [] and not world.active_campaigns(SYSTEM)


async def test_launch_shows_the_estimate_then_the_campaign_and_can_pause_and_stop(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, CampaignsScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#field-numbers").text = "0528475913:0587654321\n0548518244\n0526666666"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        body = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "4 numbers" in body and "0.4 units" in body  # 0.1 a number dialled
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(world.active_campaigns(SYSTEM)))
        campaign_id = world.active_campaigns(SYSTEM)[0].campaign_id
        await wait_until(pilot, lambda: campaign_id in keys(app, "campaigns"))
        table(app, "campaigns").move_cursor(row=table(app, "campaigns").get_row_index(campaign_id))
        table(app, "campaigns").focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: world.campaign(SYSTEM, campaign_id).paused)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: audit.read()[-1]["action"] == "campaign_stop")
    launched = audit.read()[0]
    assert launched["action"] == "campaign_launch" and launched["outcome"] == "ok"
    assert launched["target"] == "4 numbers -> /1"


# -- SIP ------------------------------------------------------------------------------------------


async def test_sip_accounts_create_transport_caller_id_extension_delete(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen.query("#sip") and table(app, "sip").row_count > 0)
        before = {a.number for a in world.sip_accounts(SYSTEM)}
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#field-extension").value = "99"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "200 to 10000" in text_of(app, "#error-extension"))
        app.screen.query_one("#field-extension").value = "250"
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(world.sip_accounts(SYSTEM)) == len(before) + 1)
        new = next(a for a in world.sip_accounts(SYSTEM) if a.number not in before)
        await wait_until(pilot, lambda: str(new.number) in keys(app, "sip"))
        password = new.password.get_secret_value()
        assert password not in app.export_screenshot()  # copied, never shown

        sip = table(app, "sip")
        sip.move_cursor(row=sip.get_row_index(str(new.number)))
        sip.focus()
        transport = new.transport
        await pilot.press("t")
        await wait_until(pilot, lambda: new.transport != transport)

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#field-caller_id").value = "0528475913"  # not approved for this system
        await pilot.press("enter")
        await wait_until(pilot, lambda: audit.read()[-1]["action"] == "sip_caller_id")
        assert audit.read()[-1]["outcome"] == "failed" and "not approved" in audit.read()[-1]["message"]

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#field-extension").value = "260"
        await pilot.press("enter")
        await wait_until(pilot, lambda: audit.read()[-1]["action"] == "sip_extension")

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: new.number not in {a.number for a in world.sip_accounts(SYSTEM)})
    assert all(password not in str(e) for e in audit.read())


# -- trust ----------------------------------------------------------------------------------------


async def test_trust_asks_for_verification_in_place_then_edits_ips(make_app, world, audit):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, TrustScreen))
        await wait_until(pilot, lambda: app.screen.query_one("#hard").has_class("-shown"))
        await wait_until(pilot, lambda: table(app, "methods").row_count > 0)  # methods listed anyway
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pick_method_that_sends(app, pilot, "SMS")
        await pilot.press("s")
        await wait_until(pilot, lambda: "on its way" in text_of(app, "#progress"))
        app.screen.query_one("#code").value = last_code(world, SYSTEM)
        app.screen.query_one("#code").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TrustScreen))
        await wait_until(pilot, lambda: not app.screen.query_one("#hard").has_class("-shown"))
        await wait_until(pilot, lambda: table(app, "ips").row_count > 0)

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        area = app.screen.query_one("#field-ips")
        area.text = area.text + "\n0.192.66.2222"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "0.192.66.2222" in text_of(app, "#error-ips") + text_of(app, "#error-form")
        )
        area.text = area.text.replace("0.192.66.2222", "203.0.113.7")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "203.0.113.7" in keys(app, "ips"))
    assert audit.read()[-1]["action"] == "trusted_ips_set" and audit.read()[-1]["outcome"] == "ok"


async def test_a_server_without_sip_says_so_plainly(make_app):
    app = make_app(("0773137772", "demo-nosip"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(
            pilot, lambda: bool(app.screen.query("#sip-off")) and app.screen.query_one("#sip-off").display
        )
        assert "does not support SIP" in text_of(app, "#sip-off")
        assert not app.screen.query_one("#sip-panel").display


async def test_a_burst_of_sms_over_several_polls_is_one_toast_at_a_time(make_app, world, monkeypatch):
    monkeypatch.setattr(SmsScreen, "ANNOUNCE_EVERY_S", 1.0)
    app = make_app()

    def sms_toasts() -> list[str]:
        return [n.message for n in app._notifications if n.title == "New SMS"]

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: app.screen.query("#sms") and table(app, "sms").row_count > 0)
        for n in range(3):  # three polls, each with a new message
            world.advance(1)
            world.receive_sms(SYSTEM, f"05000000{n}", f"message {n}")
            await pilot.press("r")
            await wait_until(
                pilot, lambda n=n: any(m.text == f"message {n}" for m in app.screen._inbox.messages)
            )
        assert sms_toasts() == ["from 97250000000: message 0"]  # the first at once, the rest wait
        await wait_until(pilot, lambda: len(sms_toasts()) == 1 and "and 1 more" in sms_toasts()[0], timeout=5)
        assert sms_toasts() == ["from 97250000002: message 2 and 1 more"]
