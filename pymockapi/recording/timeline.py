"""One session's recording: its state, its clock and its markers.

The timeline is a pure domain object.  It never reads a wall clock and does
no I/O: the caller hands it a ``monotonic_ms`` function (the application's
clock seam) and an ISO 8601 ``started_at`` string when recording starts, so
tests drive it with a manual clock and a restarted process can restore it
from :meth:`Timeline.snapshot`.

Offsets are integer milliseconds since :meth:`Timeline.start`, measured on the
monotonic clock and excluding the time spent in :meth:`Timeline.pause` (a
*session* pause is not a recording pause and is none of our business here).
"""

from __future__ import annotations

import bisect
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from pymockapi.errors import Conflict, InvalidField, NotFound

MonotonicMs = Callable[[], float]

MAX_TEXT_CHARS = 500
"""Longest marker text: a caption a viewer can read, not an essay."""

MAX_WAYPOINT_CHARS = 200
MAX_DURATION_MS = 24 * 60 * 60 * 1000
"""A marker lasting more than a day is a typo, not a demo."""

SNAPSHOT_VERSION = 1
#: Takes kept per session (older ones are dropped first): a rehearsal day, not an archive.
MAX_TAKES = 100


class RecordingState(StrEnum):
    """Where a recording is in its life; values are SPEC's wire names."""

    IDLE = "idle"
    RECORDING = "recording"
    PAUSED = "paused"
    STOPPED = "stopped"


class MarkerKind(StrEnum):
    """A chapter starts a section; the others annotate a moment."""

    CHAPTER = "chapter"
    NOTE = "note"
    CALLOUT = "callout"
    HIGHLIGHT = "highlight"
    GAP = "gap"
    """Where the server was down while the recording ran (placed by the server only)."""
    REQUEST = "request"
    """A demo call the front-end made (only in exports that ask for them: ``?requests=true``)."""


class MarkerSource(StrEnum):
    """Who placed a marker: the story engine, a client or story code."""

    WAYPOINT = "waypoint"
    API = "api"
    WS = "ws"
    HOTKEY = "hotkey"
    STORY = "story"


ANNOTATION_KINDS: tuple[MarkerKind, ...] = (MarkerKind.NOTE, MarkerKind.CALLOUT, MarkerKind.HIGHLIGHT)
#: What :meth:`Timeline.add_marker` places: every kind but the server's own ``gap``.
PLACEABLE_KINDS: tuple[MarkerKind, ...] = (MarkerKind.CHAPTER, *ANNOTATION_KINDS)

_WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")
"""Controls that separate words: they become a space instead of vanishing."""

_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})
"""Control characters and lone surrogates: they break subtitles, XML and UTF-8."""


def clean_text(value: object, field: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return ``value`` as one displayable line, or raise :class:`InvalidField`.

    Marker text ends up in subtitle files, EDL comments and on-screen
    overlays, all of which are line-oriented, so line breaks become spaces,
    other control characters are dropped and runs of spaces collapse.
    """
    if not isinstance(value, str):
        raise InvalidField(f"'{field}' must be a string.", f"Send '{field}' as JSON text.", field=field)
    kept = (" " if ch in _WHITESPACE_CONTROLS else ch for ch in value)
    text = "".join(ch for ch in kept if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = " ".join(text.split())
    if not text:
        raise InvalidField(f"'{field}' is empty.", f"Give '{field}' some visible text.", field=field)
    if len(text) > max_chars:
        raise InvalidField(f"'{field}' has {len(text)} characters; at most {max_chars} are allowed.",
                           f"Shorten '{field}' to {max_chars} characters or fewer.", field=field)
    return text


def as_ms(value: object, field: str, low: int, high: int) -> int:
    """Return ``value`` as whole milliseconds in ``[low, high]``, or raise :class:`InvalidField`.

    JSON clients may send ``4000.0`` for ``4000``; a fraction of a millisecond
    or a boolean is a mistake worth naming.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField(f"'{field}' must be a whole number of milliseconds.",
                           f"Send '{field}' as an integer between {low} and {high}.", field=field)
    if not low <= value <= high:
        raise InvalidField(f"'{field}' is {value} ms, outside {low}..{high} ms.",
                           f"Send '{field}' between {low} and {high}.", field=field)
    return value


_E = TypeVar("_E", bound=StrEnum)


def as_member(enum: type[_E], value: object, field: str) -> _E:
    """Return ``value`` as a member of ``enum`` (members and their wire names both accepted)."""
    wire_names = {member.value: member for member in enum}
    if isinstance(value, str) and value in wire_names:
        return wire_names[value]
    known = ", ".join(wire_names)
    raise InvalidField(f"'{field}' is {value!r}, which is not one of {known}.",
                       f"Use one of: {known}.", field=field, allowed=list(wire_names))


@dataclass(frozen=True)
class Marker:
    """A chapter or annotation at ``offset_ms`` from the start of the recording."""

    kind: MarkerKind
    text: str
    offset_ms: int
    duration_ms: int | None
    waypoint: str | None
    source: MarkerSource

    @property
    def is_chapter(self) -> bool:
        return self.kind is MarkerKind.CHAPTER

    def as_dict(self) -> dict[str, Any]:
        """SPEC's marker object, keys in SPEC's order, absent optionals omitted."""
        body: dict[str, Any] = {"kind": self.kind.value, "text": self.text, "offset_ms": self.offset_ms}
        if self.duration_ms is not None:
            body["duration_ms"] = self.duration_ms
        if self.waypoint is not None:
            body["waypoint"] = self.waypoint
        body["source"] = self.source.value
        return body

    @classmethod
    def build(cls, kind: MarkerKind | str, text: object, source: MarkerSource | str, offset_ms: object,
              *, waypoint: object = None, duration_ms: object = None) -> Marker:
        """Validate raw values (from a client or from storage) into a marker."""
        return cls(
            kind=as_member(MarkerKind, kind, "kind"),
            text=clean_text(text, "text"),
            offset_ms=as_ms(offset_ms, "offset_ms", 0, 2**53),
            duration_ms=None if duration_ms is None else as_ms(duration_ms, "duration_ms", 1, MAX_DURATION_MS),
            waypoint=None if waypoint is None else clean_text(waypoint, "waypoint", MAX_WAYPOINT_CHARS),
            source=as_member(MarkerSource, source, "source"),
        )

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Marker:
        """The inverse of :meth:`as_dict`, validating every field."""
        missing = [key for key in ("kind", "text", "offset_ms", "source") if key not in body]
        if missing:
            raise InvalidField(f"Marker is missing {', '.join(missing)}.",
                               "A marker needs kind, text, offset_ms and source.", field=missing[0])
        return cls.build(body["kind"], body["text"], body["source"], body["offset_ms"],
                         waypoint=body.get("waypoint"), duration_ms=body.get("duration_ms"))


def timeline_json(session: str, state: RecordingState, started_at: str | None, duration_ms: int,
                  markers: Iterable[Marker], take: int = 1) -> dict[str, Any]:
    """SPEC's plain JSON of a recording, shared by the live timeline and the exporters."""
    return {
        "session": session,
        "take": take,
        "recording": {"state": state.value, "started_at": started_at, "duration_ms": duration_ms},
        "markers": [marker.as_dict() for marker in markers],
    }


_ACTIONS: dict[str, tuple[frozenset[RecordingState], RecordingState]] = {
    "start": (frozenset({RecordingState.IDLE, RecordingState.STOPPED}), RecordingState.RECORDING),
    "pause": (frozenset({RecordingState.RECORDING}), RecordingState.PAUSED),
    "resume": (frozenset({RecordingState.PAUSED}), RecordingState.RECORDING),
    "stop": (frozenset({RecordingState.RECORDING, RecordingState.PAUSED}), RecordingState.STOPPED),
    "reset": (frozenset({RecordingState.IDLE, RecordingState.STOPPED}), RecordingState.IDLE),
}
"""Each action: the states it may leave from, and the state it leads to."""

_WHY_NOT: dict[RecordingState, tuple[str, str]] = {
    RecordingState.IDLE: ("no recording has started", "Start recording first with POST {session}/recording/start."),
    RecordingState.RECORDING: ("the recording is already running",
                               "Pause it with POST {session}/recording/pause "
                               "or stop it with POST {session}/recording/stop."),
    RecordingState.PAUSED: ("the recording is paused",
                            "Resume it with POST {session}/recording/resume "
                            "or stop it with POST {session}/recording/stop."),
    RecordingState.STOPPED: ("the recording has stopped",
                             "Export it with GET {session}/markers, or record a new take with "
                             "POST {session}/recording/start (this take stays, as ?take=N)."),
}
"""Why an action is refused in each state, and what to do instead."""


class Timeline:
    """The recording of one session: state machine, pause-aware clock and markers.

    ``session_id`` is used only to write hints that name the real URL.
    """

    def __init__(self, monotonic_ms: MonotonicMs, *, session_id: str | None = None) -> None:
        self._now = monotonic_ms
        self._session_id = session_id
        self._state = RecordingState.IDLE
        self._started_at: str | None = None
        self._base = 0.0
        """The offset when the current run began, or the frozen offset when not running."""
        self._run_since: float | None = None
        """Monotonic time the current run began; ``None`` unless recording."""
        self._paused_total = 0.0
        """Monotonic milliseconds spent in finished pauses."""
        self._paused_since: float | None = None
        """Monotonic time the current pause began; ``None`` unless paused."""
        self._markers: list[Marker] = []
        self._fragments: list[str] = []
        """Each marker's stored JSON, in marker order: a save joins them instead of encoding every marker again."""
        self._takes: list[dict[str, Any]] = []
        """Finished takes (their plain JSON), oldest first; the current take is the next number."""
        self._takes_json: str | None = None  # the takes as stored, kept until a take ends

    # -- reading -------------------------------------------------------------

    @property
    def state(self) -> RecordingState:
        return self._state

    @property
    def started_at(self) -> str | None:
        return self._started_at

    @property
    def accepts_markers(self) -> bool:
        """Whether :meth:`add_marker` would accept a marker now (callers may skip instead of catching)."""
        return self._state in (RecordingState.RECORDING, RecordingState.PAUSED)

    @property
    def markers(self) -> tuple[Marker, ...]:
        return tuple(self._markers)

    def offset_ms(self) -> int:
        """Milliseconds recorded so far: since start, minus paused time; 0 before start.

        Each run adds to the offset frozen by the previous pause, rather than
        subtracting a growing paused total from the start time, so the offset
        after a resume is exactly the one before the pause (no float drift,
        never a millisecond backwards).
        """
        return math.floor(self._raw_offset())

    def _raw_offset(self) -> float:
        if self._run_since is None:
            return self._base
        return self._base + max(0.0, self._now() - self._run_since)

    def paused_ms(self) -> int:
        """Milliseconds spent in recording pauses so far, including a pause in progress."""
        return math.floor(self._paused_raw())

    def _paused_raw(self) -> float:
        if self._paused_since is None:
            return self._paused_total
        return self._paused_total + max(0.0, self._now() - self._paused_since)

    def summary(self) -> dict[str, Any]:
        """The ``state`` and ``offset_ms`` of the session object's ``recording``."""
        return {"state": self._state.value, "offset_ms": self.offset_ms()}

    @property
    def take(self) -> int:
        """The number of the current (or last) take, from 1."""
        return self._takes[-1]["take"] + 1 if self._takes else 1

    def as_json(self, session_id: str, take: int | None = None) -> dict[str, Any]:
        """SPEC's plain JSON export of the current take (or of take ``take``), markers ordered by offset."""
        if take is None or take == self.take:
            return timeline_json(session_id, self._state, self._started_at, self.offset_ms(), self._markers,
                                 self.take)
        for kept in self._takes:
            if kept["take"] == take:
                return {**kept, "session": session_id}
        known = [t["take"] for t in self._takes] + [self.take]
        raise NotFound(f"Take {take} is not kept for this session.",
                       f"Takes: {', '.join(map(str, known))} (GET /_api/sessions/{{id}}/takes lists them).",
                       code="take_not_found")

    def takes(self, session_id: str) -> list[dict[str, Any]]:
        """Every take, oldest first: ``{"take", "state", "started_at", "duration_ms", "markers"}``."""
        out = [{"take": t["take"], **t["recording"], "markers": t["markers"]} for t in self._takes]
        if self._state is not RecordingState.IDLE:
            current = self.as_json(session_id)
            out.append({"take": current["take"], **current["recording"], "markers": current["markers"]})
        return out

    # -- state changes -------------------------------------------------------

    def start(self, started_at: str) -> None:
        """Begin recording now; ``started_at`` is the caller's ISO 8601 wall-clock time."""
        stamp = clean_text(started_at, "started_at", 64)
        if self._state is RecordingState.STOPPED:  # a new take: the last one is kept as it ended
            self._takes.append(self.as_json(self._session_id or ""))
            del self._takes[:-MAX_TAKES]
            self._takes_json = None
            self._markers, self._fragments = [], []
            self._paused_total = 0.0
        self._move("start")
        self._started_at = stamp
        self._base = 0.0
        self._run_since = self._now()

    def pause(self) -> None:
        """Freeze the offset until :meth:`resume`."""
        self._move("pause")
        self._base = self._raw_offset()
        self._run_since = None
        self._paused_since = self._now()

    def resume(self) -> None:
        """Continue counting from the offset where :meth:`pause` froze it."""
        self._move("resume")
        self._paused_total = self._paused_raw()
        self._paused_since = None
        self._run_since = self._now()

    def stop(self) -> None:
        """End the recording; its offset becomes its duration and stays fixed."""
        self._move("stop")
        self._base = self._raw_offset()
        self._paused_total = self._paused_raw()
        self._run_since = None
        self._paused_since = None

    def reset(self) -> None:
        """Discard a stopped recording (and its markers) so a new one can start.

        Explicit on purpose: a second ``start`` after ``stop`` must not lose
        the first take's markers by accident.
        """
        self._move("reset")
        self._started_at = None
        self._base = 0.0
        self._paused_total = 0.0
        self._markers.clear()
        self._fragments.clear()

    def _move(self, action: str) -> None:
        """Check ``action`` is legal in the current state and take its transition.

        Callers read the clock after this, using the fields of the state they
        left (only ``_state`` changes here).
        """
        allowed, target = _ACTIONS[action]
        if self._state not in allowed:
            raise self._refusal(f"Cannot {action} the recording", "recording_" + self._state.value)
        self._state = target

    def _refusal(self, what: str, code: str) -> Conflict:
        reason, hint = _WHY_NOT[self._state]
        session = f"/_api/sessions/{self._session_id or '{id}'}"
        return Conflict(f"{what}: {reason}.", hint.format(session=session), code=code, state=self._state.value)

    # -- markers ---------------------------------------------------------------

    def add_marker(self, kind: MarkerKind | str, text: object, source: MarkerSource | str, *,
                   waypoint: object = None, duration_ms: object = None, at_ms: object = None) -> Marker:
        """Place a chapter or annotation at the current offset (or at ``at_ms``).

        While paused the offset is the frozen one, so a note taken during a
        pause lands where the video resumes.  ``at_ms`` lets a client place a
        note after the fact, anywhere between 0 and now.
        """
        if not self.accepts_markers:
            raise self._refusal("Cannot add a marker", "recording_" + self._state.value)
        if kind in (MarkerKind.GAP, MarkerKind.GAP.value, MarkerKind.REQUEST, MarkerKind.REQUEST.value):
            raise InvalidField(f"'{kind}' markers are placed by the server.", "Use note, callout or highlight.",
                               field="kind")
        now = self.offset_ms()
        offset = now if at_ms is None else as_ms(at_ms, "at_ms", 0, now)
        marker = Marker.build(kind, text, source, offset, waypoint=waypoint, duration_ms=duration_ms)
        self._insert(marker)
        return marker

    # -- persistence -------------------------------------------------------------

    def snapshot(self, wall_ms: int | None = None, *, with_markers: bool = True) -> dict[str, Any]:
        """A JSON-ready picture of the timeline, enough to :meth:`restore` it elsewhere.

        Offsets are stored, not monotonic readings: a monotonic clock means
        nothing in another process.  ``wall_ms`` (when the picture is taken)
        lets a restore count the time a running recording went on since.
        """
        body: dict[str, Any] = {
            "version": SNAPSHOT_VERSION,
            "state": self._state.value,
            "started_at": self._started_at,
            "offset_ms": self._raw_offset(),
            "paused_ms": self._paused_raw(),
        }
        if with_markers:
            body["markers"] = [marker.as_dict() for marker in self._markers]
        if wall_ms is not None:
            body["saved_wall_ms"] = wall_ms
        if self._takes:
            body["takes"] = self._takes
        return body

    def snapshot_json(self, wall_ms: int | None = None) -> str:
        """:meth:`snapshot` as JSON text, built from each marker's JSON kept since it was placed.

        A save follows every marker, so encoding them all each time made a
        long recording's annotations slower and slower (0.5 ms at 300 markers).
        """
        head = {k: v for k, v in self.snapshot(wall_ms, with_markers=False).items() if k != "takes"}
        text = json.dumps(head, separators=(",", ":"))[:-1] + ',"markers":[' + ",".join(self._fragments) + "]"
        if self._takes:
            if self._takes_json is None:
                self._takes_json = json.dumps(self._takes, ensure_ascii=False, separators=(",", ":"))
            text += ',"takes":' + self._takes_json
        return text + "}"

    @classmethod
    def restore(cls, snapshot: Mapping[str, Any], monotonic_ms: MonotonicMs, *,
                session_id: str | None = None, now_wall_ms: int | None = None,
                down_since_ms: int | None = None) -> Timeline:
        """Rebuild a timeline from :meth:`snapshot` on a (possibly new) clock.

        A recording that was *running* keeps running: the recording tool went
        on while the server was away, so its offset is the snapshot's plus the
        wall-clock time since the snapshot was taken.  The part of that time
        from ``down_since_ms`` (the server's last sign of life) to now gets a
        ``gap`` marker, so an editor sees where the demo did not answer.  A
        snapshot without its wall time (older files) cannot be carried on and
        comes back paused.  Paused and stopped recordings come back as they were.
        """
        if snapshot.get("version") != SNAPSHOT_VERSION:
            raise InvalidField(f"Unsupported timeline snapshot version {snapshot.get('version')!r}.",
                               f"Only version {SNAPSHOT_VERSION} snapshots can be restored.", field="version")
        state = as_member(RecordingState, snapshot.get("state"), "state")
        markers = snapshot.get("markers")
        if not isinstance(markers, list) or not all(isinstance(item, Mapping) for item in markers):
            raise InvalidField("Timeline snapshot 'markers' must be a list of objects.",
                               "Restore only what Timeline.snapshot() produced.", field="markers")
        timeline = cls(monotonic_ms, session_id=session_id)
        timeline._markers = sorted((Marker.from_dict(item) for item in markers), key=_by_offset)
        timeline._fragments = [_fragment(m) for m in timeline._markers]
        if state is RecordingState.IDLE:
            return timeline
        timeline._started_at = clean_text(snapshot.get("started_at"), "started_at", 64)
        timeline._base = _as_float_ms(snapshot.get("offset_ms"), "offset_ms")
        timeline._paused_total = _as_float_ms(snapshot.get("paused_ms"), "paused_ms")
        takes = snapshot.get("takes", [])
        if not isinstance(takes, list) or not all(isinstance(t, Mapping) and isinstance(t.get("take"), int)
                                                  for t in takes):
            raise InvalidField("Timeline snapshot 'takes' must be a list of takes.",
                               "Restore only what Timeline.snapshot() produced.", field="takes")
        timeline._takes = [dict(t) for t in takes]
        saved = snapshot.get("saved_wall_ms")
        if state is RecordingState.STOPPED:
            timeline._state = state
        elif state is RecordingState.PAUSED or not isinstance(saved, int) or now_wall_ms is None:
            timeline._state = RecordingState.PAUSED
            timeline._paused_since = monotonic_ms()
        else:
            timeline._carry_on(saved, now_wall_ms, down_since_ms)
        return timeline

    def _carry_on(self, saved_wall_ms: int, now_wall_ms: int, down_since_ms: int | None) -> None:
        """Keep a running recording running after a restart, with a gap marker for the downtime."""
        offset = self._base
        self._state = RecordingState.RECORDING
        self._base = offset + max(0, now_wall_ms - saved_wall_ms)
        self._run_since = self._now()
        if down_since_ms is None:
            return
        alive = min(max(saved_wall_ms, down_since_ms), now_wall_ms)
        down = now_wall_ms - alive
        if down < 1:
            return
        at = math.floor(offset + (alive - saved_wall_ms))
        text = f"Server restarted: {down / 1000:.1f} s without answers"
        marker = Marker(MarkerKind.GAP, text, at, min(down, MAX_DURATION_MS), None, MarkerSource.API)
        self._insert(marker)

    def _insert(self, marker: Marker) -> None:
        at = bisect.bisect_right(self._markers, marker.offset_ms, key=_by_offset)
        self._markers.insert(at, marker)
        self._fragments.insert(at, _fragment(marker))


#: Longest path shown in a request marker's text (a caption, not a log line).
MAX_REQUEST_TEXT = 200


def with_requests(body: Mapping[str, Any], calls: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A timeline export with the demo calls of its take as ``request`` markers, in offset order."""
    markers = [dict(m) for m in body["markers"]]
    for call in calls:
        text = f"{call['method']} {call['path']} -> {call['status']}"
        marker = {"kind": MarkerKind.REQUEST.value, "text": text[:MAX_REQUEST_TEXT], "offset_ms": call["offset_ms"]}
        if call.get("waypoint"):
            marker["waypoint"] = call["waypoint"]
        markers.append({**marker, "source": "api"})
    markers.sort(key=lambda m: m["offset_ms"])
    return {**body, "markers": markers}


def _fragment(marker: Marker) -> str:
    return json.dumps(marker.as_dict(), ensure_ascii=False, separators=(",", ":"))


def _by_offset(marker: Marker) -> int:
    return marker.offset_ms


def _as_float_ms(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 2**53:
        raise InvalidField(f"Timeline snapshot '{field}' must be a non-negative number of milliseconds.",
                           "Restore only what Timeline.snapshot() produced.", field=field)
    return float(value)
