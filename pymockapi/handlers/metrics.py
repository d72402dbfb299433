"""``GET /_api/metrics`` and ``POST /_api/metrics/reset``: the server's view of its own health.

The benchmark runs in other processes and can only see latency from
outside; stalls of the event loop and memory are measured here, inside,
and read back over HTTP.  The probe is handed in through the context
(``ctx.probes["loop_lag"]``) so the handler holds no state of its own.
"""

from __future__ import annotations

from typing import Any

from pymockapi.errors import PyMockAPIError
from pymockapi.handlers.base import BaseHandler
from pymockapi.probes import rss_bytes

#: The key of the event-loop probe in ``AppContext.probes``.
LOOP_LAG = "loop_lag"
#: The route; the optional group is the ``reset`` action.
METRICS_ROUTE = r"/_api/metrics(/reset)?"


def _method_not_allowed(method: str, path: str, allowed: str) -> PyMockAPIError:
    return PyMockAPIError(f"{method} is not allowed on {path}.", f"Use {allowed}.",
                          code="method_not_allowed", status=405)


class MetricsHandler(BaseHandler):
    """Loop lag, session count, resident memory and recorder latencies as JSON."""

    def get(self, reset: str | None = None) -> None:
        if reset:
            raise _method_not_allowed("GET", "/_api/metrics/reset", "POST /_api/metrics/reset")
        self.send_json(self.metrics())

    def post(self, reset: str | None = None) -> None:
        if not reset:
            raise _method_not_allowed("POST", "/_api/metrics", "GET /_api/metrics")
        probe = self.ctx.probes.get(LOOP_LAG)
        if probe is not None:
            probe.reset()
        self.send_json(self.metrics())

    def metrics(self) -> dict[str, Any]:
        probe = self.ctx.probes.get(LOOP_LAG)
        sessions = self.ctx.sessions.all()
        recorders = []
        for session in sessions:
            link = session.recorder_link
            latency = getattr(link, "latency", None)
            if link is not None and latency is not None:
                recorders.append({"session": session.id, "recorder": link.name,
                                  **latency.summary()})
        return {"loop_lag_ms": probe.snapshot() if probe is not None else None,
                "sessions": len(sessions), "rss_bytes": rss_bytes(), "recorders": recorders}
