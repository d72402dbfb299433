"""What an API description says, normalised once at load.

Every schema here is a JSON Schema 2020-12 dict: OpenAPI 3.0's
``nullable`` became a type array, Swagger 2.0's ``definitions`` became
components, boolean ``exclusiveMinimum`` became a number.  Named schemas
stay named: a ``$ref`` is kept as ``{"$ref": "#/components/schemas/Name"}``
so cyclic schemas stay finite and the binder knows a schema's name; files
a description refers to are pulled into the same table.  OpenAPI's own
keywords (``readOnly``, ``writeOnly``, ``discriminator``, ``example``,
``x-…``) are left in place: JSON Schema validators ignore them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Schema = dict[str, Any]
#: The prefix of every kept reference to a named schema.
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter (operation-level ones override path-level ones)."""

    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    schema: Schema


@dataclass(frozen=True)
class Body:
    """A request body: its first JSON media type's schema, and every media type it takes."""

    media_type: str
    schema: Schema
    required: bool
    media_types: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """One documented response of an operation."""

    status: int  # 0 stands for "default"
    media_type: str | None  # None: no body (204, or a response without content)
    schema: Schema | None
    headers: Mapping[str, Schema] = field(default_factory=dict)  # required response headers
    example: Any = None
    media_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the front-end calls it."""

    method: str  # upper case: "GET", "POST"…
    path: str  # as written in the description: "/accounts/{accountId}"
    route: str  # what the front-end calls after its API origin: base path + path, "/v1/accounts/{accountId}"
    operation_id: str | None
    summary: str
    parameters: tuple[Parameter, ...]
    request: Body | None
    success: Reply  # the lowest documented 2xx (or "default" when no 2xx is documented)
    errors: Mapping[int, Reply]  # documented 4xx/5xx and default (key 0), by status
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``"GET /v1/accounts/{accountId}"``: how a story's ``when=`` names it."""
        return f"{self.method} {self.route}"

    def path_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]


@dataclass
class Description:
    """A loaded, validated API description."""

    file: Path
    title: str
    version: str  # the description's own info.version
    dialect: str  # "2.0", "3.0" or "3.1"
    base_path: str  # "" or "/v1": the path part of the first server URL (variables filled with defaults)
    operations: list[Operation]
    schemas: dict[str, Schema]  # named schemas, by name (file-referenced ones included)
    document: dict[str, Any]  # the whole description as OpenAPI 3.1 with the normalised schemas
    #: Memo of what is derived from the schemas (validators, merged ``allOf``s), filled by synth/checks on use.
    caches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def schema_named(self, name: str) -> Schema:
        return self.schemas[name]

    def deref(self, schema: Schema) -> tuple[str | None, Schema]:
        """The schema a ``$ref`` names (and that name), following chains; other schemas as they are."""
        name: str | None = None
        seen: set[str] = set()
        while "$ref" in schema and isinstance(schema["$ref"], str) and schema["$ref"].startswith(REF_PREFIX):
            name = schema["$ref"][len(REF_PREFIX):]
            if name in seen or name not in self.schemas:
                break
            seen.add(name)
            schema = self.schemas[name]
        return name, schema


@dataclass(frozen=True)
class Slot:
    """One place in a body being built: where it is, what schema it must satisfy, whose data it shows.

    ``record`` is the world record this part of the body is about (None when
    the body is about nothing in the world); ``pointer`` is the JSON pointer
    in the body (``/items/0/balance/amount``); ``schema_name`` the name of
    the nearest named schema above or at this slot; ``parent`` the property
    name of the enclosing object (``customer`` for ``customer.name``).
    """

    pointer: str
    property: str | None
    parent: str | None
    schema_name: str | None
    schema: Schema
    record: Mapping[str, Any] | None
    seed: str  # a stable identity for generated values: the record id (or the operation) plus the pointer


class Source(Protocol):
    """Where the values of a body come from; :func:`pymockapi.apispec.synth.build` asks it slot by slot.

    ``value(slot)`` returns the value for a scalar slot, or :data:`MISSING`
    to let the synthesiser generate one; ``record_for(slot)`` returns the
    record an object or array item slot is about (a nested ``customer``
    object follows the record's ``customer_id``), or the slot's own record.
    ``items(slot)`` returns the records an array slot lists, or None to let
    the synthesiser make ``minItems`` (at least one) generated items.
    """

    def value(self, slot: Slot) -> Any: ...
    def record_for(self, slot: Slot) -> Mapping[str, Any] | None: ...
    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None: ...


class _Missing:
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: "No value from the world here": the synthesiser generates one.
MISSING: Any = _Missing()
