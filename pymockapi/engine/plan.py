"""What the engine runs: a story's endpoints and waypoints, compiled into one machine.

The story DSL (:mod:`pymockapi.story.dsl`) is how a user declares these;
the compiler (:mod:`pymockapi.story.compiler`) checks the declaration and
builds a :class:`CompiledStory`.  They live here, below the story layer,
so the engine and the views of the world can use them without reaching
back up to the DSL.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from transitions import Machine

from pymockapi.apispec.serve import ApiStory
from pymockapi.durations import parse_duration_ms
from pymockapi.industries.base import IndustryPack
from pymockapi.world.generated import FamilyCache

Action = Callable[[Any], Any]


class Trigger(str, Enum):
    """How a waypoint is reached from the one before it."""

    INITIAL = "initial"
    AFTER = "after"
    ADVANCE = "advance"
    WHEN = "when"


class Method(str, Enum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


#: A path parameter as a story writes it (``{patient_id}``) or an API description does (``{accountId}``).
_PARAM = re.compile(r"\{([^{}/]+)\}")
#: What a story endpoint's parameter matches; an API description's takes any segment (uuids, emails...).
_STORY_SEGMENT = "[A-Za-z0-9_.~-]+"
_ANY_SEGMENT = "[^/]+"


@dataclass(frozen=True)
class Endpoint:
    """One route of the demo API and what it shows or changes.

    ``collection`` lists records of a type (filtered by an owner id in the
    path when there is one); ``persona``/``record`` shows the record named
    by the last path parameter; ``creates``/``updates``/``deletes`` change
    the world.
    """

    method: Method
    path: str
    template: str
    collection: str | None = None
    record: str | None = None
    creates: str | None = None
    updates: str | None = None
    deletes: str | None = None
    verb: str | None = None
    compact: bool = False
    status: int = 200
    api: Any = None  # an operation of an API description (``pymockapi.apispec``), answered instead of a template
    latency: Any = None  # every call waits this long first ("800ms"): a slow back-end on cue

    @property
    def key(self) -> str:
        return f"{self.method.value} {self.path}"

    @functools.cached_property
    def latency_ms(self) -> int:
        """Parsed once (the compiler has checked it), not on every call."""
        return parse_duration_ms(self.latency, "latency") if self.latency else 0

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(self.path)

    def pattern(self) -> re.Pattern[str]:
        """The path as a regex whose groups ``p0, p1…`` are the parameters in order (any name is allowed)."""
        segment = _ANY_SEGMENT if self.api is not None else _STORY_SEGMENT
        parts = _PARAM.split(self.path)  # literal, name, literal, name, ..., literal
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<p{i // 2}>{segment})"
                        for i, part in enumerate(parts))
        return re.compile(f"^{regex}$")

    def arguments(self, found: re.Match[str]) -> dict[str, str]:
        """The path parameters of a match of :meth:`pattern`, by name."""
        return {name: found.group(f"p{i}") for i, name in enumerate(self.params)}

    @property
    def record_type(self) -> str | None:
        return self.collection or self.record or self.creates or self.updates or self.deletes


@dataclass
class Waypoint:
    """A named state of the narrative and how it is reached."""

    name: str
    trigger: Trigger
    narration: str = ""
    after_ms: int | None = None
    after_raw: Any = None
    when: str | None = None
    source: str | None = None
    does: Action | None = None
    annotate: str | None = None
    line: int = 0
    declared: tuple[Trigger, ...] = ()
    on: str | None = None
    latency: Any = None  # while the session is here, every demo call waits this long first
    latency_ms: int = 0

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "trigger": self.trigger.value}
        if self.after_ms is not None:
            out["after_ms"] = self.after_ms
        if self.when is not None:
            out["when"] = self.when
        out["narration"] = self.narration
        return out



class StoryDeclaration(Protocol):
    """What the engine reads of a declared story (the DSL's ``Story`` is one)."""

    id: str
    title: str
    seed: int
    description: str

    @property
    def cast(self) -> Mapping[str, int]: ...
    @property
    def heroes(self) -> Mapping[str, Any]: ...
    @property
    def endpoints(self) -> Sequence[Endpoint]: ...
    @property
    def waypoints(self) -> Sequence[Waypoint]: ...


ADVANCE = "cue_advance"
TIMER = "cue_timer"


def when_trigger(key: str) -> str:
    """The machine trigger fired when the endpoint ``key`` is called."""
    return f"when {key}"


@dataclass
class Edge:
    target: str
    trigger: Trigger


@dataclass
class CompiledStory:
    """A checked story, ready to run sessions."""

    story: StoryDeclaration
    file: str
    pack: IndustryPack
    machine: Machine
    initial: str
    waypoints: dict[str, Waypoint]
    edges: dict[str, list[Edge]]
    routes: list[tuple[Endpoint, re.Pattern[str]]]
    diagram: str = ""
    order: list[str] = field(default_factory=list)
    families: FamilyCache = field(default_factory=FamilyCache)
    api: ApiStory | None = None  # the API description the story answers, bound to its industry

    @property
    def endpoints(self) -> list[Endpoint]:
        """Every endpoint the story answers: the declared ones, then the API description's operations."""
        return [endpoint for endpoint, _ in self.routes]

    @property
    def id(self) -> str:
        return self.story.id

    def next_of(self, waypoint: str) -> Edge | None:
        """Where "advance" goes from ``waypoint``: its timed successor, else its first."""
        out = self.edges.get(waypoint, [])
        timed = [e for e in out if e.trigger is Trigger.AFTER]
        return timed[0] if timed else (out[0] if out else None)

    def timed_next(self, waypoint: str) -> Edge | None:
        return next((e for e in self.edges.get(waypoint, []) if e.trigger is Trigger.AFTER), None)

    def when_next(self, waypoint: str, key: str) -> Edge | None:
        return next((e for e in self.edges.get(waypoint, [])
                     if e.trigger is Trigger.WHEN and self.waypoints[e.target].when == key), None)

    def path(self, start: str, goal: str) -> list[str] | None:
        """Waypoints entered on the shortest way from ``start`` to ``goal`` (exclusive of start)."""
        prev: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            if here == goal:
                steps: list[str] = []
                node: str | None = here
                while node is not None and node != start:
                    steps.append(node)
                    node = prev[node]
                return steps[::-1]
            for edge in self.edges.get(here, []):
                if edge.target not in prev:
                    prev[edge.target] = here
                    queue.append(edge.target)
        return None

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        for endpoint, pattern in self.routes:
            found = pattern.match(path)
            if found and endpoint.method.value == method:
                return endpoint, endpoint.arguments(found)
        return None

    def allowed_methods(self, path: str) -> list[str]:
        return [e.method.value for e, p in self.routes if p.match(path)]

    def summary(self) -> dict[str, object]:
        """SPEC's story summary."""
        return {
            "id": self.story.id,
            "title": self.story.title,
            "industry": self.pack.name,
            "waypoints": [self.waypoints[name].summary() for name in self.order],
            "endpoints": [{"method": e.method.value, "path": e.path} for e in self.endpoints],
        }


