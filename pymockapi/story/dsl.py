"""The story DSL: what a solutions engineer writes in ``stories/*.py``.

A story declares its world (industry, seed, cast, heroes), the endpoints
the demoed front-end calls (each bound to a template) and the waypoints of
the narrative.  Declaring is all this module does; checking and compiling
happen in :mod:`pymockapi.story.compiler`, so errors can name the file.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymockapi.apispec.model import Description
from pymockapi.engine.plan import Action, Endpoint, Method, Trigger, Waypoint
from pymockapi.industries.base import IndustryPack


@dataclass(frozen=True)
class Hero:
    """A persona the story names and pins (Maria Alvarez, 58)."""

    kind: str
    pins: Mapping[str, Any]


def hero(kind: str, **pins: Any) -> Hero:
    """Pin a persona of ``kind`` with the given attributes."""
    return Hero(kind, dict(pins))


@dataclass
class Story:
    """One demo narrative.  See README for a complete example."""

    id: str
    title: str = ""
    industry: str | IndustryPack = ""
    seed: int = 0
    cast: Mapping[str, int] = field(default_factory=dict)
    heroes: Mapping[str, Hero] = field(default_factory=dict)
    description: str = ""
    endpoints: list[Endpoint] = field(default_factory=list)
    waypoints: list[Waypoint] = field(default_factory=list)
    #: An API description (path relative to the story file) whose operations become endpoints too.
    openapi: str | Path | Description | None = None
    #: Pins for the API description's properties: ``{"Account.nickname": "account.product_name"}``.
    bind: Mapping[str, str] = field(default_factory=dict)

    def endpoint(self, method: str, path: str, template: str, *, persona: str | None = None,
                 **options: Any) -> Endpoint:
        """Declare an endpoint; ``persona=`` is an alias of ``record=``."""
        if persona is not None:
            options.setdefault("record", persona)
        ep = Endpoint(Method(method.upper()), path, template, **options)
        self.endpoints.append(ep)
        return ep

    def get(self, path: str, template: str, **options: Any) -> Endpoint:
        return self.endpoint("GET", path, template, **options)

    def post(self, path: str, template: str, **options: Any) -> Endpoint:
        options.setdefault("status", 201)
        return self.endpoint("POST", path, template, **options)

    def put(self, path: str, template: str, **options: Any) -> Endpoint:
        return self.endpoint("PUT", path, template, **options)

    def patch(self, path: str, template: str, **options: Any) -> Endpoint:
        return self.endpoint("PATCH", path, template, **options)

    def delete(self, path: str, template: str, **options: Any) -> Endpoint:
        return self.endpoint("DELETE", path, template, **options)

    def waypoint(self, name: str, *, initial: bool = False, after: Any = None, on: str | None = None,
                 when: str | None = None, narration: str = "", does: Action | None = None,
                 source: str | None = None, annotate: str | None = None, latency: Any = None) -> Waypoint:
        """Declare a waypoint, reached from ``source`` (default: the one declared before).

        Exactly one way in: ``initial=True``, ``after="20s"``, ``on="advance"``
        or ``when="POST /orders"``; with none, the presenter advances to it.
        """
        frame = inspect.currentframe()
        line = frame.f_back.f_lineno if frame is not None and frame.f_back is not None else 0
        given = [t for t, v in ((Trigger.INITIAL, initial), (Trigger.AFTER, after is not None),
                                (Trigger.ADVANCE, on is not None), (Trigger.WHEN, when is not None)) if v]
        trigger = given[0] if given else Trigger.ADVANCE
        wp = Waypoint(name=name, trigger=trigger, narration=narration, after_raw=after,
                      when=when, source=source, does=does, annotate=annotate, line=line,
                      declared=tuple(given), on=on, latency=latency)
        self.waypoints.append(wp)
        return wp
