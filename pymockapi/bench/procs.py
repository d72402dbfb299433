"""Child servers of the benchmark: start on a free loopback port, wait until ready, stop by PID."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pymockapi.bench.client import Connection

LOOPBACK = "127.0.0.1"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
#: How often readiness is polled: fine enough that a start-up time is not rounded up by much.
POLL_S = 0.05


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


async def wait_ready(host: str, port: int, path: str, deadline_s: float = READY_TIMEOUT_S,
                     proc: subprocess.Popen[bytes] | None = None, poll_s: float = POLL_S) -> None:
    """Poll ``GET path`` every ``poll_s`` until it answers 200; fail early if ``proc`` exits."""
    until = time.monotonic() + deadline_s
    while time.monotonic() < until:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the child exited with code {proc.returncode} before it answered")
        try:
            conn = await Connection.open(host, port)
            try:
                reply = await conn.request("GET", path, timeout=2.0)
            finally:
                conn.close()
            if reply.status == 200:
                return
        except (TimeoutError, OSError, ConnectionError):
            pass
        await asyncio.sleep(poll_s)
    raise RuntimeError(f"http://{host}:{port}{path} did not answer within {deadline_s:.0f} s")


class Child:
    """A Python module run as a server on a free loopback port; its output goes to a temp file.

    ``startup_ms`` is the time from just before the process was spawned to
    the first 200 from ``ready_path`` (set by :meth:`ready`).
    """

    def __init__(self, module: str, ready_path: str, args: Sequence[str] = ()) -> None:
        self.module = module
        self.ready_path = ready_path
        self.port = free_port()
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - open for the child's life, closed by stop()
        self.startup_ms: float | None = None
        self._spawned = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", module, *args, "--port", str(self.port)],
                                     stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=Path(__file__).resolve().parents[2], env=dict(os.environ))

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    async def ready(self, deadline_s: float = READY_TIMEOUT_S, poll_s: float = POLL_S) -> Child:
        try:
            await wait_ready(LOOPBACK, self.port, self.ready_path, deadline_s, self.proc, poll_s)
        except RuntimeError as exc:
            output = self.output()
            self.stop()
            raise RuntimeError(f"{self.module}: {exc}\n{output}") from None
        self.startup_ms = round((time.perf_counter() - self._spawned) * 1000.0, 1)
        return self

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self) -> int | None:
        """SIGTERM this child (by its PID), wait, and SIGKILL it if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT_S)
        self._log.close()
        return self.proc.returncode
