"""SQLite durability for sessions.

A change the API acknowledges must survive ``kill -9`` the moment after.
Each write is one small transaction in WAL mode with ``synchronous=NORMAL``:
a committed transaction is in the WAL file before the call returns, which a
killed process cannot lose, and a commit costs tens of microseconds, so it
runs on the loop without stalling it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
"""


@dataclass
class SessionRow:
    id: str
    story: str
    seed: int
    anchor_date: str
    created_ms: int
    paused: bool = False
    remaining_ms: float | None = None
    deadline_wall_ms: int | None = None
    timeline: dict[str, Any] | None = None
    journal: list[tuple[str, Any]] = field(default_factory=list)
    recorder: str | None = None  # this session's own recorder URL (it may hold a password: never shown)


class StateStore:
    """Sessions and their journals in one SQLite file (or in memory)."""

    def __init__(self, path: str | Path | None) -> None:
        target = ":memory:" if path is None else str(path)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def save_session(self, row: SessionRow) -> None:
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
        self._db.execute("UPDATE sessions SET paused=?, remaining_ms=?, deadline_wall_ms=? WHERE id=?",
                         (int(paused), remaining_ms, deadline_wall_ms, session_id))

    def save_timeline(self, session_id: str, timeline: dict[str, Any]) -> None:
        self._db.execute("UPDATE sessions SET timeline=? WHERE id=?", (json.dumps(timeline), session_id))

    def delete_session(self, session_id: str) -> None:
        self._db.execute("BEGIN")
        self._db.execute("DELETE FROM journal WHERE session_id=?", (session_id,))
        self._db.execute("DELETE FROM session_recorders WHERE session_id=?", (session_id,))
        self._db.execute("DELETE FROM sessions WHERE id=?", (session_id,))
        self._db.execute("COMMIT")

    def append(self, session_id: str, seq: int, kind: str, data: Any, *, truncate_after: int | None = None,
               timer: tuple[bool, float | None, int | None] | None = None) -> None:
        """Add one journal entry (optionally cutting the journal first) in one transaction."""
        self._db.execute("BEGIN")
        try:
            if truncate_after is not None:
                self._db.execute("DELETE FROM journal WHERE session_id=? AND seq>?", (session_id, truncate_after))
            self._db.execute("INSERT INTO journal (session_id, seq, kind, data) VALUES (?,?,?,?)",
                             (session_id, seq, kind, json.dumps(data, separators=(",", ":"))))
            if timer is not None:
                self._db.execute("UPDATE sessions SET paused=?, remaining_ms=?, deadline_wall_ms=? WHERE id=?",
                                 (int(timer[0]), timer[1], timer[2], session_id))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def truncate(self, session_id: str, keep_through: int,
                 timer: tuple[bool, float | None, int | None] | None = None) -> None:
        self._db.execute("BEGIN")
        self._db.execute("DELETE FROM journal WHERE session_id=? AND seq>?", (session_id, keep_through))
        if timer is not None:
            self._db.execute("UPDATE sessions SET paused=?, remaining_ms=?, deadline_wall_ms=? WHERE id=?",
                             (int(timer[0]), timer[1], timer[2], session_id))
        self._db.execute("COMMIT")

    def load_all(self) -> list[SessionRow]:
        rows = []
        for r in self._db.execute("SELECT id, story, seed, anchor_date, created_ms, paused, remaining_ms,"
                                  " deadline_wall_ms, timeline FROM sessions ORDER BY created_ms, id"):
            row = SessionRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7],
                             json.loads(r[8]) if r[8] else None)
            row.journal = [(k, json.loads(d)) for k, d in self._db.execute(
                "SELECT kind, data FROM journal WHERE session_id=? ORDER BY seq", (row.id,))]
            found = self._db.execute("SELECT url FROM session_recorders WHERE session_id=?", (row.id,)).fetchone()
            row.recorder = found[0] if found else None
            rows.append(row)
        return rows
