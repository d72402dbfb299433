"""Handlers stepped at once (pymockapi.handlers.eager), and the body bound kept beside them."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest

from pymockapi.handlers.eager import Stepper

from support import LiveServer


def test_a_coroutine_that_never_waits_is_done_before_the_stepper_returns() -> None:
    async def scenario() -> Any:
        async def quick() -> int:
            return 7

        stepper = Stepper(quick())
        return stepper.result.done() and stepper.result.result()

    assert asyncio.run(scenario()) == 7


def test_a_stepped_coroutine_goes_on_from_the_future_it_waits_for_and_from_a_bare_yield() -> None:
    async def scenario() -> list[str]:
        seen: list[str] = []
        gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        async def waits() -> str:
            seen.append("before")
            value = await gate
            seen.append(value)
            await asyncio.sleep(0)  # a bare yield: one loop turn
            seen.append("after a turn")
            return "done"

        stepper = Stepper(waits())
        assert seen == ["before"] and not stepper.result.done() and stepper.waiting is gate
        gate.set_result("opened")
        stepper.step()  # by hand, as the body's arrival does: no loop turn needed
        assert seen == ["before", "opened"]
        assert await stepper.result == "done"
        return seen

    assert asyncio.run(scenario()) == ["before", "opened", "after a turn"]


def test_an_error_inside_reaches_the_result_and_a_step_too_early_does_nothing() -> None:
    async def scenario() -> None:
        gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def fails() -> None:
            await gate
            raise ValueError("broken handler")

        stepper = Stepper(fails())
        stepper.step()  # what it waits for is not done: nothing happens
        assert not stepper.result.done()
        gate.set_result(None)
        with pytest.raises(ValueError, match="broken handler"):
            await stepper.result
        stepper.step()  # after the end: nothing happens either

    asyncio.run(scenario())


def test_a_body_that_does_not_arrive_in_time_closes_the_connection_and_answers_others(server: LiveServer) -> None:
    http = server.server.http
    assert http is not None
    http.body_timeout_s = 0.5
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    began = time.monotonic()
    sock.sendall(b"POST /_api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"story\":")
    assert server.call("GET", "/_api/health").status == 200  # the loop is not held meanwhile
    assert sock.recv(1024) == b""  # closed, with nothing half-kept
    assert 0.4 <= time.monotonic() - began <= 3.0
    sock.close()
    assert server.call("POST", "/_api/sessions", {"story": "orbit-saas", "id": "after-slow"}).status == 201
