"""The benchmark's phases, in order, and the report they add up to.

1. servers: PyMockAPI (unless ``--url``) and the bare-Tornado baseline,
   each in its own process on a free loopback port; the client pool;
2. sessions: N sessions over the stories, round-robin, fixed seeds and
   anchor date; resident memory before and after (idle sessions);
3. discovery of every GET endpoint with concrete ids, per session;
4. first-time: the persona pages of fresh sessions, one at a time on one
   connection (``first_time_persona_ms``: what an uncached page costs);
   then every URL of every session once with ``--connections`` in flight
   (``first_time_persona_loaded_ms``: the same pages queued behind other
   cold lists); memory again (materialised sessions);
5. main load: N x M cached GETs at ``--connections``;
6. the same load (capped) at 50 connections;
7. the baseline with the same client and connections;
7b. with ``--openapi``: the API description's GETs, first uncached then
   cached (:mod:`pymockapi.bench.apiphase`); its ``load_ms`` is measured
   before step 1, while the machine is idle (:mod:`pymockapi.bench.startup`);
8. transitions over WebSockets;
9. recording on every session with annotations POSTed during a load.

With ``--openapi`` the server is started with ``--openapi FILE --industry
NAME``; the described story is left out of steps 2-9 (they measure the
shipped stories, as without the flag) and measured in 7b only.

Loop lag is reset before and read after each measured phase through
``/_api/metrics``.  Every phase is bounded in count and by the global
deadline; the children are stopped by PID whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pymockapi.bench.api import Api
from pymockapi.bench.apidiscover import learned_plan
from pymockapi.bench.apiphase import DescribedPhase, described_story_id
from pymockapi.bench.apiplan import persona_ids
from pymockapi.bench.client import Headers, LoadPool, LoadResult, split_url
from pymockapi.bench.discover import Plan, discover
from pymockapi.bench.procs import LOOPBACK, Child
from pymockapi.bench.report import check_targets, load_average, machine_info, now_iso
from pymockapi.bench.startup import description_load, serve_args
from pymockapi.bench.transitions import measure_transitions
from pymockapi.percentiles import summarize
from pymockapi.probes import rss_bytes

#: Fixed so two runs (and two sessions with the same seed) serve the same bytes.
ANCHOR_DATE = "2025-06-02"
SEED_BASE = 1000
SESSION_PREFIX = "bench"
WS_PREFIX = "bench-ws"
COLD_PREFIX = "bench-cold"
#: Discoveries running at once (each on its own connection).
DISCOVERY_LANES = 4
#: What a presenter might type while the demo runs (cycled; kinds cycle too).
ANNOTATIONS: tuple[str, ...] = (
    "The balance updates the moment the payment posts.",
    "Vitals reach the chart within seconds of triage.",
    "Stock levels refresh while the shopper browses.",
    "The invoice reflects the new seat count.",
    "Every screen shows the same customer record.",
)
ANNOTATION_KINDS: tuple[str, ...] = ("note", "callout", "highlight")


@dataclass
class Options:
    sessions: int = 12
    requests: int = 1000
    url: str | None = None
    connections: int = 10
    wide_connections: int = 50
    processes: int = 2
    rounds: int = 20
    ws_sessions: int = 10
    ws_clients: int = 10
    phase_cap: int = 30_000
    annotations_per_s: float = 20.0
    timeout_s: float = 600.0
    openapi: Path | None = None  # with ``industry``: the API description the server also serves
    industry: str | None = None
    openapi_records: int = 10  # URLs per GET operation and session in the --openapi phase
    startup_samples: int = 3  # starts with and without --openapi behind ``load_ms``

    @property
    def openapi_args(self) -> tuple[str, ...]:
        """``--openapi FILE --industry NAME`` for ``serve`` (the file made absolute: the server runs elsewhere)."""
        if self.openapi is None:
            return ()
        return ("--openapi", str(self.openapi.resolve()), "--industry", self.industry or "")


class Deadline:
    """The global time budget; every phase gets what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def left(self) -> float:
        left = self.until - time.monotonic()
        if left <= 0:
            raise TimeoutError("the benchmark ran out of time")
        return left


def interleave(groups: Sequence[Sequence[str]]) -> list[str]:
    """One from each group in turn, so every session is busy at once."""
    return [u for row in itertools.zip_longest(*groups) for u in row if u is not None]


def load_order(plans: Sequence[Plan], per_session: int) -> list[str]:
    """``per_session`` requests for each session, cycling over its URLs, sessions interleaved."""
    return [plan.urls[i % len(plan.urls)] for i in range(per_session) for plan in plans if plan.urls]


class Bench:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.deadline = Deadline(options.timeout_s)
        self.server: Child | None = None
        self.baseline: Child | None = None
        self.pool: LoadPool | None = None
        self.api: Api | None = None
        self.has_metrics = False
        self.host = LOOPBACK
        self.port = 0
        self.description_load: dict[str, Any] | None = None
        self.documents: dict[str, dict[str, Any]] = {}
        self.headers: dict[str, Headers] = {}  # what the main run's URLs must be sent with, by URL

    # ------------------------------------------------------------------ set-up
    async def start(self) -> None:
        opts = self.options
        if opts.openapi is not None and opts.url is None:  # on an idle machine, before any other process
            self.description_load = await asyncio.wait_for(
                description_load(opts.openapi_args, opts.startup_samples), self.deadline.left())
        self.baseline = Child("pymockapi.bench.baseline", "/")
        if opts.url is None:
            self.server = Child("pymockapi", "/_api/health", serve_args(opts.openapi_args))
            self.host, self.port = LOOPBACK, self.server.port
        else:
            self.host, self.port, _ = split_url(opts.url)
        self.pool = LoadPool(opts.processes)
        await self.baseline.ready()
        if self.server is not None:
            await self.server.ready()
        self.api = Api(self.host, self.port)
        status, _ = await self.api.get("/_api/metrics")
        self.has_metrics = status == 200

    async def stop(self) -> None:
        if self.api is not None:
            self.api.close()
        if self.pool is not None:
            self.pool.close()
        for child in (self.server, self.baseline):
            if child is not None:
                child.stop()

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        assert self.api is not None
        return await self.api.call(method, path, body)

    # ----------------------------------------------------------------- metrics
    async def rss(self) -> int | None:
        """The server's resident memory: from its metrics, else from /proc when it is our child."""
        if self.has_metrics:
            status, body = await self.call("GET", "/_api/metrics")
            if status == 200:
                return int(body["rss_bytes"])
        return rss_bytes(self.server.pid) if self.server is not None else None

    async def reset_lag(self) -> None:
        if self.has_metrics:
            await self.call("POST", "/_api/metrics/reset")

    async def read_metrics(self) -> dict[str, Any] | None:
        if not self.has_metrics:
            return None
        status, body = await self.call("GET", "/_api/metrics")
        return body if status == 200 else None

    async def load(self, paths: Sequence[str], connections: int, headers: Mapping[str, Headers] | None = None
                   ) -> tuple[LoadResult, dict[str, Any] | None]:
        """One measured load phase with the loop lag of exactly that phase.

        ``headers`` go with the paths they are keyed by; by default the ones the main run's discovery found.
        """
        assert self.pool is not None
        await self.reset_lag()
        result = await self.pool.run(self.host, self.port, paths, connections, self.deadline.left(),
                                     self.headers if headers is None else headers)
        metrics = await self.read_metrics()
        return result, metrics

    # ---------------------------------------------------------------- sessions
    async def create_sessions(self, prefix: str, count: int, stories: Sequence[Mapping[str, Any]],
                              seed_base: int = SEED_BASE) -> list[str]:
        """Sessions ``prefix-0000…`` round-robin over ``stories``, seeds from ``seed_base``; old ones replaced."""
        ids = []
        for i in range(count):
            story = stories[i % len(stories)]
            sid = f"{prefix}-{i:04d}"
            body = {"story": story["id"], "id": sid, "seed": seed_base + i, "anchor_date": ANCHOR_DATE}
            status, _ = await self.call("POST", "/_api/sessions", body)
            if status == 409:
                await self.call("DELETE", f"/_api/sessions/{sid}")
                status, _ = await self.call("POST", "/_api/sessions", body)
            if status != 201:
                raise RuntimeError(f"creating session {sid} answered {status}")
            ids.append(sid)
        return ids

    async def delete_sessions(self, ids: Sequence[str]) -> None:
        for sid in ids:
            await self.call("DELETE", f"/_api/sessions/{sid}")

    async def discover_all(
        self, ids: Sequence[str], by_story: dict[str, dict[str, Any]], story_of: dict[str, str],
        personas_only: bool = False,
    ) -> list[Plan]:
        """Discovery of every session, ``DISCOVERY_LANES`` at a time, each lane on its own connection.

        A session whose paths persona ids cannot fill is discovered from its
        API description instead (:mod:`pymockapi.bench.apidiscover`), unless
        only its persona pages are wanted (``personas_only``).
        """
        plans: dict[str, Plan] = {}
        queue = iter(ids)

        async def lane() -> None:
            api = Api(self.host, self.port)
            try:
                for sid in queue:
                    story = story_of[sid]
                    plan = await discover(api.call, sid, by_story[story])
                    if plan.skipped and not personas_only:
                        document = await self.story_document(story)
                        _, listing = await api.get(f"/_api/sessions/{sid}/personas")
                        plan = await learned_plan(self.host, self.port, sid, story, document,
                                                  date.fromisoformat(ANCHOR_DATE), persona_ids(listing),
                                                  self.deadline.left())
                    plans[sid] = plan
            finally:
                api.close()

        await asyncio.wait_for(asyncio.gather(*(lane() for _ in range(DISCOVERY_LANES))), self.deadline.left())
        return [plans[sid] for sid in ids]

    async def story_document(self, story: str) -> dict[str, Any]:
        """The story's OpenAPI document as the server serves it (fetched once per story)."""
        if story not in self.documents:
            status, document = await self.call("GET", f"/_api/stories/{story}/openapi.json")
            if status != 200 or not isinstance(document, dict):
                raise RuntimeError(f"GET /_api/stories/{story}/openapi.json answered {status}")
            self.documents[story] = document
        return self.documents[story]

    # ----------------------------------------------------------------- phases
    async def annotate_during(self, ids: Sequence[str], done: asyncio.Event) -> dict[str, Any]:
        """POST annotations round-robin at ``annotations_per_s`` until ``done`` (bounded in count)."""
        interval = 1.0 / self.options.annotations_per_s
        limit = int(self.options.timeout_s * self.options.annotations_per_s) + 1
        latencies: list[float] = []
        failures = 0
        for i in range(limit):
            if done.is_set():
                break
            started = time.perf_counter()
            body = {"text": ANNOTATIONS[i % len(ANNOTATIONS)], "kind": ANNOTATION_KINDS[i % len(ANNOTATION_KINDS)]}
            status, _ = await self.call("POST", f"/_api/sessions/{ids[i % len(ids)]}/annotations", body)
            took = time.perf_counter() - started
            latencies.append(took * 1000.0)
            failures += status != 201
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), max(0.0, interval - took))
        return {"count": len(latencies), "failures": failures, "latency_ms": summarize(latencies)}

    async def recording_phase(self, ids: Sequence[str], paths: Sequence[str]) -> dict[str, Any]:
        for sid in ids:
            status, _ = await self.call("POST", f"/_api/sessions/{sid}/recording/start")
            if status != 200:
                raise RuntimeError(f"recording/start on {sid} answered {status}")
        done = asyncio.Event()
        notes = asyncio.ensure_future(self.annotate_during(ids, done))
        try:
            result, metrics = await self.load(paths, self.options.connections)
        finally:
            done.set()
            annotations = await notes
        for sid in ids:
            await self.call("POST", f"/_api/sessions/{sid}/recording/stop")
        lag = (metrics or {}).get("loop_lag_ms")
        return {
            "latency_p99_ms": result.latency()["p99"],
            "loop_lag_max_ms": lag["max"] if lag else None,
            "loop_lag_ms": lag,
            "latency_ms": result.latency(),
            "throughput_rps": result.throughput_rps,
            "errors": result.errors,
            "annotations": annotations,
            "recorders": (metrics or {}).get("recorders", []),
        }

    async def run(self) -> dict[str, Any]:
        opts = self.options
        began = time.monotonic()
        machine = machine_info()
        try:  # a child that fails to start must not leave the others running
            await self.start()
            report = await asyncio.wait_for(self._phases(), self.deadline.left())
        finally:
            await self.stop()
        machine["loadavg_end"] = load_average()
        report.update(
            {
                "duration_s": round(time.monotonic() - began, 2),
                "machine": machine,
                "date": now_iso(),
                "server": {
                    "url": opts.url or f"http://{LOOPBACK}:{self.port}",
                    "started_by_bench": opts.url is None,
                    "metrics_endpoint": self.has_metrics,
                },
            }
        )
        report["targets"] = check_targets(report)
        return report

    async def described_phase(self, listing: Sequence[Mapping[str, Any]], baseline_rps: float) -> dict[str, Any]:
        """Step 7b: the ``--openapi`` description's GETs (see :mod:`pymockapi.bench.apiphase`)."""
        opts = self.options
        assert opts.openapi is not None
        story = described_story_id(opts.openapi)
        if story not in {s["id"] for s in listing}:
            raise RuntimeError(f"the server serves no story {story!r} for {opts.openapi} "
                               f"(is it started with --openapi {opts.openapi} --industry {opts.industry}?)")
        figures = await DescribedPhase(self, story, date.fromisoformat(ANCHOR_DATE)).run(baseline_rps)
        loaded = self.description_load or {}
        return {"file": str(opts.openapi), "industry": opts.industry, "load_ms": loaded.get("load_ms"),
                **figures, "startup_ms": loaded.get("startup_ms"),
                "load_method": loaded.get("load_method", "not measured: the server was started before the bench")}

    async def _phases(self) -> dict[str, Any]:
        opts = self.options
        _, listing = await self.call("GET", "/_api/stories")
        described = described_story_id(opts.openapi) if opts.openapi is not None else None
        stories = [s for s in listing["stories"] if s["id"] != described]
        by_story = {s["id"]: s for s in stories}
        rss_start = await self.rss()
        ids = await self.create_sessions(SESSION_PREFIX, opts.sessions, stories)
        rss_idle = await self.rss()
        story_of = {sid: stories[i % len(stories)]["id"] for i, sid in enumerate(ids)}
        plans = await self.discover_all(ids, by_story, story_of)

        cold_ids = await self.create_sessions(COLD_PREFIX, len(stories), stories)
        cold_plans = await self.discover_all(
            cold_ids, by_story, {sid: stories[i]["id"] for i, sid in enumerate(cold_ids)}, personas_only=True
        )
        cold, _ = await self.load([u for p in cold_plans for u in p.persona_urls], 1)
        await self.delete_sessions(cold_ids)

        self.headers = {url: headers for p in plans for url, headers in p.headers.items()}
        first_order = interleave([p.urls for p in plans])
        persona = {u for p in plans for u in p.persona_urls}
        first, first_metrics = await self.load(first_order, opts.connections)
        rss_full = await self.rss()

        work = load_order(plans, opts.requests)
        capped = work[: opts.phase_cap]
        main, main_metrics = await self.load(work, opts.connections)
        wide, wide_metrics = await self.load(capped, opts.wide_connections)
        assert self.pool is not None and self.baseline is not None
        base = await self.pool.run(
            LOOPBACK, self.baseline.port, ["/"] * len(capped), opts.connections, self.deadline.left()
        )
        openapi = await self.described_phase(listing["stories"], base.throughput_rps) if opts.openapi else None

        ws_stories = [by_story[s["id"]] for s in stories]
        ws_ids = await self.create_sessions(WS_PREFIX, opts.ws_sessions, ws_stories)
        try:
            transition = await asyncio.wait_for(
                measure_transitions(
                    self.call,
                    f"ws://{self.host}:{self.port}",
                    [(sid, len(ws_stories[i % len(ws_stories)]["waypoints"])) for i, sid in enumerate(ws_ids)],
                    opts.ws_clients,
                    opts.rounds,
                ),
                self.deadline.left(),
            )
        finally:
            await self.delete_sessions(ws_ids)

        recording = await self.recording_phase(ids, capped)
        if opts.url is not None:
            await self.delete_sessions(ids)

        def lag(metrics: dict[str, Any] | None) -> dict[str, Any] | None:
            return (metrics or {}).get("loop_lag_ms")

        errors_by_phase = {
            "first_time": first.errors,
            "main": main.errors,
            "connections_50": wide.errors,
            "recording": recording["errors"],
            "annotations": recording["annotations"]["failures"],
            "transitions": transition["failures"],
        }
        if openapi is not None:
            errors_by_phase["openapi"] = openapi["errors"]
        main_lag = lag(main_metrics)
        sessions = max(1, opts.sessions)
        return {
            "sessions": opts.sessions,
            "requests_per_session": opts.requests,
            "connections": opts.connections,
            "client_processes": opts.processes,
            "errors": sum(errors_by_phase.values()),
            "errors_by_phase": errors_by_phase,
            "latency_ms": main.latency(),
            "throughput_rps": main.throughput_rps,
            "requests": len(work),
            "duration_main_s": round(main.duration_s, 3),
            "baseline_rps": base.throughput_rps,
            "baseline_latency_ms": base.latency(),
            "baseline_errors": base.errors,
            "ratio_to_baseline": round(main.throughput_rps / base.throughput_rps, 3) if base.throughput_rps else None,
            "latency_50_connections": {"connections": opts.wide_connections, **wide.summary()},
            "first_time_persona_ms": cold.latency(),
            "first_time_persona_loaded_ms": first.latency([i for i, u in enumerate(first_order) if u in persona]),
            "first_time_all_ms": first.latency(),
            # SPEC's names: process start to the first 200 from /_api/health (shipped stories loaded; None
            # against --url), and the first request for a persona not yet generated with 10 in flight.
            "startup_ms": round(self.server.startup_ms, 1) if self.server is not None and
            self.server.startup_ms is not None else None,
            "cold_ms": first.latency([i for i, u in enumerate(first_order) if u in persona]),
            "transition_ms": transition,
            "loop_lag_ms": main_lag,
            "loop_lag_by_phase": {
                "first_time": lag(first_metrics),
                "main": main_lag,
                "connections_50": lag(wide_metrics),
                "recording": recording["loop_lag_ms"],
            },
            "recording": recording,
            "memory": {
                "rss_start_bytes": rss_start,
                "rss_idle_bytes": rss_idle,
                "rss_materialised_bytes": rss_full,
                "per_idle_session_bytes": None
                if rss_start is None or rss_idle is None
                else round((rss_idle - rss_start) / sessions),
                "per_materialised_session_bytes": None
                if rss_start is None or rss_full is None
                else round((rss_full - rss_start) / sessions),
            },
            "urls_per_session": summarize([len(p.urls) for p in plans], digits=1),
            "discovery_skipped": sorted({s for p in plans for s in p.skipped}),
            **({"openapi": openapi} if openapi is not None else {}),
        }
