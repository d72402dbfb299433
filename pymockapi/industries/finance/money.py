"""Money values for ledgers: exact Decimals in, SPEC's money shape out.

A statement shows the same amounts again and again (a line and its
running balance, a memo), so formatted amounts are memoised here on top of
``common.money``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from pymockapi.industries.common import money as common_money

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal | int | str) -> Decimal:
    """Round to whole cents the way banks do (half to even)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def money(amount: Decimal, currency: str = "USD") -> dict[str, str]:
    """SPEC's money shape (amount, currency, display) for an exact amount (a fresh dict each call)."""
    return dict(_money(amount, currency))


@lru_cache(maxsize=8192)
def _money(amount: Decimal, currency: str) -> dict[str, str]:
    """Memos and ledgers show the same amount twice; format it once."""
    return common_money(cents(amount), currency)


def amount_of(value: object) -> Decimal | None:
    """The exact amount of a money dict, or None when it is not one."""
    if not isinstance(value, dict) or not isinstance(value.get("amount"), str):
        return None
    try:
        number = Decimal(value["amount"])
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def signed(direction: str, amount: Decimal) -> Decimal:
    """Credits add to the customer's position, debits take from it."""
    return amount if direction == "credit" else -amount
