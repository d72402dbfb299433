"""Webhook recorder, the recorder link and recorder URLs, against a real Tornado server."""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from pymockapi.errors import BadRequest
from pymockapi.recording.recorders import (
    LatencyStats,
    NullRecorder,
    RecorderEventKind,
    RecorderLink,
    RecorderStatus,
    WebhookRecorder,
    build_recorder,
    recorder_from_url,
    redact,
    secrets_of,
)

REQUIRED = {"event": str, "session": str, "offset_ms": int}
OPTIONAL = {"text": str, "kind": str}


@dataclass
class Sink:
    """What the test server received, and the status codes it answers with (200 when the script is empty)."""

    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    script: collections.deque[int] = field(default_factory=collections.deque)
    delay_s: float = 0.0


class Collector(RequestHandler):
    def initialize(self, sink: Sink) -> None:
        self.sink = sink

    async def post(self, _path: str) -> None:
        if self.sink.delay_s:
            await asyncio.sleep(self.sink.delay_s)
        self.sink.received.append(json.loads(self.request.body))
        self.sink.headers.append(dict(self.request.headers))
        self.sink.queries.append(self.request.query)
        self.set_status(self.sink.script.popleft() if self.sink.script else 200)
        self.finish({"ok": True})


@asynccontextmanager
async def serving(sink: Sink, sockets: list[socket.socket] | None = None) -> AsyncIterator[int]:
    sockets = sockets or bind_sockets(0, "127.0.0.1")
    server = HTTPServer(Application([(r"/(.*)", Collector, {"sink": sink})]))
    server.add_sockets(sockets)
    try:
        yield sockets[0].getsockname()[1]
    finally:
        server.stop()
        await server.close_all_connections()


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def story_events(session: str, count: int) -> list[dict[str, Any]]:
    """A timeline's worth of events: start, markers and annotations of every kind, pause/resume, stop."""
    kinds = ("note", "callout", "highlight")
    events: list[dict[str, Any]] = [{"event": "start", "session": session, "offset_ms": 0}]
    for i in range(count):
        offset = 1000 * (i + 1)
        if i % 3 == 0:
            events.append({"event": "marker", "session": session, "offset_ms": offset, "text": f"Waypoint {i}"})
        else:
            events.append(
                {
                    "event": "annotation",
                    "session": session,
                    "offset_ms": offset,
                    "text": f"Résumé point {i} — “quoted”",
                    "kind": kinds[i % 3],
                    "duration_ms": 1500,
                }
            )
        if i == count // 2:
            events.append({"event": "pause", "session": session, "offset_ms": offset})
            events.append({"event": "resume", "session": session, "offset_ms": offset})
    events.append({"event": "stop", "session": session, "offset_ms": 1000 * (count + 1)})
    return events


def assert_spec_shape(body: dict[str, Any]) -> None:
    for key, kind in REQUIRED.items():
        assert isinstance(body[key], kind), key
    for key, kind in OPTIONAL.items():
        if key in body:
            assert isinstance(body[key], kind), key
    assert set(body) <= set(REQUIRED) | set(OPTIONAL)
    assert body["event"] in {k.value for k in RecorderEventKind}


def fast_link(url: str, statuses: list[tuple[str, str]], budget_s: float = 0.3) -> RecorderLink:
    recorder = build_recorder(url)
    assert isinstance(recorder, WebhookRecorder)
    recorder.retry_budget_s = budget_s
    return RecorderLink(recorder, lambda s, d: statuses.append((s, d)))


def test_every_event_arrives_in_order_with_spec_shape() -> None:
    async def scenario() -> None:
        sink = Sink()
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = recorder_from_url(
                f"webhook+http://127.0.0.1:{port}/hooks/demo", lambda s, d: statuses.append((s, d))
            )
            events = story_events("riverside-clinic", 30)
            for event in events:
                link.submit(event)
            assert await link.flush(10)
            await link.aclose()
        assert len(sink.received) == len(events)
        for sent, body in zip(events, sink.received, strict=False):
            assert_spec_shape(body)
            assert body == {k: v for k, v in sent.items() if k in WebhookRecorder.FIELDS}
        assert all(h["Content-Type"] == "application/json" for h in sink.headers)
        assert link.status == "ok" and statuses[-1][0] == "ok"
        assert link.describe() == {"name": "webhook", "status": "ok", "detail": link.detail}
        summary = link.latency.summary()
        assert summary["count"] == len(events)
        assert 0 < summary["p50"] <= summary["p90"] <= summary["p99"] <= summary["max"]
        assert link.last_latency_ms is not None and link.last_latency_ms > 0
        assert len(link.latency.samples) == len(events)

    run(scenario)


def test_server_error_then_success_is_retried() -> None:
    async def scenario() -> None:
        sink = Sink(script=collections.deque([500, 503, 200, 500, 200]))
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = fast_link(f"webhook+http://127.0.0.1:{port}/", statuses, budget_s=5.0)
            link.submit({"event": "start", "session": "s1", "offset_ms": 0})
            link.submit({"event": "stop", "session": "s1", "offset_ms": 900})
            assert await link.flush(10)
            await link.aclose()
        assert [b["event"] for b in sink.received] == ["start"] * 3 + ["stop"] * 2
        assert link.status == "ok"
        assert all(s == "ok" for s, _ in statuses)

    run(scenario)


def test_failing_endpoint_reports_error_keeps_order_and_recovers() -> None:
    async def scenario() -> None:
        sink = Sink(script=collections.deque([503] * 40))
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = fast_link(f"webhook+http://127.0.0.1:{port}/", statuses, budget_s=0.35)
            texts = [f"note {i}" for i in range(5)]
            for text in texts:
                link.submit({"event": "annotation", "session": "s", "offset_ms": 1, "text": text})
            assert await link.flush(10)
            assert link.status == "error" and "not delivered" in link.detail and "HTTP 503" in link.detail
            tried_once = len(sink.received)
            sink.script.clear()
            link.submit({"event": "annotation", "session": "s", "offset_ms": 2, "text": "back"})
            assert await link.flush(10)
            await link.aclose()
        seen = [b["text"] for b in sink.received]
        assert [t for i, t in enumerate(seen) if i == 0 or seen[i - 1] != t] == [*texts, "back"]
        assert tried_once <= 4 + len(texts)  # first event retried, the rest tried once each
        assert [s for i, (s, _) in enumerate(statuses) if i == 0 or statuses[i - 1][0] != s] == ["error", "ok"]
        assert len(statuses) == len(set(statuses))  # told only about changes

    run(scenario)


def test_client_errors_are_not_retried() -> None:
    async def scenario() -> None:
        sink = Sink(script=collections.deque([404, 422]))
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = fast_link(f"webhook+http://127.0.0.1:{port}/", statuses, budget_s=5.0)
            link.submit({"event": "start", "session": "s", "offset_ms": 0})
            assert await link.flush(5)
            assert len(sink.received) == 1
            assert link.status == "error" and "HTTP 404" in link.detail and "1 attempt:" in link.detail
            await link.aclose()

    run(scenario)


def test_dead_port_reports_status_and_submit_never_raises() -> None:
    async def scenario() -> None:
        statuses: list[tuple[str, str]] = []
        port = dead_port()
        link = fast_link(f"webhook+http://hook:s3cr3t-pass@127.0.0.1:{port}/x?token=tok-98765", statuses)
        started = time.perf_counter()
        for event in story_events("s", 10):
            link.submit(event)
        assert time.perf_counter() - started < 0.05
        assert await link.flush(10)
        await link.aclose()
        assert statuses and statuses[0][0] == "disconnected"
        assert link.status == "disconnected" and "cannot reach the webhook" in link.detail
        for text in [d for _, d in statuses] + [link.detail, repr(link), repr(link.recorder), link.url]:
            assert "s3cr3t-pass" not in text and "tok-98765" not in text

    run(scenario)


def test_burst_of_200_events_keeps_order() -> None:
    async def scenario() -> None:
        sink = Sink()
        async with serving(sink) as port:
            link = recorder_from_url(f"webhook+http://127.0.0.1:{port}/burst")
            for i in range(200):
                link.submit(
                    {"event": "annotation", "session": "burst", "offset_ms": i, "text": f"#{i}", "kind": "note"}
                )
            assert link.pending == 200
            assert await link.flush(30)
            await link.aclose()
        assert [b["offset_ms"] for b in sink.received] == list(range(200))
        assert [b["text"] for b in sink.received] == [f"#{i}" for i in range(200)]
        assert link.latency.summary()["count"] == 200

    run(scenario)


def test_userinfo_becomes_basic_auth_and_query_reaches_the_hook() -> None:
    async def scenario() -> None:
        sink = Sink()
        async with serving(sink) as port:
            link = recorder_from_url(f"webhook+http://demo:p%40ss@127.0.0.1:{port}/in?token=abc123&team=se")
            link.submit({"event": "start", "session": "s", "offset_ms": 0})
            await link.flush(5)
            await link.aclose()
        expected = "Basic " + base64.b64encode(b"demo:p@ss").decode()
        assert sink.headers[0]["Authorization"] == expected
        assert sink.queries == ["token=abc123&team=se"]
        assert link.url == f"webhook+http://127.0.0.1:{port}/in?team=se"

    run(scenario)


SECRET_URLS = [
    ("obs://127.0.0.1:4455?password=x", "obs://127.0.0.1:4455", ("x",)),
    ("obs://:hunter2@10.0.0.5:4460", "obs://10.0.0.5:4460", ("hunter2",)),
    (
        "webhook+https://u:pw-777@hooks.example.com/a?token=zz-123&x=1",
        "webhook+https://hooks.example.com/a?x=1",
        ("pw-777", "zz-123"),
    ),
    (
        "webhook+https://hooks.example.com/services/T00/B00/Xk9aZ3pQ7rT2mN8vB4cD?sig=abcd&code=Q1",
        "webhook+https://hooks.example.com/services/T00/B00/***",
        ("Xk9aZ3pQ7rT2mN8vB4cD", "abcd", "Q1"),
    ),
    (
        "webhook+http://127.0.0.1:9000/events?api_key=K-1&Password=P-2&session=demo",
        "webhook+http://127.0.0.1:9000/events?session=demo",
        ("K-1", "P-2"),
    ),
    (
        "webhook+http://h/e?access_token=eyJhbGciOiJIUzI1NiJ9abc123",
        "webhook+http://h/e",
        ("eyJhbGciOiJIUzI1NiJ9abc123",),
    ),
]


@pytest.mark.parametrize(("url", "shown", "hidden"), SECRET_URLS)
def test_redaction_removes_every_secret(url: str, shown: str, hidden: tuple[str, ...]) -> None:
    assert redact(url) == shown
    for secret in hidden:
        assert secret not in redact(url)
        assert secret in secrets_of(url)
    recorder = build_recorder(url)
    scrubbed = recorder.scrub(f"failed talking to {url}")
    assert all(secret not in scrubbed for secret in hidden)
    assert all(secret not in repr(recorder) for secret in hidden)
    assert recorder.url == shown


def test_unknown_scheme_is_a_bad_request_listing_schemes() -> None:
    for url in ("ftp://host/x", "http://127.0.0.1:9000/events", "obsx://h?password=topsecret", "localhost:4455"):
        with pytest.raises(BadRequest, match="Unknown recorder scheme") as info:
            recorder_from_url(url)
        assert "obs://" in info.value.hint and "webhook+http://" in info.value.hint
        assert "webhook+https://" in info.value.hint
        assert info.value.code == "bad_recorder_url"
        assert "topsecret" not in str(info.value) and "topsecret" not in repr(info.value.as_dict())


def test_malformed_urls_are_bad_requests() -> None:
    with pytest.raises(BadRequest, match="invalid port"):
        recorder_from_url("obs://127.0.0.1:notaport?password=pw")
    with pytest.raises(BadRequest, match="names no host"):
        recorder_from_url("webhook+http:///events")
    with pytest.raises(BadRequest, match="invalid port"):
        recorder_from_url("webhook+http://h:99999999/events")


def test_obs_url_defaults() -> None:
    recorder = build_recorder("obs://")
    assert (recorder.host, recorder.port) == ("127.0.0.1", 4455)  # type: ignore[attr-defined]
    assert recorder.status == "disconnected"


def test_null_recorder_accepts_everything_and_reports_none() -> None:
    async def scenario() -> None:
        statuses: list[tuple[str, str]] = []
        for url in (None, "", "none", " off "):
            link = recorder_from_url(url, lambda s, d: statuses.append((s, d)))
            assert isinstance(link.recorder, NullRecorder)
            for event in story_events("s", 5):
                link.submit(event)
            assert await link.flush(1)
            assert link.describe() == {"name": "none", "status": "none", "detail": ""}
            assert await link.timecode_ms() is None
            for kind in RecorderEventKind:
                await getattr(link.recorder, kind.value)({"event": kind.value})
            await link.aclose()
            link.submit({"event": "start"})  # after close: dropped quietly
        assert statuses == []

    run(scenario)


def test_unknown_event_and_unserialisable_text_become_statuses() -> None:
    async def scenario() -> None:
        sink = Sink()
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = fast_link(f"webhook+http://127.0.0.1:{port}/", statuses)
            link.submit({"event": "rewind", "session": "s", "offset_ms": 0})
            await link.flush(5)
            assert link.status == "error" and "unknown event 'rewind'" in link.detail
            link.submit({"event": "annotation", "session": "s", "offset_ms": 0, "text": {1, 2}})
            await link.flush(5)
            assert link.status == "error" and "TypeError" in link.detail
            link.submit({"event": "start", "session": "s", "offset_ms": 0})
            await link.flush(5)
            await link.aclose()
        assert [b["event"] for b in sink.received] == ["start"]
        assert [s for s, _ in statuses] == ["error", "error", "ok"]

    run(scenario)


def test_slow_delivery_is_cut_at_the_budget_and_close_is_bounded() -> None:
    async def scenario() -> None:
        sink = Sink(delay_s=1.0)
        statuses: list[tuple[str, str]] = []
        async with serving(sink) as port:
            link = fast_link(f"webhook+http://127.0.0.1:{port}/", statuses)
            link.recorder.budget_s = 0.2
            link.submit({"event": "start", "session": "s", "offset_ms": 0})
            await link.flush(5)
            assert link.status == "error" and "longer than 0.2 s" in link.detail
            for i in range(5):
                link.submit({"event": "marker", "session": "s", "offset_ms": i, "text": "t"})
            started = time.perf_counter()
            await link.aclose(timeout=0.3)
            assert time.perf_counter() - started < 1.0
            link.submit({"event": "stop", "session": "s", "offset_ms": 9})
            assert link.pending == 0
            await asyncio.sleep(1.1)  # let the server finish the abandoned requests

    run(scenario)


def test_backlog_is_bounded_and_a_failing_listener_is_contained() -> None:
    async def scenario() -> None:
        sink = Sink()
        calls: list[str] = []

        def listener(status: str, detail: str) -> None:
            calls.append(status)
            raise RuntimeError("listener bug")

        async with serving(sink) as port:
            link = RecorderLink(build_recorder(f"webhook+http://127.0.0.1:{port}/"), listener, max_backlog=3)
            for i in range(10):
                link.submit({"event": "marker", "session": "s", "offset_ms": i, "text": "t"})
            assert link.dropped == 7 and link.status == "error" and "7 dropped" in link.detail
            assert await link.flush(5)
            await link.aclose()
        assert [b["offset_ms"] for b in sink.received] == [0, 1, 2]
        assert calls[-1] == "ok" and link.status == "ok"

    run(scenario)


def test_submit_before_the_loop_runs_is_delivered_later() -> None:
    sink = Sink()
    sockets = bind_sockets(0, "127.0.0.1")
    link = recorder_from_url(f"webhook+http://127.0.0.1:{sockets[0].getsockname()[1]}/")
    link.submit({"event": "start", "session": "s", "offset_ms": 0})
    assert link.pending == 1

    async def scenario() -> None:
        async with serving(sink, sockets):
            link.submit({"event": "stop", "session": "s", "offset_ms": 5})
            assert await link.flush(5)
            await link.aclose()

    run(scenario)
    assert [b["event"] for b in sink.received] == ["start", "stop"]


def test_latency_stats_percentiles() -> None:
    stats = LatencyStats(keep=100)
    assert stats.summary() == {"count": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    for value in range(1, 201):
        stats.add(float(value))
    summary = stats.summary()
    assert summary["count"] == 200 and len(stats.samples) == 100
    assert summary["max"] == 200.0 and summary["p50"] == 150.0 and summary["p99"] == 199.0
    assert stats.last_ms == 200.0


def test_status_values_are_specs() -> None:
    assert {s.value for s in RecorderStatus} == {"ok", "error", "disconnected", "none"}
    assert {k.value for k in RecorderEventKind} == {"start", "marker", "annotation", "pause", "resume", "stop"}
