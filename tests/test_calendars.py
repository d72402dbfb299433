"""Business days, local time zones and opening hours, and the generated worlds that must respect them.

The first half pins the shared module against facts anyone can check on a
calendar; the second half walks whole worlds (the shipped stories' own
worlds, and larger worlds of each pack so that every property sees at
least 1,000 records) and counts what an insider would flag.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import pytest

from pymockapi.industries import calendars, shipped_industries
from pymockapi.industries.calendars import (
    PLACE_HOURS,
    Calendar,
    Hours,
    Place,
    business_days,
    holidays_in,
    is_business_day,
    is_open,
    last_business_days,
    local_iso,
    local_time,
    localize,
    next_business_day,
    next_open_moment,
    previous_business_day,
    roll,
    time_in_hours,
    zone_of,
)
from pymockapi.industries.finance.data import BILL_CATEGORIES, CATEGORY_BY_KEY
from pymockapi.industries.retail.data import OPENING_PATTERNS
from pymockapi.paths import shipped_stories
from pymockapi.story.loader import load_stories, story_files
from pymockapi.story.rehearsal import offline_session
from pymockapi.world.world import World

Record = dict[str, Any]
SEEDS = (0, 1, 7)
ANCHORS = (date(2026, 12, 26), date(2027, 1, 18))  # a Saturday after Christmas; MLK Day 2027
BILL_LABELS = frozenset(CATEGORY_BY_KEY[key].label for key in BILL_CATEGORIES)
LARGE_CAST = {"finance": {"customer": 400}, "healthcare": {"patient": 1100}, "retail": {"shopper": 2500}}


# -- the shared module --------------------------------------------------------------------------------
def test_holidays_and_weekends_are_not_business_days() -> None:
    christmas, mlk = date(2026, 12, 25), date(2027, 1, 18)
    for calendar in (Calendar.BANK, Calendar.EXCHANGE, Calendar.CLINIC):
        assert not is_business_day(christmas, calendar) and not is_business_day(mlk, calendar)
        assert is_business_day(date(2026, 12, 28), calendar)
        assert not is_business_day(date(2026, 12, 27), calendar)  # a Sunday
    assert is_business_day(date(2026, 12, 24), "bank") and not is_business_day(date(2026, 12, 25), "store")
    assert is_business_day(date(2026, 12, 27), Calendar.STORE)
    assert not is_business_day(date(2026, 11, 26), Calendar.STORE)  # Thanksgiving
    assert is_business_day(date(2026, 12, 26), Calendar.CARRIER) and not is_business_day(mlk, "carrier")
    assert christmas in holidays_in(Calendar.BANK, 2026)
    with pytest.raises(ValueError, match="'post office' is not a valid Calendar"):
        is_business_day(christmas, "post office")


def test_exchange_and_bank_calendars_differ_where_they_should() -> None:
    good_friday, thanksgiving, columbus = date(2026, 4, 3), date(2026, 11, 26), date(2026, 10, 12)
    assert not is_business_day(good_friday, "exchange") and is_business_day(good_friday, "bank")
    assert not is_business_day(thanksgiving, "exchange") and not is_business_day(thanksgiving, "bank")
    assert is_business_day(columbus, "exchange") and not is_business_day(columbus, "bank")
    # Independence Day 2026 is a Saturday: the exchange closes on Friday the 3rd, the Fed does not.
    assert not is_business_day(date(2026, 7, 3), "exchange") and is_business_day(date(2026, 7, 3), "bank")


def test_rolling_a_saturday_payroll() -> None:
    saturday = date(2026, 8, 15)
    assert next_business_day(saturday) == date(2026, 8, 17) == roll(saturday, "bank")
    assert previous_business_day(saturday) == date(2026, 8, 14) == roll(saturday, "bank", forward=False)
    assert roll(saturday, "bank", latest=date(2026, 8, 16)) == date(2026, 8, 14)  # Monday is the future
    assert roll(date(2026, 8, 14), "bank") == date(2026, 8, 14)
    assert roll(saturday, "bank", earliest=saturday, latest=date(2026, 8, 16)) == saturday  # no open day in range
    assert roll(saturday, "bank", forward=False, earliest=saturday) == date(2026, 8, 17)
    assert next_business_day(date(2026, 12, 24), "bank") == date(2026, 12, 28)  # over Christmas
    assert previous_business_day(date(2027, 1, 19), "clinic") == date(2027, 1, 15)  # over MLK Day


def test_ranges_of_business_days() -> None:
    days = list(business_days(date(2026, 12, 21), date(2027, 1, 4), Calendar.EXCHANGE))
    assert date(2026, 12, 25) not in days and date(2027, 1, 1) not in days and len(days) == 9
    last = last_business_days(date(2026, 12, 27), 3, "exchange")
    assert last == (date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24))


def test_zones_follow_daylight_saving_time() -> None:
    july, january = datetime(2026, 7, 1, 12), datetime(2026, 1, 15, 12)
    assert localize("CO", july).utcoffset() == timedelta(hours=-6)
    assert localize("CO", january).utcoffset() == timedelta(hours=-7)
    assert localize("AZ", july).utcoffset() == localize("AZ", january).utcoffset() == timedelta(hours=-7)
    assert str(zone_of("CO")) == "America/Denver" and str(zone_of("AZ")) == "America/Phoenix"
    assert str(zone_of("ZZ")) == calendars.DEFAULT_ZONE
    assert local_iso("NY", july) == "2026-07-01T12:00:00-04:00"
    assert local_iso("HI", july) == "2026-07-01T12:00:00-10:00"
    assert local_time("CA", datetime(2026, 7, 1, 19, tzinfo=UTC)).hour == 12
    assert all(zone_of(state) for state in calendars.STATE_ZONES)


def test_random_times_fall_in_opening_hours() -> None:
    rng = random.Random(5)
    friday, christmas = date(2026, 12, 18), date(2026, 12, 25)
    for _ in range(200):
        moment = time_in_hours(rng, Place.CLINIC, "CO", friday, step=15, duration=timedelta(minutes=60))
        assert moment is not None and moment.tzinfo is not None
        assert time(8) <= moment.time() <= time(16) and moment.minute % 15 == 0
        assert is_open(Place.CLINIC, "CO", moment) and is_open(Place.CLINIC, "CO", moment.astimezone(UTC))
    assert time_in_hours(rng, Place.CLINIC, "CO", christmas) is None
    assert time_in_hours(rng, Place.CLINIC, "CO", friday, duration=timedelta(hours=10)) is None
    sunday = time_in_hours(rng, Place.STORE, "TX", date(2026, 12, 20))
    assert sunday is not None and time(11) <= sunday.time() <= time(18)
    assert not is_open(Place.BANK_BRANCH, "NY", datetime(2026, 12, 18, 8, 59))
    assert is_open(Hours.daily(Calendar.STORE, time(0), time(23, 59)), "NY", datetime(2026, 12, 20, 3))


def test_next_open_moment_waits_for_the_delivery_window() -> None:
    rng = random.Random(9)
    open_now = localize("NY", datetime(2026, 12, 18, 14))
    assert next_open_moment(rng, Place.CARRIER, "NY", open_now) == open_now
    night = localize("NY", datetime(2026, 12, 18, 1, 15))
    early = next_open_moment(rng, Place.CARRIER, "NY", night)
    assert early.date() == date(2026, 12, 18) and time(8) <= early.time() <= time(20)
    late = next_open_moment(rng, Place.CARRIER, "NY", localize("NY", datetime(2026, 12, 24, 21, 30)))
    assert late.date() == date(2026, 12, 26)  # not on Christmas Day
    sunday = next_open_moment(rng, Place.CARRIER, "WA", datetime(2026, 12, 20, 12, tzinfo=UTC))
    assert sunday.date() == date(2026, 12, 21) and sunday > datetime(2026, 12, 20, 12, tzinfo=UTC)


def test_default_store_hours_lie_inside_every_stores_hours() -> None:
    hours = PLACE_HOURS[Place.STORE].week
    for opens, closes, saturday_close, sunday_open, sunday_close in OPENING_PATTERNS:
        assert all(time.fromisoformat(opens) <= o and c <= time.fromisoformat(closes) for o, c in hours[:5])
        assert time.fromisoformat(opens) <= hours[5][0] and hours[5][1] <= time.fromisoformat(saturday_close)
        assert time.fromisoformat(sunday_open) <= hours[6][0] and hours[6][1] <= time.fromisoformat(sunday_close)


# -- the worlds --------------------------------------------------------------------------------------
STORIES = {c.id: c for c in load_stories(story_files(shipped_stories()), shipped_industries())}
PACKS = {name: shipped_industries().get(name) for name in LARGE_CAST}


@lru_cache(maxsize=64)
def story_world(story: str, seed: int, anchor: date) -> dict[str, list[Record]]:
    session = offline_session(STORIES[story], seed, anchor.isoformat())
    try:
        return session.world.snapshot()
    finally:
        session.close()


def large_world(industry: str, seed: int, anchor: date) -> dict[str, list[Record]]:
    return World(f"calendars-{industry}", 5, seed, anchor, PACKS[industry], LARGE_CAST[industry], {}).snapshot()


def aware(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


Check = Callable[[dict[str, list[Record]], date], tuple[int, int]]
"""A property over one world: (violations, records checked)."""


def count(items: Iterable[bool]) -> tuple[int, int]:
    seen = [bool(bad) for bad in items]
    return sum(seen), len(seen)


def ach_on_bank_days(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    return count(not is_business_day(date.fromisoformat(t["posted_date"]), "bank")
                 for t in world.get("transaction", []) if t["channel"] == "ach" or t["category"] == "payroll")


def bank_items_on_bank_days(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    """Payments between accounts and bill payments post on banking days too."""
    return count(not is_business_day(date.fromisoformat(t["posted_date"]), "bank")
                 for t in world.get("transaction", []) if t["channel"] in ("transfer", "deposit")
                 or (t["channel"] == "card" and t["category"] in BILL_LABELS))


def market_on_exchange_days(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    prices = [not is_business_day(date.fromisoformat(p["date"]), "exchange")
              for h in world.get("holding", []) for p in h["price_history"]]
    dividends = [not is_business_day(date.fromisoformat(t["posted_date"]), "exchange")
                 or not is_business_day(date.fromisoformat(t["posted_date"]), "bank")
                 for t in world.get("transaction", []) if t["channel"] == "dividend"]
    return count(prices + dividends)


def finance_not_after_anchor(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    days = [t["posted_date"] for t in world.get("transaction", [])]
    days += [c["issued_date"] for c in world.get("card", [])] + [a["opened_date"] for a in world.get("account", [])]
    return count(date.fromisoformat(d) > anchor for d in days)


def patient_states(world: dict[str, list[Record]]) -> dict[str, str]:
    return {p["id"]: p["address"]["state"] for p in world.get("patient", [])}


def in_clinic_hours(state: str, start: str, end: str) -> bool:
    first, last = aware(start), aware(end)
    return (is_open(Place.CLINIC, state, first) and is_open(Place.CLINIC, state, last)
            and local_time(state, first).date() == local_time(state, last).date()
            and aware(start).utcoffset() == local_time(state, first).utcoffset())


def appointments_in_clinic_hours(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    states = patient_states(world)
    return count(not in_clinic_hours(states[a["patient_id"]], a["start"], a["end"])
                 for a in world.get("appointment", []))


def office_visits_in_clinic_hours(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    states = patient_states(world)
    return count(not in_clinic_hours(states[e["patient_id"]], e["start"], e["end"])
                 for e in world.get("encounter", []) if e["class"] == "ambulatory")


def care_not_after_anchor(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    states = patient_states(world)
    ends = [aware(e["end"]) > localize(states[e["patient_id"]], datetime.combine(anchor, time(0)))
            for e in world.get("encounter", []) if e["status"] == "finished"]
    ends += [date.fromisoformat(m["authored_on"]) > anchor for m in world.get("medication", [])]
    ends += [date.fromisoformat(c["abatement_date"]) > anchor for c in world.get("condition", [])
             if c.get("abatement_date")]
    return count(ends)


def _store_hours(store: Record, moment: datetime) -> bool:
    state = store["address"]["state"]
    local = local_time(state, moment)
    day = next(h for h in store["opening_hours"] if h["day"] == local.strftime("%A").lower())
    return (is_business_day(local.date(), "store")
            and time.fromisoformat(day["opens"]) <= local.time() <= time.fromisoformat(day["closes"]))


def in_store_sales_in_store_hours(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    stores = {s["id"]: s for s in world.get("store", [])}
    return count(not _store_hours(stores[o["store_id"]], aware(o["ordered_at"]))
                 for o in world.get("order", []) if o["channel"] == "in_store")


def deliveries_in_window(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    scans = [(s["ship_to"]["state"], aware(e["at"])) for s in world.get("shipment", [])
             for e in s["events"] if e["status"] == "delivered"]
    return count(not is_open(Hours.daily(Calendar.CARRIER, time(8), time(20)), state, moment)
                 for state, moment in scans)


RETAIL_MOMENTS = {"order": ("ordered_at", "cancelled_at", "shipped_at", "delivered_at"),
                  "return": ("requested_at", "refunded_at"), "review": ("created_at",), "cart": ("updated_at",)}


def retail_not_after_anchor(world: dict[str, list[Record]], anchor: date) -> tuple[int, int]:
    start = datetime.combine(anchor, time(0), tzinfo=UTC)
    moments = [r[name] for kind, names in RETAIL_MOMENTS.items() for r in world.get(kind, []) for name in names
               if r.get(name)]
    moments += [e["at"] for s in world.get("shipment", []) for e in s["events"]]
    return count(aware(m) >= start for m in moments)


PROPERTIES: dict[str, tuple[str, Check]] = {
    "ach_on_bank_days": ("finance", ach_on_bank_days),
    "bank_items_on_bank_days": ("finance", bank_items_on_bank_days),
    "market_on_exchange_days": ("finance", market_on_exchange_days),
    "finance_not_after_anchor": ("finance", finance_not_after_anchor),
    "appointments_in_clinic_hours": ("healthcare", appointments_in_clinic_hours),
    "office_visits_in_clinic_hours": ("healthcare", office_visits_in_clinic_hours),
    "care_not_after_anchor": ("healthcare", care_not_after_anchor),
    "in_store_sales_in_store_hours": ("retail", in_store_sales_in_store_hours),
    "deliveries_in_window": ("retail", deliveries_in_window),
    "retail_not_after_anchor": ("retail", retail_not_after_anchor),
}


def stories_of(industry: str) -> list[str]:
    return sorted(s for s, c in STORIES.items() if c.pack.name == industry)


@pytest.mark.parametrize("prop", sorted(PROPERTIES))
@pytest.mark.parametrize("anchor", ANCHORS, ids=str)
def test_shipped_story_worlds_keep_the_calendar(prop: str, anchor: date) -> None:
    industry, check = PROPERTIES[prop]
    for story in stories_of(industry):
        for seed in SEEDS:
            bad, seen = check(story_world(story, seed, anchor), anchor)
            assert seen and bad == 0, f"{story} seed {seed}: {bad} of {seen}"


@pytest.mark.parametrize("prop", sorted(PROPERTIES))
def test_large_worlds_keep_the_calendar(prop: str, worlds: dict[tuple[str, int], dict[str, list[Record]]]) -> None:
    industry, check = PROPERTIES[prop]
    for seed in SEEDS:
        bad, seen = check(worlds[industry, seed], ANCHORS[0])
        assert seen >= 1000 and bad == 0, f"seed {seed}: {bad} of {seen}"


@pytest.fixture(scope="module")
def worlds() -> dict[tuple[str, int], dict[str, list[Record]]]:
    return {(industry, seed): large_world(industry, seed, ANCHORS[0]) for industry in LARGE_CAST for seed in SEEDS}
