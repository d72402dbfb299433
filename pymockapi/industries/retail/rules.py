"""The retail rule table: every rule, checked on any mix of retail records without the generator.

Check digits are recomputed with python-stdnum and the carriers' algorithms,
money is re-added with Decimal, codes are looked up in the pack's tables,
and a reference is followed whenever its target is among the records.  The
rules follow the one protocol of :mod:`pymockapi.industries.rules`: each
yields ``(field, problem)`` pairs and the shared driver reports a record it
cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from stdnum import ean

from pymockapi.industries.common import address_problems, email_problems, phone_problems
from pymockapi.industries.money import ZERO, cents
from pymockapi.industries.retail.codes import tracking_problem
from pymockapi.industries.retail.data import (
    CATEGORY_BY_NAME,
    CATEGORY_BY_SKU,
    MONEY_CURRENCY,
    ONLINE_STATUSES,
    ORDER_DATE_FIELDS,
    PROMOTIONS,
    RETURN_REASONS,
    RETURN_STATUSES,
    SHIPMENT_EVENTS,
    SHIPPING_METHODS,
    STATE_TAX_RATES,
    STATUS_DATES,
    WEEKDAYS,
    tier_for_points,
)
from pymockapi.industries.retail.kinds import CART, ORDER, PRODUCT, RETURN, REVIEW, SHIPMENT, SHOPPER, STORE
from pymockapi.industries.retail.moments import parse
from pymockapi.industries.retail.pricing import discount_for, refund_for, shipping_for, tax_for
from pymockapi.industries.retail.text import sentiment_band, text_problem
from pymockapi.industries.rules import Problem, Record, RecordSet, Rule, Unreadable

OWNER_FIELD = "shopper_id"
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
POSITIVE_CUES = re.compile(r"\b(love|great|excellent|perfect|recommend|happily|happy|exactly|better in person)\b", re.I)
NEGATIVE_CUES = re.compile(r"\b(disappointed|let me down|poor|not worth|wore out|did not hold up|nothing like|"
                           r"returning|would not|zero)\b", re.I)
MIXED_CUES = re.compile(r"\b(but|though)\b", re.I)
KINDS = {rt.name: rt for rt in (SHOPPER, STORE, PRODUCT, CART, ORDER, SHIPMENT, RETURN, REVIEW)}


def money_problem(value: Any) -> str | None:
    if not isinstance(value, dict) or not AMOUNT.match(str(value.get("amount"))):
        return "not a money object with a two-decimal amount"
    if value.get("currency") != MONEY_CURRENCY:
        return f"currency is not {MONEY_CURRENCY}"
    return None if isinstance(value.get("display"), str) and value["display"] else "money has no display text"


def amount(value: Any, name: str = "money") -> Decimal:
    """The exact amount of a money value, or :class:`Unreadable` for ``name``."""
    problem = money_problem(value)
    if problem:
        raise Unreadable(name, problem)
    return Decimal(value["amount"])


def handed_over(order: Record) -> datetime | None:
    """When the shopper had the goods of an order (None if not yet)."""
    if order.get("status") == "delivered":
        return parse(order["delivered_at"])
    return parse(order["ordered_at"]) if order.get("status") == "completed" else None


# shoppers and stores

def check_contact(r: Record, data: RecordSet) -> Iterator[Problem]:
    yield from email_problems(r)
    yield from phone_problems(r)
    yield from address_problems(r["address"])


def check_store_contact(r: Record, data: RecordSet) -> Iterator[Problem]:
    yield from address_problems(r["address"])
    yield from phone_problems(r)
    yield from email_problems(r, derived=False)


def check_tier(r: Record, data: RecordSet) -> Iterator[Problem]:
    points = r["points"]
    if not isinstance(points, int) or points < 0:
        yield "tier", "points must be a non-negative integer"
    elif tier_for_points(points) != r["tier"]:
        yield "tier", f"{points} points do not earn the {r['tier']} tier"


def check_member_since(r: Record, data: RecordSet) -> Iterator[Problem]:
    born, since = date.fromisoformat(r["birth_date"]), date.fromisoformat(r["member_since"])
    if (since.year, since.month, since.day) < (born.year + 18, born.month, born.day):
        yield "member_since", "member before turning 18"


def check_age(r: Record, data: RecordSet) -> Iterator[Problem]:
    if not isinstance(r["age"], int) or r["age"] < 18:
        yield "age", "shoppers are adults"


def check_hours(r: Record, data: RecordSet) -> Iterator[Problem]:
    days = [h["day"] for h in r["opening_hours"]]
    if days != list(WEEKDAYS):
        yield "opening_hours", "opening hours must list every weekday once, in order"
        return
    for h in r["opening_hours"]:
        if not (HOUR.match(h["opens"]) and HOUR.match(h["closes"])) or h["opens"] >= h["closes"]:
            yield "opening_hours", f"{h['day']} closes before it opens"
            return


# products

def check_gtin(r: Record, data: RecordSet) -> Iterator[Problem]:
    code = str(r["gtin13"])
    if len(code) != 13 or not ean.is_valid(code):
        yield "gtin13", "GTIN-13 check digit or length is wrong"


def check_upc(r: Record, data: RecordSet) -> Iterator[Problem]:
    upc = r["upc_a"]
    if upc is None:
        return
    if not (isinstance(upc, str) and len(upc) == 12 and ean.is_valid(upc)):
        yield "upc_a", "UPC-A check digit or length is wrong"
    elif r["gtin13"] != "0" + upc:
        yield "upc_a", "GTIN-13 is not the UPC-A with a leading zero"


def check_sku(r: Record, data: RecordSet) -> Iterator[Problem]:
    found = re.match(r"^([A-Z]{3})-[A-Z]{3}-\d{4}-[A-Z]{2}$", str(r["sku"]))
    if not found:
        yield "sku", "SKU is not CAT-BRD-0000-CC"
        return
    category = CATEGORY_BY_SKU.get(found.group(1))
    if not category or category.name != r["category"]:
        yield "sku", "SKU department does not match the category"


def check_attributes(r: Record, data: RecordSet) -> Iterator[Problem]:
    category = CATEGORY_BY_NAME.get(r["category"])
    if category is None:
        yield "attributes", f"unknown category {r['category']!r}"
        return
    item = category.item(r["item"])
    if item is None:
        yield "attributes", f"{r['item']!r} is not sold in {category.name}"
        return
    attrs = r["attributes"]
    for name, allowed in (("material", item.materials), ("colour", category.colours), ("size", item.sizes),
                          ("use", category.uses)):
        if attrs[name] not in allowed:
            yield "attributes", f"{name} {attrs[name]!r} does not fit {item.noun}"
            return


def check_price(r: Record, data: RecordSet) -> Iterator[Problem]:
    if amount(r["price"], "price") <= 0:
        yield "price", "price must be positive"


def check_stock(r: Record, data: RecordSet) -> Iterator[Problem]:
    for level in r["stock"]:
        if STORE.parse(level["store_id"]) is None:
            yield "stock", "stock names no store"
            return
        if not isinstance(level["quantity"], int) or isinstance(level["quantity"], bool) or level["quantity"] < 0:
            yield "stock", f"stock at {level['store_id']} is not a non-negative integer"
            return


def check_rating_summary(r: Record, data: RecordSet) -> Iterator[Problem]:
    rating = r["rating"]
    if not (1 <= float(rating["average"]) <= 5 and isinstance(rating["count"], int) and rating["count"] >= 0):
        yield "rating", "rating summary out of range"


def check_description(r: Record, data: RecordSet) -> Iterator[Problem]:
    problem = text_problem(r["description"])
    if problem:
        yield "description", problem


# lines and money

def check_lines(r: Record, data: RecordSet) -> Iterator[Problem]:
    if not r["lines"]:
        yield "lines", "no lines"
        return
    for line in r["lines"]:
        qty = line["quantity"]
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            yield "lines", f"line {line.get('line')}: quantity must be a positive integer"
            return
        unit = amount(line["unit_price"], "lines")
        if "line_total" in line and amount(line["line_total"], "lines") != cents(qty * unit):
            yield "lines", f"line {line.get('line')}: line total is not quantity x unit price"
            return
        product = data.target(line["product_id"], PRODUCT.name)
        if product is not None and r["type"] == CART.name and amount(product["price"], "lines") != unit:
            yield "lines", f"line {line.get('line')}: unit price differs from the product's price"
            return


def _merchandise(r: Record) -> Decimal:
    return sum((amount(line["line_total"], "subtotal") for line in r["lines"]), ZERO)


def check_subtotal(r: Record, data: RecordSet) -> Iterator[Problem]:
    if amount(r["subtotal"], "subtotal") != _merchandise(r):
        yield "subtotal", "subtotal is not the sum of the lines"


def check_item_count(r: Record, data: RecordSet) -> Iterator[Problem]:
    if r["item_count"] != sum(line["quantity"] for line in r["lines"]):
        yield "item_count", "item count is off"


def check_money(r: Record, data: RecordSet) -> Iterator[Problem]:
    for name in ("subtotal", "discount", "tax", "shipping", "total"):
        problem = money_problem(r[name])
        if problem:
            yield "money", f"{name}: {problem}"
            return


def check_discount(r: Record, data: RecordSet) -> Iterator[Problem]:
    code = r["promo_code"]
    if code is not None and code not in PROMOTIONS:
        yield "discount", f"unknown promotion {code!r}"
    elif amount(r["discount"], "discount") != discount_for(amount(r["subtotal"], "discount"), code):
        yield "discount", "discount is off"


def check_tax(r: Record, data: RecordSet) -> Iterator[Problem]:
    state = r["tax_state"]
    if state not in STATE_TAX_RATES:
        yield "tax", f"no sales-tax rate for {state!r}"
    elif Decimal(str(r["tax_rate"])) != STATE_TAX_RATES[state]:
        yield "tax", f"tax rate is not {state}'s rate"
    elif amount(r["tax"], "tax") != tax_for(amount(r["subtotal"], "tax") - amount(r["discount"], "tax"), state):
        yield "tax", "tax is not the rate applied to the taxable amount"


def check_shipping(r: Record, data: RecordSet) -> Iterator[Problem]:
    method = r["shipping_method"]
    if method not in SHIPPING_METHODS or (method == "in_store") != (r["channel"] == "in_store"):
        yield "shipping", f"shipping method {method!r} does not fit the channel"
        return
    taxable = amount(r["subtotal"], "shipping") - amount(r["discount"], "shipping")
    if amount(r["shipping"], "shipping") != shipping_for(method, taxable):
        yield "shipping", "shipping fee is off"


def check_total(r: Record, data: RecordSet) -> Iterator[Problem]:
    expected = (amount(r["subtotal"], "total") - amount(r["discount"], "total") + amount(r["tax"], "total")
                + amount(r["shipping"], "total"))
    if amount(r["total"], "total") != expected:
        yield "total", "total is not subtotal - discount + tax + shipping"


def check_status(r: Record, data: RecordSet) -> Iterator[Problem]:
    allowed = ONLINE_STATUSES if r["channel"] == "online" else ("completed",) if r["channel"] == "in_store" else ()
    if r["status"] not in allowed:
        yield "status", f"status {r['status']!r} is not possible for channel {r['channel']!r}"


def check_dates(r: Record, data: RecordSet) -> Iterator[Problem]:
    wanted = STATUS_DATES[r["status"]]
    for name in ORDER_DATE_FIELDS:
        if (r.get(name) is not None) != (name in wanted):
            yield "dates", f"{name} does not fit status {r['status']}"
            return
    moments = [parse(r[name]) for name in ("ordered_at", "shipped_at", "delivered_at") if r.get(name)]
    if any(b <= a for a, b in pairwise(moments)):
        yield "dates", "ordered_at < shipped_at < delivered_at does not hold"
    elif r.get("cancelled_at") and parse(r["cancelled_at"]) <= moments[0]:
        yield "dates", "cancelled before it was ordered"


def check_ship_to(r: Record, data: RecordSet) -> Iterator[Problem]:
    if r["channel"] == "in_store":
        store = data.target(r["store_id"], STORE.name)
        if r["ship_to"] is not None:
            yield "ship_to", "in-store sales have no shipping address"
        elif store is not None and store["address"]["state"] != r["tax_state"]:
            yield "ship_to", "taxed outside the store's state"
        return
    problems = list(address_problems(r["ship_to"], "ship_to"))
    if problems:
        yield from problems
    elif r["ship_to"]["state"] != r["tax_state"]:
        yield "ship_to", "taxed outside the shipping state"


# shipments

def check_tracking(r: Record, data: RecordSet) -> Iterator[Problem]:
    problem = tracking_problem(str(r["carrier"]), str(r["tracking_number"]))
    if problem:
        yield "tracking_number", problem


def check_events(r: Record, data: RecordSet) -> Iterator[Problem]:
    events = r["events"]
    if not events or events[0]["status"] != "label_created":
        yield "events", "tracking starts with a label"
        return
    ranks = [SHIPMENT_EVENTS.index(e["status"]) for e in events]
    if ranks != sorted(ranks):
        yield "events", "events out of order"
        return
    moments = [parse(e["at"]) for e in events]
    if any(b <= a for a, b in pairwise(moments)):
        yield "events", "event timestamps are not increasing"
    elif r["status"] != events[-1]["status"]:
        yield "events", "status is not the last event"


def check_shipment_order(r: Record, data: RecordSet) -> Iterator[Problem]:
    order = data.target(r["order_id"], ORDER.name)
    if order is None:
        if r["order_id"] in data.by_id:
            yield "order_id", "does not point at an order"
        return
    scans = {e["status"]: e["at"] for e in r["events"]}
    if order[OWNER_FIELD] != r[OWNER_FIELD] or order["channel"] != "online":
        yield "order_id", "ships an order of someone else or a sale made in store"
    elif parse(r["events"][0]["at"]) <= parse(order["ordered_at"]):
        yield "order_id", "label created before the order was placed"
    elif order["shipped_at"] != scans.get("picked_up") or order["delivered_at"] != scans.get("delivered"):
        yield "order_id", "order dates disagree with the carrier scans"
    elif order["ship_to"] != r["ship_to"]:
        yield "order_id", "shipped somewhere other than the order's address"


# returns

def check_return_lines(r: Record, data: RecordSet) -> Iterator[Problem]:
    order = data.target(r["order_id"], ORDER.name)
    if not r["lines"]:
        yield "lines", "returns nothing"
        return
    if order is None:
        return
    ordered = {line["product_id"]: line["quantity"] for line in order["lines"]}
    for line in r["lines"]:
        if not 1 <= line["quantity"] <= ordered.get(line["product_id"], 0):
            yield "lines", f"{line['product_id']} was not bought in that quantity on {order['id']}"
            return


def check_refund(r: Record, data: RecordSet) -> Iterator[Problem]:
    refund = amount(r["refund"], "refund")
    order = data.target(r["order_id"], ORDER.name)
    if order is None:
        if refund < 0:
            yield "refund", "refund is negative"
        return
    if refund > amount(order["total"], "refund"):
        yield "refund", "refund exceeds the order total"
        return
    merchandise = sum((cents(line["quantity"] * amount(line["unit_price"], "refund")) for line in r["lines"]), ZERO)
    expected = refund_for(merchandise, order["promo_code"], order["tax_state"])
    if refund != expected:
        yield "refund", f"refund should be {expected}"


def check_return_dates(r: Record, data: RecordSet) -> Iterator[Problem]:
    if r["status"] not in RETURN_STATUSES:
        yield "status", f"unknown status {r['status']!r}"
        return
    requested = parse(r["requested_at"])
    if (r["refunded_at"] is not None) != (r["status"] == "refunded"):
        yield "status", "refunded_at does not fit the status"
        return
    if r["refunded_at"] is not None and parse(r["refunded_at"]) <= requested:
        yield "status", "refunded before it was requested"
        return
    order = data.target(r["order_id"], ORDER.name)
    received = handed_over(order) if order is not None else requested
    if received is None:
        yield "status", "returned before the goods arrived"
    elif received > requested:
        yield "status", "requested before the goods arrived"


def check_reason(r: Record, data: RecordSet) -> Iterator[Problem]:
    problem = text_problem(r["reason"]) if r["reason_code"] in RETURN_REASONS else "unknown reason code"
    if problem:
        yield "reason", problem


# reviews

def check_stars(r: Record, data: RecordSet) -> Iterator[Problem]:
    rating = r["rating"]
    if not (isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5):
        yield "rating", "rating is 1-5"


def check_tone(r: Record, data: RecordSet) -> Iterator[Problem]:
    text = f"{r['title']} {r['body']}"
    problem = text_problem(r["title"]) or text_problem(r["body"])
    if problem:
        yield "body", problem
        return
    band = sentiment_band(r["rating"])
    positive, negative = bool(POSITIVE_CUES.search(text)), bool(NEGATIVE_CUES.search(text))
    fits = {"positive": positive and not negative, "negative": negative and not positive,
            "mixed": bool(MIXED_CUES.search(text))}[band]
    if not fits:
        yield "body", f"text does not read as {band} for {r['rating']} stars"


def check_mentions(r: Record, data: RecordSet) -> Iterator[Problem]:
    product = data.target(r["product_id"], PRODUCT.name)
    if product is None:
        return
    if r["product_name"] != product["name"]:
        yield "product_name", "product name differs from the product"
        return
    text = f"{r['title']} {r['body']}".lower()
    words = [product["item"], *(str(product["attributes"][k]) for k in ("colour", "material", "size"))]
    if not any(w.lower() in text for w in words):
        yield "product_name", "mentions none of the product's attributes"


def check_verified(r: Record, data: RecordSet) -> Iterator[Problem]:
    written = parse(r["created_at"])
    if bool(r["verified_purchase"]) != (r["order_id"] is not None):
        yield "verified_purchase", "verified purchase needs an order, and only then"
        return
    order = data.target(r["order_id"], ORDER.name)
    if order is not None:
        bought = any(line["product_id"] == r["product_id"] for line in order["lines"])
        received = handed_over(order)
        if order[OWNER_FIELD] != r[OWNER_FIELD] or not bought or received is None or received >= written:
            yield "verified_purchase", "the order does not show this shopper receiving the product before the review"
            return
    if not r["verified_purchase"] and data.target(r[OWNER_FIELD], SHOPPER.name):
        for earlier in data.group(ORDER.name, OWNER_FIELD).get(r[OWNER_FIELD], []):
            received = handed_over(earlier)
            if received is not None and received < written and any(
                    line["product_id"] == r["product_id"] for line in earlier["lines"]):
                yield "verified_purchase", (f"shopper received it on {earlier['id']} before reviewing: "
                                            "should be verified")
                return


def reference(kind: str, name: str, optional: bool = False) -> Rule:
    """A rule for a reference to ``kind``: the right id shape, and the right kind when the target is present."""
    target_type = KINDS[kind]

    def check_reference(r: Record, data: RecordSet) -> Iterator[Problem]:
        ref = r[name]
        if ref is None and optional:
            return
        if target_type.parse(ref) is None:
            yield name, f"not {kind} id"
        elif ref in data.by_id and not data.target(ref, kind):
            yield name, f"does not point at {kind}"
    return check_reference


OWNER = reference(SHOPPER.name, OWNER_FIELD)
RULES: dict[str, tuple[Rule, ...]] = {
    SHOPPER.name: (check_contact, check_tier, check_member_since, check_age,
                   reference(STORE.name, "preferred_store_id")),
    STORE.name: (check_store_contact, check_hours),
    PRODUCT.name: (check_gtin, check_upc, check_sku, check_attributes, check_price, check_stock,
                   check_rating_summary, check_description),
    CART.name: (OWNER, check_lines, check_subtotal, check_item_count),
    ORDER.name: (OWNER, check_lines, check_subtotal, check_item_count, check_money, check_discount, check_tax,
                 check_shipping, check_total, check_status, check_dates, check_ship_to,
                 reference(STORE.name, "store_id")),
    SHIPMENT.name: (OWNER, check_tracking, check_events, check_shipment_order),
    RETURN.name: (OWNER, reference(ORDER.name, "order_id"), check_return_lines, check_refund, check_return_dates,
                  check_reason),
    REVIEW.name: (OWNER, reference(PRODUCT.name, "product_id"), reference(ORDER.name, "order_id", optional=True),
                  check_stars, check_tone, check_mentions, check_verified),
}
