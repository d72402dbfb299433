"""Timestamps of retail events, relative to the world's anchor date.

Generated history happens strictly before the anchor day starts; story
verbs act on the anchor day itself, so anything a demo does always comes
after the history it builds on.  Moments people can see on a clock (a sale
at the till, a parcel at the door) fall in the place's local opening hours
through :mod:`pymockapi.industries.calendars`.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from pymockapi.industries.calendars import Place, next_open_moment, time_in_hours_before


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def parse(text: str) -> datetime:
    """The moment an ISO 8601 timestamp names (raises on anything else)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no time zone")
    return moment


def days_ago(anchor: date, days: int, rng: random.Random) -> datetime:
    """A shop-hours moment ``days`` before the anchor day."""
    return start_of(anchor - timedelta(days=days)) + timedelta(hours=rng.randint(8, 20), minutes=rng.randint(0, 59))


def later(moment: datetime, hours: tuple[int, int], rng: random.Random) -> datetime:
    """A moment between ``hours`` after ``moment`` (to the minute)."""
    return moment + timedelta(minutes=rng.randint(hours[0] * 60, hours[1] * 60))


def in_store(anchor: date, days: int, state: str, rng: random.Random) -> datetime:
    """A moment at the till ``days`` before the anchor day: store hours, local to the store, never today."""
    return time_in_hours_before(rng, Place.STORE, state, anchor - timedelta(days=days), start_of(anchor))


def at_the_door(moment: datetime, state: str, rng: random.Random) -> datetime:
    """``moment`` if a carrier delivers then in ``state``, else a moment of the next delivery window."""
    return next_open_moment(rng, Place.CARRIER, state, moment)
