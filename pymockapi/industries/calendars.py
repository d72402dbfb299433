"""When places are open: US business days, local time zones and opening hours.

Insiders notice a payroll credit on a Saturday, a clinic visit on
Christmas Day or a parcel delivered at 01:15, so every industry asks this
one module instead of keeping its own date rules.  Holidays come from the
``holidays`` library (the Federal Reserve's banking days, the New York
Stock Exchange's trading days, US federal holidays for offices); local
times come from the IANA database through :mod:`zoneinfo` (the ``tzdata``
package backs it where the system has none), so daylight saving is never
hand-coded.

Nothing here reads the wall clock: the caller passes the day and, for
random times, its own :class:`random.Random`, so worlds stay a pure
function of their seeds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


class Calendar(str, Enum):
    """Whose days off a date is checked against."""

    BANK = "bank"
    """Federal Reserve banking days: weekdays that are not Fed holidays (ACH, payroll, rent, bills)."""
    EXCHANGE = "exchange"
    """New York Stock Exchange trading days (prices, dividends)."""
    CLINIC = "clinic"
    """Office days: weekdays that are not US federal holidays (observed dates included)."""
    STORE = "store"
    """Every day but Thanksgiving and Christmas Day."""
    CARRIER = "carrier"
    """Parcel delivery days: Monday to Saturday, not US federal holidays."""


@dataclass(frozen=True)
class _Rule:
    weekdays: frozenset[int]
    source: str
    """``XFED``/``XNYS`` (financial calendars), ``US`` (federal, observed) or ``US-closures``."""


_RULES: Mapping[Calendar, _Rule] = {
    Calendar.BANK: _Rule(frozenset(range(5)), "XFED"),
    Calendar.EXCHANGE: _Rule(frozenset(range(5)), "XNYS"),
    Calendar.CLINIC: _Rule(frozenset(range(5)), "US"),
    Calendar.STORE: _Rule(frozenset(range(7)), "US-closures"),
    Calendar.CARRIER: _Rule(frozenset(range(6)), "US"),
}
STORE_CLOSED_ON = frozenset({"Thanksgiving Day", "Christmas Day"})
"""The holidays (by their ``holidays`` name, actual date) on which stores stay shut."""

CalendarName = Calendar | str


def _calendar(name: CalendarName) -> Calendar:
    return name if isinstance(name, Calendar) else Calendar(name)


@lru_cache(maxsize=512)
def holidays_in(calendar: Calendar, year: int) -> frozenset[date]:
    """The days ``calendar`` is closed in ``year`` besides its weekly days off."""
    source = _RULES[calendar].source
    if source == "US":
        return frozenset(holidays.country_holidays("US", years=year))
    if source == "US-closures":
        actual = holidays.country_holidays("US", years=year, observed=False)
        return frozenset(day for day, name in actual.items() if name in STORE_CLOSED_ON)
    return frozenset(holidays.financial_holidays(source, years=year))


def is_business_day(day: date, calendar: CalendarName = Calendar.BANK) -> bool:
    """Whether ``calendar`` is open on ``day``."""
    cal = _calendar(calendar)
    return day.weekday() in _RULES[cal].weekdays and day not in holidays_in(cal, day.year)


def next_business_day(day: date, calendar: CalendarName = Calendar.BANK) -> date:
    """The first open day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_business_day(day, calendar):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date, calendar: CalendarName = Calendar.BANK) -> date:
    """The last open day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_business_day(day, calendar):
        day -= timedelta(days=1)
    return day


def roll(day: date, calendar: CalendarName = Calendar.BANK, *, forward: bool = True,
         earliest: date | None = None, latest: date | None = None) -> date:
    """``day`` if open, else the next open day (the previous one first with ``forward=False``).

    Banks post an item due on a closed day on the following business day;
    when that would land outside [earliest, latest] (after the world's
    today, say) the item takes the open day on the other side instead, so
    history never runs into the future.  With no open day on either side
    in range, ``day`` is kept.
    """
    if is_business_day(day, calendar):
        return day
    after, before = next_business_day(day, calendar), previous_business_day(day, calendar)
    for moved in (after, before) if forward else (before, after):
        if (earliest is None or moved >= earliest) and (latest is None or moved <= latest):
            return moved
    return day


def business_days(first: date, last: date, calendar: CalendarName = Calendar.BANK) -> Iterator[date]:
    """The open days in [first, last], oldest first."""
    day = first
    while day <= last:
        if is_business_day(day, calendar):
            yield day
        day += timedelta(days=1)


def last_business_days(end: date, count: int, calendar: CalendarName = Calendar.BANK) -> tuple[date, ...]:
    """The last ``count`` open days on or before ``end``, oldest first."""
    days: list[date] = []
    day = end
    while len(days) < count:
        if is_business_day(day, calendar):
            days.append(day)
        day -= timedelta(days=1)
    return tuple(reversed(days))


# -- places: time zones ------------------------------------------------------------------------------

_EASTERN, _CENTRAL, _MOUNTAIN, _PACIFIC = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
STATE_ZONES: Mapping[str, str] = {
    **dict.fromkeys(("CT", "DE", "DC", "FL", "GA", "ME", "MD", "MA", "NH", "NJ", "NY", "NC", "OH", "PA", "RI",
                     "SC", "VT", "VA", "WV"), _EASTERN),
    "IN": "America/Indiana/Indianapolis", "KY": "America/Kentucky/Louisville", "MI": "America/Detroit",
    **dict.fromkeys(("AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TN", "TX",
                     "WI"), _CENTRAL),
    **dict.fromkeys(("CO", "MT", "NM", "UT", "WY"), _MOUNTAIN),
    "ID": "America/Boise", "AZ": "America/Phoenix",
    **dict.fromkeys(("CA", "NV", "OR", "WA"), _PACIFIC),
    "AK": "America/Anchorage", "HI": "Pacific/Honolulu",
}
"""One IANA zone per state and DC: the zone most of its people live in (split states go to their majority).

Territories are not listed (no generated address lies there) and fall back to :data:`DEFAULT_ZONE`.
"""
DEFAULT_ZONE = _EASTERN


@lru_cache(maxsize=128)
def zone_of(state: str) -> ZoneInfo:
    """The local time zone of a US state or territory (Eastern when unknown)."""
    return ZoneInfo(STATE_ZONES.get(state, DEFAULT_ZONE))


def localize(state: str, local: datetime) -> datetime:
    """A naive wall-clock time in ``state`` made aware with the offset in force then."""
    return local.replace(tzinfo=zone_of(state))


def local_iso(state: str, local: datetime) -> str:
    """ISO 8601 text of a wall-clock time in ``state``, with its UTC offset."""
    return localize(state, local).isoformat()


def local_time(state: str, moment: datetime) -> datetime:
    """An aware moment as the wall clock in ``state`` shows it (still aware)."""
    return moment.astimezone(zone_of(state))


# -- places: opening hours ---------------------------------------------------------------------------

Span = tuple[time, time]


@dataclass(frozen=True)
class Hours:
    """When a kind of place serves people: its calendar and a span per weekday (Monday first)."""

    calendar: Calendar
    week: tuple[Span, Span, Span, Span, Span, Span, Span]

    @classmethod
    def daily(cls, calendar: Calendar, opens: time, closes: time) -> Hours:
        return cls(calendar, ((opens, closes),) * 7)

    def span(self, day: date) -> Span | None:
        """Opening and closing time on ``day`` (None when closed all day)."""
        return self.week[day.weekday()] if is_business_day(day, self.calendar) else None


class Place(str, Enum):
    """Kinds of place whose hours data must respect."""

    BANK_BRANCH = "bank_branch"
    CLINIC = "clinic"
    STORE = "store"
    CARRIER = "carrier"


_SATURDAY_STORE = (time(10), time(21))
PLACE_HOURS: Mapping[Place, Hours] = {
    Place.BANK_BRANCH: Hours.daily(Calendar.BANK, time(9), time(17)),
    Place.CLINIC: Hours.daily(Calendar.CLINIC, time(8), time(17)),
    Place.STORE: Hours(Calendar.STORE, ((time(10), time(20)),) * 5 + (_SATURDAY_STORE, (time(11), time(18)))),
    Place.CARRIER: Hours.daily(Calendar.CARRIER, time(8), time(20)),
}
"""Default hours by kind of place; a pack with its own hours builds an :class:`Hours` instead."""


def hours_of(place: Place | Hours) -> Hours:
    return place if isinstance(place, Hours) else PLACE_HOURS[Place(place)]


def is_open(place: Place | Hours, state: str, moment: datetime) -> bool:
    """Whether ``moment`` (aware, or naive local time) falls inside opening hours in ``state``."""
    local = local_time(state, moment) if moment.tzinfo is not None else moment
    span = hours_of(place).span(local.date())
    return span is not None and span[0] <= local.time() <= span[1]


def time_in_hours(rng: random.Random, place: Place | Hours, state: str, day: date, *, step: int = 1,
                  duration: timedelta = timedelta(0)) -> datetime | None:
    """A random aware moment on ``day`` in opening hours, on a ``step``-minute grid, ending by closing time.

    ``None`` when the place is closed that day (or the span is shorter than
    ``duration``); callers pick the day with :func:`roll` first.
    """
    span = hours_of(place).span(day)
    if span is None:
        return None
    opens = span[0].hour * 60 + span[0].minute
    last = span[1].hour * 60 + span[1].minute - int(duration.total_seconds() // 60)
    if last < opens:
        return None
    minute = opens + step * rng.randint(0, (last - opens) // step)
    return localize(state, datetime.combine(day, time(minute // 60, minute % 60)))


def next_open_moment(rng: random.Random, place: Place | Hours, state: str, after: datetime) -> datetime:
    """``after`` when the place is open then, else a random moment of its next opening hours.

    Used for events that wait for the place to open (a parcel scanned at
    night is delivered in the next delivery window).  Aware in, aware out.
    """
    if is_open(place, state, after):
        return after
    local = local_time(state, after)
    span = hours_of(place).span(local.date())
    day = local.date()
    if span is None or local.time() > span[1]:
        day = next_business_day(day, hours_of(place).calendar)
    found = time_in_hours(rng, place, state, day)
    assert found is not None  # an open day always has hours
    return found


def time_in_hours_before(rng: random.Random, place: Place | Hours, state: str, day: date,
                         before: datetime) -> datetime:
    """A random moment in opening hours on ``day``, or on the nearest open day before it, earlier than ``before``.

    For history that must stay in the past: a sale on the anchor's eve in
    Honolulu closes after midnight UTC, so it moves back a day.
    """
    while True:
        moment = time_in_hours(rng, place, state, day)
        if moment is not None and moment < before:
            return moment
        day -= timedelta(days=1)
