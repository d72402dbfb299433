"""A session's world on its own: lazy generation, the one change path, all-or-nothing batches."""

from __future__ import annotations

from datetime import date

import pytest

from pymockapi.errors import Conflict, InvalidField, NotFound
from pymockapi.industries import shipped_industries
from pymockapi.world.changes import Change, ChangeKind
from pymockapi.world.world import World, changed_records


def retail() -> World:
    pack = shipped_industries(plugins=False).get("retail")
    return World("w", 1, 0, date(2026, 3, 12), pack, {"shopper": 5, "store": 2, "product": 8},
                 {"jordan": ("shopper", {"first_name": "Jordan", "last_name": "Lee"})})


def test_generation_is_lazy_and_kept() -> None:
    world = retail()
    first = world.get("jordan")
    assert first["id"] == "shp-0001" and first["first_name"] == "Jordan"
    assert world.get("shp-0001") is first
    assert world.find("shp-0099") is None and world.find("zzz-0001") is None and world.find("ord-0001-99") is None
    assert [p["type"] for p in world.personas("store")] == ["store", "store"]
    with pytest.raises(NotFound, match="No persona type 'dragon'"):
        world.personas("dragon")
    with pytest.raises(NotFound, match="No record named 'nothing'"):
        world.get("nothing")
    with pytest.raises(NotFound, match="No product named 'prod-0099'") as info:
        world.get("prod-0099")
    assert info.value.code == "product_not_found"


def test_owned_records_change_delete_and_come_back_on_rollback() -> None:
    world = retail()
    cart = world.owned("shp-0001", "cart")[0]
    seen: list[list[dict[str, object]]] = []
    world.listener = seen.append
    world.remove(cart["id"])
    assert world.find(cart["id"]) is None and seen[-1] == [{"id": cart["id"], "type": "cart", "deleted": True}]
    with pytest.raises(InvalidField, match="set by the server"):
        world.update("shp-0001", {"id": "shp-9"})
    with pytest.raises(InvalidField, match="cannot be changed"):
        world.update(world.owned("shp-0001", "order")[0]["id"], {"shopper_id": "shp-0002"})
    with pytest.raises(InvalidField, match="Unknown record type"):
        world.apply(Change(ChangeKind.CREATE, "spaceship"))
    with pytest.raises(InvalidField, match="is a shopper, not a store"):
        world.apply(Change(ChangeKind.UPDATE, "store", ref="shp-0001", fields={"name": "x"}))
    with pytest.raises(Conflict, match="still owns records"):
        world.remove("shp-0002")
    version = world.version
    orders, points = len(world.owned("shp-0003", "order")), world.get("shp-0003")["points"]
    with pytest.raises(RuntimeError), world.batch():
        world.remove(world.owned("shp-0003", "order")[0]["id"])
        world.update("shp-0003", {"points": 1})
        raise RuntimeError("verb failed half way")
    assert world.version > version  # changes were made, then undone
    assert len(world.owned("shp-0003", "order")) == orders
    assert world.get("shp-0003")["points"] == points


def test_creates_need_a_known_owner_and_get_stable_ids() -> None:
    world = retail()
    with pytest.raises(InvalidField, match="needs 'shopper_id'"):
        world.add("review", None, {})
    with pytest.raises(InvalidField, match="is not a known shopper"):
        world.add("review", "store-0001", {})
    review = world.owned("shp-0004", "review")
    fields = {k: v for k, v in (review[0] if review else world.records("review")[0]).items()
              if k not in ("id", "type", "shopper_id")}
    owner = "shp-0004" if review else world.records("review")[0]["shopper_id"]
    taken = [r["id"] for r in world.owned(owner, "review")]
    created = world.add("review", owner, fields)
    assert created["id"] not in taken and created["id"].startswith(f"rev-{owner[-4:]}-")
    world.remove(created["id"])
    again = world.add("review", owner, fields)
    assert again["id"] != created["id"]  # a deleted id is never reused


def test_top_level_create_is_refused_when_incomplete_and_world_unchanged() -> None:
    world = retail()
    before = world.snapshot()
    with pytest.raises(InvalidField) as info:
        world.apply(Change(ChangeKind.CREATE, "store", fields={"name": "Pop-up"}))
    assert info.value.details["violations"]
    assert world.snapshot() == before


def test_changed_records_between_worlds() -> None:
    old, new = retail(), retail()
    restored = old.owned("shp-0001", "cart")[0]["id"]
    old.remove(restored)
    gone = new.owned("shp-0002", "cart")[0]["id"]
    new.remove(gone)
    diff = {r["id"]: r for r in changed_records(old, new)}
    assert diff[gone] == {"id": gone, "type": "cart", "deleted": True}
    assert diff[restored] == new.get(restored)


def test_a_product_edit_is_checked_against_exactly_the_records_that_copy_it() -> None:
    from pymockapi.world.references import mentions

    world = retail()
    kinds = ("cart", "review", "order")
    product = world.records("cart")[0]["lines"][0]["product_id"]
    copies = [r for kind in kinds for r in world.records(kind) if mentions(r, product)]
    with pytest.raises(InvalidField) as refused:
        world.update(product, {"name": "Renamed Jacket"})
    blamed = {v["record_id"] for v in refused.value.details["violations"]}
    assert blamed and blamed <= {r["id"] for r in copies}
    doomed = {r["id"] for r in copies}
    doomed |= {r["id"] for kind in ("shipment", "return", "review") for r in world.records(kind)
               if any(mentions(r, rid) for rid in doomed)}
    with world.batch():  # once nothing copies the product any more...
        for rid in sorted(doomed):
            world.remove(rid)
    assert world.update(product, {"name": "Renamed Jacket"})["name"] == "Renamed Jacket"  # ...it may change


def test_mentions_are_record_ids_anywhere_but_the_record_itself() -> None:
    from pymockapi.world.references import ReferenceIndex, mentioned_ids

    record = {"id": "ord-0001-01", "type": "order", "shopper_id": "shp-0001",
              "lines": [{"product_id": "prod-0002", "sku": "NW-1"}], "note": "prod", "ref": ["store-0003", 4]}
    assert mentioned_ids(record) == {"shp-0001", "prod-0002", "store-0003"}
    assert mentioned_ids({"id": "shp-0001-01", "order_id": "ord-0001-02"}) == {"ord-0001-02"}
    assert mentioned_ids({"id": "prod-0002", "type": "product", "name": "x"}) == frozenset()
    index = ReferenceIndex()
    index.add(record)
    index.add({"id": "crt-0001-01", "shopper_id": "shp-0001"})
    assert index.candidates("shp-0001") == ["crt-0001-01", "ord-0001-01"] and index.candidates("x") == []


def test_a_delete_that_would_leave_records_pointing_at_nothing_is_refused_whole() -> None:
    from pymockapi.world.references import mentions

    world = retail()
    order = next(o for o in world.records("order")
                 if any(s["order_id"] == o["id"] for s in world.owned(o["shopper_id"], "shipment")))
    pointing = sorted(r["id"] for kind in ("shipment", "return", "review") for r in world.records(kind)
                      if mentions(r, order["id"]))
    version = world.version
    with pytest.raises(Conflict, match=f"{order['id']} is still referenced by {pointing[0]}") as refused:
        world.remove(order["id"])
    assert refused.value.details["referenced_by"] == pointing and refused.value.hint
    assert world.find(order["id"]) == order and world.version > version  # tried, then rolled back
    with world.batch():  # the order first, what points at it after: fine within one batch
        world.remove(order["id"])
        for rid in pointing:
            world.remove(rid)
    assert world.find(order["id"]) is None
