"""What a waypoint's ``does=`` function receives: the world and its industry's verbs.

``world.observe("maria", heart_rate=112)`` reads naturally in a story; the
verb is the industry pack's, and it changes the world only through the
world's validated path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pymockapi.industries.base import Record
from pymockapi.world.world import World


class StoryWorld:
    """The world as story code sees it."""

    def __init__(self, world: World, annotate: Callable[[str, str, int | None], None],
                 fail: Callable[[str, int | None, object, int], None] | None = None) -> None:
        self._world = world
        self._annotate = annotate
        self._fail = fail

    @property
    def anchor(self) -> Any:
        return self._world.anchor

    def get(self, ref: str) -> Record:
        return self._world.get(ref)

    def owned(self, owner_id: str, record_type: str) -> list[Record]:
        return self._world.owned(owner_id, record_type)

    def records(self, record_type: str) -> list[Record]:
        return self._world.records(record_type)

    def add(self, record_type: str, owner: str | None, fields: Mapping[str, Any]) -> Record:
        return self._world.add(record_type, self._world.resolve(owner) if owner else None, fields)

    def update(self, ref: str, fields: Mapping[str, Any] | None = None, **more: Any) -> Record:
        return self._world.update(ref, {**(fields or {}), **more})

    def remove(self, ref: str) -> None:
        self._world.remove(ref)

    def annotate(self, text: str, kind: str = "note", duration_ms: int | None = None) -> None:
        """Put a note on the recording timeline (ignored while not recording)."""
        self._annotate(text, kind, duration_ms)

    def fail(self, endpoint: str, status: int | None = None, latency: object = None, times: int = 1) -> None:
        """From now on the next ``times`` calls of ``endpoint`` ("POST /payments") wait ``latency``
        ("800ms") and/or answer ``status``: the product's error handling, on cue."""
        if self._fail is not None:
            self._fail(endpoint, status, latency, times)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        verbs = self._world.pack.verbs
        if name in verbs:
            verb = verbs[name]
            return lambda ref, *args, **kwargs: verb(self, self._world.resolve(ref), *args, **kwargs)
        raise AttributeError(f"the {self._world.pack.name} world has no verb {name!r}; "
                             f"verbs: {', '.join(sorted(verbs)) or 'none'}")
