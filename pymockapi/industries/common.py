"""People, places and organisations shared by every industry.

Names come from Faker (pinned), addresses from a shipped table of real ZIP
codes with their city and state so the three always agree, and everything a
real person could be reached by is made unreachable on purpose: emails on
example domains, phones in 555-0100..0199, SSN-like numbers in a range the
SSA never issues.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from babel.numbers import format_currency
from faker.providers.person.en_US import Provider as NameProvider

from pymockapi.industries.seeding import GenContext

EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
STREET_SUFFIXES = ("St", "Ave", "Rd", "Ln", "Dr", "Ct", "Blvd", "Way", "Pl", "Ter")


@dataclass(frozen=True)
class ZipCode:
    zip: str
    city: str
    state: str
    area_code: str


@lru_cache(maxsize=1)
def zip_table() -> tuple[ZipCode, ...]:
    """The shipped ZIP table (real ZIP codes with their city, state and area code)."""
    text = resources.files("pymockapi.industries").joinpath("data/zip_codes.csv").read_text()
    rows = csv.DictReader(text.splitlines())
    return tuple(ZipCode(r["zip"], r["city"], r["state"], r["area_code"]) for r in rows)


@lru_cache(maxsize=1)
def _area_codes() -> dict[str, str]:
    return {z.zip: z.area_code for z in zip_table()}


def _sex_of(first_name: str | None) -> str | None:
    """The sex a pinned first name implies, so "Maria" is never a man by chance."""
    if not first_name:
        return None
    if first_name in NameProvider.first_names_female:
        return "female"
    if first_name in NameProvider.first_names_male:
        return "male"
    return None


@lru_cache(maxsize=None)
def _name_table(kind: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Faker's en_US names with their cumulative frequency weights."""
    table = {"female": NameProvider.first_names_female, "male": NameProvider.first_names_male,
             "last": NameProvider.last_names}[kind]
    return tuple(table), tuple(itertools.accumulate(table.values()))


def name_of(rng: random.Random, kind: str) -> str:
    """A first ("female"/"male") or "last" name drawn as often as Faker would draw it.

    Drawing from Faker's own weighted tables with our stream costs a microsecond;
    asking a re-seeded Faker costs sixty, three times per person.
    """
    names, weights = _name_table(kind)
    return rng.choices(names, cum_weights=weights)[0]


def slug(text: str) -> str:
    """ASCII lower-case letters only, for email local parts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_text.lower())


def email_for(first: str, last: str, n: int) -> str:
    """A name-derived address on an example domain (never deliverable)."""
    return f"{slug(first)}.{slug(last)}@{EXAMPLE_DOMAINS[n % len(EXAMPLE_DOMAINS)]}"


def phone_for(area_code: str, n: int) -> str:
    """A phone number in the 555-0100..0199 range reserved for fiction."""
    return f"+1-{area_code}-555-01{n % 100:02d}"


def ssn_like(ctx: GenContext, *parts: object) -> str:
    """An SSN-shaped number with area 9xx and group 01-49: never issued as an SSN or ITIN."""
    rng = ctx.rng("ssn", *parts)
    return f"9{rng.randint(0, 99):02d}-{rng.randint(1, 49):02d}-{rng.randint(1, 9999):04d}"


def address(ctx: GenContext, *parts: object) -> dict[str, str]:
    """A street address whose ZIP, city and state belong together."""
    rng = ctx.rng("address", *parts)
    place = rng.choice(zip_table())
    street = f"{rng.randint(10, 9899)} {name_of(rng, 'last')} {rng.choice(STREET_SUFFIXES)}"
    return {"line1": street, "city": place.city, "state": place.state, "zip": place.zip,
            "country": "US"}


def age_on(birth: date, anchor: date) -> int:
    return anchor.year - birth.year - ((anchor.month, anchor.day) < (birth.month, birth.day))


def birth_date_for_age(ctx: GenContext, age: int, *parts: object) -> date:
    """A birth date that makes someone exactly ``age`` on the anchor date."""
    latest = ctx.anchor.replace(year=ctx.anchor.year - age) if not (
        ctx.anchor.month == 2 and ctx.anchor.day == 29) else date(ctx.anchor.year - age, 2, 28)
    # Up to 364 days before that birthday keeps the age exact, leap years included.
    return latest - timedelta(days=ctx.rng("birth", *parts).randint(0, 364))


def person(ctx: GenContext, kind: str, index: int, pins: Mapping[str, Any],
           min_age: int = 18, max_age: int = 90) -> dict[str, Any]:
    """A fictional person; pinned fields win and every derived field follows them."""
    rng = ctx.rng("person", kind, index)
    sex = pins.get("sex") or _sex_of(pins.get("first_name")) or rng.choice(("female", "male"))
    first = pins.get("first_name") or name_of(rng, "female" if sex == "female" else "male")
    last = pins.get("last_name") or name_of(rng, "last")
    age = int(pins["age"]) if "age" in pins else rng.randint(min_age, max_age)
    born = birth_date_for_age(ctx, age, kind, index)
    home = address(ctx, kind, index)
    area = _area_codes()[home["zip"]]
    return {
        "first_name": first,
        "last_name": last,
        "display_name": f"{first} {last}",
        "sex": sex,
        "birth_date": born.isoformat(),
        "age": age,
        "email": email_for(first, last, index),
        "phone": phone_for(area, index),
        "address": home,
    }


_PROBE = Decimal("1234567.89")
_PROBE_TEXT = "1,234,567.89"


@lru_cache(maxsize=256)
def _display_patterns(currency: str, locale: str) -> tuple[str, str] | None:
    """Babel's positive and negative display for a currency, with the number cut out.

    Babel costs tens of microseconds a call and a statement carries dozens
    of amounts: ask it once per (currency, locale) and slot amounts in.
    Locales that group digits differently fall back to Babel every time.
    """
    positive = format_currency(_PROBE, currency, locale=locale)
    negative = format_currency(-_PROBE, currency, locale=locale)
    if _PROBE_TEXT not in positive or _PROBE_TEXT not in negative:
        return None
    return positive.replace(_PROBE_TEXT, "{}"), negative.replace(_PROBE_TEXT, "{}")


def money(amount: Decimal | float | int | str, currency: str = "USD", locale: str = "en_US") -> dict[str, str]:
    """SPEC's money shape: exact amount as a string, ISO 4217 currency, display text."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    patterns = _display_patterns(currency, locale)
    if patterns is None:
        display = format_currency(value, currency, locale=locale)
    else:
        display = (patterns[1] if value.is_signed() else patterns[0]).format(f"{abs(value):,.2f}")
    return {"amount": f"{value:.2f}", "currency": currency, "display": display}


def organisation_name(ctx: GenContext, stems: tuple[str, ...], suffixes: tuple[str, ...], *parts: object) -> str:
    """A believable, fictional organisation name built from an industry's vocabulary."""
    rng = ctx.rng("org", *parts)
    place = rng.choice(zip_table()).city
    pattern = rng.randint(0, 2)
    if pattern == 0:
        return f"{place} {rng.choice(stems)} {rng.choice(suffixes)}"
    if pattern == 1:
        return f"{name_of(rng, 'last')} {rng.choice(stems)} {rng.choice(suffixes)}"
    return f"{rng.choice(stems)} {rng.choice(suffixes)} of {place}"


def days_before(ctx: GenContext, low: int, high: int, *parts: object) -> date:
    """A date between ``high`` and ``low`` days before the anchor date."""
    return ctx.anchor - timedelta(days=ctx.rng("days", *parts).randint(low, high))
