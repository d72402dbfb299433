"""JSON Schemas inferred from the values a template actually renders.

Why: a story endpoint's body is whatever its template makes, so the only
honest schema of it is the one its output shows.  Rendering the same
endpoint for several records and merging what each shows gives the types,
the keys that are always there (``required``), the values that may be null
(``"type": [..., "null"]``) and, for arrays, one item schema that fits every
item.  Pure: values in, a JSON Schema (2020-12, as OpenAPI 3.1 uses) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
#: JSON type names in the order a schema lists them.
_ORDER = ("object", "array", "string", "number", "integer", "boolean", "null")


def json_type(value: Any) -> str:
    """The JSON Schema type name of a value (anything that is not a number, list or object is text)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


@dataclass
class Shape:
    """What the values seen at one place of a document have in common."""

    types: set[str] = field(default_factory=set)
    properties: dict[str, Shape] = field(default_factory=dict)
    required: set[str] | None = None  # keys every object seen had; None before the first object
    items: Shape | None = None
    formats: set[str | None] = field(default_factory=set)

    def add(self, value: Any) -> Shape:
        kind = json_type(value)
        self.types.add(kind)
        if kind == "object":
            keys = set(value)
            self.required = keys if self.required is None else self.required & keys
            for key, child in value.items():
                self.properties.setdefault(str(key), Shape()).add(child)
        elif kind == "array":
            self.items = self.items or Shape()
            for item in value:
                self.items.add(item)
        elif kind == "string":
            self.formats.add("date-time" if _DATE_TIME.match(value) else "date" if _DATE.match(value) else None)
        return self

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of every value seen here (``{}`` when none was)."""
        types = [t for t in _ORDER if t in self.types]
        if "number" in types and "integer" in types:
            types.remove("integer")
        out: dict[str, Any] = {}
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        if "object" in types:
            out["properties"] = {name: child.schema() for name, child in self.properties.items()}
            if self.required:
                out["required"] = [name for name in self.properties if name in self.required]
        if "array" in types:
            out["items"] = self.items.schema() if self.items is not None and self.items.types else {}
        if "string" in types and len(self.formats) == 1 and None not in self.formats:
            out["format"] = next(iter(self.formats))
        return out


def infer_schema(values: Iterable[Any]) -> dict[str, Any]:
    """One JSON Schema that every value of ``values`` validates against."""
    shape = Shape()
    for value in values:
        shape.add(value)
    return shape.schema()
