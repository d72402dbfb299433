"""The retail generator table: each top-level kind and the function that makes it.

Stores and products own nothing; a shopper owns orders, shipments,
returns, a cart and reviews.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymockapi.industries.base import Generator
from pymockapi.industries.retail.catalog import product_record
from pymockapi.industries.retail.history import shopper_history
from pymockapi.industries.retail.kinds import PRODUCT, SHOPPER, STORE
from pymockapi.industries.retail.people import shopper_record, store_record
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]


def shopper_with_history(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    shopper = shopper_record(gen, index, pins)
    return [shopper, *shopper_history(gen, shopper, index)]


GENERATORS: dict[str, Generator] = {
    SHOPPER.name: shopper_with_history,
    STORE.name: lambda gen, index, pins: [store_record(gen, index, pins)],
    PRODUCT.name: lambda gen, index, pins: [product_record(gen, index, pins)],
}
