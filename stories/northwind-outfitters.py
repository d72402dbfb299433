"""Northwind Outfitters: one shopper's journey from browsing to a delivered order."""

from pymockapi.dsl import Story, hero

story = Story(
    "northwind-outfitters",
    title="Northwind Outfitters: from browsing to the doorstep",
    industry="retail",
    seed=21,
    cast={"shopper": 40, "store": 5, "product": 60},
    heroes={"jordan": hero("shopper", first_name="Jordan", last_name="Lee", age=34, tier="gold")},
)

story.get("/products", "retail/products.json.j2", collection="product")
story.get("/products/{product_id}", "retail/product.json.j2", record="product")
story.get("/stores", "retail/stores.json.j2", collection="store")
story.get("/stores/{store_id}", "retail/store.json.j2", persona="store")
story.get("/shoppers", "retail/shoppers.json.j2", collection="shopper")
story.get("/shoppers/{shopper_id}", "retail/shopper.json.j2", persona="shopper")
story.get("/shoppers/{shopper_id}/orders", "retail/orders.json.j2", collection="order")
story.get("/shoppers/{shopper_id}/shipments", "retail/shipments.json.j2", collection="shipment")
story.get("/shoppers/{shopper_id}/reviews", "retail/reviews.json.j2", collection="review")
story.get("/orders/{order_id}", "retail/order.json.j2", record="order")
story.post("/orders", "retail/order.json.j2", creates="order", verb="place_order")
story.patch("/products/{product_id}", "retail/product.json.j2", updates="product")


def newest_order(world, status: str) -> str | None:
    """Jordan's newest online order in ``status``: the one the demo just placed."""
    orders = [o for o in world.owned(world.get("jordan")["id"], "order")
              if o["status"] == status and o["channel"] == "online"]
    return max(orders, key=lambda order: order["ordered_at"])["id"] if orders else None


def ship_newest(world) -> None:
    """Ship what Jordan just bought; if the presenter skipped the checkout, buy the best seller first."""
    order = newest_order(world, "processing")
    if order is None:
        world.place_order("jordan", product_id="prod-0001")
        order = newest_order(world, "processing")
    world.ship(order)


def deliver_newest(world) -> None:
    order = newest_order(world, "shipped")
    if order is not None:
        world.deliver(order)


story.waypoint(
    "browsing", initial=True,
    narration="Jordan Lee, a gold member, browses the new trail collection on her phone.")
story.waypoint(
    "restocked", after="15s",
    narration="The downtown store receives twenty more of the best seller.",
    does=lambda world: world.restock("prod-0001", 20))
story.waypoint(
    "checkout", when="POST /orders",
    narration="Jordan checks out: lines, tax and shipping add up to the cent.")
story.waypoint(
    "shipped", on="advance",
    narration="The warehouse hands the parcel to the carrier; the tracking number is live.",
    does=ship_newest)
story.waypoint(
    "delivered", after="10s",
    narration="Delivered to her door, and her points balance climbs.",
    does=deliver_newest)
