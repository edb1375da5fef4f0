"""`callboard demo`'s simulator in a process of its own, started before the console loads.

The simulator (Starlette, uvicorn, a warmed-up world) and the console (Textual, pydantic, httpx)
each take a few hundred milliseconds to import and build. In one process they queue behind each
other on the GIL; in two they load side by side on two cores, and the console is on screen that
much sooner. The child speaks JSON lines on stdout: first its demo profiles once it serves, then
every MFA code the simulated world "sends". It exits when its stdin closes (the console is gone,
however it ended), so no simulator outlives its console.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tui.listen import free_port

READY_TIMEOUT_S = 30.0
PUSH_START_DELAY_S = 1.0
log = logging.getLogger("callboard.demo")


class DemoSimulatorProcess:
    def __init__(
        self, *, seed: int, speed: float, faults: float, vendor: str, log: Path | None = None
    ) -> None:
        # Nothing heavy is imported before the child is spawned: every millisecond here is one the
        # two processes do not spend loading side by side.
        self.host, self.port, self.vendor = "127.0.0.1", free_port(), vendor
        self.push_port = free_port()
        self.argv = [
            sys.executable, "-m", "tui.demo_process", "--host", self.host, "--port", str(self.port),
            "--seed", str(seed), "--speed", str(speed), "--faults", str(faults),
        ]  # fmt: skip
        if vendor in ("coocenter", "all"):  # the simulated PBX pushes to the coocenter profile's listener
            self.argv += ["--push-url", f"http://127.0.0.1:{self.push_port}/"]
        self.log = log
        self._process: subprocess.Popen | None = None
        self._codes: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._ended = threading.Event()
        self._reader: threading.Thread | None = None
        self.faults_served: dict[str, int] = {}  # by kind, reported by the child as it stops

    @property
    def demo_profiles(self) -> dict[str, dict[str, Any]]:
        """The demo's profiles on this simulator (known before it serves: the console builds its
        sessions meanwhile)."""
        from tui.demo import demo_profiles_at

        return demo_profiles_at(self.host, self.port, self.vendor, push_port=self.push_port)

    def start(self) -> None:
        """Spawn the child now; `wait_ready()` waits for it to serve."""
        # The child's stderr goes to a log, never to the terminal the console draws on.
        errors = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self._process = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, close_fds=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        if errors is not subprocess.DEVNULL:
            errors.close()
        self._reader = threading.Thread(target=self._read, name="demo-simulator-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("ready"):
                self._ready.set()
            elif "code" in message:
                self._codes.put(message["code"])
            elif "faults_served" in message:
                self.faults_served = dict(message["faults_served"])
        self._ended.set()

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self._ended.is_set() or time.monotonic() > deadline:
                where = f" (see {self.log})" if self.log else ""
                raise RuntimeError(f"the demo simulator did not start{where}")

    async def ready(self) -> None:
        """Wait for the child to serve, without holding up the console's event loop. It never
        raises: if the simulator does not come up, requests fail as against any dead server."""
        if self._ready.is_set():  # served already: no thread to wait on
            return
        import asyncio  # loaded by the console by now; not before the child is spawned

        try:
            await asyncio.to_thread(self.wait_ready)
        except RuntimeError as error:
            log.error("%s", error)

    def new_codes(self) -> list[str]:
        """MFA codes sent since the last call, worded for a demo notification."""
        codes = []
        while not self._codes.empty():
            codes.append(self._codes.get_nowait())
        return codes

    def stop(self, timeout: float = 5.0) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.stdin.close()  # the child's cue to stop
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout)
        if self._reader is not None:
            self._reader.join(timeout)  # its last words (the faults served) are read


# -- the child ----------------------------------------------------------------------------------------
def _child(argv: list[str]) -> int:
    import argparse

    from tui.demo import BackgroundSimulator
    from tui.simulator.faults import TRANSIENT_KINDS

    parser = argparse.ArgumentParser(prog="tui.demo_process")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--faults", type=float, default=0.0)
    parser.add_argument("--push-url")
    args = parser.parse_args(argv)
    simulator = BackgroundSimulator(
        seed=args.seed, speed=args.speed, host=args.host, port=args.port, faults=args.faults,
        fault_kinds=TRANSIENT_KINDS,
    )  # fmt: skip
    simulator.start()
    gone = threading.Event()

    def watch_parent() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the console closed our stdin or died
        gone.set()

    threading.Thread(target=watch_parent, name="demo-parent-watch", daemon=True).start()
    try:
        _say({"ready": True})
        # The pushes start a moment later: the console's first requests come first (the pusher's
        # start loads httpx on the simulator's loop, ~50 ms the first answers would wait).
        if args.push_url and not gone.wait(PUSH_START_DELAY_S):
            simulator.start_pusher("coocenter", args.push_url)
        while not gone.wait(0.5):
            for code in simulator.new_codes():
                _say({"code": code})
        _say({"faults_served": simulator.faults_served()})
    except BrokenPipeError:
        pass
    finally:
        simulator.stop()
    return 0


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
