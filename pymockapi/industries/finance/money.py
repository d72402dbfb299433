"""Money values for ledgers: exact Decimals in, SPEC's money shape out.

A statement has dozens of amounts and ``common.money`` asks Babel to format
each one (about 24 µs).  Babel is asked once per currency for its en_US
pattern instead, and the amount is slotted into it; the result equals
``common.money`` for every two-decimal currency (the tests check this) and
falls back to it for any other.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel.numbers import format_currency

from pymockapi.industries.common import money as common_money

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_PROBE = Decimal("1234567.89")
_PROBE_TEXT = "1,234,567.89"


def cents(value: Decimal | int | str) -> Decimal:
    """Round to whole cents the way banks do (half to even)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=64)
def _patterns(currency: str) -> tuple[str, str] | None:
    """Babel's positive and negative display for ``currency``, with the number cut out."""
    positive = format_currency(_PROBE, currency, locale="en_US")
    negative = format_currency(-_PROBE, currency, locale="en_US")
    if _PROBE_TEXT not in positive or _PROBE_TEXT not in negative:
        return None
    return positive.replace(_PROBE_TEXT, "{}"), negative.replace(_PROBE_TEXT, "{}")


def money(amount: Decimal, currency: str = "USD") -> dict[str, str]:
    """SPEC's money shape (amount, currency, display) for an exact amount (a fresh dict each call)."""
    return dict(_money(amount, currency))


@lru_cache(maxsize=8192)
def _money(amount: Decimal, currency: str) -> dict[str, str]:
    """Memos and ledgers show the same amount twice; format it once."""
    value = cents(amount)
    patterns = _patterns(currency)
    if patterns is None:
        return common_money(value, currency)
    pattern = patterns[1] if value < 0 else patterns[0]
    return {"amount": f"{value:.2f}", "currency": currency, "display": pattern.format(f"{abs(value):,.2f}")}


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
