"""What the engine needs of a store, whichever keeps the state (SQLite today; Redis for many processes).

The world is never stored: it is derived from the story, the seed and the
journal, so a store keeps sessions, their journals, timers, timelines,
snapshots, faults and request journals.  Every write happens inside
:meth:`Store.transaction` (joined when nested) and either all of it is kept
or none of it (:class:`~pymockapi.errors.NotStored`).  The contract every
implementation passes is ``tests/test_store_contract.py``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

Timer = tuple[bool, float | None, int | None]


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
    faults: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # the demo calls, oldest first
    last_request_seq: int = -1


class Damaged(ValueError):
    """A stored session that cannot be read back: it is skipped, the others are served."""




class Store(Protocol):
    """The engine's view of its store (see the module's docstring)."""

    skipped: list[str]

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def save_session(self, row: SessionRow) -> None: ...

    def save_timer(self, session_id: str, paused: bool, remaining_ms: float | None,
                   deadline_wall_ms: int | None) -> None: ...

    def save_timeline(self, session_id: str, timeline: dict[str, Any] | str) -> None: ...

    def delete_session(self, session_id: str) -> None: ...

    def append(self, session_id: str, seq: int, kind: str, data: Any, *, truncate_after: int | None = None,
               timer: Timer | None = None) -> None: ...

    def truncate(self, session_id: str, keep_through: int, timer: Timer | None = None) -> None: ...

    def replace_journal(self, session_id: str, journal: list[tuple[str, Any]], timer: Timer) -> None: ...

    def save_snapshot(self, session_id: str, name: str, created_ms: int, data: dict[str, Any]) -> None: ...

    def delete_snapshot(self, session_id: str, name: str) -> None: ...

    def snapshots(self, session_id: str) -> list[tuple[str, int, dict[str, Any]]]: ...

    def save_fault(self, session_id: str, fault: dict[str, Any]) -> None: ...

    def delete_fault(self, session_id: str, fault_id: str) -> None: ...

    def add_requests(self, session_id: str, first_seq: int, entries: list[dict[str, Any]], keep: int) -> None:
        """Append calls numbered from ``first_seq``; keep at least the last ``keep`` (the rest of the
        batch that straddles the cut may stay: the session's ring drops it on load)."""

    def mark_alive(self, wall_ms: int) -> None: ...

    def last_alive(self) -> int | None: ...

    def load_all(self) -> list[SessionRow]: ...

    def load_one(self, session_id: str) -> SessionRow | None: ...
