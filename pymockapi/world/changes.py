"""Changes to a world, in the form they are journaled and replayed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class ChangeKind(str, Enum):
    """What a change does to a record (journaled as ``op``)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    """One requested change: replaying the same changes on the same seed gives the same world."""

    kind: ChangeKind
    record_type: str
    ref: str | None = None
    owner: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "op": self.kind.value,
            "type": self.record_type,
            "ref": self.ref,
            "owner": self.owner,
            "fields": self.fields,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(
            ChangeKind(data["op"]), data["type"], data.get("ref"), data.get("owner"), dict(data.get("fields") or {})
        )
