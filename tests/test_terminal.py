"""Terminal hygiene: a console whose terminal goes away (a dropped SSH session) ends by itself."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest


@pytest.mark.skipif(sys.platform != "linux", reason="pty semantics checked on Linux")
def test_console_exits_when_its_terminal_is_gone(tmp_path):
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.update({k: str(tmp_path / k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")})
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", "--vendor", "yemot"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,  # its own session, so the pty becomes its controlling terminal
        close_fds=True,
    )
    os.close(slave)
    try:
        deadline = time.monotonic() + 30
        seen = b""
        while b"Queues" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        assert b"Queues" in seen, "the console drew its board"
        os.close(master)  # the terminal goes away, as when an SSH session drops
        master = -1
        process.wait(timeout=20)
    finally:
        if master >= 0:
            os.close(master)
        if process.poll() is None:
            process.kill()
            pytest.fail("the console kept running on a dead terminal")
