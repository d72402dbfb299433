"""The presenter WebSocket: ``/_api/sessions/{id}/ws``.

Every client of a session gets the session's events in publish order (the
hub is synchronous on the one IOLoop).  A bad frame is answered with an
``error`` event to that client only; the connection stays open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import tornado.websocket

from pymockapi.context import AppContext
from pymockapi.engine.commands import CommandName, command_named
from pymockapi.errors import BadRequest, InvalidField, PyMockAPIError, error_body
from pymockapi.handlers.base import JSON_TYPE, as_api_error, bearer_ok
from pymockapi.handlers.origins import origin_allowed, refused
from pymockapi.inputs import check_id, parse_json
from pymockapi.render.serialize import to_json

log = logging.getLogger("pymockapi.ws")
MAX_FRAME = 64 * 1024


class SessionSocket(tornado.websocket.WebSocketHandler):
    def initialize(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._unsubscribe: Callable[[], None] | None = None

    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Refuse before the upgrade with SPEC's JSON errors (403 foreign origin, 401, 404, 400 no upgrade)."""
        try:
            origin = self.request.headers.get("Origin")
            if origin is not None and not origin_allowed(origin, self.request.host, self.ctx.allow_origins):
                raise refused(origin)
            check_id(args[0], "session id")
            if not bearer_ok(self.ctx, self.request.headers.get("Authorization"),
                             self.get_query_argument("token", None)):
                raise PyMockAPIError("A bearer token is required.", "Add ?token=<token> to the WebSocket URL.",
                                     code="unauthorized", status=401)
            self.ctx.sessions.get(args[0])
            if self.request.headers.get("Upgrade", "").lower() != "websocket":
                url = f"{'wss' if self.request.protocol == 'https' else 'ws'}://{self.request.host}{self.request.path}"
                raise BadRequest("This URL is the session's presenter WebSocket; a plain HTTP request cannot use it.",
                                 f"Connect with a WebSocket client ({url}); "
                                 f"GET /_api/sessions/{args[0]} gives the session as JSON.",
                                 code="websocket_upgrade_required")
        except PyMockAPIError as exc:
            self.set_status(exc.status)
            self.set_header("Content-Type", JSON_TYPE)
            self.finish(to_json(error_body(exc)))
            return
        await super().get(*args, **kwargs)

    def check_origin(self, origin: str) -> bool:
        """Only the server's own origin and ``--allow-origin`` ones (refused with SPEC's 403 in :meth:`get`)."""
        return origin_allowed(origin, self.request.host, self.ctx.allow_origins)

    def open(self, session_id: str) -> None:
        self.session_id = session_id
        self.set_nodelay(True)  # events are small and must not wait for the peer's delayed ACK
        session = self.ctx.sessions.get(session_id)
        self.ctx.websockets.add(self)
        self._unsubscribe = self.ctx.hub.subscribe(session_id, self._deliver)
        self._send({"event": "state", "session": session.as_dict()})

    def on_message(self, message: str | bytes) -> None:
        try:
            self._handle(message)
        except PyMockAPIError as exc:
            shown = error_body(exc)["error"]  # always encodable, whatever the frame quoted
            self._send({"event": "error", "code": shown["code"], "message": shown["message"], "hint": shown["hint"]})
        except Exception as exc:  # never drop the connection over one frame
            log.exception("ws frame failed")
            error = as_api_error(exc, 500)
            self._send({"event": "error", "code": error.code, "message": error.message})

    def _handle(self, message: str | bytes) -> None:
        if len(message) > MAX_FRAME:
            raise BadRequest("Frame too large.", f"Keep frames under {MAX_FRAME} bytes.", code="frame_too_large")
        try:
            frame = parse_json(message, what="frame")  # the same door as HTTP bodies
        except BadRequest as exc:
            if exc.code == "invalid_json":
                raise BadRequest("Frame is not valid JSON.", 'Send e.g. {"op": "advance"}.',
                                 code="invalid_json") from None
            raise
        if not isinstance(frame, dict) or not isinstance(frame.get("op"), str):
            raise InvalidField('A frame is a JSON object with an "op".',
                               f"Ops: {', '.join(c.value for c in CommandName)}.", field="op")
        command = command_named(frame["op"])
        session = self.ctx.sessions.get(self.session_id)
        source = "hotkey" if frame.get("source") == "hotkey" else "ws"
        command.run(session, command.check(frame, strict=False), source)
        if command.name is CommandName.STATE:
            self._send({"event": "state", "session": session.as_dict()})

    def _deliver(self, event: dict[str, Any]) -> None:
        self._send(event)
        if event.get("code") == "session_deleted":
            self.close(1001, "session deleted")

    def _send(self, event: dict[str, Any]) -> None:
        try:
            self.write_message(to_json(event, compact=True).decode())
        except tornado.websocket.WebSocketClosedError:
            self._detach()

    def on_close(self) -> None:
        self._detach()

    def _detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.ctx.websockets.discard(self)
