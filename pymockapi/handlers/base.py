"""The base of every JSON handler: body limits, auth, and the one error mapping."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any

import tornado.web

from pymockapi.context import AppContext
from pymockapi.errors import (
    BadRequest,
    InvalidField,
    InvalidJSON,
    NotFound,
    PayloadTooLarge,
    PyMockAPIError,
    Unauthorized,
    error_body,
    quoted,
)
from pymockapi.handlers.access_log import request_line
from pymockapi.handlers.origins import CONFIG_HEADERS, CONFIG_METHODS, PREFLIGHT_MAX_AGE_S, origin_allowed, refused
from pymockapi.inputs import check_id, check_recorder_url, check_seed, parse_json, parse_url
from pymockapi.recording.link import Recorders
from pymockapi.redact import redact_url, scrub, url_secrets
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
    #: Whether a browser's ``Origin`` must be the server's own or an ``--allow-origin`` one (the config API).
    checks_origin = True

    def initialize(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._etag: str | None = None
        self._chunks: list[bytes] = []
        self._size = 0
        self._too_large = False

    def prepare(self) -> None:
        """The door: origin, token, body size and every id in the path, before anything is read or done."""
        if self.checks_origin:
            self.check_origin()
        preflight = self.request.method == "OPTIONS"  # a browser never sends credentials on a preflight
        if self.requires_token and not preflight and not bearer_ok(self.ctx, self.request.headers.get("Authorization")):
            raise Unauthorized("A bearer token is required.",
                               "Send 'Authorization: Bearer <token>' with the token printed at start.")
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.ctx.max_body:
            raise self._payload_error()
        self.check_path_ids()

    def check_path_ids(self) -> None:
        """Each id named in the path: at most 256 characters of printable text (SPEC Security)."""
        for arg in self.path_args:
            if arg is not None:  # an optional group of the route that the path left out
                check_id(arg, "id in the path")

    def check_origin(self) -> None:
        """A browser request from a foreign origin: 403; an allowed one gets its CORS headers."""
        origin = self.request.headers.get("Origin")
        if origin is None:
            return
        if not origin_allowed(origin, self.request.host, self.ctx.allow_origins):
            raise refused(origin)
        self._cors_origin = origin
        self.set_default_headers()

    def set_default_headers(self) -> None:
        """CORS headers for an allowed origin, also on error answers (Tornado resets headers before those)."""
        origin = getattr(self, "_cors_origin", None)
        if origin is not None:
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Vary", "Origin")

    def options(self, *args: str) -> None:
        """A CORS preflight from an allowed origin (the origin check ran in :meth:`prepare`)."""
        if self.request.headers.get("Origin") is None:
            raise tornado.web.HTTPError(405)
        self.set_status(204)
        self.set_header("Access-Control-Allow-Methods", CONFIG_METHODS)
        self.set_header("Access-Control-Allow-Headers", CONFIG_HEADERS)
        self.set_header("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_S))
        self.finish()

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
        """The request body as a JSON object, checked at the door (depth, numbers, text).

        400 when it is not JSON or breaks a limit, 422 when it is not an object.
        """
        raw = self.body()
        if not raw.strip():
            if required:
                raise InvalidJSON("The request body is empty.", "Send a JSON object.")
            return {}
        value = parse_json(raw)
        if not isinstance(value, dict):
            raise InvalidField(f"Expected a JSON object, got {type(value).__name__}.",
                               "Wrap the fields in {...}.", field="body")
        return value

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
        if self.closes_after_answer():
            self.set_header("Connection", "close")
        self.finish(to_json(scrubbed(error_body(error), url_secrets(self.request.uri or ""))))

    def closes_after_answer(self) -> bool:
        """Whether Tornado will close the connection after this answer: the body was not read to its end.

        Tornado then closes without saying so, and a keep-alive client's next
        request on the connection is reset; SPEC wants ``Connection: close``.
        """
        body_read = getattr(self.request, "_body_future", None)
        return body_read is not None and not body_read.done()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, (PyMockAPIError, tornado.web.HTTPError)):
            message = str(getattr(value, "message", value))
            log.info("%s -> %s", request_line(self), scrub(message, url_secrets(self.request.uri or "")))
        else:
            log.error("Uncaught exception %s", request_line(self), exc_info=(typ, value, tb))


def scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (an error body) with every string scrubbed of ``secrets``."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: scrubbed(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrubbed(v, secrets) for v in value]
    return value


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
        message = quoted(exc.log_message or "Bad request.")
        if message.startswith("Invalid unicode"):  # Tornado's words for a path that is not UTF-8
            return BadRequest(message, "Percent-encode UTF-8 text in the path.", code="invalid_text")
        return BadRequest(message, "Check the request.", status=exc.status_code)
    if status_code < 500:
        return PyMockAPIError("Bad request.", "Check the request.", status=status_code)
    return PyMockAPIError("The server failed to answer this request.",
                          "This is a bug in PyMockAPI; the server keeps running.",
                          code="internal_error", status=500)


class NotFoundHandler(BaseHandler):
    """Every unknown path: a JSON 404, never Tornado's HTML page."""

    requires_token = False

    def prepare(self) -> None:
        raise NotFound(f"No route for {quoted(redact_url(self.request.path))}.",
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


def check_session_fields(body: Mapping[str, Any], recorder_hosts: frozenset[str]) -> None:
    """A new session's fields at the door: id and story length, seed range, the recorder's host."""
    for name in ("story", "id"):
        if isinstance(body.get(name), str):
            check_id(body[name], name)
    if isinstance(body.get("seed"), int):
        check_seed(body["seed"])
    if isinstance(body.get("recorder"), str):
        parse_url(body["recorder"], "recorder")  # cannot raise anything but a 400
        Recorders.check(body["recorder"])  # a scheme this server drives
        check_recorder_url(body["recorder"], recorder_hosts)


def _type_hint(kinds: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", dict: "an object", list: "a list"}
    group = kinds if isinstance(kinds, tuple) else (kinds,)
    return "Expected " + " or ".join(names.get(k, k.__name__) for k in group) + "."
