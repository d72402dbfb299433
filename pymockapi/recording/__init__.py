"""A session's recording: the timeline of markers and its exports for video tools.

The timeline (:mod:`.timeline`) is pure state on an injected monotonic clock;
the exporters (:mod:`.exporters`) turn its plain JSON into the files editors
and players read; the recorders (:mod:`.recorders`) drive external tools.
"""

from __future__ import annotations

from pymockapi.recording.exporters import FORMATS, export
from pymockapi.recording.timeline import (
    ANNOTATION_KINDS,
    Marker,
    MarkerKind,
    MarkerSource,
    RecordingState,
    Timeline,
)

__all__ = [
    "ANNOTATION_KINDS",
    "FORMATS",
    "Marker",
    "MarkerKind",
    "MarkerSource",
    "RecordingState",
    "Timeline",
    "export",
]
