"""Per-session fan-out of events to every listener, in one order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
Listener = Callable[[Event], None]


class EventHub:
    """Delivers each session's events to its listeners synchronously, in publish order.

    Being synchronous on the single IOLoop thread is what makes every
    WebSocket client of a session see the same events in the same order.
    """

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {}

    def subscribe(self, session_id: str, listener: Listener) -> Callable[[], None]:
        self._listeners.setdefault(session_id, []).append(listener)

        def unsubscribe() -> None:
            group = self._listeners.get(session_id, [])
            if listener in group:
                group.remove(listener)

        return unsubscribe

    def publish(self, session_id: str, event: Event) -> None:
        for listener in list(self._listeners.get(session_id, [])):
            listener(event)
