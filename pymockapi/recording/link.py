"""Give each session its link to the configured recorder, reporting into its events."""

from __future__ import annotations

from typing import Any, Callable

from pymockapi.engine.events import EventHub
from pymockapi.recording.recorders.base import RecorderLink
from pymockapi.recording.recorders.url import build_recorder


def recorder_factory(url: str, hub: EventHub) -> Callable[[Any], RecorderLink]:
    """A factory making one recorder link per session from ``--recorder URL``.

    The URL is checked now, so a bad one fails at start, not mid-demo.
    """
    build_recorder(url)

    def for_session(session: Any) -> RecorderLink:
        def on_status(status: str, detail: str) -> None:
            hub.publish(session.id, {"event": "recorder", "status": status, "detail": detail})

        return RecorderLink(build_recorder(url), on_status)

    return for_session
