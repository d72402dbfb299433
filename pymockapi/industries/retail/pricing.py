"""Order arithmetic: lines, promotions, sales tax, shipping, refunds.

Generators, verbs and rules all price an order through these few
functions, so an order placed by a story action reconciles by the same
rules as a generated one.  Everything is :class:`~decimal.Decimal`, rounded
to cents by the one money rule (half-even, :mod:`pymockapi.industries.money`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pymockapi.industries.money import ZERO, cents, money
from pymockapi.industries.retail.data import MONEY_CURRENCY, PROMOTIONS, SHIPPING_METHODS, STATE_TAX_RATES


def usd(value: Decimal) -> dict[str, str]:
    """SPEC's money shape in the pack's one currency."""
    return money(value, MONEY_CURRENCY)


def discount_for(merchandise: Decimal, promo_code: str | None) -> Decimal:
    """What a promotion code takes off the merchandise subtotal."""
    if promo_code is None:
        return ZERO
    return cents(merchandise * PROMOTIONS[promo_code] / 100)


def shipping_for(method: str, taxable: Decimal) -> Decimal:
    """The shipping fee of ``method`` for an order worth ``taxable`` after discount."""
    fee, free_from = SHIPPING_METHODS[method]
    if free_from is not None and taxable >= free_from:
        return ZERO
    return fee


def tax_for(taxable: Decimal, state: str) -> Decimal:
    """Sales tax on ``taxable`` at ``state``'s rate."""
    return cents(taxable * STATE_TAX_RATES[state])


@dataclass(frozen=True)
class Totals:
    """The money fields of an order, all reconciled."""

    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.tax + self.shipping

    def fields(self, state: str) -> dict[str, Any]:
        return {"subtotal": usd(self.subtotal), "discount": usd(self.discount),
                "tax_rate": str(STATE_TAX_RATES[state]), "tax": usd(self.tax),
                "shipping": usd(self.shipping), "total": usd(self.total)}


def order_totals(lines: Iterable[tuple[int, Decimal]], promo_code: str | None, state: str,
                 method: str) -> Totals:
    """Price an order from its (quantity, unit price) lines."""
    subtotal = sum((cents(qty * price) for qty, price in lines), ZERO)
    discount = discount_for(subtotal, promo_code)
    taxable = subtotal - discount
    return Totals(subtotal, discount, tax_for(taxable, state), shipping_for(method, taxable))


def order_line(number: int, product_id: str, name: str, quantity: int, unit_price: Decimal) -> dict[str, Any]:
    """One priced order line."""
    return {"line": number, "product_id": product_id, "name": name, "quantity": quantity,
            "unit_price": usd(unit_price), "line_total": usd(cents(quantity * unit_price))}


def refund_for(merchandise: Decimal, promo_code: str | None, state: str) -> Decimal:
    """What returning ``merchandise`` of an order gives back: net of its discount, plus its tax.

    Shipping is not refunded, so a refund never exceeds the order total.
    """
    net = merchandise - discount_for(merchandise, promo_code)
    return net + tax_for(net, state)
