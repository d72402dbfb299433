"""What the API acknowledges survives; what cannot be stored changes nothing; one server per state file.

Real server processes killed with SIGKILL the moment after a 2xx, a real
SQLite file that runs out of pages (SQLite's own "database or disk is
full"), real WebSocket clients, and state files of other programs.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT, LiveServer, ServerFactory, ServerProcess, WSClient, free_port

BANK = "harbor-bank"
ORBIT = "orbit-saas"
#: kill -9 rounds of the main test (PYMOCKAPI_KILL_ROUNDS=100 for the figures of the closing note).
ROUNDS = int(os.environ.get("PYMOCKAPI_KILL_ROUNDS", "25"))
#: harbor-bank's demo-call cue: a deposit at big-purchase moves the story to savings-transfer.
WHEN_DEPOSIT = {"big-purchase": "savings-transfer"}
LAST = "market-move"


def only(story: str, tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    """A stories folder holding one shipped story (optionally edited): a server that starts fast."""
    folder = tmp_path / f"stories-{story}"
    folder.mkdir(exist_ok=True)
    text = (ROOT / "stories" / f"{story}.py").read_text()
    (folder / f"{story}.py").write_text(text.replace(*replace) if replace else text)
    return folder


class Model:
    """What the test has seen acknowledged, to compare with what a restarted server shows."""

    def __init__(self) -> None:
        self.waypoint = "payday"
        self.paused = False
        self.deposits: set[str] = set()
        self.notes: set[str] = set()
        self.account = ""
        self.count = 0

    def change(self, server: ServerProcess, rng: random.Random) -> None:
        """One random acknowledged change through the API, remembered when it answers 2xx."""
        self.count += 1
        choice = rng.choice(["deposit", "deposit", "advance", "goto", "pause", "note", "note"])
        if choice == "deposit":
            reply = server.call("POST", f"/demo/dur/accounts/{self.account}/deposits",
                                {"amount": f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}",
                                 "memo": f"Kill test deposit number {self.count}."})
            assert reply.status == 201, reply.body
            self.deposits.add(reply.json()["id"])
            self.waypoint = WHEN_DEPOSIT.get(self.waypoint, self.waypoint)
        elif choice == "advance" and self.waypoint != LAST:
            self.waypoint = server.call("POST", "/_api/sessions/dur/advance").json()["waypoint"]
        elif choice == "goto":
            session = server.call("POST", "/_api/sessions/dur/advance", {"to": "payday"}).json()
            assert session["waypoint"] == "payday"
            self.waypoint, self.deposits = "payday", set()  # every test deposit came after payday began
        elif choice == "pause":
            action = "resume" if self.paused else "pause"
            self.paused = server.call("POST", f"/_api/sessions/dur/{action}").json()["paused"]
        else:
            reply = server.call("POST", "/_api/sessions/dur/annotations", {"text": f"note {self.count}"})
            assert reply.status == 201, reply.body
            self.notes.add(f"note {self.count}")

    def check(self, server: ServerProcess, seen_waypoints: list[str]) -> None:
        session = server.call("GET", "/_api/sessions/dur").json()
        assert (session["waypoint"], session["paused"]) == (self.waypoint, self.paused)
        if seen_waypoints:  # a client was told only of a waypoint the store kept
            assert seen_waypoints[-1] == session["waypoint"]
        world = server.call("GET", "/_api/sessions/dur/export?format=json").json()
        ours = {r["id"] for records in world["records"].values() for r in records
                if str(r.get("memo", "")).startswith("Kill test")}
        assert ours == self.deposits
        timeline = server.call("GET", "/_api/sessions/dur/annotations").json()
        notes = {m["text"] for m in timeline["markers"] if m["kind"] == "note"}
        assert notes == self.notes
        chapters = [m for m in timeline["markers"] if m["kind"] == "chapter"]
        assert chapters[-1]["waypoint"] == session["waypoint"]


@pytest.mark.slow
def test_kill_9_the_moment_after_a_2xx_loses_nothing_and_clients_heard_only_what_was_kept(tmp_path: Path) -> None:
    stories, state = only(BANK, tmp_path), tmp_path / "state.sqlite3"
    args = ("--state", str(state), "--stories", str(stories))
    rng = random.Random(20261203)
    model = Model()
    server = ServerProcess(*args)
    try:
        assert server.call("POST", "/_api/sessions", {"story": BANK, "id": "dur", "seed": 7}).status == 201
        assert server.call("POST", "/_api/sessions/dur/advance").json()["waypoint"] == "payday"
        assert server.call("POST", "/_api/sessions/dur/recording/start").status == 200
        customer = server.call("GET", "/demo/dur/customers").json()["items"][0]["id"]
        accounts = server.call("GET", f"/demo/dur/customers/{customer}/accounts").json()["items"]
        model.account = next(a["id"] for a in accounts if a["kind"] == "checking")
    except BaseException:
        server.kill()
        raise
    server.kill()
    seen: list[str] = []
    for round_ in range(ROUNDS + 1):  # each start checks what the last one acknowledged before its kill
        server = ServerProcess(*args)
        ws: WSClient | None = None
        try:
            model.check(server, seen)
            gaps = [m for m in server.call("GET", "/_api/sessions/dur/annotations").json()["markers"]
                    if m["kind"] == "gap"]
            assert len(gaps) == round_ + 1 and all(m["duration_ms"] > 0 for m in gaps)  # the recording ran on
            if round_ == ROUNDS:
                break
            ws = WSClient(f"ws://127.0.0.1:{server.port}/_api/sessions/dur/ws")
            for _ in range(rng.randint(1, 3)):
                model.change(server, rng)
        finally:
            server.kill()  # SIGKILL right after the last 2xx
        assert ws is not None
        seen = [e["to"] for e in ws.drain(0.1) if e.get("event") == "waypoint"]
        ws.close()


def test_a_change_that_cannot_be_stored_is_a_503_and_leaves_everything_as_it_was(
        live_server: ServerFactory, tmp_path: Path) -> None:
    live = live_server(stories=only(BANK, tmp_path))
    assert live.call("POST", "/_api/sessions", {"story": BANK, "id": "full", "seed": 2}).status == 201
    live.call("POST", "/_api/sessions/full/advance")
    customer = live.call("GET", "/demo/full/customers").json()["items"][0]["id"]
    account = live.call("GET", f"/demo/full/customers/{customer}/accounts").json()["items"][0]["id"]
    before = live.call("GET", f"/demo/full/customers/{customer}/transactions").body
    session_before = live.call("GET", "/_api/sessions/full").json()
    ws = live.ws("full")
    ws.drain(0.1)
    db = live.ctx.sessions.store._db
    db.execute("PRAGMA query_only=ON")  # from now on SQLite refuses every write, as a full disk would
    for attempt in range(30):
        refused = live.call("POST", f"/demo/full/accounts/{account}/deposits",
                            {"amount": "10.00", "memo": f"Full disk deposit number {attempt}."})
        assert refused.status == 503, refused.body
        assert refused.json()["error"]["code"] == "not_stored" and refused.json()["error"]["hint"]
    moved = live.call("POST", "/_api/sessions/full/advance")
    assert moved.status == 503
    assert live.call("GET", f"/demo/full/customers/{customer}/transactions").body == before
    assert live.call("GET", "/_api/sessions/full").json()["waypoint"] == session_before["waypoint"]
    told = ws.drain(0.2)
    assert not [e for e in told if e.get("event") in ("changes", "waypoint")]  # nothing unstored announced
    ws.close()
    db.execute("PRAGMA query_only=OFF")
    kept = live.call("POST", f"/demo/full/accounts/{account}/deposits",
                     {"amount": "10.00", "memo": "Deposit after the disk came back."})
    assert kept.status == 201
    live.stop()
    again = live_server(stories=only(BANK, tmp_path), state=live.settings.state)
    world = again.call("GET", "/_api/sessions/full/export?format=json").json()["records"]
    ids = {r["id"] for records in world.values() for r in records}
    assert kept.json()["id"] in ids  # the next id names the record it was given, also after a restart
    memos = [r.get("memo") for r in world["transaction"]]
    assert "Deposit after the disk came back." in memos and not any(str(m).startswith("Full disk") for m in memos)


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pymockapi", "serve", "--port", str(free_port()), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_a_second_server_on_the_same_state_file_refuses_and_names_the_first(tmp_path: Path) -> None:
    stories, state = only(ORBIT, tmp_path), tmp_path / "state.sqlite3"
    first = ServerProcess("--state", str(state), "--stories", str(stories))
    try:
        second = _serve("--state", str(state), "--stories", str(stories))
        assert second.returncode == 2
        assert f"pid {first.proc.pid}" in second.stderr and "hint:" in second.stderr
        assert "Traceback" not in second.stderr
        assert first.call("GET", "/_api/health").status == 200
    finally:
        first.kill()
    again = ServerProcess("--state", str(state), "--stories", str(stories))  # a killed holder frees the file
    again.kill()


@pytest.mark.slow
def test_start_up_problems_are_error_and_hint_with_exit_2_and_foreign_files_stay_untouched(tmp_path: Path) -> None:
    stories = only(ORBIT, tmp_path)
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO customers (name) VALUES ('not ours')")
    db.close()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is a shopping list, not a database\n" * 40)
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    for path in (foreign, garbage, corrupt):
        before = path.read_bytes()
        run = _serve("--state", str(path), "--stories", str(stories))
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("error: ") and "\nhint: " in run.stderr and "Traceback" not in run.stderr
        assert path.read_bytes() == before
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    busy = ServerProcess("--memory", "--stories", str(stories))
    try:
        run = _serve("--memory", "--stories", str(stories), "--port", str(busy.port))
        assert run.returncode == 2 and "error: Cannot listen" in run.stderr and "Traceback" not in run.stderr
    finally:
        busy.kill()


def test_a_damaged_session_is_skipped_with_a_warning_and_the_others_are_served(
        live_server: ServerFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    stories = only(ORBIT, tmp_path)
    live = live_server(stories=stories)
    for name in ("good-1", "broken", "good-2", "bad-seed"):
        assert live.call("POST", "/_api/sessions", {"story": ORBIT, "id": name}).status == 201
    live.call("POST", "/_api/sessions/broken/recording/start")
    state = live.settings.state
    live.stop()
    with sqlite3.connect(state) as db:
        db.execute("UPDATE sessions SET timeline='{\"version\": 1, \"state\": \"recording\", \"mark' WHERE id='broken'")
        db.execute("UPDATE sessions SET seed='many' WHERE id='bad-seed'")
    db.close()
    again = live_server(stories=stories, state=state)
    listed = {s["id"] for s in again.call("GET", "/_api/sessions").json()["sessions"]}
    assert {"good-1", "good-2", ORBIT} <= listed and not {"broken", "bad-seed"} & listed
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "'broken'" in warned and "'bad-seed'" in warned


@pytest.mark.slow
def test_a_running_session_runs_on_after_a_crash_its_due_timer_fires_once_and_the_recording_shows_the_gap(
        tmp_path: Path) -> None:
    stories = only(ORBIT, tmp_path, replace=('after="30s"', 'after="2s"'))
    args = ("--state", str(tmp_path / "state.sqlite3"), "--stories", str(stories))
    first = ServerProcess(*args)
    try:
        first.call("POST", "/_api/sessions", {"story": ORBIT, "id": "run"})
        first.call("POST", "/_api/sessions", {"story": ORBIT, "id": "held"})
        first.call("POST", "/_api/sessions/held/pause")
        started = first.call("POST", "/_api/sessions/run/recording/start").json()
        assert started["recording"]["state"] == "recording"
        began = time.monotonic()
        time.sleep(0.8)  # a heartbeat or two: the server was seen alive until about now
    finally:
        first.kill()
    killed = time.monotonic()
    time.sleep(2.0)
    second = ServerProcess(*args)
    try:
        back = time.monotonic()
        run = second.call("GET", "/_api/sessions/run").json()
        assert run["paused"] is False and run["waypoint"] == "usage-peak"  # fell due while down: fired at start
        held = second.call("GET", "/_api/sessions/held").json()
        assert held["paused"] is True and held["waypoint"] == "trial" and held["next"]["due_in_ms"] > 1500
        timeline = second.call("GET", "/_api/sessions/run/annotations").json()
        assert timeline["recording"]["state"] == "recording"
        offset = timeline["recording"]["duration_ms"]
        assert (back - began) * 1000 - 600 <= offset <= (time.monotonic() - began) * 1000 + 600
        gaps = [m for m in timeline["markers"] if m["kind"] == "gap"]
        assert len(gaps) == 1
        down = (back - killed) * 1000
        assert down - 200 <= gaps[0]["duration_ms"] <= down + 1500  # heartbeats are 500 ms apart
        assert [m["waypoint"] for m in timeline["markers"] if m["kind"] == "chapter"] == ["trial", "usage-peak"]
        webvtt = second.call("GET", "/_api/sessions/run/markers?format=srt")
        assert webvtt.status == 200
    finally:
        second.kill()


def test_reset_keeps_paused_or_running_and_a_new_take_records_again(server: LiveServer) -> None:
    sid = "/_api/sessions/" + ORBIT
    server.call("POST", f"{sid}/advance")
    assert server.call("POST", f"{sid}/reset").json()["paused"] is False
    server.call("POST", f"{sid}/pause")
    reset = server.call("POST", f"{sid}/reset").json()
    assert reset["paused"] is True and reset["waypoint"] == "trial"
    server.call("POST", f"{sid}/recording/start")
    server.call("POST", f"{sid}/annotations", {"text": "first take"})
    server.elapse(1500)
    server.call("POST", f"{sid}/recording/stop")
    assert server.call("POST", f"{sid}/recording/start").status == 200
    server.call("POST", f"{sid}/annotations", {"text": "second take"})
    takes = server.call("GET", f"{sid}/takes").json()["takes"]
    assert [(t["take"], t["state"]) for t in takes] == [(1, "stopped"), (2, "recording")]
    assert takes[0]["duration_ms"] == 1500 and [m["text"] for m in takes[0]["markers"]][-1] == "first take"
    latest = server.call("GET", f"{sid}/annotations").json()
    assert latest["take"] == 2 and "first take" not in json.dumps(latest)
    first = server.call("GET", f"{sid}/markers?format=json&take=1").json()
    assert first["take"] == 1 and "first take" in json.dumps(first)
    assert server.call("GET", f"{sid}/markers?format=webvtt&take=1").status == 200
    assert server.call("GET", f"{sid}/markers?take=9").status == 404
    bad = server.call("GET", f"{sid}/annotations?take=first")
    assert bad.status == 400 and bad.json()["error"]["code"] == "invalid_take"
    gap = server.call("POST", f"{sid}/annotations", {"text": "fake", "kind": "gap"})
    assert gap.status == 422  # only the server marks where it was down


def test_a_store_refuses_other_files_untouched_and_reads_its_own_old_files(tmp_path: Path) -> None:
    from pymockapi.errors import UsageError
    from pymockapi.store.sqlite import APPLICATION_ID, SessionRow, StateStore

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as db:  # a state file written before files carried our application id
        db.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, story TEXT NOT NULL, seed INTEGER NOT NULL,"
                   " anchor_date TEXT NOT NULL, created_ms INTEGER NOT NULL, paused INTEGER NOT NULL DEFAULT 0,"
                   " remaining_ms REAL, deadline_wall_ms INTEGER, timeline TEXT)")
        db.execute("INSERT INTO sessions VALUES ('s', 'orbit-saas', 1, '2026-01-05', 1, 0, NULL, NULL, NULL)")
    db.close()
    store = StateStore(old)
    assert [r.id for r in store.load_all()] == ["s"]
    store.save_session(SessionRow("t", "orbit-saas", 2, "2026-01-05", 2))
    store.close()
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as db:
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute("PRAGMA user_version=99")
        db.execute("CREATE TABLE sessions (id TEXT)")
    db.close()
    with pytest.raises(UsageError, match="newer PyMockAPI"):
        StateStore(newer)
    other_app = tmp_path / "other-app.sqlite3"
    with sqlite3.connect(other_app) as db:
        db.execute("PRAGMA application_id=1234")
    db.close()
    with pytest.raises(UsageError, match="application id"):
        StateStore(other_app)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(UsageError, match="Cannot use the state file"):
        StateStore(blocked / "state.sqlite3")


def test_a_timed_move_the_store_refuses_is_retried_later_not_lost(live_server: ServerFactory) -> None:
    live = live_server()
    db = live.ctx.sessions.store._db
    ws = live.ws(ORBIT)
    ws.drain(0.1)
    db.execute("PRAGMA query_only=ON")
    live.elapse(30_000)  # the timer falls due: the move cannot be stored
    assert live.call("GET", f"/_api/sessions/{ORBIT}").json()["waypoint"] == "trial"
    told = ws.drain(0.2)
    assert any(e.get("event") == "error" and e.get("code") == "not_stored" for e in told)
    assert not any(e.get("event") == "waypoint" for e in told)
    db.execute("PRAGMA query_only=OFF")
    live.elapse(1_000)  # retried a second later, once there is room
    assert live.call("GET", f"/_api/sessions/{ORBIT}").json()["waypoint"] == "usage-peak"
    ws.close()
