"""What the server measures about itself: event-loop lag and resident memory.

A demo that stalls looks broken, and a stall of the single IOLoop stalls
every session at once.  :class:`LoopLagProbe` schedules a tick every
``interval_ms`` on the server's own loop and records how late each tick
fires: the loop cannot run a tick while a handler (or anything else) holds
it, so the lateness is exactly the stall a client would have felt.
"""

from __future__ import annotations

import collections
import os
from typing import Any

from tornado.ioloop import IOLoop

from pymockapi.percentiles import percentile

#: Fields of ``/proc/<pid>/statm``: size, resident, shared, ... (in pages).
STATM_RESIDENT = 1


class LoopLagProbe:
    """A ``call_later`` chain on the current IOLoop measuring how late each tick fires.

    Keeps the maximum and the count over the whole run and the last
    ``keep`` lags (a bounded ring) for the percentiles, so memory stays
    constant however long the server runs.
    """

    def __init__(self, interval_ms: float = 5.0, keep: int = 20_000) -> None:
        if interval_ms <= 0:
            raise ValueError("interval_ms must be positive")
        self.interval_ms = interval_ms
        self._lags: collections.deque[float] = collections.deque(maxlen=keep)
        self._loop: IOLoop | None = None
        self._handle: object | None = None
        self._expected = 0.0
        self.max_ms = 0.0
        self.count = 0

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self) -> None:
        """Start ticking on the current IOLoop (a second start is a no-op)."""
        if self._handle is not None:
            return
        self._loop = IOLoop.current()
        self._schedule()

    def stop(self) -> None:
        if self._handle is not None and self._loop is not None:
            self._loop.remove_timeout(self._handle)
        self._handle = None

    def reset(self) -> None:
        """Forget every lag so far (the benchmark resets before each phase)."""
        self._lags.clear()
        self.max_ms = 0.0
        self.count = 0

    def snapshot(self) -> dict[str, Any]:
        """``{"interval_ms", "count", "p50", "p99", "max"}`` in milliseconds."""
        ordered = sorted(self._lags)
        return {"interval_ms": self.interval_ms, "count": self.count, "running": self.running,
                "p50": round(percentile(ordered, 50.0), 3), "p99": round(percentile(ordered, 99.0), 3),
                "max": round(self.max_ms, 3)}

    def record(self, lag_ms: float) -> None:
        """Keep one lag; an early tick (clock granularity) counts as no lag."""
        lag = max(0.0, lag_ms)
        self._lags.append(lag)
        self.count += 1
        if lag > self.max_ms:
            self.max_ms = lag

    def _schedule(self) -> None:
        assert self._loop is not None
        delay = self.interval_ms / 1000.0
        self._expected = self._loop.time() + delay
        self._handle = self._loop.call_later(delay, self._tick)

    def _tick(self) -> None:
        assert self._loop is not None
        self.record((self._loop.time() - self._expected) * 1000.0)
        self._schedule()


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size of a process (this one by default) from ``/proc/<pid>/statm``."""
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
        fields = statm.read().split()
    return int(fields[STATM_RESIDENT]) * os.sysconf("SC_PAGE_SIZE")
