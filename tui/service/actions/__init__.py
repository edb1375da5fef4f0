"""Actions: what a key asks a vendor to do (validated models), and the runner that executes them.

The models of one family load with the first use of one of them (each family is some pydantic
models: ~0.3 ms a class to build), so a console starts with those of the screen it opens on.
"""

from __future__ import annotations

import importlib
from typing import Any

_FAMILY = {
    **dict.fromkeys(("Action", "ActionRunner", "Dial", "Extension", "Phone"), "base"),
    **dict.fromkeys(
        ("BlacklistAdd", "BlacklistRemove", "ClickToCall", "HangupCall", "SpyCall", "TransferCall"), "calls"
    ),
    **dict.fromkeys(("LaunchCampaign", "SetCampaignPaused", "StopCampaign"), "campaigns"),
    **dict.fromkeys(
        (
            "AddMfaMethod",
            "DeleteMfaMethod",
            "DeleteTrustToken",
            "ResendMethodCode",
            "SendMfaCode",
            "SetTrustedIps",
            "VerifyMethod",
            "VerifyMfaCode",
            "VerifyMfaCodeRemember",
        ),
        "mfa",
    ),
    **dict.fromkeys(
        ("AgentLogin", "AgentLogout", "KickCallers", "RemoveCallback", "SetAgentPaused"), "queues"
    ),
    **dict.fromkeys(
        ("CreateSipAccount", "DeleteSipAccounts", "SetSipCallerId", "SetSipExtension", "SetSipTransport"),
        "sip",
    ),
}
__all__ = sorted(_FAMILY)


def __getattr__(name: str) -> Any:
    family = _FAMILY.get(name)
    if family is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{family}"), name)
