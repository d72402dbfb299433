"""A small obs-websocket v5 client on Tornado's websocket, fully async.

Only what the OBS recorder needs: the Hello/Identify handshake with the
salted-challenge authentication, requests matched to responses by
``requestId``, and events handed to a callback.  Written here rather than
taken from a library so it runs on the server's own IOLoop without threads.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Mapping
from enum import IntEnum
from typing import Any, ClassVar

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

log = logging.getLogger(__name__)

EventCallback = Callable[[str, Mapping[str, Any]], None]
CloseCallback = Callable[[int | None, str], None]


class OpCode(IntEnum):
    """obs-websocket v5 message types."""

    HELLO = 0
    IDENTIFY = 1
    IDENTIFIED = 2
    EVENT = 5
    REQUEST = 6
    REQUEST_RESPONSE = 7


class EventSubscription(IntEnum):
    """Event categories (bit flags); the recorder listens to outputs only."""

    OUTPUTS = 1 << 6


class RequestCode(IntEnum):
    """The ``requestStatus.code`` values the recorder reacts to."""

    SUCCESS = 100
    UNKNOWN_REQUEST_TYPE = 204
    OUTPUT_RUNNING = 500
    OUTPUT_NOT_RUNNING = 501
    OUTPUT_PAUSED = 502
    OUTPUT_NOT_PAUSED = 503
    RESOURCE_NOT_FOUND = 600
    RESOURCE_ALREADY_EXISTS = 601


class ObsError(Exception):
    """Anything that went wrong talking to OBS; the message is safe to show."""


class ObsClosed(ObsError):
    """The connection is gone (or never came up); carries OBS's close code and reason."""

    REASONS: ClassVar[dict[int, str]] = {
        4009: "authentication failed: wrong password",
        4010: "OBS does not speak obs-websocket RPC version 1",
        4011: "OBS ended the session",
    }

    def __init__(self, code: int | None, reason: str = "") -> None:
        self.code = code
        known = self.REASONS.get(code or 0)
        text = known or reason or "connection closed"
        super().__init__(f"{text} (close code {code})" if code else text)

    @property
    def auth_failed(self) -> bool:
        return self.code == 4009


class ObsAuthRequired(ObsError):
    """OBS asks for a password and the recorder URL gives none."""


class ObsRequestError(ObsError):
    """A request OBS answered with a failure status."""

    def __init__(self, request_type: str, code: int, comment: str = "") -> None:
        self.request_type = request_type
        self.code = code
        self.comment = comment
        super().__init__(f"{request_type} failed (code {code}{': ' + comment if comment else ''})")


def auth_string(password: str, salt: str, challenge: str) -> str:
    """obs-websocket's answer: base64(sha256(base64(sha256(password + salt)) + challenge))."""
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()


class ObsConnection:
    """One identified session with OBS.

    A reader task owns the socket's inbound side: responses resolve the
    future waiting under their ``requestId``; events go to ``on_event``; when
    the socket closes every waiting request fails with :class:`ObsClosed` and
    ``on_close`` is told.
    """

    RPC_VERSION: ClassVar[int] = 1
    SUBPROTOCOL: ClassVar[str] = "obswebsocket.json"

    def __init__(self, ws: WebSocketClientConnection, hello: Mapping[str, Any],
                 on_event: EventCallback | None = None, on_close: CloseCallback | None = None) -> None:
        self._ws = ws
        self.hello = dict(hello)
        self._on_event = on_event
        self._on_close = on_close
        self._ids = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None
        self.closed = False
        self._closing = False
        self.close_error: ObsClosed | None = None

    @classmethod
    async def open(cls, url: str, password: str | None, *, timeout: float = 3.0,
                   on_event: EventCallback | None = None,
                   on_close: CloseCallback | None = None) -> ObsConnection:
        """Connect, identify (authenticating when OBS asks) and start reading."""
        request = HTTPRequest(url, connect_timeout=timeout, request_timeout=timeout)
        ws = await asyncio.wait_for(websocket_connect(request, subprotocols=[cls.SUBPROTOCOL]), timeout)
        try:
            hello = await cls._expect(ws, OpCode.HELLO, timeout)
            identify: dict[str, Any] = {"rpcVersion": cls.RPC_VERSION,
                                        "eventSubscriptions": int(EventSubscription.OUTPUTS)}
            challenge = hello.get("authentication")
            if challenge:
                if not password:
                    raise ObsAuthRequired("OBS requires a password: add ?password=... to the recorder URL")
                identify["authentication"] = auth_string(password, challenge["salt"], challenge["challenge"])
            await ws.write_message(json.dumps({"op": int(OpCode.IDENTIFY), "d": identify}))
            await cls._expect(ws, OpCode.IDENTIFIED, timeout)
        except BaseException:
            ws.close()
            raise
        conn = cls(ws, hello, on_event, on_close)
        conn._reader = asyncio.get_running_loop().create_task(conn._read(), name="obs-websocket-reader")
        return conn

    @staticmethod
    async def _expect(ws: WebSocketClientConnection, op: OpCode, timeout: float) -> dict[str, Any]:
        try:
            raw = await asyncio.wait_for(ws.read_message(), timeout)
        except WebSocketClosedError:
            raw = None
        if raw is None:
            raise ObsClosed(ws.close_code, ws.close_reason or "")
        message = json.loads(raw)
        if message.get("op") != op:
            raise ObsError(f"expected obs-websocket op {int(op)}, got {message.get('op')}")
        data: dict[str, Any] = message.get("d") or {}
        return data

    async def request(self, request_type: str, data: Mapping[str, Any] | None = None, *,
                      timeout: float = 5.0) -> dict[str, Any]:
        """Send one request and return its ``responseData`` (``{}`` when none)."""
        if self.closed:
            raise self.close_error or ObsClosed(None)
        request_id = f"pymockapi-{next(self._ids)}"
        body: dict[str, Any] = {"requestType": request_type, "requestId": request_id}
        if data is not None:
            body["requestData"] = dict(data)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        try:
            try:
                await self._ws.write_message(json.dumps({"op": int(OpCode.REQUEST), "d": body}))
            except WebSocketClosedError:
                raise self.close_error or ObsClosed(self._ws.close_code, self._ws.close_reason or "") from None
            try:
                answer = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                raise ObsError(f"{request_type}: no answer from OBS within {timeout:g} s") from None
        finally:
            self._waiting.pop(request_id, None)
        status = answer.get("requestStatus") or {}
        if not status.get("result"):
            raise ObsRequestError(request_type, int(status.get("code", 0)), str(status.get("comment") or ""))
        response: dict[str, Any] = answer.get("responseData") or {}
        return response

    async def close(self) -> None:
        """Close the socket and wait (briefly) for the reader to finish."""
        self._closing = True
        if not self.closed:
            self._ws.close(1000, "pymockapi recorder closing")
        if self._reader is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._reader), 2.0)
            except TimeoutError:
                self._reader.cancel()
                await asyncio.gather(self._reader, return_exceptions=True)
        self._closed(None, "closed by pymockapi")

    async def _read(self) -> None:
        while True:
            raw = await self._ws.read_message()
            if raw is None:
                self._closed(self._ws.close_code, self._ws.close_reason or "")
                self._ws.close()  # the peer went away: release our end of the socket too
                return
            try:
                message = json.loads(raw)
                self._dispatch(int(message["op"]), message.get("d") or {})
            except (ValueError, KeyError, TypeError):
                log.debug("unreadable obs-websocket message ignored")

    def _dispatch(self, op: int, data: dict[str, Any]) -> None:
        if op == OpCode.REQUEST_RESPONSE:
            future = self._waiting.get(str(data.get("requestId")))
            if future is not None and not future.done():
                future.set_result(data)
        elif op == OpCode.EVENT and self._on_event is not None:
            self._on_event(str(data.get("eventType")), data.get("eventData") or {})

    def _closed(self, code: int | None, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.close_error = ObsClosed(code, reason)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(self.close_error)
        self._waiting.clear()
        if self._on_close is not None and not self._closing:
            self._on_close(code, reason)
