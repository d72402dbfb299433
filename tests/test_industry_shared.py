"""The machinery every industry shares: seeding, people, places, the registry and plugins."""

from __future__ import annotations

import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st

from pymockapi.errors import UnknownIndustry
from pymockapi.industries import ENTRY_POINT_GROUP, shipped_industries
from pymockapi.industries.base import IndustryPack, IndustryRegistry, RecordType, Violation
from pymockapi.industries.common import age_on, birth_date_for_age, email_for, person, phone_for, ssn_like, zip_table
from pymockapi.industries.money import money
from pymockapi.industries.seeding import GenContext, derive_seed


def gen(anchor: date = date(2026, 3, 12), session_seed: int = 0) -> GenContext:
    return GenContext("shared", 1, session_seed, anchor, {"patient": 10})


def test_seeds_are_stable_and_distinct() -> None:
    assert derive_seed("a", 1) == derive_seed("a", 1)
    assert derive_seed("a", 1) != derive_seed("a", 2)
    assert gen().rng("x").random() == gen().rng("x").random()
    assert gen().faker("x").name() == gen().faker("x").name()
    picks = {gen().pick_index("patient", i) for i in range(200)}
    assert picks <= set(range(1, 11)) and len(picks) > 5
    assert GenContext("s", 1, 0, date(2026, 1, 1)).pick_index("nobody") == 1


def test_zip_table_agrees_with_the_zipcodes_package() -> None:
    for place in zip_table():
        match = zipcodes.matching(place.zip)
        assert match and match[0]["state"] == place.state and match[0]["city"].lower() == place.city.lower()


@given(st.integers(0, 95), st.dates(date(1990, 1, 1), date(2040, 12, 31)))
@settings(max_examples=60, deadline=None)
def test_birth_dates_give_exact_ages(age: int, anchor: date) -> None:
    born = birth_date_for_age(gen(anchor), age, "p")
    assert age_on(born, anchor) == age


def test_leap_day_anchor() -> None:
    born = birth_date_for_age(gen(date(2028, 2, 29)), 30, "p")
    assert age_on(born, date(2028, 2, 29)) == 30


def test_people_follow_their_pins_and_are_unreachable() -> None:
    maria = person(gen(), "patient", 1, {"first_name": "Maria", "last_name": "Alvarez", "age": 58})
    assert maria["sex"] == "female" and maria["age"] == 58 and maria["email"].startswith("maria.alvarez@")
    james = person(gen(), "patient", 2, {"first_name": "James"})
    assert james["sex"] == "male"
    unknown = person(gen(), "patient", 3, {"first_name": "Zyx"})
    assert unknown["sex"] in ("female", "male")
    for i in range(1, 200):
        p = person(gen(), "patient", i, {})
        assert p["email"].split("@")[1] in ("example.com", "example.org", "example.net")
        assert p["phone"][-8:-2] == "555-01"
        assert 18 <= p["age"] <= 90
    assert email_for("Zoë", "O'Brien", 0) == "zoe.obrien@example.com"
    assert phone_for("617", 142) == "+1-617-555-0142"
    area, group, _ = ssn_like(gen(), "x").split("-")
    assert area.startswith("9") and 1 <= int(group) <= 49


def test_money_shape() -> None:
    assert money("1234.5") == {"amount": "1234.50", "currency": "USD", "display": "$1,234.50"}
    assert money(3, "EUR", "de_DE")["display"] == "3,00\xa0€"


def test_registry_lists_and_refuses_unknown() -> None:
    registry = shipped_industries(plugins=False)
    assert registry.names() == ["finance", "healthcare", "retail"]
    with pytest.raises(UnknownIndustry, match="Unknown industry 'space'") as info:
        registry.get("space")
    assert "finance" in info.value.hint
    assert registry.get("retail").record_type("nothing") is None


def test_a_package_registers_an_industry_through_the_entry_point(tmp_path: Path) -> None:
    (tmp_path / "demo_insurance.py").write_text(textwrap.dedent('''
        from pymockapi.dsl import IndustryPack, RecordType
        POLICY = RecordType("policyholder", "ph", persona=True, default_count=3)
        def policyholder(gen, index, pins):
            return [{"id": POLICY.entity_id(index), "type": POLICY.name, "display_name": f"Holder {index}"}]
        PACK = IndustryPack("insurance", "Insurance", (POLICY,), {POLICY.name: policyholder})
        NOT_A_PACK = object()
    '''))
    dist = tmp_path / "demo_insurance-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-insurance\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ninsurance = demo_insurance:PACK\nbroken = demo_insurance:NOT_A_PACK\n")
    sys.path.insert(0, str(tmp_path))
    try:
        registry = shipped_industries()
        assert "insurance" in registry.names()
        pack = registry.get("insurance")
        assert pack.generate(gen(), "policyholder", 2, {})[0]["id"] == "ph-0002"
        assert pack.validate([]) == []
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("demo_insurance", None)


def test_violation_dict() -> None:
    assert Violation("t", "t-1", "f", "bad").as_dict() == {"record_type": "t", "record_id": "t-1", "field": "f",
                                                           "problem": "bad"}
    reg = IndustryRegistry()
    pack = reg.register(IndustryPack("x", "X", (RecordType("a", "a"),), lambda *a: []))
    assert reg.get("x") is pack


def test_organisation_names_and_relative_days() -> None:
    from pymockapi.industries.common import days_before, organisation_name

    names = {organisation_name(gen(), ("Harbor", "Summit"), ("Bank", "Trust"), "org", i) for i in range(60)}
    assert len(names) > 20
    assert any(" of " in n for n in names) and all(n.split()[-1] in ("Bank", "Trust") or " of " in n for n in names)
    day = days_before(gen(), 3, 10, "x")
    assert date(2026, 3, 2) <= day <= date(2026, 3, 9)
    assert IndustryPack("x", "X", (RecordType("a", "a"),), lambda *a: []).record_type("a") is not None


def test_one_money_rule_for_every_currency() -> None:
    from pymockapi.industries.money import exact, round_money
    assert money("0.125") == {"amount": "0.12", "currency": "USD", "display": "$0.12"}  # half-even
    assert money("0.135")["amount"] == "0.14"
    assert money("-0.001") == {"amount": "0.00", "currency": "USD", "display": "$0.00"}  # no negative zero
    assert money("1234.50", "JPY") == {"amount": "1234", "currency": "JPY", "display": "¥1,234"}
    assert money("-5", "USD")["display"] == "-$5.00"
    assert round_money(Decimal("1.0005"), "KWD") == Decimal("1.000")
    assert exact({"amount": "2.50"}) == Decimal("2.50")
    with pytest.raises(ValueError, match="not a money value"):
        exact({"amount": 2.5})


def test_rules_read_fields_strictly_and_follow_references() -> None:
    from pymockapi.industries.healthcare import PACK as healthcare
    from pymockapi.industries.retail.people import store_index
    from pymockapi.industries.rules import Unreadable, need
    with pytest.raises(Unreadable, match="not a boolean"):
        need({"age": True}, "age", int)
    with pytest.raises(ValueError, match="not a store id"):
        store_index("shop-1")
    context = GenContext("shared", 1, 0, date(2026, 3, 12), {"patient": 1, "provider": 1})
    family = healthcare.generate(context, "patient", 1, {})
    provider = healthcare.generate(context, "provider", 1, {})[0]
    patient = family[0]
    condition = next(r for r in family if r["type"] == "condition")
    found = healthcare.validate([dict(patient, primary_provider_id=provider["id"]), dict(provider, type="patient")])
    assert any(v.field == "primary_provider_id" and "not a provider" in v.problem for v in found)
    wrong_sex = dict(condition, code="N40.0", onset_date="2020-01-01",
                     title="Benign prostatic hyperplasia without lower urinary tract symptoms")
    female = dict(patient, sex="female", age=70, birth_date="1950-01-01")
    found = healthcare.validate([female, wrong_sex])
    assert any(v.field == "code" and "does not fit sex female" in v.problem for v in found), found
