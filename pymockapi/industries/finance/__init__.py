"""The finance industry: customers, advisors and banks; accounts that reconcile.

Exports :data:`PACK`, the only name the rest of PyMockAPI needs.
"""

from __future__ import annotations

from pymockapi.industries.base import IndustryPack
from pymockapi.industries.finance.generators import GENERATORS
from pymockapi.industries.finance.kinds import RECORD_TYPES
from pymockapi.industries.finance.rules import RULES
from pymockapi.industries.finance.verbs import VERBS

PACK = IndustryPack(
    name="finance",
    title="Retail and private banking",
    record_types=RECORD_TYPES,
    generators=GENERATORS,
    rules=RULES,
    verbs=VERBS,
)

__all__ = ["PACK"]
