"""Bind an API description to a world by meaning, once per story.

Why once: a description's names (``accountNumber``, ``payload.Orders``,
``{customerId}``) say what each operation and property is about, and that
does not change from one session to the next.  :func:`bind` reads them
against a sample world of the industry -- its record types, the fields its
records carry, the industry's vocabulary -- and compiles every decision:
the record type of each operation, its role, which path parameter names
the record or its owner, where the list sits in a list body, which paging
convention it documents, and for every property of every response schema
where its value comes from.  :class:`pymockapi.apispec.source.WorldSource`
then fills a body with dictionary look-ups only.

Matching: a name is split into singular lower-case words in any case style
(:func:`words`); those words are looked up in a phrase index per record
type (field names, the shared :mod:`.vocabulary`, the industry's
``api_words``), preferring fields under the enclosing object's path
(``address.postalCode`` -> ``address.zip``), then references to related
records (``customerId``, ``customer.name``), then the description's own
example, then a typed generator.  Pins -- a story's ``bind=`` and a
property's ``x-pymockapi`` -- win over all of it.
"""

from __future__ import annotations

import importlib
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import ModuleType
from typing import Any

from pymockapi.apispec import vocabulary as V
from pymockapi.apispec.model import Description, Operation, Schema
from pymockapi.apispec.names import phrase, words
from pymockapi.errors import PyMockAPIError
from pymockapi.industries.base import RecordType
from pymockapi.world.world import World

Path = tuple[str, ...]


class Fill(StrEnum):
    """Where a response property's value comes from (SPEC's ``source`` in the bindings table)."""

    RECORD = "record"
    EXAMPLE = "example"
    GENERATOR = "generator"
    CONSTANT = "constant"
    UNBOUND = "unbound"


class Role(StrEnum):
    """What an operation does with its record type."""

    LIST = "list"
    DETAIL = "detail"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"


class Follow(StrEnum):
    """How an object in a body finds its record from the enclosing one."""

    ANCHOR = "anchor"  # the body's own record (the root of a detail)
    SAME = "same"  # the enclosing record (``balance: {amount, currency}``)
    RELATION = "relation"  # a reference field of the enclosing record (``customer`` via ``customer_id``)
    ITEM = "item"  # one item of the enclosing array
    NONE = "none"  # about nothing in the world


class ItemsFrom(StrEnum):
    """Where an array in a body takes its items."""

    LIST = "list"  # the operation's list of records
    OWNED = "owned"  # records the enclosing record owns (``customer.accounts``)
    REVERSE = "reverse"  # records that refer to the enclosing one (``account.transactions``)
    FIELD = "field"  # a list field of the record (``order.lines``, ``advisor.credentials``)
    WRAP = "wrap"  # one scalar field as a one-item list (FHIR ``given: [first_name]``)
    NONE = "none"  # generated


@dataclass(frozen=True)
class PropertyBinding:
    """One row of the bindings table: a response property and what fills it."""

    schema: str
    property: str
    source: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"schema": self.schema, "property": self.property, "source": self.source, "detail": self.detail}


@dataclass(frozen=True)
class IdStyle:
    """How a record id shows in one property: the world's own id, a UUID, an integer or a pattern's shape."""

    kind: str  # "world" | "uuid" | "int" | "pattern"
    pattern: str = ""


WORLD_ID = IdStyle("world")


@dataclass(frozen=True)
class Getter:
    """How a scalar value is read from the context record."""

    path: Path = ()
    via: Path = ()  # follow this reference field of the context first
    part: str | None = None  # money dict part: amount / currency / display
    id_of: str | None = None  # the value is an id of this record type
    template: str | None = None  # a display template (``{product_name} {masked_number}``)
    paging: str | None = None  # a paging role (``total``, ``next``…)
    item: bool = False  # the value of a scalar list item
    up: str | None = None  # read from the nearest enclosing record of this type (a pin naming an outer record)


@dataclass(eq=False)
class Node:
    """The compiled decision for one place of a response schema."""

    kind: str  # "object" | "array" | "scalar"
    ctx: str | None = None  # the phrase-index key of the record here ("account", "order.lines[]")
    base: Path = ()  # where this object sits in that record
    follow: Follow = Follow.SAME
    via: Path = ()  # Follow.RELATION: the reference field
    children: dict[str, Node] = field(default_factory=dict)
    item: Node | None = None
    items_from: ItemsFrom = ItemsFrom.NONE
    items_type: str | None = None
    items_field: Path = ()
    max_items: int = 50
    getter: Getter | None = None
    id_style: IdStyle = WORLD_ID
    type: str = "string"  # JSON type of a scalar
    format: str | None = None
    enum: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Paging:
    """The paging convention an operation documents: style and query parameter names by role."""

    style: str  # "offset" | "page" | "cursor"
    params: Mapping[str, str]


@dataclass(eq=False)
class OperationBinding:
    """What one operation is about and how its body is filled."""

    key: str
    record_type: str
    role: Role
    record_param: str | None = None
    owner_param: str | None = None
    owner_type: str | None = None
    filters: dict[str, str] = field(default_factory=dict)  # path parameter -> record field it scopes
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> record type it names
    record_via: tuple[str, str] | None = None  # (parameter, field): the record its record refers to
    param_fields: dict[str, Path] = field(default_factory=dict)  # parameter -> the field naming its record
    list_pointer: Path | None = None  # where the list sits in the body; () is the body itself
    list_field: Path = ()  # a list of a record's sub-items (``order.lines``) instead of records
    paging: Paging | None = None
    paging_fields: dict[str, Path] = field(default_factory=dict)
    root: Node | None = None
    _nodes: dict[str, Node | None] = field(default_factory=dict, repr=False)

    def node_at(self, pointer: str) -> Node | None:
        """The compiled node at a body pointer (``/data/0/balance/amount``); memoised per pointer shape."""
        shape = _shape_of(pointer)
        if shape in self._nodes:
            return self._nodes[shape]
        node = self.root
        for part in _segments(pointer):
            if node is None:
                break
            node = node.item if node.kind == "array" else node.children.get(part)
        self._nodes[shape] = node
        return node


@dataclass(frozen=True)
class IndustryWords:
    """An industry's API vocabulary (its ``api_words`` module as data)."""

    main_type: str = ""
    record_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fields: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    display: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, module: ModuleType) -> IndustryWords:
        return cls(getattr(module, "MAIN_TYPE", ""), getattr(module, "RECORD_TYPES", {}),
                   getattr(module, "FIELDS", {}), getattr(module, "DISPLAY", {}))


def industry_words(name: str) -> IndustryWords:
    """The ``api_words`` of a shipped industry; empty words for an industry that has none."""
    try:
        return IndustryWords.of(importlib.import_module(f"pymockapi.industries.{name}.api_words"))
    except ModuleNotFoundError:
        return IndustryWords()


class BindingError(PyMockAPIError):
    """A pin that names no record type or field."""

    status = 422
    code = "binding_invalid"


class Bindings:
    """Every decision :func:`bind` took for one description, used for every session of the story."""

    def __init__(self, industry: str, operations: dict[str, OperationBinding], rows: list[PropertyBinding],
                 id_styles: dict[str, set[IdStyle]], owner_fields: dict[str, str]) -> None:
        self.industry = industry
        self.operations = operations
        self.rows = rows
        self.id_styles = id_styles
        self.owner_fields = owner_fields  # record type -> its owner reference field
        self._public: weakref.WeakKeyDictionary[World, dict[str, tuple[int, int, dict[str, str]]]] = \
            weakref.WeakKeyDictionary()

    def operation(self, op: Operation | str) -> OperationBinding:
        return self.operations[op if isinstance(op, str) else op.key]

    def table(self) -> list[dict[str, str]]:
        """SPEC's ``GET /_api/stories/{story}/bindings`` rows."""
        return [row.as_dict() for row in self.rows]

    def summary(self) -> dict[str, int]:
        """How many properties each source fills."""
        counts = {fill.value: 0 for fill in Fill}
        for row in self.rows:
            counts[row.source] += 1
        return counts

    def anchor(self, op: OperationBinding, world: World, path_params: Mapping[str, str]) -> Mapping[str, Any] | None:
        """The record a request's path names (the body's ``anchor``), or None when a parameter names nothing.

        A detail's record by its parameter; a list's owner (or the record
        whose sub-items it lists); a record reached through another one
        (``/orders/{orderId}/buyerInfo`` -> the order's shopper); for an
        operation whose path names no record, None.
        """
        if op.record_param is not None and op.record_param in path_params:
            return self.resolve_id(world, op.record_type, path_params[op.record_param],
                                   op.param_fields.get(op.record_param, ()), op.record_param)
        if op.owner_param is not None and op.owner_type is not None and op.owner_param in path_params:
            owner = self.resolve_id(world, op.owner_type, path_params[op.owner_param],
                                    op.param_fields.get(op.owner_param, ()), op.owner_param)
            if owner is None or op.role is Role.LIST:
                return owner
            owned = world.owned(str(owner["id"]), op.record_type)
            return owned[0] if owned else None
        if op.record_via is not None and op.record_via[0] in path_params:
            param, ref = op.record_via
            kind = op.params.get(param, op.record_type)
            found = self.resolve_id(world, kind, path_params[param], op.param_fields.get(param, ()), param)
            target = found.get(ref) if found is not None else None
            return world.find(target) if isinstance(target, str) else None
        for param, _field in op.filters.items():
            if param in path_params:
                return self.resolve_id(world, op.params.get(param, op.record_type), path_params[param],
                                       op.param_fields.get(param, ()), param)
        return None

    def resolve_id(self, world: World, record_type: str, text: str, by: Path = (),
                   param: str = "") -> Mapping[str, Any] | None:
        """The record a path parameter names: a world id, any public id this API shows for the type, or,
        for a parameter that names its record by a field (``{username}``), the record with that value."""
        from pymockapi.apispec.source import public_id

        found = resolve_id(world, record_type, text)
        if found is not None:
            return found
        styles = sorted(self.id_styles.get(record_type, set()), key=lambda s: (s.kind, s.pattern))
        if not styles and not by:
            return None
        cache = self._public.setdefault(world, {})
        records = world.records(record_type)
        key = f"{record_type}\0{'.'.join(by)}\0{param}"
        entry = cache.get(key)
        if entry is None or entry[0] != world.version or entry[1] != len(records):
            index = {public_id(str(r["id"]), style): str(r["id"]) for r in records for style in styles}
            if by:  # what her requests sent wins over a field a created record copied from a sibling
                keyed = [(key_text(r, param, by), r) for r in records]
                for shown, r in sorted(keyed, key=lambda pair: SUBMITTED not in pair[1]):
                    if shown is not None:
                        index.setdefault(shown, str(r["id"]))
            entry = (world.version, len(records), index)
            cache[key] = entry
        rid = entry[2].get(text)
        return world.find(rid) if rid else None


#: Where a record keeps the request properties the world has no field for, so later reads show them
#: (JSON pointer -> value as sent).
SUBMITTED = "submitted"


def key_text(record: Mapping[str, Any], param: str, by: Path) -> str | None:
    """What a parameter keyed by a field says for ``record``: the value her request sent under the
    parameter's name (kept as sent), else the record's field."""
    submitted = record.get(SUBMITTED)
    if isinstance(submitted, Mapping):
        sent = submitted.get(f"/{param}")
        if sent is not None and not isinstance(sent, Mapping | list):
            return str(sent)
    return field_text(record, by)


def field_text(record: Mapping[str, Any], by: Path) -> str | None:
    """A record's scalar field as a path segment shows it."""
    value: Any = record
    for part in by:
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def resolve_id(world: World, record_type: str, text: str) -> Mapping[str, Any] | None:
    """The record of ``record_type`` that ``text`` names: its world id, its UUID or its integer form."""
    from pymockapi.apispec.source import public_id

    record = world.find(text)
    if record is not None:
        return record if record["type"] == record_type else None
    rt = world.pack.record_type(record_type)
    if rt is None:
        return None
    if text.isdigit():
        number = int(text)
        candidate = rt.entity_id(number) if rt.owner_field is None else \
            f"{rt.prefix}-{number // 100:04d}-{number % 100:02d}"
        found = world.find(candidate)
        if found is not None:
            return found
    style = IdStyle("uuid")
    if len(text) == 36:
        for record in world.records(record_type):
            if public_id(str(record["id"]), style) == text:
                return record
    return None


# ----------------------------------------------------------------------- words
def _stem(word: str) -> str:
    for end in ("ation", "ing", "ed", "e"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


_NOISE = frozenset({"get", "list", "create", "update", "delete", "remove", "patch", "put", "post", "fetch", "read",
                    "retrieve", "find", "search", "query", "add", "set", "replace", "show", "all", "by", "for",
                    "of", "the", "a", "an", "response", "request", "result", "page", "paged", "paginated",
                    "collection", "dto", "model", "object", "resource", "body", "wrapper", "envelope", "info",
                    "detail", "summary", "v", "api", "new", "one", "single", "many", "multiple", "batch", "bulk",
                    "id", "item list", "and", "with", "from", "to", "my", "data", "schema", "entity", "view"})
_NOT_LISTS = frozenset({"error", "warning", "message", "link", "problem", "issue", "fault", "detail", "note"})
_SEARCH_WORDS = frozenset({"search", "query", "find", "list", "filter", "lookup"})
_VERSION = re.compile(r"^v\d+(\.\d+)*$|^\d+(\.\d+)*$|^api$|^rest$")


# ------------------------------------------------------------------ catalogue
@dataclass(frozen=True)
class FieldInfo:
    """A field the sample records carry: its path, shape and, for references, the type it names."""

    path: Path
    kind: str  # "money" | "dict" | "dicts" | "list" | "scalar"
    ref_type: str | None = None


_MONEY_PART = 58  # the score of a money part's words: they count only inside that money object
_INDUSTRY = 88  # the score of an industry synonym
_SYNONYM = 70  # the score of a shared synonym on a record's top level


class Catalogue:
    """What the sample world's records hold, as phrase indexes per record type (and per list of sub-items)."""

    def __init__(self, world: World, words_: IndustryWords) -> None:
        self.world = world
        self.words = words_
        self.types: dict[str, RecordType] = {rt.name: rt for rt in world.pack.record_types}
        self.by_prefix = {rt.prefix: rt.name for rt in world.pack.record_types}
        self.fields: dict[str, dict[Path, FieldInfo]] = {}
        self.index: dict[str, dict[str, list[tuple[int, Path]]]] = {}
        self.type_of: dict[str, str] = {}
        for rt in world.pack.record_types:
            for syn in (rt.name, *words_.record_types.get(rt.name, ())):
                self.type_of.setdefault(phrase(syn), rt.name)
            self.type_of.setdefault(phrase(rt.prefix), rt.name)
        for rt in world.pack.record_types:
            self._learn(rt.name, self._samples(rt))
        self.main_type = words_.main_type if words_.main_type in self.types else next(
            (rt.name for rt in world.pack.record_types if rt.persona), world.pack.record_types[0].name)

    def _samples(self, rt: RecordType) -> list[Mapping[str, Any]]:
        if rt.owner_field is None:
            records = [self.world.find(rt.entity_id(i)) for i in range(1, min(self.world.counts.get(rt.name, 0),
                                                                                 8) + 1)]
            return [r for r in records if r is not None]
        owner = self.owner_type(rt.name)
        out: list[Mapping[str, Any]] = []
        if owner is not None:
            for i in range(1, min(self.world.counts.get(owner, 0), 8) + 1):
                out.extend(self.world.owned(self.types[owner].entity_id(i), rt.name)[:4])
        return out

    def owner_type(self, record_type: str) -> str | None:
        rt = self.types.get(record_type)
        if rt is None or rt.owner_field is None:
            return None
        name = rt.owner_field.removesuffix("_id")
        return name if name in self.types else None

    def _ref_type(self, value: Any) -> str | None:
        if isinstance(value, str) and "-" in value:
            prefix = value.split("-", 1)[0]
            if prefix in self.by_prefix and any(c.isdigit() for c in value):
                return self.by_prefix[prefix]
        return None

    def _learn(self, ctx: str, samples: Iterable[Mapping[str, Any]]) -> None:
        found: dict[Path, FieldInfo] = {}
        sublists: dict[Path, list[Mapping[str, Any]]] = {}

        def visit(value: Any, path: Path, depth: int) -> None:
            if value is None:
                return
            if isinstance(value, dict):
                kind = "money" if {"amount", "currency"} <= set(value) else "dict"
                found.setdefault(path, FieldInfo(path, kind))
                if depth < 2:
                    for k, v in value.items():
                        visit(v, (*path, k), depth + 1)
            elif isinstance(value, list):
                if not value:
                    found.setdefault(path, FieldInfo(path, "list"))
                    return
                if all(isinstance(v, dict) for v in value):
                    found[path] = FieldInfo(path, "dicts")
                    sublists.setdefault(path, []).extend(value[:6])
                else:
                    found[path] = FieldInfo(path, "list")
            else:
                ref = self._ref_type(value) if path != ("id",) else None
                old = found.get(path)
                if old is None or (old.ref_type is None and ref is not None):
                    found[path] = FieldInfo(path, "scalar", ref)

        for record in samples:
            for key, value in record.items():
                if key != "type":
                    visit(value, (key,), 0)
        self.fields[ctx] = found
        self.index[ctx] = self._phrases(ctx, found)
        for path, items in sublists.items():
            self._learn(f"{ctx}.{'.'.join(path)}[]", items)

    def _phrases(self, ctx: str, found: Mapping[Path, FieldInfo]) -> dict[str, list[tuple[int, Path]]]:
        index: dict[str, list[tuple[int, Path]]] = {}

        def add(text: str, score: int, path: Path) -> None:
            key = phrase(text) if text else ""
            index.setdefault(key, []).append((score, path))
            if " " in key:  # ``accountnumber``, all lower case, glued
                index.setdefault(key.replace(" ", ""), []).append((score - 6, path))

        industry = self.words.fields.get(ctx, {})
        for path, info in found.items():
            nested = len(path) > 1
            leaf = path[-1]
            add(leaf, 60 if nested else 100, path)
            add(" ".join(path), 96, path)
            if info.ref_type and leaf.endswith("_id") is False:
                add(f"{leaf} id", 70, path)
            for syn in V.FIELDS.get(leaf, ()):
                add(syn, 55 if nested else _SYNONYM, path)
                if nested:
                    add(f"{path[-2]} {syn}", 80, path)
            for syn in industry.get(".".join(path), ()):
                add(syn, _INDUSTRY, path)
            if nested and found.get(path[:-1], FieldInfo((), "")).kind == "money":
                for syn in V.MONEY_PARTS.get(leaf, ()):
                    add(syn, _MONEY_PART, path)
        for entries in index.values():
            entries.sort(key=lambda e: (-e[0], len(e[1]), e[1]))
        return index

    def lookup(self, ctx: str | None, base: Path, candidates: Iterable[tuple[str, int]],
               *, exact_only: bool = False, own_words_only: bool = False) -> tuple[int, Path] | None:
        """The best field of ``ctx`` for any candidate phrase (with its weight), preferring fields under ``base``.

        ``own_words_only`` leaves the industry's synonyms out: inside an
        object the record has no field for (``ShippingPrice: {Amount}`` in an
        order line), a broad synonym (``amount`` -> the unit price) would lie.
        """
        if ctx is None or ctx not in self.index:
            return None
        index = self.index[ctx]
        best: tuple[int, Path] | None = None
        for text, weight in candidates:
            for score, path in index.get(text, ()):
                if exact_only and score < 96 and not (score == 100 and len(path) == 1):
                    continue
                if score == _MONEY_PART and path[:-1] != base:
                    continue
                if own_words_only and score == _INDUSTRY:
                    continue
                rank = score + weight - 2 * len(path)
                if base and path[: len(base)] == base and len(path) > len(base):
                    rank += 45
                elif base and len(path) > 1 and path[0] != base[0]:
                    rank -= 25
                if best is None or rank > best[0]:
                    best = (rank, path)
        return best

    def type_named(self, text: str, *, strict: bool = False) -> str | None:
        """The record type a phrase names (``invoice`` -> transaction), by its whole phrase or its head word.

        ``strict``: only the whole phrase (noise words aside) counts, so
        ``shippingPrice`` names no type where ``buyerInfo`` names the shopper.
        """
        if not text:
            return None
        if text in self.type_of:
            return self.type_of[text]
        parts = [w for w in text.split() if w not in _NOISE]
        if not parts:
            return None
        joined = " ".join(parts)
        if joined in self.type_of:
            return self.type_of[joined]
        if strict:
            return None
        for i in range(len(parts)):
            tail = " ".join(parts[i:])
            if tail in self.type_of:
                return self.type_of[tail]
        for w in reversed(parts):
            if w in self.type_of:
                return self.type_of[w]
        return None

    def refs(self, ctx: str) -> dict[str, Path]:
        """Record type -> the reference field of ``ctx`` that names one (owner first)."""
        out: dict[str, Path] = {}
        rt = self.types.get(ctx)
        if rt is not None and rt.owner_field is not None:
            owner = self.owner_type(ctx)
            if owner:
                out[owner] = (rt.owner_field,)
        for path, info in self.fields.get(ctx, {}).items():
            if info.ref_type and len(path) == 1:
                out.setdefault(info.ref_type, path)
        return out


# --------------------------------------------------------------------- schemas
@dataclass
class _Shape:
    kind: str
    name: str | None
    schema: Schema
    properties: dict[str, Schema]
    items: Schema | None


class _Binder:
    def __init__(self, description: Description, world: World, words_: IndustryWords,
                 pins: Mapping[str, str]) -> None:
        self.description = description
        self.cat = Catalogue(world, words_)
        self.pins = dict(pins)
        self.rows: dict[tuple[str, str, str, str], PropertyBinding] = {}
        self.memo: dict[tuple[Any, ...], Node] = {}
        self.shapes: dict[int, _Shape] = {}
        self.id_styles: dict[str, set[IdStyle]] = {}
        for key, value in self.pins.items():
            self._pin_target(value, key)

    # ------------------------------------------------------------- shapes
    def shape(self, schema: Schema | None, depth: int = 0) -> _Shape:
        if not isinstance(schema, dict):
            return _Shape("scalar", None, {}, {}, None)
        cached = self.shapes.get(id(schema))
        if cached is not None:
            return cached
        name, target = self.description.deref(schema)
        if target is not schema:
            inner = self.shape(target, depth + 1)
            out = _Shape(inner.kind, name or inner.name, inner.schema, inner.properties, inner.items)
            self.shapes[id(schema)] = out
            return out
        props: dict[str, Schema] = {}
        items: Schema | None = None
        kinds: set[str] = set()
        types = schema.get("type")
        type_set = set(types) if isinstance(types, list) else {types} if isinstance(types, str) else set()
        if "object" in type_set or "properties" in schema:
            kinds.add("object")
        if "array" in type_set or "items" in schema:
            kinds.add("array")
            if isinstance(schema.get("items"), dict):
                items = schema["items"]
        for key, value in (schema.get("properties") or {}).items():
            if isinstance(value, dict):
                props.setdefault(key, value)
        if depth < 12:
            for keyword in ("allOf", "oneOf", "anyOf"):
                for part in schema.get(keyword) or ():
                    sub = self.shape(part, depth + 1)
                    if sub.kind == "object":
                        kinds.add("object")
                        for key, value in sub.properties.items():
                            props.setdefault(key, value)
                    elif sub.kind == "array":
                        kinds.add("array")
                        items = items or sub.items
        kind = "object" if "object" in kinds else "array" if "array" in kinds else "scalar"
        out = _Shape(kind, name, schema, props, items)
        self.shapes[id(schema)] = out
        return out

    def scalar_schema(self, schema: Schema) -> Schema:
        """A scalar schema with its ``$ref`` and single ``allOf``/``oneOf`` followed."""
        _, target = self.description.deref(schema)
        for keyword in ("allOf", "oneOf", "anyOf"):
            parts = target.get(keyword)
            if isinstance(parts, list) and parts and isinstance(parts[0], dict) and "type" not in target:
                merged = dict(self.description.deref(parts[0])[1])
                merged.update({k: v for k, v in target.items() if k != keyword})
                return merged
        return target

    # -------------------------------------------------------------- pins
    def _pin_target(self, value: str, where: str) -> tuple[str, Path]:
        kind, _, rest = value.partition(".")
        if kind not in self.cat.types or not rest:
            raise BindingError(f"Binding {where!r} -> {value!r} names no record type and field.",
                               f"Write 'record_type.field', e.g. 'account.product_name'; record types here: "
                               f"{', '.join(self.cat.types)}.", pin=where)
        return kind, tuple(rest.split("."))

    # -------------------------------------------------------------- rows
    def row(self, schema: str, prop: str, fill: Fill, detail: str) -> None:
        key = (schema, prop, fill.value, detail)
        if key not in self.rows:
            self.rows[key] = PropertyBinding(schema, prop, fill.value, detail)

    # ------------------------------------------------------------- nodes
    def node(self, schema: Schema, *, ctx: str | None, base: Path, follow: Follow, via: Path = (),
             label: str, where: str, paging: Mapping[Path, str] | None = None, at: Path = (),
             list_at: Path | None = None, list_ctx: str | None = None, depth: int = 0) -> Node:
        """The node for an object or array schema in a context (``label``: the nearest named schema)."""
        shape = self.shape(schema)
        label = shape.name or label
        where = "" if shape.name else where
        key = (id(shape.schema), shape.kind, ctx, base, follow, via, label, where, bool(paging) and at, list_at,
               list_ctx)
        if key in self.memo:
            return self.memo[key]
        if shape.kind == "array":
            node = Node("array", ctx=ctx, base=base, follow=follow, via=via)
            self.memo[key] = node
            node.item = self.node(shape.items or {}, ctx=ctx, base=base, follow=Follow.ITEM, label=label,
                                  where=where, depth=depth + 1)
            return node
        node = Node("object", ctx=ctx, base=base, follow=follow, via=via)
        self.memo[key] = node
        if depth > 14:
            return node
        for prop, sub in shape.properties.items():
            if sub.get("writeOnly") is True:
                continue
            name = f"{where}.{prop}" if where else prop
            here = (*at, prop)
            if list_at is not None and here == list_at:
                node.children[prop] = self._list_array(sub, list_ctx, label, name)
                continue
            if list_at is not None and list_at[: len(here)] == here:
                self.row(label, name, Fill.UNBOUND, "object")
                node.children[prop] = self.node(sub, ctx=None, base=(), follow=Follow.NONE, label=label, where=name,
                                                paging=paging, at=here, list_at=list_at, list_ctx=list_ctx,
                                                depth=depth + 1)
                continue
            child_paging = paging.get((*at, prop)) if paging else None
            node.children[prop] = self.child(sub, prop, ctx=ctx, base=base, label=label, where=name,
                                             paging=paging, at=(*at, prop), paging_role=child_paging,
                                             depth=depth + 1)
        return node

    def child(self, sub: Schema, prop: str, *, ctx: str | None, base: Path, label: str, where: str,
              paging: Mapping[Path, str] | None, at: Path, paging_role: str | None, depth: int) -> Node:
        shape = self.shape(sub)
        words_ = words(prop)
        text = " ".join(words_)
        pin = self._pin_for(label, where, sub)
        if paging_role is not None:
            self.row(label, where, Fill.RECORD, f"paging.{paging_role}")
            return self.scalar(sub, Getter(paging=paging_role))
        if shape.kind == "object":
            return self.object_child(shape, sub, prop, text, ctx=ctx, base=base, label=label, where=where,
                                     paging=paging, at=at, depth=depth)
        if shape.kind == "array":
            return self.array_child(shape, prop, text, ctx=ctx, base=base, label=label, where=where,
                                    depth=depth)
        if pin is not None:
            return self.pinned(sub, pin, ctx, label, where)
        return self.scalar_child(sub, text, ctx=ctx, base=base, label=label, where=where)

    def _pin_for(self, label: str, where: str, sub: Schema) -> tuple[str, Path] | None:
        value = self.pins.get(f"{label}.{where}")
        if value is None:
            _, target = self.description.deref(sub)
            mark = sub.get("x-pymockapi", target.get("x-pymockapi"))
            if isinstance(mark, str):
                return self._pin_target(mark, f"{label}.{where}")
            return None
        return self._pin_target(value, f"{label}.{where}")

    def pinned(self, sub: Schema, pin: tuple[str, Path], ctx: str | None, label: str, where: str) -> Node:
        kind, path = pin
        via: Path = ()
        if ctx is not None and kind != ctx:
            via = self.cat.refs(ctx).get(kind, ())
        self.row(label, where, Fill.RECORD, f"{kind}.{'.'.join(path)}" + (f" via {via[0]}" if via else ""))
        info = self.cat.fields.get(kind, {}).get(path)
        id_of = info.ref_type if info and info.ref_type else kind if path == ("id",) else None
        up = kind if ctx != kind and not via else None
        return self.scalar(sub, Getter(path=path, via=via, id_of=id_of, part=self._part(sub, info, ""), up=up))

    # ----------------------------------------------------------- objects
    def object_child(self, shape: _Shape, sub: Schema, prop: str, text: str, *, ctx: str | None, base: Path,
                     label: str, where: str, paging: Mapping[Path, str] | None, at: Path, depth: int) -> Node:
        named = self.cat.type_named(text, strict=True) or (
            self.cat.type_named(phrase(shape.name), strict=True) if shape.name else None)
        strong = self.cat.lookup(ctx, base, [(text, 0)]) if ctx else None
        if strong is not None and strong[0] >= 86 and ctx is not None \
                and self.cat.fields[ctx][strong[1]].kind in ("money", "dict"):
            named = None
        if ctx is not None and named is not None and named != ctx:
            ref = self.cat.refs(ctx).get(named)
            if ref is not None:
                self.row(label, where, Fill.RECORD, f"{ctx}.{ref[0]}→{named}")
                return self.node(sub, ctx=named, base=(), follow=Follow.RELATION, via=ref, label=label,
                                 where=where, depth=depth)
        hit = self.cat.lookup(ctx, base, [(text, 0)]) if ctx else None
        if hit is not None and ctx is not None:
            info = self.cat.fields[ctx][hit[1]]
            if info.kind in ("money", "dict"):
                self.row(label, where, Fill.RECORD, f"{ctx}.{'.'.join(hit[1])}")
                return self.node(sub, ctx=ctx, base=hit[1], follow=Follow.SAME, label=label, where=where,
                                 paging=paging, at=at, depth=depth)
            if info.kind == "scalar":
                self.row(label, where, Fill.RECORD, f"{ctx}.{'.'.join(hit[1])}")
                return self.node(sub, ctx=ctx, base=hit[1], follow=Follow.SAME, label=label, where=where,
                                 paging=paging, at=at, depth=depth)
        if ctx is None:
            self.row(label, where, Fill.UNBOUND, "object")
            return self.node(sub, ctx=None, base=(), follow=Follow.NONE, label=label, where=where,
                             paging=paging, at=at, depth=depth)
        self.row(label, where, Fill.RECORD, f"{ctx} (same record)")
        return self.node(sub, ctx=ctx, base=(*base, prop), follow=Follow.SAME, label=label, where=where,
                         paging=paging, at=at, depth=depth)

    def array_child(self, shape: _Shape, prop: str, text: str, *, ctx: str | None, base: Path, label: str,
                    where: str, depth: int) -> Node:
        item_shape = self.shape(shape.items or {})
        node = Node("array", ctx=ctx, base=base)
        max_items = shape.schema.get("maxItems")
        if isinstance(max_items, int) and max_items > 0:
            node.max_items = min(max_items, 50)
        if ctx is None:
            self.row(label, where, Fill.UNBOUND, "array")
            node.item = self._item(shape, None, label, where, depth)
            return node
        if item_shape.kind == "object":
            named = self.cat.type_named(text, strict=True) or (
                self.cat.type_named(phrase(item_shape.name), strict=True) if item_shape.name else None)
            if named is not None and named != ctx and named in self.cat.types:
                relation = self._reverse(ctx, named)
                if relation is not None:
                    node.items_from, node.items_type, node.items_field = relation
                    self.row(label, where, Fill.RECORD, f"{ctx}→{named}[]")
                    node.item = self.node(shape.items or {}, ctx=named, base=(), follow=Follow.ITEM, label=label,
                                          where=where, depth=depth + 1)
                    return node
            hit = self.cat.lookup(ctx, base, [(text, 0)])
            if hit is not None and self.cat.fields[ctx][hit[1]].kind == "dicts":
                node.items_from, node.items_field = ItemsFrom.FIELD, hit[1]
                sub_ctx = f"{ctx}.{'.'.join(hit[1])}[]"
                self.row(label, where, Fill.RECORD, f"{ctx}.{'.'.join(hit[1])}[]")
                node.item = self.node(shape.items or {}, ctx=sub_ctx, base=(), follow=Follow.ITEM, label=label,
                                      where=where, depth=depth + 1)
                return node
            self.row(label, where, Fill.UNBOUND, "array")
            node.item = self.node(shape.items or {}, ctx=None, base=(), follow=Follow.NONE, label=label,
                                  where=where, depth=depth + 1)
            return node
        if item_shape.kind == "scalar":
            hit = self.cat.lookup(ctx, base, self._candidates(text, item_shape.schema))
            if hit is not None:
                info = self.cat.fields[ctx][hit[1]]
                if info.kind == "list":
                    node.items_from, node.items_field = ItemsFrom.FIELD, hit[1]
                elif info.kind == "scalar":
                    node.items_from, node.items_field = ItemsFrom.WRAP, hit[1]
                if node.items_from is not ItemsFrom.NONE:
                    self.row(label, where, Fill.RECORD, f"{ctx}.{'.'.join(hit[1])}")
                    node.item = self.scalar(self.scalar_schema(shape.items or {}), Getter(item=True))
                    return node
        node.item = self._item(shape, ctx, label, where, depth)
        if item_shape.kind != "scalar":
            self.row(label, where, Fill.UNBOUND, "array")
        else:
            fill, detail = self._fallback(self.scalar_schema(shape.items or {}), text)
            self.row(label, where, fill, detail)
        return node

    def _item(self, shape: _Shape, ctx: str | None, label: str, where: str, depth: int) -> Node:
        item_shape = self.shape(shape.items or {})
        if item_shape.kind == "scalar":
            return self.scalar(self.scalar_schema(shape.items or {}), None)
        return self.node(shape.items or {}, ctx=ctx, base=(), follow=Follow.NONE if ctx is None else Follow.SAME,
                         label=label, where=where, depth=depth + 1)

    def _reverse(self, ctx: str, other: str) -> tuple[ItemsFrom, str, Path] | None:
        """How records of ``other`` hang off a ``ctx`` record: owned by it, or referring to it."""
        if self.cat.owner_type(other) == ctx:
            return ItemsFrom.OWNED, other, ()
        for path, info in self.cat.fields.get(other, {}).items():
            if info.ref_type == ctx and len(path) == 1:
                return ItemsFrom.REVERSE, other, path
        return None

    # ----------------------------------------------------------- scalars
    def scalar(self, sub: Schema, getter: Getter | None) -> Node:
        schema = self.scalar_schema(sub)
        types = schema.get("type")
        kind = next((t for t in types if t != "null"), "string") if isinstance(types, list) else \
            types if isinstance(types, str) else "string"
        node = Node("scalar", getter=getter, type=kind, format=schema.get("format"),
                    enum=tuple(schema.get("enum") or ()))
        if getter is not None and getter.id_of is not None:
            node.id_style = self._id_style(schema, kind, getter.id_of)
        return node

    def _id_style(self, schema: Schema, kind: str, record_type: str) -> IdStyle:
        if schema.get("format") == "uuid":
            style = IdStyle("uuid")
        elif kind in ("integer", "number"):
            style = IdStyle("int")
        elif isinstance(schema.get("pattern"), str) and not _matches(schema["pattern"], self._sample_id(record_type)):
            style = IdStyle("pattern", schema["pattern"])
        else:
            return WORLD_ID
        self.id_styles.setdefault(record_type, set()).add(style)
        return style

    def _sample_id(self, record_type: str) -> str:
        rt = self.cat.types[record_type]
        return rt.entity_id(1) if rt.owner_field is None else f"{rt.prefix}-0001-01"

    def _candidates(self, text: str, schema: Schema) -> list[tuple[str, int]]:
        out = [(text, 0)]
        parts = text.split()
        stems = " ".join(_stem(w) for w in parts)
        if stems != text:
            out.append((stems, -8))
        dated = schema.get("format") in ("date", "date-time") or any(w in V.DATE_WORDS for w in parts)
        if dated:
            rest = [w for w in parts if w not in V.DATE_WORDS]
            if rest and rest != parts:
                out.append((" ".join(rest), -6))
                out.append((" ".join(_stem(w) for w in rest), -10))
            if any(w in V.UPDATED_WORDS for w in rest):
                out.append(("updated", -12))
                out.append(("created", -20))
            if rest and rest[-1] in V.CREATED_WORDS:
                out.append(("created", -14))
        return out

    def scalar_child(self, sub: Schema, text: str, *, ctx: str | None, base: Path, label: str,
                     where: str) -> Node:
        schema = self.scalar_schema(sub)
        if "const" in schema or (isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1):
            value = schema["const"] if "const" in schema else schema["enum"][0]
            self.row(label, where, Fill.CONSTANT, repr(value))
            return self.scalar(sub, None)
        if ctx is not None:
            found = self.match(schema, text, ctx, base)
            if found is not None:
                getter, detail = found
                self.row(label, where, Fill.RECORD, detail)
                return self.scalar(sub, getter)
        fill, detail = self._fallback(schema, text)
        self.row(label, where, fill, detail)
        return self.scalar(sub, None)

    def _fallback(self, schema: Schema, text: str) -> tuple[Fill, str]:
        for keyword in ("example", "default"):
            value = schema.get(keyword)
            if value is not None and not isinstance(value, (dict, list)):
                return Fill.EXAMPLE, f"{keyword}: {value!r}"
        examples = schema.get("examples")
        if isinstance(examples, list) and examples and not isinstance(examples[0], (dict, list)):
            return Fill.EXAMPLE, f"example: {examples[0]!r}"
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return Fill.EXAMPLE, f"enum ({len(schema['enum'])} values)"
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in V.GENERATOR_FORMATS:
            return Fill.GENERATOR, f"format: {fmt}"
        for name, phrases in V.GENERATORS.items():
            if text in phrases or (text.split()[-1:] and text.split()[-1] in phrases):
                return Fill.GENERATOR, name
        kind = schema.get("type")
        return Fill.UNBOUND, kind if isinstance(kind, str) else "value"

    def match(self, schema: Schema, text: str, ctx: str, base: Path) -> tuple[Getter, str] | None:
        """A record field for a scalar property, by meaning."""
        cat = self.cat
        parts = text.split()
        candidates = self._candidates(text, schema)
        phantom = bool(base) and base not in cat.fields.get(ctx, {})
        own = {phrase(ctx), *(phrase(s) for s in cat.words.record_types.get(ctx, ()))}
        for n in range(1, len(parts)):
            if " ".join(parts[:n]) in own:  # ``buyerEmail`` in a shopper
                candidates.append((" ".join(parts[n:]), -5))
        # the enclosing object's own value (``merchant: {name}``, ``name: {text}``)
        if base and text in V.SELF_WORDS and base in cat.fields.get(ctx, {}) \
                and cat.fields[ctx][base].kind == "scalar":
            return self._getter(schema, ctx, base, text), f"{ctx}.{'.'.join(base)}"
        if base and parts and parts[-1] in V.ID_WORDS and cat.fields.get(ctx, {}).get(base, FieldInfo((), "")).kind \
                == "scalar":
            return None  # ``category: {id, name}`` over a plain category name: no id in the world
        exact = cat.lookup(ctx, base, candidates[:1], exact_only=True)
        if exact is not None and (exact[0] >= 100 or exact[1][: len(base)] == base):
            return self._getter(schema, ctx, exact[1], text), f"{ctx}.{'.'.join(exact[1])}"
        # identifiers: own id, or a reference to a related record
        if parts and parts[-1] in V.ID_WORDS:
            head = " ".join(parts[:-1])
            named = cat.type_of.get(head) if head else ctx
            if named is None and 0 < len(parts) - 1 <= 2:
                named = cat.type_of.get(parts[-2])  # ``AmazonOrderId`` in an order
            if head and head != ctx and (head.replace(" ", "_"),) in cat.fields.get(ctx, {}):
                named = None  # ``brandId`` in a product: the brand's id, not the product's
            if (named == ctx or head in ("object", "record", "resource", "entity", "unique", "internal")) \
                    and ("id",) in cat.fields.get(ctx, {}):
                return Getter(path=("id",), id_of=ctx), f"{ctx}.id"
            named = cat.type_named(head, strict=True) if head else None
            if named is not None and named != ctx:
                ref = cat.refs(ctx).get(named)
                if ref is not None:
                    return Getter(path=ref, id_of=named), f"{ctx}.{ref[0]}→{named}"
        # a name for a record that has no person's name
        display = cat.words.display.get(ctx)
        if text in ("name", "display name", "full name", "label", "nickname") \
                and ("display_name",) not in cat.fields.get(ctx, {}) and ("name",) not in cat.fields.get(ctx, {}):
            owner = cat.owner_type(ctx)
            if base and owner is not None and base in cat.fields.get(ctx, {}):
                ref = cat.refs(ctx)[owner]
                return Getter(path=("display_name",), via=ref), f"{owner}.display_name via {ref[0]}"
            if display and not phantom:
                return Getter(template=display), f"{ctx}: {display}"
        hit = cat.lookup(ctx, base, candidates, own_words_only=phantom)
        # a related record's field: ``customerEmail`` in an account, ``sku`` in an order line
        related = self._related(schema, text, ctx)
        if hit is not None and (related is None or hit[0] >= related[0] - 5):
            return self._getter(schema, ctx, hit[1], text), f"{ctx}.{'.'.join(hit[1])}"
        if related is not None:
            return related[1], related[2]
        if text in V.MONEY_PARTS["currency"]:  # a currency with no money field of its own: the record's
            money = next((p for p, f in cat.fields.get(ctx, {}).items() if f.kind == "money"), None)
            if money is not None:
                return Getter(path=money, part="currency"), f"{ctx}.{'.'.join(money)}.currency"
        return None

    def _related(self, schema: Schema, text: str, ctx: str) -> tuple[int, Getter, str] | None:
        cat = self.cat
        parts = text.split()
        best: tuple[int, Getter, str] | None = None
        for other, ref in cat.refs(ctx).items():
            names = {phrase(other), *(phrase(s) for s in cat.words.record_types.get(other, ()))}
            for n in range(len(parts) - 1, 0, -1):
                head, rest = " ".join(parts[:n]), " ".join(parts[n:])
                if head in names:
                    hit = cat.lookup(other, (), self._candidates(rest, schema))
                    if hit is not None and (best is None or hit[0] - 10 > best[0]):
                        getter = self._getter(schema, other, hit[1], rest)
                        best = (hit[0] - 10, Getter(path=getter.path, via=ref, part=getter.part,
                                                    id_of=getter.id_of, template=getter.template),
                                f"{other}.{'.'.join(hit[1])} via {ref[0]}")
            rt = cat.types.get(ctx)
            if "[]" in ctx or (rt is not None and rt.owner_field is not None and ref == (rt.owner_field,)):
                hit = cat.lookup(other, (), self._candidates(text, schema), exact_only=True)
                if hit is not None and hit[0] >= 96 and (best is None or hit[0] - 40 > best[0]):
                    getter = self._getter(schema, other, hit[1], text)
                    best = (hit[0] - 40, Getter(path=getter.path, via=ref, part=getter.part, id_of=getter.id_of),
                            f"{other}.{'.'.join(hit[1])} via {ref[0]}")
        return best

    def _param_field(self, name: str, kind: str) -> Path | None:
        """The field a path parameter that is not an id names its record by (``{username}``, ``{sku}``)."""
        text = phrase(name)
        if not text or text.split()[-1] in V.ID_WORDS:
            return None
        hit = self.cat.lookup(kind, (), [(text, 0)])  # ranked: the score less 2 per path segment
        if hit is None or hit[0] < _SYNONYM - 2 or \
                self.cat.fields.get(kind, {}).get(hit[1], FieldInfo((), "")).kind != "scalar":
            return None
        return hit[1]

    def _getter(self, schema: Schema, ctx: str, path: Path, text: str) -> Getter:
        info = self.cat.fields.get(ctx, {}).get(path)
        id_of = ctx if path == ("id",) and ctx in self.cat.types else info.ref_type if info else None
        return Getter(path=path, id_of=id_of, part=self._part(schema, info, text))

    @staticmethod
    def _part(schema: Schema, info: FieldInfo | None, text: str) -> str | None:
        if info is None or info.kind != "money":
            return None
        parts = set(text.split())
        if parts & {"currency", "ccy", "denomination"}:
            return "currency"
        if parts & {"display", "formatted", "text", "label", "pretty", "readable"}:
            return "display"
        return "amount"

    # -------------------------------------------------------- operations
    def operation(self, op: Operation, record_type: str | None = None) -> OperationBinding:
        """How ``op`` is answered; ``record_type`` overrides the vote (an item of a list it already bound)."""
        cat = self.cat
        segments = [s for s in op.route.strip("/").split("/") if s]
        statics = [(i, s) for i, s in enumerate(segments) if "{" not in s and not _VERSION.match(s.lower())]
        reply = self.shape(op.success.schema) if op.success.schema else None
        record_type = record_type or self._record_type(op, statics, reply)
        binding = OperationBinding(op.key, record_type, Role.DETAIL)
        # path parameters: which record type each names
        for i, seg in enumerate(segments):
            for name in re.findall(r"\{([^}]+)\}", seg):
                own = [w for w in words(name) if w not in V.ID_WORDS]
                named = cat.type_named(" ".join(own)) if own else None
                if named is None:
                    previous = next((s for j, s in reversed(statics) if j < i), None)
                    named = cat.type_named(phrase(previous)) if previous else None
                binding.params[name] = named or record_type
        binding.role = self._role(op, segments, statics, reply, record_type)
        last_param = next((n for n in reversed(list(binding.params))), None)
        ends_in_param = bool(segments) and segments[-1].startswith("{") and segments[-1].endswith("}")
        for name, kind in reversed(binding.params.items()):
            if kind == record_type and binding.record_param is None and (
                    binding.role not in (Role.LIST, Role.CREATE) or name == last_param):
                binding.record_param = name
        if binding.record_param is None and ends_in_param and binding.role not in (Role.LIST, Role.CREATE):
            binding.record_param = last_param
            if last_param:
                binding.params[last_param] = record_type
        for name, kind in binding.params.items():
            keyed = self._param_field(name, kind)
            if keyed is not None:
                binding.param_fields[name] = keyed
        owner = cat.owner_type(record_type)
        for name, kind in binding.params.items():
            if name == binding.record_param:
                continue
            if owner is not None and kind == owner and binding.owner_param is None:
                binding.owner_param, binding.owner_type = name, owner
            else:
                ref = cat.refs(record_type).get(kind)
                if ref is not None:
                    binding.filters[name] = ref[0]
                back = cat.refs(kind).get(record_type)
                if back is not None and binding.record_param is None and binding.role is not Role.LIST \
                        and binding.record_via is None:
                    binding.record_via = (name, back[0])
        ctx = record_type
        if binding.role is Role.LIST and reply is not None:
            binding.list_pointer = self._list_pointer(reply, record_type, phrase(statics[-1][1]) if statics else "")
            if binding.record_param is not None and statics:
                hit = cat.lookup(record_type, (), [(phrase(statics[-1][1]), 0)])
                if hit is not None and cat.fields[record_type][hit[1]].kind == "dicts":
                    binding.list_field = hit[1]
                    ctx = f"{record_type}.{'.'.join(hit[1])}[]"
            binding.paging = self._paging(op)
        if reply is not None and reply.kind != "scalar":
            label = reply.name or (op.operation_id or op.key)
            if binding.list_pointer is not None:
                binding.paging_fields = self._paging_fields(reply, binding.list_pointer)
                binding.root = self._list_root(reply, binding.list_pointer, ctx, label,
                                               {v: k for k, v in binding.paging_fields.items()})
            else:
                binding.root = self.node(op.success.schema or {}, ctx=record_type, base=(), follow=Follow.ANCHOR,
                                         label=label, where="")
        return binding

    def _record_type(self, op: Operation, statics: list[tuple[int, str]], reply: _Shape | None) -> str:
        cat = self.cat
        scores: dict[str, int] = {}

        def vote(text: str, weight: int) -> None:
            named = cat.type_named(text)
            if named is not None:
                scores[named] = scores.get(named, 0) + weight

        for n, (_, seg) in enumerate(reversed(statics)):
            vote(phrase(seg), 6 if n == 0 else 2 if n == 1 else 1)
        item = reply
        if reply is not None and reply.kind == "array":
            item = self.shape(reply.items or {})
        elif reply is not None and reply.kind == "object":
            pointer = self._list_pointer(reply, None)
            if pointer:
                inner = self._at(reply, pointer)
                if inner is not None and inner.kind == "array":
                    item = self.shape(inner.items or {})
        if item is not None and item.name:
            vote(phrase(item.name), 4)
        if reply is not None and reply.name and reply is not item:
            vote(phrase(reply.name), 2)
        if op.operation_id:
            vote(phrase(op.operation_id), 3)
        for tag in op.tags:
            vote(phrase(tag), 2)
        if scores:
            order = {rt.name: i for i, rt in enumerate(cat.world.pack.record_types)}
            return max(scores, key=lambda t: (scores[t], -order[t]))
        if item is not None and item.kind == "object":
            overlap: dict[str, int] = {}
            for name in item.properties:
                for kind in cat.types:
                    if cat.lookup(kind, (), [(phrase(name), 0)], exact_only=False) is not None:
                        overlap[kind] = overlap.get(kind, 0) + 1
            if overlap:
                best = max(overlap, key=lambda t: overlap[t])
                if overlap[best] >= 2:
                    return best
        return cat.main_type

    def _role(self, op: Operation, segments: list[str], statics: list[tuple[int, str]], reply: _Shape | None,
              record_type: str) -> Role:
        method = op.method.upper()
        last = segments[-1] if segments else ""
        ends_in_param = last.startswith("{") and last.endswith("}")
        tail_verb = ""
        tail = words(last) if not ends_in_param else ()
        if ":" in last:
            tail_verb = last.rsplit(":", 1)[1]
        elif tail and (tail[0] in V.ACTION_VERBS or set(tail) & _SEARCH_WORDS):
            tail_verb = last
        hint = phrase(statics[-1][1]) if statics and not ends_in_param else ""
        listy = reply is not None and (reply.kind == "array" or bool(self._list_pointer(reply, record_type, hint)))
        if method == "GET":
            if ends_in_param:
                return Role.DETAIL
            return Role.LIST if listy else Role.DETAIL
        if method in ("PUT", "PATCH"):
            return Role.UPDATE
        if method == "DELETE":
            return Role.DELETE
        if method == "POST":
            if tail_verb:
                return Role.LIST if set(words(tail_verb)) & _SEARCH_WORDS and listy else Role.ACTION
            return Role.UPDATE if ends_in_param else Role.CREATE
        return Role.DETAIL

    def _at(self, shape: _Shape, pointer: Path) -> _Shape | None:
        current: _Shape | None = shape
        for part in pointer:
            if current is None or part not in current.properties:
                return None
            current = self.shape(current.properties[part])
        return current

    def _list_pointer(self, reply: _Shape, record_type: str | None, hint: str = "") -> Path | None:
        """Where the list of records sits in a body: the body itself, or its best array of objects."""
        if reply.kind == "array":
            return ()
        best: tuple[int, Path] | None = None

        def visit(shape: _Shape, at: Path, depth: int) -> None:
            nonlocal best
            for prop, sub in shape.properties.items():
                inner = self.shape(sub)
                text = phrase(prop)
                if inner.kind == "array" and self.shape(inner.items or {}).kind == "object":
                    score = 1
                    item = self.shape(inner.items or {})
                    named = self.cat.type_named(text) or (self.cat.type_named(phrase(item.name))
                                                          if item.name else None)
                    if record_type is not None and named == record_type:
                        score += 6
                    if text in V.LIST_WORDS:
                        score += 5 - V.LIST_WORDS.index(text) // 5
                    if hint and text == hint:
                        score += 5
                    if text in _NOT_LISTS:
                        score -= 20
                    score -= depth
                    if best is None or score > best[0]:
                        best = (score, (*at, prop))
                elif inner.kind == "object" and depth < 2 and (text in V.LIST_WORDS or depth == 0):
                    visit(inner, (*at, prop), depth + 1)

        visit(reply, (), 0)
        if best is None or best[0] < 3:
            return None
        return best[1]

    def _paging(self, op: Operation) -> Paging | None:
        query = {phrase(p.name): p.name for p in op.parameters if p.location == "query"}
        found: dict[str, dict[str, str]] = {}
        for style, roles in V.PAGING_PARAMS.items():
            for role, phrases in roles.items():
                for text, name in query.items():
                    if text in phrases and role not in found.get(style, {}):
                        found.setdefault(style, {})[role] = name
        for style, main in (("cursor", "cursor"), ("page", "page"), ("offset", "offset")):
            if main in found.get(style, {}):
                return Paging(style, found[style])
        for style in ("offset", "page", "cursor"):
            if found.get(style):
                return Paging(style, found[style])
        return None

    def _paging_fields(self, reply: _Shape, pointer: Path) -> dict[str, Path]:
        out: dict[str, Path] = {}
        holders: list[tuple[_Shape, Path]] = [(reply, ())]
        parent = self._at(reply, pointer[:-1]) if pointer else None
        if parent is not None and pointer[:-1]:
            holders.append((parent, pointer[:-1]))
        for shape, at in list(holders):
            for prop, sub in shape.properties.items():
                inner = self.shape(sub)
                if inner.kind == "object" and phrase(prop) in V.PAGING_HOLDERS:
                    holders.append((inner, (*at, prop)))
        for shape, at in holders:
            for prop, sub in shape.properties.items():
                if (*at, prop) == pointer or self.shape(sub).kind != "scalar":
                    continue
                text = phrase(prop)
                for role, phrases in V.PAGING_FIELDS.items():
                    if text in phrases and role not in out:
                        out[role] = (*at, prop)
                        break
        return out

    def _list_root(self, reply: _Shape, pointer: Path, ctx: str, label: str, paging: Mapping[Path, str]) -> Node:
        if not pointer:
            return self._list_array(reply.schema, ctx, label, "")
        return self.node(reply.schema, ctx=None, base=(), follow=Follow.ANCHOR, label=label, where="",
                         paging=paging, at=(), list_at=pointer, list_ctx=ctx)

    def _list_array(self, schema: Schema, ctx: str | None, label: str, where: str) -> Node:
        shape = self.shape(schema)
        array = Node("array", ctx=ctx, items_from=ItemsFrom.LIST)
        array.item = self.node(shape.items or {}, ctx=ctx, base=(), follow=Follow.ITEM, label=label, where=where)
        if where:
            self.row(label, where, Fill.RECORD, f"{ctx}{'' if str(ctx).endswith('[]') else '[]'} (the list)")
        return array


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def _segments(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


_INDEX = re.compile(r"(?<=/)[0-9]+(?=/|$)")


def _shape_of(pointer: str) -> str:
    """The pointer with its array indices as ``*``: every item of a list shares one compiled node."""
    return _INDEX.sub("*", pointer)


def param_style(description: Description, schema: Schema) -> IdStyle | None:
    """How a path parameter's schema writes a record id (None: any string, the world's own id)."""
    _, resolved = description.deref(schema)
    kind = resolved.get("type")
    if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
        return IdStyle("int")
    if resolved.get("format") == "uuid":
        return IdStyle("uuid")
    if isinstance(resolved.get("pattern"), str):
        return IdStyle("pattern", resolved["pattern"])
    return None


def _items_of_lists(description: Description, operations: Mapping[str, OperationBinding]
                    ) -> list[tuple[Operation, str]]:
    """Operations on a list's resource bound to another type than the list: the list's own writes
    (``POST /EarningsRates``) and its items (``/EarningsRates/{id}``) are records of the list's type,
    whatever their schemas' names vote for, so what a POST makes is what the list and the detail show."""
    lists = {op.route.rstrip("/"): operations[op.key].record_type for op in description.operations
             if op.method == "GET" and operations[op.key].role is Role.LIST}
    out = []
    for op in description.operations:
        route = op.route.rstrip("/")
        parent, _, last = route.rpartition("/")
        kind = lists.get(route) if op.method != "GET" else None
        if kind is None and last.startswith("{") and last.endswith("}"):
            kind = lists.get(parent)
        if kind is not None and operations[op.key].record_type != kind:
            out.append((op, kind))
    return out


def _ids_as_paths_take_them(description: Description, operations: Mapping[str, OperationBinding],
                            id_styles: dict[str, set[IdStyle]]) -> None:
    """A plain-string id property shows its record as the detail's path parameter writes it.

    A list whose ``id`` is a free string and a detail whose ``{workoutId}`` is an integer must agree:
    the front-end calls the detail with the id the list showed.
    """
    path_styles: dict[str, IdStyle] = {}
    for op in description.operations:
        binding = operations[op.key]
        for param in op.path_params():
            kind = binding.params.get(param.name)
            style = param_style(description, param.schema) if param.name not in binding.param_fields else None
            if kind is not None and style is not None:
                path_styles.setdefault(kind, style)
    if not path_styles:
        return
    seen: set[int] = set()
    for binding in operations.values():
        stack = [binding.root] if binding.root is not None else []
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(node.children.values())
            if node.item is not None:
                stack.append(node.item)
            target = node.getter.id_of if node.getter is not None else None
            wanted = path_styles.get(target) if target is not None else None
            if target is not None and wanted is not None and node.id_style is WORLD_ID and node.type == "string" \
                    and not node.format:
                node.id_style = wanted
                id_styles.setdefault(target, set()).add(wanted)


def bind(description: Description, world: World, *, industry_words: IndustryWords | ModuleType,
         pins: Mapping[str, str] | None = None) -> Bindings:
    """Bind every operation and response property of ``description`` to ``world``'s record types and fields.

    ``world`` is a sample world of the story's industry (any seed: only
    its record types and field shapes are read).  ``pins`` are the story's
    ``bind={"Schema.property": "record_type.field.path"}``; a property's
    ``x-pymockapi`` says the same in the description.  A pin that names no
    record type raises :class:`BindingError`.
    """
    words_ = industry_words if isinstance(industry_words, IndustryWords) else IndustryWords.of(industry_words)
    binder = _Binder(description, world, words_, pins or {})
    operations = {op.key: binder.operation(op) for op in description.operations}
    for op, record_type in _items_of_lists(description, operations):
        operations[op.key] = binder.operation(op, record_type)
    _ids_as_paths_take_them(description, operations, binder.id_styles)
    owner_fields = {rt.name: rt.owner_field for rt in world.pack.record_types if rt.owner_field}
    return Bindings(world.pack.name, operations, list(binder.rows.values()), binder.id_styles, owner_fields)
