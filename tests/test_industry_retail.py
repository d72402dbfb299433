"""Retail pack: generated data checked by independent validators over many samples."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean

from pymockapi.errors import NotFound
from pymockapi.industries.money import money
from pymockapi.industries.retail import PACK
from pymockapi.industries.retail.pricing import usd
from pymockapi.industries.seeding import GenContext

ANCHOR = date(2025, 3, 14)
SEEDS = (3, 11, 29)
SHOPPERS_PER_SEED = 880
PRODUCTS_PER_SEED = 340
STORES_PER_SEED = 340
CAST = {"shopper": SHOPPERS_PER_SEED, "store": 5, "product": 60}
EXAMPLE_EMAIL = re.compile(r"^[a-z]+\.[a-z]+@example\.(com|org|net)$")
PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")
TIER_FLOORS = {"bronze": 0, "silver": 1000, "gold": 5000, "platinum": 15000}
NO_SALES_TAX = {"AK", "DE", "MT", "NH", "OR"}
POSITIVE = re.compile(r"\b(love|great|excellent|perfect|recommend|happily|happy|exactly|better in person)\b", re.I)
NEGATIVE = re.compile(
    r"\b(disappointed|let me down|poor|not worth|wore out|did not hold up|nothing like|"
    r"returning|would not|zero)\b",
    re.I,
)
SLOPPY = re.compile(r"[{}]|\bNone\b|  |\ba [aeio]|\ban [bcdfgjklmnpqrstvwxyz]")
UPS_LETTER_VALUES = {letter: (n + 2) % 10 for n, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def ctx_for(seed: int, cast: dict[str, int] = CAST) -> GenContext:
    return GenContext("retail-tests", 7, seed, ANCHOR, cast)


def generate_world(seed: int, shoppers: int, products: int, stores: int) -> list[dict[str, Any]]:
    gen = ctx_for(seed)
    records: list[dict[str, Any]] = []
    for kind, count in (("store", stores), ("product", products), ("shopper", shoppers)):
        for index in range(1, count + 1):
            records += PACK.generate(gen, kind, index, {})
    return records


@pytest.fixture(scope="module")
def worlds() -> dict[int, list[dict[str, Any]]]:
    return {seed: generate_world(seed, SHOPPERS_PER_SEED, PRODUCTS_PER_SEED, STORES_PER_SEED) for seed in SEEDS}


@pytest.fixture(scope="module")
def everything(worlds: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [r for records in worlds.values() for r in records]


def by_type(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == kind]


def dec(value: dict[str, str]) -> Decimal:
    assert value["currency"] == "USD" and re.match(r"^\d+\.\d{2}$", value["amount"]), value
    assert value == money(value["amount"]), value
    return Decimal(value["amount"])


def when(text: str) -> datetime:
    assert text.endswith("Z")
    return datetime.fromisoformat(text)


def anchor_start() -> datetime:
    return datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day, tzinfo=UTC)


def ups_valid(number: str) -> bool:
    if not re.fullmatch(r"1Z[0-9A-Z]{6}\d{10}", number):
        return False
    values = [int(c) if c.isdigit() else UPS_LETTER_VALUES[c] for c in number[2:17]]
    odd = sum(v for i, v in enumerate(values, 1) if i % 2)
    even = sum(v for i, v in enumerate(values, 1) if not i % 2)
    return (odd + 2 * even + int(number[17])) % 10 == 0


def usps_valid(number: str) -> bool:
    if not re.fullmatch(r"(9400|9205)\d{18}", number):
        return False
    digits = [int(c) for c in number]
    weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (weighted + digits[-1]) % 10 == 0


def fedex_valid(number: str) -> bool:
    if not re.fullmatch(r"\d{12}", number):
        return False
    weights = [1, 3, 7] * 4
    total = sum(int(c) * w for c, w in zip(reversed(number[:11]), weights, strict=False))
    return total % 11 % 10 == int(number[11])


# volume and pack validation


def test_at_least_a_thousand_of_every_type(everything: list[dict[str, Any]]) -> None:
    counts = Counter(r["type"] for r in everything)
    assert {rt.name for rt in PACK.record_types} == set(counts)
    assert min(counts.values()) >= 1000, counts


def test_pack_validate_finds_nothing_in_generated_worlds(worlds: dict[int, list[dict[str, Any]]]) -> None:
    for records in worlds.values():
        assert PACK.validate(records) == []


def test_record_shape_ids_and_owners(everything: list[dict[str, Any]]) -> None:
    types = {rt.name: rt for rt in PACK.record_types}
    for r in everything:
        assert list(r)[:2] == ["id", "type"]
        rt = types[r["type"]]
        if rt.owner_field:
            owner_index = int(r[rt.owner_field].split("-")[1])
            assert re.fullmatch(rf"{rt.prefix}-{owner_index:04d}-\d{{2}}", r["id"])
        else:
            assert re.fullmatch(rf"{rt.prefix}-\d{{4}}", r["id"])
        if rt.persona:
            assert r["display_name"]


# people and places


def test_shoppers_are_fictional_consistent_people(everything: list[dict[str, Any]]) -> None:
    for s in by_type(everything, "shopper"):
        assert EXAMPLE_EMAIL.match(s["email"]) and PHONE.match(s["phone"])
        assert s["email"].split("@")[0] == re.sub(r"[^a-z]", "", s["first_name"].lower()) + "." + re.sub(
            r"[^a-z]", "", s["last_name"].lower()
        )
        born = date.fromisoformat(s["birth_date"])
        assert s["age"] == ANCHOR.year - born.year - ((ANCHOR.month, ANCHOR.day) < (born.month, born.day))
        assert s["age"] >= 18
        since = date.fromisoformat(s["member_since"])
        assert (since.year - 18, since.month, since.day) >= (born.year, born.month, born.day)
        assert since <= ANCHOR
        floor = TIER_FLOORS[s["tier"]]
        higher = [f for f in TIER_FLOORS.values() if f > floor]
        assert s["points"] >= floor and (not higher or s["points"] < min(higher))
        assert 1 <= int(s["preferred_store_id"].split("-")[1]) <= CAST["store"]


def test_every_address_matches_its_zip(everything: list[dict[str, Any]]) -> None:
    seen: dict[str, tuple[str, str]] = {}
    addresses = [r["address"] for r in everything if r["type"] in ("shopper", "store")]
    addresses += [r["ship_to"] for r in everything if r["type"] in ("order", "shipment") and r["ship_to"]]
    for a in addresses:
        if a["zip"] not in seen:
            match = zipcodes.matching(a["zip"])
            assert match, a
            seen[a["zip"]] = (match[0]["city"], match[0]["state"])
        assert seen[a["zip"]] == (a["city"], a["state"]), a


def test_stores(everything: list[dict[str, Any]]) -> None:
    for s in by_type(everything, "store"):
        assert PHONE.match(s["phone"]) and s["email"].endswith("@example.com")
        assert s["display_name"] == s["name"] and s["brand"] in s["name"] and s["address"]["city"] in s["name"]
        assert next(h["day"] for h in s["opening_hours"]) == "monday" and len(s["opening_hours"]) == 7
        assert all(h["opens"] < h["closes"] for h in s["opening_hours"])
        assert s["manager"]["display_name"] == f"{s['manager']['first_name']} {s['manager']['last_name']}"
        assert date.fromisoformat(s["opened_on"]) < ANCHOR


# catalogue


def test_products_carry_valid_codes_and_consistent_attributes(everything: list[dict[str, Any]]) -> None:
    products = by_type(everything, "product")
    upcs = 0
    for p in products:
        assert len(p["gtin13"]) == 13 and ean.is_valid(p["gtin13"])
        if p["upc_a"] is not None:
            upcs += 1
            assert len(p["upc_a"]) == 12 and ean.is_valid(p["upc_a"]) and p["gtin13"] == "0" + p["upc_a"]
        assert p["sku"].startswith(
            {
                "apparel": "APP",
                "footwear": "FTW",
                "home": "HOM",
                "kitchen": "KIT",
                "outdoor": "OUT",
                "electronics accessories": "ELA",
                "beauty": "BTY",
            }[p["category"]]
        )
        assert dec(p["price"]) > 0
        assert all(isinstance(s["quantity"], int) and s["quantity"] >= 0 for s in p["stock"])
        assert [s["store_id"] for s in p["stock"]] == [f"store-{n:04d}" for n in range(1, CAST["store"] + 1)]
        assert 1 <= p["rating"]["average"] <= 5 and p["rating"]["count"] >= 1
        attrs = p["attributes"]
        text = p["description"]
        assert not SLOPPY.search(text), text
        assert attrs["colour"] in text or attrs["material"] in text, text
    assert 0.3 < upcs / len(products) < 0.9
    assert len(Counter(p["category"] for p in products)) == 7


def test_apparel_and_footwear_sizes_fit_their_category(everything: list[dict[str, Any]]) -> None:
    for p in by_type(everything, "product"):
        size = p["attributes"]["size"]
        if p["category"] == "footwear":
            assert re.fullmatch(r"US \d+(\.5)?", size)
        if p["item"] in ("t-shirt", "hoodie", "oxford shirt"):
            assert size in ("XS", "S", "M", "L", "XL", "XXL")


def test_product_descriptions_are_all_different(everything: list[dict[str, Any]]) -> None:
    descriptions = [p["description"] for p in by_type(everything, "product")][:1000]
    assert len(descriptions) == 1000 and len(set(descriptions)) == 1000


# orders and money


def test_orders_reconcile_to_the_cent(everything: list[dict[str, Any]]) -> None:
    for o in by_type(everything, "order"):
        lines = o["lines"]
        for line in lines:
            assert dec(line["line_total"]) == line["quantity"] * dec(line["unit_price"])
        subtotal, discount, tax, shipping = (dec(o[k]) for k in ("subtotal", "discount", "tax", "shipping"))
        assert subtotal == sum(dec(line["line_total"]) for line in lines)
        assert dec(o["total"]) == subtotal - discount + tax + shipping
        assert Decimal(0) <= discount <= subtotal * Decimal("0.2") + Decimal("0.005")
        rate = Decimal(o["tax_rate"])
        assert (rate == 0) == (o["tax_state"] in NO_SALES_TAX) and rate <= Decimal("0.0725")
        assert abs(tax - (subtotal - discount) * rate) <= Decimal("0.005")
        assert o["item_count"] == sum(line["quantity"] for line in lines)
        if o["channel"] == "online":
            assert o["ship_to"]["state"] == o["tax_state"]
        else:
            assert o["ship_to"] is None and shipping == 0 and o["status"] == "completed"


def test_order_dates_follow_the_status(everything: list[dict[str, Any]]) -> None:
    now = anchor_start()
    statuses: Counter[str] = Counter()
    for o in by_type(everything, "order"):
        statuses[o["status"]] += 1
        moments = [when(o[k]) for k in ("ordered_at", "shipped_at", "delivered_at") if o[k]]
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        assert all(m < now for m in moments)
        assert (o["shipped_at"] is not None) == (o["status"] in ("shipped", "delivered"))
        assert (o["delivered_at"] is not None) == (o["status"] == "delivered")
        assert (o["cancelled_at"] is not None) == (o["status"] == "cancelled")
    assert set(statuses) == {"processing", "shipped", "delivered", "cancelled", "completed"}


def test_shipments_carry_real_tracking_numbers_and_ordered_events(worlds: dict[int, list[dict[str, Any]]]) -> None:
    carriers: Counter[str] = Counter()
    for records in worlds.values():
        check_shipments(records, carriers)
    assert set(carriers) == {"UPS", "USPS", "FedEx"}


def check_shipments(records: list[dict[str, Any]], carriers: Counter[str]) -> None:
    orders = {o["id"]: o for o in by_type(records, "order")}
    now = anchor_start()
    for s in by_type(records, "shipment"):
        carriers[s["carrier"]] += 1
        valid = {"UPS": ups_valid, "USPS": usps_valid, "FedEx": fedex_valid}[s["carrier"]]
        assert valid(s["tracking_number"]), s["tracking_number"]
        moments = [when(e["at"]) for e in s["events"]]
        assert moments == sorted(moments) and len(set(moments)) == len(moments) and moments[-1] < now
        statuses = [e["status"] for e in s["events"]]
        assert statuses[:2] == ["label_created", "picked_up"] and "in_transit" in statuses
        order = orders[s["order_id"]]
        assert order["shopper_id"] == s["shopper_id"] and moments[0] > when(order["ordered_at"])
        assert (statuses[-1] == "delivered") == (order["status"] == "delivered")
        if order["delivered_at"]:
            assert when(order["delivered_at"]) == moments[-1]


def test_known_tracking_sample_passes_the_independent_ups_check() -> None:
    assert ups_valid("1Z999AA10123456784") and not ups_valid("1Z999AA10123456785")


def test_returns_are_subsets_with_bounded_refunds(worlds: dict[int, list[dict[str, Any]]]) -> None:
    for records in worlds.values():
        check_returns(records)


def check_returns(records: list[dict[str, Any]]) -> None:
    orders = {o["id"]: o for o in by_type(records, "order")}
    for r in by_type(records, "return"):
        order = orders[r["order_id"]]
        bought = {line["product_id"]: line["quantity"] for line in order["lines"]}
        assert r["lines"] and all(1 <= line["quantity"] <= bought[line["product_id"]] for line in r["lines"])
        assert Decimal(0) < dec(r["refund"]) <= dec(order["total"])
        assert order["status"] in ("delivered", "completed")
        received = when(order["delivered_at"] or order["ordered_at"])
        assert received < when(r["requested_at"]) < anchor_start()
        assert (r["refunded_at"] is not None) == (r["status"] == "refunded")
        assert not SLOPPY.search(r["reason"]) and r["reason"].endswith(".")


def test_carts_add_up(everything: list[dict[str, Any]]) -> None:
    for c in by_type(everything, "cart"):
        assert dec(c["subtotal"]) == sum(line["quantity"] * dec(line["unit_price"]) for line in c["lines"])
        assert c["item_count"] == sum(line["quantity"] for line in c["lines"])


# reviews


def test_reviews_match_their_stars_and_product(worlds: dict[int, list[dict[str, Any]]]) -> None:
    for records in worlds.values():
        products = {p["id"]: p for p in by_type(records, "product")}
        received: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for o in by_type(records, "order"):
            if o["status"] in ("delivered", "completed"):
                for line in o["lines"]:
                    received[(o["shopper_id"], line["product_id"])].append(when(o["delivered_at"] or o["ordered_at"]))
        for r in by_type(records, "review"):
            text = f"{r['title']} {r['body']}"
            assert not SLOPPY.search(text), text
            if r["rating"] >= 4:
                assert POSITIVE.search(text) and not NEGATIVE.search(text), text
            elif r["rating"] <= 2:
                assert NEGATIVE.search(text) and not POSITIVE.search(text), text
            else:
                assert re.search(r"\b(but|though)\b", text), text
            index = int(r["product_id"].split("-")[1])
            if index <= PRODUCTS_PER_SEED:
                attrs = products[r["product_id"]]["attributes"]
                assert any(str(attrs[k]).lower() in text.lower() for k in ("colour", "material", "size")), text
            earlier = [t for t in received[(r["shopper_id"], r["product_id"])] if t < when(r["created_at"])]
            assert r["verified_purchase"] == bool(earlier)


def test_text_duplicate_rates(everything: list[dict[str, Any]]) -> None:
    bodies = [r["body"] for r in by_type(everything, "review")][:1000]
    reasons = [r["reason"] for r in by_type(everything, "return")][:1000]
    assert len(set(bodies)) / len(bodies) > 0.9
    assert len(set(reasons)) / len(reasons) > 0.5


# money formatting and pins


@given(st.integers(min_value=-(10**9), max_value=10**9))
@settings(max_examples=25, deadline=None)
def test_fast_usd_matches_common_money(cents_value: int) -> None:
    value = Decimal(cents_value) / 100
    assert usd(value) == money(value)


def test_pins_win_and_derived_fields_follow() -> None:
    gen = ctx_for(5)
    maria = PACK.generate(
        gen, "shopper", 2, {"first_name": "Maria", "last_name": "Alvarez", "age": 58, "tier": "gold", "nickname": "M"}
    )[0]
    assert (maria["display_name"], maria["age"], maria["sex"], maria["tier"]) == ("Maria Alvarez", 58, "female", "gold")
    assert maria["email"].startswith("maria.alvarez@") and maria["nickname"] == "M"
    assert 5000 <= maria["points"] < 15000
    by_points = PACK.generate(gen, "shopper", 2, {"points": 20000, "preferred_store_id": "store-0002"})
    assert by_points[0]["tier"] == "platinum"
    assert all(o["store_id"] == "store-0002" for o in by_points if o["type"] == "order")
    store = PACK.generate(gen, "store", 1, {"name": "Lantern Row Goods Flagship", "brand": "Lantern Row Goods"})[0]
    assert store["display_name"] == "Lantern Row Goods Flagship" and store["brand"] == "Lantern Row Goods"
    product = PACK.generate(gen, "product", 1, {"rating": {"average": 4.9, "count": 12}, "id": "ignored"})[0]
    assert product["rating"] == {"average": 4.9, "count": 12} and product["id"] == "prod-0001"
    assert PACK.validate([*by_points, store, product]) == []


def test_unknown_kind_is_refused_with_suggestions() -> None:
    with pytest.raises(NotFound, match="shoppr"):
        PACK.generate(ctx_for(1), "shoppr", 1, {})


# determinism


@given(
    index=st.integers(min_value=1, max_value=60),
    others=st.lists(st.integers(1, 60), max_size=4),
    kind=st.sampled_from(("shopper", "store", "product")),
)
@settings(max_examples=25, deadline=None)
def test_order_independence(index: int, others: list[int], kind: str) -> None:
    alone = PACK.generate(ctx_for(41), kind, index, {})
    gen = ctx_for(41)
    for other in others:
        PACK.generate(gen, "shopper", other, {})
        PACK.generate(ctx_for(other), "product", other, {})
    assert PACK.generate(gen, kind, index, {}) == alone


@given(seed=st.integers(min_value=0, max_value=10**6))
@settings(max_examples=15, deadline=None)
def test_seed_independence(seed: int) -> None:
    first = generate_world(seed, 4, 3, 1)
    assert generate_world(seed, 4, 3, 1) == first
    assert generate_world(seed + 1, 4, 3, 1) != first
