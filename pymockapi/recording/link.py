"""Give each session its link to a recorder, reporting into the session's events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymockapi.recording.recorders.base import RecorderLink
from pymockapi.recording.recorders.url import build_recorder


class Recorders:
    """Makes one recorder link per session: its own URL, or the server's ``--recorder``."""

    def __init__(self, default_url: str | None, publish: Callable[[str, dict[str, Any]], None]) -> None:
        """``publish(session_id, event)`` reports a recorder's status to that session's clients."""
        if default_url:
            build_recorder(default_url)  # a bad URL fails at start, not mid-demo
        self.default_url = default_url or None
        self.publish = publish

    @staticmethod
    def check(url: str) -> None:
        """Raise the recorder URL's error (400 with the schemes) before anything is stored."""
        build_recorder(url)

    def link_for(self, session_id: str, url: str | None = None) -> RecorderLink | None:
        chosen = url or self.default_url
        if chosen is None:
            return None
        publish = self.publish

        def on_status(status: str, detail: str) -> None:
            publish(session_id, {"event": "recorder", "status": status, "detail": detail})

        return RecorderLink(build_recorder(chosen), on_status)
