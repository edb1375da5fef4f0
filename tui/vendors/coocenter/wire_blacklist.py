"""coocenter-api's blacklist (`blacklist/index`)."""

from __future__ import annotations

from tui.vendors.coocenter.wire import Envelope
from tui.vendors.lenient import LenientStr, ListOrNull


class BlacklistReply(Envelope):
    data: ListOrNull[LenientStr] = []
