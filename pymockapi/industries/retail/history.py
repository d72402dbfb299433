"""A shopper's history: orders, their shipments and returns, the open cart, reviews.

Everything here is owned by one shopper and drawn from one private random
stream of that shopper, so the whole history is a pure function of the
world's seeds and the shopper record.  Products and stores are quoted by
reference through the catalogue, never copied from another persona's
generation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from pymockapi.industries.common import zip_table
from pymockapi.industries.money import cents
from pymockapi.industries.records import RecordType
from pymockapi.industries.retail.catalog import Product, product_of
from pymockapi.industries.retail.codes import mint_tracking
from pymockapi.industries.retail.data import (
    CANCEL_REASONS,
    CARRIERS,
    FITTED_CATEGORIES,
    PROMOTIONS,
    RETURN_REASONS,
    SHIPMENT_EVENT_TEXT,
)
from pymockapi.industries.retail.kinds import CART, ORDER, RETURN, REVIEW, SHIPMENT
from pymockapi.industries.retail.moments import at_the_door, days_ago, in_store, later, stamp, start_of
from pymockapi.industries.retail.people import store_address, store_index
from pymockapi.industries.retail.pricing import order_line, order_totals, refund_for, usd
from pymockapi.industries.retail.text import return_reason, review_text
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]

_ONLINE_STATUS_WEIGHTS = {"delivered": 60, "shipped": 14, "processing": 10, "cancelled": 6}
_DAYS_AGO = {"delivered": (8, 300), "shipped": (3, 5), "processing": (1, 1), "cancelled": (2, 60),
             "completed": (1, 300)}
_METHOD_WEIGHTS = {"standard": 70, "expedited": 20, "next_day": 10}
# Hours between one tracking event and the next, by the later event.
EVENT_GAPS_H: dict[str, tuple[int, int]] = {"label_created": (1, 6), "picked_up": (2, 18), "in_transit": (4, 20),
                                            "out_for_delivery": (6, 20), "delivered": (1, 8)}
_RATING_WEIGHTS = (8, 10, 17, 30, 35)
_QUANTITY_WEIGHTS = (70, 22, 8)


def place(address: dict[str, str]) -> str:
    return f"{address['city']}, {address['state']}"


def tracking_events(carrier: str, start: datetime, through: str, origin: str, hubs: list[str],
                    destination: str, rng: random.Random) -> list[Record]:
    """Carrier scans from label to ``through``, each strictly after the one before.

    The parcel reaches the door in the carrier's delivery window, local to
    ``destination`` ("City, ST").
    """
    plan = [("label_created", origin), ("picked_up", origin)] + [("in_transit", hub) for hub in hubs]
    if through == "delivered":
        plan += [("out_for_delivery", destination), ("delivered", destination)]
    events, moment = [], start
    for status, where in plan:
        moment = later(moment, EVENT_GAPS_H[status], rng)
        if status == "delivered":
            moment = at_the_door(moment, destination.rsplit(", ", 1)[-1], rng)
        events.append({"status": status, "description": SHIPMENT_EVENT_TEXT[status].format(carrier=carrier),
                       "location": where, "at": stamp(moment)})
    return events


@dataclass
class _History:
    """The working state while one shopper's history is drawn."""

    gen: GenContext
    shopper: Record
    index: int
    rng: random.Random
    counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store_id = str(self.shopper["preferred_store_id"])
        self.now = start_of(self.gen.anchor)
        self.since_days = max(1, (self.gen.anchor - datetime.fromisoformat(
            str(self.shopper["member_since"])).date()).days)

    @cached_property
    def store_address(self) -> dict[str, str]:
        """The home store's address, drawn only when a sale or a parcel needs it."""
        return store_address(self.gen, store_index(self.store_id))

    def next_id(self, kind: RecordType) -> str:
        """The id of this shopper's next record of ``kind``."""
        self.counters[kind.name] = self.counters.get(kind.name, 0) + 1
        return kind.owned_id(self.index, self.counters[kind.name])

    def products(self, *parts: object, count: int) -> list[Product]:
        """``count`` distinct products or fewer: the first by ``pick_index``, the rest from the history stream."""
        size = max(1, int(self.gen.cast.get("product", 1)))
        picks = [self.gen.pick_index("product", "shopper", self.index, *parts)]
        picks += [self.rng.randint(1, size) for _ in range(count - 1)]
        return [product_of(self.gen, at) for at in dict.fromkeys(picks)]

    # orders and shipments

    def order(self, number: int) -> list[Record]:
        rng = self.rng
        channel = "in_store" if rng.random() < 0.25 else "online"
        status = "completed" if channel == "in_store" else rng.choices(
            list(_ONLINE_STATUS_WEIGHTS), weights=list(_ONLINE_STATUS_WEIGHTS.values()))[0]
        low, high = _DAYS_AGO[status]
        ago = rng.randint(low, max(low, min(high, self.since_days)))
        ordered = in_store(self.gen.anchor, ago, self.store_address["state"], rng) if channel == "in_store" else (
            days_ago(self.gen.anchor, ago, rng))
        products = self.products("order", number, count=rng.randint(1, 3))
        quantities = [rng.choices((1, 2, 3), weights=_QUANTITY_WEIGHTS)[0] for _ in products]
        promo = rng.choice(sorted(PROMOTIONS)) if rng.random() < 0.25 else None
        if channel == "online":
            method = rng.choices(list(_METHOD_WEIGHTS), weights=list(_METHOD_WEIGHTS.values()))[0]
            ship_to: dict[str, str] | None = dict(self.shopper["address"])
            state = str(self.shopper["address"]["state"])
        else:
            method, ship_to, state = "in_store", None, self.store_address["state"]
        totals = order_totals(zip(quantities, (p.price for p in products), strict=True), promo, state, method)
        order_id = self.next_id(ORDER)
        order: Record = {
            "id": order_id, "type": ORDER.name, "shopper_id": self.shopper["id"], "channel": channel,
            "store_id": self.store_id, "status": status, "ordered_at": stamp(ordered), "cancelled_at": None,
            "cancel_reason": None, "shipped_at": None, "delivered_at": None,
            "lines": [order_line(n, p.id, p.name, q, p.price) for n,
                      (p, q) in enumerate(zip(products, quantities, strict=True), 1)],
            "item_count": sum(quantities), "promo_code": promo, "shipping_method": method, "ship_to": ship_to,
            "tax_state": state, **totals.fields(state),
        }
        if status == "cancelled":
            order["cancelled_at"] = stamp(later(ordered, (1, 20), rng))
            order["cancel_reason"] = rng.choice(CANCEL_REASONS)
        records = [order]
        if status in ("shipped", "delivered"):
            shipment = self.shipment(order, ordered, status)
            events = {e["status"]: e["at"] for e in shipment["events"]}
            order["shipped_at"] = events["picked_up"]
            order["delivered_at"] = events.get("delivered")
            records.append(shipment)
        return records

    def shipment(self, order: Record, ordered: datetime, through: str) -> Record:
        rng = self.rng
        carrier = rng.choice(CARRIERS)
        tracking, service = mint_tracking(carrier, rng)
        hubs = [f"{hub.city}, {hub.state}" for hub in (
            rng.choice(zip_table()) for _ in range(rng.randint(1, 2) if through == "delivered" else 1))]
        events = tracking_events(carrier, ordered, through, place(self.store_address), hubs,
                                 place(order["ship_to"]), rng)
        if through == "delivered":
            estimated = events[-1]["at"][:10]
        else:
            estimated = (self.gen.anchor + timedelta(days=rng.randint(1, 3))).isoformat()
        return {"id": self.next_id(SHIPMENT), "type": SHIPMENT.name, "shopper_id": self.shopper["id"],
                "order_id": order["id"], "carrier": carrier, "service": service, "tracking_number": tracking,
                "status": events[-1]["status"], "ship_to": order["ship_to"], "estimated_delivery": estimated,
                "events": events}

    # after the sale

    def handed_over(self, order: Record) -> datetime | None:
        """When the shopper got the goods (None while they are still on the way)."""
        when = order["delivered_at"] if order["status"] == "delivered" else (
            order["ordered_at"] if order["status"] == "completed" else None)
        return datetime.fromisoformat(when) if when else None

    def return_of(self, order: Record, received: datetime) -> Record:
        rng = self.rng
        available_h = int((self.now - received).total_seconds() // 3600) - 1
        requested = later(received, (2, max(2, min(30 * 24, available_h))), rng)
        chosen = rng.sample(order["lines"], rng.randint(1, len(order["lines"])))
        lines = [{"line": line["line"], "product_id": line["product_id"], "name": line["name"],
                  "quantity": rng.randint(1, line["quantity"]), "unit_price": line["unit_price"]}
                 for line in sorted(chosen, key=lambda line: line["line"])]
        merchandise = sum((cents(line["quantity"] * Decimal(line["unit_price"]["amount"])) for line in lines),
                          Decimal("0.00"))
        first = product_of(self.gen, int(lines[0]["product_id"].rsplit("-", 1)[1]))
        excluded = {"late_delivery" if order["channel"] == "in_store" else "",
                    "wrong_size" if first.category.name not in FITTED_CATEGORIES else ""}
        code = rng.choice([c for c in sorted(RETURN_REASONS) if c not in excluded])
        if (self.now - requested).days > 14:
            status, refunded_at = "refunded", stamp(later(requested, (72, 240), rng))
        else:
            status, refunded_at = rng.choice(("requested", "in_transit", "received")), None
        return {"id": self.next_id(RETURN), "type": RETURN.name, "shopper_id": self.shopper["id"],
                "order_id": order["id"], "status": status, "reason_code": code,
                "reason": return_reason(rng, code, name=first.name, noun=first.item.noun, material=first.material,
                                        colour=first.colour, size=first.size, use=first.use),
                "return_method": "mail" if order["channel"] == "online" else "in_store",
                "lines": lines, "refund": usd(refund_for(merchandise, order["promo_code"], order["tax_state"])),
                "requested_at": stamp(requested), "refunded_at": refunded_at}

    def cart(self) -> Record:
        rng = self.rng
        products = self.products("cart", count=rng.randint(1, 3))
        lines = [order_line(n, p.id, p.name, rng.randint(1, 2), p.price) for n, p in enumerate(products, 1)]
        subtotal = sum((Decimal(line["line_total"]["amount"]) for line in lines), Decimal("0.00"))
        return {"id": self.next_id(CART), "type": CART.name, "shopper_id": self.shopper["id"], "status": "active",
                "updated_at": stamp(self.now - timedelta(minutes=rng.randint(30, 72 * 60))),
                "lines": lines, "item_count": sum(line["quantity"] for line in lines), "subtotal": usd(subtotal)}

    def review(self, product: Product, written: datetime, order_id: str | None) -> Record:
        rng = self.rng
        rating = rng.choices((1, 2, 3, 4, 5), weights=_RATING_WEIGHTS)[0]
        title, body = review_text(rng, rating, name=product.name, noun=product.item.noun,
                                  material=product.material, colour=product.colour, size=product.size,
                                  use=product.use)
        return {"id": self.next_id(REVIEW), "type": REVIEW.name, "shopper_id": self.shopper["id"],
                "product_id": product.id, "product_name": product.name, "rating": rating, "title": title,
                "body": body, "verified_purchase": order_id is not None, "order_id": order_id,
                "created_at": stamp(written), "helpful_votes": rng.choice((0, 0, 1, 2, rng.randint(3, 60)))}

    def reviews(self, orders: list[Record]) -> list[Record]:
        rng = self.rng
        bought: list[tuple[str, datetime, str]] = []
        for order in orders:
            received = self.handed_over(order)
            if received is not None:
                bought += [(line["product_id"], received, order["id"]) for line in order["lines"]]
        reviews = []
        for pid, received, order_id in rng.sample(bought, min(len(bought), rng.randint(0, 2))):
            hours = int((self.now - received).total_seconds() // 3600) - 1
            written = later(received, (1, max(1, min(hours, 20 * 24))), rng)
            reviews.append(self.review(product_of(self.gen, int(pid.rsplit("-", 1)[1])), written, order_id))
        owned = {line["product_id"] for order in orders for line in order["lines"]}
        for product in self.products("review", count=rng.randint(0, 1)):
            if product.id not in owned:
                written = days_ago(self.gen.anchor, rng.randint(1, 200), rng)
                reviews.append(self.review(product, written, None))
        return reviews


def shopper_history(gen: GenContext, shopper: Record, index: int) -> list[Record]:
    """Every record a shopper owns, in a stable order: orders, shipments, returns, cart, reviews."""
    h = _History(gen, shopper, index, gen.rng("shopper-history", index))
    drawn = [h.order(n) for n in range(1, h.rng.randint(1, 3) + 1)]
    orders = [records[0] for records in drawn]
    shipments = [r for records in drawn for r in records[1:]]
    returns = []
    for order in orders:
        received = h.handed_over(order)
        if received is not None and h.rng.random() < 0.3:
            returns.append(h.return_of(order, received))
    return orders + shipments + returns + [h.cart()] + h.reviews(orders)

