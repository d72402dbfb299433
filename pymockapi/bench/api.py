"""The benchmark's own calls to the configuration API: one keep-alive connection, JSON in and out."""

from __future__ import annotations

import asyncio
from typing import Any

from pymockapi.bench.client import Connection

CALL_TIMEOUT_S = 30.0


class Api:
    """Sequential JSON calls over one connection (a lock keeps concurrent callers in turn)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._conn: Connection | None = None
        self._lock = asyncio.Lock()

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """``(status, parsed JSON or None)``; reconnects once if the server closed the connection."""
        async with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or not self._conn.usable:
                        self._conn = await Connection.open(self.host, self.port)
                    reply = await self._conn.request(method, path, body, timeout=CALL_TIMEOUT_S)
                    break
                except ConnectionError:
                    self.close()
                    if attempt == 2:
                        raise
            try:
                return reply.status, reply.json()
            except ValueError:
                return reply.status, None

    async def get(self, path: str) -> tuple[int, Any]:
        return await self.call("GET", path)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None


