"""A screen whose feature the profile's vendor lacks: it says so plainly, and nothing polls."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.board import BoardScreen
from tui.vendors.base import Capability


class NoticeScreen(BoardScreen):
    """Campaigns, SMS and Trust until their screens are built for a vendor, or for vendors without them."""

    CAPABILITY: ClassVar[Capability]
    WHAT: ClassVar[str]

    DEFAULT_CSS = """
    NoticeScreen .notice { margin: 2 4; padding: 1 2; border: round $foreground 30%; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static(self.session.vendor.lacks(self.CAPABILITY, self.WHAT), classes="notice", markup=False)


class CampaignsScreen(NoticeScreen):
    TITLE = "Campaigns"
    CAPABILITY = Capability.CAMPAIGNS
    WHAT = "campaign"


class SmsScreen(NoticeScreen):
    TITLE = "SMS"
    CAPABILITY = Capability.SMS
    WHAT = "incoming-SMS"


class TrustScreen(NoticeScreen):
    TITLE = "Trust"
    CAPABILITY = Capability.MFA
    WHAT = "MFA trust-management"
