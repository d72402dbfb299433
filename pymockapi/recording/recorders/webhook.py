"""A recorder that POSTs each timeline event as JSON to a URL.

Meant for tools we do not drive directly (a cloud recorder, a Zapier hook, a
teammate's script).  One POST per event, in order; transient failures are
retried with backoff inside a fixed time budget per event so a dead endpoint
costs the queue seconds, not minutes, and once an event has failed the next
ones are tried once each until the endpoint answers again.
"""

from __future__ import annotations

import asyncio
import json
from typing import ClassVar

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from .base import Recorder, RecorderEvent, RecorderFailure, RecorderStatus


class WebhookRecorder(Recorder):
    """POST ``{"event", "session", "offset_ms", "text"?, "kind"?}`` to ``target``."""

    name = "webhook"
    FIELDS: ClassVar[tuple[str, ...]] = ("event", "session", "offset_ms", "text", "kind")
    """SPEC's webhook body keys, in the order they are written."""
    RETRYABLE: ClassVar[frozenset[int]] = frozenset({408, 425, 429, 500, 502, 503, 504, 599})
    BACKOFF_S: ClassVar[tuple[float, ...]] = (0.1, 0.2, 0.4, 0.8, 1.6)
    HEADERS: ClassVar[dict[str, str]] = {"Content-Type": "application/json",
                                         "User-Agent": "pymockapi-recorder"}

    def __init__(self, target: str, *, display_url: str = "", secrets: tuple[str, ...] = (),
                 username: str | None = None, password: str | None = None,
                 retry_budget_s: float = 5.0, request_timeout_s: float = 2.0) -> None:
        super().__init__(display_url=display_url, secrets=secrets)
        self._target = target
        self._username = username
        self._password = password
        self.retry_budget_s = retry_budget_s
        self.request_timeout_s = request_timeout_s
        self.budget_s = retry_budget_s + request_timeout_s + 1.0
        self.healthy_detail = "delivering events"
        self._failing = False
        self._client: AsyncHTTPClient | None = None

    @classmethod
    def body(cls, event: RecorderEvent) -> bytes:
        """The JSON body for ``event``: SPEC's keys only, absent ones left out."""
        payload = {key: event[key] for key in cls.FIELDS if event.get(key) is not None}
        return json.dumps(payload, ensure_ascii=False).encode()

    async def start(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def stop(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def pause(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def resume(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def marker(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def annotation(self, event: RecorderEvent) -> None:
        await self._post(event)

    async def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def _post(self, event: RecorderEvent) -> None:
        """Send one event; retry retryable answers until the budget runs out, then fail."""
        loop = asyncio.get_running_loop()
        body = self.body(event)
        deadline = loop.time() + self.retry_budget_s
        attempts = 0
        while True:
            attempts += 1
            remaining = max(deadline - loop.time(), 0.05)
            code, reason = await self._attempt(body, min(self.request_timeout_s, remaining))
            if 200 <= code < 300:
                self._failing = False
                return
            if code not in self.RETRYABLE or self._failing:
                break
            delay = self.BACKOFF_S[min(attempts - 1, len(self.BACKOFF_S) - 1)]
            if loop.time() + delay >= deadline:
                break
            await asyncio.sleep(delay)
        self._failing = True
        status = RecorderStatus.DISCONNECTED if code == 599 else RecorderStatus.ERROR
        raise RecorderFailure(status, f"{event.get('event')} event not delivered after {attempts} "
                                      f"attempt{'s' if attempts > 1 else ''}: {reason}")

    async def _attempt(self, body: bytes, timeout: float) -> tuple[int, str]:
        """One POST: ``(status code, reason)``, 599 when no HTTP answer came back."""
        if self._client is None:
            self._client = AsyncHTTPClient(force_instance=True)
        request = HTTPRequest(self._target, method="POST", body=body, headers=self.HEADERS,
                              connect_timeout=timeout, request_timeout=timeout,
                              auth_username=self._username, auth_password=self._password,
                              follow_redirects=False)
        try:
            response = await self._client.fetch(request, raise_error=False)
        except Exception as exc:  # refused, reset, DNS, timeout: all "no answer"
            return 599, self._reason(exc)
        return response.code, f"HTTP {response.code} {response.reason or ''}".strip()

    @staticmethod
    def _reason(exc: BaseException) -> str:
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"cannot reach the webhook ({text})"
