"""Incoming SMS (vendors/yemot.md 1.6, 2.5, A9) over the simulated world's inbox.

Both services answer newest first. GetIncomingSms is the current one (digit strings); the older
GetSmsIncomingLog writes numbers as integers and its date as `server_date` (A9).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.simulator.world_sms import Sms
from tui.simulator.yemot_common import Call, Service, local, parse_local
from tui.vendors.yemot.assumptions import A9_INCOMING_SMS_DEFAULT, A9_INCOMING_SMS_MAX


def _query(call: Call) -> list[Sms]:
    """`limit` (default 100, clamped to 1..3000), `startDate` and `endDate` (inclusive)."""
    limit = call.optional_integer("limit")
    limit = A9_INCOMING_SMS_DEFAULT if limit is None else max(1, min(limit, A9_INCOMING_SMS_MAX))
    start = _date(call, "startDate", end_of_day=False)
    end = _date(call, "endDate", end_of_day=True)
    return call.world.incoming_sms(call.system, start, end, limit)


def _date(call: Call, name: str, *, end_of_day: bool) -> datetime | None:
    text = call.text(name)
    return parse_local(text, name, end_of_day=end_of_day) if text and text.strip() else None


def get_incoming_sms(call: Call) -> dict[str, Any]:
    rows = [
        {
            "source": sms.source,
            "destination": sms.destination,
            "message": sms.text,
            "receive_date": local(sms.received_at),
        }
        for sms in _query(call)
    ]
    return {"rows": rows}


def get_sms_incoming_log(call: Call) -> dict[str, Any]:
    rows = [
        {
            "dest": _integer(sms.destination),
            "phone": _integer(sms.source),
            "message": sms.text,
            "server_date": local(sms.received_at),
        }
        for sms in _query(call)
    ]
    return {"rows": rows}


def _integer(number: str) -> int | str:
    """The seed types these numbers int; a text sender (no digits to read) stays a string."""
    return int(number) if number.isdigit() else number


SERVICES: dict[str, Service] = {
    "GetIncomingSms": Service(get_incoming_sms),
    "GetSmsIncomingLog": Service(get_sms_incoming_log),
}
