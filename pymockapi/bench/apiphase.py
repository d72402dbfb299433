"""The ``--openapi`` phase: an API description's GETs, first uncached and then cached, at the main run's connections.

1. learn, on a session of its own, where each parameter's ids come from
   (:func:`pymockapi.bench.apilearn.learn`), and which GETs cannot be
   requested at all (no answered body shows an id for them);
2. ``cold_ms``: walk ``sessions`` fresh sessions through every learned GET
   (their personas listed first when the plan takes ids from personas: a
   front-end knows who logged in; the listing is not timed),
   lists before the records they show, up to ``records`` URLs per
   operation and session, ``connections`` requests in flight.  Every
   session has a seed no other phase uses, because the industries keep
   some generated values in caches keyed by seed: a seed seen before would
   make a "first" request cheaper than a front-end's first request is.
   With requests in flight a fast operation waits behind a slow one, so
   ``first_render_alone`` walks one more fresh session one request at a
   time: what each operation's first answer costs by itself, to say which
   ones are slow;
3. ``latency_ms``: ``requests`` cached GETs per session over the URLs the
   walk requested, through the load client at ``connections``, and
   ``ratio_to_baseline`` against the bare-Tornado run of the same bench.

A non-2xx answer in either measured step counts as an error; while
learning only a 5xx does (a refused guess at an id is the bench's, not the
server's, and is reported in ``rejected_id_sources``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pymockapi.bench.apidoc import GetOperation, base_path, get_operations
from pymockapi.bench.apilearn import learn
from pymockapi.bench.apiplan import Personas, Plan, Sample, persona_ids
from pymockapi.bench.apiwalk import walk
from pymockapi.bench.client import Headers
from pymockapi.bench.lanes import Fetched, fetch_all
from pymockapi.percentiles import summarize
from pymockapi.story.described import slug

if TYPE_CHECKING:
    from pymockapi.bench.runner import Bench

LEARN_PREFIX = "bench-api-learn"
ALONE_PREFIX = "bench-api-alone"
SESSION_PREFIX = "bench-api"
#: Seeds of this phase's sessions: a range no other phase (nor the learning session) uses.
ALONE_SEED = 4998
LEARN_SEED = 4999
SEED_BASE = 5000
#: URLs per operation of the one-at-a-time walk.
ALONE_RECORDS = 3
#: Connections of the learning walk (it is not measured).
LEARN_LANES = 4
#: Operations named in ``slowest_cold``.
SLOWEST = 5


def described_story_id(path: Path) -> str:
    """The id ``serve --openapi`` gives the description's story: its title as a slug (else the file's stem)."""
    with path.open(encoding="utf-8") as handle:
        loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
        document = yaml.load(handle, Loader=loader)  # a safe loader; JSON is YAML too
    info = document.get("info") if isinstance(document, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    return slug(title) if isinstance(title, str) and title.strip() else slug(path.stem)


def interleaved_load(groups: Sequence[Sequence[str]], per_group: int) -> list[str]:
    """``per_group`` requests for each group, cycling over its URLs, groups interleaved."""
    return [g[i % len(g)] for i in range(per_group) for g in groups if g]


def cold_by_operation(samples: Sequence[Sample]) -> dict[str, dict[str, Any]]:
    """Each operation's first-request latencies, with its non-2xx count."""
    out: dict[str, dict[str, Any]] = {}
    for key, group in itertools.groupby(sorted(samples, key=lambda s: s.op), key=lambda s: s.op):
        rows = list(group)
        out[key] = {**summarize(s.ms for s in rows if s.ms >= 0), "errors": sum(not s.ok for s in rows)}
    return out


def slowest(by_operation: dict[str, dict[str, Any]], count: int = SLOWEST) -> list[dict[str, Any]]:
    """The operations whose first requests took longest (by max, then p50)."""
    ranked = sorted(by_operation.items(), key=lambda kv: (kv[1]["max"], kv[1]["p50"]), reverse=True)
    return [{"operation": key, "count": row["count"], "p50": row["p50"], "max": row["max"],
             "errors": row["errors"]} for key, row in ranked[:count]]


class DescribedPhase:
    """One run of the phase against ``bench``'s server, for the story ``story``."""

    def __init__(self, bench: Bench, story: str, anchor: date) -> None:
        self.bench = bench
        self.story = story
        self.anchor = anchor
        self.options = bench.options
        self.operations: list[GetOperation] = []
        self.created: list[str] = []  # every session this phase made, deleted when it ends

    async def fetch(self, requests: Sequence[tuple[str, Headers]], lanes: int) -> list[Fetched]:
        return await fetch_all(self.bench.host, self.bench.port, requests, lanes, self.bench.deadline.left())

    async def personas(self, session: str) -> Personas:
        status, listing = await self.bench.call("GET", f"/_api/sessions/{session}/personas")
        if status != 200:
            raise RuntimeError(f"GET personas of {session} answered {status}")
        return persona_ids(listing)

    async def plan(self, document: dict[str, Any], base: str) -> Plan:
        self.operations = get_operations(document, self.anchor)
        learner = (await self.sessions(LEARN_PREFIX, 1, LEARN_SEED))[0]
        return await learn(lambda r: self.fetch(r, LEARN_LANES), f"/demo/{learner}{base}", self.operations,
                           self.options.openapi_records, await self.personas(learner))

    async def walk(self, plan: Plan, ids: Sequence[str], base: str, lanes: int, records: int) -> list[Sample]:
        """``ids`` walked through ``plan`` with ``lanes`` requests in flight (personas listed first if needed)."""
        personas = [await self.personas(sid) for sid in ids] if plan.uses_personas else None
        return await walk(lambda r: self.fetch(r, lanes), [f"/demo/{sid}{base}" for sid in ids], plan, records,
                          personas)

    async def sessions(self, prefix: str, count: int, seed_base: int) -> list[str]:
        ids = await self.bench.create_sessions(prefix, count, [{"id": self.story}], seed_base=seed_base)
        self.created.extend(ids)
        return ids

    async def run(self, baseline_rps: float) -> dict[str, Any]:
        try:
            return await self._run(baseline_rps)
        finally:
            await self.bench.delete_sessions(self.created)

    async def _run(self, baseline_rps: float) -> dict[str, Any]:
        opts = self.options
        status, document = await self.bench.call("GET", f"/_api/stories/{self.story}/openapi.json")
        if status != 200 or not isinstance(document, dict):
            raise RuntimeError(f"GET /_api/stories/{self.story}/openapi.json answered {status}")
        base = base_path(document, self.story)
        plan = await self.plan(document, base)
        ids = await self.sessions(SESSION_PREFIX, opts.sessions, SEED_BASE)
        await self.bench.reset_lag()
        samples = await self.walk(plan, ids, base, opts.connections, opts.openapi_records)
        cold_metrics = await self.bench.read_metrics()
        alone = await self.walk(plan, await self.sessions(ALONE_PREFIX, 1, ALONE_SEED), base, 1, ALONE_RECORDS)
        groups = [[s.path for s in samples if s.session == k] for k in range(len(ids))]
        headers = {s.path: s.headers for s in samples if s.headers}
        work = interleaved_load(groups, opts.requests)
        warm, warm_metrics = await self.bench.load(work, opts.connections, headers) if work else (None, None)
        by_operation = cold_by_operation(samples)
        alone_by_operation = cold_by_operation(alone)
        skipped = {**plan.skipped, **{op.key: "no measured session's bodies showed its ids"
                                      for op in plan.operations if op.key not in by_operation}}
        cold_errors = sum(not s.ok for s in samples) + sum(not s.ok for s in alone)
        warm_rps = warm.throughput_rps if warm is not None else 0.0
        errors = {"learning_5xx": plan.server_errors, "cold": cold_errors, "cached": warm.errors if warm else 0}
        return {
            "story": self.story,
            "sessions": opts.sessions,
            "connections": opts.connections,
            "errors": sum(errors.values()),
            "errors_by_phase": errors,
            "latency_ms": warm.latency() if warm is not None else summarize([]),
            "latency_2xx_ms": warm.latency([i for i, st in enumerate(warm.statuses) if 200 <= st < 300])
            if warm is not None else summarize([]),
            "throughput_rps": warm_rps,
            "requests": len(work),
            "ratio_to_baseline": round(warm_rps / baseline_rps, 3) if baseline_rps else None,
            "cold_ms": summarize(s.ms for s in samples if s.ms >= 0),
            "cold_by_operation": by_operation,
            "first_render_alone": alone_by_operation,
            "slowest_first_render": slowest(alone_by_operation),
            "loop_lag_ms": {"cold": (cold_metrics or {}).get("loop_lag_ms"),
                            "cached": (warm_metrics or {}).get("loop_lag_ms")},
            "operations": {"get": len(self.operations), "measured": len(by_operation), "waves": len(plan.waves),
                           "skipped": skipped},
            "urls_per_session": summarize([len(g) for g in groups], digits=1),
            "id_sources": plan.id_sources(),
            "rejected_id_sources": plan.rejected,
        }
