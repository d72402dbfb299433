"""Generated record families, kept across the worlds of one story.

Generation is a pure function of (context, kind, index, pins), so a family
made once can serve every world that asks for it again: a rewind or a
reset replays into a fresh world, a restart rebuilds every session, and two
sessions with the same seeds share their people.  Records are never changed
in place (a change makes a new dict), so sharing them is safe.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from pymockapi.industries.base import Record
from pymockapi.industries.seeding import GenContext
from pymockapi.world.references import mentioned_ids

#: About 25 records a family: a few hundred MiB at most, far less in practice.
DEFAULT_FAMILIES = 20_000


@dataclass(frozen=True, slots=True)
class Family:
    """One generated family and, per record, the ids it mentions (worked out once, shared)."""

    records: tuple[Record, ...]
    mentions: tuple[frozenset[str], ...]


class FamilyCache:
    """A bounded least-recently-used memo of ``pack.generate`` results."""

    def __init__(self, limit: int = DEFAULT_FAMILIES) -> None:
        self.limit = limit
        self._families: OrderedDict[Hashable, Family] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def family(self, generate: Callable[[GenContext, str, int, Mapping[str, Any]], list[Record]], gen: GenContext,
               kind: str, index: int, pins: Mapping[str, Any]) -> Family:
        key = (gen.story, gen.story_seed, gen.session_seed, gen.anchor, tuple(sorted(gen.cast.items())), kind,
               index, repr(sorted(pins.items())))
        found = self._families.get(key)
        if found is not None:
            self._families.move_to_end(key)
            self.hits += 1
            return found
        self.misses += 1
        records = tuple(generate(gen, kind, index, pins))
        made = Family(records, tuple(mentioned_ids(r) for r in records))
        self._families[key] = made
        if len(self._families) > self.limit:
            self._families.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._families)
