"""The clock seam: the only place domain code gets time from.

The server runs on :class:`LoopClock` (Tornado's IOLoop ``call_later``);
tests run on :class:`ManualClock`, which fires timers only when told to
advance, so timed waypoints are tested deterministically and instantly.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from tornado.ioloop import IOLoop


class Clock(Protocol):
    def monotonic_ms(self) -> float: ...
    def wall_ms(self) -> int: ...
    def today(self) -> date: ...
    def call_later(self, delay_ms: float, callback: Callable[[], None]) -> Any: ...
    def cancel(self, handle: Any) -> None: ...


def iso_from_ms(wall_ms: int) -> str:
    """ISO 8601 UTC timestamp with milliseconds."""
    return datetime.fromtimestamp(wall_ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class LoopClock:
    """Real time, with timers on the IOLoop that runs the server."""

    def monotonic_ms(self) -> float:
        return time.monotonic() * 1000.0

    def wall_ms(self) -> int:
        return int(time.time() * 1000)

    def today(self) -> date:
        return date.today()

    def call_later(self, delay_ms: float, callback: Callable[[], None]) -> Any:
        return IOLoop.current().call_later(max(0.0, delay_ms) / 1000.0, callback)

    def cancel(self, handle: Any) -> None:
        IOLoop.current().remove_timeout(handle)


@dataclass(order=True)
class _Timer:
    due: float
    seq: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class ManualClock:
    """Virtual time for tests: nothing happens until :meth:`advance`."""

    def __init__(self, start_wall_ms: int = 1_773_309_600_000, today: date = date(2026, 3, 12)) -> None:
        self._now = 0.0
        self._wall0 = start_wall_ms
        self._today = today
        self._timers: list[_Timer] = []
        self._seq = itertools.count()

    def monotonic_ms(self) -> float:
        return self._now

    def wall_ms(self) -> int:
        return self._wall0 + int(self._now)

    def today(self) -> date:
        return self._today

    def call_later(self, delay_ms: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self._now + max(0.0, delay_ms), next(self._seq), callback)
        heapq.heappush(self._timers, timer)
        return timer

    def cancel(self, handle: Any) -> None:
        handle.cancelled = True

    def elapse(self, ms: float) -> None:
        """Let ``ms`` of time pass (a story *advances*; a clock *elapses*), firing each timer due, in order."""
        target = self._now + ms
        while self._timers and self._timers[0].due <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = timer.due
            timer.callback()
        self._now = target

    @property
    def pending(self) -> int:
        return sum(1 for t in self._timers if not t.cancelled)
