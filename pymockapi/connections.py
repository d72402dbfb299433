"""The server's connections under pressure: requests in flight at shutdown, and running out of descriptors.

Tornado's ``close_all_connections`` closes every connection at once, so a
SIGTERM used to cut the requests still being read or answered.  The
:class:`InFlight` tally counts a request from its headers to the last
byte of its answer (or its WebSocket upgrade), so a stop can wait for
exactly those and close the idle keep-alive connections afterwards.

Tornado's accept loop raises on ``EMFILE``: with every descriptor taken
the listening socket stays readable, so the loop spins and logs a
traceback per turn (megabytes a second) while nobody is served.
:func:`accept_with_backoff` stops listening for a moment instead, with
one log line per interval, and listens again; requests already accepted
carry on.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import time
from collections.abc import Callable
from typing import Any

from tornado import httputil
from tornado.ioloop import IOLoop

log = logging.getLogger("pymockapi.connections")

#: Errors of ``accept`` that mean "no descriptors or memory now": wait, do not spin.
EXHAUSTED = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
#: Back-off of the accept loop: first and longest pause, and how often it may be logged.
FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 1.0
LOG_EVERY_S = 10.0
#: Connections accepted per readiness event (Tornado's own bound).
ACCEPTS_PER_EVENT = 128


class InFlight:
    """How many requests are between their headers and the end of their answer."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def begin(self) -> None:
        self.count += 1
        self._idle.clear()

    def end(self) -> None:
        self.count = max(0, self.count - 1)
        if not self.count:
            self._idle.set()

    async def drained(self, timeout_s: float) -> bool:
        """Wait until no request is in flight (True), or ``timeout_s`` passed (False)."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            return False
        return True


class Tracked(httputil.HTTPMessageDelegate):
    """A request delegate that tells the tally when its request begins and when its answer is done."""

    def __init__(self, inner: httputil.HTTPMessageDelegate, connection: httputil.HTTPConnection,
                 tally: InFlight) -> None:
        self.inner = inner
        self.connection = connection
        self.tally = tally
        self.open = False

    def headers_received(self, start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
                         headers: httputil.HTTPHeaders) -> Any:
        self.open = True
        self.tally.begin()
        conn: Any = self.connection
        for name in ("finish", "detach"):  # the answer is written, or the stream goes to a WebSocket
            method = getattr(conn, name, None)
            if method is not None:
                setattr(conn, name, self._ending(method))
        return self.inner.headers_received(start_line, headers)

    def _ending(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def ended(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            finally:
                self._end()

        return ended

    def _end(self) -> None:
        if self.open:
            self.open = False
            self.tally.end()

    def data_received(self, chunk: bytes) -> Any:
        return self.inner.data_received(chunk)

    def finish(self) -> None:
        self.inner.finish()

    def on_connection_close(self) -> None:
        self._end()
        self.inner.on_connection_close()


def accept_with_backoff(sock: socket.socket, callback: Callable[[socket.socket, Any], None]) -> Callable[[], None]:
    """Tornado's ``add_accept_handler``, pausing (not spinning) when descriptors run out.

    Returns the function that stops accepting (as Tornado's does).
    """
    io_loop = IOLoop.current()
    state: dict[str, Any] = {"removed": False, "timer": None, "pause": FIRST_PAUSE_S, "logged": -LOG_EVERY_S}

    def accept(fd: Any, events: int) -> None:
        for _ in range(ACCEPTS_PER_EVENT):
            if state["removed"]:
                return
            try:
                connection, address = sock.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                if exc.errno not in EXHAUSTED:
                    raise
                rest(exc)
                return
            state["pause"] = FIRST_PAUSE_S
            callback(connection, address)

    def rest(exc: OSError) -> None:
        io_loop.remove_handler(sock)
        pause = state["pause"]
        now = time.monotonic()
        if now - state["logged"] >= LOG_EVERY_S:
            state["logged"] = now
            log.warning("cannot accept connections (%s): pausing new connections for up to %.1f s at a time; "
                        "requests already accepted go on", exc.strerror or exc, LONGEST_PAUSE_S)
        state["pause"] = min(pause * 2, LONGEST_PAUSE_S)
        state["timer"] = io_loop.call_later(pause, listen_again)

    def listen_again() -> None:
        state["timer"] = None
        if not state["removed"]:
            io_loop.add_handler(sock, accept, IOLoop.READ)

    def remove() -> None:
        state["removed"] = True
        if state["timer"] is not None:
            io_loop.remove_timeout(state["timer"])
            state["timer"] = None
        else:
            io_loop.remove_handler(sock)

    io_loop.add_handler(sock, accept, IOLoop.READ)
    return remove
