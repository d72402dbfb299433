"""The shared shape of an industry pack and the registry of packs.

An industry is knowledge (vocabularies, code lists, distributions) plus a
few generators; everything else -- seeding, ids, people, addresses, the
world that stores records -- is shared machinery.  A pack describes its
record types so that the world can index owned records and build ids
without knowing the industry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Protocol

from pymockapi.errors import UnknownIndustry
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]


@dataclass(frozen=True)
class RecordType:
    """One kind of record an industry produces.

    ``persona`` kinds are top-level entities counted by a story's cast (a
    patient, a store); the others are owned by a persona through
    ``owner_field`` (an encounter's ``patient_id``).
    """

    name: str
    prefix: str
    persona: bool = False
    owner_field: str | None = None
    default_count: int = 0

    def entity_id(self, index: int) -> str:
        return f"{self.prefix}-{index:04d}"


@dataclass
class Violation:
    """A rule a record breaks, by record and field."""

    record_type: str
    record_id: str
    field: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"record_type": self.record_type, "record_id": self.record_id,
                "field": self.field, "problem": self.problem}


@dataclass(frozen=True)
class AltFormat:
    """An industry's own wire format (FHIR for healthcare) for one record or a list."""

    content_type: str
    one: Callable[[dict[str, Any]], dict[str, Any]]
    many: Callable[[list[dict[str, Any]]], dict[str, Any]]


@dataclass
class IndustryPack:
    """An industry: its record types and the generator of each persona kind.

    ``generate(ctx, kind, index, pins)`` returns the persona record first,
    followed by every record it owns (accounts and transactions, encounters
    and observations...).  It must be a pure function of its arguments.
    ``validate(records)`` returns the rules a set of records breaks.
    """

    name: str
    title: str
    record_types: tuple[RecordType, ...]
    generate: Callable[[GenContext, str, int, Mapping[str, Any]], list[Record]]
    validate: Callable[[Iterable[Record]], list[Violation]] = field(default=lambda records: [])
    verbs: Mapping[str, "Verb"] = field(default_factory=dict)
    formats: Mapping[str, "AltFormat"] = field(default_factory=dict)

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
