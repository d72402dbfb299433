"""Generation is a pure function of (context, kind, index, pins)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pymockapi.industries.healthcare import PACK
from pymockapi.industries.seeding import GenContext

KINDS = st.sampled_from(["patient", "provider"])


def gen(seed: int, anchor: date = date(2025, 3, 15)) -> GenContext:
    return GenContext("props", 7, seed, anchor, {"patient": 50, "provider": 6})


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000), kind=KINDS, index=st.integers(1, 50), others=st.lists(st.integers(1, 50), max_size=5)
)
def test_order_independence(seed: int, kind: str, index: int, others: list[int]) -> None:
    alone = PACK.generate(gen(seed), kind, index, {})
    for other in others:
        PACK.generate(gen(seed), "patient", other, {})
        PACK.generate(gen(seed), "provider", other, {})
    assert PACK.generate(gen(seed), kind, index, {}) == alone


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), kind=KINDS)
def test_seed_independence(seed: int, kind: str) -> None:
    world = [PACK.generate(gen(seed), kind, i, {}) for i in range(1, 6)]
    assert world == [PACK.generate(gen(seed), kind, i, {}) for i in range(1, 6)]
    assert world != [PACK.generate(gen(seed + 1), kind, i, {}) for i in range(1, 6)]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), age=st.integers(0, 100), days=st.integers(0, 3000))
def test_any_anchor_and_age_stay_valid(seed: int, age: int, days: int) -> None:
    anchor = date(2020, 1, 1).fromordinal(date(2020, 1, 1).toordinal() + days)
    records = PACK.generate(gen(seed, anchor), "patient", 1, {"age": age})
    assert records[0]["age"] == age
    assert PACK.validate(records, anchor=anchor) == []
