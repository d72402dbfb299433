"""Clinic wall-clock times as ISO 8601 with the right UTC offset.

FHIR requires a time zone on every time of day, and a demo shown in July
must not print winter offsets, so local times carry their state's offset
with the US daylight-saving rule (second Sunday of March to first Sunday of
November since 2007).  The rule is coded here rather than read from the
system's tz database so that output is identical on every machine.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from pymockapi.industries.healthcare.data import NO_DST_STATES, US_STATE_UTC_OFFSETS

_DEFAULT_OFFSET = -5
_ZONES = {hours: timezone(timedelta(hours=hours)) for hours in range(-12, 15)}


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


@lru_cache(maxsize=256)
def _summer(year: int) -> tuple[datetime, datetime]:
    """Local start (02:00, second Sunday of March) and end (01:00, first Sunday of November) of DST."""
    return (datetime.combine(_nth_sunday(year, 3, 2), time(2)), datetime.combine(_nth_sunday(year, 11, 1), time(1)))


def utc_offset(state: str, local: datetime) -> int:
    """Hours from UTC for a naive local time in ``state``."""
    standard = US_STATE_UTC_OFFSETS.get(state, _DEFAULT_OFFSET)
    if state in NO_DST_STATES:
        return standard
    start, end = _summer(local.year)
    return standard + 1 if start <= local < end else standard


def localize(state: str, local: datetime) -> datetime:
    """The naive local time made aware with its state's offset."""
    return local.replace(tzinfo=_ZONES[utc_offset(state, local)])


def local_iso(state: str, local: datetime) -> str:
    """ISO 8601 text of a local clinic time, with its offset."""
    return localize(state, local).isoformat()
