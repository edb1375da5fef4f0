"""The audit log: one JSON line per action (time, profile, action, target, outcome), mode 0600.

Only what the action model chose to expose as its target is written; secrets never reach it.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from tui.domain import ActionResult

log = logging.getLogger("callboard.audit")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, *, profile: str, action: str, target: str, result: ActionResult) -> dict:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "profile": profile,
            "action": action,
            "target": target,
            "outcome": "ok" if result.ok else "failed",
            "message": result.message,
        }
        if result.items:
            entry["items"] = [{"target": i.target, "ok": i.ok, "detail": i.detail} for i in result.items]
        self._append(json.dumps(entry, ensure_ascii=False))
        return entry

    def _append(self, line: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as error:  # a full disk must not stop the operator working
            log.error("audit log %s not written: %s", self.path, error.strerror)

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text("utf-8").splitlines() if line.strip()]
