"""What every recorder is, and the link that keeps recorders off the demo's path.

A session must never wait for, or fail because of, the recording tool: a
presenter clicking "advance" cannot be held up by OBS being slow or a webhook
being down.  So a session talks to a :class:`RecorderLink`, whose
:meth:`RecorderLink.submit` only queues the event; one background task per
recorder delivers events in order, turns every failure into a status
(``ok``/``error``/``disconnected``) and tells the session through a callback.
"""

from __future__ import annotations

import abc
import asyncio
import collections
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, ClassVar

log = logging.getLogger(__name__)

StatusCallback = Callable[[str, str], None]
"""Called as ``on_status(status, detail)`` whenever a recorder's status or detail changes."""

RecorderEvent = Mapping[str, Any]
"""SPEC's webhook shape: ``{"event", "session", "offset_ms", "text"?, "kind"?, "duration_ms"?}``."""


class RecorderStatus(StrEnum):
    """SPEC's closed set of recorder states, as shown in the session object."""

    OK = "ok"
    ERROR = "error"
    DISCONNECTED = "disconnected"
    NONE = "none"


class RecorderEventKind(StrEnum):
    """The timeline events a recorder is told about (SPEC's ``event`` field)."""

    START = "start"
    MARKER = "marker"
    ANNOTATION = "annotation"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


class RecorderFailure(Exception):
    """A delivery that did not work, with the status to show and a detail safe to show.

    Recorders raise it from their event methods; :meth:`Recorder.deliver`
    turns it into a status report instead of letting it reach the session.
    """

    def __init__(self, status: RecorderStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class Recorder(abc.ABC):
    """A recording tool driven by the timeline (OBS, a webhook, nothing).

    Subclasses implement one coroutine per event kind and raise
    :class:`RecorderFailure` (or any exception) when the tool cannot follow;
    :meth:`deliver` dispatches, catches and reports.  ``secrets`` are the
    strings (passwords, tokens) that must never appear in a detail, a log
    line or a repr: every report is scrubbed of them.
    """

    name: ClassVar[str] = "recorder"
    budget_s: float = 10.0
    """The longest one delivery may take before the link gives up on it."""

    _METHODS: ClassVar[Mapping[RecorderEventKind, str]] = {kind: kind.value for kind in RecorderEventKind}

    def __init__(self, *, display_url: str = "", secrets: Iterable[str] = ()) -> None:
        self.url = display_url
        self.status: str = RecorderStatus.OK.value
        self.detail = ""
        self.healthy_detail = ""
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self._listener: StatusCallback | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url or self.name!s} status={self.status}>"

    def bind(self, listener: StatusCallback | None) -> None:
        """Route status changes to ``listener`` (the link installs itself here)."""
        self._listener = listener

    def scrub(self, text: str) -> str:
        """``text`` with every secret of this recorder replaced by ``***``."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def report(self, status: RecorderStatus | str, detail: str = "") -> None:
        """Record a status and tell the listener when status or detail changed."""
        status = RecorderStatus(status).value
        detail = self.scrub(detail)
        if (status, detail) == (self.status, self.detail):
            return
        self.status, self.detail = status, detail
        if status == RecorderStatus.OK.value:
            log.info("recorder %s: %s %s", self.url or self.name, status, detail)
        else:
            log.warning("recorder %s: %s %s", self.url or self.name, status, detail)
        if self._listener is not None:
            self._listener(status, detail)

    async def open(self) -> None:
        """Reach the tool ahead of the first event (connect, probe); failures are reported."""
        return None  # a recorder with nothing to reach

    async def deliver(self, event: RecorderEvent) -> None:
        """Run the method for ``event["event"]`` and report how it went; never raises."""
        raw_kind = str(event.get("event", ""))
        try:
            kind = RecorderEventKind(raw_kind)
        except ValueError:
            known = ", ".join(k.value for k in RecorderEventKind)
            self.report(RecorderStatus.ERROR, f"ignored unknown event {raw_kind!r}; known: {known}")
            return
        method: Callable[[RecorderEvent], Awaitable[None]] = getattr(self, self._METHODS[kind])
        try:
            await method(event)
        except RecorderFailure as failure:
            self.report(failure.status, failure.detail)
        except Exception as exc:  # a recorder bug must not reach the demo either
            log.debug("recorder %s failed on %s", self.url or self.name, kind.value, exc_info=True)
            self.report(RecorderStatus.ERROR, f"{kind.value} failed: {type(exc).__name__}: {exc}")
        else:
            self.report(RecorderStatus.OK, self.healthy_detail)

    async def timecode_ms(self) -> int | None:
        """The tool's own recording clock, when it has one (to align the timeline with the video)."""
        return None

    @abc.abstractmethod
    async def start(self, event: RecorderEvent) -> None:
        """The timeline started: start recording."""

    @abc.abstractmethod
    async def stop(self, event: RecorderEvent) -> None:
        """The timeline stopped: stop recording."""

    @abc.abstractmethod
    async def pause(self, event: RecorderEvent) -> None:
        """The timeline paused: pause recording."""

    @abc.abstractmethod
    async def resume(self, event: RecorderEvent) -> None:
        """The timeline resumed: resume recording."""

    @abc.abstractmethod
    async def marker(self, event: RecorderEvent) -> None:
        """A chapter marker (a waypoint change) at ``event["offset_ms"]``."""

    @abc.abstractmethod
    async def annotation(self, event: RecorderEvent) -> None:
        """A note, callout or highlight with ``event["text"]``."""

    async def close(self) -> None:
        """Release connections and timers; the recorder is not used afterwards."""
        return None  # a recorder that holds nothing


class NullRecorder(Recorder):
    """The recorder of a session that has none: accepts everything, reports ``none``."""

    name = "none"

    def __init__(self) -> None:
        super().__init__(display_url="")
        self.status = RecorderStatus.NONE.value

    async def deliver(self, event: RecorderEvent) -> None:
        """Nothing to drive, so nothing to report: the status stays ``none``."""

    async def start(self, event: RecorderEvent) -> None:
        """Nothing records."""

    async def stop(self, event: RecorderEvent) -> None:
        """Nothing records."""

    async def pause(self, event: RecorderEvent) -> None:
        """Nothing records."""

    async def resume(self, event: RecorderEvent) -> None:
        """Nothing records."""

    async def marker(self, event: RecorderEvent) -> None:
        """Markers live only in the timeline."""

    async def annotation(self, event: RecorderEvent) -> None:
        """Annotations live only in the timeline."""


class LatencyStats:
    """Submit-to-delivered times of recent events, for the benchmark's ``recording`` block."""

    PERCENTILES: ClassVar[tuple[tuple[str, float], ...]] = (("p50", 50.0), ("p90", 90.0), ("p99", 99.0))

    def __init__(self, keep: int = 4096) -> None:
        self._samples: collections.deque[float] = collections.deque(maxlen=keep)
        self.last_ms: float | None = None
        self.count = 0

    def add(self, ms: float) -> None:
        self._samples.append(ms)
        self.last_ms = ms
        self.count += 1

    @property
    def samples(self) -> list[float]:
        return list(self._samples)

    def summary(self) -> dict[str, float]:
        """``{"count", "p50", "p90", "p99", "max"}`` in milliseconds (nearest rank; zeros when empty)."""
        ordered = sorted(self._samples)
        out: dict[str, float] = {"count": float(self.count)}
        for label, pct in self.PERCENTILES:
            out[label] = _nearest_rank(ordered, pct)
        out["max"] = ordered[-1] if ordered else 0.0
        return out


def _nearest_rank(ordered: list[float], pct: float) -> float:
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


class RecorderLink:
    """The session's handle on a recorder: queue now, deliver in order later.

    :meth:`submit` is synchronous and never raises; a single background task
    (started on the running loop at the first submit or :meth:`connect`)
    delivers events one by one, each bounded by the recorder's ``budget_s``.
    ``on_status(status, detail)`` hears every status change.  Latency from
    submit to delivered is kept in :attr:`latency` for the benchmark.
    """

    def __init__(self, recorder: Recorder, on_status: StatusCallback | None = None, *,
                 max_backlog: int = 10_000) -> None:
        self.recorder = recorder
        self._on_status = on_status
        self._pending: collections.deque[tuple[dict[str, Any], float]] = collections.deque()
        self._max_backlog = max_backlog
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._opened = False
        self._closing = False
        self.dropped = 0
        self.latency = LatencyStats()
        recorder.bind(self._status_changed)

    def __repr__(self) -> str:
        return f"<RecorderLink {self.recorder!r} pending={len(self._pending)}>"

    @property
    def name(self) -> str:
        return self.recorder.name

    @property
    def status(self) -> str:
        return self.recorder.status

    @property
    def detail(self) -> str:
        return self.recorder.detail

    @property
    def url(self) -> str:
        """The recorder URL with every secret removed (safe to show)."""
        return self.recorder.url

    @property
    def last_latency_ms(self) -> float | None:
        return self.latency.last_ms

    @property
    def pending(self) -> int:
        return len(self._pending)

    def describe(self) -> dict[str, str]:
        """The session object's ``recording.recorder`` block."""
        return {"name": self.name, "status": self.status, "detail": self.detail}

    def connect(self) -> None:
        """Start the delivery task now so the recorder connects before the first event."""
        self._ensure_worker()

    def submit(self, event: RecorderEvent) -> None:
        """Queue ``event`` for delivery and return at once; never raises."""
        if self._closing:
            log.debug("recorder %s closed: event %s not sent", self.url or self.name, event.get("event"))
            return
        if len(self._pending) >= self._max_backlog:
            self.dropped += 1
            self.recorder.report(RecorderStatus.ERROR,
                                 f"recorder is {len(self._pending)} events behind; {self.dropped} dropped")
            return
        self._pending.append((dict(event), time.perf_counter()))
        self._idle.clear()
        self._ensure_worker()

    async def timecode_ms(self) -> int | None:
        """The recording tool's clock in ms, or None when it has none or cannot say."""
        try:
            return await asyncio.wait_for(self.recorder.timecode_ms(), self.recorder.budget_s)
        except Exception:  # alignment is best effort; the timeline clock stays authoritative
            log.debug("timecode from %s unavailable", self.url or self.name, exc_info=True)
            return None

    async def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was delivered; False when ``timeout`` passed first."""
        self._ensure_worker()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def aclose(self, timeout: float = 5.0) -> None:
        """Deliver what is queued (for at most ``timeout`` s), then close the recorder."""
        self._closing = True
        if self._pending:
            self._ensure_worker()
            if not await self.flush(timeout):
                log.warning("recorder %s: %d events not delivered at close", self.url or self.name,
                            len(self._pending))
                self._pending.clear()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await asyncio.wait_for(self.recorder.close(), timeout)
        except Exception:  # closing must finish even when the tool misbehaves
            log.debug("closing %s failed", self.url or self.name, exc_info=True)

    def _ensure_worker(self) -> None:
        if self._task is None or self._task.done():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop yet: the next submit on the loop starts delivery
                return
            self._task = loop.create_task(self._run(), name=f"recorder-{self.name}")
            if not self._opened:
                self._idle.clear()  # flush() also waits for the recorder to connect
        self._wakeup.set()

    async def _run(self) -> None:
        if not self._opened:
            self._opened = True
            await self._bounded(self.recorder.open(), "connect")
        while True:
            while self._pending:
                event, submitted = self._pending[0]
                await self._bounded(self.recorder.deliver(event), str(event.get("event")))
                self._pending.popleft()
                self.latency.add((time.perf_counter() - submitted) * 1000.0)
            self._idle.set()
            self._wakeup.clear()
            await self._wakeup.wait()

    async def _bounded(self, step: Awaitable[None], what: str) -> None:
        try:
            await asyncio.wait_for(step, self.recorder.budget_s)
        except TimeoutError:
            self.recorder.report(RecorderStatus.ERROR,
                                 f"{what} took longer than {self.recorder.budget_s:g} s; skipped")
        except Exception as exc:  # deliver() already catches; this guards a broken recorder
            self.recorder.report(RecorderStatus.ERROR, f"{what} failed: {type(exc).__name__}")

    def _status_changed(self, status: str, detail: str) -> None:
        if self._on_status is None:
            return
        try:
            self._on_status(status, detail)
        except Exception:  # the session's listener must not stop deliveries
            log.exception("recorder status listener failed")
