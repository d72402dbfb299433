"""GETs from the bench's own process that keep their bodies: for walks that learn ids as they go.

The load client (:mod:`pymockapi.bench.client`) runs in other processes
and keeps only status and latency, which is right for a load but not for
a walk whose next requests depend on the bodies of the last ones (a list
gives the ids of its details).  Here ``lanes`` keep-alive connections take
the next request from a shared cursor, time it from write to the last
byte, and keep the bytes; nothing is parsed while requests are in
flight, so the timing of one lane is not stretched by another's JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from pymockapi.bench.client import Connection, Headers

REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Fetched:
    """One answered (or failed: status 0) GET, with its latency in ms and its body bytes."""

    path: str
    status: int
    ms: float
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


async def fetch_all(host: str, port: int, requests: Sequence[tuple[str, Headers]], lanes: int,
                    timeout_s: float) -> list[Fetched]:
    """GET every ``(path, headers)`` once over at most ``lanes`` connections; results in the order asked."""
    results: list[Fetched | None] = [None] * len(requests)
    cursor = iter(range(len(requests)))
    clock = time.perf_counter

    async def lane(conn: Connection | None) -> None:
        try:
            for index in cursor:
                path, headers = requests[index]
                started = clock()
                try:
                    if conn is None or not conn.usable:
                        if conn is not None:
                            conn.close()
                        conn = await Connection.open(host, port)
                    raw = conn.request_bytes("GET", path, headers=headers)
                    reply = await asyncio.wait_for(conn.send(raw), REQUEST_TIMEOUT_S)
                    status, body = reply.status, reply.body
                except (OSError, ConnectionError, TimeoutError):
                    status, body = 0, b""
                    if conn is not None:
                        conn.close()
                    conn = None
                results[index] = Fetched(path, status, (clock() - started) * 1000.0, body)
        finally:
            if conn is not None:
                conn.close()

    count = max(1, min(lanes, len(requests)))
    opened = await asyncio.gather(*(Connection.open(host, port) for _ in range(count)), return_exceptions=True)
    with contextlib.suppress(TimeoutError):  # connections are open before the first clock starts
        await asyncio.wait_for(asyncio.gather(*(lane(c if isinstance(c, Connection) else None) for c in opened)),
                               timeout_s)
    return [r if r is not None else Fetched(requests[i][0], 0, -1.0, b"") for i, r in enumerate(results)]
