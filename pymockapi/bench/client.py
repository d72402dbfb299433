"""The load client: HTTP/1.1 keep-alive over raw asyncio, driven from separate processes.

Why not an HTTP library: the client shares two cores with the server it
measures, so every microsecond it spends parsing is a microsecond the
server loses.  An ``asyncio.Protocol`` that only finds the status line and
the body length costs a fraction of a full client, and the same client
measures PyMockAPI, the bare Tornado baseline and the peers, so the ratios
between them are fair.

Work is split across a pool of ``spawn``-ed processes (never ``fork``: the
parent may hold a running loop); each runs ``connections / processes``
keep-alive lanes pulling the next request from a shared cursor, so
concurrency is bounded and every loop ends when the work list does (or at
the phase timeout).  Run it alone against any URL with
``python -m pymockapi.bench.client URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import sys
import time
from array import array
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

from pymockapi import loop as event_loop
from pymockapi.percentiles import summarize

#: Statuses that carry no body whatever their headers say.
BODYLESS = frozenset({204, 304})
#: A request that never ran keeps this latency (and status 0: an error).
NOT_RUN = -1.0
DEFAULT_TIMEOUT_S = 120.0
#: Extra request headers, ``(name, value)`` pairs (an API description's required headers).
Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Head:
    """A parsed response head: where the body starts and how it ends."""

    status: int
    start: int
    length: int | None
    chunked: bool
    keep_alive: bool


def parse_head(buffer: bytes | bytearray) -> Head | None:
    """The head of the response at the start of ``buffer``, or None until it is complete."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ConnectionError(f"not an HTTP response: {lines[0][:80]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close" and parts[0] != "HTTP/1.0"
    if status in BODYLESS or status < 200:
        return Head(status, end + 4, 0, False, keep_alive)
    if "content-length" in headers:
        return Head(status, end + 4, int(headers["content-length"]), False, keep_alive)
    chunked = "chunked" in headers.get("transfer-encoding", "")
    return Head(status, end + 4, None, chunked, keep_alive if chunked else False)


def dechunk(buffer: bytes | bytearray, start: int) -> tuple[bytes, int] | None:
    """A chunked body starting at ``start``: (body, bytes used), or None until it is complete."""
    body = bytearray()
    pos = start
    while True:
        eol = buffer.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(bytes(buffer[pos:eol]).split(b";")[0].strip() or b"0", 16)
        pos = eol + 2
        if size == 0:
            end = buffer.find(b"\r\n", pos)
            while end > pos:  # trailer lines, until the empty line
                pos = end + 2
                end = buffer.find(b"\r\n", pos)
            return (bytes(body), end + 2) if end >= 0 else None
        if len(buffer) < pos + size + 2:
            return None
        body += buffer[pos:pos + size]
        pos += size + 2


class _Protocol(asyncio.Protocol):
    """Collects bytes and completes the pending request's future when its response is whole."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Reply] | None = None
        self.head: Head | None = None
        self.closed = False
        self.keep_alive = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's TCP transport is not a subclass

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is not None and not self.waiter.done():
            try:
                self._complete()
            except (ConnectionError, ValueError) as exc:
                self.waiter.set_exception(ConnectionError(str(exc)))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        head = self.head
        if head is not None and head.length is None and not head.chunked:
            waiter.set_result(Reply(head.status, bytes(self.buffer[head.start:])))
        else:
            waiter.set_exception(ConnectionError("connection closed before the response was complete"))

    def _complete(self) -> None:
        assert self.waiter is not None
        if self.head is None:
            self.head = parse_head(self.buffer)
            if self.head is None:
                return
        head = self.head
        if head.chunked:
            found = dechunk(self.buffer, head.start)
            if found is None:
                return
            body, used = found
        elif head.length is not None:
            used = head.start + head.length
            if len(self.buffer) < used:
                return
            body = bytes(self.buffer[head.start:used])
        else:
            return  # delimited by close: connection_lost completes it
        del self.buffer[:used]
        self.head = None
        self.keep_alive = head.keep_alive
        self.waiter.set_result(Reply(head.status, body))


class Connection:
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self, host: str, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self.host = host
        self._transport = transport
        self._protocol = protocol

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        transport, protocol = await loop.create_connection(_Protocol, host, port)
        return cls(f"{host}:{port}", transport, protocol)

    @property
    def usable(self) -> bool:
        return not self._protocol.closed and self._protocol.keep_alive

    def request_bytes(self, method: str, path: str, body: bytes | None = None,
                      content_type: str = "application/json", headers: Headers = ()) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", "Connection: keep-alive"]
        lines += [f"{name}: {value}" for name, value in headers]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body or b'')}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")

    async def send(self, raw: bytes) -> Reply:
        """Write one prepared request and wait for its whole response."""
        protocol = self._protocol
        if protocol.closed:
            raise ConnectionError("connection is closed")
        protocol.waiter = asyncio.get_running_loop().create_future()
        protocol.head = None
        self._transport.write(raw)
        return await protocol.waiter

    async def request(self, method: str, path: str, body: Any = None, timeout: float = 30.0) -> Reply:
        """One request with a JSON body (or none), bounded by ``timeout`` seconds."""
        data = None if body is None else json.dumps(body).encode()
        return await asyncio.wait_for(self.send(self.request_bytes(method, path, data)), timeout)

    def close(self) -> None:
        self._transport.close()


# ----------------------------------------------------------------------------- one process
@dataclass(frozen=True)
class Job:
    """What one client process is asked to do: GET ``paths`` over ``connections`` lanes.

    ``headers`` are sent with the paths they are keyed by (every other path goes with none).
    """

    host: str
    port: int
    paths: Sequence[str]
    connections: int
    timeout_s: float = DEFAULT_TIMEOUT_S
    headers: Mapping[str, Headers] = field(default_factory=dict)


async def drive(job: Job) -> dict[str, Any]:
    """Run one job on this process's loop: latency (ms) and status per path, and the wall span."""
    count = len(job.paths)
    latency = array("d", [NOT_RUN]) * count
    status = array("H", [0]) * count
    prepared: dict[str, bytes] = {}
    cursor: Iterator[int] = iter(range(count))
    clock = time.perf_counter

    async def lane(conn: Connection | None) -> None:
        for index in cursor:
            path = job.paths[index]
            raw = prepared.get(path)
            started = clock()
            try:
                if conn is None or not conn.usable:
                    if conn is not None:
                        conn.close()
                    conn = await Connection.open(job.host, job.port)
                if raw is None:
                    raw = prepared[path] = conn.request_bytes("GET", path, headers=job.headers.get(path, ()))
                reply = await conn.send(raw)
                status[index] = reply.status
            except (OSError, ConnectionError):
                status[index] = 0
                if conn is not None:
                    conn.close()
                conn = None
            latency[index] = (clock() - started) * 1000.0
        if conn is not None:
            conn.close()

    lanes = max(1, min(job.connections, count))
    opened = await asyncio.gather(*(Connection.open(job.host, job.port) for _ in range(lanes)),
                                  return_exceptions=True)
    conns = [c if isinstance(c, Connection) else None for c in opened]
    began = time.monotonic()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(lane(c) for c in conns)), job.timeout_s)
    ended = time.monotonic()
    for conn in conns:
        if conn is not None:
            conn.close()
    return {"latency": latency.tobytes(), "status": status.tobytes(), "began": began, "ended": ended}


def run_job(job: Job) -> dict[str, Any]:
    """The entry point of a pool process (module level so ``spawn`` can find it).

    The cyclic collector is held off for the job (bounded in count and
    time): a collection in the client would show up as the server's
    latency.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        return event_loop.run(drive(job))
    finally:
        gc.enable()
        gc.unfreeze()


def _ready() -> bool:
    return True


# ----------------------------------------------------------------------------- many processes
@dataclass
class LoadResult:
    """Every request of a phase in the order asked, and how long the phase took."""

    latency_ms: list[float]
    statuses: list[int]
    duration_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> int:
        return sum(1 for ms in self.latency_ms if ms >= 0.0)

    @property
    def errors(self) -> int:
        """Non-2xx answers, socket errors and requests the timeout cut off."""
        return sum(1 for s in self.statuses if not 200 <= s < 300)

    @property
    def throughput_rps(self) -> float:
        return round(self.completed / self.duration_s, 1) if self.duration_s > 0 else 0.0

    def latency(self, indices: Sequence[int] | None = None) -> dict[str, float]:
        chosen = range(len(self.latency_ms)) if indices is None else indices
        return summarize(self.latency_ms[i] for i in chosen if self.latency_ms[i] >= 0.0)

    def summary(self) -> dict[str, Any]:
        return {"requests": len(self.latency_ms), "errors": self.errors, "throughput_rps": self.throughput_rps,
                "duration_s": round(self.duration_s, 3), "latency_ms": self.latency()}


class LoadPool:
    """A pool of client processes, started once and reused by every phase."""

    def __init__(self, processes: int = 2) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = processes
        self._executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
        for future in [self._executor.submit(_ready) for _ in range(processes)]:
            future.result(timeout=60)

    async def run(self, host: str, port: int, paths: Sequence[str], connections: int,
                  timeout_s: float = DEFAULT_TIMEOUT_S, headers: Mapping[str, Headers] | None = None) -> LoadResult:
        """GET every path once over ``connections`` lanes split across the processes (``headers`` by path)."""
        workers = max(1, min(self.processes, connections, len(paths)))
        shares = [connections // workers + (1 if k < connections % workers else 0) for k in range(workers)]
        extra = headers or {}
        jobs = [Job(host, port, list(paths[k::workers]), shares[k], timeout_s,
                    {p: extra[p] for p in set(paths[k::workers]) if p in extra}) for k in range(workers)]
        futures = [asyncio.wrap_future(self._executor.submit(run_job, job)) for job in jobs]
        parts = await asyncio.gather(*futures)
        latency = [NOT_RUN] * len(paths)
        statuses = [0] * len(paths)
        for k, part in enumerate(parts):
            lat = array("d")
            lat.frombytes(part["latency"])
            st = array("H")
            st.frombytes(part["status"])
            latency[k::workers] = lat.tolist()
            statuses[k::workers] = st.tolist()
        began = min(p["began"] for p in parts) if parts else 0.0
        ended = max(p["ended"] for p in parts) if parts else 0.0
        return LoadResult(latency, statuses, ended - began)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# ----------------------------------------------------------------------------- command line
def split_url(url: str) -> tuple[str, int, str]:
    """``http://host:port/path?q`` as (host, port, path with query); loopback names only."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"expected an http:// URL, got {url!r}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, parts.port or 80, path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pymockapi.bench.client",
                                     description="GET one or more URLs with the benchmark's load client.")
    parser.add_argument("urls", nargs="+", help="http:// URLs on one host:port, requested round-robin")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=500, help="requests sent first and not measured")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S)
    parser.add_argument("--label", default="")
    return parser


async def measure_urls(urls: Sequence[str], requests: int, connections: int, processes: int, warmup: int,
                       timeout_s: float) -> dict[str, Any]:
    targets = [split_url(u) for u in urls]
    if len({(h, p) for h, p, _ in targets}) != 1:
        raise ValueError("every URL must be on the same host and port")
    host, port, _ = targets[0]
    paths = [targets[i % len(targets)][2] for i in range(requests)]
    pool = LoadPool(processes)
    try:
        if warmup:
            await pool.run(host, port, paths[:warmup], connections, timeout_s)
        result = await pool.run(host, port, paths, connections, timeout_s)
    finally:
        pool.close()
    return {"url": urls[0], "connections": connections, "processes": processes, **result.summary()}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = asyncio.run(measure_urls(args.urls, args.requests, args.connections, args.processes, args.warmup,
                                   args.timeout))
    print(json.dumps({"label": args.label or out["url"], **out}))
    return 0 if out["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
