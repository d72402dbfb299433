"""Determinism, pins and the pack's own helpers, checked as properties."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pymockapi.errors import InvalidField, NotFound
from pymockapi.industries.finance import PACK
from pymockapi.industries.money import money
from pymockapi.industries.seeding import GenContext
from pymockapi.render.filters import money as template_money

CAST = {"customer": 40, "advisor": 4, "institution": 3}
KINDS = st.sampled_from(("customer", "advisor", "institution"))
Record = dict[str, Any]


def gen(seed: int, anchor: date = date(2024, 6, 30)) -> GenContext:
    return GenContext("finance-props", 3, seed, anchor, CAST)


@settings(max_examples=20, deadline=None)
@given(kind=KINDS, index=st.integers(1, 40), others=st.lists(st.tuples(KINDS, st.integers(1, 40)), max_size=4),
       seed=st.integers(0, 2 ** 32))
def test_generation_does_not_depend_on_order(kind: str, index: int, others: list[tuple[str, int]], seed: int) -> None:
    alone = PACK.generate(gen(seed), kind, index, {})
    for other_kind, other_index in others:
        PACK.generate(gen(seed + 1), other_kind, other_index, {})
        PACK.generate(gen(seed), other_kind, other_index, {})
    assert PACK.generate(gen(seed), kind, index, {}) == alone


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 32), other=st.integers(0, 2 ** 32), index=st.integers(1, 40))
def test_session_seeds_give_different_worlds_and_the_same_seed_the_same(seed: int, other: int, index: int) -> None:
    first = PACK.generate(gen(seed), "customer", index, {})
    assert PACK.generate(gen(seed), "customer", index, {}) == first
    if other != seed:
        assert PACK.generate(gen(other), "customer", index, {}) != first


@pytest.mark.slow
def test_generation_is_identical_in_another_process() -> None:
    here = PACK.generate(gen(5), "customer", 7, {})
    code = ("import json, datetime; from pymockapi.industries.finance import PACK; "
            "from pymockapi.industries.seeding import GenContext; "
            f"c = GenContext('finance-props', 3, 5, datetime.date(2024, 6, 30), {CAST!r}); "
            "print(json.dumps(PACK.generate(c, 'customer', 7, {})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == here


@settings(max_examples=20, deadline=None)
@given(age=st.integers(18, 95), sex=st.sampled_from(("female", "male")), index=st.integers(1, 40),
       segment=st.sampled_from(("retail", "premier", "private")), citizenship=st.sampled_from(("GB", "DE", "FR")))
def test_pins_win_and_derived_fields_follow(age: int, sex: str, index: int, segment: str, citizenship: str) -> None:
    pins = {"first_name": "Maria", "last_name": "Alvarez", "age": age, "sex": sex, "segment": segment,
            "citizenship": citizenship, "id": "cus-9999"}
    records = PACK.generate(gen(1), "customer", index, pins)
    hero = records[0]
    assert (hero["id"], hero["display_name"], hero["age"], hero["sex"]) == (
        f"cus-{index:04d}", "Maria Alvarez", age, sex)
    assert hero["email"].startswith("maria.alvarez@") and hero["segment"] == segment
    born = date.fromisoformat(hero["birth_date"])
    assert 2024 - born.year - ((born.month, born.day) > (6, 30)) == age
    assert all(c["cardholder_name"] == "Maria Alvarez" for c in records if c["type"] == "card")
    assert any(a["type"] == "account" and a["country"] == citizenship for a in records)
    assert PACK.validate(records) == []


def test_institution_and_advisor_pins_win() -> None:
    bank = PACK.generate(gen(1), "institution", 2, {"name": "Larkspur Bank & Trust of Boston"})[0]
    assert bank["display_name"] == "Larkspur Bank & Trust of Boston" and bank["address"]["city"] == "Boston"
    assert bank["swift_bic"].startswith("LBTO") and bank["routing_number"][:2] == "01"
    advisor = PACK.generate(gen(1), "advisor", 1, {"title": "Private Banker", "age": 45})[0]
    assert advisor["title"] == "Private Banker" and advisor["age"] == 45


def test_minors_and_unknown_kinds_are_refused() -> None:
    with pytest.raises(InvalidField, match="adult"):
        PACK.generate(gen(1), "customer", 1, {"age": 16})
    with pytest.raises(NotFound, match="patient"):
        PACK.generate(gen(1), "patient", 1, {})


@settings(max_examples=25, deadline=None)
@given(cents=st.integers(-10 ** 11, 10 ** 11), currency=st.sampled_from(("USD", "GBP", "EUR", "JPY", "CHF")))
def test_pack_money_equals_template_money(cents: int, currency: str) -> None:
    """Packs and templates format money alike: minor units, half-even, no negative zero, Babel's display."""
    value = Decimal(cents) / 1000
    assert money(value, currency) == template_money(value, currency)


def test_record_types_match_the_contract() -> None:
    types = {rt.name: rt for rt in PACK.record_types}
    assert {n: (t.prefix, t.persona, t.owner_field) for n, t in types.items()} == {
        "customer": ("cus", True, None), "advisor": ("adv", True, None), "institution": ("inst", True, None),
        "account": ("acct", False, "customer_id"), "card": ("card", False, "customer_id"),
        "transaction": ("txn", False, "customer_id"), "holding": ("hold", False, "customer_id")}
    assert all(types[n].default_count > 0 for n in ("customer", "advisor", "institution"))
    assert set(PACK.verbs) == {"deposit", "spend", "price_move"}


def test_memos_rarely_repeat() -> None:
    memos = [r["memo"] for i in range(1, 61) for r in PACK.generate(gen(8), "customer", i, {})
             if r["type"] == "transaction"][:1000]
    assert len(memos) == 1000
    assert 1 - len(set(memos)) / len(memos) < 0.03
