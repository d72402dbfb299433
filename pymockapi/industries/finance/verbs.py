"""Story actions in a banker's words: deposit, spend, price_move.

A verb builds the new records with the pack's knowledge (memos, MCCs,
alerts, holding arithmetic) and changes the world only through
``WorldView.add``/``update``, keeping every invariant the validators check:
the new transaction's running balance follows the last one, the account's
balance moves by exactly the amount, alerts are recomputed.  Anything that
would break an invariant is refused with :class:`InvalidField` and a hint.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pymockapi.errors import InvalidField
from pymockapi.industries.base import WorldView
from pymockapi.industries.finance import text
from pymockapi.industries.finance.accounts import minimum_card_payment, price_holding
from pymockapi.industries.finance.data import (
    ACCOUNT_KINDS,
    AMORTISING_KINDS,
    CATEGORIES,
    CATEGORY_BY_KEY,
    CATEGORY_BY_MCC,
    SPENDING_KINDS,
)
from pymockapi.industries.finance.ledger import alerts_for
from pymockapi.industries.money import CENT, amount_of, cents, money
from pymockapi.industries.seeding import derive_seed

Record = dict[str, Any]
CARD_PAYMENT_DAYS = 21
"""A card that starts owing gets its first payment due this many days later."""
MAX_PRICE_MOVE = Decimal(1000)


def _amount(value: Any, name: str = "amount") -> Decimal:
    """A positive amount with at most two decimals, from a number or numeric string."""
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidField(f"{name} must be a number, not {value!r}.", f"Pass {name} like 125.50.",
                           field=name) from None
    if not number.is_finite() or number <= 0:
        raise InvalidField(f"{name} must be a positive amount, not {value!r}.",
                           "Money moves in one direction per call: deposit adds, spend takes away.", field=name)
    if number != number.quantize(CENT):
        raise InvalidField(f"{name} has more than two decimal places: {value!r}.",
                           "Round the amount to cents, e.g. 19.99.", field=name)
    return number


def _account(world: WorldView, ref: str, kinds: tuple[str, ...], verb: str) -> Record:
    """The account ``ref`` names, or the customer's first account of ``kinds``."""
    record = world.get(ref)
    if record.get("type") == "customer":
        accounts = world.owned(record["id"], "account")
        for kind in kinds:
            for account in accounts:
                if account["kind"] == kind:
                    return account
        raise InvalidField(f"{record['display_name']} has no {' or '.join(kinds)} account to {verb}.",
                           "Name an account id instead of the customer.", field="ref")
    if record.get("type") != "account":
        raise InvalidField(f"{ref} is a {record.get('type')}, not an account or a customer.",
                           f"{verb} takes an account id (acct-...) or a customer id or alias.", field="ref")
    if record["kind"] not in kinds:
        raise InvalidField(f"Cannot {verb} on a {text.ACCOUNT_LABELS[record['kind']]} account ({ref}).",
                           f"Use one of: {', '.join(text.ACCOUNT_LABELS[k] for k in kinds)}.", field="ref")
    return record


def _lines(world: WorldView, account: Record) -> list[Record]:
    return sorted((t for t in world.owned(account["customer_id"], "transaction") if t["account_id"] == account["id"]),
                  key=lambda t: t["sequence"])


def _post(world: WorldView, account: Record, direction: str, value: Decimal, fields: Record) -> Record:
    """Add one transaction at the anchor date and move the account's balance with it."""
    lines = _lines(world, account)
    balance = amount_of(account["balance"]) or Decimal(0)
    balance += value if direction == "credit" else -value
    currency = account["currency"]
    line = world.add("transaction", account["customer_id"], {
        "account_id": account["id"], "sequence": len(lines) + 1, "posted_date": world.anchor.isoformat(),
        "direction": direction, "amount": money(value, currency), **fields,
        "running_balance": money(balance, currency)})
    changes: Record = {"balance": money(balance, currency)}
    if account["kind"] == "credit_card":
        changes["available_credit"] = money(Decimal(account["credit_limit"]["amount"]) + balance, currency)
        owing = balance < 0
        changes["minimum_payment"] = money(minimum_card_payment(-balance), currency) if owing else None
        changes["payment_due_date"] = (account.get("payment_due_date") or (
            world.anchor + timedelta(days=CARD_PAYMENT_DAYS)).isoformat()) if owing else None
    updated = {**account, **changes}
    changes["alerts"] = alerts_for(updated, [*lines, line])
    world.update(account["id"], changes)
    return line


def _fields(channel: str, category: str, memo: str, merchant: str | None = None, mcc: Any = None,
            card_id: str | None = None, description: str = "") -> Record:
    code = CATEGORY_BY_MCC.get(mcc) if mcc else None
    return {"channel": channel, "category": category, "merchant": merchant, "mcc": code.mcc if code else None,
            "mcc_description": code.mcc_description if code else None, "card_id": card_id,
            "description": (description or merchant or category).upper(), "memo": memo}


def deposit(world: WorldView, ref: str, amount: Any, memo: str | None = None) -> Record:
    """Credit an account (a customer's checking account when a customer is named)."""
    account = _account(world, ref, ACCOUNT_KINDS, "deposit")
    value = _amount(amount)
    balance = amount_of(account["balance"]) or Decimal(0)
    if account["kind"] in AMORTISING_KINDS and balance + value > 0:
        raise InvalidField(f"A deposit of {value} would overpay {ref}, which owes {-balance}.",
                           f"Deposit at most {-balance} into this {account['kind']}.", field="amount")
    rng = random.Random(derive_seed("deposit", account["id"], value))
    shown = money(value, account["currency"])["display"]
    sentence = memo.strip() if isinstance(memo, str) and memo.strip() else text.fill(
        rng, text.DEPOSIT_MEMOS, amount=shown, label=text.ACCOUNT_LABELS[account["kind"]], when=world.anchor)
    return _post(world, account, "credit", value, _fields("deposit", "deposit", sentence, description="deposit"))


def _category(merchant: str | None, mcc: Any) -> Any:
    """The spending category an MCC (or a known merchant's name) puts a purchase in."""
    if mcc is not None:
        found = CATEGORY_BY_MCC.get(str(mcc))
        if found is None:
            raise InvalidField(f"Unknown merchant category code {mcc!r}.",
                               f"Use one of the shipped MCCs, e.g. {', '.join(c.mcc for c in CATEGORIES[:6])}.",
                               field="mcc")
        return found
    return next((c for c in CATEGORIES if merchant in c.merchants), CATEGORY_BY_KEY["misc"])


def spend(world: WorldView, ref: str, amount: Any, merchant: str | None = None, mcc: Any = None) -> Record:
    """A card purchase (on the customer's credit card, else checking) that respects funds and limits."""
    account = _account(world, ref, SPENDING_KINDS, "spend")
    value = _amount(amount)
    category = _category(merchant, mcc)
    balance = (amount_of(account["balance"]) or Decimal(0)) - value
    if account["kind"] == "checking" and balance < 0:
        raise InvalidField(f"Insufficient funds: {account['id']} has {account['balance']['display']}.",
                           "Deposit first or spend a smaller amount.", field="amount")
    if account["kind"] == "credit_card" and balance < -Decimal(account["credit_limit"]["amount"]):
        raise InvalidField(f"This purchase would take {account['id']} over its credit limit.",
                           f"Spend at most {account['available_credit']['display']}.", field="amount")
    rng = random.Random(derive_seed("spend", account["id"], value, merchant, category.mcc))
    name = merchant.strip() if isinstance(merchant, str) and merchant.strip() else rng.choice(category.merchants)
    card = next((c["id"] for c in world.owned(account["customer_id"], "card") if c["account_id"] == account["id"]),
                None)
    sentence = text.fill(rng, text.PURCHASE_MEMOS, amount=money(value, account["currency"])["display"],
                         label=category.label, label_cap=category.label.capitalize(), merchant=name,
                         when=world.anchor)
    return _post(world, account, "debit", value, _fields("card", category.label, sentence, name, category.mcc, card))


def price_move(world: WorldView, ref: str, percent: Any) -> Record:
    """Move a holding's latest close by ``percent`` and revalue it and its account."""
    holding = world.get(ref)
    if holding.get("type") != "holding":
        raise InvalidField(f"{ref} is a {holding.get('type')}, not a holding.",
                           "price_move takes a holding id (hold-...).", field="ref")
    try:
        move = Decimal(str(percent))
    except InvalidOperation:
        raise InvalidField(f"percent must be a number, not {percent!r}.", "Pass percent like 4.5 or -3.",
                           field="percent") from None
    if not move.is_finite() or not -100 < move <= MAX_PRICE_MOVE:
        raise InvalidField(f"A move of {percent}% cannot happen to a share price.",
                           f"Use a percent above -100 and at most {MAX_PRICE_MOVE}.", field="percent")
    history = [(p["date"], Decimal(p["close"])) for p in holding["price_history"]]
    closing = max(CENT, cents(history[-1][1] * (1 + move / 100)))
    history[-1] = (history[-1][0], closing)
    rng = random.Random(derive_seed("price_move", holding["id"], closing))
    fields = price_holding(holding["ticker"], holding["quantity"], Decimal(holding["average_cost"]["amount"]),
                           tuple(history), rng)
    updated = world.update(holding["id"], fields)
    positions = [h for h in world.owned(holding["customer_id"], "holding") if h["account_id"] == holding["account_id"]]
    total = sum((Decimal(h["market_value"]["amount"]) for h in positions), Decimal(0))
    world.update(holding["account_id"], {"holdings_value": money(total)})
    return updated


VERBS: dict[str, Callable[..., Record]] = {"deposit": deposit, "spend": spend, "price_move": price_move}
