"""Finance story verbs change a world only in ways the validators accept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping

import pytest

from pymockapi.errors import InvalidField, NotFound
from pymockapi.industries.finance import PACK
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
ANCHOR = date(2024, 9, 12)
PREFIX = {rt.name: rt.prefix for rt in PACK.record_types}


class DictWorld:
    """The smallest WorldView: records by id, aliases for heroes, ids built like the real world's."""

    def __init__(self, records: list[Record], aliases: Mapping[str, str]) -> None:
        self.anchor = ANCHOR
        self.records = {r["id"]: r for r in records}
        self.aliases = dict(aliases)

    def get(self, ref: str) -> Record:
        ref = self.aliases.get(ref, ref)
        if ref not in self.records:
            raise NotFound.of("record", ref, self.records)
        return self.records[ref]

    def owned(self, owner_id: str, record_type: str) -> list[Record]:
        return [r for r in self.records.values() if r["type"] == record_type and r.get("customer_id") == owner_id]

    def add(self, record_type: str, owner: str, fields: Mapping[str, Any]) -> Record:
        n = len(self.owned(owner, record_type)) + 1
        record = {"id": f"{PREFIX[record_type]}-{owner.split('-')[1]}-{n:02d}", "type": record_type,
                  "customer_id": owner, **fields}
        self.records[record["id"]] = record
        return record

    def update(self, ref: str, fields: Mapping[str, Any]) -> Record:
        self.records[ref].update(fields)
        return self.records[ref]

    def remove(self, ref: str) -> None:
        del self.records[ref]

    def valid(self) -> bool:
        violations = PACK.validate(list(self.records.values()))
        assert violations == []
        return True


def make_world(customers: int = 30) -> DictWorld:
    ctx = GenContext("finance-verbs", 9, 2, ANCHOR, {"customer": customers, "advisor": 3, "institution": 3})
    records: list[Record] = []
    for kind, count in (("customer", customers), ("advisor", 3), ("institution", 3)):
        for index in range(1, count + 1):
            records.extend(PACK.generate(ctx, kind, index, {}))
    return DictWorld(records, {"hero": "cus-0001"})


def first(world: DictWorld, record_type: str, **where: Any) -> Record:
    return next(r for r in world.records.values()
                if r["type"] == record_type and all(r.get(k) == v for k, v in where.items()))


def amount(record: Record, name: str = "balance") -> Decimal:
    return Decimal(record[name]["amount"])


def test_deposit_to_a_customer_credits_checking_and_reconciles() -> None:
    world = make_world()
    checking = first(world, "account", customer_id="cus-0001", kind="checking")
    before = amount(checking)
    line = PACK.verbs["deposit"](world, "hero", "250.00")
    assert line["direction"] == "credit" and line["account_id"] == checking["id"]
    assert amount(world.get(checking["id"])) == before + Decimal("250.00")
    assert line["posted_date"] == ANCHOR.isoformat() and "$250.00" in line["memo"]
    custom = PACK.verbs["deposit"](world, checking["id"], 12, memo="  Birthday gift from Grandma.  ")
    assert custom["memo"] == "Birthday gift from Grandma."
    assert world.valid()


@pytest.mark.parametrize("bad", [-5, 0, "abc", True, "1.234", float("nan"), None])
def test_deposit_refuses_amounts_that_are_not_positive_cents(bad: Any) -> None:
    world = make_world(3)
    with pytest.raises(InvalidField, match="amount") as caught:
        PACK.verbs["deposit"](world, "hero", bad)
    assert caught.value.hint


def test_deposit_into_liabilities_pays_them_down_without_overpaying() -> None:
    world = make_world()
    mortgage = first(world, "account", kind="mortgage")
    owed = -amount(mortgage)
    with pytest.raises(InvalidField, match="overpay"):
        PACK.verbs["deposit"](world, mortgage["id"], owed + 1)
    PACK.verbs["deposit"](world, mortgage["id"], "1000.00")
    card = first(world, "account", kind="credit_card")
    PACK.verbs["deposit"](world, card["id"], -amount(card) + 50)
    card = world.get(card["id"])
    assert amount(card) == 50 and card["payment_due_date"] is None and card["minimum_payment"] is None
    assert all(a["kind"] != "payment_due" for a in card["alerts"])
    PACK.verbs["spend"](world, card["id"], "80.00", mcc="5411")
    card = world.get(card["id"])
    assert card["payment_due_date"] == "2024-10-03" and any(a["kind"] == "payment_due" for a in card["alerts"])
    assert world.valid()


def test_spend_picks_the_card_knows_merchants_and_raises_alerts() -> None:
    world = make_world()
    owner = next(r["customer_id"] for r in world.records.values() if r["type"] == "account"
                 and r["kind"] == "credit_card")
    line = PACK.verbs["spend"](world, owner, "640.00", merchant="Circuit Harbor")
    account = world.get(line["account_id"])
    assert account["kind"] == "credit_card" and line["mcc"] == "5732" and "Circuit Harbor" in line["memo"]
    assert line["card_id"] and any(a.get("transaction_id") == line["id"] for a in account["alerts"])
    misc = PACK.verbs["spend"](world, owner, 20, merchant="Tiny Shop")
    assert misc["mcc"] == "5999"
    chosen = PACK.verbs["spend"](world, owner, "4.50", mcc=5814)
    assert chosen["merchant"] in chosen["memo"] and chosen["category"] == "coffee"
    assert world.valid()


def test_spend_respects_funds_limits_and_account_kinds() -> None:
    world = make_world()
    checking = first(world, "account", kind="checking")
    with pytest.raises(InvalidField, match="Insufficient funds"):
        PACK.verbs["spend"](world, checking["id"], amount(checking) + 1)
    PACK.verbs["spend"](world, checking["id"], amount(checking))
    card = first(world, "account", kind="credit_card")
    with pytest.raises(InvalidField, match="credit limit"):
        PACK.verbs["spend"](world, card["id"], amount(card, "available_credit") + 1)
    with pytest.raises(InvalidField, match="merchant category"):
        PACK.verbs["spend"](world, card["id"], 10, mcc="0000")
    savings = first(world, "account", kind="savings")
    with pytest.raises(InvalidField, match="Cannot spend"):
        PACK.verbs["spend"](world, savings["id"], 10)
    with pytest.raises(InvalidField, match="not an account"):
        PACK.verbs["deposit"](world, first(world, "card")["id"], 10)
    assert world.valid()


def test_verbs_on_a_customer_without_a_suitable_account_explain_themselves() -> None:
    world = make_world(3)
    for record in [r for r in world.records.values() if r["type"] == "account" and r["customer_id"] == "cus-0001"]:
        world.remove(record["id"])
    with pytest.raises(InvalidField, match="has no"):
        PACK.verbs["spend"](world, "hero", 10)


def test_price_move_revalues_the_holding_and_its_account() -> None:
    world = make_world()
    holding = first(world, "holding")
    last = Decimal(holding["price_history"][-1]["close"])
    moved = PACK.verbs["price_move"](world, holding["id"], 12.5)
    assert Decimal(moved["price_history"][-1]["close"]) == (last * Decimal("1.125")).quantize(Decimal("0.01"))
    assert moved["last_price"]["amount"] == moved["price_history"][-1]["close"]
    PACK.verbs["price_move"](world, holding["id"], "-99.999")
    assert Decimal(world.get(holding["id"])["last_price"]["amount"]) >= Decimal("0.01")
    assert world.valid()


@pytest.mark.parametrize(("percent", "match"), [("abc", "number"), (-100, "cannot happen"),
                                                 (5000, "cannot happen"), (float("inf"), "cannot happen")])
def test_price_move_refuses_impossible_moves(percent: Any, match: str) -> None:
    world = make_world(20)
    with pytest.raises(InvalidField, match=match):
        PACK.verbs["price_move"](world, first(world, "holding")["id"], percent)
    with pytest.raises(InvalidField, match="not a holding"):
        PACK.verbs["price_move"](world, "hero", 5)
