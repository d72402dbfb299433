"""A demo GET whose body is already memoised, answered without building a RequestHandler.

Why: nearly every request of a demo is a GET the front-end has made
before, and its rendered body is waiting in the world's memo.  For those,
Tornado's RequestHandler machinery (handler object, coroutine wrapper,
header bookkeeping) costs more than finding and writing the body; the
profile of the benchmark's main load put it at a third of the server's
time.  :func:`memo_delegate` answers them straight on the HTTP connection
with the same status, headers and bytes the :class:`DemoHandler` sends,
and fires the same endpoint-triggered waypoint.  Anything else (a cold
body, a conditional request, a body on a GET, any error) goes to the
handler, so there is still one place that decides what a demo call means.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.client import responses as REASONS
from typing import Any

import tornado
from tornado import httputil
from tornado.escape import url_unescape

from pymockapi.context import AppContext
from pymockapi.engine.calls import Answer, DemoCall
from pymockapi.errors import PyMockAPIError

PREFIX = "/demo/"
SERVER_HEADER = f"TornadoServer/{tornado.version}"
#: Request headers that need the full handler (conditional GETs, bodies).
NEEDS_HANDLER = ("If-None-Match", "Content-Length", "Transfer-Encoding")


class HttpDate:
    """The ``Date`` header, formatted once a second rather than once a request."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._second = -1
        self._text = ""

    def now(self) -> str:
        second = int(self._clock())
        if second != self._second:
            self._second, self._text = second, httputil.format_timestamp(second)
        return self._text


http_date = HttpDate()


class MemoReply(httputil.HTTPMessageDelegate):
    """Writes one memoised answer when the request is complete, then tells the session it was called."""

    def __init__(self, ctx: AppContext, request: httputil.HTTPServerRequest, call: DemoCall, answer: Answer) -> None:
        self.ctx = ctx
        self.request = request
        self.call = call
        self.answer = answer

    def finish(self) -> None:
        status, content_type, body, etag = self.answer[:4]
        headers = httputil.HTTPHeaders()
        headers["Server"] = SERVER_HEADER
        headers["Content-Type"] = content_type
        headers["Date"] = http_date.now()
        headers["Access-Control-Allow-Origin"] = "*"
        if status == 200:
            headers["Etag"] = etag
        for name, value in self.answer.headers:
            headers[name] = value
        headers["Content-Length"] = str(len(body))
        connection = self.request.connection
        assert connection is not None
        connection.write_headers(httputil.ResponseStartLine("", status, REASONS.get(status, "Unknown")),
                                 headers, body)
        connection.finish()
        request = self.request
        path = request.path[len(PREFIX):].partition("/")[2]
        self.call.session.record_request("GET", "/" + _unquote(path) + (f"?{request.query}" if request.query else ""),
                                         status, request.request_time() * 1000.0)


def memo_delegate(ctx: AppContext, request: httputil.HTTPServerRequest) -> MemoReply | None:
    """A :class:`MemoReply` when this request is a plain GET of a memoised demo body, else None."""
    if request.method != "GET" or not request.path.startswith(PREFIX):
        return None
    headers = request.headers
    if any(name in headers for name in NEEDS_HANDLER):
        return None
    session_part, slash, rest = request.path[len(PREFIX):].partition("/")
    if not slash or not session_part:
        return None
    try:
        call = ctx.calls.resolve("GET", _unquote(session_part), _unquote(rest), headers.get("Accept"),
                                 request.query_arguments)
    except (PyMockAPIError, UnicodeDecodeError):
        return None  # the handler answers with the error
    answer = ctx.calls.memoised(call)
    if answer is None or ctx.calls.triggers(call) or call.session.faults or ctx.calls.latency_ms(call):
        return None  # a call that moves the story is stored before it is answered; a fault may be waiting
    api = call.endpoint.api
    if api is not None and api.checks_headers:  # the memo key has no headers: check the required ones here
        try:
            api.check(call.params, request.query_arguments, headers, headers.get("Content-Type"), b"")
        except PyMockAPIError:
            return None  # the handler answers with the documented error
    return MemoReply(ctx, request, call, answer)


def _unquote(part: str) -> str:
    """A path segment decoded as Tornado decodes the handler's path arguments."""
    decoded: Any = url_unescape(part, encoding=None, plus=False)
    return str(decoded.decode("utf-8"))
