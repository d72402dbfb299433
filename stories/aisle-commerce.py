"""Aisle Commerce: a storefront served from its own API description, from checkout to the doorstep.

The endpoints are the operations of ``specs/aisle-commerce.yaml``.  Maya
checks out in the app (the front-end's own
``POST /storefront/v3/customers/{customer_id}/orders`` moves the story on),
a timer hands her parcel to the carrier and the presenter cues the delivery.
"""

from pymockapi.dsl import Story, hero

story = Story(
    "aisle-commerce",
    title="Aisle Commerce: an in-app checkout, shipped and delivered",
    industry="retail",
    seed=5,
    cast={"shopper": 30, "store": 4, "product": 40},
    heroes={"maya": hero("shopper", first_name="Maya", last_name="Torres", age=31, sex="female", tier="silver")},
    openapi="specs/aisle-commerce.yaml",
    bind={"TrackingEvent.occurred_at": "shipment.events.at"},
)


def todays_order(world, status: str) -> str | None:
    """Maya's online order placed today in ``status``: the one the demo's checkout made."""
    today = world.anchor.isoformat()
    orders = [o for o in world.owned(world.get("maya")["id"], "order")
              if o["status"] == status and o["channel"] == "online" and o["ordered_at"].startswith(today)]
    return max(orders, key=lambda order: order["ordered_at"])["id"] if orders else None


def checked_out(world) -> None:
    """The app's checkout normally placed the order; if the presenter skipped it, buy from her home store."""
    if todays_order(world, "processing") is not None:
        return
    home = world.get("maya")["preferred_store_id"]
    stocked = [p["id"] for p in world.records("product")
               if any(level["store_id"] == home and level["quantity"] > 0 for level in p["stock"])]
    if not stocked:
        world.restock("prod-0001", 5, store_id=home)
        stocked = ["prod-0001"]
    world.place_order("maya", product_id=stocked[0])


def ship_todays(world) -> None:
    order = todays_order(world, "processing")
    if order is not None:
        world.ship(order)


def deliver_todays(world) -> None:
    order = todays_order(world, "shipped")
    if order is not None:
        world.deliver(order)


story.waypoint(
    "browsing", initial=True,
    narration="Maya Torres, a silver member, opens the Aisle storefront app and browses what her home store "
              "has in stock.")
story.waypoint(
    "checkout", when="POST /storefront/v3/customers/{customer_id}/orders",
    narration="She checks out in the app: line items, tax and shipping add up to the order total to the cent, "
              "and her home store's stock drops by what she bought.",
    does=checked_out)
story.waypoint(
    "shipped", after="20s",
    narration="The store hands her parcel to the carrier: the order reads shipped and its tracking number is live.",
    does=ship_todays)
story.waypoint(
    "delivered", on="advance",
    narration="The parcel reaches her door: the order reads delivered and she earns a loyalty point for every "
              "dollar of merchandise.",
    does=deliver_todays)
