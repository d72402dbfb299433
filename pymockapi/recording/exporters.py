"""Turn a timeline's plain JSON into the files video tools read.

Every exporter starts from :meth:`Timeline.as_json` output (so a stored
timeline exports without a live session) and is exact to the millisecond
wherever the format allows it.  Choices the formats leave open:

* **Chapters** (WebVTT, FFMETADATA) come from chapter markers only.  Each
  runs until the next chapter starts or the recording ends.  A chapter with
  nothing in it (another chapter starts at the same millisecond, or it starts
  at the very end) is left out: a player cannot seek to it.  When the first
  chapter starts after 0, an :data:`LEAD_IN_TITLE` chapter covers the time
  before it: MP4's chapter track cannot hold a gap (ffmpeg shifts the
  chapters to 0 when muxing one), and the time before the first waypoint
  change does not belong to that waypoint.
* **Captions** (SRT) show the annotations (note, callout, highlight), each
  for its ``duration_ms`` or :data:`DEFAULT_CAPTION_MS`.  A timeline with no
  annotation captions its chapters instead, so the file is never blank when
  something was marked.
* **OpenTimelineIO** keeps every marker on one clip spanning the recording,
  at a rate of 1000 (one frame per millisecond, so exact); chapters are
  marked over their whole span.  The same timeline at 30 fps is written as a
  CMX 3600 EDL, whose adapter drops timeline-level markers but keeps those
  on clips (as ``* LOC:`` lines, upper-cased by the format).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import opentimelineio as otio

from pymockapi.errors import BadRequest, InvalidField
from pymockapi.recording.timeline import (
    ANNOTATION_KINDS,
    Marker,
    MarkerKind,
    RecordingState,
    as_member,
    as_ms,
    clean_text,
    timeline_json,
)

DEFAULT_CAPTION_MS = 4000
"""How long an annotation without ``duration_ms`` stays on screen: long enough to read a sentence."""

OTIO_RATE = 1000.0
EDL_RATE = 30.0
EDL_REEL = "AX"
"""Avid's name for an auxiliary source: the recording is not a tape."""

LEAD_IN_TITLE = "Opening"
"""Title of the chapter added before a first chapter that starts after 0."""

MARKER_COLORS: dict[MarkerKind, str] = {
    MarkerKind.CHAPTER: otio.schema.MarkerColor.BLUE,
    MarkerKind.NOTE: otio.schema.MarkerColor.YELLOW,
    MarkerKind.CALLOUT: otio.schema.MarkerColor.ORANGE,
    MarkerKind.HIGHLIGHT: otio.schema.MarkerColor.GREEN,
    MarkerKind.GAP: otio.schema.MarkerColor.RED,
    MarkerKind.REQUEST: otio.schema.MarkerColor.CYAN,
}
"""Marker colours by kind, so an editor sees structure and notes apart at a glance."""

_VTT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
"""WebVTT cue text is markup: these three must be entities (which also rules out ``-->``)."""

_FFMETADATA_SPECIAL = "\\=;#\n"
"""Characters ffmpeg's metadata syntax gives meaning to; each is escaped with a backslash."""


@dataclass(frozen=True)
class Recording:
    """A validated timeline export, the one input every format renders."""

    session: str
    state: RecordingState
    started_at: str | None
    duration_ms: int
    markers: tuple[Marker, ...]
    take: int = 1

    @classmethod
    def from_json(cls, body: object) -> Recording:
        """Validate SPEC's plain JSON (as :meth:`Timeline.as_json` writes it)."""
        if not isinstance(body, Mapping) or not isinstance(body.get("recording"), Mapping):
            raise InvalidField("A timeline export needs 'session', 'recording' and 'markers'.",
                               "Pass what Timeline.as_json() returns.", field="recording")
        recording: Mapping[str, Any] = body["recording"]
        markers = body.get("markers")
        if not isinstance(markers, list) or not all(isinstance(item, Mapping) for item in markers):
            raise InvalidField("'markers' must be a list of marker objects.",
                               "Pass what Timeline.as_json() returns.", field="markers")
        started_at = recording.get("started_at")
        return cls(
            session=clean_text(body.get("session"), "session", 200),
            state=as_member(RecordingState, recording.get("state"), "state"),
            started_at=None if started_at is None else clean_text(started_at, "started_at", 64),
            duration_ms=as_ms(recording.get("duration_ms"), "duration_ms", 0, 2**53),
            markers=tuple(sorted((Marker.from_dict(item) for item in markers), key=_offset)),
            take=as_ms(body.get("take", 1), "take", 1, 2**31),
        )

    def as_json(self) -> dict[str, Any]:
        return timeline_json(self.session, self.state, self.started_at, self.duration_ms, self.markers, self.take)


@dataclass(frozen=True)
class Span:
    """What a time-ranged format shows from ``start_ms`` to ``end_ms`` (never before it starts)."""

    start_ms: int
    end_ms: int
    text: str

    @classmethod
    def of(cls, marker: Marker, end_ms: int) -> Span:
        return cls(marker.offset_ms, max(marker.offset_ms, end_ms), marker.text)


def chapter_spans(recording: Recording) -> list[Span]:
    """Each chapter from its offset to the next chapter's (or the end), empty ones included."""
    chapters = [marker for marker in recording.markers if marker.is_chapter]
    ends = [following.offset_ms for following in chapters[1:]] + [recording.duration_ms]
    return [Span.of(chapter, end) for chapter, end in zip(chapters, ends, strict=False)]


def playable_chapters(recording: Recording) -> list[Span]:
    """The chapter list a player shows: no empty chapter, and no gap before the first one."""
    spans = [span for span in chapter_spans(recording) if span.end_ms > span.start_ms]
    if spans and spans[0].start_ms > 0:
        spans.insert(0, Span(0, spans[0].start_ms, LEAD_IN_TITLE))
    return spans


def caption_spans(recording: Recording) -> list[Span]:
    """Annotations as captions (chapters when there is no annotation), each for its duration."""
    shown = [marker for marker in recording.markers if marker.kind in ANNOTATION_KINDS]
    if not shown:
        shown = [marker for marker in recording.markers if marker.is_chapter]
    return [Span.of(marker, marker.offset_ms + (marker.duration_ms or DEFAULT_CAPTION_MS)) for marker in shown]


def marked_spans(recording: Recording) -> list[tuple[Marker, Span]]:
    """Every marker with its extent: chapters over their span, annotations over their duration (or a point)."""
    chapters = iter(chapter_spans(recording))
    return [(marker, next(chapters) if marker.is_chapter else
             Span.of(marker, marker.offset_ms + (marker.duration_ms or 0)))
            for marker in recording.markers]


def _clock(ms: int, fraction_separator: str) -> str:
    """``HH:MM:SS.mmm`` (hours grow past two digits for very long recordings)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{fraction_separator}{millis:03d}"


def render_json(recording: Recording) -> str:
    return json.dumps(recording.as_json(), indent=2, ensure_ascii=False) + "\n"


def render_webvtt(recording: Recording) -> str:
    """WebVTT chapters: one cue per chapter, identified ``chapter-N``."""
    blocks = ["WEBVTT"]
    for number, span in enumerate(playable_chapters(recording), start=1):
        timing = f"{_clock(span.start_ms, '.')} --> {_clock(span.end_ms, '.')}"
        blocks.append(f"chapter-{number}\n{timing}\n{span.text.translate(_VTT_ESCAPES)}")
    return "\n\n".join(blocks) + "\n"


def render_srt(recording: Recording) -> str:
    """SRT captions, numbered from 1 in time order."""
    blocks = [f"{number}\n{_clock(span.start_ms, ',')} --> {_clock(span.end_ms, ',')}\n{span.text}"
              for number, span in enumerate(caption_spans(recording), start=1)]
    return "".join(block + "\n\n" for block in blocks)


def ffmetadata_escape(value: str) -> str:
    """Escape ``value`` for an FFMETADATA1 file (backslash before ``\\ = ; #`` and newline)."""
    return "".join("\\" + ch if ch in _FFMETADATA_SPECIAL else ch for ch in value)


def render_ffmetadata(recording: Recording) -> str:
    """FFMETADATA1 chapters in milliseconds, for ``ffmpeg -map_chapters``."""
    lines = [";FFMETADATA1", f"title={ffmetadata_escape(recording.session + ' recording')}"]
    for span in playable_chapters(recording):
        lines += ["", "[CHAPTER]", "TIMEBASE=1/1000", f"START={span.start_ms}", f"END={span.end_ms}",
                  f"title={ffmetadata_escape(span.text)}"]
    return "\n".join(lines) + "\n"


def _frames(ms: int, rate: float) -> otio.opentime.RationalTime:
    """``ms`` as a whole frame count at ``rate``, rounding half up."""
    return otio.opentime.RationalTime(math.floor(ms * rate / 1000 + 0.5), rate)


def otio_timeline(recording: Recording, rate: float = OTIO_RATE) -> otio.schema.Timeline:
    """One video track holding one clip that spans the recording, markers on the clip."""
    duration = otio.opentime.RationalTime(math.ceil(recording.duration_ms * rate / 1000), rate)
    clip = otio.schema.Clip(
        name=recording.session,
        media_reference=otio.schema.MissingReference(),
        source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate), duration),
        metadata={"cmx_3600": {"reel": EDL_REEL}},
    )
    for marker, span in marked_spans(recording):
        start = _frames(span.start_ms, rate)
        clip.markers.append(otio.schema.Marker(
            name=span.text,
            marked_range=otio.opentime.TimeRange(start, _frames(span.end_ms, rate) - start),
            color=MARKER_COLORS[marker.kind],
            metadata={"pymockapi": marker.as_dict()},
        ))
    track = otio.schema.Track(name="recording", kind=otio.schema.TrackKind.Video)
    track.append(clip)
    timeline = otio.schema.Timeline(name=f"{recording.session} recording", metadata={"pymockapi": {
        key: value for key, value in recording.as_json().items() if key != "markers"}})
    timeline.tracks.append(track)
    return timeline


def render_otio(recording: Recording) -> str:
    return str(otio.adapters.write_to_string(otio_timeline(recording), "otio_json"))


def render_edl(recording: Recording) -> str:
    return str(otio.adapters.write_to_string(otio_timeline(recording, EDL_RATE), "cmx_3600", rate=EDL_RATE))


@dataclass(frozen=True)
class Format:
    """How one export format is served and named."""

    content_type: str
    extension: str
    render: Callable[[Recording], str]


FORMATS: dict[str, Format] = {
    "json": Format("application/json; charset=utf-8", "json", render_json),
    "webvtt": Format("text/vtt; charset=utf-8", "vtt", render_webvtt),
    "srt": Format("application/x-subrip; charset=utf-8", "srt", render_srt),
    "ffmetadata": Format("text/plain; charset=utf-8", "ffmeta", render_ffmetadata),
    "edl": Format("text/plain; charset=utf-8", "edl", render_edl),
    "otio": Format("application/json; charset=utf-8", "otio", render_otio),
}
"""Every ``?format=`` the markers endpoint accepts, in SPEC's order."""


def export_format(fmt: str) -> Format:
    """The :class:`Format` named ``fmt`` (any case), or :class:`BadRequest` listing the supported ones."""
    found = FORMATS.get(fmt.strip().lower()) if isinstance(fmt, str) else None
    if found is None:
        supported = ", ".join(FORMATS)
        raise BadRequest(f"Unknown marker format {fmt!r}.", f"Use ?format= with one of: {supported}.",
                         code="unsupported_format", supported=list(FORMATS))
    return found


def export(timeline_json: Mapping[str, Any], fmt: str) -> tuple[str, bytes]:
    """Render a timeline (``Timeline.as_json`` output) as ``fmt``: ``(content type, UTF-8 body)``."""
    chosen = export_format(fmt)
    return chosen.content_type, chosen.render(Recording.from_json(timeline_json)).encode("utf-8")


def _offset(marker: Marker) -> int:
    return marker.offset_ms
