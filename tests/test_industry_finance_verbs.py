"""Finance story verbs change a real world only in ways the validators accept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pymockapi.errors import InvalidField
from pymockapi.industries.finance import PACK
from pymockapi.world.actions import StoryWorld
from pymockapi.world.world import World

Record = dict[str, Any]
ANCHOR = date(2024, 9, 12)


def make_world(customers: int = 30) -> World:
    return World("finance-verbs", 9, 2, ANCHOR, PACK, {"customer": customers, "advisor": 3, "institution": 3},
                 {"hero": ("customer", {})})


def run(world: World, verb: str, ref: str, *args: Any, **kwargs: Any) -> Any:
    """Run a verb the way the server does: through StoryWorld, all of its changes or none."""
    with world.batch():
        return getattr(StoryWorld(world, lambda text, kind, duration_ms: None), verb)(ref, *args, **kwargs)


def valid(world: World) -> bool:
    assert PACK.validate([r for rt in PACK.record_types for r in world.records(rt.name)]) == []
    return True


def first(world: World, record_type: str, **where: Any) -> Record:
    return next(r for r in world.records(record_type) if all(r.get(k) == v for k, v in where.items()))


def amount(record: Record, name: str = "balance") -> Decimal:
    return Decimal(record[name]["amount"])


def test_deposit_to_a_customer_credits_checking_and_reconciles() -> None:
    world = make_world()
    checking = first(world, "account", customer_id="cus-0001", kind="checking")
    before = amount(checking)
    line = run(world, "deposit", "hero", "250.00")
    assert line["direction"] == "credit" and line["account_id"] == checking["id"]
    assert amount(world.get(checking["id"])) == before + Decimal("250.00")
    assert line["posted_date"] == ANCHOR.isoformat() and "$250.00" in line["memo"]
    assert world.get(line["id"]) == line
    custom = run(world, "deposit", checking["id"], 12, memo="  Birthday gift from Grandma.  ")
    assert custom["memo"] == "Birthday gift from Grandma."
    assert amount(world.get(checking["id"])) == before + Decimal("262.00")
    assert valid(world)


@pytest.mark.parametrize("bad", [-5, 0, "abc", True, "1.234", float("nan"), None])
def test_deposit_refuses_amounts_that_are_not_positive_cents(bad: Any) -> None:
    world = make_world(3)
    version = world.version
    with pytest.raises(InvalidField, match="amount") as caught:
        run(world, "deposit", "hero", bad)
    assert caught.value.hint
    assert world.version == version


def test_deposit_into_liabilities_pays_them_down_without_overpaying() -> None:
    world = make_world()
    mortgage = first(world, "account", kind="mortgage")
    owed = -amount(mortgage)
    with pytest.raises(InvalidField, match="overpay"):
        run(world, "deposit", mortgage["id"], owed + 1)
    run(world, "deposit", mortgage["id"], "1000.00")
    assert -amount(world.get(mortgage["id"])) == owed - 1000
    card = first(world, "account", kind="credit_card")
    run(world, "deposit", card["id"], -amount(card) + 50)
    card = world.get(card["id"])
    assert amount(card) == 50 and card["payment_due_date"] is None and card["minimum_payment"] is None
    assert all(a["kind"] != "payment_due" for a in card["alerts"])
    run(world, "spend", card["id"], "80.00", mcc="5411")
    card = world.get(card["id"])
    assert card["payment_due_date"] == "2024-10-03" and any(a["kind"] == "payment_due" for a in card["alerts"])
    assert valid(world)


def test_spend_picks_the_card_knows_merchants_and_raises_alerts() -> None:
    world = make_world()
    owner = first(world, "account", kind="credit_card")["customer_id"]
    line = run(world, "spend", owner, "640.00", merchant="Circuit Harbor")
    account = world.get(line["account_id"])
    assert account["kind"] == "credit_card" and line["mcc"] == "5732" and "Circuit Harbor" in line["memo"]
    assert line["card_id"] and any(a.get("transaction_id") == line["id"] for a in account["alerts"])
    misc = run(world, "spend", owner, 20, merchant="Tiny Shop")
    assert misc["mcc"] == "5999"
    chosen = run(world, "spend", owner, "4.50", mcc=5814)
    assert chosen["merchant"] in chosen["memo"] and chosen["category"] == "coffee"
    assert valid(world)


def test_spend_respects_funds_limits_and_account_kinds() -> None:
    world = make_world()
    checking = first(world, "account", kind="checking")
    with pytest.raises(InvalidField, match="Insufficient funds"):
        run(world, "spend", checking["id"], amount(checking) + 1)
    run(world, "spend", checking["id"], amount(checking))
    assert amount(world.get(checking["id"])) == 0
    card = first(world, "account", kind="credit_card")
    with pytest.raises(InvalidField, match="credit limit"):
        run(world, "spend", card["id"], amount(card, "available_credit") + 1)
    with pytest.raises(InvalidField, match="merchant category"):
        run(world, "spend", card["id"], 10, mcc="0000")
    savings = first(world, "account", kind="savings")
    with pytest.raises(InvalidField, match="Cannot spend"):
        run(world, "spend", savings["id"], 10)
    with pytest.raises(InvalidField, match="not an account"):
        run(world, "deposit", first(world, "card")["id"], 10)
    assert world.get(card["id"]) == card
    assert valid(world)


def test_verbs_on_a_customer_without_a_suitable_account_explain_themselves() -> None:
    world = make_world(3)
    with world.batch():  # everything the customer owns goes at once, accounts last
        for kind in ("transaction", "card", "holding", "account"):
            for record in world.owned("hero", kind):
                world.remove(record["id"])
    assert world.owned("hero", "account") == []
    with pytest.raises(InvalidField, match="has no"):
        run(world, "spend", "hero", 10)


def test_price_move_revalues_the_holding_and_its_account() -> None:
    world = make_world()
    holding = first(world, "holding")
    last = Decimal(holding["price_history"][-1]["close"])
    moved = run(world, "price_move", holding["id"], 12.5)
    assert Decimal(moved["price_history"][-1]["close"]) == (last * Decimal("1.125")).quantize(Decimal("0.01"))
    assert moved["last_price"]["amount"] == moved["price_history"][-1]["close"]
    assert world.get(holding["id"]) == moved
    positions = [h for h in world.owned(holding["customer_id"], "holding") if h["account_id"] == holding["account_id"]]
    assert amount(world.get(holding["account_id"]), "holdings_value") == sum(
        (amount(h, "market_value") for h in positions), Decimal(0))
    run(world, "price_move", holding["id"], "-99.999")
    assert Decimal(world.get(holding["id"])["last_price"]["amount"]) >= Decimal("0.01")
    assert valid(world)


@pytest.mark.parametrize(("percent", "match"), [("abc", "number"), (-100, "cannot happen"),
                                                 (5000, "cannot happen"), (float("inf"), "cannot happen")])
def test_price_move_refuses_impossible_moves(percent: Any, match: str) -> None:
    world = make_world(20)
    with pytest.raises(InvalidField, match=match):
        run(world, "price_move", first(world, "holding")["id"], percent)
    with pytest.raises(InvalidField, match="not a holding"):
        run(world, "price_move", "hero", 5)
