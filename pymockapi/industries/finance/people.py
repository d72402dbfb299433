"""The finance personas: customers, advisors and the institutions they work with.

Each builder returns one top-level record.  Pins win over generated values
and everything derived (email, birth date, wealth, eligibility for a
mortgage) follows the pinned value, because ``common.person`` and the
choices below read the pins before deriving anything.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from pymockapi.errors import InvalidField
from pymockapi.industries.common import address, organisation_name, person, phone_for, slug, ssn_like, zip_table
from pymockapi.industries.finance.calendar import add_years, day_between
from pymockapi.industries.finance.data import (
    ADULT_AGE,
    ADVISOR_CREDENTIALS,
    ADVISOR_TITLES,
    BANK_STEMS,
    BANK_SUFFIXES,
    CREDIT_UNION_SUFFIXES,
    EMPLOYERS,
    FED_DISTRICT_BY_STATE,
    FOREIGN_COUNTRIES,
    FOREIGN_SHARE,
    KYC_STATUSES,
    KYC_WEIGHTS,
    RISK_PROFILES,
    SEGMENT_WEIGHTS,
    SEGMENTS,
    THRIFT_DISTRICT_OFFSET,
)
from pymockapi.industries.finance.identifiers import bank_code, bic, routing_number
from pymockapi.industries.finance.kinds import ADVISOR, CUSTOMER, INSTITUTION
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
T = TypeVar("T")

PROTECTED_KEYS = ("id", "type")
CUSTOMER_AGES = (19, 88)
ADVISOR_AGES = (28, 67)
CUSTOMER_SINCE_MIN_DAYS = 90
"""A customer has banked with us at least this long, so statements are full."""
CUSTOMER_HISTORY_YEARS = 30


def weighted(rng: random.Random, options: Sequence[T], weights: Sequence[int]) -> T:
    return rng.choices(options, weights=weights)[0]


def with_pins(record: Record, pins: Mapping[str, Any]) -> Record:
    """Pinned top-level fields win (but never the record's identity)."""
    record.update({k: v for k, v in pins.items() if k in record and k not in PROTECTED_KEYS})
    return record


def customer(gen: GenContext, index: int, pins: Mapping[str, Any]) -> Record:
    """A bank customer: a person plus the relationship the bank keeps about them."""
    if "age" in pins and int(pins["age"]) < ADULT_AGE:
        raise InvalidField(f"A customer must be an adult, not {pins['age']}.",
                           f"Pin an age of {ADULT_AGE} or more for a finance customer.", field="age")
    rng = gen.rng("customer", index, "profile")
    base = person(gen, "customer", index, pins, *CUSTOMER_AGES)
    born = date.fromisoformat(base["birth_date"])
    adult = add_years(born, ADULT_AGE)
    latest = max(adult, gen.anchor - timedelta(days=CUSTOMER_SINCE_MIN_DAYS))
    earliest = max(adult, add_years(gen.anchor, -CUSTOMER_HISTORY_YEARS))
    citizenship = "US"
    if rng.randrange(100) < FOREIGN_SHARE:
        citizenship = rng.choice(FOREIGN_COUNTRIES)
    record: Record = {
        "id": CUSTOMER.entity_id(index),
        "type": CUSTOMER.name,
        "display_name": base["display_name"],
        **{k: v for k, v in base.items() if k != "display_name"},
        "customer_since": day_between(rng, min(earliest, latest), latest).isoformat(),
        "segment": weighted(rng, SEGMENTS, SEGMENT_WEIGHTS),
        "advisor_id": ADVISOR.entity_id(gen.pick_index(ADVISOR.name, "customer", index)),
        "kyc_status": weighted(rng, KYC_STATUSES, KYC_WEIGHTS),
        "risk_profile": rng.choice(RISK_PROFILES),
        "citizenship": citizenship,
        "employer": rng.choice(EMPLOYERS),
        "credit_score": rng.randint(580, 850),
        "ssn_like": ssn_like(gen, "customer", index),
    }
    return with_pins(record, pins)


def advisor(gen: GenContext, index: int, pins: Mapping[str, Any]) -> Record:
    """A bank employee who looks after a book of customers at one branch."""
    rng = gen.rng("advisor", index, "profile")
    base = person(gen, "advisor", index, pins, *ADVISOR_AGES)
    born = date.fromisoformat(base["birth_date"])
    hired = day_between(rng, max(add_years(born, 22), add_years(gen.anchor, -35)), gen.anchor - timedelta(days=60))
    record: Record = {
        "id": ADVISOR.entity_id(index),
        "type": ADVISOR.name,
        "display_name": base["display_name"],
        **{k: v for k, v in base.items() if k != "display_name"},
        "title": rng.choice(ADVISOR_TITLES),
        "credentials": sorted(rng.sample(ADVISOR_CREDENTIALS, rng.randint(1, 3))),
        "branch": INSTITUTION.entity_id(gen.pick_index(INSTITUTION.name, "advisor", index)),
        "employee_since": hired.isoformat(),
    }
    return with_pins(record, pins)


def institution_name(gen: GenContext, index: int) -> str:
    """The fictional bank's name, also needed by accounts held at its foreign branches."""
    return organisation_name(gen, BANK_STEMS, BANK_SUFFIXES, "institution", index)


def headquarters(gen: GenContext, index: int, name: str) -> dict[str, str]:
    """The bank's address, in the city its name carries when it carries one."""
    home = address(gen, "institution", index)
    named = [z for z in zip_table() if z.city in name]
    if named:
        place = gen.rng("institution", index, "headquarters").choice(named)
        home.update(city=place.city, state=place.state, zip=place.zip)
    return home


def institution(gen: GenContext, index: int, pins: Mapping[str, Any]) -> Record:
    """A fictional bank with a routing number and BIC that agree with its name and state."""
    rng = gen.rng("institution", index, "profile")
    name = str(pins.get("name") or institution_name(gen, index))
    home = headquarters(gen, index, name)
    thrift = name.endswith(CREDIT_UNION_SUFFIXES) or "Savings" in name
    district = FED_DISTRICT_BY_STATE[home["state"]] + (THRIFT_DISTRICT_OFFSET if thrift else 0)
    area = next(z.area_code for z in zip_table() if z.zip == home["zip"])
    record: Record = {
        "id": INSTITUTION.entity_id(index),
        "type": INSTITUTION.name,
        "display_name": name,
        "name": name,
        "charter": "credit union" if name.endswith(CREDIT_UNION_SUFFIXES) else (
            "savings institution" if thrift else "commercial bank"),
        "routing_number": routing_number(rng, district),
        "swift_bic": bic(bank_code(name), "US"),
        "country": "US",
        "address": home,
        "phone": phone_for(area, index + 50),
        "website": f"https://www.{slug(name)}.example.com",
        "founded": rng.randint(1870, 2008),
        "total_assets": f"{Decimal(rng.randint(8, 900)) / 10:.1f} billion USD",
    }
    return with_pins(record, pins)
