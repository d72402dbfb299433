"""The accept loop under descriptor exhaustion, in-process: pause, one log line, listen again, stop."""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from typing import Any

import pytest

from pymockapi.connections import accept_with_backoff


class Exhausted(socket.socket):
    """A real listening socket whose first ``refusals`` accepts fail as the kernel does at the fd limit."""

    refusals = 0

    def accept(self) -> tuple[socket.socket, Any]:
        if self.refusals:
            self.refusals -= 1
            raise OSError(errno.EMFILE, "Too many open files")
        return super().accept()


def listening(refusals: int) -> Exhausted:
    sock = Exhausted(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    sock.refusals = refusals
    return sock


def test_out_of_descriptors_pauses_logs_once_and_takes_the_connection_later(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> list[Any]:
        sock = listening(refusals=3)
        accepted: list[Any] = []
        stop = accept_with_backoff(sock, lambda conn, address: accepted.append(conn))
        client = socket.create_connection(sock.getsockname(), timeout=2)
        for _ in range(100):  # bounded: 3 refusals back off 50 + 100 + 200 ms
            if accepted:
                break
            await asyncio.sleep(0.02)
        stop()
        client.close()
        for conn in accepted:
            conn.close()
        sock.close()
        return accepted

    with caplog.at_level(logging.WARNING, logger="pymockapi.connections"):
        accepted = asyncio.run(scenario())
    assert len(accepted) == 1
    assert sum("cannot accept connections" in r.getMessage() for r in caplog.records) == 1


def test_stopping_while_paused_does_not_listen_again() -> None:
    async def scenario() -> bool:
        sock = listening(refusals=1000)
        accepted: list[Any] = []
        stop = accept_with_backoff(sock, lambda conn, address: accepted.append(conn))
        client = socket.create_connection(sock.getsockname(), timeout=2)
        await asyncio.sleep(0.1)  # refused, now pausing
        stop()
        sock.refusals = 0
        await asyncio.sleep(0.3)  # the pause would be over: nothing listens any more
        client.close()
        sock.close()
        return not accepted

    assert asyncio.run(scenario())


def test_other_accept_errors_are_not_swallowed() -> None:
    class Broken(Exhausted):
        def accept(self) -> tuple[socket.socket, Any]:
            raise OSError(errno.EINVAL, "Invalid argument")

    async def scenario() -> None:
        sock = Broken(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        errors: list[BaseException] = []
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: errors.append(context.get("exception")))
        stop = accept_with_backoff(sock, lambda conn, address: None)
        client = socket.create_connection(sock.getsockname(), timeout=2)
        await asyncio.sleep(0.05)
        stop()
        client.close()
        sock.close()
        assert errors and isinstance(errors[0], OSError)

    asyncio.run(scenario())
