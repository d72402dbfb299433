"""The base of every JSON handler: body limits, auth, and the one error mapping."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any

import tornado.web

from pymockapi.context import AppContext
from pymockapi.engine.calls import json_object
from pymockapi.errors import (
    BadRequest,
    InvalidField,
    NotFound,
    PayloadTooLarge,
    PyMockAPIError,
    Unauthorized,
    error_body,
)
from pymockapi.render.serialize import to_json

log = logging.getLogger("pymockapi.http")
JSON_TYPE = "application/json; charset=UTF-8"


def bearer_ok(ctx: AppContext, header: str | None, query_token: str | None = None) -> bool:
    """Whether a request carries the server's token (always true when none is required)."""
    if ctx.token is None:
        return True
    given = query_token
    if header and header.lower().startswith("bearer "):
        given = header[7:].strip()
    return given is not None and hmac.compare_digest(given.encode(), ctx.token.encode())


@tornado.web.stream_request_body
class BaseHandler(tornado.web.RequestHandler):
    """Streams the body so oversized requests get a 413 before they are read."""

    requires_token = True

    def initialize(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._etag: str | None = None
        self._chunks: list[bytes] = []
        self._size = 0
        self._too_large = False

    def prepare(self) -> None:
        if self.requires_token and not bearer_ok(self.ctx, self.request.headers.get("Authorization")):
            raise Unauthorized("A bearer token is required.",
                               "Send 'Authorization: Bearer <token>' with the token printed at start.")
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.ctx.max_body:
            raise self._payload_error()

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.ctx.max_body:
            self._too_large = True
            self._chunks.clear()
        elif not self._too_large:
            self._chunks.append(chunk)

    def _payload_error(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"Request body is larger than {self.ctx.max_body} bytes.",
                               "Send a smaller body, or start the server with a larger --max-body.")

    def body(self) -> bytes:
        if self._too_large:
            raise self._payload_error()
        return b"".join(self._chunks)

    def json_body(self, *, required: bool = True) -> dict[str, Any]:
        """The request body as a JSON object: 400 when it is not JSON, 422 when not an object."""
        return json_object(self.body(), required=required)

    def send_json(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", JSON_TYPE)
        self.finish(to_json(value))

    def compute_etag(self) -> str | None:
        """No hashing of every body: API answers change with every call anyway."""
        return None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        error = as_api_error(exc, status_code)
        self.set_status(error.status)
        self.set_header("Content-Type", JSON_TYPE)
        self.finish(to_json(error_body(error)))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, (PyMockAPIError, tornado.web.HTTPError)):
            log.info("%s %s -> %s", self.request.method, self.request.uri, getattr(value, "message", value))
        else:
            super().log_exception(typ, value, tb)


def as_api_error(exc: BaseException | None, status_code: int) -> PyMockAPIError:
    """Every failure as SPEC's error; unknown ones as a 500 without a traceback."""
    if isinstance(exc, PyMockAPIError):
        return exc
    if isinstance(exc, tornado.web.HTTPError):
        if exc.status_code == 405:
            return PyMockAPIError("Method not allowed here.", "See GET /_api/openapi.json for the routes.",
                                  code="method_not_allowed", status=405)
        if exc.status_code == 404:
            return NotFound("No such route.", "See GET /_api/openapi.json for the routes.", code="route_not_found")
        return BadRequest(exc.log_message or "Bad request.", "Check the request.", status=exc.status_code)
    if status_code < 500:
        return PyMockAPIError("Bad request.", "Check the request.", status=status_code)
    return PyMockAPIError("The server failed to answer this request.",
                          "This is a bug in PyMockAPI; the server keeps running.",
                          code="internal_error", status=500)


class NotFoundHandler(BaseHandler):
    """Every unknown path: a JSON 404, never Tornado's HTML page."""

    requires_token = False

    def prepare(self) -> None:
        raise NotFound(f"No route for {self.request.path}.",
                       "Config API under /_api (see /_api/openapi.json); demo endpoints under /demo/{session}/...",
                       code="route_not_found")


def fields(body: Mapping[str, Any], spec: Mapping[str, tuple[type | tuple[type, ...], bool]]) -> dict[str, Any]:
    """Check a body's fields by type; 422 naming the field for anything wrong or unknown."""
    out: dict[str, Any] = {}
    for key in body:
        if key not in spec:
            raise InvalidField(f"Unknown field '{key}'.", f"Allowed fields: {', '.join(spec)}.", field=key)
    for key, (kinds, required) in spec.items():
        if key not in body or body[key] is None:
            if required:
                raise InvalidField(f"Field '{key}' is required.", f"Allowed fields: {', '.join(spec)}.", field=key)
            continue
        value = body[key]
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise InvalidField(f"Field '{key}' has the wrong type (boolean).", _type_hint(kinds), field=key)
        if not isinstance(value, kinds):
            raise InvalidField(f"Field '{key}' has the wrong type ({type(value).__name__}).", _type_hint(kinds),
                               field=key)
        out[key] = value
    return out


def _type_hint(kinds: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", dict: "an object", list: "a list"}
    group = kinds if isinstance(kinds, tuple) else (kinds,)
    return "Expected " + " or ".join(names.get(k, k.__name__) for k in group) + "."
