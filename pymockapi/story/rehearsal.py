"""Run a story off-line: for ``check`` (a full rehearsal of the demo) and ``export``.

A story's mistakes -- a verb or persona name that does not exist, an
argument a verb refuses, a template that fails only on a branch reached
later in the story -- are Python or Jinja2 that runs only when the demo
gets there.  A rehearsal gets there first: for each rehearsal seed it walks
every waypoint in order (running every action against a real world),
calls every ``when`` endpoint that changes the world with a plausible body,
renders every GET endpoint at every waypoint in every format it offers,
checks the world against its industry's rules after every step, and goes
back to the start the way a presenter does (the engine's rewind).  Every
failure is reported as ``file: waypoint: problem``.

The session is the engine's own, so the rehearsal meets exactly what a demo
would.  The engine reports an action that raises as an ``error`` event
(story code must never take a server down); the rehearsal collects those
events through the session's ``publish`` seam.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from pymockapi.engine.calls import DemoCall, DemoCalls, xml_root
from pymockapi.engine.clock import ManualClock
from pymockapi.engine.plan import CompiledStory, Endpoint, Method, Trigger
from pymockapi.engine.session import Publish, Session
from pymockapi.engine.view import WAYPOINT, dependencies, endpoint_context, render_endpoint, sample_params
from pymockapi.errors import PyMockAPIError, StoryError, TemplateError, closest
from pymockapi.industries.base import Record
from pymockapi.render.environment import TemplateSet
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.store.sqlite import SessionRow, StateStore
from pymockapi.world.actions import StoryWorld
from pymockapi.world.memo import Token
from pymockapi.world.world import World

if TYPE_CHECKING:
    from pymockapi.engine.sessions import SessionManager

#: The session seeds ``check`` rehearses with (SPEC: 1, 2 and 3); a server start rehearses the first.
CHECK_SEEDS = (1, 2, 3)
START_SEEDS = (1,)
REHEARSAL_ANCHOR = "2026-03-12"
#: Plausible values for a verb's required arguments, by argument name, for a ``when`` endpoint's example body.
EXAMPLE_ARGUMENTS: Mapping[str, Any] = {"amount": "25.00", "percent": "1.5", "quantity": 1}
#: Memo keys of the bodies a rehearsal rendered (beside the demo calls' own).
_MEMO = "rehearsed"
_SESSION_LOG = logging.getLogger("pymockapi.session")


def offline_session(compiled: CompiledStory, seed: int, anchor_date: str,
                    publish: Publish | None = None) -> Session:
    """A session in memory, at the initial waypoint, on a clock that never moves."""
    row = SessionRow(compiled.id, compiled.id, seed, anchor_date, 0)
    session = Session.create(compiled, row, ManualClock(), StateStore(None), publish or _drop)
    session.strict_actions = False  # a rehearsal collects every failing action instead of stopping at the first
    return session


def rehearse(compiled: CompiledStory, templates: TemplateSet, anchor_date: str = REHEARSAL_ANCHOR,
             seeds: Sequence[int] = START_SEEDS) -> list[PyMockAPIError]:
    """Play the story through for each of ``seeds``; return every problem met, each once.

    A server start rehearses one seed (:data:`START_SEEDS`, about a second
    for the shipped stories); ``check`` passes :data:`CHECK_SEEDS`.
    """
    problems: dict[tuple[str | None, str], PyMockAPIError] = {}
    for endpoint in compiled.endpoints:
        if endpoint.api is not None:
            continue
        try:
            templates.check(endpoint.template)
            templates.reads(endpoint.template, WAYPOINT)  # worked out now, not on the first request
        except TemplateError as exc:
            problems[(None, endpoint.key)] = StoryError(compiled.file, None, f"endpoint {endpoint.key}: "
                                                        f"{exc.message}", exc.hint)
    if not problems:
        with _quiet_session_log():
            for seed in seeds:
                for where, what, problem in _Rehearsal(compiled, templates, seed, anchor_date).run():
                    problems.setdefault((where, what), problem)
    return list(problems.values())


class _Rehearsal:
    """One session of a story played from the first waypoint to the last and back."""

    def __init__(self, compiled: CompiledStory, templates: TemplateSet, seed: int, anchor_date: str) -> None:
        self.compiled = compiled
        self.templates = templates
        self.seed = seed
        self.anchor_date = anchor_date
        self.events: list[dict[str, Any]] = []
        self.problems: list[tuple[str | None, str, PyMockAPIError]] = []
        # respond() never looks a session up (the DemoCall names it): no session registry is needed
        self.calls = DemoCalls(cast("SessionManager", None), templates)

    def run(self) -> list[tuple[str | None, str, PyMockAPIError]]:
        compiled = self.compiled
        self._initial_action()
        session = offline_session(compiled, self.seed, self.anchor_date, self.events.append)
        try:
            self._at(session, compiled.initial)
            for name in compiled.order:
                if name == compiled.initial:
                    continue
                self._enter(session, name)
                self._at(session, name)
            session.goto(compiled.initial)  # rewind: the world replayed to the start
            self._at(session, compiled.initial)
        except PyMockAPIError as exc:  # the engine itself refused a move: nothing further can be rehearsed
            self._problem(session.state, "move", exc.message, exc.hint)
        finally:
            session.close()
        return self.problems

    # ----------------------------------------------------------------- steps
    def _initial_action(self) -> None:
        """The initial waypoint's action, which a new session runs without reporting (on a scratch world)."""
        compiled = self.compiled
        wp = compiled.waypoints[compiled.initial]
        if wp.does is None:
            return
        story = compiled.story
        heroes = {alias: (h.kind, h.pins) for alias, h in story.heroes.items()}
        world = World(story.id, story.seed, self.seed, date.fromisoformat(self.anchor_date), compiled.pack,
                      story.cast, heroes, compiled.families)
        try:
            with world.batch():
                wp.does(StoryWorld(world, _no_note))
        except Exception as exc:  # story code: any failure is a problem to report
            hint = self._hint_of(exc)
            self._problem(compiled.initial, "action", f"action failed: {type(exc).__name__}: {_text(exc)}", hint)

    def _enter(self, session: Session, name: str) -> None:
        """Move on to ``name`` as a demo would: by calling its ``when`` endpoint if it has one, else by goto."""
        endpoint = self._when_write(session, name)
        if endpoint is not None:
            self._call(session, name, endpoint)
        if session.state != name:
            session.goto(name)
        self._collect(session, name)

    def _when_write(self, session: Session, name: str) -> Endpoint | None:
        """The story's own write endpoint that moves the session from where it is to ``name``, if any."""
        wp = self.compiled.waypoints[name]
        if wp.trigger is not Trigger.WHEN or self.compiled.when_next(session.state, wp.when or "") is None:
            return None
        endpoint = next((e for e in self.compiled.endpoints if e.key == wp.when), None)
        if endpoint is None or endpoint.api is not None or endpoint.method is Method.GET:
            return None  # an API description's operation: its bodies are the description's (not rehearsed yet)
        return endpoint

    def _call(self, session: Session, name: str, endpoint: Endpoint) -> None:
        """Call a ``when`` endpoint with an example body; a refusal is a problem of the waypoint it triggers."""
        world = session.world
        params = _params(world, endpoint)
        body = example_body(world, endpoint, params)
        if body is None:
            return
        call = DemoCall(session, endpoint, params, {}, "json", (endpoint.key, self.seed))
        try:
            self.calls.respond(call, json.dumps(body).encode(), "application/json")
        except Exception as exc:  # a refusal, or industry code that broke on a plausible body
            self._problem(name, endpoint.key, f"{endpoint.key} with the example body {json.dumps(body)} "
                          f"was refused: {_text(exc)}", self._hint_of(exc))

    def _collect(self, session: Session, name: str) -> None:
        """Report the actions that failed while entering ``name`` and any rule the changed world breaks."""
        changed: list[Record] = []
        for event in self.events:
            if event.get("event") == "error" and event.get("code") == "action_failed":
                # "file: waypoint: problem": a goto may have passed through waypoints on its way to ``name``
                where, _, problem = str(event.get("message", "")).removeprefix(f"{self.compiled.file}: ").partition(
                    ": ")
                if where not in self.compiled.waypoints:
                    where, problem = name, f"{where}: {problem}"
                hint = self._hint(session.world, name) if where == name else ""
                self._problem(where, "action", "action failed: " + problem, hint)
            elif event.get("event") == "changes":
                changed.extend(event.get("records") or [])
        self.events.clear()
        self._rules(session, name, changed)

    def _hint(self, world: World, name: str) -> str:
        """What to do about the action of ``name`` that failed: it runs again, undone whatever it does.

        The engine's error event carries the message only; the error itself
        (its hint: the verbs there are, the names nearest a mistyped one)
        comes from running the action once more on the world it failed on,
        which its failure left as it was.
        """
        action = self.compiled.waypoints[name].does
        if action is None:
            return ""
        try:
            with world.batch():
                action(StoryWorld(world, _no_note))
                raise _Undo
        except _Undo:
            return ""
        except Exception as exc:  # story code: the same failure, this time with its hint
            return self._hint_of(exc)

    def _hint_of(self, exc: Exception) -> str:
        if not isinstance(exc, PyMockAPIError):
            return ""
        hint = exc.hint
        heroes = list(self.compiled.story.heroes)
        wanted = exc.details.get("wanted")
        if isinstance(wanted, str) and heroes and exc.code.endswith("not_found"):
            near = [h for h in closest(wanted, heroes, n=1) if h != wanted]
            named = f"The story's heroes: {', '.join(heroes)}."
            hint = f"Did you mean {near[0]!r}? {named}" if near else f"{named} {hint}".strip()
        return hint

    def _rules(self, session: Session, name: str, changed: list[Record]) -> None:
        world = session.world
        roots = {world.root_of(r) for r in changed if not r.get("deleted") and world.find(r["id"]) is not None}
        records: list[Record] = []
        for root in sorted(roots):
            records.append(world.get(root))
            for group in world.related(root).values():
                records.extend(group)
        for violation in world.pack.validate(records, anchor=world.anchor):
            self._problem(name, f"rule {violation.record_id}.{violation.field}",
                          f"the world breaks a {world.pack.name} rule: {violation.record_id}.{violation.field}: "
                          f"{violation.problem}", "Change the action so it keeps the industry's rules.")

    def _at(self, session: Session, name: str) -> None:
        """Render every GET endpoint in every format it offers, as the demo is at ``name``.

        A body whose records did not change since the last waypoint is not
        rendered again (the world's memo knows, as it does for a demo call).
        """
        world = session.world
        for endpoint in self.compiled.endpoints:
            if endpoint.method is not Method.GET:
                continue
            key: tuple[Any, ...] = (_MEMO, endpoint.key)
            if endpoint.api is None and self.templates.reads(endpoint.template, WAYPOINT):
                key += (session.state,)
            if world.memo.get(key) is not None:
                continue
            try:
                shown = self._render(session, endpoint)
            except _Failed as failed:
                exc = failed.error
                self._problem(name, f"{endpoint.key} {failed.fmt}", f"{endpoint.key} ({failed.fmt}, session seed "
                              f"{self.seed}): {exc.message}", exc.hint)
                continue
            world.memo.put(key, True, shown)

    def _render(self, session: Session, endpoint: Endpoint) -> set[Token]:
        """Each body a GET call answers (as :meth:`DemoCalls._render` makes them), without moving the story;
        returns what the bodies show."""
        world = session.world
        if endpoint.api is not None:
            for fmt in ("json", "xml") if endpoint.api.serves_xml() else ("json",):
                with _failing(fmt):
                    endpoint.api.render(world, endpoint.api.sample_params(world), {}, [], fmt)
            return {("type", rt.name) for rt in world.pack.record_types}
        with _failing("json"):
            context = endpoint_context(world, endpoint, _params(world, endpoint), {}, [], session.state)
            value = render_endpoint(self.templates, endpoint, context)
            to_json(value, compact=endpoint.compact)
        with _failing("xml"):
            to_xml(value, root=xml_root(endpoint))
        for fmt, alt in self.compiled.pack.formats.items():
            with _failing(fmt):
                subject = context["record"]
                to_json(alt.one(subject) if subject is not None else alt.many(context["items"]))
        return dependencies(world, endpoint, context)

    def _problem(self, waypoint: str | None, what: str, problem: str, hint: str) -> None:
        self.problems.append((waypoint, what, StoryError(self.compiled.file, waypoint, problem, hint)))


def example_body(world: World, endpoint: Endpoint, params: Mapping[str, str]) -> dict[str, Any] | None:
    """A plausible body for a write endpoint: its owner (when the path does not name it) and the verb's
    required arguments; None when a required argument has no plausible value to rehearse with."""
    body: dict[str, Any] = {}
    rt = world.pack.record_type(endpoint.record_type or "")
    owner = rt.owner_field if rt is not None else None
    if endpoint.creates and owner and owner not in params:
        ids = world.ids(owner[:-3])
        if not ids:
            return None
        body[owner] = ids[0]
    if endpoint.verb:
        verb = world.pack.verbs[endpoint.verb]
        for param in list(inspect.signature(verb).parameters.values())[2:]:
            if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
                continue
            kind = param.name[:-3] if param.name.endswith("_id") else ""
            if world.pack.record_type(kind) is not None and world.ids(kind):
                body[param.name] = world.ids(kind)[0]  # a real one of what it names (the first product)
            elif param.default is inspect.Parameter.empty:
                if param.name not in EXAMPLE_ARGUMENTS:
                    return None
                body[param.name] = EXAMPLE_ARGUMENTS[param.name]
    elif endpoint.creates:  # a record like the first one of its type
        existing = world.records(endpoint.creates)
        if not existing:
            return None
        body.update({k: v for k, v in existing[0].items() if k not in ("id", "type", owner)})
    return body


def _params(world: World, endpoint: Endpoint) -> dict[str, str]:
    """Real ids for the path: ``{account_id}`` takes an account's id, other parameters what the views take."""
    params = sample_params(world, endpoint)
    for name in endpoint.params:
        kind = name[:-3] if name.endswith("_id") else ""
        if world.pack.record_type(kind) is not None and world.ids(kind):
            params[name] = world.ids(kind)[0]
    return params


@contextlib.contextmanager
def _quiet_session_log() -> Iterator[None]:
    """The engine logs a failed action; a rehearsal reports it as a problem instead."""
    was = _SESSION_LOG.disabled
    _SESSION_LOG.disabled = True
    try:
        yield
    finally:
        _SESSION_LOG.disabled = was


def _text(exc: Exception) -> str:
    return exc.message if isinstance(exc, PyMockAPIError) else str(exc)


class _Undo(Exception):
    """Raised to roll back an action that was run again only to learn its hint."""


class _Failed(Exception):
    """A body that failed in one format."""

    def __init__(self, fmt: str, error: PyMockAPIError) -> None:
        super().__init__(error.message)
        self.fmt = fmt
        self.error = error


@contextlib.contextmanager
def _failing(fmt: str) -> Iterator[None]:
    try:
        yield
    except PyMockAPIError as exc:
        raise _Failed(fmt, exc) from exc
    except Exception as exc:  # an industry format's code broke on these records: still a problem, not a crash
        raise _Failed(fmt, PyMockAPIError(f"{type(exc).__name__}: {exc}")) from exc


def _drop(event: dict[str, Any]) -> None:
    return None


def _no_note(text: str, kind: str, duration_ms: int | None) -> None:
    return None
