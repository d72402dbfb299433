"""The presenter WebSocket: ``/_api/sessions/{id}/ws``.

Every client of a session gets the session's events in publish order (the
hub is synchronous on the one IOLoop).  A bad frame is answered with an
``error`` event to that client only; the connection stays open.
"""

from __future__ import annotations

import json
import logging
from enum import Enum
from typing import Any, Callable

import tornado.websocket

from pymockapi.context import AppContext
from pymockapi.errors import BadRequest, InvalidField, PyMockAPIError, error_body
from pymockapi.handlers.base import JSON_TYPE, as_api_error, bearer_ok
from pymockapi.render.serialize import to_json

log = logging.getLogger("pymockapi.ws")
MAX_FRAME = 64 * 1024


class Op(str, Enum):
    ADVANCE = "advance"
    GOTO = "goto"
    BACK = "back"
    PAUSE = "pause"
    RESUME = "resume"
    ANNOTATE = "annotate"
    STATE = "state"
    RECORDING = "recording"


class SessionSocket(tornado.websocket.WebSocketHandler):
    def initialize(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._unsubscribe: Callable[[], None] | None = None

    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Refuse before the upgrade with SPEC's JSON errors (401, 404)."""
        try:
            if not bearer_ok(self.ctx, self.request.headers.get("Authorization"),
                             self.get_query_argument("token", None)):
                raise PyMockAPIError("A bearer token is required.", "Add ?token=<token> to the WebSocket URL.",
                                     code="unauthorized", status=401)
            self.ctx.sessions.get(args[0])
        except PyMockAPIError as exc:
            self.set_status(exc.status)
            self.set_header("Content-Type", JSON_TYPE)
            self.finish(to_json(error_body(exc)))
            return
        await super().get(*args, **kwargs)

    def check_origin(self, origin: str) -> bool:
        return True  # demo front-ends run on any origin; the token guards non-local binds

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
            self._send({"event": "error", "code": exc.code, "message": exc.message, "hint": exc.hint})
        except Exception as exc:  # never drop the connection over one frame
            log.exception("ws frame failed")
            error = as_api_error(exc, 500)
            self._send({"event": "error", "code": error.code, "message": error.message})

    def _handle(self, message: str | bytes) -> None:
        if len(message) > MAX_FRAME:
            raise BadRequest("Frame too large.", f"Keep frames under {MAX_FRAME} bytes.", code="frame_too_large")
        try:
            frame = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("Frame is not valid JSON.", 'Send e.g. {"op": "advance"}.', code="invalid_json") from None
        if not isinstance(frame, dict) or not isinstance(frame.get("op"), str):
            raise InvalidField('A frame is a JSON object with an "op".',
                               f"Ops: {', '.join(o.value for o in Op)}.", field="op")
        try:
            op = Op(frame["op"])
        except ValueError:
            raise InvalidField(f"Unknown op '{frame['op']}'.", f"Ops: {', '.join(o.value for o in Op)}.",
                               code="unknown_op", field="op") from None
        session = self.ctx.sessions.get(self.session_id)
        if op is Op.ADVANCE:
            if isinstance(frame.get("to"), str):
                session.goto(frame["to"])
            else:
                session.advance()
        elif op is Op.GOTO:
            target = frame.get("waypoint")
            if not isinstance(target, str):
                raise InvalidField('goto needs "waypoint": a waypoint name.', "See the story's waypoints.",
                                   field="waypoint")
            session.goto(target)
        elif op is Op.BACK:
            session.back()
        elif op is Op.PAUSE:
            session.pause()
        elif op is Op.RESUME:
            session.resume()
        elif op is Op.ANNOTATE:
            text, kind = frame.get("text"), frame.get("kind", "note")
            if not isinstance(text, str) or not isinstance(kind, str):
                raise InvalidField('annotate needs "text" (and optional "kind") as strings.',
                                   "kind is one of note, callout, highlight, chapter.", field="text")
            duration = frame.get("duration_ms")
            source = "hotkey" if frame.get("source") == "hotkey" else "ws"
            session.annotate(text, kind, source, duration_ms=duration if isinstance(duration, int) else None)
        elif op is Op.RECORDING:
            action = frame.get("action")
            if action not in ("start", "stop", "pause", "resume"):
                raise InvalidField('recording needs "action": start, stop, pause or resume.', "", field="action")
            session.recording(action)
        else:
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
