"""Sentences a bank would print: memos, alerts and market commentary.

Every sentence is built from the record's own fields (merchant, amount,
date, rate) with a template picked by the record's own random stream, so
text is varied yet deterministic.  Templates never put an article before a
variable word, which keeps "a"/"an" correct whatever fills the slot.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache

PURCHASE_MEMOS = (
    "{amount} spent on {label} at {merchant} on {weekday}.",
    "Card purchase at {merchant} ({label}) for {amount}.",
    "{merchant} charged {amount} for {label} on {day}.",
    "Paid {amount} at {merchant}, filed under {label}.",
    "{label_cap} at {merchant}: {amount} on {day}.",
    "Purchase of {amount} at {merchant} for {label}, posted {day}.",
)
BILL_MEMOS = (
    "Monthly {label} bill from {merchant} for {amount}, paid automatically.",
    "Autopay of {amount} to {merchant} for {label}.",
    "{merchant} {label} payment of {amount} for {month}.",
)
RENT_MEMOS = (
    "Rent of {amount} for {month} paid to {merchant}.",
    "Monthly rent payment to {merchant}: {amount}.",
)
PAYROLL_MEMOS = (
    "Payroll deposit of {amount} from {employer} for the period ending {day}.",
    "Direct deposit from {employer}: {amount} net pay.",
    "Salary of {amount} from {employer} credited on {day}.",
)
INTEREST_EARNED_MEMOS = (
    "Interest of {amount} earned at {rate}% APY for {month}.",
    "Monthly interest credit of {amount} at {rate}% APY.",
)
INTEREST_CHARGED_MEMOS = (
    "Interest of {amount} charged at {rate}% for {month}.",
    "Monthly interest charge of {amount} at {rate}% APR.",
)
LOAN_PAYMENT_MEMOS = (
    "Scheduled payment of {amount} received for {month}, thank you.",
    "Payment of {amount} applied to the {label} balance on {day}.",
)
OUTGOING_PAYMENT_MEMOS = (
    "Payment of {amount} to {target} for {month}.",
    "Scheduled transfer of {amount} toward {target} on {day}.",
    "Autopay sent {amount} to {target}.",
)
TRANSFER_OUT_MEMOS = (
    "Transfer of {amount} to an external account ending {last4}.",
    "Online transfer of {amount} sent to the account ending {last4} on {day}.",
)
CARD_PAYMENT_MEMOS = (
    "Payment of {amount} received on {day}, thank you.",
    "Card payment of {amount} credited from checking.",
)
DIVIDEND_MEMOS = (
    "Dividend of {amount} from {merchant} credited on {day}.",
    "Quarterly dividend from {merchant}: {amount} paid in cash.",
)
DEPOSIT_MEMOS = (
    "Deposit of {amount} credited to {label} on {day}.",
    "Mobile check deposit of {amount} into {label}.",
)
COMMENTARY = (
    "{name} ({ticker}) is {move} over {days} trading days, closing at {price}; {quantity} shares are worth {value}.",
    "Over the last {days} trading days {ticker} moved {move} to {price}, valuing the position at {value}.",
    "{ticker} closed at {price}, {move} over {days} trading days; the {quantity}-share position is worth {value}.",
    "Shares of {name} are {move} across {days} trading days at {price}, for a position worth {value}.",
)
ALERT_LOW_BALANCE = "Balance of {balance} on {label} {masked} is below the {threshold} alert threshold."
ALERT_LARGE_PURCHASE = "Large purchase of {amount} at {merchant} on {day} on {label} {masked}."
ALERT_PAYMENT_DUE = "Payment of {amount} on {label} {masked} is due on {day}."
ACCOUNT_LABELS = {"checking": "checking", "savings": "savings", "credit_card": "credit card",
                  "brokerage": "brokerage account", "mortgage": "mortgage", "loan": "loan"}


@lru_cache(maxsize=2048)
def day_text(day: date) -> str:
    """A date as a statement prints it: "April 3"."""
    return f"{day:%B} {day.day}"


@lru_cache(maxsize=2048)
def weekday_text(day: date) -> str:
    return f"{day:%A}"


@lru_cache(maxsize=2048)
def month_text(day: date) -> str:
    return f"{day:%B %Y}"


DATE_SLOTS: dict[str, Callable[[date], str]] = {"day": day_text, "weekday": weekday_text, "month": month_text}
"""Ways a memo may name its date; computed only when the chosen template asks."""


class _Slots(dict[str, object]):
    """A template's slots, with the date forms filled in lazily from ``when``."""

    def __init__(self, when: date, slots: dict[str, object]) -> None:
        super().__init__(slots)
        self.when = when

    def __missing__(self, key: str) -> str:
        return DATE_SLOTS[key](self.when)


def fill(rng: random.Random, templates: tuple[str, ...], when: date = date.min, **slots: object) -> str:
    """One of ``templates`` filled from the record's fields (and its date, ``when``)."""
    return rng.choice(templates).format_map(_Slots(when, slots))


def move_text(percent: Decimal) -> str:
    """"up 4.2%", "down 3.1%" or "flat (0.0%)", as commentary and validators read it."""
    if percent > 0:
        return f"up {percent}%"
    if percent < 0:
        return f"down {-percent}%"
    return "flat (0.0%)"
