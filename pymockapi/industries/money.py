"""Money, one way for every pack and every story: SPEC's ``{amount, currency, display}``.

Why one module: a ledger, an order and a template must print the same
amount the same way, to the cent, or a demo shows two totals that disagree.

The rules, for every currency:

* **amount** is exact decimal text with the currency's minor units as CLDR
  (Babel) knows them: ``"1234.50"`` in USD, ``"1234"`` in JPY, ``"1.234"``
  in KWD;
* **rounding** is half-even (banker's rounding) to those minor units,
  everywhere, for amounts and for computed values (tax, interest,
  discounts): ``0.125 -> 0.12``, ``0.135 -> 0.14``;
* **zero has no sign**: ``-0.001`` is ``"0.00"`` and ``"$0.00"``, never ``"-0.00"``;
* **display** is Babel's ``format_currency`` for the locale (``$1,234.50``,
  ``-$5.00``, ``¥1,234``) of the rounded amount, so display and amount agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision

ROUNDING = ROUND_HALF_EVEN
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_PROBE = Decimal("1234567.891234")


@lru_cache(maxsize=64)
def minor_units(currency: str) -> int:
    """How many decimal places the currency's amounts carry (2 for USD, 0 for JPY)."""
    return int(get_currency_precision(currency))


def round_money(value: Decimal | int | str, currency: str = "USD") -> Decimal:
    """``value`` rounded half-even to the currency's minor units, without a negative zero."""
    places = minor_units(currency)
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)
    return rounded if rounded else abs(rounded)


def cents(value: Decimal | int | str) -> Decimal:
    """``value`` rounded to whole cents (the minor unit of USD, GBP and EUR) by the one rounding rule."""
    return round_money(value, "USD")


@lru_cache(maxsize=256)
def _display_patterns(currency: str, locale: str) -> tuple[str, str, int] | None:
    """Babel's positive and negative display for a currency, with the number cut out.

    Babel costs tens of microseconds a call and a statement carries dozens
    of amounts: ask it once per (currency, locale) and slot amounts in.
    Locales that write numbers differently fall back to Babel every time.
    """
    places = minor_units(currency)
    probe = _PROBE.quantize(Decimal(1).scaleb(-places))
    text = f"{probe:,.{places}f}"
    positive = format_currency(probe, currency, locale=locale)
    negative = format_currency(-probe, currency, locale=locale)
    if text not in positive or text not in negative:
        return None
    return positive.replace(text, "{}"), negative.replace(text, "{}"), places


@lru_cache(maxsize=8192)
def _money(value: Decimal, currency: str, locale: str) -> tuple[str, str]:
    """Amount text and display of an exact value (statements show the same amounts again and again)."""
    rounded = round_money(value, currency)
    patterns = _display_patterns(currency, locale)
    if patterns is None:
        display = format_currency(rounded, currency, locale=locale)
    else:
        positive, negative, places = patterns
        display = (negative if rounded < 0 else positive).format(f"{abs(rounded):,.{places}f}")
    return f"{rounded:f}", display


def money(amount: Decimal | float | int | str, currency: str = "USD", locale: str = "en_US") -> dict[str, str]:
    """SPEC's money shape for ``amount`` (a fresh dict each call): see the module for the rules."""
    amount_text, display = _money(Decimal(str(amount)), currency, locale)
    return {"amount": amount_text, "currency": currency, "display": display}


def amount_of(value: object) -> Decimal | None:
    """The exact amount of a money dict, or None when it is not one."""
    if not isinstance(value, dict) or not isinstance(value.get("amount"), str):
        return None
    try:
        number = Decimal(value["amount"])
    except (ArithmeticError, InvalidOperation):
        return None
    return number if number.is_finite() else None


def exact(value: object) -> Decimal:
    """The exact amount of a money dict; ``ValueError`` when it is not one."""
    number = amount_of(value)
    if number is None:
        raise ValueError(f"not a money value: {value!r:.60}")
    return number
