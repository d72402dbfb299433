"""Presentation filters: checked against Babel's own parsers and stdlib formats over many samples."""

from __future__ import annotations

import base64
import random
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pymockapi.industries.common import phone_for
from pymockapi.industries.seeding import GenContext
from pymockapi.render.filters import (
    BADGES,
    TONES,
    avatar,
    avatar_colour,
    badge,
    date_display,
    datetime_display,
    initials,
    iso,
    money,
    percent,
    phone_display,
    pluralize,
    relative_date,
    tojson,
)

SETTINGS = settings(max_examples=200, deadline=None, database=None)
ANCHOR = date(2026, 3, 12)
CONTEXT = GenContext("render-tests", 7, 1, ANCHOR)
AMOUNTS = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, places=4)


def _names(count: int) -> list[str]:
    return [f"{CONTEXT.faker('name', i).first_name()} {CONTEXT.faker('name', i).last_name()}" for i in range(count)]


@SETTINGS
@given(AMOUNTS, st.sampled_from(["USD", "EUR", "GBP", "JPY", "CHF", "BHD"]))
def test_money_rounds_to_minor_units_and_displays_the_same_amount(amount: Decimal, currency: str) -> None:
    result = money(amount, currency)
    assert list(result) == ["amount", "currency", "display"]
    digits = {"JPY": 0, "BHD": 3}.get(currency, 2)
    value = Decimal(result["amount"])
    assert value == amount.quantize(Decimal(1).scaleb(-digits)) or value == 0
    assert ("." in result["amount"]) == (digits > 0) and not (value == 0 and result["amount"].startswith("-"))
    shown = re.sub(r"[^\d.,\-]", "", result["display"])
    assert parse_decimal(shown.lstrip("-").strip(".,"), locale="en_US") == abs(value)
    assert result["display"].startswith("-") == (value < 0)


@pytest.mark.parametrize("amount", [1234.5, "1234.5", Decimal("1234.50"), 1234.499, " 1234.5 "])
def test_money_accepts_numbers_text_and_decimals(amount: Any) -> None:
    assert money(amount) == {"amount": "1234.50", "currency": "USD", "display": "$1,234.50"}


def test_money_reformats_an_existing_money_object_in_its_own_currency() -> None:
    euros = money("1234.5", "eur")
    assert euros["currency"] == "EUR"
    again = money(euros, "USD", "de_DE")
    assert again["currency"] == "EUR" and again["amount"] == "1234.50"
    assert again["display"].replace("\xa0", " ") == "1.234,50 €"
    assert money(0.1 + 0.2)["amount"] == "0.30"
    assert money(-0.001)["amount"] == "0.00"


@pytest.mark.parametrize("amount, currency, problem", [
    ("abc", "USD", "needs a number"), (True, "USD", "needs an amount"), ("NaN", "USD", "finite"),
    (float("inf"), "USD", "finite"), (5, "XYZ", "ISO 4217"),
])
def test_money_rejects_bad_input(amount: Any, currency: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        money(amount, currency)


@SETTINGS
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_date_display_reads_back_as_the_same_date(day: date) -> None:
    shown = date_display(day)
    assert datetime.strptime(shown, "%a %d %b %Y").date() == day
    assert date_display(day.isoformat()) == shown == date_display(datetime(day.year, day.month, day.day, 23))


@SETTINGS
@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)))
def test_datetime_display_reads_back_to_the_minute(moment: datetime) -> None:
    shown = datetime_display(moment)
    assert datetime.strptime(shown, "%a %d %b %Y, %I:%M %p") == moment.replace(second=0, microsecond=0)
    assert datetime_display(moment.isoformat()) == shown


def test_datetime_display_keeps_the_datetimes_own_zone() -> None:
    eastern = datetime(2026, 3, 12, 9, 40, tzinfo=timezone(timedelta(hours=-5)))
    assert datetime_display(eastern) == "Thu 12 Mar 2026, 9:40 AM"
    assert datetime_display("2026-03-12T21:05:00Z") == "Thu 12 Mar 2026, 9:05 PM"
    assert date_display("2026-03-12T21:05:00") == "Thu 12 Mar 2026"
    assert datetime_display(date(2026, 3, 12)) == "Thu 12 Mar 2026, 12:00 AM"


@SETTINGS
@given(st.integers(-2000, 2000))
def test_relative_date_direction_and_magnitude(offset: int) -> None:
    text = relative_date(ANCHOR + timedelta(days=offset), ANCHOR)
    if offset == 0:
        assert text == "today"
    elif offset < 0:
        assert text.endswith(" ago")
    else:
        assert text.startswith("in ")
    if 0 < abs(offset) < 7:
        assert re.search(rf"\b{abs(offset)} days?\b", text)
    assert relative_date((ANCHOR + timedelta(days=offset)).isoformat(), ANCHOR.isoformat()) == text


@pytest.mark.parametrize("offset, text", [(-3, "3 days ago"), (14, "in 2 weeks"), (1, "in 1 day"), (0, "today")])
def test_relative_date_examples(offset: int, text: str) -> None:
    assert relative_date(ANCHOR + timedelta(days=offset), datetime(2026, 3, 12, 18)) == text


def test_relative_date_uses_the_locale() -> None:
    assert relative_date(ANCHOR, ANCHOR, locale="de_DE") == "heute"
    assert relative_date(ANCHOR, ANCHOR, locale="ja_JP") != "today"
    assert "Tagen" in relative_date(ANCHOR - timedelta(days=3), ANCHOR, locale="de_DE")


def test_dates_reject_what_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="expected a date"):
        date_display(42)
    with pytest.raises(ValueError):
        iso("not a date")


def test_iso_normalises_dates_and_datetimes() -> None:
    assert iso(ANCHOR) == "2026-03-12"
    assert iso("2026-03-12") == "2026-03-12"
    assert iso("2026-03-12T09:40:00") == "2026-03-12T09:40:00"
    assert iso(datetime(2026, 3, 12, 9, 40)) == "2026-03-12T09:40:00"


@SETTINGS
@given(st.decimals(min_value=-10000, max_value=10000, allow_nan=False, places=3))
def test_percent_shows_one_decimal_by_default(value: Decimal) -> None:
    text = percent(value)
    assert text.endswith("%")
    assert Decimal(text[:-1].replace(",", "")) == value.quantize(Decimal("0.1")) or abs(value) < Decimal("0.05")


def test_percent_options() -> None:
    assert percent(4.2) == "4.2%"
    assert percent(0.042, fraction=True) == "4.2%"
    assert percent(4.25, digits=2) == "4.25%"
    assert percent("12", digits=0) == "12%"


@SETTINGS
@given(st.integers(0, 10**7), st.sampled_from(["result", "patient", "entry", "address", "box"]))
def test_pluralize_agrees_with_the_count(count: int, word: str) -> None:
    text = pluralize(count, word)
    number, _, noun = text.partition(" ")
    assert int(number.replace(",", "")) == count
    assert (noun == word) == (count == 1)


def test_pluralize_examples() -> None:
    assert pluralize(1, "result") == "1 result"
    assert pluralize(3, "result") == "3 results"
    assert pluralize(2, "person") == "2 people"
    assert pluralize(2, "cactus", "cacti") == "2 cacti"
    assert pluralize(1204, "patient") == "1,204 patients"


def test_phone_display_formats_every_fictional_number() -> None:
    rng = random.Random(5)
    for n in range(200):
        area = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        raw = phone_for(area, n)
        shown = phone_display(raw)
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", shown)
        assert re.sub(r"\D", "", shown) == re.sub(r"\D", "", raw)[1:]


@pytest.mark.parametrize("raw, shown", [
    ("+1-617-555-0142", "(617) 555-0142"), ("617.555.0142", "(617) 555-0142"),
    ("(617) 555-0142 x12", "(617) 555-0142 ext. 12"), ("+1 617 555 0142 ext. 7", "(617) 555-0142 ext. 7"),
    ("+44 20 7946 0958", "+44 20 7946 0958"), ("555-0142", "555-0142"), (6175550142, "(617) 555-0142"),
])
def test_phone_display_examples(raw: Any, shown: str) -> None:
    assert phone_display(raw) == shown


def test_initials_over_many_names() -> None:
    for name in _names(150):
        result = initials(name)
        first, last = name.split(" ", 1)
        assert result == (first[0] + last.split()[-1][0]).upper()


@pytest.mark.parametrize("name, result", [
    ("Maria Alvarez", "MA"), ("Dr. Maria Alvarez, MD", "MA"), ("maria", "M"), ("", "?"),
    ("Jean-Luc O'Neil Jr.", "JO"), ({"display_name": "Ana Li"}, "AL"),
    ({"first_name": "Ana", "last_name": "Li"}, "AL"), ({"name": "Acme Goods"}, "AG"), ("42 7", "?"),
])
def test_initials_examples(name: Any, result: str) -> None:
    assert initials(name) == result


def test_avatar_is_a_deterministic_svg_of_the_initials() -> None:
    names = _names(60)
    colours = {avatar_colour(n) for n in names}
    assert len(colours) > 30
    for name in names:
        uri = avatar(name)
        assert uri == avatar(name)
        prefix, _, payload = uri.partition(",")
        assert prefix == "data:image/svg+xml;base64"
        svg = etree.fromstring(base64.b64decode(payload))
        ns = {"s": "http://www.w3.org/2000/svg"}
        assert svg.findtext("s:text", namespaces=ns) == initials(name)
        fill = svg.find("s:circle", namespaces=ns).get("fill")  # type: ignore[union-attr]
        assert fill == avatar_colour(name) and re.fullmatch(r"#[0-9a-f]{6}", fill)
    assert b'width="8"' in base64.b64decode(avatar("A B", size=1).partition(",")[2])


def test_badges_cover_ui_statuses() -> None:
    for status, (label, tone) in BADGES.items():
        chip = badge(status)
        assert chip == {"label": label, "color": TONES[tone]}
        assert badge(status.upper().replace("_", " ")) == chip
    assert badge("Out-for-delivery")["label"] == "Out for delivery"
    unknown = badge("awaiting_review")
    assert unknown == {"label": "Awaiting review", "color": TONES["neutral"]}
    assert badge("")["label"] == "Unknown"


def test_tojson_keeps_key_order_and_writes_compact_text() -> None:
    assert tojson({"b": 1, "a": [Decimal("2.50"), ANCHOR]}) == '{"b":1,"a":["2.50","2026-03-12"]}'
    assert tojson("O'Neil <b> & \"q\"") == '"O\'Neil <b> & \\"q\\""'


def test_e164_writes_the_number_without_separators() -> None:
    from pymockapi.render.filters import e164

    assert e164("+1-617-555-0142") == "+16175550142"
    assert e164("(617) 555-0142") == "+16175550142"
    assert e164("+44 20 7946 0018") == "+442079460018"
    assert e164("+1-617-555-0142 ext. 12") == "+16175550142"
    assert e164(None) is None and e164("n/a") == "n/a"
