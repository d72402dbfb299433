"""The OBS recorder against a real, headless OBS Studio (see tests/obs_harness.py)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application
from tornado.websocket import WebSocketHandler

from pymockapi.recording.recorders import ObsRecorder, RecorderLink, build_recorder, recorder_from_url
from pymockapi.recording.recorders.obsws import (
    ObsClosed,
    ObsConnection,
    ObsError,
    ObsRequestError,
    RequestCode,
    auth_string,
)

import obs_harness

STARTED, STOPPED = "OBS_WEBSOCKET_OUTPUT_STARTED", "OBS_WEBSOCKET_OUTPUT_STOPPED"
PAUSED, RESUMED = "OBS_WEBSOCKET_OUTPUT_PAUSED", "OBS_WEBSOCKET_OUTPUT_RESUMED"
OVERLAY = ObsRecorder.OVERLAY_INPUT


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[obs_harness.ObsInstance]:
    obs_harness.Tools.require()
    instance = obs_harness.start(tmp_path_factory.mktemp("obs"))
    try:
        yield instance
    finally:
        instance.stop()


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


class Listener:
    """Collects ``on_status`` calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, status: str, detail: str) -> None:
        self.calls.append((status, detail))

    @property
    def statuses(self) -> list[str]:
        return [s for s, _ in self.calls]


def obs_link(url: str, listener: Listener) -> tuple[RecorderLink, ObsRecorder]:
    link = recorder_from_url(url, listener)
    assert isinstance(link.recorder, ObsRecorder)
    return link, link.recorder


def event(name: str, **extra: Any) -> dict[str, Any]:
    return {"event": name, "session": "riverside-clinic", "offset_ms": 0, **extra}


async def overlay_text(instance: obs_harness.ObsInstance) -> str:
    [settings] = await raw(instance, ("GetInputSettings", {"inputName": OVERLAY}))
    return str(settings["inputSettings"].get("text", ""))


def test_auth_string_matches_the_protocol_formula() -> None:
    for password, salt, challenge in (("pw", "c2FsdA==", "Y2hhbA=="), ("ünïcode", "s", "c"), ("", "a", "b")):
        secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest())
        expected = base64.b64encode(hashlib.sha256(secret + challenge.encode()).digest()).decode()
        assert auth_string(password, salt, challenge) == expected


async def raw(instance: obs_harness.ObsInstance, *requests: tuple[str, dict[str, Any] | None]) -> list[Any]:
    """Send ``requests`` on a separate connection (the test's own view of OBS); failures returned, not raised."""
    conn = await ObsConnection.open(f"ws://127.0.0.1:{instance.port}", instance.password)
    answers: list[Any] = []
    try:
        for request_type, data in requests:
            try:
                answers.append(await conn.request(request_type, data))
            except ObsRequestError as exc:
                answers.append(exc)
    finally:
        await conn.close()
    return answers


@pytest.mark.slow
def test_recording_follows_the_timeline_and_the_file_matches(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        try:
            await recording_scenario(obs)
        finally:
            await raw(obs, ("StopRecord", None))

    run(scenario)


async def recording_scenario(obs: obs_harness.ObsInstance) -> None:
    listener = Listener()
    link, recorder = obs_link(obs.url, listener)
    link.connect()
    assert await link.flush(15)
    assert link.status == "ok" and listener.statuses == ["ok"]
    assert obs.password not in link.detail and obs.password not in repr(link)
    assert await link.timecode_ms() is None
    link.submit(event("start"))
    assert await link.flush(10)
    assert await recorder.wait_output_state(STARTED, 10)
    await asyncio.sleep(1.2)
    timecode = await link.timecode_ms()
    assert timecode is not None and timecode > 0, timecode
    link.submit(event("pause"))
    assert await link.flush(10) and await recorder.wait_output_state(PAUSED, 5)
    await asyncio.sleep(0.6)
    link.submit(event("resume"))
    assert await link.flush(10) and await recorder.wait_output_state(RESUMED, 5)
    await asyncio.sleep(1.2)
    link.submit(event("stop"))
    assert await link.flush(10)
    assert await recorder.wait_output_state(STOPPED, 10)
    times = recorder.state_times
    elapsed = (times["OBS_WEBSOCKET_OUTPUT_STOPPING"] - times[STARTED]) - (times[RESUMED] - times[PAUSED])
    path = Path(recorder.last_output_path or "")
    assert path.parent == obs.recordings and path.suffix == ".mkv" and path.stat().st_size > 0
    duration = obs_harness.media_duration_s(path)
    assert abs(duration - elapsed) <= 0.5, (duration, elapsed)
    link.submit(event("stop"))  # already stopped: OBS says so, the recorder stays ok
    assert await link.flush(10)
    assert link.status == "ok"
    await link.aclose()
    assert set(listener.statuses) == {"ok"}, listener.calls


@pytest.mark.slow
def test_annotations_show_on_screen_and_clear(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        link, recorder = obs_link(obs.url, Listener())
        texts = ["Maria Alvarez checks in", "Troponin 0.04 ng/mL — normal", "Résumé: «follow-up» booked 🩺"]
        for text in texts:
            link.submit(event("annotation", text=text, kind="callout", duration_ms=5000))
            assert await link.flush(10)
            assert await overlay_text(obs) == text
        link.submit(event("annotation", text="short note", duration_ms=150))
        assert await link.flush(10)
        assert await overlay_text(obs) == "short note"
        await asyncio.sleep(0.5)
        assert await overlay_text(obs) == ""
        assert recorder.overlay_ready and link.status == "ok"
        await link.aclose()

    run(scenario)


@pytest.mark.slow
def test_chapter_request_is_detected_and_markers_fall_back_to_the_screen(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        link, recorder = obs_link(obs.url, Listener())
        link.connect()
        assert await link.flush(10)
        available = recorder.version["availableRequests"]
        assert recorder.chapters_supported == ("CreateRecordChapter" in available)
        if int(str(recorder.version["obsVersion"]).split(".")[0]) < 30:
            assert recorder.chapters_supported is False
            assert "chapters shown on screen" in link.detail
        link.submit(event("marker", text="Labs back"))
        assert await link.flush(10)
        if not recorder.chapters_supported:
            assert await overlay_text(obs) == "Labs back"
        assert link.status == "ok"
        await link.aclose()

    run(scenario)


@pytest.mark.slow
def test_unknown_and_tolerated_request_codes(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        conn = await ObsConnection.open(f"ws://127.0.0.1:{obs.port}", obs.password)
        try:
            with pytest.raises(ObsRequestError, match="StopRecord failed") as info:
                await conn.request("StopRecord")
            assert info.value.code == RequestCode.OUTPUT_NOT_RUNNING
            with pytest.raises(ObsRequestError, match="NoSuchRequest") as info:
                await conn.request("NoSuchRequest")
            assert info.value.code == RequestCode.UNKNOWN_REQUEST_TYPE
        finally:
            await conn.close()
        assert conn.closed
        with pytest.raises(ObsClosed, match="close code 1000"):
            await conn.request("GetVersion")

    run(scenario)


@pytest.mark.slow
def test_wrong_or_missing_password_is_reported_never_raised(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        for url, words in ((f"obs://127.0.0.1:{obs.port}?password=not-the-password", "wrong password"),
                           (f"obs://127.0.0.1:{obs.port}", "requires a password")):
            listener = Listener()
            link, _ = obs_link(url, listener)
            for kind in ("start", "annotation", "stop"):
                link.submit(event(kind, text="x"))
            assert await link.flush(15)
            assert listener.statuses and listener.statuses[0] == "error"
            assert link.status == "error" and words in listener.calls[0][1]
            assert all(status == "error" for status in listener.statuses)
            assert all("not-the-password" not in d for _, d in listener.calls)
            await link.aclose()

    run(scenario)


def test_obs_down_is_disconnected_with_bounded_retries() -> None:
    async def scenario() -> None:
        listener = Listener()
        port = obs_harness.free_port()
        link, _recorder = obs_link(f"obs://127.0.0.1:{port}?password=pw-not-shown", listener)
        started = time.perf_counter()
        for kind in ("start", "marker", "annotation", "pause", "resume", "stop"):
            link.submit(event(kind, text="chapter"))
        assert time.perf_counter() - started < 0.05
        assert await link.flush(10)
        assert time.perf_counter() - started < 2.0  # later events wait for the backoff, not the network
        assert listener.statuses[0] == "disconnected" and link.status == "disconnected"
        assert f"127.0.0.1:{port}" in link.detail and "next attempt in" in link.detail
        assert all("pw-not-shown" not in d for _, d in listener.calls)
        assert await link.timecode_ms() is None
        await link.aclose()

    run(scenario)


@pytest.mark.slow
def test_reconnects_after_obs_restarts(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        listener = Listener()
        link, recorder = obs_link(obs.url, listener)
        link.connect()
        assert await link.flush(10) and link.status == "ok"
        obs.stop_obs()
        for _ in range(50):
            if link.status == "disconnected":
                break
            await asyncio.sleep(0.05)
        assert link.status == "disconnected" and "closed the connection" in link.detail
        obs.start_obs()
        link.submit(event("annotation", text="back on air"))
        assert await link.flush(15)
        assert link.status == "ok" and recorder.overlay_ready
        assert await overlay_text(obs) == "back on air"
        assert listener.statuses == ["ok", "disconnected", "ok"]
        await link.aclose()

    run(scenario)


def test_build_recorder_keeps_password_out_of_sight() -> None:
    recorder = build_recorder("obs://:hunter2@127.0.0.1:4999")
    assert isinstance(recorder, ObsRecorder)
    assert recorder.ws_url == "ws://127.0.0.1:4999" and "hunter2" not in repr(recorder)
    assert ObsRecorder("::1", 4455).ws_url == "ws://[::1]:4455"


@pytest.mark.slow
def test_a_pause_obs_cannot_honour_is_an_error(obs: obs_harness.ObsInstance) -> None:
    quality = {"parameterCategory": "SimpleOutput", "parameterName": "RecQuality"}

    async def scenario() -> None:
        listener = Listener()
        link, recorder = obs_link(obs.url, listener)
        await raw(obs, ("SetProfileParameter", {**quality, "parameterValue": "Stream"}))
        try:
            link.submit(event("start"))
            link.submit(event("pause"))
            assert await link.flush(15)
            assert link.status == "error" and "cannot pause" in link.detail
            link.submit(event("stop"))
            assert await link.flush(15) and await recorder.wait_output_state(STOPPED, 10)
            assert link.status == "ok"
        finally:
            await raw(obs, ("SetProfileParameter", {**quality, "parameterValue": "Small"}), ("StopRecord", None))
            await link.aclose()

    run(scenario)


@pytest.mark.slow
def test_overlay_follows_the_program_scene(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
        [current] = await raw(obs, ("GetCurrentProgramScene", None))
        home = current["currentProgramSceneName"]
        await raw(obs, ("CreateScene", {"sceneName": "Second act"}),
                  ("SetCurrentProgramScene", {"sceneName": "Second act"}))
        try:
            link, recorder = obs_link(obs.url, Listener())
            link.submit(event("annotation", text="second act"))
            assert await link.flush(10) and link.status == "ok" and recorder.overlay_ready
            [item] = await raw(obs, ("GetSceneItemId", {"sceneName": "Second act", "sourceName": OVERLAY}))
            assert item["sceneItemId"] > 0
            assert await overlay_text(obs) == "second act"
            await link.aclose()
        finally:
            await raw(obs, ("SetCurrentProgramScene", {"sceneName": home}),
                      ("RemoveScene", {"sceneName": "Second act"}))

    run(scenario)


def test_missing_tools_fail_in_ci_and_skip_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    absent = ("pymockapi-no-such-tool",)
    assert obs_harness.Tools.missing((*absent, "sh")) == list(absent)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing pymockapi-no-such-tool"):
        obs_harness.Tools.require(absent)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match=r"install-system-packages\.sh"):
        obs_harness.Tools.require(absent)
    obs_harness.Tools.require(("sh",))


class ScriptedObs(WebSocketHandler):
    """A tiny obs-websocket peer for protocol edge cases real OBS will not produce on demand."""

    def initialize(self, greeting_op: int) -> None:
        self.greeting_op = greeting_op

    def open(self, *args: str, **kwargs: str) -> None:
        self.write_message(json.dumps({"op": self.greeting_op, "d": {"rpcVersion": 1}}))

    def on_message(self, message: str | bytes) -> None:
        body = json.loads(message)
        if body["op"] == 1:
            self.write_message(json.dumps({"op": 2, "d": {"negotiatedRpcVersion": 1}}))
            return
        request = body["d"]
        if request["requestType"] == "Silent":
            return
        self.write_message("this is not json")
        self.write_message(json.dumps({"op": 5, "d": {"eventType": "CurrentProgramSceneChanged"}}))
        self.write_message(json.dumps({"op": 7, "d": {
            "requestType": request["requestType"], "requestId": request["requestId"],
            "requestStatus": {"result": True, "code": 100}, "responseData": {"echo": request["requestType"]}}}))


def test_protocol_edge_cases_against_a_scripted_peer() -> None:
    async def scenario() -> None:
        sockets = bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = HTTPServer(Application([
            (r"/hello", ScriptedObs, {"greeting_op": 0}), (r"/rude", ScriptedObs, {"greeting_op": 2})]))
        server.add_sockets(sockets)
        events: list[str] = []
        try:
            conn = await ObsConnection.open(f"ws://127.0.0.1:{port}/hello", None,
                                            on_event=lambda kind, data: events.append(kind))
            assert await conn.request("GetVersion") == {"echo": "GetVersion"}
            assert events == ["CurrentProgramSceneChanged"]
            with pytest.raises(ObsError, match=r"no answer from OBS within 0\.2 s"):
                await conn.request("Silent", timeout=0.2)
            await conn.close()
            with pytest.raises(ObsError, match="expected obs-websocket op 0, got 2"):
                await ObsConnection.open(f"ws://127.0.0.1:{port}/rude", None)
        finally:
            server.stop()
            await server.close_all_connections()

    run(scenario)


class NewerObs(ScriptedObs):
    """A scripted OBS 30.2-style peer: it offers record chapters and fails what the test asks it to."""

    def initialize(self, failing: dict[str, int], calls: list[str]) -> None:  # type: ignore[override]
        super().initialize(greeting_op=0)
        self.failing = failing
        self.calls = calls

    def on_message(self, message: str | bytes) -> None:
        body = json.loads(message)
        if body["op"] == 1:
            super().on_message(message)
            return
        request = body["d"]
        kind = request["requestType"]
        self.calls.append(kind)
        data = {"GetVersion": {"obsVersion": "30.2.0", "obsWebSocketVersion": "5.5.0",
                               "availableRequests": ["CreateRecordChapter", "StartRecord"]},
                "GetCurrentProgramScene": {"currentProgramSceneName": "Scene"},
                "GetRecordStatus": {"outputActive": False}}.get(kind, {})
        code = self.failing.pop(kind, 100)
        self.write_message(json.dumps({"op": 7, "d": {
            "requestType": kind, "requestId": request["requestId"],
            "requestStatus": {"result": code == 100, "code": code, "comment": f"scripted {code}"},
            "responseData": data}}))


def test_newer_obs_chapters_fallbacks_and_failures_against_a_scripted_peer() -> None:
    from pymockapi.recording.recorders.base import RecorderFailure

    async def scenario() -> None:
        sockets = bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        calls: list[str] = []
        failing = {"CreateInput": 702}  # this OBS refuses the overlay source: no on-screen notes
        server = HTTPServer(Application([(r"/", NewerObs, {"failing": failing, "calls": calls})]))
        server.add_sockets(sockets)
        recorder = ObsRecorder("127.0.0.1", port)
        try:
            await recorder.marker({"event": "marker", "session": "s", "offset_ms": 0, "text": "Opening"})
            assert recorder.chapters_supported is True and recorder.overlay_ready is False
            assert "CreateRecordChapter" in calls
            failing["CreateRecordChapter"] = 702  # a chapter OBS cannot write falls back to the screen
            await recorder.marker({"event": "marker", "session": "s", "offset_ms": 5, "text": "Labs"})
            await recorder.annotation({"event": "annotation", "session": "s", "offset_ms": 6, "text": "hidden"})
            assert "SetInputSettings" not in calls  # no overlay to write to
            failing["StartRecord"] = 702
            with pytest.raises(RecorderFailure, match="scripted 702"):
                await recorder.start({"event": "start", "session": "s", "offset_ms": 0})
        finally:
            await recorder.close()
            server.stop()
            await server.close_all_connections()

    run(scenario)
