"""Build a body valid against a schema, asking a :class:`~.model.Source` slot by slot.

The world decides what a body *says*; this module decides only how it is
*shaped*.  Every scalar the source gives is coerced to its slot's schema and
checked against just that slot (cached per-schema validators, never the
whole body); what the source cannot give is generated deterministically from
the slot's seed, so a record shows the same values in a list and in its
detail, and two records never share a generated string.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import random
import re
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import rstr
from jsonschema import Draft202012Validator, FormatChecker
from stdnum import ean, iban

from pymockapi.apispec import vocabulary as V
from pymockapi.apispec.model import MISSING, REF_PREFIX, Description, Schema, Slot, Source
from pymockapi.apispec.names import words
from pymockapi.industries.common import phone_for
from pymockapi.render.schemas import json_type
from pymockapi.slices import checkpoint

R = TypeVar("R")
#: An object schema's members to build, (key, schema, required), and its required keys without a schema.
_Members = tuple[list[tuple[str, Schema, bool]], list[str]]
#: How often one named schema may be open on the stack before optional properties stop descending.
CYCLE_LIMIT = 2
#: Hard nesting bound: a schema whose *required* properties recurse forever ends here.
MAX_DEPTH = 24
_ANCHOR = date(2025, 1, 15)
_FORMAT_CHECKER = FormatChecker()

_ADJECTIVES = ("Amber", "Bright", "Cedar", "Coastal", "Crystal", "Golden", "Harbor", "Maple", "Northern", "Quiet",
               "Silver", "Summit", "Urban", "Willow", "Evergreen", "Granite", "Meadow", "Rapid", "Sterling", "Violet")
_NOUNS = ("Ledger", "Garden", "Bridge", "Studio", "Market", "Harvest", "Signal", "Beacon", "Orchard", "Atlas",
          "Compass", "Canyon", "Lantern", "Horizon", "Pioneer", "Anchor", "Falcon", "Meridian", "Summit", "Voyage")
_PHRASES = ("Scheduled review", "Customer request", "Routine update", "Follow-up required", "Awaiting approval",
            "Processed as planned", "Updated by the team", "Confirmed by phone", "Standard handling",
            "Priority follow-up")
_COUNTRIES = ("US", "GB", "CA", "DE", "FR", "AU", "NL", "IE")
_LANGUAGES = ("en-US", "en-GB", "fr-FR", "de-DE", "es-ES")
_AREA_CODES = ("202", "212", "303", "312", "415", "503", "617", "702", "808", "919")
_SENTENCE_WORDS = ("description", "note", "notes", "comment", "comments", "message", "summary", "reason", "remark",
                   "remarks", "details", "text", "memo", "instructions", "instruction", "info", "information",
                   "condition", "terms", "disclaimer", "policy")
_NAME_WORDS = ("name", "title", "label", "display", "nickname", "brand", "company", "organization", "organisation")
_PHONE_WORDS = ("phone", "mobile", "fax", "tel", "telephone", "cell", "msisdn")
_CENTS_WORDS = ("cents", "cent", "minor")
#: Keys around a oneOf/anyOf that constrain nothing: a branch is built alone when only these surround it.
_ANNOTATION_KEYS = frozenset({"description", "title", "discriminator", "deprecated", "readOnly", "writeOnly",
                              "$comment"})


def _words(name: str | None) -> list[str]:
    """The name's singular words, as the binder hears them (``photoUrls`` -> ``["photo", "url"]``)."""
    return list(words(name)) if name else []


def _rng(seed: str) -> random.Random:
    """A generator seeded from ``seed`` with blake2b: stable across processes (never ``hash()``)."""
    return random.Random(int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big"))


def _code(seed: str, n: int = 4) -> str:
    return hashlib.blake2b(seed.encode(), digest_size=8).hexdigest()[:n].upper()


# -- validators ------------------------------------------------------------------------------------


def _direction_table(description: Description, direction: str | None) -> dict[str, Schema]:
    """The named schemas as validated in one direction: readOnly (requests) / writeOnly (responses) not required."""
    caches = description.caches.setdefault("tables", {})
    if direction not in caches:
        if direction is None:
            caches[direction] = description.schemas
        else:
            flag = "readOnly" if direction == "request" else "writeOnly"
            caches[direction] = {n: _relax(description, s, flag) for n, s in description.schemas.items()}
    table: dict[str, Schema] = caches[direction]
    return table


def _relax(description: Description, schema: Any, flag: str) -> Any:
    """A copy of ``schema`` whose ``required`` lists leave out properties marked ``flag``."""
    if isinstance(schema, list):
        return [_relax(description, s, flag) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: (_relax(description, v, flag) if isinstance(v, dict | list) and k not in ("enum", "const", "example",
               "default", "examples") else v) for k, v in schema.items()}
    props = schema.get("properties")
    if isinstance(props, dict) and isinstance(schema.get("required"), list):
        marked = {k for k, v in props.items() if isinstance(v, dict) and _flagged(description, v, flag)}
        out["required"] = [r for r in schema["required"] if r not in marked]
    return out


def _flagged(description: Description, schema: Schema, flag: str) -> bool:
    if schema.get(flag) is True:
        return True
    _, target = description.deref(schema)
    return bool(target.get(flag) is True)


def _per_schema(cache: dict[Any, tuple[Schema, R]], key: Any, schema: Schema, make: Callable[[], R]) -> R:
    """``make()`` once per schema object, cached under ``key`` (built from its ``id``).

    The schema is kept alive beside what was made from it, so its id stays
    its own and a hit is checked by identity.
    """
    hit = cache.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    made = make()
    cache[key] = (schema, made)
    return made


def validator_for(description: Description, schema: Schema, direction: str | None = None) -> Draft202012Validator:
    """A cached 2020-12 validator (with format checks) for ``schema``; named ``$ref``s resolve in the description.

    ``direction`` "request" / "response" validates as OpenAPI does: readOnly
    (resp. writeOnly) properties stop being required.  Cached by the schema's
    identity; the schema is kept alive with its validator so the id stays its own.
    """
    def make() -> Draft202012Validator:
        table = _direction_table(description, direction)
        flag = "readOnly" if direction == "request" else "writeOnly"
        body = _relax(description, schema, flag) if direction else schema
        root = {**body, "components": {"schemas": table}} if _has_ref(body) else body
        return Draft202012Validator(root, format_checker=_FORMAT_CHECKER)

    validator: Draft202012Validator = _per_schema(description.caches.setdefault("validators", {}),
                                                  (id(schema), direction), schema, make)
    return validator


def _has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(_has_ref(v) for v in schema.values() if isinstance(v, dict | list))
    if isinstance(schema, list):
        return any(_has_ref(v) for v in schema)
    return False


def _valid(description: Description, schema: Schema, value: Any) -> bool:
    try:
        return bool(validator_for(description, schema).is_valid(value))
    except (re.error, RecursionError):  # pragma: no cover - loader moved unusable patterns aside
        return False


# -- schema shapes ---------------------------------------------------------------------------------


def merged(description: Description, schema: Schema) -> Schema:
    """``schema`` with its ``allOf`` folded in (properties and required united), cached by identity."""
    if "allOf" not in schema:
        return schema
    def make() -> Schema:
        out: Schema = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            _, target = description.deref(member)
            _fold(out, merged(description, target))
        return out

    return _per_schema(description.caches.setdefault("merged", {}), id(schema), schema, make)


def _fold(out: Schema, part: Schema) -> None:
    for key, value in part.items():
        if key == "properties":
            props = dict(out.get("properties", {}))
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props and props[name] != sub else sub
            out["properties"] = props
        elif key == "required":
            out["required"] = list(dict.fromkeys([*out.get("required", []), *value]))
        elif key == "type" and "type" in out:
            out["type"] = _meet(out["type"], value)
        elif key in ("readOnly", "writeOnly", "description", "title", "discriminator", "example"):
            out.setdefault(key, value)
        else:
            out.setdefault(key, value)


def _meet(a: Any, b: Any) -> Any:
    left = set(a) if isinstance(a, list) else {a}
    right = set(b) if isinstance(b, list) else {b}
    if "number" in left and "integer" in right:
        left.add("integer")
    if "number" in right and "integer" in left:
        right.add("integer")
    both = [t for t in (a if isinstance(a, list) else [a]) if t in right] or [a if isinstance(a, str) else a[0]]
    return both[0] if len(both) == 1 else both


def _allof_names(schema: Schema) -> list[str]:
    """Named schemas an ``allOf`` pulls in: open on the stack too, so cycles through allOf end."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return []
    return [m["$ref"][len(REF_PREFIX):] for m in members
            if isinstance(m, dict) and isinstance(m.get("$ref"), str) and m["$ref"].startswith(REF_PREFIX)]


def kind_of(schema: Schema) -> str | None:
    """The JSON type to build: the first non-null of a type array, else inferred from the keywords."""
    kind = schema.get("type")
    if isinstance(kind, list):
        others = [t for t in kind if t != "null"]
        return str(others[0]) if others else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    for key in ("const", "example", "default"):
        if key in schema and schema[key] is not None:
            return json_type(schema[key])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return json_type(next((e for e in schema["enum"] if e is not None), None))
    if any(k in schema for k in ("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum")):
        return "number"
    return None


def _refuses_at_a_glance(description: Description, schema: Schema, value: Any) -> bool:
    """True when the schema's type, required properties, closed properties, const or enum refuse the
    value; False means only that a full validation must decide."""
    target = merged(description, description.deref(schema)[1])
    declared = target.get("type")
    if isinstance(declared, str | list):
        types = [declared] if isinstance(declared, str) else declared
        kind = json_type(value)
        admitted = kind in types or (kind == "integer" and "number" in types) or (
            kind == "number" and "integer" in types and float(value).is_integer())
        if not admitted:
            return True
    if isinstance(value, dict):
        required = target.get("required")
        if isinstance(required, list) and any(isinstance(k, str) and k not in value for k in required):
            return True
        props = target.get("properties")
        if target.get("additionalProperties") is False and isinstance(props, dict) and \
                "patternProperties" not in target and any(k not in props for k in value):
            return True
    if "const" in target and target["const"] != value:
        return True
    enum = target.get("enum")
    return isinstance(enum, list) and value not in enum


# -- the builder -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _At:
    """Where the builder is: body pointer, property, parent, record and the seed base of that record.

    Made positionally by the methods below, never with
    ``dataclasses.replace``: one is made for every value of a body
    (thousands per list), and ``replace`` cost more than building the value.
    """

    pointer: str
    property: str | None
    parent: str | None
    schema_name: str | None
    record: Mapping[str, Any] | None
    seed_base: str
    relative: str  # the pointer below the nearest record (so a list item and a detail agree)

    def child(self, key: str | int, prop: str | None) -> _At:
        part = "/" + (str(key).replace("~", "~0").replace("/", "~1") if not isinstance(key, int) else str(key))
        if prop is None:
            return _At(self.pointer + part, self.property, self.parent, self.schema_name, self.record,
                       self.seed_base, self.relative + part)
        return _At(self.pointer + part, prop, self.property, self.schema_name, self.record, self.seed_base,
                   self.relative + part)

    def named(self, schema_name: str) -> _At:
        return _At(self.pointer, self.property, self.parent, schema_name, self.record, self.seed_base,
                   self.relative)

    def of_record(self, record: Mapping[str, Any]) -> _At:
        """Below ``record``: values are seeded from its identity, so its list item and its detail agree."""
        return _At(self.pointer, self.property, self.parent, self.schema_name, record, record_key(record), "")

    def slot(self, schema: Schema) -> Slot:
        return Slot(pointer=self.pointer, property=self.property, parent=self.parent, schema_name=self.schema_name,
                    schema=schema, record=self.record, seed=self.seed_base + "#" + self.relative)


def record_key(record: Mapping[str, Any]) -> str:
    """A record's stable identity for seeding: its id, else a digest of its items."""
    for key in ("id", "_id", "uuid", "key", "code"):
        if key in record and record[key] is not None:
            return f"{key}={record[key]}"
    return "r=" + hashlib.blake2b(repr(sorted((str(k), repr(v)) for k, v in record.items())).encode(),
                                  digest_size=8).hexdigest()


class _Builder:
    def __init__(self, description: Description, source: Source, direction: str, anchor: date) -> None:
        self.description = description
        self.source = source
        self.direction = direction
        self.anchor = anchor
        self.stack: list[str] = []
        caches = description.caches.setdefault("builder", {})
        self._plans: dict[int, tuple[Schema, tuple[list[str], Schema, Schema]]] = caches.setdefault("opened", {})
        self._props: dict[int, tuple[Schema, _Members]] = caches.setdefault(direction, {})

    # -- dispatch --

    def _opened(self, schema: Schema) -> tuple[list[str], Schema, Schema]:
        """(named schemas it opens, its target, the target with allOf folded), once per schema.

        Cached by identity, so a throwaway ``{}`` (an untyped item) is not kept.
        """
        if not schema:
            return [], schema, schema

        def make() -> tuple[list[str], Schema, Schema]:
            name, target = self.description.deref(schema)
            return ([name] if name is not None else []) + _allof_names(target), target, merged(self.description,
                                                                                               target)

        return _per_schema(self._plans, id(schema), schema, make)

    def _members(self, schema: Schema) -> _Members:
        """An object's properties to build in this direction, (key, schema, required), and the required
        keys it does not describe; once per schema."""
        def make() -> _Members:
            props: dict[str, Any] = schema.get("properties") or {}
            required = list(dict.fromkeys(r for r in schema.get("required", []) if isinstance(r, str)))
            skip = "writeOnly" if self.direction == "response" else "readOnly"
            members = [(key, sub if isinstance(sub, dict) else {}, key in required) for key, sub in props.items()
                       if not (isinstance(sub, dict) and _flagged(self.description, sub, skip))]
            return members, [key for key in required if key not in props]

        return _per_schema(self._props, id(schema), schema, make)

    def value(self, schema: Schema, at: _At, minimal: bool = False, optional: bool = False) -> Any:
        """The value at ``at``; for an ``optional`` property the world has no value for, :data:`OMIT`."""
        opened, target, folded = self._opened(schema)
        if opened:
            at = at.named(opened[0])
            if any(self.stack.count(n) >= CYCLE_LIMIT for n in opened):
                minimal = True
            self.stack.extend(opened)
        try:
            if len(self.stack) > MAX_DEPTH or at.pointer.count("/") > MAX_DEPTH * 2:
                return self.shortest(target)
            return self.shaped(folded, at, minimal, optional)
        finally:
            del self.stack[len(self.stack) - len(opened):]

    def shaped(self, schema: Schema, at: _At, minimal: bool, optional: bool = False) -> Any:
        if "oneOf" in schema or "anyOf" in schema:
            return self.choice(schema, at, minimal)
        kind = kind_of(schema)
        if kind == "object":
            return self.object(schema, at, minimal)
        if kind == "array":
            return self.array(schema, at, minimal)
        return self.scalar(schema, at, kind, optional)

    def shortest(self, schema: Schema) -> Any:
        kind = kind_of(merged(self.description, schema))
        return {"object": {}, "array": [], "string": "", "integer": 0, "number": 0, "boolean": False}.get(kind or "")

    # -- oneOf / anyOf --

    def choice(self, schema: Schema, at: _At, minimal: bool) -> Any:
        keyword = "oneOf" if "oneOf" in schema else "anyOf"
        base = {k: v for k, v in schema.items() if k != keyword}
        branches: list[Schema] = [b for b in schema[keyword] if isinstance(b, dict)]
        order = self._branch_order(schema, branches, at, minimal)
        built: Any = MISSING
        for index, tag, branch in order:
            candidate = self._branch(schema, index, base, branch, at, minimal, tag)
            if built is MISSING:
                built = candidate
            if keyword == "anyOf" or self._exactly_one(branches, candidate, index):
                return candidate
            candidate = self._disambiguate(branches, index, candidate)
            if self._exactly_one(branches, candidate, index):
                return candidate
        return built

    def _branch_order(self, schema: Schema, branches: list[Schema], at: _At,
                      minimal: bool = False) -> list[tuple[int, str | None, Schema]]:
        """Branches in the order to try: the source's or discriminator's suggestion, then non-null ones, then null."""
        disc = schema.get("discriminator") if isinstance(schema.get("discriminator"), dict) else None
        for branch in branches:
            if disc is None:
                _, target = self.description.deref(branch)
                disc = target.get("discriminator") if isinstance(target.get("discriminator"), dict) else None
        tags: dict[int, str] = {}
        if disc is not None:
            prop = str(disc.get("propertyName", ""))
            mapping = disc.get("mapping") if isinstance(disc.get("mapping"), dict) else {}
            for index, branch in enumerate(branches):
                ref = branch.get("$ref")
                named = [t for t, r in mapping.items() if r == ref]
                if named:
                    tags[index] = named[0]
                elif isinstance(ref, str) and ref.startswith(REF_PREFIX):
                    tags[index] = ref[len(REF_PREFIX):]
            wanted = self.source.value(at.child(prop, prop).slot({"type": "string"})) if prop else MISSING
            if isinstance(wanted, str) and wanted in tags.values():
                first = [i for i, t in tags.items() if t == wanted]
                rest = [i for i in range(len(branches)) if i not in first]
                return [(i, tags.get(i), branches[i]) for i in first + rest]
        nulls = [i for i, b in enumerate(branches) if b.get("type") == "null"]
        ordered = [i for i in range(len(branches)) if i not in nulls]
        ordered = nulls + ordered if minimal else ordered + nulls  # deep in a cycle, null ends it
        return [(i, tags.get(i), branches[i]) for i in ordered]

    def _branch(self, schema: Schema, index: int, base: Schema, branch: Schema, at: _At, minimal: bool,
                tag: str | None) -> Any:
        _, target = self.description.deref(branch)
        value = self.value(self._combined(schema, index, base, branch), at, minimal)
        if tag is not None and isinstance(value, dict):
            disc = merged(self.description, target).get("discriminator") or base.get("discriminator") or {}
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            if isinstance(prop, str):
                value[prop] = tag
        return value

    def _combined(self, schema: Schema, index: int, base: Schema, branch: Schema) -> Schema:
        """``base`` (the schema around a oneOf) with one branch, as an allOf cached per (schema, branch)."""
        if all(k in _ANNOTATION_KEYS or k.startswith("x-") for k in base):
            return branch
        return _per_schema(self.description.caches.setdefault("branches", {}), (id(schema), index), schema,
                           lambda: {"allOf": [base, branch]})

    def _disambiguate(self, branches: list[Schema], index: int, value: Any) -> Any:
        """Make an object that several oneOf branches accept fit only its own: null or drop a shared property."""
        if not isinstance(value, dict):
            return value
        own = merged(self.description, self.description.deref(branches[index])[1])
        own_props: dict[str, Any] = own.get("properties") or {}
        for j, other in enumerate(branches):
            if j == index or not _valid(self.description, other, value):
                continue
            theirs = merged(self.description, self.description.deref(other)[1])
            their_props: dict[str, Any] = theirs.get("properties") or {}
            for key in list(value):
                mine, their = own_props.get(key), their_props.get(key)
                if not isinstance(mine, dict) or not isinstance(their, dict):
                    continue
                if _valid(self.description, mine, None) and not _valid(self.description, their, None):
                    value = {**value, key: None}
                    break
                if key in theirs.get("required", []) and key not in own.get("required", []):
                    value = {k: v for k, v in value.items() if k != key}
                    break
            else:
                value = self._foreign_null(own, own_props, their_props, value)
        return value

    def _foreign_null(self, own: Schema, own_props: dict[str, Any], their_props: dict[str, Any],
                      value: dict[str, Any]) -> dict[str, Any]:
        """Last resort: a property only the other branch defines, set to null, which that branch refuses."""
        if own.get("additionalProperties") is False or own.get("unevaluatedProperties") is False:
            return value
        for key, their in their_props.items():
            if key not in own_props and key not in value and isinstance(their, dict) and not _valid(
                    self.description, their, None):
                return {**value, key: None}
        return value

    def _exactly_one(self, branches: list[Schema], value: Any, own: int) -> bool:
        """No branch but its own accepts the value (built for its own, it fits that one by construction).

        Validating a whole body against its own branch again would cost more than building it (a
        top-level ``oneOf`` around a 200 kB list); other branches mostly refuse at a glance.
        """
        return not any(j != own and not _refuses_at_a_glance(self.description, b, value)
                       and _valid(self.description, b, value) for j, b in enumerate(branches))

    # -- objects and arrays --

    def object(self, schema: Schema, at: _At, minimal: bool) -> dict[str, Any]:
        checkpoint()  # between whole objects: a big body may pause here (run in slices)
        slot = at.slot(schema)
        record = self.source.record_for(slot)
        if record is not None and record is not at.record:
            at = at.of_record(record)
        out: dict[str, Any] = {}
        members, undescribed = self._members(schema)
        for key, sub, is_required in members:
            if not is_required and (minimal or self._cyclic(sub)):
                continue
            value = self.value(sub, at.child(key, key), minimal, optional=not is_required)
            if value is not OMIT:
                out[key] = value
        for key in undescribed:
            extra = schema.get("additionalProperties")
            out[key] = self.value(extra if isinstance(extra, dict) else {}, at.child(key, key), minimal)
        self._fill_map(schema, out, at)
        return out

    def _fill_map(self, schema: Schema, out: dict[str, Any], at: _At) -> None:
        extra = schema.get("additionalProperties")
        wanted = int(schema.get("minProperties", 0))
        n = 0
        while len(out) < wanted and extra is not False:
            n += 1
            key = f"key{n}"
            out[key] = self.value(extra if isinstance(extra, dict) else {}, at.child(key, key))

    def _cyclic(self, schema: Any) -> bool:
        """Would this optional property open a named schema already open CYCLE_LIMIT times?"""
        if not isinstance(schema, dict):
            return False
        for candidate in (schema, schema.get("items")):
            if isinstance(candidate, dict):
                name, _ = self.description.deref(candidate)
                if name is not None and self.stack.count(name) >= CYCLE_LIMIT - 1 and name in self.stack:
                    return True
        return False

    def array(self, schema: Schema, at: _At, minimal: bool) -> list[Any]:
        items: Schema = schema["items"] if isinstance(schema.get("items"), dict) else {}
        prefix = [p for p in schema.get("prefixItems", []) if isinstance(p, dict)]
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        records = self.source.items(at.slot(schema))
        out: list[Any] = []
        if records is not None:
            for i, record in enumerate(records[: high if isinstance(high, int) else None]):
                item_at = at.child(i, None).of_record(record)
                out.append(self.value(prefix[i] if i < len(prefix) else items, item_at))
        count = low if minimal or records is not None or self._cyclic(schema) else max(low, 1)
        if isinstance(high, int):
            count = min(count, high)
        attempt = 0
        while len(out) < count and attempt < count + 8:
            i = len(out)
            value = self.value(prefix[i] if i < len(prefix) else items, at.child(f"{i}" if attempt == i else
                               f"{i}~{attempt}", None), minimal)
            attempt += 1
            if schema.get("uniqueItems") and value in out:
                continue
            out.append(value)
        return out

    # -- scalars --

    def scalar(self, schema: Schema, at: _At, kind: str | None, optional: bool = False) -> Any:
        slot = at.slot(schema)
        given = self.source.value(slot)
        if given is None:  # the world has nothing here: null where allowed, left out where optional
            if _valid(self.description, schema, None):
                return None
            if optional:
                return OMIT
        elif given is not MISSING:
            value = coerce(schema, given, at.property)
            if value is not MISSING and _valid(self.description, schema, value):
                return value
        return generate(self.description, schema, slot, kind, self.anchor)


# -- coercion --------------------------------------------------------------------------------------


def _types(schema: Schema) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(t) for t in kind]
    if isinstance(kind, str):
        return [kind]
    guess = kind_of(schema)
    return [guess] if guess else []


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Mapping):
        for key in ("amount", "value", "units"):
            if key in value:
                return _number(value[key])
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    return None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def coerce(schema: Schema, value: Any, prop: str | None = None) -> Any:
    """The world's ``value`` in the form ``schema`` wants, or MISSING when it cannot be made to fit."""
    enum = schema.get("enum")
    if isinstance(enum, list):
        return _enum_match(enum, value)
    if "const" in schema:
        return schema["const"] if value == schema["const"] else MISSING
    types = _types(schema)
    if value is None:
        return None if "null" in types or not types else MISSING
    kind = next((t for t in types if t != "null"), None)
    if kind is None:
        return _plain_value(value)
    if kind == "integer":
        return _to_integer(value, prop)
    if kind == "number":
        number = _number(value)
        if number is None:
            return MISSING
        return int(number) if number == number.to_integral_value() and "." not in str(number) else float(number)
    if kind == "boolean":
        return _to_boolean(value)
    if kind == "string":
        return _to_string(schema, value)
    if kind in ("object", "array"):
        return value if isinstance(value, dict if kind == "object" else list) else MISSING
    return MISSING  # pragma: no cover - "null" handled above


def _enum_match(enum: list[Any], value: Any) -> Any:
    if (value in enum and not isinstance(value, bool | dict | list)) or (value is None and None in enum):
        return value
    text = _norm(str(value.get("code", value.get("value", "")) if isinstance(value, Mapping) else value))
    for option in enum:
        if option is not None and _norm(str(option)) == text:
            return option
    return MISSING


def _plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _to_integer(value: Any, prop: str | None) -> Any:
    number = _number(value)
    if number is None:
        return MISSING
    if set(_words(prop)) & set(_CENTS_WORDS) and (isinstance(value, Mapping) or number != int(number)):
        return int((number * 100).to_integral_value())
    if number == number.to_integral_value():
        return int(number)
    return MISSING


def _to_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.lower() in ("true", "yes", "1")
    return MISSING


def _to_string(schema: Schema, value: Any) -> Any:
    fmt = schema.get("format")
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.date().isoformat() if fmt == "date" else moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat() + ("T00:00:00Z" if fmt == "date-time" else "")
    if isinstance(value, Mapping):
        number = _number(value)
        return str(number) if number is not None else MISSING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        if fmt == "date" and re.match(r"\d{4}-\d\d-\d\dT", value):
            return value[:10]
        if fmt == "date-time" and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return value + "T00:00:00Z"
        if fmt == "date-time" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", value):
            return value + "Z"
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    return MISSING


# -- generation ------------------------------------------------------------------------------------


def generate(description: Description, schema: Schema, slot: Slot, kind: str | None, anchor: date = _ANCHOR) -> Any:
    """A value for a scalar slot from the schema alone: example, default, enum, then by type and format."""
    if "const" in schema:
        return schema["const"]
    rng = _rng(slot.seed)
    for key in ("example", "default"):
        if key in schema and schema[key] is not None and _valid(description, schema, schema[key]):
            return schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples and _valid(description, schema, examples[0]):
        return examples[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        options = [e for e in enum if e is not None] or enum
        return rng.choice(options)
    if kind == "integer" or kind == "number":
        return _number_value(schema, rng, kind, slot)
    if kind == "boolean":
        return rng.random() < 0.7
    if kind == "null":
        return None
    return _string_value(description, schema, slot, rng, anchor)


def _number_value(schema: Schema, rng: random.Random, kind: str, slot: Slot) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    words = set(_words(slot.property))
    default_high = 5 if words & {"count", "quantity", "qty"} else 60 if "age" in words else 1000
    lo = float(low) if isinstance(low, int | float) else None
    hi = float(high) if isinstance(high, int | float) else None
    step = schema.get("multipleOf")
    tiny = 1.0 if kind == "integer" else 0.01
    if isinstance(ex_low, int | float):
        lo = max(lo, ex_low + tiny) if lo is not None else ex_low + tiny
    if isinstance(ex_high, int | float):
        hi = min(hi, ex_high - tiny) if hi is not None else ex_high - tiny
    if lo is None:
        lo = min(1.0, hi) if hi is not None else 1.0
    if hi is None:
        hi = max(lo + default_high, lo)
    if kind == "integer":
        a, b = int(-(-lo // 1)), int(hi // 1)
        if isinstance(step, int | float) and step > 0:
            first, last = int(-(-a // step)), int(b // step)
            k = rng.randint(first, last) if last >= first else first
            value = k * step
            return int(value) if float(value).is_integer() else value
        return rng.randint(a, b) if b >= a else a
    if isinstance(step, int | float) and step > 0:
        first, last = int(-(-lo // step)), int(hi // step)
        for _ in range(6):
            k = rng.randint(first, last) if last >= first else first
            value = round(k * step, 10)
            if (value / step).is_integer():
                return int(value) if step >= 1 and value.is_integer() else value
        return int(first * step) if float(first * step).is_integer() else first * step
    return round(rng.uniform(lo, hi), 2) if hi - lo >= 0.01 else lo


def _string_value(description: Description, schema: Schema, slot: Slot, rng: random.Random, anchor: date) -> str:
    """A format's value, else text that reads like the field; a ``pattern`` it misses is generated from.

    The meaningful text is tried against the pattern first: most vendor patterns (``^[\\S\\s]*$``,
    ``^.{1,127}$``) admit it, and it reads better and costs far less than a string drawn from the regex.
    """
    fmt = str(schema.get("format") or "").lower()
    maker = _FORMATS.get(fmt)
    if maker is not None:
        return _fit_length(schema, maker(rng, slot, anchor), slot)
    text = _fit_length(schema, _plain_text(schema, _words(slot.property), slot, rng, anchor), slot)
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _matches(pattern, text):
        for candidate in _typed_candidates(slot, anchor):
            fitted = _fit_length(schema, candidate, slot)
            if _matches(pattern, fitted):
                return fitted
        drawn = _from_pattern(description, schema, slot)
        if drawn is not None:
            return _fit_length(schema, drawn, slot)
    return text


def _typed_candidates(slot: Slot, anchor: date) -> Iterator[str]:
    """Values of the common typed shapes a string ``pattern`` describes (a timestamp, a date, a decimal,
    digits, an email, a country or language code), each from its own seed so the order never shifts one."""
    yield _datetime_text(_rng(slot.seed + "~datetime"), slot, anchor)
    yield _date_text(_rng(slot.seed + "~date"), slot, anchor)
    rng = _rng(slot.seed + "~number")
    yield f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
    yield str(rng.randint(1, 99))
    yield _email(_rng(slot.seed + "~email"), slot, anchor)
    yield _rng(slot.seed + "~country").choice(_COUNTRIES)
    yield _rng(slot.seed + "~language").choice(_LANGUAGES)
    yield _uuid_text(rng, slot, anchor)


def _plain_text(schema: Schema, words: list[str], slot: Slot, rng: random.Random, anchor: date) -> str:
    """Text that reads like the field its words name, for a string nothing in the world fills."""
    if set(words) & set(_PHONE_WORDS):
        return _phone(rng, slot, anchor)
    last = words[-1] if words else ""
    for n in range(len(words), 0, -1):  # the longest known ending: "shipment service level category"
        key = " ".join(words[-n:])
        if key in V.PLAIN_VALUES:
            return rng.choice(V.PLAIN_VALUES[key])
    parent = set(_words(slot.parent))
    if last == "by":  # created_by, last_sent_by: who did it
        return _email(rng, slot, anchor)
    if last in V.COUNT_WORDS or words[:2] == ["number", "of"]:
        return str(rng.randint(1, 12))
    if words and words[0] in ("is", "has", "can", "should", "allow"):  # a flag carried as text
        return rng.choice(("true", "false"))
    if last in ("time", "before", "after", "since", "until") and not schema.get("maxLength"):
        return _datetime_text(rng, slot, anchor)
    if last in V.AMOUNT_WORDS or (last == "value" and parent & V.AMOUNT_WORDS):
        return f"{rng.randint(4, 480)}.{rng.choice((0, 25, 50, 75, 95, 99, 10, 40)):02d}"
    if last == "slug":
        return f"{_slug(rng, slot)}-{_code(slot.seed).lower()}"
    if last in V.DIGEST_WORDS:
        return hashlib.blake2b(slot.seed.encode(), digest_size=16).hexdigest()
    if last in V.BARCODE_WORDS:
        first12 = f"0{rng.randint(10**10, 10**11 - 1)}"
        return first12 + ean.calc_check_digit(first12)
    if last in V.IBAN_WORDS:
        bban = f"DEMO{rng.randint(10**13, 10**14 - 1)}"
        return f"GB{iban.calc_check_digits('GB00' + bban)}{bban}"
    if last in V.FILE_WORDS:
        return f"{'-'.join(w for w in _words(slot.parent) if w not in V.FILE_WORDS) or 'report'}-" \
               f"{_date(rng, slot, anchor).isoformat()}.pdf"
    if last in ("email", "mail"):
        return _email(rng, slot, anchor)
    if last in V.LINK_WORDS:
        return _uri(rng, slot, anchor)
    if last in ("at", "timestamp", "datetime") and not schema.get("maxLength"):
        return _datetime_text(rng, slot, anchor)
    if last == "date" and not schema.get("maxLength"):
        return _date_text(rng, slot, anchor)
    if last in ("id", "uuid", "guid") and not schema.get("maxLength"):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "pymockapi:" + slot.seed))
    return _words_value(words, slot, rng)


def _matches(pattern: str, text: str) -> bool:
    """ECMA-262 patterns Python's ``re`` cannot compile count as a miss (the regex generator decides)."""
    compiled = _compiled(pattern)
    return compiled is not None and compiled.search(text) is not None


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    with warnings.catch_warnings():  # "possible nested set" and the like: ECMA syntax, not our bug
        warnings.simplefilter("ignore")
        try:
            return re.compile(pattern)
        except re.error:
            return None


def _fit_length(schema: Schema, text: str, slot: Slot) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        filler = hashlib.blake2b(slot.seed.encode(), digest_size=32).hexdigest().upper()
        while len(text) < low:
            text += filler
        text = text[: max(low, len(text) if not isinstance(high, int) else min(high, low))]
    if isinstance(high, int) and len(text) > high:
        text = text[:high].rstrip() if len(text[:high].rstrip()) >= (low or 0) else text[:high]
    return text


def _words_value(words: list[str], slot: Slot, rng: random.Random) -> str:
    """Plain text that reads like the field: a name, a phrase or "Reference 4F2A", never placeholder Latin."""
    code = _code(slot.seed)
    wordset = set(words)
    if wordset & set(_SENTENCE_WORDS):
        return f"{rng.choice(_PHRASES)} ({code})"
    if wordset & set(_NAME_WORDS) or not words:
        return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {code}"
    if words[-1] in ("code", "number", "no", "num", "ref", "reference", "id", "key", "token", "sku"):
        prefix = "".join(w[0] for w in words[:-1]).upper() or words[-1][:3].upper()
        return f"{prefix}-{code}{rng.randint(10, 99)}"
    label = " ".join(words).capitalize()
    return f"{label} {code}"


def _from_pattern(description: Description, schema: Schema, slot: Slot) -> str | None:
    pattern = str(schema["pattern"])
    for attempt in range(6):
        try:
            text = rstr.Rstr(_rng(f"{slot.seed}~{attempt}")).xeger(pattern)
        except Exception:
            return None
        if _matches(pattern, text) and _valid(description, schema, _fit_length(schema, text, slot)):
            return text
    return None


def _date(rng: random.Random, slot: Slot, anchor: date) -> date:
    words = set(_words(slot.property))
    if words & {"birth", "dob", "birthday", "born"}:
        return anchor - timedelta(days=rng.randint(20 * 365, 70 * 365))
    if words & {"due", "expiry", "expires", "expiration", "end", "until", "next", "renewal", "valid"}:
        return anchor + timedelta(days=rng.randint(1, 365))
    return anchor - timedelta(days=rng.randint(0, 365))


def _date_text(rng: random.Random, slot: Slot, anchor: date) -> str:
    return _date(rng, slot, anchor).isoformat()


def _datetime_text(rng: random.Random, slot: Slot, anchor: date) -> str:
    day = _date(rng, slot, anchor)
    return f"{day.isoformat()}T{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def _time_text(rng: random.Random, slot: Slot, anchor: date) -> str:
    text = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00Z"
    # RFC 3339 wants the offset; the installed format checker may only take a bare time.
    return text if _FORMAT_CHECKER.conforms(text, "time") else text[:-1]


def _uuid_text(rng: random.Random, slot: Slot, anchor: date) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "pymockapi:" + slot.seed))


def _slug(rng: random.Random, slot: Slot) -> str:
    words = _words(slot.parent) or _words(slot.property) or ["item"]
    return "-".join(w for w in words if w not in ("url", "uri", "link", "href", "email")) or "item"


def _email(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"{rng.choice(_ADJECTIVES).lower()}.{rng.choice(_NOUNS).lower()}.{_code(slot.seed).lower()}@example.com"


def _uri(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"https://www.example.com/{_slug(rng, slot)}/{_code(slot.seed, 6).lower()}"


def _host(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"{rng.choice(_NOUNS).lower()}-{_code(slot.seed).lower()}.example.com"


def _ipv4(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"192.0.2.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"2001:db8::{rng.randint(1, 0xFFFF):x}"


def _byte(rng: random.Random, slot: Slot, anchor: date) -> str:
    return base64.b64encode(f"{rng.choice(_NOUNS)} {_code(slot.seed)}".encode()).decode()


def _binary(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"{rng.choice(_NOUNS).lower()}-{_code(slot.seed).lower()}.bin"


def _password(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"Demo-{_code(slot.seed, 6)}!"


def _duration(rng: random.Random, slot: Slot, anchor: date) -> str:
    return f"P{rng.randint(1, 30)}D"


def _phone(rng: random.Random, slot: Slot, anchor: date) -> str:
    """The industries' fictional 555-01xx number, written E.164 (no separators) as APIs carry it."""
    return phone_for(rng.choice(_AREA_CODES), rng.randint(0, 99)).replace("-", "")


_FORMATS = {
    "date": _date_text, "date-time": _datetime_text, "datetime": _datetime_text, "time": _time_text,
    "uuid": _uuid_text, "guid": _uuid_text, "email": _email, "idn-email": _email, "uri": _uri, "url": _uri,
    "iri": _uri, "uri-reference": _uri, "iri-reference": _uri, "hostname": _host, "idn-hostname": _host,
    "ipv4": _ipv4, "ipv6": _ipv6, "byte": _byte, "binary": _binary, "password": _password,
    "duration": _duration, "phone": _phone, "phone-number": _phone, "tel": _phone,
}


#: What an optional property the world has no value for builds to: the object leaves it out.
OMIT = object()


# -- entry point -----------------------------------------------------------------------------------


def build(description: Description, schema: Schema, source: Source, *, pointer: str = "",
          record: Mapping[str, Any] | None = None, seed: str = "", direction: str = "response",
          anchor: date | None = None) -> Any:
    """A value valid against ``schema`` (which may be a ``$ref``), filled from ``source`` slot by slot.

    ``seed`` names the body when no record does (the operation key, say);
    ``direction`` "request" leaves readOnly properties out, "response"
    writeOnly ones; generated dates are relative to ``anchor``.
    """
    base = record_key(record) if record is not None else seed
    at = _At(pointer=pointer, property=None, parent=None, schema_name=None, record=record, seed_base=base,
             relative=pointer if record is None else "")
    builder = _Builder(description, source, direction, anchor or _ANCHOR)
    return builder.value(schema, at)


class NullSource:
    """A source that knows nothing: every value generated, every record the slot's own."""

    def value(self, slot: Slot) -> Any:
        return MISSING

    def record_for(self, slot: Slot) -> Mapping[str, Any] | None:
        return slot.record

    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None:
        return None


__all__ = ["CYCLE_LIMIT", "NullSource", "build", "coerce", "generate", "kind_of", "merged", "record_key",
           "validator_for"]
