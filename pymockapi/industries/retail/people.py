"""Retail personas: shoppers with a loyalty membership, and the chain's stores."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pymockapi.industries.common import address, area_codes, person, phone_for, slug
from pymockapi.industries.retail.data import (
    OPENING_PATTERNS,
    STORE_BRANDS,
    STORE_DISTRICTS,
    STORE_FORMATS,
    TIERS,
    WEEKDAYS,
    points_range,
    tier_for_points,
)
from pymockapi.industries.retail.kinds import SHOPPER, STORE
from pymockapi.industries.seeding import GenContext

_TIER_WEIGHTS = (45, 30, 17, 8)
_PERSON_FIELDS = ("first_name", "last_name", "sex", "birth_date", "age", "email", "phone")
# Pins the generator honours itself, deriving the dependent fields from them.
_DERIVING_PINS = ("first_name", "last_name", "sex", "age", "tier", "points", "preferred_store_id")


def store_address(gen: GenContext, index: int) -> dict[str, str]:
    """Where store ``index`` stands (orders taxed at the till use its state).

    Every shopper's history quotes a store's address and a world has only a
    handful of stores, so the (pure) address is memoised per world and store.
    """
    return dict(_store_address(gen.story, gen.story_seed, gen.session_seed, gen.anchor, index))


@lru_cache(maxsize=1024)
def _store_address(story: str, story_seed: int, session_seed: int, anchor: date, index: int) -> dict[str, str]:
    return address(GenContext(story, story_seed, session_seed, anchor), "store", index)


def store_index(ref: str) -> int:
    """The 1-based index inside a store id such as ``store-0003``."""
    parsed = STORE.parse(ref)
    if parsed is None:
        raise ValueError(f"{ref!r} is not a store id")
    return parsed.index


def _apply_pins(record: dict[str, Any], pins: Mapping[str, Any], handled: tuple[str, ...]) -> None:
    """Pinned top-level fields the generator did not already honour win as given."""
    for key, value in pins.items():
        if key not in handled and key not in ("id", "type"):
            record[key] = value


def _member_since(gen: GenContext, birth: date, index: int) -> date:
    leap_day = (birth.month, birth.day) == (2, 29)
    adult = date(birth.year + 18, 3, 1) if leap_day else date(birth.year + 18, birth.month, birth.day)
    earliest = max(adult, gen.anchor - timedelta(days=12 * 365))
    latest = gen.anchor - timedelta(days=30)
    span = max(0, (latest - earliest).days)
    return earliest + timedelta(days=gen.rng("member-since", index).randint(0, span))


def shopper_record(gen: GenContext, index: int, pins: Mapping[str, Any]) -> dict[str, Any]:
    """A shopper: a fictional person with a loyalty membership and a home store."""
    who = person(gen, "shopper", index, pins, min_age=19, max_age=84)
    rng = gen.rng("loyalty", index)
    if "points" in pins:
        points = int(pins["points"])
        tier = tier_for_points(points)
    else:
        tier = str(pins.get("tier") or rng.choices([name for name, _ in TIERS], weights=_TIER_WEIGHTS)[0])
        points = rng.randint(*points_range(tier))
    birth = date.fromisoformat(who["birth_date"])
    record: dict[str, Any] = {"id": SHOPPER.entity_id(index), "type": SHOPPER.name, "display_name": who["display_name"]}
    record.update({k: who[k] for k in _PERSON_FIELDS})
    record["address"] = who["address"]
    record.update({
        "tier": tier, "points": points,
        "member_since": _member_since(gen, birth, index).isoformat(),
        "preferred_store_id": pins.get("preferred_store_id") or STORE.entity_id(gen.pick_index(STORE.name, "shopper",
                                                                                               index)),
    })
    _apply_pins(record, pins, _DERIVING_PINS)
    return record


def _opening_hours(pattern: tuple[str, str, str, str, str]) -> list[dict[str, str]]:
    opens, closes, saturday_close, sunday_open, sunday_close = pattern
    hours = [{"day": day, "opens": opens, "closes": closes} for day in WEEKDAYS[:5]]
    hours.append({"day": "saturday", "opens": opens, "closes": saturday_close})
    hours.append({"day": "sunday", "opens": sunday_open, "closes": sunday_close})
    return hours


def store_record(gen: GenContext, index: int, pins: Mapping[str, Any]) -> dict[str, Any]:
    """A store of the world's fictional retail chain."""
    rng = gen.rng("store", index)
    brand = str(pins.get("brand") or gen.rng("store-brand").choice(STORE_BRANDS))
    where = store_address(gen, index)
    name = str(pins.get("name") or f"{brand} {where['city']} {rng.choice(STORE_DISTRICTS)}")
    fake = gen.faker("store-manager", index)
    first, last = fake.first_name(), fake.last_name()
    record: dict[str, Any] = {
        "id": STORE.entity_id(index), "type": STORE.name, "display_name": name, "name": name, "brand": brand,
        "format": rng.choice(STORE_FORMATS), "address": where,
        "phone": phone_for(area_codes()[where["zip"]], index),
        "email": f"{slug(where['city'])}.store{index}@example.com",
        "opening_hours": _opening_hours(rng.choice(OPENING_PATTERNS)),
        "manager": {"first_name": first, "last_name": last, "display_name": f"{first} {last}"},
        "opened_on": (gen.anchor - timedelta(days=rng.randint(400, 9000))).isoformat(),
        "square_feet": rng.randrange(8000, 60000, 500),
    }
    _apply_pins(record, pins, ("brand", "name"))
    return record
