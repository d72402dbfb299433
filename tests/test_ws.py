"""The presenter WebSocket with real clients."""

from __future__ import annotations

from pathlib import Path

import pytest
import websocket

from support import LiveServer, ServerFactory

ORBIT = "orbit-saas"


def test_connect_gets_state_then_ops_broadcast_identically(server: LiveServer) -> None:
    a, b = server.ws(ORBIT), server.ws(ORBIT)
    try:
        first_a, first_b = a.recv(), b.recv()
        assert first_a["event"] == "state" and first_a["session"]["waypoint"] == "trial"
        assert first_a == first_b
        for op in ({"op": "advance"}, {"op": "advance"}, {"op": "annotate", "text": "not recording yet"},
                   {"op": "goto", "waypoint": "trial"}, {"op": "pause"}, {"op": "resume"}, {"op": "back"}):
            a.send(op)
        seen_a = a.drain()
        b.send({"op": "state"})
        seen_b = b.drain()[:-1]
        shared_a = [m for m in seen_a if m["event"] != "error"]
        shared_b = [m for m in seen_b if m["event"] != "error"]
        assert shared_a == shared_b
        waypoints = [(m["from"], m["to"]) for m in shared_a if m["event"] == "waypoint"]
        assert waypoints[:3] == [("trial", "usage-peak"), ("usage-peak", "upgrade"), ("upgrade", "trial")]
        upgrade = next(m for m in shared_a if m["event"] == "waypoint" and m["to"] == "upgrade")
        assert upgrade["narration"].startswith("Acme moves to Enterprise") and upgrade["at"].endswith("Z")
        changes = [m for m in shared_a if m["event"] == "changes"]
        assert changes and changes[0]["records"][0]["plan"] == "Enterprise"
        errors_a = [m for m in seen_a if m["event"] == "error"]
        assert [e["code"] for e in errors_a] == ["recording_idle", "no_previous_waypoint"]
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("frame, code", [
    ("not json", "invalid_json"),
    ('["advance"]', "invalid_field"),
    ('{"op": "fly"}', "unknown_op"),
    ('{"op": "goto"}', "invalid_field"),
    ('{"op": "goto", "waypoint": "mars"}', "waypoint_not_found"),
    ('{"op": "annotate", "text": 5}', "invalid_field"),
    ('{"op": "recording", "action": "rewind"}', "invalid_field"),
])
def test_bad_frame_gets_an_error_event_and_the_connection_stays_usable(server: LiveServer, frame: str,
                                                                       code: str) -> None:
    client = server.ws(ORBIT)
    try:
        client.recv()
        client.send(frame)
        error = client.recv()
        assert error["event"] == "error" and error["code"] == code and error["message"]
        client.send({"op": "state"})
        assert client.recv_until("state")["session"]["id"] == ORBIT
    finally:
        client.close()


def test_timer_fired_transition_reaches_every_client(server: LiveServer) -> None:
    clients = [server.ws(ORBIT) for _ in range(3)]
    try:
        for c in clients:
            c.recv()
        server.elapse(30_000)
        for c in clients:
            assert c.recv_until("waypoint")["to"] == "usage-peak"
    finally:
        for c in clients:
            c.close()


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_unknown_session_is_refused_before_upgrade(server: LiveServer) -> None:
    resp = server.call("GET", "/_api/sessions/nope/ws", headers=UPGRADE)
    assert resp.status == 404 and resp.json()["error"]["code"] == "session_not_found"


def test_token_required_off_loopback(tmp_path: Path, live_server: ServerFactory) -> None:
    live = live_server(state=tmp_path / "s.sqlite3", host="0.0.0.0", token="t0k")
    try:
        resp = live.call("GET", f"/_api/sessions/{ORBIT}/ws", headers=UPGRADE)
        assert resp.status == 401 and resp.json()["error"]["code"] == "unauthorized"
        client = live.ws(ORBIT, "?token=t0k")
        assert client.recv()["event"] == "state"
        client.close()
    finally:
        live.stop()


def test_shutdown_closes_websockets_with_1001(tmp_path: Path, live_server: ServerFactory) -> None:
    live = live_server(state=tmp_path / "s.sqlite3")
    client = live.ws(ORBIT)
    client.recv()
    live.stop()
    client.conn.settimeout(5)
    try:
        opcode, data = client.conn.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(data[:2], "big") == 1001
    finally:
        client.close()


def test_an_oversized_frame_gets_an_error_event_and_the_connection_stays(server: LiveServer) -> None:
    client = server.ws(ORBIT)
    try:
        client.recv()
        client.send({"op": "annotate", "text": "x" * (70 * 1024)})
        error = client.recv_until("error")
        assert error["code"] == "frame_too_large"
        client.send({"op": "state"})
        assert client.recv_until("state")["session"]["id"] == ORBIT
    finally:
        client.close()
