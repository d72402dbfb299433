"""The shared shape of an industry pack and the registry of packs.

An industry is knowledge (vocabularies, code lists, distributions) plus a
few generators, like a Faker provider: the logic lives once here and in
the shared modules beside it (seeding, ids, people, money, the rule driver),
and every pack fills in the same tables:

* its record types (``kinds.py``),
* a generator table, top-level kind -> generator (``generators.py``),
* a rule table, record type -> rules (``rules.py``, see :mod:`.rules`),
* its verbs, the story actions in the industry's words (``verbs.py``),
* its prose (``text.py``) and its data tables (``data.py``).

The world indexes records and builds ids from the record types alone,
without knowing the industry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from pymockapi.errors import NotFound, UnknownIndustry
from pymockapi.industries.records import Record, RecordId, RecordType
from pymockapi.industries.rules import RuleTable, Violation, check_records
from pymockapi.industries.seeding import GenContext

__all__ = ["AltFormat", "Generator", "IndustryPack", "IndustryRegistry", "Record", "RecordId", "RecordType", "Verb",
           "Violation", "WorldView"]

Generator = Callable[[GenContext, int, Mapping[str, Any]], list[Record]]
"""``generator(gen, index, pins)``: the top-level record with 1-based ``index`` first, then every record it owns.

It must be a pure function of its arguments (see :mod:`.seeding`)."""


@dataclass(frozen=True)
class AltFormat:
    """An industry's own wire format (FHIR for healthcare) for one record or a list."""

    content_type: str
    one: Callable[[dict[str, Any]], dict[str, Any]]
    many: Callable[[list[dict[str, Any]]], dict[str, Any]]


@dataclass
class IndustryPack:
    """An industry: its record types, generator table, rule table, verbs and formats.

    ``generators`` has one entry per top-level record type (personas and
    records like products that belong to no one); owned records come out of
    their owner's generator.
    """

    name: str
    title: str
    record_types: tuple[RecordType, ...]
    generators: Mapping[str, Generator]
    rules: RuleTable = field(default_factory=dict)
    verbs: Mapping[str, Verb] = field(default_factory=dict)
    formats: Mapping[str, AltFormat] = field(default_factory=dict)

    def generate(self, gen: GenContext, kind: str, index: int, pins: Mapping[str, Any]) -> list[Record]:
        """The record of top-level ``kind`` with 1-based ``index`` first, then every record it owns."""
        try:
            generator = self.generators[kind]
        except KeyError:
            raise NotFound.of(f"{self.name} record type", kind, self.generators, code="record_type_not_found") from None
        return generator(gen, index, pins)

    def validate(self, records: Iterable[Any], anchor: date | None = None) -> list[Violation]:
        """Every rule the records break (``anchor``: the day the data set was made, when known)."""
        return check_records(records, self.record_types, self.rules, self.name, anchor)

    def record_type(self, name: str) -> RecordType | None:
        for rt in self.record_types:
            if rt.name == name:
                return rt
        return None


class IndustryRegistry:
    """Known industry packs by name; stories and packages add their own."""

    def __init__(self) -> None:
        self._packs: dict[str, IndustryPack] = {}

    def register(self, pack: IndustryPack) -> IndustryPack:
        self._packs[pack.name] = pack
        return pack

    def get(self, name: str) -> IndustryPack:
        try:
            return self._packs[name]
        except KeyError:
            raise UnknownIndustry(name, sorted(self._packs)) from None

    def names(self) -> list[str]:
        return sorted(self._packs)


class WorldView(Protocol):
    """What an industry verb may do to a session's world.

    Verbs (``observe`` for healthcare, ``deposit`` for finance, ``ship`` for
    retail...) are the industry's vocabulary for story actions; they build
    records with the pack's knowledge and change the world only through
    these calls, so every change is validated, logged and broadcast.
    """

    anchor: date

    def get(self, ref: str) -> Record: ...
    def owned(self, owner_id: str, record_type: str) -> list[Record]: ...
    def add(self, record_type: str, owner: str, fields: Mapping[str, Any]) -> Record: ...
    def update(self, ref: str, fields: Mapping[str, Any]) -> Record: ...
    def remove(self, ref: str) -> None: ...


Verb = Callable[..., Any]
