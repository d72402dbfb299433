"""The retail pack's ``generate``: one top-level record and everything it owns."""

from __future__ import annotations

from typing import Any, Mapping

from pymockapi.errors import NotFound
from pymockapi.industries.retail.catalog import product_record
from pymockapi.industries.retail.history import shopper_history
from pymockapi.industries.retail.people import shopper_record, store_record
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
TOP_LEVEL = ("shopper", "store", "product")


def generate(ctx: GenContext, kind: str, index: int, pins: Mapping[str, Any]) -> list[Record]:
    """The ``kind`` record with 1-based ``index`` first, then the records it owns.

    Stores and products own nothing; a shopper owns orders, shipments,
    returns, a cart and reviews.
    """
    if kind == "shopper":
        shopper = shopper_record(ctx, index, pins)
        return [shopper, *shopper_history(ctx, shopper, index)]
    if kind == "store":
        return [store_record(ctx, index, pins)]
    if kind == "product":
        return [product_record(ctx, index, pins)]
    raise NotFound.of("retail record type", kind, TOP_LEVEL)
