"""Retail rules, checked on any mix of retail records without the generator.

Each rule is a row of :data:`RULES`: the record type it applies to, the field
it speaks for, and a check returning the problem (or None).  Check digits
are recomputed with python-stdnum and the carriers' algorithms, money is
re-added with Decimal, codes are looked up in the pack's tables, and a
reference is followed whenever its target is among the records.  A check
that trips over missing or malformed data is reported as a violation of its
field, never raised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable, Iterable

from stdnum import ean

from pymockapi.industries.base import Violation
from pymockapi.industries.common import EXAMPLE_DOMAINS, slug, zip_table
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
from pymockapi.industries.retail.moments import parse
from pymockapi.industries.retail.pricing import cents, discount_for, refund_for, shipping_for, tax_for
from pymockapi.industries.retail.text import sentiment_band, text_problem

Record = dict[str, Any]
Problem = str | None

OWNER_FIELD = "shopper_id"
ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "shopper": re.compile(r"^shp-\d{4}$"), "store": re.compile(r"^store-\d{4}$"),
    "product": re.compile(r"^prod-\d{4}$"), "cart": re.compile(r"^cart-\d{4}-\d{2,}$"),
    "order": re.compile(r"^ord-\d{4}-\d{2,}$"), "shipment": re.compile(r"^ship-\d{4}-\d{2,}$"),
    "return": re.compile(r"^ret-\d{4}-\d{2,}$"), "review": re.compile(r"^rev-\d{4}-\d{2,}$"),
}
PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
POSITIVE_CUES = re.compile(r"\b(love|great|excellent|perfect|recommend|happily|happy|exactly|better in person)\b", re.I)
NEGATIVE_CUES = re.compile(r"\b(disappointed|let me down|poor|not worth|wore out|did not hold up|nothing like|"
                           r"returning|would not|zero)\b", re.I)
MIXED_CUES = re.compile(r"\b(but|though)\b", re.I)


@dataclass
class RecordIndex:
    """The records under validation, indexed for following references."""

    by_id: dict[str, Record] = field(default_factory=dict)
    orders_of: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, records: list[Record]) -> "RecordIndex":
        index = cls()
        for record in records:
            if isinstance(record.get("id"), str):
                index.by_id[record["id"]] = record
            if record.get("type") == "order" and isinstance(record.get(OWNER_FIELD), str):
                index.orders_of[record[OWNER_FIELD]].append(record)
        return index

    def target(self, ref: Any, kind: str) -> Record | None:
        """The referenced record when it is present and of the right kind."""
        found = self.by_id.get(ref) if isinstance(ref, str) else None
        return found if found is not None and found.get("type") == kind else None


def money_problem(value: Any) -> Problem:
    if not isinstance(value, dict) or not AMOUNT.match(str(value.get("amount"))):
        return "not a money object with a two-decimal amount"
    if value.get("currency") != MONEY_CURRENCY:
        return f"currency is not {MONEY_CURRENCY}"
    return None if isinstance(value.get("display"), str) and value["display"] else "money has no display text"


def amount(value: Any) -> Decimal:
    if money_problem(value):
        raise ValueError(money_problem(value))
    return Decimal(value["amount"])


@lru_cache(maxsize=1)
def _places() -> frozenset[tuple[str, str, str]]:
    return frozenset((z.zip, z.city, z.state) for z in zip_table())


def address_problem(value: Any) -> Problem:
    key = (value.get("zip"), value.get("city"), value.get("state"))
    return None if key in _places() and value.get("line1") else f"ZIP, city and state do not belong together: {key}"


def handed_over(order: Record) -> datetime | None:
    """When the shopper had the goods of an order (None if not yet)."""
    if order.get("status") == "delivered":
        return parse(order["delivered_at"])
    return parse(order["ordered_at"]) if order.get("status") == "completed" else None


# shoppers and stores

def _email(r: Record, ix: RecordIndex) -> Problem:
    local, _, domain = str(r["email"]).partition("@")
    if domain not in EXAMPLE_DOMAINS:
        return "email is not on an example domain"
    return None if local == f"{slug(r['first_name'])}.{slug(r['last_name'])}" else "email does not follow the name"


def _phone(r: Record, ix: RecordIndex) -> Problem:
    return None if PHONE.match(str(r["phone"])) else "phone is not in 555-0100..0199"


def _address(r: Record, ix: RecordIndex) -> Problem:
    return address_problem(r["address"])


def _tier(r: Record, ix: RecordIndex) -> Problem:
    points = r["points"]
    if not isinstance(points, int) or points < 0:
        return "points must be a non-negative integer"
    return None if tier_for_points(points) == r["tier"] else f"{points} points do not earn the {r['tier']} tier"


def _member_since(r: Record, ix: RecordIndex) -> Problem:
    born, since = date.fromisoformat(r["birth_date"]), date.fromisoformat(r["member_since"])
    return None if (since.year, since.month, since.day) >= (born.year + 18, born.month, born.day) else \
        "member before turning 18"


def _age(r: Record, ix: RecordIndex) -> Problem:
    return None if isinstance(r["age"], int) and r["age"] >= 18 else "shoppers are adults"


def _hours(r: Record, ix: RecordIndex) -> Problem:
    days = [h["day"] for h in r["opening_hours"]]
    if days != list(WEEKDAYS):
        return "opening hours must list every weekday once, in order"
    for h in r["opening_hours"]:
        if not (HOUR.match(h["opens"]) and HOUR.match(h["closes"])) or h["opens"] >= h["closes"]:
            return f"{h['day']} closes before it opens"
    return None


def _store_email(r: Record, ix: RecordIndex) -> Problem:
    return None if str(r["email"]).rpartition("@")[2] in EXAMPLE_DOMAINS else "email is not on an example domain"


def _display_name(r: Record, ix: RecordIndex) -> Problem:
    return None if isinstance(r["display_name"], str) and r["display_name"].strip() else "missing display name"


# products

def _gtin(r: Record, ix: RecordIndex) -> Problem:
    code = str(r["gtin13"])
    return None if len(code) == 13 and ean.is_valid(code) else "GTIN-13 check digit or length is wrong"


def _upc(r: Record, ix: RecordIndex) -> Problem:
    upc = r["upc_a"]
    if upc is None:
        return None
    if not (isinstance(upc, str) and len(upc) == 12 and ean.is_valid(upc)):
        return "UPC-A check digit or length is wrong"
    return None if r["gtin13"] == "0" + upc else "GTIN-13 is not the UPC-A with a leading zero"


def _sku(r: Record, ix: RecordIndex) -> Problem:
    found = re.match(r"^([A-Z]{3})-[A-Z]{3}-\d{4}-[A-Z]{2}$", str(r["sku"]))
    if not found:
        return "SKU is not CAT-BRD-0000-CC"
    category = CATEGORY_BY_SKU.get(found.group(1))
    return None if category and category.name == r["category"] else "SKU department does not match the category"


def _attributes(r: Record, ix: RecordIndex) -> Problem:
    category = CATEGORY_BY_NAME.get(r["category"])
    if category is None:
        return f"unknown category {r['category']!r}"
    item = category.item(r["item"])
    if item is None:
        return f"{r['item']!r} is not sold in {category.name}"
    attrs = r["attributes"]
    for name, allowed in (("material", item.materials), ("colour", category.colours), ("size", item.sizes),
                          ("use", category.uses)):
        if attrs[name] not in allowed:
            return f"{name} {attrs[name]!r} does not fit {item.noun}"
    return None


def _price(r: Record, ix: RecordIndex) -> Problem:
    return None if amount(r["price"]) > 0 else "price must be positive"


def _stock(r: Record, ix: RecordIndex) -> Problem:
    for level in r["stock"]:
        if not ID_PATTERNS["store"].match(str(level["store_id"])):
            return "stock names no store"
        if not isinstance(level["quantity"], int) or isinstance(level["quantity"], bool) or level["quantity"] < 0:
            return f"stock at {level['store_id']} is not a non-negative integer"
    return None


def _rating_summary(r: Record, ix: RecordIndex) -> Problem:
    rating = r["rating"]
    ok = 1 <= float(rating["average"]) <= 5 and isinstance(rating["count"], int) and rating["count"] >= 0
    return None if ok else "rating summary out of range"


def _description(r: Record, ix: RecordIndex) -> Problem:
    return text_problem(r["description"])


# lines and money

def _lines(r: Record, ix: RecordIndex) -> Problem:
    if not r["lines"]:
        return "no lines"
    for line in r["lines"]:
        qty = line["quantity"]
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            return f"line {line.get('line')}: quantity must be a positive integer"
        unit = amount(line["unit_price"])
        if "line_total" in line and amount(line["line_total"]) != cents(qty * unit):
            return f"line {line.get('line')}: line total is not quantity x unit price"
        product = ix.target(line["product_id"], "product")
        if product is not None and r["type"] == "cart" and amount(product["price"]) != unit:
            return f"line {line.get('line')}: unit price differs from the product's price"
    return None


def _merchandise(r: Record) -> Decimal:
    return sum((amount(line["line_total"]) for line in r["lines"]), Decimal("0.00"))


def _subtotal(r: Record, ix: RecordIndex) -> Problem:
    return None if amount(r["subtotal"]) == _merchandise(r) else "subtotal is not the sum of the lines"


def _item_count(r: Record, ix: RecordIndex) -> Problem:
    return None if r["item_count"] == sum(line["quantity"] for line in r["lines"]) else "item count is off"


def _discount(r: Record, ix: RecordIndex) -> Problem:
    code = r["promo_code"]
    if code is not None and code not in PROMOTIONS:
        return f"unknown promotion {code!r}"
    return None if amount(r["discount"]) == discount_for(amount(r["subtotal"]), code) else "discount is off"


def _tax(r: Record, ix: RecordIndex) -> Problem:
    state = r["tax_state"]
    if state not in STATE_TAX_RATES:
        return f"no sales-tax rate for {state!r}"
    if Decimal(str(r["tax_rate"])) != STATE_TAX_RATES[state]:
        return f"tax rate is not {state}'s rate"
    taxable = amount(r["subtotal"]) - amount(r["discount"])
    return None if amount(r["tax"]) == tax_for(taxable, state) else "tax is not the rate applied to the taxable amount"


def _shipping(r: Record, ix: RecordIndex) -> Problem:
    method = r["shipping_method"]
    if method not in SHIPPING_METHODS or (method == "in_store") != (r["channel"] == "in_store"):
        return f"shipping method {method!r} does not fit the channel"
    taxable = amount(r["subtotal"]) - amount(r["discount"])
    return None if amount(r["shipping"]) == shipping_for(method, taxable) else "shipping fee is off"


def _total(r: Record, ix: RecordIndex) -> Problem:
    expected = amount(r["subtotal"]) - amount(r["discount"]) + amount(r["tax"]) + amount(r["shipping"])
    return None if amount(r["total"]) == expected else "total is not subtotal - discount + tax + shipping"


def _status(r: Record, ix: RecordIndex) -> Problem:
    allowed = ONLINE_STATUSES if r["channel"] == "online" else ("completed",) if r["channel"] == "in_store" else ()
    return None if r["status"] in allowed else f"status {r['status']!r} is not possible for channel {r['channel']!r}"


def _order_dates(r: Record, ix: RecordIndex) -> Problem:
    wanted = STATUS_DATES[r["status"]]
    for name in ORDER_DATE_FIELDS:
        if (r.get(name) is not None) != (name in wanted):
            return f"{name} does not fit status {r['status']}"
    moments = [parse(r[name]) for name in ("ordered_at", "shipped_at", "delivered_at") if r.get(name)]
    if any(b <= a for a, b in zip(moments, moments[1:])):
        return "ordered_at < shipped_at < delivered_at does not hold"
    if r.get("cancelled_at") and parse(r["cancelled_at"]) <= moments[0]:
        return "cancelled before it was ordered"
    return None


def _ship_to(r: Record, ix: RecordIndex) -> Problem:
    if r["channel"] == "in_store":
        store = ix.target(r["store_id"], "store")
        if r["ship_to"] is not None:
            return "in-store sales have no shipping address"
        return None if store is None or store["address"]["state"] == r["tax_state"] else "taxed outside the store's state"
    if address_problem(r["ship_to"]):
        return address_problem(r["ship_to"])
    return None if r["ship_to"]["state"] == r["tax_state"] else "taxed outside the shipping state"


# shipments

def _tracking(r: Record, ix: RecordIndex) -> Problem:
    return tracking_problem(str(r["carrier"]), str(r["tracking_number"]))


def _events(r: Record, ix: RecordIndex) -> Problem:
    events = r["events"]
    if not events or events[0]["status"] != "label_created":
        return "tracking starts with a label"
    ranks = [SHIPMENT_EVENTS.index(e["status"]) for e in events]
    if ranks != sorted(ranks):
        return "events out of order"
    moments = [parse(e["at"]) for e in events]
    if any(b <= a for a, b in zip(moments, moments[1:])):
        return "event timestamps are not increasing"
    return None if r["status"] == events[-1]["status"] else "status is not the last event"


def _shipment_order(r: Record, ix: RecordIndex) -> Problem:
    order = ix.target(r["order_id"], "order")
    if order is None:
        return None if r["order_id"] not in ix.by_id else "does not point at an order"
    if order[OWNER_FIELD] != r[OWNER_FIELD] or order["channel"] != "online":
        return "ships an order of someone else or a sale made in store"
    scans = {e["status"]: e["at"] for e in r["events"]}
    if parse(r["events"][0]["at"]) <= parse(order["ordered_at"]):
        return "label created before the order was placed"
    if order["shipped_at"] != scans.get("picked_up") or order["delivered_at"] != scans.get("delivered"):
        return "order dates disagree with the carrier scans"
    return None if order["ship_to"] == r["ship_to"] else "shipped somewhere other than the order's address"


# returns

def _return_lines(r: Record, ix: RecordIndex) -> Problem:
    order = ix.target(r["order_id"], "order")
    if not r["lines"]:
        return "returns nothing"
    if order is None:
        return None
    ordered = {line["product_id"]: line["quantity"] for line in order["lines"]}
    for line in r["lines"]:
        if not 1 <= line["quantity"] <= ordered.get(line["product_id"], 0):
            return f"{line['product_id']} was not bought in that quantity on {order['id']}"
    return None


def _refund(r: Record, ix: RecordIndex) -> Problem:
    refund = amount(r["refund"])
    order = ix.target(r["order_id"], "order")
    if order is None:
        return None if refund >= 0 else "refund is negative"
    if refund > amount(order["total"]):
        return "refund exceeds the order total"
    merchandise = sum((cents(line["quantity"] * amount(line["unit_price"])) for line in r["lines"]), Decimal("0.00"))
    expected = refund_for(merchandise, order["promo_code"], order["tax_state"])
    return None if refund == expected else f"refund should be {expected}"


def _return_dates(r: Record, ix: RecordIndex) -> Problem:
    if r["status"] not in RETURN_STATUSES:
        return f"unknown status {r['status']!r}"
    requested = parse(r["requested_at"])
    if (r["refunded_at"] is not None) != (r["status"] == "refunded"):
        return "refunded_at does not fit the status"
    if r["refunded_at"] is not None and parse(r["refunded_at"]) <= requested:
        return "refunded before it was requested"
    order = ix.target(r["order_id"], "order")
    received = handed_over(order) if order is not None else requested
    if received is None:
        return "returned before the goods arrived"
    return None if received <= requested else "requested before the goods arrived"


def _reason(r: Record, ix: RecordIndex) -> Problem:
    return text_problem(r["reason"]) if r["reason_code"] in RETURN_REASONS else "unknown reason code"


# reviews

def _stars(r: Record, ix: RecordIndex) -> Problem:
    rating = r["rating"]
    return None if isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5 else "rating is 1-5"


def _tone(r: Record, ix: RecordIndex) -> Problem:
    text = f"{r['title']} {r['body']}"
    problem = text_problem(r["title"]) or text_problem(r["body"])
    if problem:
        return problem
    band = sentiment_band(r["rating"])
    positive, negative = bool(POSITIVE_CUES.search(text)), bool(NEGATIVE_CUES.search(text))
    fits = {"positive": positive and not negative, "negative": negative and not positive,
            "mixed": bool(MIXED_CUES.search(text))}[band]
    return None if fits else f"text does not read as {band} for {r['rating']} stars"


def _mentions(r: Record, ix: RecordIndex) -> Problem:
    product = ix.target(r["product_id"], "product")
    if product is None:
        return None
    if r["product_name"] != product["name"]:
        return "product name differs from the product"
    text = f"{r['title']} {r['body']}".lower()
    words = [product["item"], *(str(product["attributes"][k]) for k in ("colour", "material", "size"))]
    return None if any(w.lower() in text for w in words) else "mentions none of the product's attributes"


def _verified(r: Record, ix: RecordIndex) -> Problem:
    written = parse(r["created_at"])
    if bool(r["verified_purchase"]) != (r["order_id"] is not None):
        return "verified purchase needs an order, and only then"
    order = ix.target(r["order_id"], "order")
    if order is not None:
        bought = any(line["product_id"] == r["product_id"] for line in order["lines"])
        received = handed_over(order)
        if order[OWNER_FIELD] != r[OWNER_FIELD] or not bought or received is None or received >= written:
            return "the order does not show this shopper receiving the product before the review"
    if not r["verified_purchase"] and ix.target(r[OWNER_FIELD], "shopper"):
        for earlier in ix.orders_of[r[OWNER_FIELD]]:
            received = handed_over(earlier)
            if received is not None and received < written and any(
                    line["product_id"] == r["product_id"] for line in earlier["lines"]):
                return f"shopper received it on {earlier['id']} before reviewing: should be verified"
    return None


def _ref(kind: str, name: str) -> Callable[[Record, RecordIndex], Problem]:
    """A reference to ``kind``: the right id shape, and the right kind when the target is present."""
    def check(r: Record, ix: RecordIndex) -> Problem:
        ref = r[name]
        if ref is None and kind == "order" and r["type"] == "review":
            return None
        if not ID_PATTERNS[kind].match(str(ref)):
            return f"not {kind} id"
        return None if ref not in ix.by_id or ix.target(ref, kind) else f"does not point at {kind}"
    return check


def _money(*names: str) -> Callable[[Record, RecordIndex], Problem]:
    def check(r: Record, ix: RecordIndex) -> Problem:
        for name in names:
            problem = money_problem(r[name])
            if problem:
                return f"{name}: {problem}"
        return None
    return check


Check = Callable[[Record, RecordIndex], Problem]
RULES: dict[str, tuple[tuple[str, Check], ...]] = {
    "shopper": (("email", _email), ("phone", _phone), ("address", _address), ("tier", _tier),
                ("member_since", _member_since), ("age", _age), ("preferred_store_id", _ref("store", "preferred_store_id")),
                ("display_name", _display_name)),
    "store": (("address", _address), ("phone", _phone), ("email", _store_email), ("opening_hours", _hours),
              ("display_name", _display_name)),
    "product": (("gtin13", _gtin), ("upc_a", _upc), ("sku", _sku), ("attributes", _attributes),
                ("price", _price), ("stock", _stock), ("rating", _rating_summary), ("description", _description)),
    "cart": ((OWNER_FIELD, _ref("shopper", OWNER_FIELD)), ("lines", _lines), ("subtotal", _subtotal), ("item_count", _item_count)),
    "order": ((OWNER_FIELD, _ref("shopper", OWNER_FIELD)), ("lines", _lines), ("subtotal", _subtotal), ("item_count", _item_count),
              ("money", _money("subtotal", "discount", "tax", "shipping", "total")),
              ("discount", _discount), ("tax", _tax), ("shipping", _shipping), ("total", _total),
              ("status", _status), ("dates", _order_dates), ("ship_to", _ship_to), ("store_id", _ref("store", "store_id"))),
    "shipment": ((OWNER_FIELD, _ref("shopper", OWNER_FIELD)), ("tracking_number", _tracking), ("events", _events),
                 ("order_id", _shipment_order)),
    "return": ((OWNER_FIELD, _ref("shopper", OWNER_FIELD)), ("order_id", _ref("order", "order_id")), ("lines", _return_lines),
               ("refund", _refund), ("status", _return_dates), ("reason", _reason)),
    "review": ((OWNER_FIELD, _ref("shopper", OWNER_FIELD)), ("product_id", _ref("product", "product_id")),
               ("order_id", _ref("order", "order_id")), ("rating", _stars), ("body", _tone),
               ("product_name", _mentions), ("verified_purchase", _verified)),
}


def validate(records: Iterable[Record]) -> list[Violation]:
    """Every retail rule the records break, by record and field."""
    pool = [r for r in records if isinstance(r, dict)]
    ix = RecordIndex.of(pool)
    found: list[Violation] = []
    for record in pool:
        kind, rid = record.get("type"), str(record.get("id"))
        pattern = ID_PATTERNS.get(str(kind))
        if pattern is None:
            found.append(Violation(str(kind), rid, "type", f"not a retail record type: {kind!r}"))
            continue
        if not pattern.match(rid):
            found.append(Violation(str(kind), rid, "id", f"not a {kind} id"))
        for name, check in RULES[str(kind)]:
            try:
                problem = check(record, ix)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError, InvalidOperation) as exc:
                problem = f"missing or malformed ({type(exc).__name__}: {exc})"
            if problem:
                found.append(Violation(str(kind), rid, name, problem))
    return found
