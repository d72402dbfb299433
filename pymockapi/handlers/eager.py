"""Run our request handlers at once, in the callback that read the request, not a loop turn later.

Measured under the benchmark's load (memoised demo GETs answered straight
off the connection): a configuration call such as an annotation POST took
13-15 ms at p50 although its handler ran for 0.6 ms.  Tornado starts every
handler as an asyncio Task, and the handler waits for its streamed body
through a Future: each is a hop to the back of the loop's queue, and under
load every loop turn serves all busy connections first.  Our handlers are
synchronous (one only awaits while it generates a cold list in slices), so
:class:`EagerDelegate` steps the handler's coroutine itself: to its end at
once when it does not wait, and on from the very callback that completes
the body when it waits for it.  Anything else a handler awaits resumes
from that future's callback, as a Task would.

WebSocket handlers keep Tornado's own delegate (their upgrade awaits
streams and timers that expect a real Task).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import Any

import tornado.web
from tornado.concurrent import future_set_result_unless_cancelled


class Stepper:
    """Drives one coroutine without a Task: each step runs when what it awaits is done."""

    def __init__(self, coro: Coroutine[Any, Any, Any]) -> None:
        self.coro = coro
        self.result: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting: asyncio.Future[Any] | None = None
        self.step()

    def step(self) -> None:
        """Resume the coroutine if what it waits for is done; run it to its next real wait or its end."""
        if self.result.done() or (self.waiting is not None and not self.waiting.done()):
            return
        while True:
            try:
                yielded = self.coro.send(None)
            except StopIteration as stop:
                self.waiting = None
                self.result.set_result(stop.value)
                return
            except BaseException as exc:  # handed to whoever reads the result, as a Task would
                self.waiting = None
                self.result.set_exception(exc)
                return
            if yielded is None:  # a bare yield (asyncio.sleep(0)): let the loop turn once
                self.waiting = None
                asyncio.get_running_loop().call_soon(self.step)
                return
            yielded._asyncio_future_blocking = False
            self.waiting = yielded
            if not yielded.done():
                yielded.add_done_callback(self._woken)
                return

    def _woken(self, future: asyncio.Future[Any]) -> None:
        if self.waiting is future:  # not already stepped past it by hand
            self.step()


class EagerDelegate(tornado.web._HandlerDelegate):
    """Tornado's handler delegate, with the handler stepped eagerly (see the module's docstring)."""

    stepper: Stepper | None = None

    def execute(self) -> Awaitable[None] | None:
        self.handler = self.handler_class(self.application, self.request, **self.handler_kwargs)
        transforms = [t(self.request) for t in self.application.transforms]
        if self.stream_request_body:
            self.handler._prepared_future = asyncio.get_running_loop().create_future()  # type: ignore[assignment]
        self.stepper = Stepper(self.handler._execute(transforms, *self.path_args, **self.path_kwargs))
        self.stepper.result.add_done_callback(lambda f: f.cancelled() or f.result())
        return self.handler._prepared_future

    def finish(self) -> None:
        if not self.stream_request_body:
            super().finish()
            return
        body = self.request._body_future
        future_set_result_unless_cancelled(body, None)
        if self.stepper is not None and self.stepper.waiting is body:
            self.stepper.step()  # the handler goes on now, not a loop turn later
