"""SQLite durability for sessions.

A change the API acknowledges must survive ``kill -9`` the moment after.
Each acknowledged change is one transaction in WAL mode with
``synchronous=NORMAL``: a committed transaction is in the WAL file before
the call returns, which a killed process cannot lose, and a commit costs
tens of microseconds, so it runs on the loop without stalling it.  Callers
group everything one change caused in :meth:`StateStore.transaction`; a
write that fails (disk full, file removed) raises :class:`NotStored` and
leaves the file as it was before the transaction.

The file is PyMockAPI's alone: one server holds it (an OS lock beside it,
naming the holder's pid), and a file that is not ours (another program's
SQLite database, or no database at all) is refused before anything is
written to it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from pymockapi.errors import NotStored, UsageError
from pymockapi.store.base import Damaged, SessionRow, Timer

__all__ = ["Damaged", "SessionRow", "StateStore", "Timer"]  # the rows' types are imported from here too

log = logging.getLogger("pymockapi.store")

#: ``PRAGMA application_id`` of our files ("PMKA"), and the schema they hold.
APPLICATION_ID = 0x504D4B41
SCHEMA_VERSION = 2
OUR_TABLES = frozenset({"sessions", "session_recorders", "journal", "meta", "snapshots", "faults", "requests"})
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    story TEXT NOT NULL,
    seed INTEGER NOT NULL,
    anchor_date TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    remaining_ms REAL,
    deadline_wall_ms INTEGER,
    timeline TEXT
);
CREATE TABLE IF NOT EXISTS session_recorders (
    session_id TEXT PRIMARY KEY,
    url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
);
CREATE TABLE IF NOT EXISTS faults (
    session_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, id)
);
CREATE TABLE IF NOT EXISTS requests (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""
class StateStore:
    """Sessions and their journals in one SQLite file (or in memory)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else Path(path)
        self._lock_fd: int | None = None
        self._depth = 0
        self.skipped: list[str] = []  # ids of damaged sessions left out by load_all
        if self.path is None:
            self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            self._db.executescript(SCHEMA)
            return
        self._lock_fd = _hold_lock(self.path)
        try:
            _refuse_foreign(self.path)
            self._db = _open_ours(self.path)
        except BaseException:
            self._release_lock()
            raise

    def close(self) -> None:
        self._db.close()
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside are kept together or not at all; nested use joins the outer one.

        :raises NotStored: the file refused a write or the commit; nothing of the transaction is kept.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _not_stored(exc) from exc
        self._depth = 1
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _not_stored(exc) from exc
            raise
        finally:
            self._depth = 0

    def _write(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        with self.transaction():
            self._db.execute(sql, args)

    # ------------------------------------------------------------------ writes
    def save_session(self, row: SessionRow) -> None:
        with self.transaction():
            if row.recorder is not None:
                self._db.execute("INSERT OR REPLACE INTO session_recorders (session_id, url) VALUES (?, ?)",
                                 (row.id, row.recorder))
            self._db.execute(
                "INSERT INTO sessions (id, story, seed, anchor_date, created_ms, paused, remaining_ms,"
                " deadline_wall_ms, timeline) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " paused=excluded.paused, remaining_ms=excluded.remaining_ms,"
                " deadline_wall_ms=excluded.deadline_wall_ms, timeline=excluded.timeline",
                (row.id, row.story, row.seed, row.anchor_date, row.created_ms, int(row.paused), row.remaining_ms,
                 row.deadline_wall_ms, json.dumps(row.timeline) if row.timeline is not None else None))

    def save_timer(self, session_id: str, paused: bool, remaining_ms: float | None,
                   deadline_wall_ms: int | None) -> None:
        self._write("UPDATE sessions SET paused=?, remaining_ms=?, deadline_wall_ms=? WHERE id=?",
                    (int(paused), remaining_ms, deadline_wall_ms, session_id))

    def save_timeline(self, session_id: str, timeline: dict[str, Any] | str) -> None:
        text = timeline if isinstance(timeline, str) else json.dumps(timeline)
        self._write("UPDATE sessions SET timeline=? WHERE id=?", (text, session_id))

    def delete_session(self, session_id: str) -> None:
        with self.transaction():
            for table in ("snapshots", "faults", "requests"):
                self._db.execute(f"DELETE FROM {table} WHERE session_id=?", (session_id,))
            self._db.execute("DELETE FROM journal WHERE session_id=?", (session_id,))
            self._db.execute("DELETE FROM session_recorders WHERE session_id=?", (session_id,))
            self._db.execute("DELETE FROM sessions WHERE id=?", (session_id,))

    def append(self, session_id: str, seq: int, kind: str, data: Any, *, truncate_after: int | None = None,
               timer: Timer | None = None) -> None:
        """Add one journal entry (optionally cutting the journal first)."""
        with self.transaction():
            if truncate_after is not None:
                self._db.execute("DELETE FROM journal WHERE session_id=? AND seq>?", (session_id, truncate_after))
            self._db.execute("INSERT INTO journal (session_id, seq, kind, data) VALUES (?,?,?,?)",
                             (session_id, seq, kind, json.dumps(data, separators=(",", ":"))))
            if timer is not None:
                self.save_timer(session_id, *timer)

    def truncate(self, session_id: str, keep_through: int, timer: Timer | None = None) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM journal WHERE session_id=? AND seq>?", (session_id, keep_through))
            if timer is not None:
                self.save_timer(session_id, *timer)

    def replace_journal(self, session_id: str, journal: list[tuple[str, Any]], timer: Timer) -> None:
        """The session's journal becomes ``journal`` (a snapshot restored), with its timer."""
        with self.transaction():
            self._db.execute("DELETE FROM journal WHERE session_id=?", (session_id,))
            self._db.executemany("INSERT INTO journal (session_id, seq, kind, data) VALUES (?,?,?,?)",
                                 [(session_id, seq, kind, json.dumps(data, separators=(",", ":")))
                                  for seq, (kind, data) in enumerate(journal)])
            self.save_timer(session_id, *timer)

    # ---------------------------------------------------------------- snapshots
    def save_snapshot(self, session_id: str, name: str, created_ms: int, data: dict[str, Any]) -> None:
        self._write("INSERT INTO snapshots (session_id, name, created_ms, data) VALUES (?,?,?,?)",
                    (session_id, name, created_ms, json.dumps(data, separators=(",", ":"))))

    def delete_snapshot(self, session_id: str, name: str) -> None:
        self._write("DELETE FROM snapshots WHERE session_id=? AND name=?", (session_id, name))

    def snapshots(self, session_id: str) -> list[tuple[str, int, dict[str, Any]]]:
        """``(name, created_ms, data)`` of every snapshot of the session, oldest first."""
        out = []
        for name, created, data in self._db.execute(
                "SELECT name, created_ms, data FROM snapshots WHERE session_id=? ORDER BY created_ms, name",
                (session_id,)):
            try:
                out.append((str(name), int(created), json.loads(data)))
            except (TypeError, ValueError):
                log.warning("snapshot %r of session %r is damaged and is left out", name, session_id)
        return out

    # ------------------------------------------------------------------- faults
    def save_fault(self, session_id: str, fault: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO faults (session_id, id, data) VALUES (?,?,?)",
                    (session_id, fault["id"], json.dumps(fault, separators=(",", ":"))))

    def delete_fault(self, session_id: str, fault_id: str) -> None:
        self._write("DELETE FROM faults WHERE session_id=? AND id=?", (session_id, fault_id))

    # ----------------------------------------------------------------- requests
    def add_requests(self, session_id: str, first_seq: int, entries: list[dict[str, Any]], keep: int) -> None:
        """Append demo calls (numbered from ``first_seq``) and drop the batches older than the last ``keep``.

        A batch is one row, encoded once: a heartbeat under load carries
        thousands of calls, and a row each stalled the loop for ~10 ms. The
        batch that straddles the cut stays whole; reading back keeps the last ``keep``.
        """
        if not entries:
            return
        if len(entries) > keep:
            first_seq, entries = first_seq + len(entries) - keep, entries[-keep:]
        cut = first_seq + len(entries) - keep  # the first call still kept
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO requests (session_id, seq, data) VALUES (?,?,?)",
                             (session_id, first_seq, orjson.dumps(entries).decode()))
            self._db.execute("DELETE FROM requests WHERE session_id=? AND seq < (SELECT MAX(seq) FROM requests"
                             " WHERE session_id=? AND seq<=?)", (session_id, session_id, cut))

    def mark_alive(self, wall_ms: int) -> None:
        """The server is up at ``wall_ms``: after a crash, the last mark says when the downtime began."""
        self._write("INSERT OR REPLACE INTO meta (key, value) VALUES ('alive_ms', ?)", (str(wall_ms),))

    def last_alive(self) -> int | None:
        found = self._db.execute("SELECT value FROM meta WHERE key='alive_ms'").fetchone()
        try:
            return int(found[0]) if found else None
        except (TypeError, ValueError):
            return None

    # ------------------------------------------------------------------- reads
    def load_all(self) -> list[SessionRow]:
        """Every readable session; a damaged one is named in a warning and in ``skipped``, not returned."""
        rows = []
        self.skipped = []
        ids = [r[0] for r in self._db.execute("SELECT id FROM sessions ORDER BY created_ms, id")]
        for session_id in ids:
            try:
                row = self.load_one(session_id)
            except (Damaged, sqlite3.DatabaseError) as exc:
                log.warning("session %r in %s is damaged and is skipped: %s", session_id, self.path, exc)
                self.skipped.append(str(session_id))
                continue
            if row is not None:
                rows.append(row)
        return rows

    def load_one(self, session_id: str) -> SessionRow | None:
        """The session as last committed (None when it is not stored).

        :raises Damaged: a field of the row or of its journal cannot be read back.
        """
        found = self._db.execute("SELECT id, story, seed, anchor_date, created_ms, paused, remaining_ms,"
                                 " deadline_wall_ms, timeline FROM sessions WHERE id=?", (session_id,)).fetchone()
        if found is None:
            return None
        row = _row(found)
        try:
            row.journal = [(str(k), json.loads(d)) for k, d in self._db.execute(
                "SELECT kind, data FROM journal WHERE session_id=? ORDER BY seq", (row.id,))]
        except (TypeError, ValueError) as exc:
            raise Damaged(f"its journal does not read back ({exc})") from None
        recorder = self._db.execute("SELECT url FROM session_recorders WHERE session_id=?", (row.id,)).fetchone()
        row.recorder = str(recorder[0]) if recorder else None
        try:
            row.faults = [json.loads(d) for (d,) in self._db.execute(
                "SELECT data FROM faults WHERE session_id=? ORDER BY rowid", (row.id,))]
            calls = self._db.execute("SELECT seq, data FROM requests WHERE session_id=? ORDER BY seq",
                                     (row.id,)).fetchall()
        except (TypeError, ValueError) as exc:
            raise Damaged(f"its faults do not read back ({exc})") from None
        row.requests, row.last_request_seq = _request_batches(calls, row.last_request_seq)
        return row


def _request_batches(rows: list[tuple[Any, Any]], last_seq: int) -> tuple[list[dict[str, Any]], int]:
    """The calls of the stored batches (a row written before batching holds one call), and the last number.

    An unreadable batch costs only its own calls.
    """
    calls: list[dict[str, Any]] = []
    for seq, data in rows:
        try:
            batch = orjson.loads(data)
        except (TypeError, ValueError):
            continue
        batch = batch if isinstance(batch, list) else [batch]
        calls.extend(e for e in batch if isinstance(e, dict))
        last_seq = int(seq) + len(batch) - 1
    return calls, last_seq


def _row(found: tuple[Any, ...]) -> SessionRow:
    """A session row checked field by field (another program, or a bad disk, may have changed it)."""
    sid, story, seed, anchor, created, paused, remaining, deadline, timeline = found
    if not isinstance(sid, str) or not isinstance(story, str):
        raise Damaged("its id or story is not text")
    if not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise Damaged(f"its seed {seed!r} is not a whole number in range")
    try:
        date.fromisoformat(anchor)
    except (TypeError, ValueError):
        raise Damaged(f"its anchor date {anchor!r} is not a date") from None
    if not isinstance(created, int) or paused not in (0, 1):
        raise Damaged("its creation time or paused flag is not readable")
    if remaining is not None and not isinstance(remaining, (int, float)):
        raise Damaged("its remaining time is not a number")
    if deadline is not None and not isinstance(deadline, int):
        raise Damaged("its timer deadline is not a number")
    try:
        snapshot = json.loads(timeline) if timeline else None
    except (TypeError, ValueError) as exc:
        raise Damaged(f"its recording timeline does not read back ({exc})") from None
    if snapshot is not None and not isinstance(snapshot, dict):
        raise Damaged("its recording timeline is not an object")
    return SessionRow(sid, story, seed, anchor, created, bool(paused), remaining, deadline, snapshot)


def _not_stored(exc: sqlite3.Error) -> NotStored:
    return NotStored(f"The change could not be stored: {exc}.",
                     "Free disk space for the state file (or check it is still there and writable), then retry: "
                     "nothing of this change was kept.")


def _hold_lock(path: Path) -> int:
    """Lock ``path``'s ``.lock`` file for this process (released when the process ends, also by kill -9)."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(f"Cannot use the state file {path}: {exc.strerror or exc}.",
                         "Give --state a path in a folder you can write to, or use --memory.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise UsageError(f"The state file {path} is in use by another PyMockAPI server (pid {holder}).",
                         "Stop that server first, or give this one its own --state FILE (or --memory).") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _refuse_foreign(path: Path) -> None:
    """Refuse, before anything is written, a file that is not a PyMockAPI state file of a version we read."""
    if not path.exists() or path.stat().st_size == 0:
        return
    hint = "Give --state a new file name (PyMockAPI creates it), or use --memory."
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UsageError(f"Cannot read the state file {path}: {exc.strerror or exc}.", hint) from None
    if magic != SQLITE_MAGIC:
        raise UsageError(f"{path} is not a SQLite database, so not a PyMockAPI state file; it was left untouched.",
                         hint)
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise UsageError(f"The state file {path} cannot be read ({exc}); it was left untouched.",
                         "Move the damaged file away and start again (its sessions are lost), "
                         "or use --memory.") from None
    ours = app_id == APPLICATION_ID or (app_id == 0 and "sessions" in tables and tables <= OUR_TABLES)
    if not ours and tables:
        raise UsageError(f"{path} is another program's SQLite database, not a PyMockAPI state file; "
                         "it was left untouched.", hint)
    if app_id not in (0, APPLICATION_ID):
        raise UsageError(f"{path} belongs to another program (application id {app_id:#x}); it was left untouched.",
                         hint)
    if version > SCHEMA_VERSION:
        raise UsageError(f"{path} was written by a newer PyMockAPI (schema {version}; this one reads "
                         f"{SCHEMA_VERSION}); it was left untouched.", "Upgrade PyMockAPI, or use another --state.")


def _open_ours(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        db.close()
        raise UsageError(f"Cannot write the state file {path}: {exc}.",
                         "Make the file and its folder writable, free disk space, or use --memory.") from None
    return db
