"""Story verbs of retail: place an order, ship it, deliver it, restock a product.

Verbs act on the anchor day, after all generated history, and change the
world only through :class:`~pymockapi.industries.base.WorldView`.  Their
choices (carrier, tracking number) are derived from the record ids with
BLAKE2b, so replaying a story gives the same world.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from pymockapi.errors import Conflict, InvalidField
from pymockapi.industries.base import Record, Verb, WorldView
from pymockapi.industries.money import ZERO, exact
from pymockapi.industries.retail.codes import mint_tracking
from pymockapi.industries.retail.data import CARRIERS, SHIPMENT_EVENT_TEXT, tier_for_points
from pymockapi.industries.retail.history import place, tracking_events
from pymockapi.industries.retail.moments import parse, stamp, start_of
from pymockapi.industries.retail.pricing import order_line, order_totals, usd
from pymockapi.industries.seeding import derive_seed

# Verbs act from this hour of the anchor day (UTC) onwards.
OPENING_HOUR = 8


def _now(world: WorldView) -> datetime:
    return start_of(world.anchor) + timedelta(hours=OPENING_HOUR)


def _after(moment: datetime, minutes: int, world: WorldView) -> datetime:
    """``minutes`` after ``moment``, but never before the verbs' working day starts."""
    return max(moment + timedelta(minutes=minutes), _now(world))


def _record(world: WorldView, ref: str, kind: str) -> Record:
    record = world.get(ref)
    if record.get("type") != kind:
        raise InvalidField(f"'{ref}' is a {record.get('type')}, not a {kind}.",
                           f"Pass the id or alias of a {kind}.")
    return record


def _positive(quantity: Any, what: str) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise InvalidField(f"{what} must be a positive whole number, not {quantity!r}.", f"Try {what}=1.")
    return quantity


def place_order(world: WorldView, ref: str, product_id: str | None = None, quantity: int = 1) -> Record:
    """A shopper buys a product online, fulfilled from their home store.

    Without ``product_id`` the shopper checks out the first item in their
    cart.  The store's stock drops by ``quantity``; an order the store cannot
    fill is refused with :class:`~pymockapi.errors.Conflict`.
    """
    shopper = _record(world, ref, "shopper")
    quantity = _positive(quantity, "quantity")
    carts = world.owned(shopper["id"], "cart")
    if product_id is None:
        lines = [line for cart in carts for line in cart["lines"]]
        if not lines:
            raise InvalidField(f"{shopper['id']} has nothing in the cart.", "Name a product_id to order.")
        product_id = str(lines[0]["product_id"])
    product = _record(world, product_id, "product")
    store_id = shopper["preferred_store_id"]
    stock = [dict(level) for level in product["stock"]]
    level = next((lv for lv in stock if lv["store_id"] == store_id), None)
    on_hand = level["quantity"] if level else 0
    if level is None or on_hand < quantity:
        raise Conflict(f"{store_id} has {on_hand} of {product['id']} in stock, fewer than the {quantity} ordered.",
                       f"Restock {product['id']} first, or order fewer.", store_id=store_id, on_hand=on_hand)
    level["quantity"] = on_hand - quantity
    price = exact(product["price"])
    ship_to = dict(shopper["address"])
    state = str(ship_to["state"])
    totals = order_totals([(quantity, price)], None, state, "standard")
    placed = _now(world) + timedelta(minutes=7 * len(world.owned(shopper["id"], "order")))
    order = world.add("order", shopper["id"], {
        "shopper_id": shopper["id"], "channel": "online", "store_id": store_id, "status": "processing",
        "ordered_at": stamp(placed), "cancelled_at": None, "cancel_reason": None, "shipped_at": None,
        "delivered_at": None, "lines": [order_line(1, product["id"], product["name"], quantity, price)],
        "item_count": quantity, "promo_code": None, "shipping_method": "standard", "ship_to": ship_to,
        "tax_state": state, **totals.fields(state)})
    world.update(product["id"], {"stock": stock})
    for cart in carts:
        kept = [dict(line) for line in cart["lines"] if line["product_id"] != product["id"]]
        if not kept:  # its last line became this order: the cart is checked out
            world.remove(cart["id"])
        elif len(kept) != len(cart["lines"]):
            for number, line in enumerate(kept, 1):
                line["line"] = number
            subtotal = sum((exact(line["line_total"]) for line in kept), ZERO)
            world.update(cart["id"], {"lines": kept, "item_count": sum(line["quantity"] for line in kept),
                                      "subtotal": usd(subtotal)})
    return order


def _order(world: WorldView, order_ref: str, status: str, doing: str) -> Record:
    order = _record(world, order_ref, "order")
    if order["channel"] != "online" or order["status"] != status:
        raise Conflict(f"{order['id']} is {order['status']} ({order['channel']}); only {status} online orders "
                       f"can be {doing}.", f"Check the order's status before asking to {doing[:-2]} it.")
    return order


def ship(world: WorldView, order_ref: str, carrier: str | None = None) -> Record:
    """Hand a processing order to a carrier: a shipment with a real-format tracking number."""
    order = _order(world, order_ref, "processing", "shipped")
    seed = derive_seed("retail-ship", order["id"])
    if carrier is None:
        carrier = CARRIERS[seed % len(CARRIERS)]
    if carrier not in CARRIERS:
        raise InvalidField(f"Unknown carrier '{carrier}'.", f"Use one of {', '.join(CARRIERS)}.")
    rng = random.Random(seed)
    tracking, service = mint_tracking(carrier, rng)
    start = _after(parse(order["ordered_at"]), 0, world)
    origin = place(world.get(order["store_id"])["address"])
    events = tracking_events(carrier, start, "in_transit", origin, [origin], place(order["ship_to"]), rng)
    shipment = world.add("shipment", order["shopper_id"], {
        "shopper_id": order["shopper_id"], "order_id": order["id"], "carrier": carrier, "service": service,
        "tracking_number": tracking, "status": events[-1]["status"], "ship_to": order["ship_to"],
        "estimated_delivery": (world.anchor + timedelta(days=2)).isoformat(), "events": events})
    world.update(order["id"], {"status": "shipped", "shipped_at": events[1]["at"]})
    return shipment


def deliver(world: WorldView, order_ref: str) -> Record:
    """The carrier drops a shipped order at the door: scans, shipment and order agree.

    The shopper earns loyalty points for it (one per whole dollar paid for
    merchandise), and the tier follows the new balance.
    """
    order = _order(world, order_ref, "shipped", "delivered")
    shipment = next((s for s in world.owned(order["shopper_id"], "shipment") if s["order_id"] == order["id"]), None)
    if shipment is None:
        raise Conflict(f"{order['id']} has no shipment to deliver.", "Ship the order first.")
    last = _after(parse(shipment["events"][-1]["at"]), 0, world)
    destination = place(order["ship_to"])
    out = last + timedelta(minutes=90)
    dropped = out + timedelta(minutes=150)
    events = list(shipment["events"]) + [
        {"status": status, "description": SHIPMENT_EVENT_TEXT[status].format(carrier=shipment["carrier"]),
         "location": destination, "at": stamp(moment)}
        for status, moment in (("out_for_delivery", out), ("delivered", dropped))]
    world.update(shipment["id"], {"events": events, "status": "delivered",
                                  "estimated_delivery": dropped.date().isoformat()})
    delivered = world.update(order["id"], {"status": "delivered", "delivered_at": stamp(dropped)})
    _award_points(world, delivered)
    return delivered


def _award_points(world: WorldView, order: Record) -> None:
    """A delivered order earns a point per whole dollar of merchandise paid for; the tier follows."""
    shopper = world.get(order["shopper_id"])
    earned = int(exact(order["subtotal"]) - exact(order["discount"]))
    points = int(shopper["points"]) + earned
    world.update(shopper["id"], {"points": points, "tier": tier_for_points(points)})


def restock(world: WorldView, product_ref: str, quantity: int, store_id: str | None = None) -> Record:
    """Stores receive ``quantity`` more of a product (every store, or only ``store_id``)."""
    product = _record(world, product_ref, "product")
    quantity = _positive(quantity, "quantity")
    stock = [dict(level) for level in product["stock"]]
    if store_id is not None and all(level["store_id"] != store_id for level in stock):
        _record(world, store_id, "store")
        stock.append({"store_id": store_id, "quantity": 0})
    for level in stock:
        if store_id is None or level["store_id"] == store_id:
            level["quantity"] += quantity
    return world.update(product["id"], {"stock": stock})


VERBS: dict[str, Verb] = {"place_order": place_order, "ship": ship, "deliver": deliver, "restock": restock}
