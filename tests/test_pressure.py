"""Graceful under pressure: SIGTERM drains, hung recorders cannot hold a stop, slow and too many clients.

Real server processes on loopback, raw sockets for clients that send
slowly or never finish, and a process descriptor limit for EMFILE.
"""

from __future__ import annotations

import json
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support import ROOT, ServerProcess, free_port, request

pytestmark = pytest.mark.slow  # real processes and real time

ORBIT = "orbit-saas"


def stories_of(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir(exist_ok=True)
    (folder / f"{ORBIT}.py").write_text((ROOT / "stories" / f"{ORBIT}.py").read_text())
    return folder


def read_answer(sock: socket.socket, timeout_s: float = 10.0) -> bytes:
    """Everything the server sends until it has sent one whole answer (by Content-Length) or closes."""
    sock.settimeout(timeout_s)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_sigterm_lets_requests_in_flight_finish_then_exits_0_and_what_they_did_is_kept(tmp_path: Path) -> None:
    stories, state = stories_of(tmp_path), tmp_path / "state.sqlite3"
    server = ServerProcess("--state", str(state), "--stories", str(stories))
    clients = []
    try:
        for i in range(5):  # each has sent its head and half of its body when SIGTERM arrives
            body = json.dumps({"story": ORBIT, "id": f"drain-{i}"}).encode()
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"POST /_api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
            clients.append((sock, body))
        time.sleep(0.3)
        server.proc.send_signal(signal.SIGTERM)  # terminate() below only waits for the exit
        time.sleep(0.5)
        with pytest.raises(OSError):  # no new connections once stopping
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        for sock, body in clients:
            sock.sendall(body[10:])
        answers = [read_answer(sock) for sock, _ in clients]
        assert all(a.startswith(b"HTTP/1.1 201") for a in answers), answers
        assert server.terminate() == 0
    finally:
        for sock, _ in clients:
            sock.close()
        if server.proc.poll() is None:
            server.kill()
    again = ServerProcess("--state", str(state), "--stories", str(stories))
    try:
        for i in range(5):
            assert again.call("GET", f"/_api/sessions/drain-{i}").status == 200
    finally:
        again.kill()


def test_recorders_that_hang_cannot_hold_the_stop_beyond_10_s(tmp_path: Path) -> None:
    tarpit = socket.socket()
    tarpit.bind(("127.0.0.1", 0))
    tarpit.listen(64)  # accepts connections (the kernel does) and never answers
    port = tarpit.getsockname()[1]
    server = ServerProcess("--memory", "--stories", str(stories_of(tmp_path)),
                           "--recorder", f"webhook+http://127.0.0.1:{port}/hook")
    try:
        for i in range(6):
            own = f"webhook+http://127.0.0.1:{port}/own-{i}"
            created = server.call("POST", "/_api/sessions", {"story": ORBIT, "id": f"hung-{i}", "recorder": own})
            assert created.status == 201
            assert server.call("POST", f"/_api/sessions/hung-{i}/recording/start").status == 200
        began = time.monotonic()
        assert server.terminate() == 0
        assert time.monotonic() - began < 10.0
    finally:
        if server.proc.poll() is None:
            server.kill()
        tarpit.close()


def test_a_client_that_never_finishes_its_head_is_closed_and_others_are_served_meanwhile(tmp_path: Path) -> None:
    server = ServerProcess("--memory", "--stories", str(stories_of(tmp_path)))
    try:
        slow = socket.create_connection(("127.0.0.1", server.port), timeout=20)
        slow.sendall(b"GET /_api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        began = time.monotonic()
        closed_after: list[float] = []

        def trickle() -> None:  # one header byte every second, never the blank line
            try:
                for _ in range(30):
                    slow.sendall(b"X")
                    time.sleep(1.0)
            except OSError:
                closed_after.append(time.monotonic() - began)

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        assert server.call("GET", "/_api/health").status == 200
        thread.join(timeout=25)
        assert closed_after and closed_after[0] <= 14.0
        slow.close()
    finally:
        server.kill()


def test_out_of_descriptors_the_server_pauses_accepting_logs_once_and_recovers(tmp_path: Path) -> None:
    port = free_port()

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))

    proc = subprocess.Popen([sys.executable, "-m", "pymockapi", "serve", "--memory", "--port", str(port),
                             "--stories", str(stories_of(tmp_path))], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, preexec_fn=limited)
    held: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(port, "GET", "/_api/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        keep = socket.create_connection(("127.0.0.1", port), timeout=5)  # accepted before the flood
        for _ in range(200):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        time.sleep(3.0)  # the server has been out of descriptors for a while
        keep.sendall(b"GET /_api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_answer(keep).startswith(b"HTTP/1.1 200")  # a connection already accepted goes on
        for sock in held:
            sock.close()
        held.clear()
        time.sleep(1.5)
        assert request(port, "GET", "/_api/health", timeout=5).status == 200  # accepting again
        keep.close()
    finally:
        for sock in held:
            sock.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        output = proc.stdout.read().decode() if proc.stdout else ""
        if proc.stdout:
            proc.stdout.close()
    assert "Traceback" not in output
    assert 1 <= output.count("cannot accept connections") <= 2, output[-2000:]
