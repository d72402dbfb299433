"""The OBS recorder against a real, headless OBS Studio (see tests/obs_harness.py)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

import pytest

import obs_harness
from pymockapi.recording.recorders import ObsRecorder, RecorderLink, build_recorder, recorder_from_url
from pymockapi.recording.recorders.obsws import ObsClosed, ObsConnection, ObsRequestError, RequestCode, auth_string

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


def run(scenario: Callable[[], Awaitable[None]]) -> None:
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
    conn = await ObsConnection.open(f"ws://127.0.0.1:{instance.port}", instance.password)
    try:
        settings = await conn.request("GetInputSettings", {"inputName": OVERLAY})
        return str(settings["inputSettings"].get("text", ""))
    finally:
        await conn.close()


def test_auth_string_matches_the_protocol_formula() -> None:
    for password, salt, challenge in (("pw", "c2FsdA==", "Y2hhbA=="), ("ünïcode", "s", "c"), ("", "a", "b")):
        secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest())
        expected = base64.b64encode(hashlib.sha256(secret + challenge.encode()).digest()).decode()
        assert auth_string(password, salt, challenge) == expected


def test_recording_follows_the_timeline_and_the_file_matches(obs: obs_harness.ObsInstance) -> None:
    async def scenario() -> None:
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
        assert (await link.timecode_ms() or 0) > 500
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
        assert set(listener.statuses) == {"ok"}

    run(scenario)


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
            assert link.status in ("error", "disconnected") and words in listener.calls[0][1]
            assert all("not-the-password" not in d for _, d in listener.calls)
            await link.aclose()

    run(scenario)


def test_obs_down_is_disconnected_with_bounded_retries() -> None:
    async def scenario() -> None:
        listener = Listener()
        port = obs_harness.free_port()
        link, recorder = obs_link(f"obs://127.0.0.1:{port}?password=pw-not-shown", listener)
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
