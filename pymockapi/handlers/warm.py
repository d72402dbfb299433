"""Generate a big list's records a slice at a time, so one request never stalls the loop.

A first request for a list of forty patients means forty record families
(~20-40 ms of generation).  Done in one go it would hold every other
request and WebSocket event behind it; here the handler yields to the loop
every few milliseconds, so a persona page or a presenter cue in the
meantime is answered at once.  Generation is deterministic and idempotent,
so whatever the world looks like after a yield, the result is the same.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

SLICE_MS = 2.0


async def materialise_in_slices(world_of: Callable[[], Any], record_type: str, owner_id: str | None = None) -> None:
    """Materialise every family ``record_type`` needs; ``world_of`` is re-read after each yield."""
    started = time.perf_counter()
    for kind, index in world_of().missing_families(record_type, owner_id):
        world_of().materialise(kind, index)
        if (time.perf_counter() - started) * 1000 >= SLICE_MS:
            await asyncio.sleep(0)
            started = time.perf_counter()

