"""Retail validators: each rule reports the broken record and field, and never raises."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from pymockapi.industries.retail import PACK
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
CAST = {"shopper": 80, "store": 5, "product": 60}


@pytest.fixture(scope="module")
def pool() -> list[Record]:
    gen = GenContext("retail-validate", 3, 9, date(2025, 6, 2), CAST)
    records: list[Record] = []
    for kind, count in (("store", 5), ("product", 60), ("shopper", 80)):
        for index in range(1, count + 1):
            records += PACK.generate(gen, kind, index, {})
    assert PACK.validate(records) == []
    return records


def pick(pool: list[Record], kind: str, test: Callable[[Record], bool] = lambda r: True) -> Record:
    return next(r for r in pool if r["type"] == kind and test(r))


def order_of(pool: list[Record], order_id: str) -> Record:
    return pick(pool, "order", lambda o: o["id"] == order_id)


def online_delivered(o: Record) -> bool:
    return o["status"] == "delivered"


def shipment_delivered(s: Record) -> bool:
    return s["status"] == "delivered"


def with_promo(o: Record) -> bool:
    return o["promo_code"] is not None and o["status"] == "completed"


def set_path(record: Record, path: tuple[Any, ...], value: Any) -> None:
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


# (record type, selector, path to change, new value, field expected in the violation)
CASES: list[tuple[str, Callable[[Record], bool], tuple[Any, ...], Any, str]] = [
    ("shopper", lambda r: True, ("email",), "someone@gmail.com", "email"),
    ("shopper", lambda r: True, ("email",), "wrong.name@example.com", "email"),
    ("shopper", lambda r: True, ("phone",), "+1-617-555-0200", "phone"),
    ("shopper", lambda r: True, ("address", "zip"), "10001", "address"),
    ("shopper", lambda r: True, ("points",), -4, "tier"),
    ("shopper", lambda r: r["tier"] != "platinum", ("points",), 40000, "tier"),
    ("shopper", lambda r: True, ("member_since",), "1901-01-01", "member_since"),
    ("shopper", lambda r: True, ("age",), 12, "age"),
    ("shopper", lambda r: True, ("preferred_store_id",), "shop-12", "preferred_store_id"),
    ("shopper", lambda r: True, ("preferred_store_id",), "store-0099", "preferred_store_id"),
    ("shopper", lambda r: True, ("display_name",), " ", "display_name"),
    ("shopper", lambda r: True, ("address",), None, "address"),
    ("store", lambda r: True, ("opening_hours", 6, "day"), "funday", "opening_hours"),
    ("store", lambda r: True, ("opening_hours", 2, "closes"), "07:00", "opening_hours"),
    ("store", lambda r: True, ("email",), "manager@shop.test", "email"),
    ("product", lambda r: True, ("gtin13",), "4006381333932", "gtin13"),
    ("product", lambda r: r["upc_a"] is not None, ("upc_a",), "036000291453", "upc_a"),
    ("product", lambda r: r["upc_a"] is not None, ("gtin13",), "4006381333931", "upc_a"),
    ("product", lambda r: True, ("sku",), "sku-1", "sku"),
    ("product", lambda r: r["category"] != "beauty", ("sku",), "BTY-ABC-0001-NV", "sku"),
    ("product", lambda r: True, ("category",), "groceries", "attributes"),
    ("product", lambda r: r["category"] != "beauty", ("item",), "lip balm", "attributes"),
    ("product", lambda r: True, ("attributes", "colour"), "plaid", "attributes"),
    ("product", lambda r: True, ("price", "amount"), "0.00", "price"),
    ("product", lambda r: True, ("price", "currency"), "EUR", "price"),
    ("product", lambda r: True, ("price", "display"), "", "price"),
    ("product", lambda r: True, ("stock", 0, "store_id"), "warehouse", "stock"),
    ("product", lambda r: True, ("stock", 0, "quantity"), -1, "stock"),
    ("product", lambda r: True, ("rating", "average"), 7.5, "rating"),
    ("product", lambda r: True, ("description",), "A {colour} thing.", "description"),
    ("product", lambda r: True, ("description",), "", "description"),
    ("cart", lambda r: True, ("lines",), [], "lines"),
    ("cart", lambda r: True, ("lines", 0, "quantity"), 0, "lines"),
    ("cart", lambda r: True, ("lines", 0, "unit_price"), {"amount": "0.01", "currency": "USD", "display": "$0.01"},
     "lines"),
    ("cart", lambda r: True, ("item_count",), 99, "item_count"),
    ("cart", lambda r: True, ("shopper_id",), "shp-9", "shopper_id"),
    ("cart", lambda r: True, ("shopper_id",), "shp-0099", "shopper_id"),
    ("order", lambda r: True, ("lines", 0, "line_total", "amount"), "0.01", "lines"),
    ("order", lambda r: True, ("subtotal", "amount"), "1.00", "subtotal"),
    ("order", lambda r: True, ("promo_code",), "FREESTUFF", "discount"),
    ("order", with_promo, ("discount", "amount"), "0.00", "discount"),
    ("order", lambda r: True, ("tax_state",), "ZZ", "tax"),
    ("order", lambda r: True, ("tax_rate",), "0.5", "tax"),
    ("order", lambda r: True, ("tax", "amount"), "999.99", "tax"),
    ("order", lambda r: r["channel"] == "online", ("shipping_method",), "in_store", "shipping"),
    ("order", lambda r: r["channel"] == "online" and r["shipping_method"] == "expedited", ("shipping", "amount"),
     "0.00", "shipping"),
    ("order", lambda r: True, ("total", "amount"), "0.01", "total"),
    ("order", lambda r: True, ("tax", "amount"), "1", "money"),
    ("order", lambda r: r["channel"] == "in_store", ("status",), "shipped", "status"),
    ("order", lambda r: True, ("channel",), "telepathy", "status"),
    ("order", lambda r: r["status"] == "processing", ("shipped_at",), "2025-01-01T10:00:00Z", "dates"),
    ("order", online_delivered, ("shipped_at",), "2000-01-01T10:00:00Z", "dates"),
    ("order", lambda r: r["status"] == "cancelled", ("cancelled_at",), "2000-01-01T10:00:00Z", "dates"),
    ("order", lambda r: r["channel"] == "in_store", ("ship_to",), {"line1": "1 Main St"}, "ship_to"),
    ("order", lambda r: r["channel"] == "in_store", ("tax_state",), "AK", "ship_to"),
    ("order", lambda r: r["channel"] == "online", ("ship_to", "zip"), "00000", "ship_to"),
    ("order", lambda r: r["channel"] == "online" and r["tax_state"] != "AK", ("tax_state",), "AK", "ship_to"),
    ("order", lambda r: True, ("ordered_at",), "2025-01-01T10:00:00", "dates"),
    ("order", lambda r: True, ("store_id",), "mall", "store_id"),
    ("order", lambda r: True, ("store_id",), "store-0099", "store_id"),
    ("shipment", lambda r: True, ("carrier",), "DHL", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "UPS", ("tracking_number",), "1Z999AA10123456785", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "UPS", ("tracking_number",), "1Z999AA19923456784", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "UPS", ("tracking_number",), "1Z999", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "USPS", ("tracking_number",), "9400111899223100000001", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "USPS", ("tracking_number",), "12345", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "FedEx", ("tracking_number",), "123456789010", "tracking_number"),
    ("shipment", lambda r: r["carrier"] == "FedEx", ("tracking_number",), "12345", "tracking_number"),
    ("shipment", lambda r: True, ("events",), [], "events"),
    ("shipment", shipment_delivered, ("events", 1, "status"), "delivered", "events"),
    ("shipment", shipment_delivered, ("events", 1, "at"), "2000-01-01T00:00:00Z", "events"),
    ("shipment", lambda r: True, ("status",), "lost", "events"),
    ("shipment", lambda r: True, ("order_id",), "prod-0001", "order_id"),
    ("shipment", lambda r: True, ("shopper_id",), "shp-0999", "order_id"),
    ("shipment", lambda r: True, ("events", 0, "at"), "2000-01-01T00:00:00Z", "order_id"),
    ("shipment", shipment_delivered, ("events", -1, "at"), "2099-01-01T00:00:00Z", "order_id"),
    ("shipment", lambda r: True, ("ship_to", "line1"), "1 Elsewhere Rd", "order_id"),
    ("return", lambda r: True, ("lines",), [], "lines"),
    ("return", lambda r: True, ("lines", 0, "quantity"), 99, "lines"),
    ("return", lambda r: True, ("refund", "amount"), "99999.00", "refund"),
    ("return", lambda r: True, ("refund", "amount"), "0.01", "refund"),
    ("return", lambda r: True, ("status",), "lost", "status"),
    ("return", lambda r: r["status"] != "refunded", ("refunded_at",), "2025-01-01T00:00:00Z", "status"),
    ("return", lambda r: r["status"] == "refunded", ("refunded_at",), "2000-01-01T00:00:00Z", "status"),
    ("return", lambda r: True, ("requested_at",), "2000-01-01T00:00:00Z", "status"),
    ("return", lambda r: True, ("reason_code",), "bored", "reason"),
    ("return", lambda r: True, ("order_id",), "ord-12", "order_id"),
    ("review", lambda r: True, ("rating",), 9, "rating"),
    ("review", lambda r: r["rating"] >= 4, ("rating",), 1, "body"),
    ("review", lambda r: r["rating"] == 3 and not re.search(r"\b(but|though)\b", r["title"]), ("body",),
     "Solid and simple.", "body"),
    ("review", lambda r: True, ("title",), "None", "body"),
    ("review", lambda r: True, ("product_name",), "Something Else", "product_name"),
    ("review", lambda r: True, ("title",), "Fine", "product_name"),
    ("review", lambda r: r["verified_purchase"], ("order_id",), None, "verified_purchase"),
    ("review", lambda r: r["verified_purchase"], ("created_at",), "2000-01-01T00:00:00Z", "verified_purchase"),
    ("review", lambda r: True, ("product_id",), "bogus", "product_id"),
    ("review", lambda r: r["product_id"] != "prod-0060", ("product_id",), "prod-0060", "product_name"),
]


# Records whose ids look like a store or shopper but are not one, so references to them must fail.
IMPOSTORS: list[Record] = [{"id": "store-0099", "type": "cart"}, {"id": "shp-0099", "type": "review"}]


def body_free(review: Record) -> Record:
    """A review whose body mentions nothing, for the "mentions" rule."""
    review["body"] = "Solid, but plain."
    return review


@pytest.mark.parametrize(("kind", "select", "path", "value", "field"), CASES)
def test_each_rule_reports_record_and_field(pool: list[Record], kind: str, select: Callable[[Record], bool],
                                            path: tuple[Any, ...], value: Any, field: str) -> None:
    original = pick(pool, kind, select)
    broken = copy.deepcopy(original)
    set_path(broken, path, value)
    if kind == "review" and path == ("title",) and value == "Fine":
        body_free(broken)
    others = [r for r in pool if r is not original] + IMPOSTORS
    found = PACK.validate([*others, broken])
    assert any(v.record_id == broken["id"] and v.field == field and v.record_type == kind for v in found), found


def test_unverified_review_of_received_product_is_flagged(pool: list[Record]) -> None:
    review = pick(pool, "review", lambda r: r["verified_purchase"])
    broken = dict(review, verified_purchase=False, order_id=None)
    others = [r for r in pool if r is not review]
    found = PACK.validate([*others, broken])
    assert [(v.record_id, v.field) for v in found] == [(review["id"], "verified_purchase")]


def test_verified_review_pointing_at_an_undelivered_order(pool: list[Record]) -> None:
    order = pick(pool, "order", lambda o: o["status"] == "processing")
    review = pick(pool, "review", lambda r: r["verified_purchase"])
    broken = dict(review, shopper_id=order["shopper_id"], order_id=order["id"],
                  product_id=order["lines"][0]["product_id"])
    found = PACK.validate([order, broken])
    assert any(v.record_id == review["id"] and v.field == "verified_purchase" for v in found)


def test_shipment_of_an_in_store_sale_and_return_of_an_undelivered_order(pool: list[Record]) -> None:
    sale = pick(pool, "order", lambda o: o["channel"] == "in_store")
    shipment = dict(pick(pool, "shipment"), order_id=sale["id"], shopper_id=sale["shopper_id"])
    waiting = pick(pool, "order", lambda o: o["status"] == "processing")
    ret = pick(pool, "return")
    returned = dict(ret, order_id=waiting["id"], shopper_id=waiting["shopper_id"],
                    lines=[dict(waiting["lines"][0], quantity=1)])
    found = {(v.record_id, v.field) for v in PACK.validate([sale, shipment, waiting, returned])}
    assert (shipment["id"], "order_id") in found and (ret["id"], "status") in found


def test_records_without_their_targets_are_still_checked_alone(pool: list[Record]) -> None:
    for kind in ("shipment", "return", "review", "cart", "order"):
        assert PACK.validate([pick(pool, kind)]) == []
    negative = dict(pick(pool, "return"), refund={"amount": "-1.00", "currency": "USD", "display": "-$1.00"})
    assert [(v.field, v.record_id) for v in PACK.validate([negative])] == [("refund", negative["id"])]


def test_garbage_is_reported_not_raised(pool: list[Record]) -> None:
    shopper = pick(pool, "shopper")
    junk: list[Any] = ["text", 7, {"type": "spaceship", "id": "x-1"}, {"id": "bad", "type": "order"},
                      {"id": "shp-0001", "type": "shopper"}, dict(shopper, id="shopper-one"),
                      {"type": "product"}]
    found = PACK.validate(junk)
    fields = {(v.record_id, v.field) for v in found}
    assert ("x-1", "type") in fields and ("bad", "id") in fields and ("shopper-one", "id") in fields
    assert ("shp-0001", "first_name") in fields and ("None", "gtin13") in fields
    assert all("cannot be read" in v.problem for v in found if v.record_id == "bad" and v.field not in ("id", "email"))
