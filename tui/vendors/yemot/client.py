"""The Yemot client: one connection (session, transport, errors) with every API family's calls.

Each family lives in its own module and builds on `YemotConnection`; `YemotClient` combines them.
`is_past_stage` and `goto_more_data` are re-exported here for the modules that import them from here.
"""

from __future__ import annotations

from tui.vendors.yemot.api_campaigns_sms import CampaignSmsApi
from tui.vendors.yemot.api_mfa import MfaApi, is_past_stage
from tui.vendors.yemot.api_queues import QueueApi, goto_more_data
from tui.vendors.yemot.api_sip import SipApi

__all__ = ["YemotClient", "goto_more_data", "is_past_stage"]


class YemotClient(MfaApi, QueueApi, SipApi, CampaignSmsApi):
    """One profile's connection to Yemot with all its calls (arguments: see `YemotConnection`)."""
