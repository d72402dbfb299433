"""Properties of the recording timeline, driven by a manual monotonic clock."""

from __future__ import annotations

import json
import math
import random
import unicodedata
from collections.abc import Callable

import pytest

from pymockapi.errors import Conflict, InvalidField
from pymockapi.recording.timeline import (
    MAX_TEXT_CHARS,
    PLACEABLE_KINDS,
    Marker,
    MarkerKind,
    MarkerSource,
    RecordingState,
    Timeline,
    clean_text,
)

STARTED_AT = "2025-03-14T09:30:00+00:00"
SPEC_MARKER_KEYS = ("kind", "text", "offset_ms", "duration_ms", "waypoint", "source")
WORDS = ("Maria", "checks", "in", "troponin", "arrives", "balance", "grows", "order", "ships", "é", "—",
         "a=b", "x;y", "#1", "back\\slash", "<b>", "&", "-->", "\n", "\t", "\x00", "\x07", "\x1b", "\ud800",
         "\u2028", "\x85", "  ")


def manual_clock(start: float = 50_000.0) -> tuple[list[float], Callable[[], float]]:
    """A time source the test advances by hand (a list cell), standing in for time.monotonic."""
    cell = [start]
    return cell, lambda: cell[0]


def started(start: float = 50_000.0, session_id: str | None = "s1") -> tuple[list[float], Timeline]:
    cell, clock = manual_clock(start)
    timeline = Timeline(clock, session_id=session_id)
    timeline.start(STARTED_AT)
    return cell, timeline


def in_state(state: RecordingState, session_id: str | None = "s1") -> tuple[list[float], Timeline]:
    """A timeline brought to ``state`` through legal moves only."""
    cell, clock = manual_clock()
    timeline = Timeline(clock, session_id=session_id)
    steps = {RecordingState.IDLE: (), RecordingState.RECORDING: ("start",),
             RecordingState.PAUSED: ("start", "pause"), RecordingState.STOPPED: ("start", "stop")}[state]
    for step in steps:
        cell[0] += 100
        if step == "start":
            timeline.start(STARTED_AT)
        else:
            getattr(timeline, step)()
    return cell, timeline


def random_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))


def test_new_timeline_is_idle_at_zero() -> None:
    cell, clock = manual_clock()
    timeline = Timeline(clock)
    cell[0] += 9_999
    assert timeline.state is RecordingState.IDLE
    assert timeline.offset_ms() == 0
    assert timeline.started_at is None
    assert not timeline.accepts_markers
    assert timeline.summary() == {"state": "idle", "offset_ms": 0}
    assert timeline.as_json("s1") == {"session": "s1", "take": 1, "recording": {
        "state": "idle", "started_at": None, "duration_ms": 0}, "markers": []}


def test_offset_is_whole_milliseconds_since_start() -> None:
    rng = random.Random(1)
    for _ in range(200):
        cell, timeline = started(start=rng.uniform(0, 1e9))
        elapsed = rng.uniform(0, 1e7)
        cell[0] += elapsed
        assert timeline.offset_ms() in (math.floor(elapsed), math.floor(elapsed) - 1)
        assert timeline.started_at == STARTED_AT
        assert timeline.summary()["offset_ms"] == timeline.offset_ms()


def test_offset_excludes_paused_time_over_random_sessions() -> None:
    rng = random.Random(2)
    for _ in range(200):
        cell, timeline = started(start=float(rng.randint(0, 10**9)))
        recorded = paused = 0
        previous = 0
        for _ in range(rng.randint(1, 30)):
            step = rng.randint(0, 5_000)
            cell[0] += step
            if timeline.state is RecordingState.RECORDING:
                recorded += step
            else:
                paused += step
            assert timeline.offset_ms() == recorded
            assert timeline.paused_ms() == paused
            assert timeline.offset_ms() >= previous
            previous = timeline.offset_ms()
            if rng.random() < 0.4:
                (timeline.pause if timeline.state is RecordingState.RECORDING else timeline.resume)()
            assert timeline.offset_ms() == recorded
        timeline.stop()
        cell[0] += rng.randint(1, 10_000)
        assert timeline.state is RecordingState.STOPPED
        assert timeline.offset_ms() == recorded
        assert timeline.paused_ms() == paused
        assert timeline.as_json("s1")["recording"]["duration_ms"] == recorded


def test_resume_continues_exactly_where_pause_froze_with_fractional_clock() -> None:
    rng = random.Random(3)
    for _ in range(300):
        cell, timeline = started(start=rng.uniform(1e6, 1e9))
        cell[0] += rng.uniform(0, 1e5)
        timeline.pause()
        frozen = timeline.offset_ms()
        cell[0] += rng.uniform(0, 1e5)
        assert timeline.offset_ms() == frozen
        timeline.resume()
        assert timeline.offset_ms() == frozen


REFUSED: tuple[tuple[RecordingState, str, str, str], ...] = (
    (RecordingState.IDLE, "pause", "no recording has started", "/recording/start"),
    (RecordingState.IDLE, "resume", "no recording has started", "/recording/start"),
    (RecordingState.IDLE, "stop", "no recording has started", "/recording/start"),
    (RecordingState.RECORDING, "start", "already running", "/recording/stop"),
    (RecordingState.RECORDING, "resume", "already running", "/recording/pause"),
    (RecordingState.RECORDING, "reset", "already running", "/recording/stop"),
    (RecordingState.PAUSED, "start", "is paused", "/recording/resume"),
    (RecordingState.PAUSED, "pause", "is paused", "/recording/resume"),
    (RecordingState.PAUSED, "reset", "is paused", "/recording/stop"),
    (RecordingState.STOPPED, "pause", "has stopped", "/markers"),
    (RecordingState.STOPPED, "resume", "has stopped", "record a new take"),
    (RecordingState.STOPPED, "stop", "has stopped", "/markers"),
)


@pytest.mark.parametrize(("state", "action", "reason", "hint"), REFUSED)
def test_illegal_moves_raise_conflict_with_a_hint(state: RecordingState, action: str, reason: str,
                                                  hint: str) -> None:
    _cell, timeline = in_state(state)
    before = timeline.snapshot()
    move: Callable[[], None] = (lambda: timeline.start(STARTED_AT)) if action == "start" else getattr(timeline, action)
    with pytest.raises(Conflict, match=f"Cannot {action} the recording: .*{reason}") as caught:
        move()
    assert caught.value.status == 409
    assert caught.value.code == f"recording_{state.value}"
    assert hint in caught.value.hint
    assert "/_api/sessions/s1/" in caught.value.hint
    assert timeline.state is state
    assert timeline.snapshot() == before


def test_hint_without_a_session_id_names_the_url_pattern() -> None:
    _, timeline = in_state(RecordingState.IDLE, session_id=None)
    with pytest.raises(Conflict, match="no recording has started") as caught:
        timeline.add_marker("note", "too early", "api")
    assert "POST /_api/sessions/{id}/recording/start" in caught.value.hint


@pytest.mark.parametrize("state", [RecordingState.IDLE, RecordingState.STOPPED])
def test_markers_are_refused_before_start_and_after_stop(state: RecordingState) -> None:
    _, timeline = in_state(state)
    assert not timeline.accepts_markers
    with pytest.raises(Conflict, match="Cannot add a marker") as caught:
        timeline.add_marker(MarkerKind.NOTE, "hello", MarkerSource.API)
    assert caught.value.status == 409
    assert "POST /_api/sessions" in caught.value.hint
    assert timeline.markers == ()


def test_marker_during_pause_lands_at_the_frozen_offset() -> None:
    cell, timeline = started()
    cell[0] += 1_500
    timeline.pause()
    cell[0] += 60_000
    assert timeline.accepts_markers
    marker = timeline.add_marker("callout", "while paused", "hotkey")
    assert marker.offset_ms == 1_500
    timeline.resume()
    cell[0] += 10
    assert timeline.add_marker("note", "after", "ws").offset_ms == 1_510


def test_marker_fields_are_validated_and_coerced() -> None:
    cell, timeline = started()
    cell[0] += 2_000
    marker = timeline.add_marker("chapter", "Vitals recorded.", "waypoint", waypoint="triage")
    assert marker.kind is MarkerKind.CHAPTER and marker.source is MarkerSource.WAYPOINT
    assert marker.is_chapter and marker.waypoint == "triage" and marker.offset_ms == 2_000
    assert timeline.add_marker("note", "n", "api", duration_ms=4000.0).duration_ms == 4000
    with pytest.raises(InvalidField, match="'kind' is 'aside', which is not one of chapter, note"):
        timeline.add_marker("aside", "x", "api")
    with pytest.raises(InvalidField, match="'source' is 'fax', which is not one of waypoint"):
        timeline.add_marker("note", "x", "fax")
    with pytest.raises(InvalidField, match="'duration_ms' is 0 ms, outside 1"):
        timeline.add_marker("note", "x", "api", duration_ms=0)
    with pytest.raises(InvalidField, match="'duration_ms' is 86400001 ms"):
        timeline.add_marker("note", "x", "api", duration_ms=86_400_001)
    with pytest.raises(InvalidField, match="'duration_ms' must be a whole number"):
        timeline.add_marker("note", "x", "api", duration_ms=1.5)
    with pytest.raises(InvalidField, match="'duration_ms' must be a whole number"):
        timeline.add_marker("note", "x", "api", duration_ms=True)
    with pytest.raises(InvalidField, match="'waypoint' must be a string"):
        timeline.add_marker("chapter", "x", "waypoint", waypoint=7)
    with pytest.raises(InvalidField, match="'text' must be a string"):
        timeline.add_marker("note", None, "api")
    assert len(timeline.markers) == 2


def test_at_ms_places_a_marker_in_the_past_only() -> None:
    rng = random.Random(4)
    cell, timeline = started()
    cell[0] += 10_000
    for _ in range(100):
        at = rng.randint(0, 10_000)
        assert timeline.add_marker("note", "later", "api", at_ms=at).offset_ms == at
    for bad in (10_001, -1, 10**12):
        with pytest.raises(InvalidField, match=f"'at_ms' is {bad} ms, outside 0..10000 ms"):
            timeline.add_marker("note", "x", "api", at_ms=bad)
    for wrong in ("5", 2.5, False, [1]):
        with pytest.raises(InvalidField, match="'at_ms' must be a whole number of milliseconds"):
            timeline.add_marker("note", "x", "api", at_ms=wrong)


def test_text_is_one_clean_line_or_refused() -> None:
    rng = random.Random(5)
    for _ in range(500):
        raw = random_text(rng)
        try:
            text = clean_text(raw, "text")
        except InvalidField:
            assert not "".join(ch for ch in raw if unicodedata.category(ch)[0] in "LNPS")
            continue
        assert text == text.strip() and "  " not in text
        assert all(unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)
        assert "\u2028" not in text and "\x85" not in text
        assert 0 < len(text) <= MAX_TEXT_CHARS
    assert clean_text("line one\nline two", "text") == "line one line two"
    assert clean_text("be\x07ll", "text") == "bell"
    assert clean_text("x" * MAX_TEXT_CHARS, "text") == "x" * MAX_TEXT_CHARS
    for empty in ("", "   ", "\x00\x01", "\n\t"):
        with pytest.raises(InvalidField, match="'text' is empty"):
            clean_text(empty, "text")
    with pytest.raises(InvalidField, match="'text' has 501 characters; at most 500"):
        clean_text("y" * 501, "text")


def test_markers_stay_ordered_by_offset_and_stable_for_ties() -> None:
    rng = random.Random(6)
    for _ in range(50):
        cell, timeline = started()
        cell[0] += 1_000
        added = [timeline.add_marker("note", f"n{i}", "api", at_ms=rng.randint(0, 20) * 50) for i in range(40)]
        assert list(timeline.markers) == sorted(added, key=lambda marker: marker.offset_ms)
        offsets = [marker["offset_ms"] for marker in timeline.as_json("s1")["markers"]]
        assert offsets == sorted(offsets)


def test_marker_dict_follows_spec_key_order_and_omits_absent_optionals() -> None:
    rng = random.Random(7)
    cell, timeline = started()
    for _ in range(200):
        cell[0] += rng.randint(0, 300)
        marker = timeline.add_marker(rng.choice(list(PLACEABLE_KINDS)), random_text(rng) + " ok",
                                     rng.choice(list(MarkerSource)),
                                     waypoint=rng.choice((None, "triage")),
                                     duration_ms=rng.choice((None, rng.randint(1, 9_000))))
        body = marker.as_dict()
        assert list(body) == [key for key in SPEC_MARKER_KEYS if key in body]
        assert ("duration_ms" in body) == (marker.duration_ms is not None)
        assert ("waypoint" in body) == (marker.waypoint is not None)
        assert Marker.from_dict(body) == marker
    with pytest.raises(InvalidField, match="Marker is missing text, offset_ms"):
        Marker.from_dict({"kind": "note", "source": "api"})


def test_as_json_matches_spec_shape() -> None:
    cell, timeline = started()
    cell[0] += 777
    timeline.add_marker("chapter", "Maria checks in.", "waypoint", waypoint="waiting-room")
    body = json.loads(json.dumps(timeline.as_json("riverside-clinic")))
    assert list(body) == ["session", "take", "recording", "markers"]
    assert body["session"] == "riverside-clinic"
    assert body["recording"] == {"state": "recording", "started_at": STARTED_AT, "duration_ms": 777}
    assert body["markers"] == [{"kind": "chapter", "text": "Maria checks in.", "offset_ms": 777,
                                "waypoint": "waiting-room", "source": "waypoint"}]


def test_start_needs_a_timestamp_and_stays_idle_without_one() -> None:
    _, timeline = in_state(RecordingState.IDLE)
    with pytest.raises(InvalidField, match="'started_at' must be a string"):
        timeline.start(None)  # type: ignore[arg-type]
    assert timeline.state is RecordingState.IDLE


def test_reset_discards_a_stopped_take_and_allows_a_new_one() -> None:
    cell, timeline = started()
    cell[0] += 3_000
    timeline.add_marker("note", "first take", "api")
    timeline.stop()
    assert timeline.markers and timeline.offset_ms() == 3_000
    timeline.reset()
    assert timeline.state is RecordingState.IDLE and timeline.markers == () and timeline.offset_ms() == 0
    assert timeline.started_at is None and timeline.paused_ms() == 0
    cell[0] += 50
    timeline.start("2025-03-14T10:00:00+00:00")
    cell[0] += 20
    assert timeline.offset_ms() == 20
    assert timeline.add_marker("note", "second take", "api").offset_ms == 20


def random_session(rng: random.Random) -> tuple[list[float], Timeline]:
    """A timeline left in a random state after random pauses and markers."""
    cell, timeline = started(start=float(rng.randint(0, 10**9)))
    for _ in range(rng.randint(0, 25)):
        cell[0] += rng.randint(0, 4_000)
        roll = rng.random()
        if roll < 0.25:
            (timeline.pause if timeline.state is RecordingState.RECORDING else timeline.resume)()
        else:
            timeline.add_marker(rng.choice(list(PLACEABLE_KINDS)), random_text(rng) + " x",
                                rng.choice(list(MarkerSource)), duration_ms=rng.choice((None, 2_500)))
    if rng.random() < 0.3:
        timeline.stop()
    cell[0] += rng.randint(0, 4_000)
    return cell, timeline


def test_snapshot_restores_in_a_new_process_without_losing_time_or_markers() -> None:
    rng = random.Random(8)
    for _ in range(200):
        _, timeline = random_session(rng)
        snapshot = json.loads(json.dumps(timeline.snapshot()))
        offset, paused = timeline.offset_ms(), timeline.paused_ms()
        cell, clock = manual_clock(start=float(rng.randint(0, 1_000)))
        restored = Timeline.restore(snapshot, clock, session_id="s1")
        expected = RecordingState.PAUSED if timeline.state is RecordingState.RECORDING else timeline.state
        assert restored.state is expected
        assert restored.markers == timeline.markers
        assert restored.started_at == STARTED_AT
        assert restored.offset_ms() == offset and restored.paused_ms() == paused
        cell[0] += 5_000
        assert restored.offset_ms() == offset
        if restored.state is RecordingState.PAUSED:
            assert restored.paused_ms() == paused + 5_000
            restored.resume()
            cell[0] += 1_234
            assert restored.offset_ms() == offset + 1_234
            assert restored.add_marker("note", "after restart", "api").offset_ms == offset + 1_234
        else:
            assert restored.paused_ms() == paused
            with pytest.raises(Conflict, match="has stopped"):
                restored.resume()


def test_idle_timeline_restores_idle() -> None:
    _, clock = manual_clock()
    restored = Timeline.restore(Timeline(clock).snapshot(), clock)
    assert restored.state is RecordingState.IDLE and restored.offset_ms() == 0


BROKEN_SNAPSHOTS: tuple[tuple[dict[str, object], str], ...] = (
    ({"version": 2}, "Unsupported timeline snapshot version 2"),
    ({"state": "rolling"}, "'state' is 'rolling', which is not one of idle"),
    ({"markers": "none"}, "'markers' must be a list of objects"),
    ({"markers": [1]}, "'markers' must be a list of objects"),
    ({"markers": [{"kind": "note"}]}, "Marker is missing text, offset_ms, source"),
    ({"offset_ms": -1}, "'offset_ms' must be a non-negative number"),
    ({"paused_ms": True}, "'paused_ms' must be a non-negative number"),
    ({"started_at": None}, "'started_at' must be a string"),
)


@pytest.mark.parametrize(("change", "match"), BROKEN_SNAPSHOTS)
def test_restore_refuses_a_damaged_snapshot(change: dict[str, object], match: str) -> None:
    cell, timeline = started()
    cell[0] += 100
    timeline.add_marker("note", "kept", "api")
    snapshot = {**timeline.snapshot(), **change}
    _, clock = manual_clock()
    with pytest.raises(InvalidField, match=match):
        Timeline.restore(snapshot, clock)


def test_the_stored_json_is_the_snapshot_with_takes_and_gaps_and_restores_the_same() -> None:
    cell, timeline = started()
    for i in range(5):
        cell[0] += 100 * i
        timeline.add_marker("note", f"note {i}", "api", at_ms=None)
    timeline.stop()
    timeline.start(STARTED_AT)
    cell[0] += 50
    timeline.add_marker("callout", "second take", "ws")
    text = timeline.snapshot_json(wall_ms=1_000)
    assert json.loads(text) == timeline.snapshot(wall_ms=1_000)
    back = Timeline.restore(json.loads(text), lambda: cell[0], now_wall_ms=3_500, down_since_ms=2_000)
    assert [m.kind.value for m in back.markers] == ["callout", "gap"]
    assert json.loads(back.snapshot_json(wall_ms=3_500)) == back.snapshot(wall_ms=3_500)
    assert [t["take"] for t in back.takes("s1")] == [1, 2]
