"""Keep Python's cyclic garbage collector from pausing the demo.

A world is thousands of small, long-lived, acyclic dicts.  A full
collection walks every one of them to find nothing, and on a busy server
that is a 20-60 ms stall -- a dropped frame in a recording, a late cue.
So every few seconds the young generations are collected (cheap: they hold
the short-lived request garbage) and what survived is frozen out of the
collector's sight; reference counting still frees it when its world goes
(a deleted session cuts its own reference cycles so that it does).
"""

from __future__ import annotations

import gc

from tornado.ioloop import PeriodicCallback

SETTLE_EVERY_MS = 2_000


class HeapKeeper:
    def __init__(self, every_ms: float = SETTLE_EVERY_MS) -> None:
        self._timer = PeriodicCallback(self.settle, every_ms)

    def start(self) -> None:
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 10, 1_000)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @staticmethod
    def settle() -> None:
        """Collect the young generations, then freeze the survivors."""
        gc.collect(1)
        gc.freeze()
