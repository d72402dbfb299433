"""``generate(ctx, kind, index, pins)``: one persona and everything it owns.

Dispatch is data (a dict of builders by record type) so the pack's shape
is visible at a glance; each builder is pure in its arguments.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from pymockapi.errors import NotFound
from pymockapi.industries.finance.accounts import ACCOUNT, CARD, HOLDING, TRANSACTION, book_records
from pymockapi.industries.finance.people import ADVISOR, CUSTOMER, INSTITUTION, advisor, customer, institution
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
RECORD_TYPES = (CUSTOMER, ADVISOR, INSTITUTION, ACCOUNT, CARD, TRANSACTION, HOLDING)


def _customer_with_book(ctx: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    record = customer(ctx, index, pins)
    return [record, *book_records(ctx, index, record)]


BUILDERS: dict[str, Callable[[GenContext, int, Mapping[str, Any]], list[Record]]] = {
    CUSTOMER.name: _customer_with_book,
    ADVISOR.name: lambda ctx, index, pins: [advisor(ctx, index, pins)],
    INSTITUTION.name: lambda ctx, index, pins: [institution(ctx, index, pins)],
}


def generate(ctx: GenContext, kind: str, index: int, pins: Mapping[str, Any]) -> list[Record]:
    """The persona of ``kind`` with 1-based ``index`` first, then every record it owns."""
    try:
        builder = BUILDERS[kind]
    except KeyError:
        raise NotFound.of("finance persona type", kind, BUILDERS) from None
    return builder(ctx, index, pins)
