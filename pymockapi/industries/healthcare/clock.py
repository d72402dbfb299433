"""Clinic wall-clock times as ISO 8601 with the right UTC offset.

FHIR requires a time zone on every time of day, and a demo shown in July
must not print winter offsets, so local times carry the offset their
state's zone has on that date (through :mod:`pymockapi.industries.calendars`,
which reads the IANA database rather than coding a daylight-saving rule).
"""

from __future__ import annotations

from datetime import datetime

from pymockapi.industries.calendars import local_iso, localize

__all__ = ["local_iso", "localize", "utc_offset"]


def utc_offset(state: str, local: datetime) -> int:
    """Whole hours from UTC for a naive local time in ``state``."""
    offset = localize(state, local).utcoffset()
    assert offset is not None  # zoneinfo always knows the offset
    return int(offset.total_seconds() // 3600)
