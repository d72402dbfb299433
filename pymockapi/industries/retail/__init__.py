"""Retail: shoppers, stores and a product catalogue, with orders, shipments, returns and reviews.

The pack's tables: record types (``kinds``), generators, rules, verbs
(``place_order``, ``ship``, ``deliver``, ``restock``), prose (``text``) and
knowledge (``data``); identifier formats (``codes``) and order arithmetic
(``pricing``) are its own helpers.
"""

from __future__ import annotations

from pymockapi.industries.base import IndustryPack
from pymockapi.industries.retail.generators import GENERATORS
from pymockapi.industries.retail.kinds import RECORD_TYPES
from pymockapi.industries.retail.rules import RULES
from pymockapi.industries.retail.verbs import VERBS

PACK = IndustryPack(name="retail", title="Retail", record_types=RECORD_TYPES, generators=GENERATORS, rules=RULES,
                    verbs=VERBS)

__all__ = ["PACK", "RECORD_TYPES"]
