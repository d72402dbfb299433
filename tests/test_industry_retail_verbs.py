"""Retail story verbs, driven through a real world the way stories and the server drive them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pymockapi.errors import Conflict, InvalidField
from pymockapi.industries.retail import PACK
from pymockapi.world.actions import StoryWorld
from pymockapi.world.world import World

Record = dict[str, Any]
ANCHOR = date(2025, 9, 30)
CAST = {"shopper": 12, "store": 3, "product": 20}


def make_world(session_seed: int = 4) -> World:
    return World("retail-verbs", 1, session_seed, ANCHOR, PACK, CAST, {"maria": ("shopper", {"first_name": "Maria"})})


def story(world: World) -> StoryWorld:
    return StoryWorld(world, lambda text, kind, duration_ms: None)


def run(world: World, verb: str, ref: str, *args: Any, **kwargs: Any) -> Any:
    """Run a verb the way the server does: through StoryWorld, all of its changes or none."""
    with world.batch():
        return getattr(story(world), verb)(ref, *args, **kwargs)


def everything(world: World) -> list[Record]:
    return [r for rt in PACK.record_types for r in world.records(rt.name)]


def stock_at(world: World, product_id: str, store_id: str) -> int:
    return next(s["quantity"] for s in world.get(product_id)["stock"] if s["store_id"] == store_id)


def test_checkout_story_keeps_the_world_valid() -> None:
    world = make_world()
    maria = world.get("maria")
    assert maria["id"] == "shp-0001" and maria["first_name"] == "Maria"
    cart = world.owned(maria["id"], "cart")[0]
    wanted = cart["lines"][0]["product_id"]
    store = maria["preferred_store_id"]
    run(world, "restock", wanted, 5)
    before = stock_at(world, wanted, store)
    order = run(world, "place_order", "maria", quantity=2)
    assert order["status"] == "processing" and order["lines"][0]["product_id"] == wanted
    assert world.get(order["id"]) == order
    assert stock_at(world, wanted, store) == before - 2
    assert all(line["product_id"] != wanted for line in world.get(cart["id"])["lines"])
    money = {k: Decimal(order[k]["amount"]) for k in ("subtotal", "discount", "tax", "shipping", "total")}
    assert money["total"] == money["subtotal"] - money["discount"] + money["tax"] + money["shipping"]
    shipment = run(world, "ship", order["id"])
    assert world.get(order["id"])["status"] == "shipped" and shipment["order_id"] == order["id"]
    points = world.get("maria")["points"]
    delivered = run(world, "deliver", order["id"])
    assert delivered["status"] == "delivered" and world.get(shipment["id"])["status"] == "delivered"
    assert world.get("maria")["points"] == points + int(money["subtotal"] - money["discount"])
    assert delivered["ordered_at"] < delivered["shipped_at"] < delivered["delivered_at"]
    assert PACK.validate(everything(world)) == []


@pytest.mark.parametrize("carrier", ["UPS", "FedEx", "USPS"])
def test_ship_with_each_carrier_gives_a_valid_tracking_number(carrier: str) -> None:
    world = make_world()
    product = "prod-0003"
    run(world, "restock", product, 3)
    order = run(world, "place_order", "shp-0002", product_id=product)
    shipment = run(world, "ship", order["id"], carrier=carrier)
    assert shipment["carrier"] == carrier
    run(world, "deliver", order["id"])
    assert PACK.validate(everything(world)) == []


def test_generated_orders_in_transit_can_be_delivered_and_processing_ones_shipped() -> None:
    world = make_world(session_seed=8)  # a session whose history ends with parcels on the road
    done = {"shipped": 0, "processing": 0}
    for order in world.records("order"):
        if order["status"] == "shipped":
            run(world, "deliver", order["id"])
            assert world.get(order["id"])["status"] == "delivered"
        elif order["status"] == "processing":
            run(world, "ship", order["id"])
            assert world.get(order["id"])["status"] == "shipped"
        else:
            continue
        done[order["status"]] += 1
    assert done["shipped"] and done["processing"]
    assert PACK.validate(everything(world)) == []


def test_verbs_replay_identically() -> None:
    worlds = [make_world(), make_world()]
    for world in worlds:
        run(world, "restock", "prod-0007", 4)
        order = run(world, "place_order", "shp-0003", product_id="prod-0007")
        run(world, "ship", order["id"])
    assert worlds[0].snapshot() == worlds[1].snapshot()
    assert worlds[0].touched == worlds[1].touched


def test_place_order_refuses_what_the_store_cannot_fill() -> None:
    world = make_world()
    maria = world.get("maria")
    with pytest.raises(Conflict, match="in stock"):
        run(world, "place_order", "maria", product_id="prod-0001", quantity=10_000)
    product = world.get("prod-0002")
    world.update("prod-0002", {"stock": [s for s in product["stock"] if s["store_id"] != maria["preferred_store_id"]]})
    with pytest.raises(Conflict, match="has 0 of prod-0002"):
        run(world, "place_order", "maria", product_id="prod-0002")


def test_place_order_refuses_bad_arguments() -> None:
    world = make_world()
    with pytest.raises(InvalidField, match="positive whole number"):
        run(world, "place_order", "maria", product_id="prod-0001", quantity=0)
    with pytest.raises(InvalidField, match="not a shopper"):
        run(world, "place_order", "prod-0001")
    for cart in world.owned("shp-0001", "cart"):  # a cart has lines; an emptied one is gone
        world.remove(cart["id"])
    with pytest.raises(InvalidField, match="nothing in the cart"):
        run(world, "place_order", "maria")


def test_ship_and_deliver_refuse_the_wrong_state() -> None:
    world = make_world()
    run(world, "restock", "prod-0004", 2)
    order = run(world, "place_order", "maria", product_id="prod-0004")
    with pytest.raises(Conflict, match="only shipped online orders"):
        run(world, "deliver", order["id"])
    with pytest.raises(InvalidField, match="Unknown carrier"):
        run(world, "ship", order["id"], carrier="Pony Express")
    run(world, "ship", order["id"])
    with pytest.raises(Conflict, match="only processing online orders"):
        run(world, "ship", order["id"])
    for shipment in world.owned("shp-0001", "shipment"):
        world.remove(shipment["id"])
    with pytest.raises(Conflict, match="no shipment"):
        run(world, "deliver", order["id"])
    assert world.get(order["id"])["status"] == "shipped"


def test_restock_every_store_one_store_or_a_new_one() -> None:
    world = make_world()
    before = {s["store_id"]: s["quantity"] for s in world.get("prod-0005")["stock"]}
    run(world, "restock", "prod-0005", 3)
    assert {s["store_id"]: s["quantity"] for s in world.get("prod-0005")["stock"]} == {
        k: v + 3 for k, v in before.items()
    }
    run(world, "restock", "prod-0005", 2, store_id="store-0001")
    assert stock_at(world, "prod-0005", "store-0001") == before["store-0001"] + 5
    product = world.get("prod-0005")
    world.update("prod-0005", {"stock": [s for s in product["stock"] if s["store_id"] != "store-0002"]})
    run(world, "restock", "prod-0005", 4, store_id="store-0002")
    assert stock_at(world, "prod-0005", "store-0002") == 4
    with pytest.raises(InvalidField, match="not a store"):
        run(world, "restock", "prod-0005", 4, store_id="shp-0001")
    with pytest.raises(InvalidField, match="positive whole number"):
        run(world, "restock", "prod-0005", True)
    assert all(re.fullmatch(r"store-\d{4}", s["store_id"]) for s in world.get("prod-0005")["stock"])
    assert PACK.validate(everything(world)) == []


def test_ordering_the_last_line_of_a_cart_checks_the_cart_out() -> None:
    world = make_world()
    cart = world.owned("shp-0001", "cart")[0]
    placed = []
    for line in cart["lines"]:
        run(world, "restock", line["product_id"], 5)
        placed.append(run(world, "place_order", "maria")["lines"][0]["product_id"])
    assert placed == [line["product_id"] for line in cart["lines"]]
    assert world.find(cart["id"]) is None  # nothing left in it: checked out, not an empty cart
    assert PACK.validate(everything(world)) == []
