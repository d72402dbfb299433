"""Real servers and real clients for tests: a Tornado server on a loopback port.

The server runs on its own IOLoop in a thread; tests talk to it over HTTP
and WebSocket like any client.  ``on_loop`` runs a function on the server's
loop (e.g. moving the manual clock) and waits for it, so timers fire where
they would in production: on the loop.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import websocket

from pymockapi.engine.clock import ManualClock
from pymockapi.server import Catalog, Server, Settings, build_context

ROOT = Path(__file__).resolve().parent.parent
#: ``catalogs(stories=None, templates=None)``: the session-wide loader of compiled stories (conftest).
CatalogFactory = Callable[..., Catalog]
#: ``live_server(manual_clock=True, **settings)``: starts a server, stopped at the end of the test (conftest).
ServerFactory = Callable[..., "LiveServer"]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
            raw: bytes | None = None, timeout: float = 10.0, host: str = "127.0.0.1") -> Response:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    hdrs = {"Content-Type": "application/json"} if data is not None else {}
    hdrs.update(headers or {})
    conn.request(method, path, body=data, headers=hdrs)
    resp = conn.getresponse()
    out = Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    conn.close()
    return out


class LiveServer:
    """A PyMockAPI server on 127.0.0.1 in a background thread."""

    def __init__(self, settings: Settings, manual_clock: bool = True, catalog: Catalog | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self.clock = ManualClock() if manual_clock else None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: Server = self.on_loop(self._start)
        self.port = self._port

    def _start(self) -> Server:
        ctx = build_context(self.settings, clock=self.clock, catalog=self.catalog)
        server = Server(ctx)
        self._port = server.listen(0, "127.0.0.1")
        return server

    @property
    def ctx(self) -> Any:
        return self.server.ctx

    def on_loop(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the server's loop and return its result."""
        done: Future[Any] = Future()

        def run() -> None:
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed back to the test thread
                done.set_exception(exc)

        self.loop.call_soon_threadsafe(run)
        return done.result(timeout=30)

    def elapse(self, ms: float) -> None:
        assert self.clock is not None
        self.on_loop(lambda: self.clock.elapse(ms))  # type: ignore[union-attr]

    def call(self, method: str, path: str, body: Any = None, **kw: Any) -> Response:
        return request(self.port, method, path, body, **kw)

    def ws(self, session_id: str, query: str = "") -> WSClient:
        return WSClient(f"ws://127.0.0.1:{self.port}/_api/sessions/{session_id}/ws{query}")

    def stop(self) -> None:
        future = asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop)
        future.result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class WSClient:
    """A real WebSocket client (websocket-client) that reads JSON events."""

    def __init__(self, url: str) -> None:
        self.conn = websocket.create_connection(url, timeout=10)

    def send(self, frame: Any) -> None:
        self.conn.send(frame if isinstance(frame, str) else json.dumps(frame))

    def recv(self) -> dict[str, Any]:
        return json.loads(self.conn.recv())

    def recv_until(self, event: str, limit: int = 50) -> dict[str, Any]:
        for _ in range(limit):
            msg = self.recv()
            if msg.get("event") == event:
                return msg
        raise AssertionError(f"no {event} event in {limit} messages")

    def drain(self, quiet_s: float = 0.2, limit: int = 500) -> list[dict[str, Any]]:
        """Every message that arrives until the socket is quiet for ``quiet_s``."""
        out = []
        self.conn.settimeout(quiet_s)
        try:
            for _ in range(limit):
                out.append(json.loads(self.conn.recv()))
        except (websocket.WebSocketTimeoutException, websocket.WebSocketConnectionClosedException):
            pass  # quiet, or the server went away: what arrived before is all there is
        finally:
            self.conn.settimeout(10)
        return out

    def close(self) -> None:
        try:
            self.conn.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass
        finally:
            self.conn.shutdown()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``pymockapi serve`` as a real child process (for kill -9 tests)."""

    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None,
                 host: str = "127.0.0.1") -> None:
        self.port = port or free_port()
        self.host = host
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pymockapi", "serve", "--port", str(self.port), *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/_api/health", timeout=1, host=host).status == 200:
                    return
            except OSError:
                time.sleep(0.05)
            if self.proc.poll() is not None:
                output = self.proc.stdout.read().decode() if self.proc.stdout else "server died"
                if self.proc.stdout:
                    self.proc.stdout.close()
                raise RuntimeError(output)
        self.kill()
        raise RuntimeError("server did not answer within 30 s")

    def call(self, method: str, path: str, body: Any = None, **kw: Any) -> Response:
        return request(self.port, method, path, body, host=self.host, **kw)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()

    def terminate(self) -> int:
        self.proc.terminate()
        code = self.proc.wait(timeout=15)
        if self.proc.stdout:
            self.proc.stdout.close()
        return code


#: Real vendor API descriptions (outside the repo, never copied into it; see its SOURCES.md).
REAL_DESCRIPTIONS = ROOT.parent / "shared" / "openapi"
#: Whose personas fill each real description, by the industry its file name starts with.
DESCRIPTION_INDUSTRY = {"finance": "finance", "healthcare": "healthcare", "retail": "retail", "demo": "retail"}


def real_descriptions() -> list[Path]:
    """The real descriptions; a test using them is skipped where the folder is not beside the checkout.

    The folder lives outside the repository (it may not be copied in), so a
    clone without it cannot install it the way ``.ci/run`` installs tools.
    """
    import pytest

    if not REAL_DESCRIPTIONS.is_dir():
        pytest.skip(f"{REAL_DESCRIPTIONS} is not beside this checkout")
    return sorted(p for p in REAL_DESCRIPTIONS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def industry_of(description: Path) -> str:
    return DESCRIPTION_INDUSTRY[description.name.split("-", 1)[0]]
