"""A real server process killed with SIGKILL comes back with every session as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ServerProcess

pytestmark = pytest.mark.slow  # real processes, OBS, or the load benchmark

ORBIT = "orbit-saas"


def test_sigkill_and_restart_keep_sessions_as_acknowledged_with_identical_bodies(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = ServerProcess("--state", str(state))
    try:
        assert first.call("POST", "/_api/sessions", {"story": ORBIT, "id": "call-1", "seed": 9,
                                                    "anchor_date": "2026-03-12"}).status == 201
        assert first.call("POST", "/_api/sessions/call-1/advance").status == 200
        assert first.call("POST", "/_api/sessions/call-1/advance").json()["waypoint"] == "upgrade"
        assert first.call("POST", "/_api/sessions/call-1/pause").status == 200
        before = {p: first.call("GET", f"/demo/call-1{p}").body
                  for p in ("/workspaces", "/workspaces/ws-0001", "/workspaces/ws-0002/invoices")}
        default_before = first.call("GET", f"/demo/{ORBIT}/workspaces/ws-0001").body
        # reading the invoices is the story's cue: the session moved on, and stays paused
        assert first.call("GET", "/_api/sessions/call-1").json()["waypoint"] == "invoice-viewed"
    finally:
        first.kill()
    second = ServerProcess("--state", str(state))
    try:
        session = second.call("GET", "/_api/sessions/call-1").json()
        assert session["waypoint"] == "invoice-viewed" and session["paused"] is True
        assert session["waypoints_done"] == ["trial", "usage-peak", "upgrade"]
        for path, body in before.items():
            assert second.call("GET", f"/demo/call-1{path}").body == body
        assert second.call("GET", f"/demo/{ORBIT}/workspaces/ws-0001").body == default_before
        assert second.call("GET", f"/_api/sessions/{ORBIT}").json()["paused"] is False  # running: it runs on
        assert second.terminate() == 0
    finally:
        if second.proc.poll() is None:
            second.kill()
