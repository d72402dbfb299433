"""A recorder that drives OBS Studio through obs-websocket v5.

Start/stop/pause/resume map to OBS's record requests.  Annotations appear on
screen through a text source the recorder adds to the program scene, so
they are burnt into the video.  Chapter markers use ``CreateRecordChapter``
when OBS has it (30.2+, hybrid MP4) and otherwise show the chapter title on
screen; the exported timeline carries the exact chapters either way.

OBS being closed, restarting or refusing the password never stops the demo:
the recorder reports ``disconnected``/``error`` and tries to reconnect on a
later event, waiting longer after each failed attempt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Recorder, RecorderEvent, RecorderEventKind, RecorderFailure, RecorderStatus
from .obsws import ObsAuthRequired, ObsClosed, ObsConnection, ObsError, ObsRequestError, RequestCode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordAction:
    """How one timeline event drives OBS's recording output.

    ``already`` are the failure codes that mean "it is already so" (fine for
    an idempotent demo).  ``paused`` is what ``GetRecordStatus.outputPaused``
    must say afterwards: OBS acknowledges ``PauseRecord`` yet does not pause
    when the recording shares the stream encoder, and the video would then
    disagree with the timeline.
    """

    request: str
    state: str
    already: frozenset[int]
    paused: bool | None = None


class ObsRecorder(Recorder):
    """Drive one OBS instance at ``host:port``."""

    name = "obs"
    OVERLAY_INPUT: ClassVar[str] = "pymockapi-annotation"
    OVERLAY_KIND: ClassVar[str] = "text_ft2_source_v2"
    OVERLAY_SETTINGS: ClassVar[dict[str, Any]] = {
        "text": "",
        "font": {"face": "DejaVu Sans", "size": 48, "style": "Regular", "flags": 0},
        "outline": True,
        "drop_shadow": True,
    }
    ANNOTATION_MS: ClassVar[int] = 4000
    CHAPTER_OVERLAY_MS: ClassVar[int] = 3000
    CHAPTER_REQUEST: ClassVar[str] = "CreateRecordChapter"
    RECORD_ACTIONS: ClassVar[dict[RecorderEventKind, RecordAction]] = {
        RecorderEventKind.START: RecordAction("StartRecord", "OBS_WEBSOCKET_OUTPUT_STARTED",
                                              frozenset({RequestCode.OUTPUT_RUNNING})),
        RecorderEventKind.STOP: RecordAction("StopRecord", "OBS_WEBSOCKET_OUTPUT_STOPPED",
                                             frozenset({RequestCode.OUTPUT_NOT_RUNNING})),
        RecorderEventKind.PAUSE: RecordAction("PauseRecord", "OBS_WEBSOCKET_OUTPUT_PAUSED",
                                              frozenset({RequestCode.OUTPUT_PAUSED}), paused=True),
        RecorderEventKind.RESUME: RecordAction("ResumeRecord", "OBS_WEBSOCKET_OUTPUT_RESUMED",
                                               frozenset({RequestCode.OUTPUT_NOT_PAUSED}), paused=False),
    }
    PAUSE_UNSUPPORTED: ClassVar[str] = (
        "OBS accepted {request} but the recording did not follow: a recording that shares the "
        "stream encoder cannot pause; choose another Recording Quality in Settings > Output")
    PAUSE_CONFIRM_S: ClassVar[float] = 2.0
    RECONNECT_BACKOFF_S: ClassVar[tuple[float, ...]] = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0)

    def __init__(self, host: str, port: int, password: str | None = None, *, display_url: str = "",
                 secrets: tuple[str, ...] = (), connect_timeout_s: float = 3.0,
                 request_timeout_s: float = 5.0) -> None:
        super().__init__(display_url=display_url or f"obs://{host}:{port}",
                         secrets=secrets + ((password,) if password else ()))
        self.host = host
        self.port = port
        self._password = password
        self.connect_timeout_s = connect_timeout_s
        self.request_timeout_s = request_timeout_s
        self.budget_s = connect_timeout_s + 5 * request_timeout_s
        self.status = RecorderStatus.DISCONNECTED.value
        self.detail = "not connected yet"
        self.chapters_supported: bool | None = None
        self.overlay_ready = False
        self.version: dict[str, Any] = {}
        self.record_state: str | None = None
        self.last_output_path: str | None = None
        self.state_times: dict[str, float] = {}
        self._reached: dict[str, asyncio.Event] = {action.state: asyncio.Event()
                                                    for action in self.RECORD_ACTIONS.values()}
        self._conn: ObsConnection | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._last_failure = ""
        self._last_failure_status = RecorderStatus.DISCONNECTED
        self._overlay_generation = 0
        self._clear_handle: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Task[None]] = set()

    @property
    def ws_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}"

    # connection

    async def open(self) -> None:
        try:
            await self._connection()
        except RecorderFailure as failure:
            self.report(failure.status, failure.detail)
        else:
            self.report(RecorderStatus.OK, self.healthy_detail)

    async def _connection(self) -> ObsConnection:
        """The live connection, connecting (at most once per backoff step) when there is none."""
        if self._conn is not None and not self._conn.closed:
            return self._conn
        loop = asyncio.get_running_loop()
        if loop.time() < self._retry_at:
            wait = self._retry_at - loop.time()
            raise RecorderFailure(self._last_failure_status, f"{self._last_failure}; next attempt in {wait:.1f} s")
        try:
            conn = await ObsConnection.open(self.ws_url, self._password, timeout=self.connect_timeout_s,
                                            on_event=self._on_event, on_close=self._on_close)
        except (ObsAuthRequired, ObsClosed) as exc:
            auth = isinstance(exc, ObsAuthRequired) or exc.auth_failed
            raise self._connect_failed(RecorderStatus.ERROR if auth else RecorderStatus.DISCONNECTED,
                                       f"OBS at {self.host}:{self.port}: {exc}") from None
        except (OSError, TimeoutError, ObsError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise self._connect_failed(RecorderStatus.DISCONNECTED,
                                       f"cannot reach OBS at {self.host}:{self.port} ({reason})") from None
        self._conn = conn
        self._failures = 0
        self._retry_at = 0.0
        try:
            await self._prepare(conn)
        except ObsError as exc:
            raise RecorderFailure(RecorderStatus.ERROR, f"OBS connected but not usable: {exc}") from None
        return conn

    def _connect_failed(self, status: RecorderStatus, detail: str) -> RecorderFailure:
        step = self.RECONNECT_BACKOFF_S[min(self._failures + 1, len(self.RECONNECT_BACKOFF_S) - 1)]
        self._failures += 1
        self._retry_at = asyncio.get_running_loop().time() + step
        self._last_failure = detail
        self._last_failure_status = status
        return RecorderFailure(status, detail)

    async def _prepare(self, conn: ObsConnection) -> None:
        """Learn what this OBS can do and put the annotation text source on the program scene."""
        self.version = await conn.request("GetVersion", timeout=self.request_timeout_s)
        self.chapters_supported = self.CHAPTER_REQUEST in self.version.get("availableRequests", ())
        try:
            await self._ensure_overlay(conn)
            self.overlay_ready = True
            overlay = "annotations on screen"
        except ObsError as exc:
            self.overlay_ready = False
            overlay = f"no on-screen annotations ({exc})"
        chapters = "native chapters" if self.chapters_supported else "chapters shown on screen"
        self.healthy_detail = (f"OBS {self.version.get('obsVersion', '?')} "
                               f"(obs-websocket {self.version.get('obsWebSocketVersion', '?')}); "
                               f"{chapters}; {overlay}")
        status = await conn.request("GetRecordStatus", timeout=self.request_timeout_s)
        self.record_state = ("OBS_WEBSOCKET_OUTPUT_STARTED" if status.get("outputActive")
                             else "OBS_WEBSOCKET_OUTPUT_STOPPED")

    async def _ensure_overlay(self, conn: ObsConnection) -> None:
        scene_info = await conn.request("GetCurrentProgramScene", timeout=self.request_timeout_s)
        scene = scene_info.get("currentProgramSceneName") or scene_info.get("sceneName")
        try:
            await conn.request("CreateInput", {
                "sceneName": scene, "inputName": self.OVERLAY_INPUT, "inputKind": self.OVERLAY_KIND,
                "inputSettings": self.OVERLAY_SETTINGS, "sceneItemEnabled": True,
            }, timeout=self.request_timeout_s)
            return
        except ObsRequestError as exc:
            if exc.code != RequestCode.RESOURCE_ALREADY_EXISTS:
                raise
        try:
            await conn.request("GetSceneItemId", {"sceneName": scene, "sourceName": self.OVERLAY_INPUT},
                               timeout=self.request_timeout_s)
        except ObsRequestError as exc:
            if exc.code != RequestCode.RESOURCE_NOT_FOUND:
                raise
            await conn.request("CreateSceneItem", {"sceneName": scene, "sourceName": self.OVERLAY_INPUT,
                                                   "sceneItemEnabled": True}, timeout=self.request_timeout_s)

    def _on_event(self, event_type: str, data: Mapping[str, Any]) -> None:
        if event_type != "RecordStateChanged":
            return
        state = str(data.get("outputState"))
        self.record_state = state
        self.state_times[state] = asyncio.get_running_loop().time()
        if data.get("outputPath"):
            self.last_output_path = str(data["outputPath"])
        if state in self._reached:
            self._reached[state].set()

    def _on_close(self, code: int | None, reason: str) -> None:
        self._conn = None
        self.report(RecorderStatus.DISCONNECTED, f"OBS at {self.host}:{self.port} closed the connection: "
                                                 f"{ObsClosed(code, reason)}")

    async def _request(self, request_type: str, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One request on a (re)connected OBS, failures turned into statuses."""
        conn = await self._connection()
        try:
            return await conn.request(request_type, data, timeout=self.request_timeout_s)
        except ObsClosed as exc:
            raise RecorderFailure(RecorderStatus.DISCONNECTED,
                                  f"OBS at {self.host}:{self.port} went away during {request_type}: {exc}") from None

    # recording

    async def _record(self, kind: RecorderEventKind) -> None:
        action = self.RECORD_ACTIONS[kind]
        self._reached[action.state].clear()
        try:
            await self._request(action.request)
        except ObsRequestError as exc:
            if exc.code not in action.already:
                raise RecorderFailure(RecorderStatus.ERROR, str(exc)) from None
            self._reached[action.state].set()
            return
        if action.paused is not None and not await self.wait_output_state(action.state, self.PAUSE_CONFIRM_S):
            # OBS applies pause on its UI thread after answering, so only a missing event is telling
            status = await self._request("GetRecordStatus")
            if status.get("outputActive") and bool(status.get("outputPaused")) != action.paused:
                raise RecorderFailure(RecorderStatus.ERROR, self.PAUSE_UNSUPPORTED.format(request=action.request))

    async def start(self, event: RecorderEvent) -> None:
        await self._record(RecorderEventKind.START)

    async def stop(self, event: RecorderEvent) -> None:
        await self._record(RecorderEventKind.STOP)

    async def pause(self, event: RecorderEvent) -> None:
        await self._record(RecorderEventKind.PAUSE)

    async def resume(self, event: RecorderEvent) -> None:
        await self._record(RecorderEventKind.RESUME)

    async def wait_output_state(self, state: str, timeout: float) -> bool:
        """Wait until OBS reports ``state`` (e.g. ``OBS_WEBSOCKET_OUTPUT_STOPPED``: the file is complete)."""
        try:
            await asyncio.wait_for(self._reached[state].wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def timecode_ms(self) -> int | None:
        """OBS's recording clock (``GetRecordStatus.outputDuration``), None when not recording."""
        if self._conn is None or self._conn.closed:
            return None
        status = await self._conn.request("GetRecordStatus", timeout=self.request_timeout_s)
        if not status.get("outputActive"):
            return None
        return int(status.get("outputDuration", 0))

    # markers and annotations

    async def marker(self, event: RecorderEvent) -> None:
        title = str(event.get("text") or "")
        if self.chapters_supported is None:
            await self._connection()
        if self.chapters_supported:
            try:
                await self._request(self.CHAPTER_REQUEST, {"chapterName": title})
                return
            except ObsRequestError as exc:  # e.g. the output is not hybrid MP4: fall back to the screen
                log.info("OBS chapter not created (%s); showing it on screen", exc.comment or exc.code)
        await self._show(title, self.CHAPTER_OVERLAY_MS)

    async def annotation(self, event: RecorderEvent) -> None:
        duration = event.get("duration_ms")
        await self._show(str(event.get("text") or ""), int(duration) if duration else self.ANNOTATION_MS)

    async def _show(self, text: str, duration_ms: int) -> None:
        """Put ``text`` on screen and clear it after ``duration_ms`` unless newer text replaced it."""
        await self._connection()
        if not self.overlay_ready:
            return
        self._overlay_generation += 1
        await self._set_overlay(text)
        if self._clear_handle is not None:
            self._clear_handle.cancel()
        generation = self._overlay_generation
        self._clear_handle = asyncio.get_running_loop().call_later(
            max(duration_ms, 0) / 1000.0, self._spawn_clear, generation)

    async def _set_overlay(self, text: str) -> None:
        try:
            await self._request("SetInputSettings", {"inputName": self.OVERLAY_INPUT,
                                                     "inputSettings": {"text": text}, "overlay": True})
        except ObsRequestError as exc:
            raise RecorderFailure(RecorderStatus.ERROR, f"annotation not shown: {exc}") from None

    def _spawn_clear(self, generation: int) -> None:
        task = asyncio.get_running_loop().create_task(self._clear(generation))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _clear(self, generation: int) -> None:
        if generation != self._overlay_generation or self._conn is None or self._conn.closed:
            return
        try:
            await self._conn.request("SetInputSettings", {"inputName": self.OVERLAY_INPUT,
                                                          "inputSettings": {"text": ""}, "overlay": True},
                                     timeout=self.request_timeout_s)
        except ObsError as exc:  # the next annotation overwrites the text anyway
            log.debug("clearing the OBS overlay failed: %s", exc)

    async def close(self) -> None:
        if self._clear_handle is not None:
            self._clear_handle.cancel()
            self._clear_handle = None
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()
