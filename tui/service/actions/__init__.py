"""Actions: what a key asks a vendor to do (validated models), and the runner that executes them."""

from tui.service.actions.base import Action, ActionRunner, Dial, Extension, Phone
from tui.service.actions.calls import (
    BlacklistAdd,
    BlacklistRemove,
    ClickToCall,
    HangupCall,
    SpyCall,
    TransferCall,
)
from tui.service.actions.campaigns import LaunchCampaign, SetCampaignPaused, StopCampaign
from tui.service.actions.mfa import (
    AddMfaMethod,
    DeleteMfaMethod,
    DeleteTrustToken,
    ResendMethodCode,
    SendMfaCode,
    SetTrustedIps,
    VerifyMethod,
    VerifyMfaCode,
    VerifyMfaCodeRemember,
)
from tui.service.actions.queues import AgentLogin, AgentLogout, KickCallers, RemoveCallback, SetAgentPaused
from tui.service.actions.sip import (
    CreateSipAccount,
    DeleteSipAccounts,
    SetSipCallerId,
    SetSipExtension,
    SetSipTransport,
)

__all__ = [
    "Action",
    "ActionRunner",
    "AddMfaMethod",
    "AgentLogin",
    "AgentLogout",
    "BlacklistAdd",
    "BlacklistRemove",
    "ClickToCall",
    "CreateSipAccount",
    "DeleteMfaMethod",
    "DeleteSipAccounts",
    "DeleteTrustToken",
    "Dial",
    "Extension",
    "HangupCall",
    "KickCallers",
    "LaunchCampaign",
    "Phone",
    "RemoveCallback",
    "ResendMethodCode",
    "SendMfaCode",
    "SetAgentPaused",
    "SetCampaignPaused",
    "SetSipCallerId",
    "SetSipExtension",
    "SetSipTransport",
    "SetTrustedIps",
    "SpyCall",
    "StopCampaign",
    "TransferCall",
    "VerifyMethod",
    "VerifyMfaCode",
    "VerifyMfaCodeRemember",
]
