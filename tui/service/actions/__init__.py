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
from tui.service.actions.queues import AgentLogin, AgentLogout, KickCallers, RemoveCallback, SetAgentPaused

__all__ = [
    "Action",
    "ActionRunner",
    "AgentLogin",
    "AgentLogout",
    "BlacklistAdd",
    "BlacklistRemove",
    "ClickToCall",
    "Dial",
    "Extension",
    "HangupCall",
    "KickCallers",
    "Phone",
    "RemoveCallback",
    "SetAgentPaused",
    "SpyCall",
    "TransferCall",
]
