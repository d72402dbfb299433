"""What a record is, and the one place its id format is written down.

Why: the world builds ids for new records, the reference index recognises
ids inside any value, the rules check them and every pack mints them.  When
each of those wrote its own ``f"{prefix}-{n:04d}"`` or regex they could
drift apart; here the format is stated once and everybody asks it.

The format: a top-level record is ``prefix-0001`` (its 1-based index, at
least four digits); a record owned by another is ``prefix-0001-01`` (its
owner's index, then its own number under that owner, at least two digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]

RECORD_ID = re.compile(r"^(?P<prefix>[a-z]+)-(?P<index>\d{4,})(?:-(?P<number>\d{2,}))?$")


@dataclass(frozen=True, slots=True)
class RecordId:
    """A parsed record id: its prefix, the (owner's) index and, for owned records, its number."""

    prefix: str
    index: int
    number: int | None = None

    @classmethod
    def parse(cls, text: object) -> RecordId | None:
        """The parts of ``text`` when it is a record id of any type, else None."""
        found = RECORD_ID.match(text) if isinstance(text, str) else None
        if found is None:
            return None
        number = found["number"]
        return cls(found["prefix"], int(found["index"]), None if number is None else int(number))

    @staticmethod
    def prefix_of(text: str) -> str:
        """The prefix a record id starts with (everything before the first dash)."""
        return text.split("-", 1)[0]

    @property
    def owned(self) -> bool:
        return self.number is not None


def is_record_id(text: str) -> bool:
    """Whether ``text`` has the shape of a record id (the reference index's hot path)."""
    return RECORD_ID.match(text) is not None


@dataclass(frozen=True)
class RecordType:
    """One kind of record an industry produces.

    ``persona`` kinds are top-level entities counted by a story's cast (a
    patient, a store); kinds with an ``owner_field`` are owned by the record
    that field names (an encounter's ``patient_id`` names a ``patient``), so
    the owner's type is the field without its ``_id``.
    """

    name: str
    prefix: str
    persona: bool = False
    owner_field: str | None = None
    default_count: int = 0

    @property
    def owner_type(self) -> str | None:
        """The name of the record type that owns records of this type (None for top-level types)."""
        return None if self.owner_field is None else self.owner_field.removesuffix("_id")

    def entity_id(self, index: int) -> str:
        """The id of the top-level record with 1-based ``index``: ``prefix-0001``."""
        return f"{self.prefix}-{index:04d}"

    def owned_id(self, owner_index: int, number: int) -> str:
        """The id of the ``number``-th record of this type owned by entity ``owner_index``: ``prefix-0001-01``."""
        return f"{self.prefix}-{owner_index:04d}-{number:02d}"

    def parse(self, record_id: object) -> RecordId | None:
        """The parts of ``record_id`` when it is an id of this type (owned or not, as the type is), else None."""
        parsed = RecordId.parse(record_id)
        if parsed is None or parsed.prefix != self.prefix or parsed.owned != (self.owner_field is not None):
            return None
        return parsed

    @property
    def example_id(self) -> str:
        return self.entity_id(1) if self.owner_field is None else self.owned_id(1, 1)
