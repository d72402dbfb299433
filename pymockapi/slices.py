"""Run a long synchronous computation a slice at a time, so the loop keeps turning while it runs.

Why: the first body of a big API list (PayPal's invoice templates: twenty
records of a 700-value schema, 420 kB) takes a quarter of a second to
build, and ten of them in flight held the loop for 2.3 s: every other
request, WebSocket cue and timer waited behind them.  The builder is a
deep recursion over the schema; turning it into coroutines would cost on
every value.  Instead it runs in a greenlet that, at its checkpoints,
hands the thread back to the loop once its slice (:data:`SLICE_MS`) is
used up, and :func:`run_in_slices` resumes it on the next loop turn.

Only code that is safe to pause calls :func:`checkpoint`: between whole
objects of a body, between whole record families of a world.  Whoever
runs a computation in slices must check afterwards that what it read did
not change meanwhile (the loop ran other callbacks in the pauses).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import greenlet

SLICE_MS = 2.0
T = TypeVar("T")


class _Sliced(greenlet.greenlet):  # type: ignore[misc]
    """A computation run by :func:`run_in_slices`; ``deadline`` ends its current slice."""

    deadline = 0.0


def checkpoint() -> None:
    """Pause here if running in slices and the slice is used up; anywhere else, do nothing."""
    current = greenlet.getcurrent()
    if type(current) is _Sliced and time.perf_counter() >= current.deadline:
        current.parent.switch()


#: One sliced computation runs at a time per loop: ten resumed in one loop turn would hold it ten slices.
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def run_in_slices(compute: Callable[[], T]) -> T:
    """``compute()``, run so the loop turns at least every :data:`SLICE_MS` at its checkpoints.

    Computations take their turn first come, first served (the first asked
    is the first done, rather than all of them late).  Its exception, if
    any, is raised here.  Each resume runs a full slice, so the number of
    loop turns is bounded by the computation's own length.
    """
    loop = asyncio.get_running_loop()
    turn = _turns.get(loop)
    if turn is None:
        turn = _turns[loop] = asyncio.Lock()
    async with turn:
        return await _sliced(compute)


async def _sliced(compute: Callable[[], T]) -> T:
    box: list[Any] = []
    runner = _Sliced(lambda: box.append(compute()))
    runner.gr_context = contextvars.copy_context()  # a greenlet starts with an empty one: keep the caller's
    runner.deadline = time.perf_counter() + SLICE_MS / 1000.0
    runner.switch()
    while not runner.dead:
        await asyncio.sleep(0)
        runner.deadline = time.perf_counter() + SLICE_MS / 1000.0
        runner.switch()
    result: T = box[0]
    return result
