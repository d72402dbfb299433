"""The answer to a request Tornado cannot parse: SPEC's error shape, and ``Connection: close``.

Tornado answers a malformed request (bad start line, bad header, bad
chunk size) with the bare bytes ``HTTP/1.1 400 Bad Request`` and closes the
connection without saying so; a keep-alive client then sends its next
request into a closed socket and is reset.  :func:`answer_malformed_properly`
wraps a connection's stream so that this one write becomes a complete
answer: a JSON error body, its length, and ``Connection: close``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tornado.iostream import IOStream

from pymockapi.errors import BadRequest, error_body
from pymockapi.render.serialize import to_json

#: What Tornado's HTTP/1 connection writes for a request it cannot parse.
TORNADO_MALFORMED = b"HTTP/1.1 400 Bad Request\r\n\r\n"


def malformed_answer() -> bytes:
    body = to_json(error_body(BadRequest("The request is not valid HTTP.",
                                         "Check the request line, the headers and any chunk sizes.",
                                         code="malformed_request")))
    head = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=UTF-8\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
    return head + body


MALFORMED_ANSWER = malformed_answer()


def answer_malformed_properly(stream: IOStream) -> None:
    """Make ``stream``'s bare malformed-request answer a complete one (every other write unchanged)."""
    write: Callable[..., Any] = stream.write

    def write_answer(data: Any, *args: Any, **kwargs: Any) -> Any:
        if data == TORNADO_MALFORMED:  # compares the length first: free for every other write
            data = MALFORMED_ANSWER
        return write(data, *args, **kwargs)

    stream.write = write_answer  # type: ignore[method-assign]
