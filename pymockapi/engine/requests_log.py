"""The demo calls a session received: what her front-end really called, when, and with what answer.

Kept in memory as a bounded ring and written to the store in batches (by
the server's heartbeat, every half second, and at a clean stop), so a demo
call costs no write of its own; a crash loses at most the last batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

MAX_REQUESTS = 10_000
#: Entries kept back when the store cannot take them (a full disk): the oldest are dropped past this.
MAX_UNSAVED = 10_000
TAKE = "take"  # which recording take an entry with an offset belongs to; not shown in the journal


class RequestLog:
    def __init__(self, entries: Iterable[dict[str, Any]] = (), last_seq: int = -1) -> None:
        self._entries: deque[dict[str, Any]] = deque(entries, maxlen=MAX_REQUESTS)
        self._saved_seq = last_seq
        self._unsaved: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        self._entries.append(entry)
        self._unsaved.append(entry)
        del self._unsaved[:-MAX_UNSAVED]

    def latest(self, limit: int = MAX_REQUESTS) -> list[dict[str, Any]]:
        """The newest ``limit`` calls, oldest first, as SPEC shows them."""
        count = len(self._entries)
        shown = list(self._entries)[max(0, count - limit):]
        return [{k: v for k, v in e.items() if k != TAKE} for e in shown]

    def during(self, take: int) -> list[dict[str, Any]]:
        """The calls answered while take ``take`` was recording (they carry an ``offset_ms``)."""
        return [e for e in self._entries if e.get(TAKE) == take and "offset_ms" in e]

    def unsaved(self) -> tuple[int, list[dict[str, Any]]]:
        """(sequence number of the first, entries) not yet in the store."""
        return self._saved_seq + 1, list(self._unsaved)

    def saved(self, count: int) -> None:
        self._saved_seq += count
        del self._unsaved[:count]
