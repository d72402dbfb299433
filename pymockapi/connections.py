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


class IdleWatch:
    """Closes a connection that has no request open for ``timeout_s`` (idle keep-alive, or a head that
    trickles in and never ends: slowloris).

    Tornado's own header timeout wraps every read of a request head in a
    second future, one more loop turn per request under load; one timer per
    connection, moved when a request begins and ends, costs microseconds.
    """

    def __init__(self, stream: Any, timeout_s: float) -> None:
        self.stream = stream
        self.timeout_s = timeout_s
        self._timer: object | None = None
        self.idle()

    def busy(self) -> None:
        """A request has begun: no bound while it is read and answered (the body has its own)."""
        if self._timer is not None:
            IOLoop.current().remove_timeout(self._timer)
            self._timer = None

    def idle(self) -> None:
        """No request open: the next one's head must be complete within ``timeout_s``."""
        self.busy()
        if not self.stream.closed():
            self._timer = IOLoop.current().call_later(self.timeout_s, self._expired)

    def _expired(self) -> None:
        self._timer = None
        if not self.stream.closed():
            self.stream.close()


class Tracked(httputil.HTTPMessageDelegate):
    """A request delegate that tells the tally when its request begins and when its answer is done.

    It also bounds the time a body may take to arrive (``body_timeout_s``):
    Tornado's own body timeout runs the body read as a separate Task, one
    more loop turn for every POST under load, so the bound is kept here
    with one timer, only for requests that have a body.
    """

    def __init__(self, inner: httputil.HTTPMessageDelegate, connection: httputil.HTTPConnection,
                 tally: InFlight, body_timeout_s: float, watch: IdleWatch | None = None) -> None:
        self.inner = inner
        self.watch = watch
        self.connection = connection
        self.tally = tally
        self.body_timeout_s = body_timeout_s
        self.open = False
        self._overdue: object | None = None

    def headers_received(self, start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
                         headers: httputil.HTTPHeaders) -> Any:
        self.open = True
        self.tally.begin()
        if self.watch is not None:
            self.watch.busy()
        if headers.get("Content-Length", "0") not in ("0", "") or "Transfer-Encoding" in headers:
            self._overdue = IOLoop.current().call_later(self.body_timeout_s, self._body_overdue)
        conn: Any = self.connection
        for name, watch_again in (("finish", True), ("detach", False)):  # answered, or now a WebSocket's
            method = getattr(conn, name, None)
            if method is not None:
                setattr(conn, name, self._ending(method, watch_again))
        return self.inner.headers_received(start_line, headers)

    def _ending(self, method: Callable[..., Any], watch_again: bool) -> Callable[..., Any]:
        def ended(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            finally:
                self._end()
                if watch_again and self.watch is not None:
                    self.watch.idle()

        return ended

    def _end(self) -> None:
        self._body_arrived()
        if self.open:
            self.open = False
            self.tally.end()

    def _body_arrived(self) -> None:
        if self._overdue is not None:
            IOLoop.current().remove_timeout(self._overdue)
            self._overdue = None

    def _body_overdue(self) -> None:
        self._overdue = None
        log.info("closing a connection whose request body took longer than %.0f s", self.body_timeout_s)
        self.connection.close()  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> Any:
        return self.inner.data_received(chunk)

    def finish(self) -> None:
        self._body_arrived()
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
