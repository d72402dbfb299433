"""How long ``pymockapi serve`` takes to answer, and how much an API description adds: ``openapi.load_ms``.

``load_ms`` is a start-up difference, measured from outside the server:
the median start of ``serve --memory --openapi FILE --industry NAME``
minus the median start of ``serve --memory``, the two alternated (plain,
described, plain, …) before any other phase runs, so both see the same
idle machine.  One start is the time from just before the process is
spawned to its first 200 from ``/_api/health`` (polled every 10 ms, so a
start is late by at most that).

Why this and not a timer inside the server: the benchmark does not change
the server it measures, and the difference is what a user waits for when
she adds ``--openapi``: reading and validating the description, binding it
to the industry, rehearsing each of its operations once (the server renders
every endpoint at load, so a broken one fails then and not in the demo),
and the described story's default session.  Interpreter start and the
shipped stories are in both starts and cancel out.  The samples are in
the report, so the spread is there to judge.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from pymockapi.bench.procs import Child

#: The server the benchmark starts: in-memory state, so no file from an earlier run is read.
SERVE = ("serve", "--memory")
HEALTH = "/_api/health"
STARTUP_POLL_S = 0.01


def serve_args(openapi: Sequence[str] = ()) -> tuple[str, ...]:
    return (*SERVE, *openapi)


async def start_once(args: Sequence[str]) -> float:
    """One start of ``pymockapi <args>``: spawn to first 200 from the health check, in ms (then stopped)."""
    child = Child("pymockapi", HEALTH, args)
    try:
        await child.ready(poll_s=STARTUP_POLL_S)
        assert child.startup_ms is not None
        return child.startup_ms
    finally:
        child.stop()


async def description_load(openapi: Sequence[str], samples: int) -> dict[str, Any]:
    """``load_ms`` and the start-ups it comes from: ``samples`` starts with and without ``openapi``, alternated."""
    plain: list[float] = []
    described: list[float] = []
    for _ in range(samples):
        plain.append(await start_once(serve_args()))
        described.append(await start_once(serve_args(openapi)))
    return {
        "load_ms": round(statistics.median(described) - statistics.median(plain), 1),
        "startup_ms": {"without_openapi": round(statistics.median(plain), 1),
                       "with_openapi": round(statistics.median(described), 1),
                       "samples_without": plain, "samples_with": described},
        "load_method": "median start of `serve --memory --openapi FILE --industry NAME` minus median start of "
                       "`serve --memory` (spawn to first 200 from /_api/health), alternated, before the load",
    }
