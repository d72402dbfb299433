"""Every export format read back by the real tool that consumes it."""

from __future__ import annotations

import html
import io
import itertools
import json
import math
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]
import pytest
import srt  # type: ignore[import-untyped]
import webvtt

from pymockapi.errors import BadRequest, InvalidField
from pymockapi.recording.exporters import (
    DEFAULT_CAPTION_MS,
    FORMATS,
    LEAD_IN_TITLE,
    MARKER_COLORS,
    export,
    ffmetadata_escape,
)
from pymockapi.recording.timeline import (
    ANNOTATION_KINDS,
    PLACEABLE_KINDS,
    MarkerKind,
    MarkerSource,
    RecordingState,
    Timeline,
)

VIDEO_MS = 5_000
FFPROBE_TOLERANCE_MS = 50
WORDS = ("Maria", "checks", "in", "Troponin", "result", "arrives", "balance", "grows", "order", "ships",
         "café", "naïve", "—", "a=b", "x;y", "#1", "back\\slash", "<b>", "&", "-->", "50%", "\"quoted\"", "'s")


def manual_clock(start: float = 0.0) -> tuple[list[float], Callable[[], float]]:
    """A time source the test advances by hand (a list cell), standing in for time.monotonic."""
    cell = [start]
    return cell, lambda: cell[0]


def random_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8)))


def random_timeline(rng: random.Random, total_ms: int = 60_000, annotations: bool = True) -> dict[str, Any]:
    """A recorded demo: chapters at waypoint changes, annotations, pauses, within ``total_ms`` of recording."""
    cell, clock = manual_clock(float(rng.randint(0, 10**8)))
    timeline = Timeline(clock, session_id="demo")
    timeline.start("2025-03-14T09:30:00+00:00")
    kinds = list(PLACEABLE_KINDS) if annotations else [MarkerKind.CHAPTER]
    for _ in range(rng.randint(1, 12)):
        if timeline.offset_ms() >= total_ms:
            break
        cell[0] += rng.randint(0, max(0, min(total_ms - timeline.offset_ms(), total_ms // 6)))
        if rng.random() < 0.15:
            (timeline.pause if timeline.state is RecordingState.RECORDING else timeline.resume)()
        if timeline.state is RecordingState.PAUSED:
            cell[0] += rng.randint(0, 10_000)
        kind = rng.choice(kinds)
        timeline.add_marker(kind, random_text(rng), MarkerSource.WAYPOINT if kind is MarkerKind.CHAPTER
                            else rng.choice(list(MarkerSource)),
                            waypoint=f"wp-{rng.randint(1, 9)}" if kind is MarkerKind.CHAPTER else None,
                            duration_ms=None if kind is MarkerKind.CHAPTER else rng.choice((None, 1_500)))
    if timeline.state is RecordingState.RECORDING:
        cell[0] += rng.randint(0, max(0, total_ms - timeline.offset_ms()))
    timeline.stop()
    return timeline.as_json("demo")


def samples(seed: int, count: int, **kwargs: Any) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_timeline(rng, **kwargs) for _ in range(count)]


def expected_chapters(body: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, title) of chapters with a non-empty span, straight from SPEC's JSON, plus the lead-in."""
    chapters = [m for m in body["markers"] if m["kind"] == "chapter"]
    ends = [m["offset_ms"] for m in chapters[1:]] + [body["recording"]["duration_ms"]]
    spans = [(m["offset_ms"], end, m["text"]) for m, end in zip(chapters, ends, strict=False) if end > m["offset_ms"]]
    if spans and spans[0][0] > 0:
        spans.insert(0, (0, spans[0][0], LEAD_IN_TITLE))
    return spans


def expected_captions(body: dict[str, Any]) -> list[tuple[int, int, str]]:
    annotation_kinds = {kind.value for kind in ANNOTATION_KINDS}
    shown = [m for m in body["markers"] if m["kind"] in annotation_kinds] or \
        [m for m in body["markers"] if m["kind"] == "chapter"]
    return [(m["offset_ms"], m["offset_ms"] + m.get("duration_ms", DEFAULT_CAPTION_MS), m["text"]) for m in shown]


def ms(delta: timedelta) -> int:
    return round(delta.total_seconds() * 1000)


def require_tool(name: str) -> str:
    """The tool's path; a missing tool fails the run in CI and skips it elsewhere."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required in CI: apt-get install -y ffmpeg")
        pytest.skip(f"{name} is not installed")
    return path


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def test_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 5 s, 30 fps test-pattern MP4 with silent AAC audio, like a short screen recording."""
    ffmpeg = require_tool("ffmpeg")
    require_tool("ffprobe")
    video = tmp_path_factory.mktemp("video") / "demo.mp4"
    run(ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"testsrc=duration={VIDEO_MS // 1000}:size=320x240:rate=30",
        "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", str(VIDEO_MS // 1000), "-c:v", "libx264",
        "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(video))
    return video


def test_every_format_has_a_content_type_and_extension() -> None:
    assert list(FORMATS) == ["json", "webvtt", "srt", "ffmetadata", "edl", "otio"]
    body = samples(1, 1)[0]
    for name, fmt in FORMATS.items():
        content_type, payload = export(body, name)
        assert content_type == fmt.content_type and "charset=utf-8" in content_type
        assert fmt.extension.isalnum() and payload.decode("utf-8")
        assert export(body, name.upper()) == (content_type, payload)


@pytest.mark.parametrize("fmt", ["mp4", "", "vtt ", "json;", "../etc/passwd"])
def test_unknown_format_is_a_bad_request_listing_the_supported_ones(fmt: str) -> None:
    with pytest.raises(BadRequest, match="Unknown marker format") as caught:
        export(samples(2, 1)[0], fmt)
    assert caught.value.status == 400 and caught.value.code == "unsupported_format"
    assert all(name in caught.value.hint for name in FORMATS)


def test_non_string_format_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="Unknown marker format None"):
        export(samples(2, 1)[0], None)  # type: ignore[arg-type]


BROKEN: tuple[tuple[object, str], ...] = (
    ([], "needs 'session', 'recording' and 'markers'"),
    ({"session": "s", "markers": []}, "needs 'session', 'recording' and 'markers'"),
    ({"session": "s", "recording": {"state": "idle", "started_at": None, "duration_ms": 0}},
     "'markers' must be a list"),
    ({"session": "s", "recording": {"state": "live", "started_at": None, "duration_ms": 0}, "markers": []},
     "'state' is 'live'"),
    ({"session": "s", "recording": {"state": "idle", "started_at": None, "duration_ms": -5}, "markers": []},
     "'duration_ms' is -5 ms"),
    ({"session": "", "recording": {"state": "idle", "started_at": None, "duration_ms": 0}, "markers": []},
     "'session' is empty"),
    ({"session": "s", "recording": {"state": "idle", "started_at": 3, "duration_ms": 0}, "markers": []},
     "'started_at' must be a string"),
    ({"session": "s", "recording": {"state": "stopped", "started_at": None, "duration_ms": 9},
      "markers": [{"kind": "note", "text": "x", "offset_ms": 1, "source": "email"}]}, "'source' is 'email'"),
)


@pytest.mark.parametrize(("body", "match"), BROKEN)
def test_malformed_timeline_json_is_refused(body: object, match: str) -> None:
    with pytest.raises(InvalidField, match=match):
        export(body, "json")  # type: ignore[arg-type]


def test_json_export_is_spec_json_indented() -> None:
    for body in samples(3, 40):
        content_type, payload = export(body, "json")
        assert content_type.startswith("application/json")
        assert json.loads(payload) == body
        assert payload.decode().startswith('{\n  "session": "demo"')


def test_json_export_orders_markers_by_offset() -> None:
    body = samples(4, 1)[0]
    body["markers"] = list(reversed(body["markers"]))
    offsets = [m["offset_ms"] for m in json.loads(export(body, "json")[1])["markers"]]
    assert offsets == sorted(offsets)


def test_webvtt_chapters_read_back_exactly_by_webvtt_py() -> None:
    for body in samples(5, 60):
        vtt = webvtt.from_buffer(io.StringIO(export(body, "webvtt")[1].decode()))
        got = [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), html.unescape(c.text))
               for c in vtt.captions]
        assert got == expected_chapters(body)
        assert [c.identifier for c in vtt.captions] == [f"chapter-{i}" for i in range(1, len(got) + 1)]
        assert all("-->" not in c.text and "<" not in c.text for c in vtt.captions)
        if got:
            assert got[0][0] == 0 and got[-1][1] == body["recording"]["duration_ms"]
            assert all(a[1] == b[0] for a, b in itertools.pairwise(got))


def test_empty_chapters_are_left_out_of_chapter_formats() -> None:
    cell, clock = manual_clock()
    timeline = Timeline(clock)
    timeline.start("2025-03-14T09:30:00+00:00")
    timeline.add_marker("chapter", "superseded", "waypoint")
    timeline.add_marker("chapter", "opening", "waypoint")
    cell[0] += 3_000
    timeline.add_marker("chapter", "closing at the very end", "waypoint")
    timeline.stop()
    body = timeline.as_json("demo")
    vtt = webvtt.from_buffer(io.StringIO(export(body, "webvtt")[1].decode()))
    assert [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.text) for c in vtt.captions] == \
        [(0, 3_000, "opening")]
    assert export(body, "ffmetadata")[1].decode().count("[CHAPTER]") == 1
    markers = otio.adapters.read_from_string(export(body, "otio")[1].decode(), "otio_json").find_clips()[0].markers
    assert [m.name for m in markers] == ["superseded", "opening", "closing at the very end"]
    assert [m.marked_range.duration.value for m in markers] == [0, 3_000, 0]


def test_a_lead_in_chapter_covers_the_time_before_the_first_one() -> None:
    cell, clock = manual_clock()
    timeline = Timeline(clock)
    timeline.start("2025-03-14T09:30:00+00:00")
    cell[0] += 1_250
    timeline.add_marker("chapter", "Vitals recorded.", "waypoint", waypoint="triage")
    cell[0] += 2_000
    body = timeline.as_json("demo")
    vtt = webvtt.from_buffer(io.StringIO(export(body, "webvtt")[1].decode()))
    assert [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.text) for c in vtt.captions] == \
        [(0, 1_250, LEAD_IN_TITLE), (1_250, 3_250, "Vitals recorded.")]
    ffmeta = export(body, "ffmetadata")[1].decode()
    assert "START=0\nEND=1250\ntitle=Opening" in ffmeta and "START=1250\nEND=3250" in ffmeta
    clip = otio.adapters.read_from_string(export(body, "otio")[1].decode(), "otio_json").find_clips()[0]
    assert [m.name for m in clip.markers] == ["Vitals recorded."]


def test_srt_captions_read_back_exactly_by_srt() -> None:
    for body in samples(6, 60):
        subtitles = list(srt.parse(export(body, "srt")[1].decode()))
        got = [(ms(s.start), ms(s.end), s.content) for s in subtitles]
        assert got == expected_captions(body)
        assert [s.index for s in subtitles] == list(range(1, len(got) + 1))


def test_srt_captions_chapters_when_there_is_no_annotation() -> None:
    for body in samples(7, 30, annotations=False):
        subtitles = list(srt.parse(export(body, "srt")[1].decode()))
        chapters = [m for m in body["markers"] if m["kind"] == "chapter"]
        assert [s.content for s in subtitles] == [m["text"] for m in chapters]
        assert all(ms(s.end) - ms(s.start) == DEFAULT_CAPTION_MS for s in subtitles)


def test_idle_timeline_exports_parse_as_empty() -> None:
    _, clock = manual_clock()
    body = Timeline(clock).as_json("demo")
    assert webvtt.from_buffer(io.StringIO(export(body, "webvtt")[1].decode())).captions == []
    assert list(srt.parse(export(body, "srt")[1].decode())) == []
    assert "[CHAPTER]" not in export(body, "ffmetadata")[1].decode()
    clip = otio.adapters.read_from_string(export(body, "otio")[1].decode(), "otio_json").find_clips()[0]
    assert len(clip.markers) == 0 and clip.source_range.duration.value == 0
    assert otio.adapters.read_from_string(export(body, "edl")[1].decode(), "cmx_3600", rate=30).name


def test_ffmetadata_escapes_ffmpeg_specials() -> None:
    assert ffmetadata_escape("a=b;c#d\\e\nf") == "a\\=b\\;c\\#d\\\\e\\\nf"
    rng = random.Random(8)
    for _ in range(300):
        text = random_text(rng)
        escaped = ffmetadata_escape(text)
        unescaped, pending = [], False
        for ch in escaped:
            if pending or ch != "\\":
                unescaped.append(ch)
                pending = False
            else:
                pending = True
        assert "".join(unescaped) == text


CONTAINERS = ("mkv", "mp4")
"""The two containers screen recorders write; MP4 keeps chapters in a gapless text track."""


def mux_and_probe(video: Path, meta: Path, out: Path) -> dict[str, Any]:
    run("ffmpeg", "-v", "error", "-i", str(video), "-i", str(meta), "-map_metadata", "1",
        "-map_chapters", "1", "-map", "0", "-c", "copy", str(out))
    probed: dict[str, Any] = json.loads(run("ffprobe", "-v", "error", "-show_chapters", "-show_format",
                                            "-of", "json", str(out)))
    return probed


@pytest.mark.parametrize("container", CONTAINERS)
def test_ffmetadata_chapters_survive_an_ffmpeg_mux(container: str, test_video: Path, tmp_path: Path) -> None:
    bodies = samples(9, 4, total_ms=VIDEO_MS)
    bodies.append({"session": "demo", "recording": {"state": "stopped", "started_at": "2025-03-14T09:30:00Z",
                                                     "duration_ms": VIDEO_MS}, "markers": [
        {"kind": "chapter", "text": "Balance = 1,250.00 USD; #1 \\ café → 'ok' \"q\"", "offset_ms": 0,
         "source": "waypoint"},
        {"kind": "note", "text": "not a chapter", "offset_ms": 1_000, "source": "api"},
        {"kind": "chapter", "text": "Order ships", "offset_ms": 2_345, "source": "story"}]})
    for number, body in enumerate(bodies):
        meta = tmp_path / f"chapters-{number}.ffmeta"
        meta.write_bytes(export(body, "ffmetadata")[1])
        probed = mux_and_probe(test_video, meta, tmp_path / f"out-{number}.{container}")
        expected = expected_chapters(body)
        assert len(probed["chapters"]) == len(expected)
        for chapter, (start, end, title) in zip(probed["chapters"], expected, strict=False):
            assert abs(float(chapter["start_time"]) * 1000 - start) <= FFPROBE_TOLERANCE_MS
            assert abs(float(chapter["end_time"]) * 1000 - end) <= FFPROBE_TOLERANCE_MS
            assert chapter["tags"]["title"] == title
        tags = {key.lower(): value for key, value in probed["format"]["tags"].items()}
        assert tags["title"] == "demo recording"


def test_otio_reads_back_every_marker_exactly() -> None:
    for body in samples(10, 40):
        timeline = otio.adapters.read_from_string(export(body, "otio")[1].decode(), "otio_json")
        assert len(timeline.video_tracks()) == 1
        (clip,) = timeline.find_clips()
        assert clip.source_range.duration.to_seconds() * 1000 == pytest.approx(body["recording"]["duration_ms"])
        assert len(clip.markers) == len(body["markers"])
        chapter_ends = {(start, title): end for start, end, title in expected_chapters(body)}
        for marker, expected in zip(clip.markers, body["markers"], strict=False):
            assert marker.name == expected["text"]
            assert marker.color == MARKER_COLORS[MarkerKind(expected["kind"])]
            assert marker.marked_range.start_time.rate == 1000
            assert marker.marked_range.start_time.value == expected["offset_ms"]
            assert dict(marker.metadata["pymockapi"]) == expected
            if expected["kind"] == "chapter":
                end = chapter_ends.get((expected["offset_ms"], expected["text"]), expected["offset_ms"])
                assert marker.marked_range.end_time_exclusive().value == end
            else:
                assert marker.marked_range.duration.value == expected.get("duration_ms", 0)
        assert timeline.metadata["pymockapi"]["recording"]["duration_ms"] == body["recording"]["duration_ms"]


def test_edl_reads_back_markers_on_the_clip_at_30_fps() -> None:
    for body in samples(11, 40):
        edl = export(body, "edl")[1].decode()
        assert edl.startswith("TITLE: demo recording")
        timeline = otio.adapters.read_from_string(edl, "cmx_3600", rate=30)
        (clip,) = timeline.find_clips()
        assert clip.source_range.duration.value == math.ceil(body["recording"]["duration_ms"] * 30 / 1000)
        assert [m.name for m in clip.markers] == [m["text"].upper() for m in body["markers"]]
        for marker, expected in zip(clip.markers, body["markers"], strict=False):
            assert marker.marked_range.start_time.value == math.floor(expected["offset_ms"] * 30 / 1000 + 0.5)
            assert abs(marker.marked_range.start_time.to_seconds() * 1000 - expected["offset_ms"]) <= 1000 / 60
            assert marker.color == MARKER_COLORS[MarkerKind(expected["kind"])]
