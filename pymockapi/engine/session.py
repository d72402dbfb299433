"""One running instance of a story: its waypoint, timer, world and journal.

The journal is the session's truth: an ordered list of waypoints entered
and API changes made.  The world is always "seed + journal replayed", which
is what makes rewind exact and restarts byte-identical: going back to a
waypoint cuts the journal after the moment it was entered and replays.

Every public move is one acknowledged unit (:meth:`Session.acknowledged`):
everything it caused -- journal entries, the waypoint a demo call
triggered and its actions, timeline markers, the paused or running flag --
is committed in one store transaction before the caller answers, and the
events and recorder calls it produced are sent only after that commit.  A
unit that fails (a refused change, a full disk) leaves the session as the
store last acknowledged it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

from pymockapi.durations import parse_duration_ms
from pymockapi.engine.clock import Clock, iso_from_ms
from pymockapi.engine.faults import Fault, FaultBook, parse_fault
from pymockapi.engine.plan import ADVANCE, TIMER, CompiledStory, when_trigger
from pymockapi.engine.requests_log import MAX_REQUESTS, TAKE, RequestLog
from pymockapi.errors import Conflict, InvalidField, NotFound, PyMockAPIError
from pymockapi.industries.base import Record
from pymockapi.recording.recorders.base import RecorderLink
from pymockapi.recording.timeline import MarkerKind, MarkerSource, RecordingState, Timeline
from pymockapi.store.base import SessionRow, Store, Timer
from pymockapi.world.actions import StoryWorld
from pymockapi.world.changes import Change
from pymockapi.world.world import World, changed_records

log = logging.getLogger("pymockapi.session")
Publish = Callable[[dict[str, Any]], None]
Outbox = list[Callable[[], None]]
P = ParamSpec("P")
R = TypeVar("R")
ENTER = "enter"
CHANGE = "change"
VERB = "verb"
#: A presenter advance this soon after a timer moved the story is the same cue, not a second one.
RACE_WINDOW_MS = 50.0
#: A timed move the store refused is tried again after this long (not in a tight loop on a full disk).
RETRY_TIMER_MS = 1000.0


def _acknowledged(method: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Run a public move as one acknowledged unit (see :meth:`Session.acknowledged`)."""

    @functools.wraps(method)
    def unit(self: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.acknowledged():
            return method(self, *args, **kwargs)

    return unit


class Session:
    """A story running for one audience; the model of its story's state machine."""

    state: str

    def __init__(self, compiled: CompiledStory, row: SessionRow, clock: Clock, store: Store,
                 publish: Publish) -> None:
        self.compiled = compiled
        self.id = row.id
        self.seed = row.seed
        self.anchor = date.fromisoformat(row.anchor_date)
        self.created_ms = row.created_ms
        self.clock = clock
        self.store = store
        self.publish = publish
        self.paused = False
        self.journal: list[tuple[str, Any]] = []
        self._timer: Any = None
        self._due_at: float | None = None
        self._remaining: float | None = None
        self._epoch = 0
        self._timer_moved_at: float | None = None
        self.timeline = Timeline(clock.monotonic_ms, session_id=row.id)
        self.recorder_link: RecorderLink | None = None  # its link to the recording tool, if any
        self._outbox: Outbox | None = None  # events of the unit in progress, sent after its commit
        #: A failing waypoint action fails the call that moved the story (off for rehearsals, which collect).
        self.strict_actions = True
        self._timed_move = False  # a timer is moving the story: no caller to tell, the error event says it
        self._touched = False  # the unit in progress changed something in memory
        self.faults = FaultBook()
        self.requests = RequestLog()
        self.world = self._fresh_world()
        compiled.machine.add_model(self)

    # ------------------------------------------------------------- life cycle
    @classmethod
    def create(cls, compiled: CompiledStory, row: SessionRow, clock: Clock, store: Store,
               publish: Publish) -> Session:
        session = cls(compiled, row, clock, store, publish)
        try:
            with store.transaction():
                store.save_session(row)
                session.journal.append((ENTER, compiled.initial))
                session._run_action(compiled.initial, session.world, quiet=True)
                session._arm_for(compiled.initial, full=True)
                store.append(session.id, 0, ENTER, compiled.initial, timer=session._timer_row())
        except BaseException:
            session.close()
            raise
        return session

    @classmethod
    def restore(cls, compiled: CompiledStory, row: SessionRow, clock: Clock, store: Store,
                publish: Publish, *, down_since_ms: int | None = None) -> Session:
        """Back from the store exactly as acknowledged: running or paused, with its timer and recording.

        ``down_since_ms`` is when the server was last known to be up: a
        recording that was running keeps running, with a ``gap`` marker for
        the downtime.
        """
        session = cls(compiled, row, clock, store, publish)
        session._restore_from(row, down_since_ms)
        session.faults = FaultBook(Fault.from_dict(f) for f in row.faults)
        session.requests = RequestLog(row.requests, row.last_request_seq)
        if session.timeline.state is RecordingState.RECORDING:  # its gap marker is kept from now on
            session._save_timeline()
        return session

    def _restore_from(self, row: SessionRow, down_since_ms: int | None) -> None:
        """Take the state of ``row``: journal replayed, waypoint, timer (one that fell due fires once, now)."""
        compiled, clock = self.compiled, self.clock
        self._cancel_timer()
        self._timer_moved_at = None
        self.journal = [(k, d) for k, d in row.journal if k != ENTER or d in compiled.waypoints]
        if not self.journal:
            self.journal = [(ENTER, compiled.initial)]
        self.world = self._replay(self.journal)
        compiled.machine.set_state(self._current_from_journal(), model=self)
        self.paused = row.paused
        self._remaining = None
        edge = compiled.timed_next(self.state)
        if edge is not None:
            if row.paused or row.deadline_wall_ms is None:
                self._remaining = row.remaining_ms if row.remaining_ms is not None else float(
                    compiled.waypoints[edge.target].after_ms or 0)
            else:
                self._remaining = float(max(0, row.deadline_wall_ms - clock.wall_ms()))
            self._arm_for(self.state, full=False)
        self.timeline = Timeline(clock.monotonic_ms, session_id=row.id)
        if row.timeline:
            self.timeline = Timeline.restore(row.timeline, clock.monotonic_ms, session_id=row.id,
                                             now_wall_ms=clock.wall_ms(), down_since_ms=down_since_ms)

    @contextlib.contextmanager
    def acknowledged(self) -> Iterator[None]:
        """One acknowledged change: committed whole before the caller answers, announced after.

        Units nest (a demo call's change and the waypoint it triggers are
        one).  If anything inside fails -- a refused change, a store that
        cannot write -- nothing is sent, and a session that had already
        changed in memory is put back as the store last acknowledged it.
        """
        if self._outbox is not None:
            yield
            return
        self._outbox, self._touched = [], False
        try:
            with self.store.transaction():
                yield
        except BaseException:
            self._outbox = None
            if self._touched:
                self._roll_back()
            raise
        sent, self._outbox = self._outbox, None
        for send in sent:
            send()

    def _roll_back(self) -> None:
        row = self.store.load_one(self.id)
        if row is not None:
            self._restore_from(row, None)
            log.warning("session %s: a change was not stored; the session is as last acknowledged", self.id)

    def _emit(self, event: dict[str, Any]) -> None:
        """Send an event to the session's clients, after the unit in progress is committed."""
        if self._outbox is None:
            self.publish(event)
        else:
            self._outbox.append(functools.partial(self.publish, event))

    def _to_recorder(self, payload: dict[str, Any]) -> None:
        """Tell the recording tool, after the unit in progress is committed."""
        link = self.recorder_link
        if link is None:
            return
        if self._outbox is None:
            link.submit(payload)
        else:
            self._outbox.append(functools.partial(link.submit, payload))

    def rebase(self, compiled: CompiledStory) -> None:
        """The same session on a new version of its story (a reload).

        Id, seed, anchor date, API changes and waypoint are kept (the
        initial waypoint when its own is gone); the world is replayed on the
        new story, a timer keeps its remaining time when its waypoint still
        leads on by time, and clients get a ``state`` event.
        """
        with self.acknowledged():
            self._touched = True
            remaining, was = self._remaining_now(), self.state
            self._cancel_timer()
            self._timer_moved_at = None
            self._detach()
            self.compiled = compiled
            compiled.machine.add_model(self)
            waypoints = compiled.waypoints
            if was in waypoints:
                journal = [(k, d) for k, d in self.journal if k != ENTER or d in waypoints]
            else:
                journal = [(k, d) for k, d in self.journal if k != ENTER]
            if not journal or journal[0] != (ENTER, compiled.initial):
                journal.insert(0, (ENTER, compiled.initial))
            self.journal = journal
            self.world = self._replay(journal)
            state = self._current_from_journal()
            compiled.machine.set_state(state, model=self)
            self._remaining = remaining if state == was else None
            self._arm_for(state, full=self._remaining is None)
            self.store.replace_journal(self.id, self.journal, self._timer_row())
            self._publish_state()

    def _detach(self) -> None:
        """Leave the story's machine and drop the triggers it bound to this model."""
        self.compiled.machine.remove_model(self)
        for name, value in list(vars(self).items()):
            if isinstance(value, functools.partial):
                delattr(self, name)

    def close(self) -> None:
        """Stop timers, detach from the story's machine and break the session's reference cycles.

        The machine binds its triggers to the model as partials holding the
        model itself; without cutting them a deleted session (and its world
        of thousands of records) would wait for a full cyclic collection --
        a 100 ms stall on a busy server -- instead of going at once.
        """
        self._cancel_timer()
        self._detach()
        self.recorder_link = None

    # ------------------------------------------------------------------ moves
    @_acknowledged
    def advance(self) -> None:
        moved_at = self._timer_moved_at
        if moved_at is not None and self.clock.monotonic_ms() - moved_at <= RACE_WINDOW_MS:
            self._timer_moved_at = None
            self._publish_state()
            return
        edge = self.compiled.next_of(self.state)
        if edge is None:
            raise Conflict(f"'{self.state}' is the last waypoint of {self.compiled.id}.",
                           f"Go to any waypoint with {{\"to\": ...}}: {', '.join(self.compiled.order)}.",
                           code="no_next_waypoint")
        self._step(edge.target, ADVANCE)

    @_acknowledged
    def goto(self, target: str) -> None:
        if target not in self.compiled.waypoints:
            raise NotFound.of("waypoint", target, self.compiled.order,
                              how_to_list=f"GET /_api/stories/{self.compiled.id}", code="waypoint_not_found")
        entered = [i for i, (kind, name) in enumerate(self.journal) if kind == ENTER and name == target]
        if entered:
            self._rewind(entered[-1])
            return
        path = self.compiled.path(self.state, target)
        if path is None:
            self._rewind(0)
            path = self.compiled.path(self.state, target) or []
        for name in path:
            self._jump(name)

    @_acknowledged
    def back(self) -> None:
        enters = [i for i, (kind, _) in enumerate(self.journal) if kind == ENTER]
        if len(enters) < 2:
            raise Conflict(f"'{self.state}' is the first waypoint: there is nothing to go back to.",
                           "Advance first, or reset the session.", code="no_previous_waypoint")
        self._rewind(enters[-2])

    @_acknowledged
    def reset(self) -> None:
        self._rewind(0)

    @_acknowledged
    def pause(self) -> None:
        if self.paused:
            self._publish_state()
            return
        if self._due_at is not None:
            self._remaining = max(0.0, self._due_at - self.clock.monotonic_ms())
        self._cancel_timer()
        self.paused = True
        self._touched = True
        self.store.save_timer(self.id, *self._timer_row())
        self._publish_state()

    @_acknowledged
    def resume(self) -> None:
        if not self.paused:
            self._publish_state()
            return
        self.paused = False
        self._touched = True
        self._arm_for(self.state, full=False)
        self.store.save_timer(self.id, *self._timer_row())
        self._publish_state()

    @_acknowledged
    def endpoint_called(self, key: str) -> None:
        """Fire the endpoint-triggered waypoint that follows the current one, if any."""
        edge = self.compiled.when_next(self.state, key)
        if edge is not None:
            self._step(edge.target, when_trigger(key))

    # ---------------------------------------------------------------- changes
    @_acknowledged
    def apply(self, change: Change) -> list[Record]:
        """One API change: validated by the world, journaled durably, broadcast."""
        records = self.world.apply(change)
        self._touched = True
        seq = len(self.journal)
        self.store.append(self.id, seq, CHANGE, change.as_dict())
        self.journal.append((CHANGE, change.as_dict()))
        self._emit({"event": "changes", "records": records})
        return records

    @_acknowledged
    def perform(self, verb: str, ref: str, arguments: dict[str, Any]) -> list[Record]:
        """Run an industry verb for the API: all of its changes or none, journaled and broadcast."""
        function = self.compiled.pack.verbs[verb]
        try:
            inspect.signature(function).bind(None, ref, **arguments)
        except TypeError:
            params = [p for p in inspect.signature(function).parameters][2:]
            raise InvalidField(f"{verb} does not take these fields: {', '.join(sorted(arguments)) or 'none'}.",
                               f"Fields {verb} takes: {', '.join(params)}.", field="body") from None
        entry = {"verb": verb, "ref": ref, "arguments": arguments}
        changed: list[Record] = []
        self.world.listener = changed.extend
        try:
            with self.world.batch():  # all or nothing
                function(StoryWorld(self.world, _ignore), self.world.resolve(ref), **arguments)
        finally:
            self.world.listener = None
        self._touched = True
        self.store.append(self.id, len(self.journal), VERB, entry)
        self.journal.append((VERB, entry))
        self._emit({"event": "changes", "records": changed})
        return changed

    # -------------------------------------------------------------- snapshots
    def snapshot(self, name: object) -> dict[str, Any]:
        """Keep the session's whole state under ``name``: waypoint, world (its journal), paused flag, timer."""
        name = _snapshot_name(name)
        if any(kept == name for kept, _, _ in self.store.snapshots(self.id)):
            raise Conflict(f"Snapshot '{name}' already exists.", "Pick another name, or DELETE it first.",
                           code="snapshot_exists")
        created = self.clock.wall_ms()
        data = {"waypoint": self.state, "journal": self.journal, "paused": self.paused,
                "remaining_ms": self._remaining_now()}
        self.store.save_snapshot(self.id, name, created, data)
        return {"name": name, "waypoint": self.state, "created_at": iso_from_ms(created)}

    def snapshots(self) -> list[dict[str, Any]]:
        return [{"name": name, "waypoint": data.get("waypoint"), "created_at": iso_from_ms(created)}
                for name, created, data in self.store.snapshots(self.id)]

    def delete_snapshot(self, name: str) -> None:
        self._snapshot_data(name)
        self.store.delete_snapshot(self.id, name)

    @_acknowledged
    def restore_snapshot(self, name: str) -> None:
        """The session exactly as it was when the snapshot was taken (same journal, so byte-identical bodies)."""
        data = self._snapshot_data(name)
        previous, old = self.state, self.world
        self._cancel_timer()
        self._timer_moved_at = None
        self._touched = True
        journal = [(str(k), d) for k, d in data.get("journal", [])
                   if k != ENTER or d in self.compiled.waypoints]
        self.journal = journal or [(ENTER, self.compiled.initial)]
        self.world = self._replay(self.journal)
        target = self._current_from_journal()
        self.compiled.machine.set_state(target, model=self)
        self.paused = bool(data.get("paused"))
        remaining = data.get("remaining_ms")
        self._remaining = float(remaining) if isinstance(remaining, (int, float)) else None
        self._arm_for(target, full=self._remaining is None)
        self.store.replace_journal(self.id, self.journal, self._timer_row())
        self._chapter(target)
        self._announce(previous, target, changed_records(old, self.world))

    def _snapshot_data(self, name: str) -> dict[str, Any]:
        kept = {n: data for n, _, data in self.store.snapshots(self.id)}
        if name not in kept:
            raise NotFound.of("snapshot", name, kept, how_to_list=f"GET /_api/sessions/{self.id}/snapshots",
                              code="snapshot_not_found")
        return kept[name]

    def _remaining_now(self) -> float | None:
        if self.paused or self._due_at is None:
            return self._remaining
        return max(0.0, self._due_at - self.clock.monotonic_ms())

    # ------------------------------------------------------------------ faults
    def add_fault(self, body: dict[str, Any], source: str = "api") -> dict[str, Any]:
        fault = parse_fault(body, (e.key for e in self.compiled.endpoints), self.faults.new_id(), source)
        self.faults.add(fault)
        try:
            self.store.save_fault(self.id, fault.stored())
        except PyMockAPIError:
            self.faults.remove(fault.id)
            raise
        return fault.as_dict()

    def delete_fault(self, fault_id: str) -> None:
        self.faults.get(fault_id)
        self.store.delete_fault(self.id, fault_id)
        self.faults.remove(fault_id)

    def take_fault(self, endpoint: str) -> Fault | None:
        """The fault this call of ``endpoint`` meets, counted (and kept counted) before it fires."""
        fault = self.faults.first(endpoint) if self.faults else None
        if fault is None:
            return None
        if fault.times and fault.used + 1 >= fault.times:
            self.store.delete_fault(self.id, fault.id)
        else:
            self.store.save_fault(self.id, {**fault.stored(), "used": fault.used + 1})
        self.faults.use(fault)
        return fault

    def _story_fault(self, endpoint: str, status: int | None, latency: object, times: int) -> None:
        body: dict[str, Any] = {"endpoint": endpoint, "times": times}
        if status is not None:
            body["status"] = status
        if latency:
            try:
                body["latency_ms"] = latency if isinstance(latency, int) else parse_duration_ms(latency, "latency")
            except ValueError as exc:
                raise InvalidField(str(exc), 'Write latencies like "800ms" or "2s".', field="latency") from None
        self.add_fault(body, source="story")

    # ---------------------------------------------------------------- requests
    def record_request(self, method: str, path: str, status: int, duration_ms: float) -> None:
        """Note one demo call (written to the store with the next batch, see :meth:`flush_requests`)."""
        entry: dict[str, Any] = {"at": iso_from_ms(self.clock.wall_ms()), "method": method, "path": path,
                                 "status": status, "duration_ms": round(duration_ms, 3), "waypoint": self.state}
        if self.timeline.accepts_markers:
            entry["offset_ms"] = self.timeline.offset_ms()
            entry[TAKE] = self.timeline.take
        self.requests.add(entry)

    def flush_requests(self) -> None:
        first, entries = self.requests.unsaved()
        if entries:
            self.store.add_requests(self.id, first, entries, MAX_REQUESTS)
            self.requests.saved(len(entries))

    # -------------------------------------------------------------- recording
    @_acknowledged
    def annotate(self, text: str, kind: str = "note", source: str = "api", *, duration_ms: int | None = None,
                 at_ms: int | None = None) -> dict[str, Any]:
        marker = self.timeline.add_marker(kind, text, source,
                                          waypoint=self.state, duration_ms=duration_ms, at_ms=at_ms)
        self._touched = True
        self._save_timeline()
        body = marker.as_dict()
        self._emit({"event": "annotation", **body})
        self._to_recorder({"event": "annotation", "session": self.id, "offset_ms": body["offset_ms"],
                           "text": body["text"], "kind": body["kind"],
                           **({"duration_ms": duration_ms} if duration_ms else {})})
        return body

    @_acknowledged
    def recording(self, action: str) -> None:
        """start / stop / pause / resume the timeline and the recorder with it."""
        if action == "start":
            self.timeline.start(iso_from_ms(self.clock.wall_ms()))
        else:
            getattr(self.timeline, action)()
        self._touched = True
        self._save_timeline()
        self._to_recorder({"event": action, "session": self.id, "offset_ms": self.timeline.offset_ms()})
        if action == "start":
            self._chapter(self.state)
        self._publish_state()

    def _chapter(self, waypoint: str) -> None:
        if not self.timeline.accepts_markers:
            return
        wp = self.compiled.waypoints[waypoint]
        marker = self.timeline.add_marker(MarkerKind.CHAPTER, wp.narration or wp.name, MarkerSource.WAYPOINT,
                                          waypoint=waypoint)
        self._touched = True
        self._save_timeline()
        self._to_recorder({"event": "marker", "session": self.id, "offset_ms": marker.offset_ms,
                           "text": marker.text, "kind": marker.kind.value})

    def _save_timeline(self) -> None:
        self.store.save_timeline(self.id, self.timeline.snapshot_json(wall_ms=self.clock.wall_ms()))

    # ------------------------------------------------------------------- views
    def as_dict(self) -> dict[str, Any]:
        """SPEC's session object."""
        enters = [name for kind, name in self.journal if kind == ENTER]
        edge = self.compiled.next_of(self.state)
        nxt: dict[str, Any] | None = None
        if edge is not None:
            due: int | None = None
            if self.compiled.timed_next(self.state) is edge:
                if self.paused or self._due_at is None:
                    due = round(self._remaining) if self._remaining is not None else None
                else:
                    due = round(max(0.0, self._due_at - self.clock.monotonic_ms()))
            nxt = {"waypoint": edge.target, "due_in_ms": due}
        recorder = self.recorder_link
        return {
            "id": self.id,
            "story": self.compiled.id,
            "seed": self.seed,
            "anchor_date": self.anchor.isoformat(),
            "waypoint": self.state,
            "waypoints_done": enters[:-1],
            "paused": self.paused,
            "next": nxt,
            "base_url": f"/demo/{self.id}",
            "ws_url": f"/_api/sessions/{self.id}/ws",
            "recording": {
                "state": self.timeline.state.value,
                "offset_ms": self.timeline.offset_ms(),
                "recorder": recorder.describe() if recorder else {"name": "none", "status": "none", "detail": ""},
            },
        }

    # ----------------------------------------------------------------- helpers
    def _fresh_world(self) -> World:
        story = self.compiled.story
        heroes = {alias: (h.kind, h.pins) for alias, h in story.heroes.items()}
        return World(story.id, story.seed, self.seed, self.anchor, self.compiled.pack, story.cast, heroes,
                     self.compiled.families)

    def _replay(self, journal: list[tuple[str, Any]]) -> World:
        world = self._fresh_world()
        for kind, data in journal:
            if kind == ENTER:
                self._run_action(data, world, quiet=True)
            elif kind == VERB:
                try:
                    with world.batch():
                        self.compiled.pack.verbs[data["verb"]](StoryWorld(world, _ignore),
                                                               world.resolve(data["ref"]), **data["arguments"])
                except (PyMockAPIError, KeyError, TypeError) as exc:
                    log.warning("session %s: journaled %s no longer applies: %s", self.id, data.get("verb"), exc)
            else:
                try:
                    world.apply(Change.from_dict(data))
                except PyMockAPIError as exc:  # a story edited since: keep serving
                    log.warning("session %s: journaled change no longer applies: %s", self.id, exc.message)
        return world

    def _current_from_journal(self) -> str:
        return str([name for kind, name in self.journal if kind == ENTER][-1])

    def _run_action(self, waypoint: str, world: World, *, quiet: bool) -> list[Record]:
        wp = self.compiled.waypoints[waypoint]
        changed: list[Record] = []
        if wp.does is None and wp.annotate is None:
            return changed
        world.listener = changed.extend
        try:
            if wp.does is not None:
                with world.batch():
                    wp.does(StoryWorld(world, self._story_annotation if not quiet else _ignore,
                                       self._story_fault if not quiet else _no_fault))
        except Exception as exc:  # story code must never take the server down
            changed.clear()  # the batch rolled back
            log.warning("session %s: action of %s failed: %s", self.id, waypoint, exc)
            if not quiet:
                message = f"{self.compiled.file}: {waypoint}: {type(exc).__name__}: {exc}"
                event = {"event": "error", "code": "action_failed", "message": message}
                if self.strict_actions and not self._timed_move:
                    # the call that moved the story fails, and nothing of the move is kept: no silent no-op
                    self.publish(event)
                    raise PyMockAPIError(message, f"Fix the action of '{waypoint}' (pymockapi check rehearses every "
                                         "waypoint); the session stays where it was.", code="action_failed",
                                         status=500) from None
                self._emit(event)
        finally:
            world.listener = None
        if wp.annotate and not quiet:
            self._story_annotation(wp.annotate, "note", None)
        return changed

    def _story_annotation(self, text: str, kind: str, duration_ms: int | None) -> None:
        if self.timeline.accepts_markers:
            self.annotate(text, kind, "story", duration_ms=duration_ms)

    def _step(self, target: str, trigger: str) -> None:
        previous = self.state
        self.trigger(trigger)  # type: ignore[attr-defined]
        self._entered(previous, target)

    def _jump(self, target: str) -> None:
        previous = self.state
        self.compiled.machine.set_state(target, model=self)
        self._entered(previous, target)

    def _entered(self, previous: str, target: str) -> None:
        self._cancel_timer()
        self._timer_moved_at = None
        seq = len(self.journal)
        self._touched = True
        self.journal.append((ENTER, target))
        changed = self._run_action_loud(target)
        self._arm_for(target, full=True)
        self.store.append(self.id, seq, ENTER, target, timer=self._timer_row())
        self._announce(previous, target, changed)

    def _run_action_loud(self, target: str) -> list[Record]:
        # Annotations from story code must follow the chapter marker of the waypoint.
        self._chapter(target)
        return self._run_action(target, self.world, quiet=False)

    def _rewind(self, seq: int) -> None:
        previous = self.state
        target = self.journal[seq][1]
        old = self.world
        self._cancel_timer()
        self._timer_moved_at = None
        self._touched = True
        self.journal = self.journal[: seq + 1]
        self.world = self._replay(self.journal)
        self.compiled.machine.set_state(target, model=self)
        self._arm_for(target, full=True)
        self.store.truncate(self.id, seq, timer=self._timer_row())
        self._chapter(target)
        self._announce(previous, target, changed_records(old, self.world))

    def _announce(self, previous: str, target: str, changed: list[Record]) -> None:
        wp = self.compiled.waypoints[target]
        self._emit({"event": "waypoint", "from": previous, "to": target, "narration": wp.narration,
                      "at": iso_from_ms(self.clock.wall_ms())})
        if changed:
            self._emit({"event": "changes", "records": changed})
        self._publish_state()

    def _publish_state(self) -> None:
        self._emit({"event": "state", "session": self.as_dict()})

    def _arm_for(self, waypoint: str, *, full: bool) -> None:
        """Start (or, when paused, hold) the timer of the timed waypoint after ``waypoint``."""
        edge = self.compiled.timed_next(waypoint)
        if edge is None:
            self._remaining = None
            return
        if full or self._remaining is None:
            self._remaining = float(self.compiled.waypoints[edge.target].after_ms or 0)
        if self.paused:
            return
        epoch = self._epoch
        self._due_at = self.clock.monotonic_ms() + self._remaining
        self._timer = self.clock.call_later(self._remaining, lambda: self._on_timer(epoch))

    def _on_timer(self, epoch: int) -> None:
        if epoch != self._epoch or self.paused:
            return  # a manual move or a pause got there first: exactly one transition
        self._timer = None
        self._due_at = None
        self._remaining = None
        edge = self.compiled.timed_next(self.state)
        if edge is None:
            return
        try:
            self._timed_move = True
            with self.acknowledged():
                self._step(edge.target, TIMER)
        except PyMockAPIError as exc:  # the store refused the move: try again later, not in a tight loop
            log.warning("session %s: the timed move to %s was not stored: %s", self.id, edge.target, exc.message)
            self.publish({"event": "error", "code": exc.code, "message": exc.message})
            self._cancel_timer()
            if not self.paused:
                epoch = self._epoch
                self._due_at = self.clock.monotonic_ms() + RETRY_TIMER_MS
                self._timer = self.clock.call_later(RETRY_TIMER_MS, lambda: self._on_timer(epoch))
            return
        finally:
            self._timed_move = False
        self._timer_moved_at = self.clock.monotonic_ms()

    def _cancel_timer(self) -> None:
        self._epoch += 1
        if self._timer is not None:
            self.clock.cancel(self._timer)
        self._timer = None
        self._due_at = None

    def _timer_row(self) -> Timer:
        if self.paused or self._due_at is None:
            return self.paused, self._remaining, None
        return False, None, self.clock.wall_ms() + round(self._due_at - self.clock.monotonic_ms())


def _ignore(text: str, kind: str, duration_ms: int | None) -> None:
    return None


def _no_fault(endpoint: str, status: int | None, latency: object, times: int) -> None:
    """A replayed action's fault is not added again (the store kept it, or it has fired)."""


#: Snapshot names: what a presenter types, and what fits a URL segment unescaped.
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _snapshot_name(name: object) -> str:
    if not isinstance(name, str) or not _SNAPSHOT_NAME.match(name):
        raise InvalidField(f"Snapshot name {str(name)[:80]!r} is not valid.",
                           "Use letters, digits, dots, dashes and underscores (at most 64), e.g. \"before-alert\".",
                           field="name")
    return name
