"""Yemot's incoming SMS replies (GetIncomingSms; 1.6, A9)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from tui.vendors.lenient import LenientStr, ListOrNull, to_str
from tui.vendors.yemot.wire import Envelope, WireModel


def _text(value: Any) -> Any:
    """Message text: null is the empty text, a number is kept as its digits."""
    return "" if value is None else to_str(value)


# ---------------------------------------------------------------------------------------------
# Incoming SMS (1.6; A9): digit strings without "+", dates in Israel local time.


class IncomingSmsRow(WireModel):
    source: LenientStr
    destination: LenientStr
    message: Annotated[str, BeforeValidator(_text)] = ""
    receive_date: LenientStr | None = None  # "2025-06-03 19:58:03"


class IncomingSmsReply(Envelope):
    rows: ListOrNull[IncomingSmsRow] = []
