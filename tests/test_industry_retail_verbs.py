"""Retail story verbs, driven through a small dict-backed world."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Mapping

import pytest

from pymockapi.errors import Conflict, InvalidField, NotFound
from pymockapi.industries.retail import PACK
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
ANCHOR = date(2025, 9, 30)
CAST = {"shopper": 12, "store": 3, "product": 20}


class DictWorld:
    """The smallest WorldView: records by id, aliases, owned look-ups."""

    def __init__(self, records: list[Record], aliases: Mapping[str, str]) -> None:
        self.anchor = ANCHOR
        self.records = {r["id"]: r for r in records}
        self.aliases = dict(aliases)
        self.types = {rt.name: rt for rt in PACK.record_types}

    def get(self, ref: str) -> Record:
        key = self.aliases.get(ref, ref)
        if key not in self.records:
            raise NotFound.of("record", ref, self.records)
        return self.records[key]

    def owned(self, owner_id: str, record_type: str) -> list[Record]:
        field = self.types[record_type].owner_field
        return [r for r in self.records.values() if r["type"] == record_type and field and r.get(field) == owner_id]

    def add(self, record_type: str, owner: str, fields: Mapping[str, Any]) -> Record:
        rt = self.types[record_type]
        n = len(self.owned(owner, record_type)) + 1
        record = {"id": f"{rt.prefix}-{owner.split('-')[1]}-{n:02d}", "type": record_type, **fields}
        self.records[record["id"]] = record
        return record

    def update(self, ref: str, fields: Mapping[str, Any]) -> Record:
        record = self.get(ref)
        record.update(fields)
        return record

    def remove(self, ref: str) -> None:
        del self.records[self.get(ref)["id"]]


def make_world() -> DictWorld:
    ctx = GenContext("retail-verbs", 1, 4, ANCHOR, CAST)
    records: list[Record] = []
    for kind, count in CAST.items():
        for index in range(1, count + 1):
            records += PACK.generate(ctx, kind, index, {"first_name": "Maria"} if index == 1 else {})
    return DictWorld(records, {"maria": "shp-0001"})


def stock_at(world: DictWorld, product_id: str, store_id: str) -> int:
    return next(s["quantity"] for s in world.get(product_id)["stock"] if s["store_id"] == store_id)


def test_checkout_story_keeps_the_world_valid() -> None:
    world = make_world()
    maria = world.get("maria")
    cart = world.owned(maria["id"], "cart")[0]
    wanted = cart["lines"][0]["product_id"]
    store = maria["preferred_store_id"]
    PACK.verbs["restock"](world, wanted, 5)
    before = stock_at(world, wanted, store)
    order = PACK.verbs["place_order"](world, "maria", quantity=2)
    assert order["status"] == "processing" and order["lines"][0]["product_id"] == wanted
    assert stock_at(world, wanted, store) == before - 2
    assert all(line["product_id"] != wanted for line in world.get(cart["id"])["lines"])
    money = {k: Decimal(order[k]["amount"]) for k in ("subtotal", "discount", "tax", "shipping", "total")}
    assert money["total"] == money["subtotal"] - money["discount"] + money["tax"] + money["shipping"]
    shipment = PACK.verbs["ship"](world, order["id"])
    assert world.get(order["id"])["status"] == "shipped" and shipment["order_id"] == order["id"]
    points = maria["points"]
    delivered = PACK.verbs["deliver"](world, order["id"])
    assert delivered["status"] == "delivered" and world.get(shipment["id"])["status"] == "delivered"
    assert world.get("maria")["points"] == points + int(money["subtotal"] - money["discount"])
    assert delivered["ordered_at"] < delivered["shipped_at"] < delivered["delivered_at"]
    assert PACK.validate(world.records.values()) == []


@pytest.mark.parametrize("carrier", ["UPS", "FedEx", "USPS"])
def test_ship_with_each_carrier_gives_a_valid_tracking_number(carrier: str) -> None:
    world = make_world()
    product = "prod-0003"
    PACK.verbs["restock"](world, product, 3)
    order = PACK.verbs["place_order"](world, "shp-0002", product_id=product)
    shipment = PACK.verbs["ship"](world, order["id"], carrier=carrier)
    assert shipment["carrier"] == carrier
    PACK.verbs["deliver"](world, order["id"])
    assert PACK.validate(world.records.values()) == []


def test_generated_orders_in_transit_can_be_delivered_and_processing_ones_shipped() -> None:
    world = make_world()
    for order in [r for r in world.records.values() if r["type"] == "order"]:
        if order["status"] == "shipped":
            PACK.verbs["deliver"](world, order["id"])
        elif order["status"] == "processing":
            PACK.verbs["ship"](world, order["id"])
    assert PACK.validate(world.records.values()) == []


def test_verbs_replay_identically() -> None:
    worlds = [make_world(), make_world()]
    for world in worlds:
        PACK.verbs["restock"](world, "prod-0007", 4)
        order = PACK.verbs["place_order"](world, "shp-0003", product_id="prod-0007")
        PACK.verbs["ship"](world, order["id"])
    assert worlds[0].records == worlds[1].records


def test_place_order_refuses_what_the_store_cannot_fill() -> None:
    world = make_world()
    maria = world.get("maria")
    with pytest.raises(Conflict, match="in stock"):
        PACK.verbs["place_order"](world, "maria", product_id="prod-0001", quantity=10_000)
    product = world.get("prod-0002")
    product["stock"] = [s for s in product["stock"] if s["store_id"] != maria["preferred_store_id"]]
    with pytest.raises(Conflict, match="has 0 of prod-0002"):
        PACK.verbs["place_order"](world, "maria", product_id="prod-0002")


def test_place_order_refuses_bad_arguments() -> None:
    world = make_world()
    with pytest.raises(InvalidField, match="positive whole number"):
        PACK.verbs["place_order"](world, "maria", product_id="prod-0001", quantity=0)
    with pytest.raises(InvalidField, match="not a shopper"):
        PACK.verbs["place_order"](world, "prod-0001")
    for cart in world.owned("shp-0001", "cart"):
        cart["lines"] = []
    with pytest.raises(InvalidField, match="nothing in the cart"):
        PACK.verbs["place_order"](world, "maria")


def test_ship_and_deliver_refuse_the_wrong_state() -> None:
    world = make_world()
    PACK.verbs["restock"](world, "prod-0004", 2)
    order = PACK.verbs["place_order"](world, "maria", product_id="prod-0004")
    with pytest.raises(Conflict, match="only shipped online orders"):
        PACK.verbs["deliver"](world, order["id"])
    with pytest.raises(InvalidField, match="Unknown carrier"):
        PACK.verbs["ship"](world, order["id"], carrier="Pony Express")
    PACK.verbs["ship"](world, order["id"])
    with pytest.raises(Conflict, match="only processing online orders"):
        PACK.verbs["ship"](world, order["id"])
    for shipment in world.owned("shp-0001", "shipment"):
        world.remove(shipment["id"])
    with pytest.raises(Conflict, match="no shipment"):
        PACK.verbs["deliver"](world, order["id"])


def test_restock_every_store_one_store_or_a_new_one() -> None:
    world = make_world()
    before = {s["store_id"]: s["quantity"] for s in world.get("prod-0005")["stock"]}
    PACK.verbs["restock"](world, "prod-0005", 3)
    assert {s["store_id"]: s["quantity"] for s in world.get("prod-0005")["stock"]} == {k: v + 3 for k, v in before.items()}
    PACK.verbs["restock"](world, "prod-0005", 2, store_id="store-0001")
    assert stock_at(world, "prod-0005", "store-0001") == before["store-0001"] + 5
    product = world.get("prod-0005")
    product["stock"] = [s for s in product["stock"] if s["store_id"] != "store-0002"]
    PACK.verbs["restock"](world, "prod-0005", 4, store_id="store-0002")
    assert stock_at(world, "prod-0005", "store-0002") == 4
    with pytest.raises(InvalidField, match="not a store"):
        PACK.verbs["restock"](world, "prod-0005", 4, store_id="shp-0001")
    with pytest.raises(InvalidField, match="positive whole number"):
        PACK.verbs["restock"](world, "prod-0005", True)
    assert all(re.fullmatch(r"store-\d{4}", s["store_id"]) for s in world.get("prod-0005")["stock"])
