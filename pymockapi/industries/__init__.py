"""Industry packs: shared machinery plus one data pack per industry.

Packages add their own industry through the ``pymockapi.industries`` entry
point group (the value is an :class:`IndustryPack`); a story can also pass
a pack object as its ``industry``.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from pymockapi.industries.base import IndustryPack, IndustryRegistry

ENTRY_POINT_GROUP = "pymockapi.industries"


def shipped_industries(*, plugins: bool = True) -> IndustryRegistry:
    """A registry with the shipped packs and every installed plugin pack."""
    from pymockapi.industries.finance import PACK as finance
    from pymockapi.industries.healthcare import PACK as healthcare
    from pymockapi.industries.retail import PACK as retail

    registry = IndustryRegistry()
    for pack in (finance, healthcare, retail):
        registry.register(pack)
    if plugins:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            pack = point.load()
            if isinstance(pack, IndustryPack):
                registry.register(pack)
    return registry
