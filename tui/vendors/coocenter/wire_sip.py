"""coocenter-api's SIP peers (`extensions/extension-status`), with the vendor's wire names."""

from __future__ import annotations

from tui.vendors.coocenter.wire import Envelope, WireModel
from tui.vendors.lenient import LenientStr, ListOrNull


class ExtensionPeer(WireModel):
    """One SIP peer of `extensions/extension-status`."""

    Exten: LenientStr
    Type: LenientStr = ""
    IPAddr: LenientStr = ""  # "-none-" when not registered
    Status: LenientStr = ""  # "OK (45 ms)" / "OK(45ms)", "LAGGED (350 ms)", "UNKNOWN", ...


class ExtensionStatusReply(Envelope):
    data: ListOrNull[ExtensionPeer] = []
