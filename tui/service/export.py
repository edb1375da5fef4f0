"""Exports: what the operator sees, written as CSV with the original (logical-order) text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from tui import paths
from tui.domain import SmsMessage


def sms_csv(messages: Iterable[SmsMessage]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["received_at", "from", "to", "message"])
    for m in messages:
        writer.writerow([m.received_at.isoformat() if m.received_at else "", m.sender, m.recipient, m.text])
    return out.getvalue()


def default_export_path(kind: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return paths.data_dir() / "exports" / f"{kind}-{stamp}.csv"


def write_export(path: Path, text: str) -> Path:
    """Written private (0600): an inbox holds people's numbers and words."""
    path = path.expanduser()
    paths.write_private(path, text)
    return path
