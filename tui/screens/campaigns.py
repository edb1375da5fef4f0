"""Campaigns (key 3): launch a campaign into an IVR extension, and follow launched ones.

Launch: numbers pasted or read from a file (one a line or `:`-separated), or a `tpl:`/`tzl:` list
id; IVR path, caller ID, ring timeout (≤ 35 s). Every number is checked (phonenumbers, Israel by
default) and the bad ones listed by line before anything is sent; the unit-cost estimate is shown
and confirmed; then the campaign id, the count and the per-number errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from tui.domain import ActionResult, Campaign, CampaignBoard, CampaignLaunched
from tui.screens.board import BoardScreen
from tui.screens.dialogs import ActionForm, Field, FieldError
from tui.service.actions.base import Action
from tui.service.actions.campaigns import LaunchCampaign, SetCampaignPaused, StopCampaign
from tui.service.feed import FeedState
from tui.service.validate import parse_campaign_numbers, parse_list_id
from tui.vendors.base import Capability
from tui.widgets.cells import cell, number
from tui.widgets.columns import Column
from tui.widgets.live_table import LiveTable
from tui.widgets.panel import Panel

CAMPAIGN_COLUMNS = [
    Column("id", "Campaign"),
    Column("status", "Status"),
    Column("progress", "Progress", 14),
    Column("total", "Total", 6),
    Column("bridged", "Bridged", 7, priority=1, hide_when_empty=True),
    Column("failed", "Failed", 6, priority=1, hide_when_empty=True),
    Column("pending", "Pending", 7, priority=2, hide_when_empty=True),
    Column("price", "Units", 7, priority=2, hide_when_empty=True),
    Column("caller_id", "Caller ID", priority=3, hide_when_empty=True),
]
ERROR_COLUMNS = [
    Column("campaign", "Campaign", priority=1),
    Column("number", "Number"),
    Column("error", "Error"),
]


def progress_bar(fraction: float | None, width: int = 10) -> str:
    if fraction is None:
        return "–"
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled) + f" {fraction:4.0%}"


def campaign_row(campaign: Campaign) -> tuple[Text, ...]:
    style = {"RUNNING": "green", "PAUSED": "yellow", "FINISHED": "dim"}.get(campaign.status, "")
    return (
        cell(campaign.campaign_id, "bold"),
        cell(
            campaign.status + (" (paused)" if campaign.paused and campaign.status != "PAUSED" else ""), style
        ),
        cell(progress_bar(campaign.progress)),
        number(campaign.total),
        number(campaign.bridged),
        number(campaign.failed, "red" if campaign.failed else ""),
        number(campaign.pending),
        number(campaign.price),
        cell(campaign.caller_id),
    )


def read_numbers(source: str) -> str:
    """The numbers field takes the numbers themselves, or `@path` / a path of a file holding them."""
    text = source.strip()
    candidate = Path(text[1:] if text.startswith("@") else text).expanduser()
    if "\n" not in text and ":" not in text and candidate.is_file():
        try:
            return candidate.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FieldError("numbers", f"cannot read {candidate}: {error}") from None
    if text.startswith("@"):
        raise FieldError("numbers", f"no such file: {candidate}")
    return source


def build_launch(values: dict[str, str]) -> LaunchCampaign:
    """The form's text -> a validated LaunchCampaign; every bad number named by line."""
    list_id = parse_list_id(values["numbers"])
    phones: tuple[str, ...] = ()
    if list_id is None:
        phones, problems = parse_campaign_numbers(read_numbers(values["numbers"]))
        if problems:
            shown = "; ".join(problems[:6]) + (f"; … ({len(problems)} problems)" if len(problems) > 6 else "")
            raise FieldError("numbers", shown)
        if not phones:
            raise FieldError("numbers", "give the numbers to dial, a file (@path), or a tpl:/tzl: list id")
    timeout = values["timeout_s"].strip() or "30"
    if not timeout.isdigit():
        raise FieldError("timeout_s", "the ring timeout is a number of seconds (at most 35)")
    return LaunchCampaign(
        ivr_path=values["ivr_path"],
        phones=phones,
        list_id=list_id,
        caller_id=values["caller_id"] or None,
        timeout_s=int(timeout),
    )


class CampaignsScreen(BoardScreen):
    TITLE = "Campaigns"
    FEEDS: ClassVar[tuple[str, ...]] = ("campaigns",)
    ACTIONS: ClassVar[dict[str, type[Action]]] = {
        "launch": LaunchCampaign,
        "toggle_pause": SetCampaignPaused,
        "stop": StopCampaign,
    }

    BINDINGS = [
        Binding(
            "n", "launch", "Launch", id="campaigns.launch", tooltip="Launch a campaign (validated, costed)"
        ),
        Binding("space", "toggle_pause", "Pause/resume", id="campaigns.pause", tooltip="Pause or resume"),
        Binding("x", "stop", "Stop", id="campaigns.stop", tooltip="Stop the campaign (asks first)"),
    ]

    DEFAULT_CSS = """
    CampaignsScreen #campaigns-panel { height: 2fr; }
    CampaignsScreen #errors-panel { height: 1fr; }
    """

    def __init__(self, session, vendor_label: str) -> None:
        super().__init__(session, vendor_label)
        self._board: CampaignBoard | None = None
        self._launched: dict[str, CampaignLaunched] = {}  # launched here: their per-number errors

    def compose_body(self) -> ComposeResult:
        notice = self.lacking(Capability.CAMPAIGNS, "campaign")
        if notice is not None:
            yield notice
            return
        yield Panel("Campaigns", LiveTable(CAMPAIGN_COLUMNS, id="campaigns"), id="campaigns-panel")
        with Horizontal(id="errors-panel"):
            yield Panel("Numbers not dialled", LiveTable(ERROR_COLUMNS, id="errors"), id="errors-box")

    def on_mount(self) -> None:
        if self.query("#campaigns"):
            self.query_one("#campaigns", LiveTable).focus()

    # -- data -> widgets ------------------------------------------------------------------------------
    def show_campaigns(self, state: FeedState[CampaignBoard]) -> None:
        self.query_one("#campaigns-panel", Panel).show_state(state)
        if state.data is not None:
            self._board = state.data
        self._draw()

    def _campaigns(self) -> list[Campaign]:
        listed = list(self._board.campaigns) if self._board else []
        known = {c.campaign_id for c in listed}
        # Launched here but not (yet) listed by the vendor: keep them on the board.
        for launched in self._launched.values():
            if launched.campaign_id not in known:
                listed.append(
                    Campaign(launched.campaign_id, "LAUNCHED", launched.caller_id, total=launched.calls_count)
                )
        return listed

    def _draw(self) -> None:
        if not self.query("#campaigns"):
            return
        campaigns = self._campaigns()
        self.query_one("#campaigns", LiveTable).set_rows((c.key, campaign_row(c)) for c in campaigns)
        errors = []
        for campaign in campaigns:
            items = campaign.errors or (
                self._launched[campaign.key].errors if campaign.key in self._launched else ()
            )
            errors += [
                (f"{campaign.key}\x1f{i.target}", (cell(campaign.key), cell(i.target), cell(i.detail, "red")))
                for i in items
            ]
        self.query_one("#errors", LiveTable).set_rows(errors)

    def _campaign_under_cursor(self) -> Campaign | None:
        key = self.query_one("#campaigns", LiveTable).current_key()
        return next((c for c in self._campaigns() if c.key == key), None)

    # -- actions --------------------------------------------------------------------------------------
    def action_launch(self) -> None:
        form = ActionForm(
            "Launch a campaign",
            "Numbers one a line or separated by ':', a file (@/path/to/list.txt), or a list id tpl:12 / "
            "tzl:3. Answered calls enter the IVR path. Nothing is sent before you confirm the estimate.",
            [
                Field("numbers", "Numbers (a line or ':' each), @file, or tpl:/tzl: id:", multiline=True),
                Field("ivr_path", "IVR path:", "/1", placeholder="/1/100"),
                Field("caller_id", "Caller ID (optional):", placeholder="the system's number"),
                Field("timeout_s", "Ring timeout, seconds (≤ 35):", "30"),
            ],
            build_launch,
            confirm_label="Review",
        )

        def reviewed(action: Action | None) -> None:
            if isinstance(action, LaunchCampaign):
                self.confirm_then_perform(
                    action,
                    "Launch this campaign?",
                    f"{action.target()}, ring {action.timeout_s}s, "
                    f"caller ID {action.caller_id or 'default'}.\n"
                    f"Estimate: {action.estimate()}.",
                    "Launch",
                )

        self.app.push_screen(form, reviewed)

    def report(self, action: Action, result: ActionResult) -> None:
        if isinstance(result.data, CampaignLaunched):
            self._launched[result.data.campaign_id] = result.data
            self._draw()
        super().report(action, result)

    def action_toggle_pause(self) -> None:
        campaign = self._campaign_under_cursor()
        if campaign is None or campaign.status in ("FINISHED", "STOPPED", "LAUNCHED"):
            self.notify("No running campaign under the cursor", severity="warning")
            return
        paused = not (campaign.paused or campaign.status == "PAUSED")
        self.perform(SetCampaignPaused(campaign_id=campaign.campaign_id, paused=paused))

    def action_stop(self) -> None:
        campaign = self._campaign_under_cursor()
        if campaign is None or campaign.status in ("FINISHED", "STOPPED"):
            self.notify("No running campaign under the cursor", severity="warning")
            return
        self.confirm_then_perform(
            StopCampaign(campaign_id=campaign.campaign_id),
            "Stop this campaign?",
            f"{campaign.campaign_id} stops dialling; calls in progress end.",
            "Stop",
        )
