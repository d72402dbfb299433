"""``pymockapi present``: the presenter's hotkey client against real servers.

The client runs for real in a pseudo-terminal (a child process, as a presenter
runs it) and in-process on a background thread (so coverage sees it); keys are
written to the pty master and checked twice: on the server (waypoint, pause,
recording, annotations) and on the screen read back from the master.  The pure
parts (keys, toggles, countdown, drawing) are checked over many samples.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import http.server
import io
import json
import os
import random
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pymockapi.present import (
    BACKOFF_FIRST_S,
    BACKOFF_MAX_S,
    Options,
    Presenter,
    Terminal,
    add_parser,
    backoff,
    error_text,
    main,
)
from pymockapi.present_screen import (
    HOTKEYS,
    LEGEND,
    RECORD_TOGGLE,
    Board,
    Command,
    Key,
    KeyDecoder,
    clock_text,
    paint,
    plain,
    render,
)
from pymockapi.server import Settings

from support import ROOT, LiveServer, ServerFactory, ServerProcess, free_port, request

ORBIT = "orbit-saas"
WAIT_S = 10.0
COUNTDOWN = re.compile(r"NEXT  usage-peak  in (\d+):(\d\d)\.(\d)")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# ----------------------------------------------------------------- harness
def _client_command() -> list[str]:
    """``python -m pymockapi present`` once the CLI has the sub-command, else the module itself."""
    from pymockapi.cli import build_parser

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["present", ORBIT])
    except SystemExit:
        return [sys.executable, "-m", "pymockapi.present"]
    return [sys.executable, "-m", "pymockapi", "present"]


def _set_size(fd: int, columns: int = 120, rows: int = 40) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class Screen:
    """Everything the client wrote to a terminal (or pipe), read on a thread so the client never blocks."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.data = bytearray()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        while not self.stopped.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.data.extend(chunk)

    def text(self, since: int = 0) -> str:
        with self.lock:
            raw = bytes(self.data[since:])
        return ANSI.sub("\n", raw.decode("utf-8", "replace"))

    def mark(self) -> int:
        with self.lock:
            return len(self.data)

    def wait_for(self, pattern: str, since: int = 0, timeout: float = WAIT_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text(since), re.S)
            if found:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{pattern!r} not on screen within {timeout} s; screen tail:\n{self.text(since)[-1500:]}")

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)


def wait_until(
    port: int,
    predicate: Callable[[dict[str, Any]], bool],
    path: str = f"/_api/sessions/{ORBIT}",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_S
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = request(port, "GET", path, headers=headers).json()
        if predicate(body):
            return body
        time.sleep(0.02)
    raise AssertionError(f"server never reached the expected state: {body}")


class ChildClient:
    """The real command in a pseudo-terminal, as a presenter starts it."""

    def __init__(self, session: str, port: int, *extra: str) -> None:
        self.master, self.slave = os.openpty()
        _set_size(self.slave)
        self.modes = termios.tcgetattr(self.slave)
        self.proc = subprocess.Popen(
            [*_client_command(), session, "--url", f"http://127.0.0.1:{port}", *extra],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            cwd=ROOT,
            start_new_session=True,
        )
        self.screen = Screen(self.master)

    def keys(self, data: bytes) -> int:
        mark = self.screen.mark()
        os.write(self.master, data)
        return mark

    def wait(self) -> int:
        return self.proc.wait(timeout=WAIT_S)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT_S)
        self.screen.close()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def child() -> Iterator[Callable[..., ChildClient]]:
    started: list[ChildClient] = []

    def start(session: str, port: int, *extra: str) -> ChildClient:
        started.append(ChildClient(session, port, *extra))
        return started[-1]

    yield start
    for client in started:
        client.close()


class ThreadClient:
    """The same client in this process (a thread with its own loop), on a pty or on pipes."""

    def __init__(self, options: Options, *, tty: bool = True, in_fd: int | None = None, **kw: Any) -> None:
        if tty:
            self.master, slave = os.openpty()
            _set_size(slave)
            self.modes = termios.tcgetattr(slave)
            self.in_fd, self.out_fd = slave, slave
            self.writer = self.master
        else:
            read_keys, self.writer = os.pipe()
            self.master, self.out_fd = os.pipe()
            self.in_fd = in_fd if in_fd is not None else read_keys
            self._extra = read_keys
        self.err_read, self.err_fd = os.pipe()
        self.tty = tty
        self.presenter = Presenter(options, self.in_fd, self.out_fd, self.err_fd, **kw)
        self.code: int | None = None
        self.screen = Screen(self.master)
        self.errors = Screen(self.err_read)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.code = asyncio.run(self.presenter.run())

    def keys(self, data: bytes) -> int:
        mark = self.screen.mark()
        os.write(self.writer, data)
        return mark

    def wait(self) -> int | None:
        self.thread.join(timeout=WAIT_S)
        assert not self.thread.is_alive(), "client did not exit"
        return self.code

    def close(self) -> None:
        if self.thread.is_alive():
            loop_done = self.presenter._done
            if loop_done is not None:
                loop_done.get_loop().call_soon_threadsafe(self.presenter.finish, 0)
            self.thread.join(timeout=WAIT_S)
        self.screen.close()
        self.errors.close()
        fds = {self.master, self.in_fd, self.out_fd, self.err_read, self.err_fd, self.writer}
        if not self.tty:
            fds.add(self._extra)
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def inproc() -> Iterator[Callable[..., ThreadClient]]:
    started: list[ThreadClient] = []

    def start(options: Options, **kw: Any) -> ThreadClient:
        started.append(ThreadClient(options, **kw))
        return started[-1]

    yield start
    for client in started:
        client.close()


class FixedPortServer(LiveServer):
    """A LiveServer that listens on a port chosen in advance, so it can come back on the same one."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.fixed = port
        super().__init__(settings)

    def _start(self) -> Any:
        from pymockapi.server import Server, build_context

        server = Server(build_context(self.settings, clock=self.clock))
        self._port = server.listen(self.fixed, "127.0.0.1")
        return server


# ----------------------------------------------------- the real command, in a pty
@pytest.mark.slow
def test_hotkeys_in_a_pty_drive_the_session_and_the_screen_follows(
    server: LiveServer, child: Callable[..., ChildClient]
) -> None:
    client = child(ORBIT, server.port)
    screen = client.screen
    first = screen.wait_for(r"NOW   trial.*?NEXT  usage-peak  in \d+:\d\d\.\d")
    assert "Acme Rockets runs forty seats" in screen.text()  # narration from the story summary
    a = COUNTDOWN.search(screen.text())
    time.sleep(0.5)
    counts = [tuple(int(g) for g in m.groups()) for m in COUNTDOWN.finditer(screen.text())]
    assert a is not None and first and len(set(counts)) >= 2 and counts[-1] < counts[0]  # counts down locally

    mark = client.keys(b" ")
    wait_until(server.port, lambda s: s["waypoint"] == "usage-peak")
    screen.wait_for(r"NOW   usage-peak.*?NEXT  upgrade  on advance", since=mark)
    mark = client.keys(b"\x1b[C")
    wait_until(server.port, lambda s: s["waypoint"] == "upgrade")
    screen.wait_for(r"NOW   upgrade.*?Acme moves to Enterprise", since=mark)
    mark = client.keys(b"\x1b[D")
    wait_until(server.port, lambda s: s["waypoint"] == "usage-peak" and s["waypoints_done"] == ["trial"])
    screen.wait_for(r"NOW   usage-peak", since=mark)

    mark = client.keys(b"p")
    wait_until(server.port, lambda s: s["paused"] is True)
    screen.wait_for(r"PAUSED", since=mark)
    mark = client.keys(b"p")
    wait_until(server.port, lambda s: s["paused"] is False)
    screen.wait_for(r"NOW   usage-peak(?:(?!PAUSED).)*NEXT", since=mark)

    mark = client.keys(b"r")
    wait_until(server.port, lambda s: s["recording"]["state"] == "recording")
    screen.wait_for(r"REC   ● recording  \d+:\d\d\.\d", since=mark)
    mark = client.keys(b"aCustomer asks about SSO\r")
    notes = wait_until(
        server.port, lambda t: any(m["kind"] == "note" for m in t["markers"]), f"/_api/sessions/{ORBIT}/annotations"
    )["markers"]
    assert [(m["text"], m["source"]) for m in notes if m["kind"] == "note"] == [("Customer asks about SSO", "hotkey")]
    screen.wait_for(r"NOTE  \d+:\d\d\.\d  note: Customer asks about SSO", since=mark)
    mark = client.keys(b"athrown away")
    screen.wait_for(r"Note: thrown away", since=mark)
    mark = client.keys(b"\x1b")
    screen.wait_for(r"space/→ advance", since=mark)
    mark = client.keys(b"r")
    wait_until(server.port, lambda s: s["recording"]["state"] == "stopped")
    screen.wait_for(r"REC   ■ stopped", since=mark)
    markers = server.call("GET", f"/_api/sessions/{ORBIT}/annotations").json()["markers"]
    assert all("thrown away" not in m["text"] for m in markers)

    client.keys(b"q")
    assert client.wait() == 0
    assert termios.tcgetattr(client.slave) == client.modes  # the terminal is as it was


@pytest.mark.slow
def test_unknown_session_prints_the_servers_error_and_exits_1(
    server: LiveServer, child: Callable[..., ChildClient]
) -> None:
    client = child("no-such-session", server.port)
    assert client.wait() == 1
    screen = client.screen.text()
    expected = server.call("GET", "/_api/sessions/no-such-session").json()["error"]["message"]
    client.screen.wait_for(re.escape(f"error: {expected}"))
    assert "Traceback" not in screen
    assert termios.tcgetattr(client.slave) == client.modes


@pytest.mark.slow
def test_child_reconnects_when_the_server_restarts_on_the_same_port(child: Callable[..., ChildClient]) -> None:
    port = free_port()
    first = ServerProcess("--memory", port=port)
    try:
        client = child(ORBIT, port)
        client.screen.wait_for(r"NOW   trial.*?live")
    finally:
        first.kill()
    mark = client.screen.mark()
    client.screen.wait_for(r"reconnecting…", since=mark)
    second = ServerProcess("--memory", port=port)
    try:
        mark = client.screen.mark()
        client.screen.wait_for(r"session orbit-saas +live", since=mark)
        client.keys(b" ")
        wait_until(port, lambda s: s["waypoint"] == "usage-peak")
        client.keys(b"q")
        assert client.wait() == 0
    finally:
        second.kill()


@pytest.mark.slow
def test_sigterm_quits_and_restores_the_terminal(server: LiveServer, child: Callable[..., ChildClient]) -> None:
    client = child(ORBIT, server.port)
    client.screen.wait_for(r"NOW   trial")
    client.proc.terminate()
    assert client.wait() == 128 + 15
    assert termios.tcgetattr(client.slave) == client.modes


# ------------------------------------------------- the same client, in-process
@pytest.mark.slow
def test_in_process_on_a_pty_keys_toggles_and_notes(server: LiveServer, inproc: Callable[..., ThreadClient]) -> None:
    client = inproc(Options(ORBIT, f"http://127.0.0.1:{server.port}/"))
    client.screen.wait_for(r"NOW   trial.*?live")
    for keys, check in (
        (b" ", lambda s: s["waypoint"] == "usage-peak"),
        (b"\x1bOC", lambda s: s["waypoint"] == "upgrade"),
        (b"\x1b[D", lambda s: s["waypoint"] == "usage-peak"),
        (b"P", lambda s: s["paused"]),
        (b"R", lambda s: s["recording"]["state"] == "recording"),
        (b"p", lambda s: not s["paused"]),
    ):
        client.keys(keys)
        wait_until(server.port, check)
    mark = client.keys("aprix net €\x7f\x7f\x7f\x7f\x7fnet é\r".encode())
    client.screen.wait_for(r"NOTE .* note: prix net é", since=mark)
    mark = client.keys(b"a\x15  \r")  # cleared, then only spaces: nothing is sent
    client.screen.wait_for(r"space/→ advance", since=mark)
    mark = client.keys(b"athrown away")
    client.screen.wait_for(r"Note: thrown away█", since=mark)
    mark = client.keys(b"\x1b")  # a lone Esc: held for the rest of a sequence, then it cancels
    client.screen.wait_for(r"space/→ advance", since=mark)
    client.keys(b"r")
    wait_until(server.port, lambda s: s["recording"]["state"] == "stopped")
    mark = client.keys(b"ano longer recording\r")
    client.screen.wait_for(r"ERROR recording_stopped", since=mark)
    client.keys(b"Q")
    assert client.wait() == 0
    assert termios.tcgetattr(client.in_fd) == client.modes


def test_in_process_reconnects_after_a_restart_and_drops_keys_while_offline(
    tmp_path: Path, inproc: Callable[..., ThreadClient]
) -> None:
    port = free_port()
    live = FixedPortServer(Settings(state=tmp_path / "state.sqlite3"), port)
    client = inproc(Options(ORBIT, f"http://127.0.0.1:{port}"), tty=False)
    client.screen.wait_for(r"NOW   trial.*?live")
    live.call("POST", f"/_api/sessions/{ORBIT}/pause")
    client.screen.wait_for(r"PAUSED")
    live.stop()
    mark = client.screen.mark()
    client.screen.wait_for(r"reconnecting…", since=mark)
    mark = client.keys(b" ")
    client.screen.wait_for(r"not connected: advance was not sent", since=mark)
    again = FixedPortServer(Settings(state=tmp_path / "state.sqlite3"), port)
    try:
        mark = client.screen.mark()
        client.screen.wait_for(r"session orbit-saas +live", since=mark)
        # a session comes back as acknowledged (paused at its waypoint): the screen re-read the state
        client.screen.wait_for(r"PAUSED", since=mark)
        assert again.call("GET", f"/_api/sessions/{ORBIT}").json()["waypoint"] == "trial"
        os.close(client.writer)  # end of input quits like q
        assert client.wait() == 0
    finally:
        again.stop()


def test_keys_from_a_file_wait_for_the_connection_then_end_of_input_quits(
    server: LiveServer, inproc: Callable[..., ThreadClient], tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.write_bytes(b" \x1b[C")
    with keys.open("rb") as source:
        client = inproc(Options(ORBIT, f"http://127.0.0.1:{server.port}"), tty=False, in_fd=source.fileno())
        assert client.wait() == 0
    session = server.call("GET", f"/_api/sessions/{ORBIT}").json()
    assert session["waypoint"] == "upgrade" and session["waypoints_done"] == ["trial", "usage-peak"]


def test_a_deleted_session_ends_the_client_with_the_servers_message(
    server: LiveServer, inproc: Callable[..., ThreadClient]
) -> None:
    assert server.call("POST", "/_api/sessions", {"story": ORBIT, "id": "call-7"}).status == 201
    client = inproc(Options("call-7", f"http://127.0.0.1:{server.port}"), tty=False)
    client.screen.wait_for(r"session call-7 +live")
    assert server.call("DELETE", "/_api/sessions/call-7").status == 204
    assert client.wait() == 1
    client.errors.wait_for(r"error: No session named 'call-7'.*\nhint: ")


def test_token_is_sent_and_a_wrong_one_is_refused(
    tmp_path: Path, inproc: Callable[..., ThreadClient], live_server: ServerFactory
) -> None:
    live = live_server(state=tmp_path / "state.sqlite3", token="s3cret")
    try:
        url = f"http://127.0.0.1:{live.port}"
        good = inproc(Options(ORBIT, url, token="s3cret"), tty=False)
        good.screen.wait_for(r"NOW   trial.*?live")
        good.keys(b" ")
        wait_until(live.port, lambda s: s.get("waypoint") == "usage-peak", headers={"Authorization": "Bearer s3cret"})
        good.keys(b"\x03")  # on a pipe Ctrl-C arrives as a byte (a terminal turns it into SIGINT)
        assert good.wait() == 0
        assert live.call("GET", f"/_api/sessions/{ORBIT}").status == 401  # the token really was needed
        bad = inproc(Options(ORBIT, url, token="wrong"), tty=False)
        assert bad.wait() == 1
        bad.errors.wait_for(r"error: .*token")
    finally:
        live.stop()


def test_an_unreachable_server_is_retried_and_q_still_quits(inproc: Callable[..., ThreadClient]) -> None:
    client = inproc(Options(ORBIT, f"http://127.0.0.1:{free_port()}"), tty=False)
    mark = client.screen.mark()
    client.screen.wait_for(r"connecting… \(retry in 0\.5 s\)", since=mark)
    client.screen.wait_for(r"connecting… \(retry in 1\.0 s\)", since=mark)
    client.keys(b" a")
    client.screen.wait_for(r"2 key\(s\) held until connected")
    client.keys(b"q")
    assert client.wait() == 0


class Scripted(http.server.BaseHTTPRequestHandler):
    """Answers from a script, one per session lookup: the odd servers a presenter may meet."""

    answers: ClassVar[list[tuple[int, bytes]]] = []

    def do_GET(self) -> None:
        if self.path == "/_api/sessions/odd":
            status, body = self.answers.pop(0) if self.answers else (404, b"{}")
        else:
            status, body = 500, b"story summaries are down"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


def test_odd_answers_are_retried_until_a_final_one(inproc: Callable[..., ThreadClient]) -> None:
    gone = b'{"error": {"code": "session_not_found", "message": "No session named \'odd\'.", "hint": ""}}'
    Scripted.answers = [
        (503, b"busy"),
        (200, b"not json"),
        (200, b"[]"),
        (200, json.dumps(session_dict(id="odd")).encode()),
        (404, gone),
    ]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    serving = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    try:
        client = inproc(
            Options("odd", f"http://127.0.0.1:{httpd.server_address[1]}"), tty=False, delays=lambda attempt: 0.02
        )
        assert client.wait() == 1
        client.errors.wait_for(r"^error: No session named 'odd'.\n$")
        seen = client.screen.text()
        for why in ("Service Unavailable", "not JSON", "not a JSON object", "WebSocket: HTTP 500"):
            assert why in seen
        assert "NOW   trial" in seen  # the state from the lookup was shown while the socket failed
    finally:
        httpd.shutdown()
        httpd.server_close()
        serving.join(timeout=WAIT_S)


def test_closing_the_screen_ends_the_client(server: LiveServer, inproc: Callable[..., ThreadClient]) -> None:
    client = inproc(Options(ORBIT, f"http://127.0.0.1:{server.port}"), tty=False)
    client.screen.wait_for(r"NOW   trial.*?live")
    client.screen.close()
    os.close(client.master)
    assert client.wait() == 0


@pytest.mark.slow
def test_terminal_restore_survives_a_vanished_terminal() -> None:
    master, slave = os.openpty()
    try:
        terminal = Terminal(slave, slave)
        with pytest.raises(RuntimeError, match="boom"), terminal:
            assert terminal.full_screen and terminal.size() == (80, 24)  # a fresh pty has no size
            os.close(slave)
            raise RuntimeError("boom")
        assert terminal.size() == (80, 24)
    finally:
        os.close(master)


def test_main_runs_the_command_with_signals_and_exits_1_for_an_unknown_session(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in, write_in = os.pipe()
    read_out, write_out = os.pipe()
    with os.fdopen(read_in, "rb") as stdin, os.fdopen(write_out, "wb") as stdout:
        monkeypatch.setattr(sys, "stdin", stdin)
        monkeypatch.setattr(sys, "stdout", stdout)
        monkeypatch.setattr(sys, "stderr", stdout)
        screen = Screen(read_out)
        try:
            assert main(["nothing-here", "--url", f"http://127.0.0.1:{server.port}"]) == 1
            screen.wait_for(r"error: No session named 'nothing-here'")
        finally:
            screen.close()
            os.close(write_in)
    os.close(read_out)


# -------------------------------------------------------------- pure parts
ENCODED: dict[str, bytes] = {
    Key.RIGHT.value: b"\x1b[C",
    Key.LEFT.value: b"\x1b[D",
    Key.UP.value: b"\x1bOA",
    Key.DOWN.value: b"\x1b[1;5B",
    Key.ENTER.value: b"\r",
    Key.BACKSPACE.value: b"\x7f",
    Key.INTERRUPT.value: b"\x03",
    Key.CLEAR_LINE.value: b"\x15",
    " ": b" ",
    "p": b"p",
    "a": b"a",
    "é": "é".encode(),
    "€": "€".encode(),
    "q": b"q",
    "🙂": "🙂".encode(),
}


def test_decoder_gives_the_same_keys_however_the_bytes_are_split() -> None:
    rng = random.Random(20260312)
    names = sorted(ENCODED)
    for _ in range(300):
        keys = [rng.choice(names) for _ in range(rng.randint(1, 12))]
        data = b"".join(ENCODED[k] for k in keys)
        decoder, out = KeyDecoder(), []
        position = 0
        while position < len(data):
            step = rng.randint(1, 4)
            out.extend(decoder.feed(data[position : position + step]))
            position += step
        assert out == keys and not decoder.pending


def test_decoder_escape_alone_is_held_then_flushed_and_odd_sequences_are_dropped() -> None:
    decoder = KeyDecoder()
    assert decoder.feed(b"x\x1b") == ["x"] and decoder.pending
    assert decoder.flush() == [Key.ESCAPE.value] and not decoder.pending
    assert decoder.feed(b"\x1b[") == [] and decoder.flush() == [Key.ESCAPE.value, "["]
    assert decoder.feed(b"\x1bO") == [] and decoder.flush() == [Key.ESCAPE.value, "O"]
    assert decoder.flush() == []
    assert decoder.feed(b"\x1b[3~q") == ["q"]  # Delete: not ours, ignored whole
    assert decoder.feed(b"\x1bOPq") == ["q"]  # F1 in SS3 form
    assert decoder.feed(b"\x1bq") == [Key.ESCAPE.value, "q"]  # Alt+q
    assert decoder.feed(b"\x1b[1\x07p") == ["p"]  # broken sequence, then an ignored control, then p
    assert decoder.feed(b"\xff") == ["\ufffd"]


def session_dict(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ORBIT,
        "story": ORBIT,
        "waypoint": "trial",
        "waypoints_done": [],
        "paused": False,
        "next": {"waypoint": "usage-peak", "due_in_ms": 30000},
        "recording": {"state": "idle", "offset_ms": 0, "recorder": {"name": "none", "status": "none", "detail": ""}},
    }
    base.update(over)
    return base


SUMMARY: dict[str, Any] = {
    "id": ORBIT,
    "title": "Orbit: a trial workspace to an Enterprise renewal",
    "waypoints": [
        {"name": "trial", "trigger": "initial", "narration": "Acme Rockets runs forty seats on the Team plan."},
        {"name": "usage-peak", "trigger": "after", "after_ms": 30000, "narration": "Usage peaks."},
        {"name": "upgrade", "trigger": "advance", "narration": "Acme moves to Enterprise."},
        {
            "name": "invoice-viewed",
            "trigger": "when",
            "when": "GET /workspaces/{workspace_id}/invoices",
            "narration": "Finance opens the invoices.",
        },
    ],
}


def test_toggles_read_the_last_state() -> None:
    board = Board(ORBIT)
    assert board.press("p").needs_session and board.press("r").frames == ()
    for paused in (False, True):
        for state, action in RECORD_TOGGLE.items():
            board.set_state(session_dict(paused=paused, recording={"state": state, "offset_ms": 5}), 0)
            assert board.press("p").frames == ({"op": "resume" if paused else "pause"},)
            assert board.press("r").frames == ({"op": "recording", "action": action},)
            assert action == ("stop" if state in ("recording", "paused") else "start")
    assert board.press(" ").frames == board.press(Key.RIGHT.value).frames == ({"op": "advance"},)
    assert board.press(Key.LEFT.value).frames == ({"op": "back"},)
    assert board.press("q").quit and board.press(Key.INTERRUPT.value).quit
    assert board.press("z") == board.press(Key.UP.value) == type(board.press("z"))()
    assert set(HOTKEYS.values()) == set(Command)


def test_note_prompt_edits_sends_and_cancels() -> None:
    rng = random.Random(7)
    for _ in range(100):
        board = Board(ORBIT)
        board.set_state(session_dict(), 0)
        assert board.press("a").frames == () and board.prompt == ""
        typed = "".join(rng.choice("abc xyzé€ ") for _ in range(rng.randint(0, 30)))
        for ch in typed:
            board.press(ch)
        assert board.prompt == typed
        board.press(Key.BACKSPACE.value)
        assert board.prompt == typed[:-1]
        reaction = board.press(Key.ENTER.value)
        assert board.prompt is None
        if typed[:-1].strip():
            assert reaction.frames == (
                {"op": "annotate", "text": typed[:-1].strip(), "kind": "note", "source": "hotkey"},
            )
        else:
            assert reaction.frames == ()
    board.press("a")
    for _ in range(600):
        board.press("x")
    assert board.prompt is not None and len(board.prompt) == 500
    board.press(Key.CLEAR_LINE.value)
    assert board.prompt == ""
    board.press("q")
    assert board.prompt == "q"  # inside the prompt, q is a letter
    assert board.press(Key.ESCAPE.value).frames == () and board.prompt is None


def test_countdown_runs_down_locally_and_freezes_while_paused() -> None:
    rng = random.Random(11)
    for _ in range(200):
        due, start = rng.randint(0, 60000), rng.uniform(0, 1e6)
        board = Board(ORBIT)
        board.set_state(session_dict(next={"waypoint": "usage-peak", "due_in_ms": due}), start)
        steps = sorted(rng.uniform(0, 70000) for _ in range(5))
        seen = [board.due_in_ms(start + s) for s in steps]
        assert all(v is not None and 0 <= v <= due for v in seen)
        assert seen == sorted(seen, key=lambda v: -(v or 0))
        board.set_state(session_dict(paused=True, next={"waypoint": "usage-peak", "due_in_ms": due}), start)
        assert {board.due_in_ms(start + s) for s in steps} == {due}
    board.set_state(session_dict(next={"waypoint": "upgrade", "due_in_ms": None}), 0)
    assert board.due_in_ms(1000) is None
    board.set_state(session_dict(next=None), 0)
    assert board.due_in_ms(1000) is None


def test_recording_offset_runs_only_while_recording() -> None:
    board = Board(ORBIT)
    for state in RECORD_TOGGLE:
        board.set_state(session_dict(recording={"state": state, "offset_ms": 1200, "recorder": {}}), 100.0)
        assert board.offset_ms(2100.0) == (3200 if state == "recording" else 1200)
    assert Board(ORBIT).recording["state"] == "idle"


def test_clock_text_reads_as_minutes_seconds_tenths() -> None:
    rng = random.Random(3)
    for ms in [0, 99, 100, 59999, 60000, *(rng.randint(0, 10**7) for _ in range(300))]:
        found = re.fullmatch(r"(\d+):(\d\d)\.(\d)", clock_text(ms))
        assert found is not None
        m, s, t = (int(x) for x in found.groups())
        assert s < 60 and (m * 60 + s) * 1000 + t * 100 == ms - ms % 100
    assert clock_text(-5) == "0:00.0"


def test_screen_shows_what_the_presenter_needs_at_every_width() -> None:
    rng = random.Random(5)
    states = list(RECORD_TOGGLE)
    for _ in range(150):
        width = rng.randint(1, 200)
        board = Board(ORBIT)
        if rng.random() < 0.8:
            board.set_summary(SUMMARY)
        board.link = rng.choice(["live", "reconnecting… (retry in 2.0 s)"])
        waypoint = rng.choice([w["name"] for w in SUMMARY["waypoints"]])
        nxt: dict[str, Any] | None = rng.choice(
            [
                None,
                {"waypoint": "upgrade", "due_in_ms": None},
                {"waypoint": "invoice-viewed", "due_in_ms": None},
                {"waypoint": "usage-peak", "due_in_ms": rng.randint(0, 90000)},
            ]
        )
        paused, state = rng.random() < 0.5, rng.choice(states)
        board.set_state(
            session_dict(
                waypoint=waypoint,
                paused=paused,
                next=nxt,
                recording={
                    "state": state,
                    "offset_ms": 61000,
                    "recorder": {"name": "obs", "status": "ok", "detail": ""},
                },
            ),
            0,
        )
        if rng.random() < 0.5:
            board.apply({"event": "waypoint", "from": "trial", "to": waypoint, "narration": "Live narration."}, 0)
        if rng.random() < 0.5:
            board.apply({"event": "recorder", "status": "error", "detail": "OBS refused"}, 0)
        if rng.random() < 0.5:
            board.apply({"event": "error", "code": "no_next_waypoint", "message": "last one"}, 0)
        if rng.random() < 0.5:
            board.apply({"event": "annotation", "kind": "note", "text": "asked about SSO", "offset_ms": 4100}, 0)
        board.apply({"event": "changes", "records": []}, 0)
        if rng.random() < 0.3:
            board.press("a")
            board.press("h")
        lines = render(board, 2500.0, width)
        assert all(len(text) <= max(20, width) for _, text in lines)
        if width < 100:
            continue  # narrow screens cut lines; the content checks need room
        text = "\n".join(t for _, t in lines)
        assert f"NOW   {waypoint}" in text and ("PAUSED" in text) == paused
        assert board.link in text and f"session {ORBIT}" in text
        if nxt is None:
            assert "(last waypoint)" in text
        elif nxt["due_in_ms"] is not None:
            due = nxt["due_in_ms"] if paused else max(0, nxt["due_in_ms"] - 2500)
            assert f"NEXT  usage-peak  in {clock_text(due)}" in text
        elif board.summary:
            assert ("on advance" if nxt["waypoint"] == "upgrade" else "when GET /workspaces") in text
        look = {"idle": "○ idle", "recording": "● recording", "paused": "‖ paused", "stopped": "■ stopped"}[state]
        assert f"REC   {look}" in text
        assert ("recorder obs: error (OBS refused)" in text) == (board.recorder_event is not None)
        assert ("ERROR no_next_waypoint: last one" in text) == (board.last_error is not None)
        assert ("NOTE  0:04.1  note: asked about SSO" in text) == (board.last_note is not None)
        assert ("Note: h█" in text) == (board.prompt is not None)
        if board.prompt is None:
            assert all(key in text for key, _ in LEGEND)
        if board.waypoint_event is not None:
            assert "Live narration." in text
        elif board.summary and waypoint == "trial":
            assert "Acme Rockets runs forty seats" in text


def test_screen_before_the_first_state_and_painting() -> None:
    board = Board("call-9")
    board.notice = "1 key(s) held until connected"
    lines = render(board, 0, 80)
    text = "\n".join(t for _, t in lines)
    assert "waiting for the session's state" in text and "story …" in text and board.notice in text
    board.set_summary(SUMMARY)
    assert "story orbit-saas" in "\n".join(t for _, t in render(board, 0, 80))
    board.set_state(session_dict(waypoint="custom-stop", next={"waypoint": "elsewhere", "due_in_ms": None}), 0)
    text = "\n".join(t for _, t in render(board, 0, 80))
    assert "NOW   custom-stop\n" in text and "NEXT  elsewhere" in text
    painted = paint(render(board, 0, 80))
    assert painted.startswith("\x1b[H") and "\x1b[1m" in painted
    assert plain(painted).replace("\r\n", "\n") == "\n".join(t for _, t in render(board, 0, 80))
    assert "\x1b[1m" not in paint(render(board, 0, 80), color=False)


# --------------------------------------------------------- options and parsing
def test_backoff_doubles_from_half_a_second_and_stays_bounded() -> None:
    delays = [backoff(n) for n in range(200)]
    assert delays[0] == BACKOFF_FIRST_S and max(delays) == BACKOFF_MAX_S
    assert delays == sorted(delays) and all(BACKOFF_FIRST_S <= d <= BACKOFF_MAX_S for d in delays)


def test_options_build_urls_and_headers() -> None:
    plain_opts = Options("call 1/x", "http://127.0.0.1:8000/")
    assert plain_opts.ws_url() == "ws://127.0.0.1:8000/_api/sessions/call%201%2Fx/ws"
    assert plain_opts.headers() == {}
    secure = Options(ORBIT, "https://demo.example.com", token="a b&c")
    assert secure.ws_url() == "wss://demo.example.com/_api/sessions/orbit-saas/ws?token=a%20b%26c"
    assert secure.headers() == {"Authorization": "Bearer a b&c"}


def test_error_text_uses_the_servers_message_and_survives_other_bodies() -> None:
    body = b'{"error": {"code": "session_not_found", "message": "No session named \'x\'.", "hint": "Try y."}}'
    assert error_text(404, body) == "error: No session named 'x'.\nhint: Try y."
    assert error_text(404, b'{"error": {"message": "gone"}}') == "error: gone"
    for junk in (b"", b"<html>", b"[]", b'{"error": 3}'):
        assert error_text(401, junk) == "error: the server answered HTTP 401"


def test_add_parser_defines_the_present_command() -> None:
    parser = argparse.ArgumentParser(prog="pymockapi")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["present", ORBIT])
    assert (args.command, args.session, args.url, args.token) == ("present", ORBIT, "http://127.0.0.1:8000", None)
    args = parser.parse_args(["present", "s", "--url", "http://h:1", "--token", "T"])
    assert (args.session, args.url, args.token) == ("s", "http://h:1", "T")
