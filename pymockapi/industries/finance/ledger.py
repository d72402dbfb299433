"""The ledger arithmetic every account obeys, shared by generators and verbs.

An account's balance is the customer's position (liabilities are
negative): ``balance = opening_balance + sum(signed amounts)`` exactly, and
each transaction's ``running_balance`` is the position right after it, in
``sequence`` order.  Alerts are a function of the account and its
transactions, so they are recomputed whenever either changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pymockapi.industries.finance.data import (
    DEPOSIT_KINDS,
    LARGE_PURCHASE_THRESHOLD,
    LIABILITY_KINDS,
)
from pymockapi.industries.finance.text import (
    ACCOUNT_LABELS,
    ALERT_LARGE_PURCHASE,
    ALERT_LOW_BALANCE,
    ALERT_PAYMENT_DUE,
    day_text,
)
from pymockapi.industries.money import amount_of, money

Record = dict[str, Any]


@dataclass
class Entry:
    """A transaction before it has an id, a sequence and a running balance."""

    posted: date
    direction: str
    amount: Decimal
    fields: dict[str, Any] = field(default_factory=dict)
    order: int = 0


def post(entries: Iterable[Entry], opening: Decimal, currency: str) -> tuple[list[Record], Decimal]:
    """Transactions in posting order with running balances, and the closing balance."""
    balance = opening
    posted: list[Record] = []
    for sequence, entry in enumerate(sorted(entries, key=lambda e: (e.posted, e.order)), start=1):
        balance += signed(entry.direction, entry.amount)
        posted.append({
            "sequence": sequence,
            "posted_date": entry.posted.isoformat(),
            "direction": entry.direction,
            "amount": money(entry.amount, currency),
            **entry.fields,
            "running_balance": money(balance, currency),
        })
    return posted, balance


def signed(direction: str, amount: Decimal) -> Decimal:
    """Credits add to the customer's position, debits take from it."""
    return amount if direction == "credit" else -amount


def sum_signed(entries: Iterable[Entry]) -> Decimal:
    """The net change ``entries`` make to a position."""
    return sum((signed(e.direction, e.amount) for e in entries), Decimal("0.00"))


def lowest_balance(entries: Iterable[Entry]) -> Decimal:
    """The lowest running total of ``entries`` starting from zero (at most zero)."""
    balance = lowest = Decimal(0)
    for entry in sorted(entries, key=lambda e: (e.posted, e.order)):
        balance += signed(entry.direction, entry.amount)
        lowest = min(lowest, balance)
    return lowest


def alerts_for(account: Record, transactions: Iterable[Record]) -> list[Record]:
    """The alerts a customer would see on this account right now."""
    kind = account["kind"]
    label = ACCOUNT_LABELS[kind]
    masked = account["masked_number"]
    alerts: list[Record] = []
    balance = amount_of(account["balance"])
    threshold = amount_of(account.get("low_balance_threshold"))
    if kind in DEPOSIT_KINDS and balance is not None and threshold is not None and balance < threshold:
        alerts.append({"kind": "low_balance", "severity": "warning", "message": ALERT_LOW_BALANCE.format(
            balance=account["balance"]["display"], label=label, masked=masked,
            threshold=account["low_balance_threshold"]["display"])})
    for txn in transactions:
        amount = amount_of(txn["amount"])
        if (txn["direction"] == "debit" and txn.get("channel") == "card" and amount is not None
                and amount >= LARGE_PURCHASE_THRESHOLD):
            alerts.append({"kind": "large_purchase", "severity": "info", "transaction_id": txn["id"],
                           "message": ALERT_LARGE_PURCHASE.format(
                               amount=txn["amount"]["display"], merchant=txn["merchant"],
                               day=day_text(date.fromisoformat(txn["posted_date"])), label=label,
                               masked=masked)})
    if kind in LIABILITY_KINDS and account.get("payment_due_date") and balance is not None and balance < 0:
        alerts.append({"kind": "payment_due", "severity": "notice", "message": ALERT_PAYMENT_DUE.format(
            amount=account["minimum_payment"]["display"], label=label, masked=masked,
            day=day_text(date.fromisoformat(account["payment_due_date"])))})
    return alerts


def monthly_payment(principal: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The level payment that amortises ``principal`` over ``months``."""
    rate = annual_rate / 1200
    return principal * rate / (1 - (1 + rate) ** -months)


def outstanding_after(principal: Decimal, annual_rate: Decimal, payment: Decimal, paid: int) -> Decimal:
    """What is still owed after ``paid`` level payments."""
    rate = annual_rate / 1200
    growth = (1 + rate) ** paid
    return principal * growth - payment * (growth - 1) / rate

