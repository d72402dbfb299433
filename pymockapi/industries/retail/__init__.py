"""Retail: shoppers, stores and a product catalogue, with orders, shipments, returns and reviews.

The pack is knowledge (``data``), identifier formats (``codes``), order
arithmetic (``pricing``), prose (``text``), generators, validators and the
story verbs ``place_order``, ``ship``, ``deliver`` and ``restock``.
"""

from __future__ import annotations

from pymockapi.industries.base import IndustryPack, RecordType
from pymockapi.industries.retail.generators import generate
from pymockapi.industries.retail.validators import validate
from pymockapi.industries.retail.verbs import VERBS

RECORD_TYPES = (
    RecordType("shopper", "shp", persona=True, default_count=40),
    RecordType("store", "store", persona=True, default_count=5),
    RecordType("product", "prod", default_count=60),
    RecordType("cart", "cart", owner_field="shopper_id"),
    RecordType("order", "ord", owner_field="shopper_id"),
    RecordType("shipment", "ship", owner_field="shopper_id"),
    RecordType("return", "ret", owner_field="shopper_id"),
    RecordType("review", "rev", owner_field="shopper_id"),
)

PACK = IndustryPack(name="retail", title="Retail", record_types=RECORD_TYPES, generate=generate,
                    validate=validate, verbs=VERBS)

__all__ = ["PACK", "RECORD_TYPES"]
