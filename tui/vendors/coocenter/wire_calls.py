"""coocenter-api's live calls (`extensions/current-calls`), with the vendor's wire names."""

from __future__ import annotations

from tui.vendors.coocenter.wire import Envelope, WireModel
from tui.vendors.lenient import LenientStr, ListOrNull


class CurrentCall(WireModel):
    """One channel of `extensions/current-calls` (AMI CoreShowChannel, names lower-cased)."""

    channel: LenientStr
    calleridname: LenientStr = ""
    calleridnum: LenientStr = ""
    channelstate: LenientStr = ""
    channelstatedesc: LenientStr = ""
    connectedlinename: LenientStr = ""
    connectedlinenum: LenientStr = ""
    duration: LenientStr = ""  # "HH:MM:SS"


class CurrentCallsReply(Envelope):
    data: ListOrNull[CurrentCall] = []
