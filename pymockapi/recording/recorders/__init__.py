"""Recorders: the recording tools a session's timeline drives (OBS Studio, webhooks).

A session holds a :class:`RecorderLink` from :func:`recorder_from_url`; it
calls :meth:`RecorderLink.submit` with SPEC's event dicts and never waits
for, or fails because of, the tool behind it.
"""

from __future__ import annotations

from .base import (
    LatencyStats,
    NullRecorder,
    Recorder,
    RecorderEvent,
    RecorderEventKind,
    RecorderFailure,
    RecorderLink,
    RecorderStatus,
    StatusCallback,
)
from .obs import ObsRecorder
from .secrets import redact, secrets_of
from .url import UnknownRecorder, build_recorder, recorder_from_url
from .webhook import WebhookRecorder

__all__ = [
    "LatencyStats",
    "NullRecorder",
    "ObsRecorder",
    "Recorder",
    "RecorderEvent",
    "RecorderEventKind",
    "RecorderFailure",
    "RecorderLink",
    "RecorderStatus",
    "StatusCallback",
    "UnknownRecorder",
    "WebhookRecorder",
    "build_recorder",
    "recorder_from_url",
    "redact",
    "secrets_of",
]
