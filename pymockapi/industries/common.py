"""People, places and organisations shared by every industry, and the checks of their contact details.

Names come from Faker (pinned), addresses from a shipped table of real ZIP
codes with their city and state so the three always agree, and everything a
real person could be reached by is made unreachable on purpose: emails on
example domains, phones in 555-0100..0199, SSN-like numbers in a range the
SSA never issues.  Each check lives beside the generator whose promise it
verifies, so the two cannot drift apart, and every pack's rules use them.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from faker.providers.person.en_US import Provider as NameProvider

from pymockapi.industries.rules import Problem, Record, RecordSet, need
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
def area_codes() -> dict[str, str]:
    """Telephone area code of every shipped ZIP code."""
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


@cache
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


def email_problems(record: Record, name: str = "email", derived: bool = True) -> Iterator[Problem]:
    """An email on an example domain and, when ``derived``, made from the record's first and last name."""
    wanted = f"{slug(need(record, 'first_name', str))}.{slug(need(record, 'last_name', str))}" if derived else None
    local, _, domain = str(record.get(name)).partition("@")
    if domain not in EXAMPLE_DOMAINS:
        yield name, "is not on an example domain"
    elif wanted is not None and local != wanted:
        yield name, "is not derived from the name"


PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")


def phone_for(area_code: str, n: int) -> str:
    """A phone number in the 555-0100..0199 range reserved for fiction."""
    return f"+1-{area_code}-555-01{n % 100:02d}"


def phone_problems(record: Record, name: str = "phone") -> Iterator[Problem]:
    """A phone number in the fictional 555-0100..0199 range."""
    if not PHONE.match(str(record.get(name))):
        yield name, "is not a 555-01xx fictional number"


SSN_LIKE = re.compile(r"^9\d{2}-(0[1-9]|[1-4]\d)-(?!0000)\d{4}$")


def ssn_like(gen: GenContext, *parts: object) -> str:
    """An SSN-shaped number with area 9xx and group 01-49: never issued as an SSN or ITIN."""
    rng = gen.rng("ssn", *parts)
    return f"9{rng.randint(0, 99):02d}-{rng.randint(1, 49):02d}-{rng.randint(1, 9999):04d}"


def ssn_like_problems(record: Record, name: str = "ssn_like") -> Iterator[Problem]:
    """An SSN-shaped number in the never-issued 9xx area."""
    if not SSN_LIKE.match(str(record.get(name))):
        yield name, "is not in the never-issued 9xx range"


def address(gen: GenContext, *parts: object) -> dict[str, str]:
    """A street address whose ZIP, city and state belong together."""
    rng = gen.rng("address", *parts)
    place = rng.choice(zip_table())
    street = f"{rng.randint(10, 9899)} {name_of(rng, 'last')} {rng.choice(STREET_SUFFIXES)}"
    return {"line1": street, "city": place.city, "state": place.state, "zip": place.zip,
            "country": "US"}


@lru_cache(maxsize=1)
def _places() -> dict[str, ZipCode]:
    return {z.zip: z for z in zip_table()}


def address_problems(place: object, name: str = "address") -> Iterator[Problem]:
    """A street line, and a ZIP, city and state that belong together."""
    if not isinstance(place, dict):
        yield name, "is not an address"
        return
    known = _places().get(str(place.get("zip")))
    if known is None or (known.city, known.state) != (place.get("city"), place.get("state")):
        yield name, f"ZIP {place.get('zip')} is not in {place.get('city')}, {place.get('state')}"
    elif not isinstance(place.get("line1"), str) or not place["line1"].strip():
        yield name, "has no street line"


def contact(record: Record, data: RecordSet) -> Iterator[Problem]:
    """The rule for a person's contact details: a name-derived example email, a fictional phone, a real address."""
    yield from email_problems(record)
    yield from phone_problems(record)
    yield from address_problems(record.get("address"))


def age_on(birth: date, anchor: date) -> int:
    return anchor.year - birth.year - ((anchor.month, anchor.day) < (birth.month, birth.day))


def birth_date_for_age(gen: GenContext, age: int, *parts: object) -> date:
    """A birth date that makes someone exactly ``age`` on the anchor date."""
    latest = gen.anchor.replace(year=gen.anchor.year - age) if not (
        gen.anchor.month == 2 and gen.anchor.day == 29) else date(gen.anchor.year - age, 2, 28)
    # Up to 364 days before that birthday keeps the age exact, leap years included.
    return latest - timedelta(days=gen.rng("birth", *parts).randint(0, 364))


def person(gen: GenContext, kind: str, index: int, pins: Mapping[str, Any],
           min_age: int = 18, max_age: int = 90) -> dict[str, Any]:
    """A fictional person; pinned fields win and every derived field follows them."""
    rng = gen.rng("person", kind, index)
    sex = pins.get("sex") or _sex_of(pins.get("first_name")) or rng.choice(("female", "male"))
    first = pins.get("first_name") or name_of(rng, "female" if sex == "female" else "male")
    last = pins.get("last_name") or name_of(rng, "last")
    age = int(pins["age"]) if "age" in pins else rng.randint(min_age, max_age)
    born = birth_date_for_age(gen, age, kind, index)
    home = address(gen, kind, index)
    area = area_codes()[home["zip"]]
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


def organisation_name(gen: GenContext, stems: tuple[str, ...], suffixes: tuple[str, ...], *parts: object) -> str:
    """A believable, fictional organisation name built from an industry's vocabulary."""
    rng = gen.rng("org", *parts)
    place = rng.choice(zip_table()).city
    pattern = rng.randint(0, 2)
    lead = place if pattern == 0 else name_of(rng, "last") if pattern == 1 else ""
    stem, suffix = rng.choice(stems), rng.choice(suffixes)
    tail = "" if pattern < 2 else f" of {place}"
    taken = _words(f"{lead} {stem}{tail}")
    if taken & _words(suffix):  # "Behavioral Health" + "Health Center": a word said twice reads as a typo
        suffix = rng.choice([s for s in suffixes if not taken & _words(s)] or [suffix])
    return f"{lead} {stem} {suffix}{tail}".strip()


def _words(text: str) -> set[str]:
    return {w for w in text.lower().split() if w not in ("of", "&", "and", "the")}


def days_before(gen: GenContext, low: int, high: int, *parts: object) -> date:
    """A date between ``high`` and ``low`` days before the anchor date."""
    return gen.anchor - timedelta(days=gen.rng("days", *parts).randint(low, high))
