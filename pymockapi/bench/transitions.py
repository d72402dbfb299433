"""Transition latency: ``advance`` sent -> ``waypoint`` event received by every WebSocket client.

Each session gets ``clients`` real WebSocket connections.  The sessions
are paused first, so only the benchmark moves them (timers stay frozen,
and SPEC lets advance work while paused).  A round resets every session,
then walks each one through its story with ``{"op": "advance"}`` sent by
its first client, one advance in flight at a time while every client of
every session stays connected; a sample is the time from sending to the
moment the last of that session's clients has the ``waypoint`` event.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tornado.websocket import WebSocketClientConnection, websocket_connect

from pymockapi.percentiles import summarize

#: How long one advance may take to reach every client before it counts as failed.
STEP_TIMEOUT_S = 5.0
ADVANCE = json.dumps({"op": "advance"})

#: ``(method, path) -> (status, JSON)``.
Call = Callable[[str, str], Awaitable[tuple[int, Any]]]


@dataclass
class Tracker:
    """Arrivals of the next ``waypoint`` event at the clients of one session."""

    clients: int
    arrivals: list[float] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def arm(self) -> None:
        self.arrivals.clear()
        self.done.clear()

    def arrived(self, at: float) -> None:
        self.arrivals.append(at)
        if len(self.arrivals) >= self.clients:
            self.done.set()


async def _listen(conn: WebSocketClientConnection, tracker: Tracker) -> None:
    """Read frames until the connection closes; note each ``waypoint`` event's arrival."""
    while True:
        message = await conn.read_message()
        if message is None:
            return
        if json.loads(message).get("event") == "waypoint":
            tracker.arrived(time.perf_counter())


CLOSE_TIMEOUT_S = 2.0


@dataclass
class Room:
    """One session with its connected clients and their listeners."""

    session: str
    steps: int
    tracker: Tracker
    conns: list[WebSocketClientConnection]
    tasks: list[asyncio.Task[None]]

    async def step(self, send: Callable[[], Any]) -> float | None:
        """Run ``send`` and wait until every client has the waypoint: the ms it took, or None on timeout."""
        self.tracker.arm()
        started = time.perf_counter()
        send()
        try:
            await asyncio.wait_for(self.tracker.done.wait(), STEP_TIMEOUT_S)
        except TimeoutError:
            return None
        return (max(self.tracker.arrivals) - started) * 1000.0

    async def close(self) -> None:
        """Close every client and wait (bounded) for the handshakes, so no socket outlives the bench."""
        for conn in self.conns:
            conn.close()
        await asyncio.wait(self.tasks, timeout=CLOSE_TIMEOUT_S)  # each listener ends when its socket closes
        for task in self.tasks:
            task.cancel()


async def open_room(ws_base: str, session: str, steps: int, clients: int) -> Room:
    conns = await asyncio.gather(*(websocket_connect(f"{ws_base}/_api/sessions/{session}/ws")
                                   for _ in range(clients)))
    for conn in conns:  # the client's frames go out at once (Nagle would hold them for a delayed ACK)
        if conn.protocol is not None:
            conn.protocol.set_nodelay(True)
    tracker = Tracker(clients)
    tasks = [asyncio.ensure_future(_listen(c, tracker)) for c in conns]
    return Room(session, steps, tracker, list(conns), tasks)


async def measure_transitions(call: Call, ws_base: str, sessions: Sequence[tuple[str, int]], clients: int,
                              rounds: int) -> dict[str, Any]:
    """``sessions`` are (id, waypoint count); returns the transition summary with failures counted."""
    for session, _ in sessions:
        status, _body = await call("POST", f"/_api/sessions/{session}/pause")
        if status != 200:
            raise RuntimeError(f"pausing {session} answered {status}")
    rooms = [await open_room(ws_base, s, max(0, n - 1), clients) for s, n in sessions]
    samples: list[float] = []
    failures = 0
    try:
        for _ in range(rounds):
            for room in rooms:
                path = f"/_api/sessions/{room.session}/reset"
                reset: list[Awaitable[tuple[int, Any]]] = []
                if await room.step(lambda reset=reset, path=path: reset.append(  # type: ignore[misc]
                        asyncio.ensure_future(call("POST", path)))) is None:
                    failures += 1
                await asyncio.gather(*reset)
                for _step in range(room.steps):
                    took = await room.step(lambda room=room: room.conns[0].write_message(ADVANCE))  # type: ignore[misc]
                    if took is None:
                        failures += 1
                    else:
                        samples.append(took)
    finally:
        for room in rooms:
            await room.close()
    summary = summarize(samples)
    return {**summary, "failures": failures, "sessions": len(rooms), "clients_per_session": clients,
            "rounds": rounds}
