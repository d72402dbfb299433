"""Redis (or Valkey) as the store: the same contract as SQLite, kept by a Redis server.

Every key of a session shares the hash tag ``{session id}`` so a Redis
Cluster keeps a session on one slot; each acknowledged change is one
``MULTI``/``EXEC`` (all of it or none of it).  Durability is the Redis
server's: ``appendonly yes`` with ``appendfsync always`` gives what SQLite
gives; the README says what the other settings trade.

One server holds a Redis database, as one server holds a SQLite file: a
lease (``SET NX PX``, renewed by the heartbeat) names the holder, and a
second server refuses to start.  Many servers on one state are the
scale-out work (SPEC "Scale-out"): sessions caught up from the journal
before each answer, events through a stream per session, timers and
recorders under a per-session lease.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson
import redis

from pymockapi.errors import NotStored, UsageError
from pymockapi.store.base import Damaged, SessionRow, Timer

log = logging.getLogger("pymockapi.store")

PREFIX = "pymockapi"
SESSIONS = f"{PREFIX}:sessions"  # sorted set: session id by creation time
META = f"{PREFIX}:meta"
LEASE = f"{PREFIX}:server"
#: How long the lease outlives the last heartbeat (a killed server frees the database this long after).
LEASE_MS = 5_000
CONNECT_TIMEOUT_S = 2.0


def key(session_id: str, part: str) -> str:
    return f"{PREFIX}:{{{session_id}}}:{part}"


def _none(value: Any) -> str:
    return "" if value is None else str(value)


class RedisStore:
    """Sessions and their journals in a Redis database (``redis://HOST:PORT/DB``)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise UsageError(f"--store {url!r} is not a Redis URL.",
                             "Use redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0.")
        self.url = f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"
        self.skipped: list[str] = []
        # decode_responses: every reply is str (redis-py's types say bytes | str, hence Any here)
        self._db: Any = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                             socket_timeout=CONNECT_TIMEOUT_S, decode_responses=True)
        self._pipe: Any = None
        self._depth = 0
        self._holder = f"{socket.gethostname()} pid {os.getpid()}"
        try:
            self._db.ping()
        except redis.RedisError as exc:
            raise UsageError(f"Cannot reach the Redis store at {self.url}: {exc}.",
                             "Start redis-server (or Valkey) there, or use the default SQLite store.") from None
        if not self._db.set(LEASE, self._holder, nx=True, px=LEASE_MS):
            holder = str(self._db.get(LEASE) or "another server")
            raise UsageError(f"The Redis store {self.url} is in use by another PyMockAPI server ({holder}).",
                             "Stop that server first (its lease ends 5 s after it stops), or use another DB number.")

    def close(self) -> None:
        with contextlib.suppress(redis.RedisError):
            if self._db.get(LEASE) == self._holder:
                self._db.delete(LEASE)
        self._db.close()

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are queued and sent as one ``MULTI``/``EXEC``; nested use joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._pipe, self._depth = self._db.pipeline(transaction=True), 1
        try:
            yield
            self._pipe.execute()
        except redis.RedisError as exc:
            raise NotStored(f"The change could not be stored: {exc}.",
                            "Check the Redis server (memory, disk, connection), then retry: nothing of this "
                            "change was kept.") from exc
        finally:
            self._pipe, self._depth = None, 0

    def _writer(self) -> Any:
        if self._pipe is None:
            raise RuntimeError("a store write outside a transaction")
        return self._pipe

    # ------------------------------------------------------------------ writes
    def save_session(self, row: SessionRow) -> None:
        with self.transaction():
            pipe = self._writer()
            pipe.hset(key(row.id, "session"), mapping={
                "id": row.id, "story": row.story, "seed": row.seed, "anchor_date": row.anchor_date,
                "created_ms": row.created_ms, "paused": int(row.paused), "remaining_ms": _none(row.remaining_ms),
                "deadline_wall_ms": _none(row.deadline_wall_ms),
                "timeline": json.dumps(row.timeline) if row.timeline is not None else ""})
            if row.recorder is not None:
                pipe.set(key(row.id, "recorder"), row.recorder)
            pipe.zadd(SESSIONS, {row.id: row.created_ms}, nx=True)

    def save_timer(self, session_id: str, paused: bool, remaining_ms: float | None,
                   deadline_wall_ms: int | None) -> None:
        with self.transaction():
            self._writer().hset(key(session_id, "session"), mapping={
                "paused": int(paused), "remaining_ms": _none(remaining_ms),
                "deadline_wall_ms": _none(deadline_wall_ms)})

    def save_timeline(self, session_id: str, timeline: dict[str, Any] | str) -> None:
        with self.transaction():
            text = timeline if isinstance(timeline, str) else json.dumps(timeline)
            self._writer().hset(key(session_id, "session"), "timeline", text)

    def delete_session(self, session_id: str) -> None:
        with self.transaction():
            pipe = self._writer()
            pipe.delete(*(key(session_id, part) for part in
                          ("session", "journal", "recorder", "snapshots", "faults", "fault-order", "requests")))
            pipe.zrem(SESSIONS, session_id)

    def append(self, session_id: str, seq: int, kind: str, data: Any, *, truncate_after: int | None = None,
               timer: Timer | None = None) -> None:
        with self.transaction():
            pipe = self._writer()
            if truncate_after is not None:
                pipe.ltrim(key(session_id, "journal"), 0, truncate_after)
            pipe.rpush(key(session_id, "journal"), json.dumps([kind, data], separators=(",", ":")))
            if timer is not None:
                self.save_timer(session_id, *timer)

    def truncate(self, session_id: str, keep_through: int, timer: Timer | None = None) -> None:
        with self.transaction():
            self._writer().ltrim(key(session_id, "journal"), 0, keep_through)
            if timer is not None:
                self.save_timer(session_id, *timer)

    def replace_journal(self, session_id: str, journal: list[tuple[str, Any]], timer: Timer) -> None:
        with self.transaction():
            pipe = self._writer()
            pipe.delete(key(session_id, "journal"))
            if journal:
                pipe.rpush(key(session_id, "journal"),
                           *(json.dumps([kind, data], separators=(",", ":")) for kind, data in journal))
            self.save_timer(session_id, *timer)

    def save_snapshot(self, session_id: str, name: str, created_ms: int, data: dict[str, Any]) -> None:
        if self._db.hexists(key(session_id, "snapshots"), name):
            raise NotStored(f"A snapshot named {name!r} is already stored.", "Pick another name.")
        with self.transaction():
            self._writer().hset(key(session_id, "snapshots"), name,
                                json.dumps({"created_ms": created_ms, "data": data}, separators=(",", ":")))

    def delete_snapshot(self, session_id: str, name: str) -> None:
        with self.transaction():
            self._writer().hdel(key(session_id, "snapshots"), name)

    def snapshots(self, session_id: str) -> list[tuple[str, int, dict[str, Any]]]:
        out = []
        for name, raw in self._db.hgetall(key(session_id, "snapshots")).items():
            try:
                kept = json.loads(raw)
                out.append((name, int(kept["created_ms"]), kept["data"]))
            except (TypeError, ValueError, KeyError):
                log.warning("snapshot %r of session %r is damaged and is left out", name, session_id)
        return sorted(out, key=lambda s: (s[1], s[0]))

    def save_fault(self, session_id: str, fault: dict[str, Any]) -> None:
        with self.transaction():
            pipe = self._writer()
            pipe.hsetnx(key(session_id, "fault-order"), fault["id"], len(self._db.hkeys(key(session_id, "faults"))))
            pipe.hset(key(session_id, "faults"), fault["id"], json.dumps(fault, separators=(",", ":")))

    def delete_fault(self, session_id: str, fault_id: str) -> None:
        with self.transaction():
            self._writer().hdel(key(session_id, "faults"), fault_id)
            self._writer().hdel(key(session_id, "fault-order"), fault_id)

    def add_requests(self, session_id: str, first_seq: int, entries: list[dict[str, Any]], keep: int) -> None:
        if not entries:
            return
        with self.transaction():
            pipe = self._writer()
            pipe.rpush(key(session_id, "requests"), *map(orjson.dumps, entries))
            pipe.ltrim(key(session_id, "requests"), -keep, -1)
            pipe.hset(key(session_id, "session"), "last_request_seq", first_seq + len(entries) - 1)

    def mark_alive(self, wall_ms: int) -> None:
        with self.transaction():
            pipe = self._writer()
            pipe.hset(META, "alive_ms", wall_ms)
            pipe.set(LEASE, self._holder, px=LEASE_MS)

    def last_alive(self) -> int | None:
        value = self._db.hget(META, "alive_ms")
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    # ------------------------------------------------------------------- reads
    def load_all(self) -> list[SessionRow]:
        rows, self.skipped = [], []
        for session_id in self._db.zrange(SESSIONS, 0, -1):
            try:
                row = self.load_one(session_id)
            except Damaged as exc:
                log.warning("session %r in %s is damaged and is skipped: %s", session_id, self.url, exc)
                self.skipped.append(session_id)
                continue
            if row is not None:
                rows.append(row)
        return sorted(rows, key=lambda r: (r.created_ms, r.id))

    def load_one(self, session_id: str) -> SessionRow | None:
        """The session as last committed (None when it is not stored).

        :raises Damaged: a field of the session or of its journal cannot be read back.
        """
        fields = self._db.hgetall(key(session_id, "session"))
        if not fields:
            return None
        try:
            row = SessionRow(fields["id"], fields["story"], int(fields["seed"]), fields["anchor_date"],
                             int(fields["created_ms"]), fields.get("paused") == "1",
                             float(fields["remaining_ms"]) if fields.get("remaining_ms") else None,
                             int(fields["deadline_wall_ms"]) if fields.get("deadline_wall_ms") else None,
                             json.loads(fields["timeline"]) if fields.get("timeline") else None)
            row.journal = [(str(k), d) for k, d in map(json.loads, self._db.lrange(key(session_id, "journal"), 0, -1))]
            order = self._db.hgetall(key(session_id, "fault-order"))
            faults = self._db.hgetall(key(session_id, "faults"))
            row.faults = [json.loads(faults[f]) for f in sorted(faults, key=lambda f: int(order.get(f, 0)))]
            row.requests = [orjson.loads(e) for e in self._db.lrange(key(session_id, "requests"), 0, -1)]
            row.last_request_seq = int(fields.get("last_request_seq", -1))
        except (KeyError, TypeError, ValueError) as exc:
            raise Damaged(f"it does not read back ({type(exc).__name__}: {exc})") from None
        row.recorder = self._db.get(key(session_id, "recorder"))
        return row
