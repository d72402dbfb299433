"""The contract every industry pack keeps, run on every shipped pack and on a pack built here.

A new industry gets these tests for free: the shipped list comes from
``shipped_industries()``, and the throwaway "insurance" pack below is built
with nothing but the public API (``pymockapi.dsl``), as the README's "Your
own industry" section shows.  Verbs need plausible arguments, so each verb
has an example in ``VERB_EXAMPLES`` (a pack whose verb has none fails until
one is added).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pymockapi.dsl import (
    GenContext,
    IndustryPack,
    Problem,
    Record,
    RecordSet,
    RecordType,
    Violation,
    WorldView,
    contact,
    days_before,
    money,
    need,
    need_date,
    person,
)
from pymockapi.industries import shipped_industries
from pymockapi.industries.healthcare.clinical import eligible
from pymockapi.industries.healthcare.data import CONDITIONS, DRUGS
from pymockapi.world.actions import StoryWorld
from pymockapi.world.world import World

ANCHOR = date(2026, 3, 12)

# -- a throwaway pack, public API only ---------------------------------------------------------------
HOLDER = RecordType("policyholder", "ph", persona=True, default_count=4)
POLICY = RecordType("policy", "pol", owner_field="policyholder_id")
PREMIUMS = {"home": Decimal("41.50"), "auto": Decimal("88.00"), "travel": Decimal("12.25")}


def policyholder(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    holder_id = HOLDER.entity_id(index)
    who = person(gen, HOLDER.name, index, pins)
    records: list[Record] = [{"id": holder_id, "type": HOLDER.name, **who}]
    rng = gen.rng(HOLDER.name, index, "policies")
    for n, kind in enumerate(rng.sample(sorted(PREMIUMS), rng.randint(1, 3)), 1):
        records.append({"id": POLICY.owned_id(index, n), "type": POLICY.name, "policyholder_id": holder_id,
                        "kind": kind, "premium": money(PREMIUMS[kind]),
                        "since": days_before(gen, 30, 900, POLICY.name, index, n).isoformat(), "claims": 0})
    return records


def check_policy(record: Record, data: RecordSet) -> Iterator[Problem]:
    kind = need(record, "kind", str)
    if kind not in PREMIUMS:
        yield "kind", f"is not one of {', '.join(PREMIUMS)}"
    elif Decimal(need(record, "premium", dict)["amount"]) != PREMIUMS[kind]:
        yield "premium", "is not the premium of its kind"
    if need_date(record, "since") > ANCHOR:
        yield "since", "is in the future"
    if need(record, "claims", int) < 0:
        yield "claims", "is negative"


def file_claim(world: WorldView, ref: str) -> Record:
    policy = world.get(ref)
    return world.update(policy["id"], {"claims": policy["claims"] + 1})


INSURANCE = IndustryPack("insurance", "Insurance", (HOLDER, POLICY), generators={HOLDER.name: policyholder},
                         rules={HOLDER.name: (contact,), POLICY.name: (check_policy,)},
                         verbs={"file_claim": file_claim})

SHIPPED = shipped_industries(plugins=False)
PACKS: list[IndustryPack] = [SHIPPED.get(name) for name in SHIPPED.names()]
PACKS.append(INSURANCE)


# -- plausible arguments for every verb ---------------------------------------------------------------
def first(world: World, kind: str, test: Callable[[Record], bool] = lambda r: True) -> Record:
    return next(r for r in world.records(kind) if test(r))


def _stocked_order(world: World) -> tuple[str, str]:
    for shopper in world.records("shopper"):
        for product in world.records("product"):
            if any(s["store_id"] == shopper["preferred_store_id"] and s["quantity"] > 0 for s in product["stock"]):
                return shopper["id"], product["id"]
    raise AssertionError("no stocked product anywhere")


def _diagnosis(world: World) -> tuple[str, str]:
    patient = first(world, "patient")
    years = patient["age"]
    code = next(c.code for c in CONDITIONS if eligible(c, years, patient["sex"]))
    return patient["id"], code


def _prescription(world: World) -> tuple[str, str]:
    patient = first(world, "patient", lambda p: p["age"] >= 12)
    return patient["id"], next(d.name for d in DRUGS if d.strengths)


def _retail_story(world: World, run: Callable[..., Any]) -> None:
    shopper, product = _stocked_order(world)
    order = run("place_order", shopper, product)
    run("ship", order["id"])
    run("deliver", order["id"])


VERB_EXAMPLES: dict[str, Callable[[World, Callable[..., Any]], None]] = {
    "finance.deposit": lambda w, run: run("deposit", first(w, "customer")["id"], "25.00"),
    "finance.spend": lambda w, run: run("spend", first(w, "customer")["id"], 3, merchant="Corner Cafe"),
    "finance.price_move": lambda w, run: run("price_move", first(w, "holding")["id"], "-2.5"),
    "healthcare.observe": lambda w, run: run("observe", first(w, "patient")["id"], heart_rate=112, temperature=38.4),
    "healthcare.diagnose": lambda w, run: run("diagnose", *_diagnosis(w)),
    "healthcare.prescribe": lambda w, run: run("prescribe", *_prescription(w)),
    "retail.place_order": _retail_story,
    "retail.ship": _retail_story,
    "retail.deliver": _retail_story,
    "retail.restock": lambda w, run: run("restock", first(w, "product")["id"], 5),
    "insurance.file_claim": lambda w, run: run("file_claim", first(w, "policy")["id"]),
}


# -- helpers ------------------------------------------------------------------------------------------
def world_of(pack: IndustryPack, session_seed: int = 3) -> World:
    return World(f"contract-{pack.name}", 11, session_seed, ANCHOR, pack, {}, {})


def everything(world: World) -> list[Record]:
    return [r for rt in world.pack.record_types for r in world.records(rt.name)]


def by_name(packs: list[IndustryPack]) -> list[Any]:
    return [pytest.param(p, id=p.name) for p in packs]


@pytest.fixture(scope="module", params=by_name(PACKS))
def pack(request: pytest.FixtureRequest) -> IndustryPack:
    found: IndustryPack = request.param
    return found


@pytest.fixture(scope="module")
def records(pack: IndustryPack) -> list[Record]:
    return everything(world_of(pack))


# -- the contract --------------------------------------------------------------------------------------
def test_the_shipped_list_comes_from_the_registry() -> None:
    assert {p.name for p in PACKS} >= {"finance", "healthcare", "retail", "insurance"}


def test_generation_is_deterministic_across_worlds(pack: IndustryPack, records: list[Record]) -> None:
    assert everything(world_of(pack)) == records
    assert everything(world_of(pack, session_seed=4)) != records


def test_every_record_type_appears(pack: IndustryPack, records: list[Record]) -> None:
    assert {r["type"] for r in records} == {rt.name for rt in pack.record_types}
    for record in records:
        rt = pack.record_type(record["type"])
        assert rt is not None and rt.parse(record["id"]) is not None, record["id"]


def test_every_top_level_kind_has_a_generator_and_nothing_else(pack: IndustryPack) -> None:
    assert set(pack.generators) == {rt.name for rt in pack.record_types if rt.owner_field is None}
    assert set(pack.rules) <= {rt.name for rt in pack.record_types}


def test_a_clean_world_validates(pack: IndustryPack, records: list[Record]) -> None:
    assert pack.validate(records) == []
    assert pack.validate(records, anchor=ANCHOR) == []


def _garbage(record: Record) -> Iterator[Record]:
    """The record with each field missing, None, or of another type, and with nothing but its identity."""
    yield {"id": record["id"], "type": record["type"]}
    for name, value in record.items():
        if name in ("type",):
            continue
        yield {k: v for k, v in record.items() if k != name}
        yield {**record, name: None}
        yield {**record, name: 7 if isinstance(value, str) else "x"}
        if isinstance(value, dict) and value:
            inner = next(iter(value))
            yield {**record, name: {**value, inner: ["?"]}}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            yield {**record, name: [{}]}


def test_garbage_is_reported_not_raised(pack: IndustryPack) -> None:
    """Every broken variant of one record of each type, validated beside a small world (four of each persona)."""
    small = World(f"contract-{pack.name}", 11, 3, ANCHOR, pack,
                  {rt.name: 4 for rt in pack.record_types if rt.owner_field is None}, {})
    records = everything(small)
    seen: set[str] = set()
    samples = [r for r in records if not (r["type"] in seen or seen.add(r["type"]))]
    assert seen == {rt.name for rt in pack.record_types}
    for sample in samples:
        for broken in _garbage(sample):
            found = pack.validate([*records, broken] if broken["type"] != HOLDER.name else [broken])
            assert all(isinstance(v, Violation) and v.problem for v in found)
        bare = pack.validate([{"id": sample["id"], "type": sample["type"]}])
        assert bare or pack.rules.get(sample["type"]) is None, sample["type"]
    junk = pack.validate([None, 7, "text", {}, {"type": "spaceship", "id": "x-0001"}, {"type": ["list"]}])
    assert [v.field for v in junk] == ["type"] * 6


def test_verbs_keep_the_world_valid(pack: IndustryPack) -> None:
    world = world_of(pack)
    story = StoryWorld(world, lambda text, kind, duration_ms: None)

    def run(verb: str, *args: Any, **kwargs: Any) -> Any:
        with world.batch():
            return getattr(story, verb)(*args, **kwargs)

    for verb in pack.verbs:
        example = VERB_EXAMPLES.get(f"{pack.name}.{verb}")
        assert example is not None, f"add a plausible call of {pack.name}.{verb} to VERB_EXAMPLES"
        example(world, run)
        assert pack.validate(everything(world)) == [], verb
