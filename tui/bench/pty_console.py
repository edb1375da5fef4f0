"""A program run in a real pseudo-terminal, every byte it writes counted with its time.

The benchmark sees the console the way an SSH session does: through a tty of a given size. A
reader thread drains the pty (so the program never blocks on a full buffer) and keeps, per read,
when it came and how many bytes; a bounded tail of the text lets the bench wait for a marker.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")
TAIL_BYTES = 256 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class PtyConsole:
    """`argv` in a pty of `size` (columns, rows); `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, argv: Sequence[str], *, size: tuple[int, int] = (120, 40), env: dict | None = None):
        self.argv, self.size = list(argv), size
        self.env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
        self.env.pop("NO_COLOR", None)
        self.env.pop("TEXTUAL", None)  # no devtools, no debug output in a measured run
        self.started_at = 0.0
        self._reads: list[tuple[float, int]] = []
        self._tail = bytearray()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._master = -1
        self.process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    # -- life -----------------------------------------------------------------------------------
    def start(self) -> PtyConsole:
        master, slave = os.openpty()
        columns, rows = self.size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, start_new_session=True,
            close_fds=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )  # fmt: skip
        os.close(slave)
        self._master = master
        self._reader = threading.Thread(target=self._drain, name="bench-pty-reader", daemon=True)
        self._reader.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._reader is not None:
            self._reader.join(timeout)
        if self._master >= 0:
            os.close(self._master)
            self._master = -1

    def __enter__(self) -> PtyConsole:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.2)
                if not ready:
                    if self.process is not None and self.process.poll() is not None:
                        return
                    continue
                chunk = os.read(self._master, 65536)
            except OSError:  # EIO: the child closed its side
                return
            if not chunk:
                return
            with self._changed:
                self._reads.append((time.monotonic(), len(chunk)))
                self._tail += chunk
                del self._tail[:-TAIL_BYTES]
                self._changed.notify_all()

    # -- what it wrote --------------------------------------------------------------------------
    def send(self, keys: str) -> None:
        os.write(self._master, keys.encode())

    def wait_for(self, pattern: str, timeout: float) -> float | None:
        """Seconds from start until `pattern` shows in the text written (escape codes removed)."""
        needle = pattern.encode()
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if needle in ANSI.sub(b"", bytes(self._tail)):
                    return self._reads[-1][0] - self.started_at
                left = deadline - time.monotonic()
                if left <= 0 or (self.process is not None and self.process.poll() is not None):
                    return None
                self._changed.wait(min(left, 0.2))

    def text(self) -> str:
        with self._lock:
            return ANSI.sub(b"", bytes(self._tail)).decode("utf-8", "replace")

    def bytes_between(self, start: float, end: float) -> int:
        with self._lock:
            return sum(n for t, n in self._reads if start <= t < end)

    def quiet_for(self, seconds: float, timeout: float) -> bool:
        """Wait until nothing has been written for `seconds`, counted from this call at the earliest
        (so a screen about to draw is waited for); False: it kept writing till `timeout`."""
        asked = time.monotonic()
        deadline = asked + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = max(asked, self._reads[-1][0] if self._reads else self.started_at)
            if time.monotonic() - last >= seconds:
                return True
            time.sleep(0.1)
        return False

    # -- what it costs --------------------------------------------------------------------------
    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far."""
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        """The process's high-water mark of resident memory (VmHWM), in MiB."""
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE / 2**20
