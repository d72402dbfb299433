"""Recording through the server: timeline, webhook and OBS recorders, markers for video tools."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tornado.web

import obs_harness
from support import LiveServer, ServerFactory, free_port

ORBIT = "orbit-saas"


class Hook(tornado.web.RequestHandler):
    def initialize(self, events: list[dict[str, Any]]) -> None:
        self.events = events

    def post(self) -> None:
        self.events.append(json.loads(self.request.body))
        self.set_status(204)


class Collector:
    """A real webhook receiver on its own loop and port."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            app = tornado.web.Application([(r"/hook", Hook, {"events": self.events})])
            self.http = app.listen(self.port, "127.0.0.1")
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.events)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.http.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def hook() -> Iterator[Collector]:
    c = Collector()
    yield c
    c.stop()


def test_timeline_markers_and_webhook_events_in_order(
    hook: Collector, tmp_path: Path, live_server: ServerFactory
) -> None:
    live = live_server(
        state=tmp_path / "s.sqlite3", recorder=f"webhook+http://user:hunter2@127.0.0.1:{hook.port}/hook?token=abc"
    )
    try:
        assert live.call("POST", f"/_api/sessions/{ORBIT}/recording/start").json()["recording"]["state"] == "recording"
        live.elapse(1_000)
        live.call("POST", f"/_api/sessions/{ORBIT}/advance")
        live.elapse(500)
        note = live.call(
            "POST",
            f"/_api/sessions/{ORBIT}/annotations",
            {"text": "Point at the usage chart", "kind": "callout", "duration_ms": 3000},
        )
        assert note.status == 201 and note.json()["offset_ms"] == 1500 and note.json()["source"] == "api"
        live.call("POST", f"/_api/sessions/{ORBIT}/recording/pause")
        live.elapse(10_000)  # paused time is not recorded
        live.call("POST", f"/_api/sessions/{ORBIT}/recording/resume")
        live.elapse(250)
        session = live.call("POST", f"/_api/sessions/{ORBIT}/recording/stop").json()
        assert session["recording"]["state"] == "stopped" and session["recording"]["offset_ms"] == 1750
        events = hook.wait_for(7)
        assert [e["event"] for e in events] == ["start", "marker", "marker", "annotation", "pause", "resume", "stop"]
        assert all(e["session"] == ORBIT for e in events)
        assert [e["offset_ms"] for e in events] == [0, 0, 1000, 1500, 1500, 1500, 1750]
        assert events[3]["text"] == "Point at the usage chart" and events[3]["kind"] == "callout"
        timeline = live.call("GET", f"/_api/sessions/{ORBIT}/annotations").json()
        assert timeline["recording"]["duration_ms"] == 1750
        kinds = [(m["kind"], m["source"], m["offset_ms"]) for m in timeline["markers"]]
        assert kinds == [("chapter", "waypoint", 0), ("chapter", "waypoint", 1000), ("callout", "api", 1500)]
        everything = json.dumps([live.call("GET", "/_api/sessions").json(), timeline])
        assert "hunter2" not in everything and "abc" not in everything
        vtt = live.call("GET", f"/_api/sessions/{ORBIT}/markers?format=webvtt")
        assert vtt.status == 200 and vtt.body.startswith(b"WEBVTT")
        assert live.call("POST", f"/_api/sessions/{ORBIT}/annotations", {"text": "late"}).status == 409
    finally:
        live.stop()


@pytest.mark.slow
def test_recorder_down_never_breaks_the_demo(tmp_path: Path, live_server: ServerFactory) -> None:
    live = live_server(state=tmp_path / "s.sqlite3", recorder=f"webhook+http://127.0.0.1:{free_port()}/hook")
    ws = live.ws(ORBIT)
    try:
        ws.recv()
        assert live.call("POST", f"/_api/sessions/{ORBIT}/recording/start").status == 200
        recorder = ws.recv_until("recorder", limit=100)
        assert recorder["status"] in ("disconnected", "error") and recorder["detail"]
        assert live.call("POST", f"/_api/sessions/{ORBIT}/advance").status == 200
        assert live.call("POST", f"/_api/sessions/{ORBIT}/annotations", {"text": "still fine"}).status == 201
        assert live.call("POST", f"/_api/sessions/{ORBIT}/recording/stop").status == 200
        session = live.call("GET", f"/_api/sessions/{ORBIT}").json()
        assert session["recording"]["recorder"]["status"] in ("disconnected", "error")
        markers = live.call("GET", f"/_api/sessions/{ORBIT}/annotations").json()["markers"]
        assert [m["kind"] for m in markers] == ["chapter", "chapter", "note"]
    finally:
        ws.close()
        live.stop()


def test_websocket_and_story_annotations(server: LiveServer) -> None:
    client = server.ws(ORBIT)
    try:
        client.recv()
        client.send({"op": "recording", "action": "start"})
        client.send({"op": "annotate", "text": "Live from the presenter", "kind": "highlight"})
        note = client.recv_until("annotation")
        assert note["text"] == "Live from the presenter" and note["source"] == "ws"
    finally:
        client.close()
    markers = server.call("GET", f"/_api/sessions/{ORBIT}/annotations").json()["markers"]
    assert ("highlight", "ws") in [(m["kind"], m["source"]) for m in markers]
    server.call("POST", "/_api/sessions/riverside-clinic/recording/start")
    server.elapse(20_000)  # triage: the story annotates on entry
    story_marks = server.call("GET", "/_api/sessions/riverside-clinic/annotations").json()["markers"]
    assert [m["source"] for m in story_marks] == ["waypoint", "waypoint", "story"]


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[obs_harness.ObsInstance]:
    obs_harness.Tools.require()
    instance = obs_harness.start(tmp_path_factory.mktemp("obs-int"))
    yield instance
    instance.stop()


@pytest.mark.slow
def test_obs_recording_follows_the_session_timeline(
    obs: obs_harness.ObsInstance, tmp_path: Path, live_server: ServerFactory
) -> None:
    live = live_server(state=tmp_path / "s.sqlite3", recorder=obs.url, manual_clock=False)
    try:
        assert live.call("POST", f"/_api/sessions/{ORBIT}/recording/start").status == 200
        assert wait_until(
            lambda: live.call("GET", f"/_api/sessions/{ORBIT}").json()["recording"]["recorder"]["status"] == "ok"
        )
        time.sleep(1.0)
        assert (
            live.call("POST", f"/_api/sessions/{ORBIT}/annotations", {"text": "Trial ends", "duration_ms": 300}).status
            == 201
        )
        time.sleep(0.1)  # a newer note replaces it before it is cleared: the old clear must not erase it
        assert (
            live.call(
                "POST", f"/_api/sessions/{ORBIT}/annotations", {"text": "Enterprise plan", "duration_ms": 800}
            ).status
            == 201
        )
        time.sleep(1.4)
        stopped = live.call("POST", f"/_api/sessions/{ORBIT}/recording/stop").json()
        timeline_s = stopped["recording"]["offset_ms"] / 1000
        recorder = live.on_loop(lambda: live.ctx.sessions.get(ORBIT).recorder_link)
        assert wait_until(lambda: recorder.pending == 0)
        assert recorder.status == "ok"
        assert wait_until(lambda: any(obs.recordings.glob("*.mkv")), 15)
        path = max(obs.recordings.glob("*.mkv"), key=lambda p: p.stat().st_mtime)
        assert wait_until(lambda: _duration(path) is not None, 15)
        assert abs((_duration(path) or 0) - timeline_s) <= 0.5
        assert "password" not in json.dumps(live.call("GET", "/_api/sessions").json())
        # a later session's recorder finds the on-screen overlay already in place and reuses it
        assert live.call("POST", "/_api/sessions/harbor-bank/recording/start").status == 200
        assert wait_until(
            lambda: live.call("GET", "/_api/sessions/harbor-bank").json()["recording"]["recorder"]["status"] == "ok"
        )
        assert (
            live.call(
                "POST",
                "/_api/sessions/harbor-bank/annotations",
                {"text": "Still on screen at shutdown", "duration_ms": 60_000},
            ).status
            == 201
        )
        assert live.call("POST", "/_api/sessions/harbor-bank/recording/stop").status == 200
    finally:
        live.stop()


def _duration(path: Path) -> float | None:
    try:
        return obs_harness.media_duration_s(path)
    except Exception:
        return None


def test_a_session_can_bring_its_own_recorder(hook: Collector, tmp_path: Path, live_server: ServerFactory) -> None:
    state = tmp_path / "s.sqlite3"
    url = f"webhook+http://demo:s3cr3t@127.0.0.1:{hook.port}/hook"
    live = live_server(state=state)
    try:
        bad = live.call("POST", "/_api/sessions", {"story": ORBIT, "id": "bad-rec", "recorder": "ftp://x"})
        assert bad.status == 400 and "obs://" in bad.json()["error"]["hint"]
        assert live.call("GET", "/_api/sessions/bad-rec").status == 404  # nothing was created
        created = live.call("POST", "/_api/sessions", {"story": ORBIT, "id": "own-rec", "recorder": url})
        assert created.status == 201 and "s3cr3t" not in created.body.decode()
        assert created.json()["recording"]["recorder"]["name"] != "none"
        live.call("POST", "/_api/sessions/own-rec/recording/start")
        assert [e["session"] for e in hook.wait_for(2)] == ["own-rec", "own-rec"]
        assert live.call("GET", f"/_api/sessions/{ORBIT}").json()["recording"]["recorder"]["name"] == "none"
    finally:
        live.stop()
    again = live_server(state=state)  # the session keeps its recorder (and its running recording) after a restart
    try:
        again.call("POST", "/_api/sessions/own-rec/recording/pause")
        events = hook.wait_for(3)
        assert events[-1]["event"] == "pause" and events[-1]["session"] == "own-rec"
        assert again.call("DELETE", "/_api/sessions/own-rec").status == 204
    finally:
        again.stop()
