"""Check a declared story and compile it into one ``transitions`` machine.

One machine per story, with every session of that story attached as a
model (``auto_transitions=False``): a session then costs a few KiB, not a
machine.  Timers are not the machine's business (its Timeout mixin uses
threads); the engine owns them on its clock seam.  Every problem is
reported as ``file: waypoint: problem`` at load, never during a demo.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from datetime import date
from pathlib import Path

from transitions import Machine

from pymockapi.apispec.model import Description
from pymockapi.apispec.serve import ApiStory
from pymockapi.durations import parse_duration_ms
from pymockapi.engine.plan import ADVANCE, TIMER, CompiledStory, Edge, Endpoint, Method, Trigger, Waypoint, when_trigger
from pymockapi.errors import PyMockAPIError, StoryError, UnknownIndustry
from pymockapi.industries.base import IndustryPack, IndustryRegistry
from pymockapi.story.dsl import Story
from pymockapi.world.world import World

#: The anchor date of the sample world an API description is bound against (only field shapes are read).
SAMPLE_ANCHOR = date(2026, 3, 12)
STORY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
class _Checker:
    """Collects the first problem of a story with its location."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, waypoint: str | None, problem: str, hint: str = "") -> None:
        raise StoryError(self.file, waypoint, problem, hint)


def compile_story(story: object, file: str, industries: IndustryRegistry,
                  template_exists: Callable[[str], bool] | None = None) -> CompiledStory:
    """Check ``story`` completely and compile it; raise :class:`StoryError` on the first problem."""
    check = _Checker(file)
    if not isinstance(story, Story):
        check.fail(None, "the module defines no `story = Story(...)`",
                   "Add `story = Story(\"my-demo\", title=..., industry=...)` at module level.")
    assert isinstance(story, Story)
    if not STORY_ID.match(story.id or ""):
        check.fail(None, f"story id {story.id!r} must be lower-case letters, digits and dashes",
                   "Use an id like \"riverside-clinic\".")
    pack = _pack_of(story, industries, check)
    _check_world(story, pack, check)
    routes = _check_endpoints(story, pack, check, template_exists)
    api = _api_of(story, file, pack, check)
    if api is not None:
        routes += _api_routes(api, {e.key for e, _ in routes}, check)
    waypoints, edges, initial = _check_waypoints(story, check, {e.key for e, _ in routes})
    machine = Machine(model=[], states=list(waypoints), initial=initial, auto_transitions=False,
                      ignore_invalid_triggers=False)
    for source, out in edges.items():
        for edge in out:
            if edge.trigger is Trigger.WHEN:
                machine.add_transition(when_trigger(waypoints[edge.target].when or ""), source, edge.target)
            elif edge.trigger is Trigger.AFTER:
                machine.add_transition(TIMER, source, edge.target)
    compiled = CompiledStory(story=story, file=file, pack=pack, machine=machine, initial=initial,
                             waypoints=waypoints, edges=edges, routes=routes,
                             order=[w.name for w in story.waypoints], api=api)
    for source in edges:
        nxt = compiled.next_of(source)
        if nxt is not None:
            machine.add_transition(ADVANCE, source, nxt.target)
    compiled.diagram = _diagram(compiled)
    return compiled


def _pack_of(story: Story, industries: IndustryRegistry, check: _Checker) -> IndustryPack:
    if isinstance(story.industry, IndustryPack):
        return industries.register(story.industry)
    try:
        return industries.get(story.industry)
    except UnknownIndustry as exc:
        check.fail(None, f"unknown industry {story.industry!r}", exc.hint)
        raise  # unreachable: fail() raises


def _check_world(story: Story, pack: IndustryPack, check: _Checker) -> None:
    kinds = [rt.name for rt in pack.record_types if rt.owner_field is None]
    for kind, count in story.cast.items():
        if kind not in kinds:
            check.fail(None, f"cast names unknown kind {kind!r} for industry {pack.name!r}",
                       f"Known kinds: {', '.join(kinds)}.")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 10_000:
            check.fail(None, f"cast size of {kind!r} must be a whole number from 0 to 10000, got {count!r}")
    for alias, hero in story.heroes.items():
        if hero.kind not in kinds:
            check.fail(None, f"hero {alias!r} has unknown kind {hero.kind!r}", f"Known kinds: {', '.join(kinds)}.")


def _check_endpoints(story: Story, pack: IndustryPack, check: _Checker,
                     template_exists: Callable[[str], bool] | None) -> list[tuple[Endpoint, re.Pattern[str]]]:
    seen: set[str] = set()
    routes = []
    types = [rt.name for rt in pack.record_types]
    for ep in story.endpoints:
        where = f"endpoint {ep.key}"
        if not ep.path.startswith("/") or ".." in ep.path:
            check.fail(where, "path must start with '/' and may not contain '..'")
        if ep.key in seen:
            check.fail(where, "declared twice")
        seen.add(ep.key)
        rtype = ep.record_type
        if rtype is not None and rtype not in types:
            check.fail(where, f"unknown record type {rtype!r} for industry {pack.name!r}",
                       f"Known record types: {', '.join(types)}.")
        if (ep.record or ep.updates or ep.deletes) and not ep.params:
            check.fail(where, "a single-record endpoint needs a path parameter like {patient_id}")
        if ep.verb is not None and ep.verb not in pack.verbs:
            check.fail(where, f"unknown verb {ep.verb!r} for industry {pack.name!r}",
                       f"Verbs: {', '.join(sorted(pack.verbs)) or 'none'}.")
        if ep.verb is not None and ep.method is Method.GET:
            check.fail(where, "a GET endpoint cannot run a verb", "Use POST, PUT or PATCH.")
        if ep.method is not Method.GET and not (ep.creates or ep.updates or ep.deletes):
            check.fail(where, f"{ep.method.value} endpoint must say what it changes",
                       "Add creates=, updates= or deletes= with a record type.")
        if ep.latency is not None:
            try:
                parse_duration_ms(ep.latency, "latency")
            except ValueError as exc:
                check.fail(where, str(exc), 'Write latencies like "800ms" or "2s".')
        if template_exists is not None and not template_exists(ep.template):
            check.fail(where, f"template not found: {ep.template!r}",
                       "Templates live in templates/ (or --templates DIR), e.g. \"healthcare/patient.json.j2\".")
        routes.append((ep, ep.pattern()))
    return routes


def _api_of(story: Story, file: str, pack: IndustryPack, check: _Checker) -> ApiStory | None:
    """The story's API description, loaded and bound to its industry once (every session shares it)."""
    if story.openapi is None:
        return None
    source: str | Path | Description = story.openapi
    if not isinstance(source, Description):
        path = Path(source)
        source = path if path.is_absolute() else Path(file).resolve().parent / path
    heroes = {alias: (h.kind, h.pins) for alias, h in story.heroes.items()}
    sample = World(story.id, story.seed, 0, SAMPLE_ANCHOR, pack, story.cast, heroes)
    try:
        return ApiStory.load(source, sample, pins=story.bind)
    except PyMockAPIError as exc:
        check.fail(None, f"API description: {exc.message}", exc.hint)
        raise  # unreachable: fail() raises


def _api_routes(api: ApiStory, declared: set[str],
                check: _Checker) -> list[tuple[Endpoint, re.Pattern[str]]]:
    """One endpoint per operation; literal paths first, so ``/pets/findByStatus`` wins over ``/pets/{petId}``."""
    routes = []
    for operation in api.operations:
        endpoint = Endpoint(Method(operation.operation.method), operation.operation.route, "", api=operation,
                            status=operation.status)
        if endpoint.key in declared:
            check.fail(f"endpoint {endpoint.key}", "declared by the story and by its API description",
                       "Keep one of the two.")
        routes.append((endpoint, endpoint.pattern()))
    routes.sort(key=lambda route: len(route[0].params))
    return routes


def _check_waypoints(story: Story, check: _Checker,
                     endpoint_keys: set[str]) -> tuple[dict[str, Waypoint], dict[str, list[Edge]], str]:
    if not story.waypoints:
        check.fail(None, "the story declares no waypoints", "Add story.waypoint(\"start\", initial=True).")
    waypoints: dict[str, Waypoint] = {}
    for wp in story.waypoints:
        if wp.name in waypoints:
            check.fail(wp.name, "waypoint declared twice")
        if not wp.name or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", wp.name):
            check.fail(wp.name or "(unnamed)", "waypoint names use letters, digits, '-', '_' and '.'")
        waypoints[wp.name] = wp
    initials = [w.name for w in story.waypoints if w.trigger is Trigger.INITIAL]
    if len(initials) != 1:
        check.fail(initials[1] if initials else None,
                   "a story needs exactly one initial waypoint" if initials else "no initial waypoint",
                   "Mark the first waypoint with initial=True.")
    initial = initials[0]
    edges: dict[str, list[Edge]] = {name: [] for name in waypoints}
    previous: str | None = None
    for wp in story.waypoints:
        if len(wp.declared) > 1:
            check.fail(wp.name, "give exactly one of initial=, after=, on= or when=")
        if wp.trigger is Trigger.AFTER:
            try:
                wp.after_ms = parse_duration_ms(wp.after_raw)
            except ValueError as exc:
                check.fail(wp.name, str(exc))
        if wp.latency is not None:
            try:
                wp.latency_ms = parse_duration_ms(wp.latency, "latency")
            except ValueError as exc:
                check.fail(wp.name, str(exc), 'Write latencies like "800ms" or "2s".')
        if wp.trigger is Trigger.ADVANCE and wp.on not in (None, "advance"):
            check.fail(wp.name, f"on={wp.on!r} is not a trigger", "Use on=\"advance\" for a presenter cue.")
        if wp.trigger is Trigger.WHEN:
            key = " ".join((wp.when or "").split())
            method, _, path = key.partition(" ")
            key = f"{method.upper()} {path}"
            if key not in endpoint_keys:
                check.fail(wp.name, f"when={wp.when!r} names an undeclared endpoint",
                           f"Declared endpoints: {', '.join(sorted(endpoint_keys)) or 'none'}.")
            wp.when = key
        if wp.trigger is not Trigger.INITIAL:
            source = wp.source if wp.source is not None else previous
            if source is None:
                check.fail(wp.name, "has no waypoint to come from", "Declare the initial waypoint first.")
            if source not in waypoints:
                check.fail(wp.name, f"unknown waypoint {source!r} in source=",
                           f"Waypoints: {', '.join(waypoints)}.")
            assert source is not None
            wp.source = source
            if wp.trigger is Trigger.AFTER and any(e.trigger is Trigger.AFTER for e in edges[source]):
                check.fail(wp.name, f"two timed transitions leave waypoint {source!r}",
                           "Only one after= waypoint may follow a waypoint; use on=\"advance\" for the other.")
            edges[source].append(Edge(wp.name, wp.trigger))
        if wp.does is not None and not callable(wp.does):
            check.fail(wp.name, "does= must be a function taking the world")
        previous = wp.name
    reached = {initial}
    queue = deque([initial])
    while queue:
        for edge in edges[queue.popleft()]:
            if edge.target not in reached:
                reached.add(edge.target)
                queue.append(edge.target)
    for wp in story.waypoints:
        if wp.name not in reached:
            check.fail(wp.name, "unreachable waypoint: no path leads to it from the initial waypoint",
                       f"Set source= to a waypoint reachable from {initial!r}.")
    return waypoints, edges, initial


#: Characters a Mermaid label may hold as they are; every other one is written as an entity code.
_MERMAID_PLAIN = frozenset(" -_./,()'")


def _diagram(compiled: CompiledStory) -> str:
    """The story as Mermaid ``stateDiagram-v2`` text that Mermaid 11 parses for any waypoint name.

    Waypoint names are free text ("waiting-room", "end", names with quotes or colons),
    but a Mermaid state id must be a bare word and not a keyword, so each waypoint gets
    the id ``s<position>`` and its name becomes the state's label.  The text is written
    directly rather than through ``GraphMachine``, which uses the names as ids.
    """
    ids = {name: f"s{index}" for index, name in enumerate(compiled.waypoints)}
    lines = ["stateDiagram-v2", "  direction LR"]
    lines += [f'  state "{_mermaid_text(name)}" as {state}' for name, state in ids.items()]
    lines.append(f"  [*] --> {ids[compiled.initial]}")
    for source, out in compiled.edges.items():
        for edge in out:
            label = _edge_label(compiled, edge)
            lines.append(f"  {ids[source]} --> {ids[edge.target]}: {_mermaid_text(label)}")
    return "\n".join(lines) + "\n"


def _edge_label(compiled: CompiledStory, edge: Edge) -> str:
    """What moves a session along ``edge``, as a presenter would say it."""
    target = compiled.waypoints[edge.target]
    labels = {Trigger.AFTER: f"after {target.after_ms} ms", Trigger.ADVANCE: "advance",
              Trigger.WHEN: f"when {target.when}"}
    return labels.get(edge.trigger, "")


def _mermaid_text(text: str) -> str:
    """``text`` safe inside a Mermaid label: anything but letters, digits and plain punctuation as ``#N;``.

    Mermaid reads ``"`` as the end of a state label, line breaks as the end of a
    statement, ``#...;`` as an entity and ``<...>`` as HTML, and trims spaces at
    either end; its own entity codes (decoded when the diagram is rendered) show
    every such character as itself.
    """
    last = len(text) - 1
    return "".join(ch if _is_plain(ch, edge=index in (0, last)) else f"#{ord(ch)};" for index, ch in enumerate(text))


def _is_plain(ch: str, edge: bool) -> bool:
    """Whether Mermaid shows ``ch`` as written: a space only between other characters."""
    return ch.isalnum() or (ch in _MERMAID_PLAIN and not (edge and ch == " "))
