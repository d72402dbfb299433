"""Give each session its link to a recorder, reporting into the session's events."""

from __future__ import annotations

from pymockapi.engine.events import EventHub
from pymockapi.recording.recorders.base import RecorderLink
from pymockapi.recording.recorders.url import build_recorder


class Recorders:
    """Makes one recorder link per session: its own URL, or the server's ``--recorder``."""

    def __init__(self, default_url: str | None, hub: EventHub) -> None:
        if default_url:
            build_recorder(default_url)  # a bad URL fails at start, not mid-demo
        self.default_url = default_url or None
        self.hub = hub

    @staticmethod
    def check(url: str) -> None:
        """Raise the recorder URL's error (400 with the schemes) before anything is stored."""
        build_recorder(url)

    def link_for(self, session_id: str, url: str | None = None) -> RecorderLink | None:
        chosen = url or self.default_url
        if chosen is None:
            return None
        hub = self.hub

        def on_status(status: str, detail: str) -> None:
            hub.publish(session_id, {"event": "recorder", "status": status, "detail": detail})

        return RecorderLink(build_recorder(chosen), on_status)
