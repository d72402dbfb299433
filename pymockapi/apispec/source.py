"""The world as a :class:`~pymockapi.apispec.model.Source`: what fills a body, slot by slot.

Why a separate object per body: :func:`pymockapi.apispec.synth.build`
asks for values slot by slot, and each answer depends on the record the
enclosing object is about (the list item, the customer an account points
at).  A :class:`WorldSource` remembers those records by body pointer for
the one body it fills, and reads every decision from the compiled
:class:`~pymockapi.apispec.binder.OperationBinding`, so each slot costs a
few dictionary look-ups.
"""

from __future__ import annotations

import hashlib
import random
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import rstr

from pymockapi.apispec import vocabulary as V
from pymockapi.apispec.binder import (
    WORLD_ID,
    Bindings,
    Follow,
    Getter,
    IdStyle,
    ItemsFrom,
    Node,
    OperationBinding,
    Role,
    resolve_id,
)
from pymockapi.apispec.model import MISSING, Slot
from pymockapi.world.world import World

__all__ = ["WorldSource", "public_id", "resolve_id"]

Record = Mapping[str, Any]

#: The namespace of every UUID a record id shows as (fixed: the same record always has the same UUID).
ID_NAMESPACE = uuid.UUID("6f3a1c52-9d0e-4b7a-8c21-5e4d3b2a1f00")
_OWNED = re.compile(r"^[a-z]+-(\d{4,})-(\d{2,})$")
_TOP = re.compile(r"^[a-z]+-(\d{4,})$")
_DISPLAY_WORDS = ("display", "display_name", "name", "title", "value", "average", "amount")
#: How many records a list body shows when its caller did not page it (SPEC's default ``per_page``).
DEFAULT_PAGE = 20
_EQUIVALENT = {k: frozenset(v) for k, v in V.ENUM_EQUIVALENTS.items()}


def public_id(record_id: str, style: IdStyle) -> str:
    """How a world id shows in a property of ``style``: itself, a UUID, digits, or a string of the pattern."""
    if style.kind == "uuid":
        return str(uuid.uuid5(ID_NAMESPACE, record_id))
    if style.kind == "int":
        owned = _OWNED.match(record_id)
        if owned:
            return str(int(owned[1]) * 100 + int(owned[2]))
        top = _TOP.match(record_id)
        return str(int(top[1])) if top else record_id
    if style.kind == "pattern":
        seed = int.from_bytes(hashlib.blake2b(f"{style.pattern}\0{record_id}".encode(), digest_size=8).digest(),
                              "big")
        try:
            text = str(rstr.Rstr(random.Random(seed)).xeger(style.pattern))
        except Exception:  # an unusual pattern: keep the world id
            return record_id
        return text if re.search(style.pattern, text) else record_id
    return record_id


def _read(value: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if "/" in pointer else ""


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class WorldSource:
    """Fills one body from the world, following the compiled bindings.

    ``anchor``: the record the request names (a detail's record; an owner
    list's owner; the record a write created or changed -- see
    :meth:`~pymockapi.apispec.binder.Bindings.anchor`), or None (the first
    record of the type for a detail; every record for a list).  A ``date``
    is taken as None: the world's own anchor date dates its records.
    ``records``: the page of a list body, when the caller paged it (default:
    the first :data:`DEFAULT_PAGE` records of the list); ``paging``: values
    of the body's paging properties by role (``total``, ``has_more``,
    ``next``…; by default counted from the whole list).
    """

    def __init__(self, bindings: Bindings, world: World, operation_binding: OperationBinding, *,
                 anchor: Record | date | None = None, records: Sequence[Record] | None = None,
                 paging: Mapping[str, Any] | None = None) -> None:
        self.bindings = bindings
        self.world = world
        self.op = operation_binding
        self.anchor: Record | None = anchor if isinstance(anchor, Mapping) else None
        self._contexts: dict[str, Record | None] = {}
        self._items: dict[str, list[Record]] = {}
        self._list = list(records) if records is not None else None
        self._all: list[Record] | None = None
        self._paging = dict(paging or {})

    # ------------------------------------------------------------ records
    def records(self) -> list[Record]:
        """The records this list body shows: the page it was given, else the first page of :meth:`every`."""
        if self._list is None:
            self._list = self.every()[:DEFAULT_PAGE]
        return self._list

    def every(self) -> list[Record]:
        """Every record of the list (owner-scoped for an owner list, a record's sub-items for a sub-list)."""
        if self._all is None:
            self._all = self._default_list()
        return self._all

    def _default_list(self) -> list[Record]:
        op, world = self.op, self.world
        anchor = self.anchor
        if op.list_field:
            record = anchor if anchor is not None else self._first(op.record_type)
            items = _read(record, op.list_field) if record is not None else None
            return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []
        if anchor is not None and op.owner_type is not None and anchor.get("type") == op.owner_type:
            return list(world.owned(str(anchor["id"]), op.record_type))
        if anchor is not None and anchor.get("type") != op.record_type:
            field = next((f for f in op.filters.values()), None)
            if field is not None:
                return [r for r in world.records(op.record_type) if r.get(field) == anchor.get("id")]
        return list(world.records(op.record_type))

    def _first(self, record_type: str) -> Record | None:
        found = self.world.records(record_type)
        return found[0] if found else None

    def _root(self) -> Record | None:
        if self.anchor is not None:
            return self.anchor
        if self.op.role is Role.LIST:
            return None
        return self._first(self.op.record_type)

    def _context(self, pointer: str) -> Record | None:
        """The record (or sub-item) the object at ``pointer`` is about."""
        if pointer in self._contexts:
            return self._contexts[pointer]
        node = self.op.node_at(pointer)
        found: Record | None
        if pointer == "":
            found = self._root()
        else:
            parent = _parent(pointer)
            parent_node = self.op.node_at(parent)
            if parent_node is not None and parent_node.kind == "array":
                items = self._items_at(parent)
                index = pointer.rsplit("/", 1)[1]
                found = items[int(index)] if index.isdigit() and int(index) < len(items) else None
            elif node is None or node.follow is Follow.NONE:
                found = None if node is not None else self._context(parent)
            else:
                outer = self._context(parent)
                if node.follow is Follow.RELATION:
                    ref = _read(outer, node.via)
                    found = self.world.find(ref) if isinstance(ref, str) else None
                else:
                    found = outer
        self._contexts[pointer] = found
        return found

    def _items_at(self, pointer: str) -> list[Record]:
        if pointer in self._items:
            return self._items[pointer]
        node = self.op.node_at(pointer)
        items: list[Record] = []
        if node is not None and node.kind == "array":
            if node.items_from is ItemsFrom.LIST:
                items = self.records()
            else:
                items = self._related_items(node, self._context(_parent(pointer)) if pointer else self._root())
        self._items[pointer] = items
        return items

    def _related_items(self, node: Node, outer: Record | None) -> list[Record]:
        if outer is None or node.items_from is ItemsFrom.NONE:
            return []
        world = self.world
        if node.items_from is ItemsFrom.OWNED and node.items_type:
            found: list[Record] = list(world.owned(str(outer["id"]), node.items_type)) if "id" in outer else []
        elif node.items_from is ItemsFrom.REVERSE and node.items_type and "id" in outer:
            field, rid = node.items_field[0], outer["id"]
            owner_field = self.bindings.owner_fields.get(node.items_type)
            owner = outer.get(owner_field) if owner_field else None
            pool = world.owned(str(owner), node.items_type) if isinstance(owner, str) else \
                world.records(node.items_type)
            found = [r for r in pool if r.get(field) == rid]
        elif node.items_from is ItemsFrom.FIELD:
            value = _read(outer, node.items_field)
            if not isinstance(value, list):
                return []
            found = [v if isinstance(v, Mapping) else {"value": v} for v in value if v is not None]
        else:  # WRAP
            value = _read(outer, node.items_field)
            found = [] if value is None or value == "" else [{"value": value}]
        return found[: node.max_items]

    # ------------------------------------------------------------- Source
    def record_for(self, slot: Slot) -> Mapping[str, Any] | None:
        return self._context(slot.pointer)

    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None:
        node = self.op.node_at(slot.pointer)
        if node is None or node.kind != "array" or (node.items_from is ItemsFrom.NONE):
            return None
        return self._items_at(slot.pointer)

    def value(self, slot: Slot) -> Any:
        node = self.op.node_at(slot.pointer)
        if node is None or node.getter is None:
            return MISSING
        getter = node.getter
        if getter.paging is not None:
            return self._paging_value(getter.paging)
        parent = _parent(slot.pointer)
        if getter.item:
            items = self._items_at(parent)
            index = slot.pointer.rsplit("/", 1)[1]
            if not index.isdigit() or int(index) >= len(items):
                return MISSING
            return self._shape(items[int(index)].get("value"), node, getter)
        record = self._context(parent) if getter.up is None else self._enclosing(parent, getter.up)
        if record is None:
            return MISSING
        if getter.via:
            ref = _read(record, getter.via)
            record = self.world.find(ref) if isinstance(ref, str) else None
            if record is None:
                return MISSING
        if getter.template is not None:
            return self._template(getter.template, record)
        raw = _read(record, getter.path)
        if raw is None and getter.path and getter.path[-1] in ("first_name", "last_name"):
            raw = _split_name(record, getter.path[-1])
        return self._shape(raw, node, getter)

    def _enclosing(self, pointer: str, record_type: str) -> Record | None:
        while True:
            found = self._context(pointer)
            if found is not None and found.get("type") == record_type:
                return found
            if not pointer:
                return None
            pointer = _parent(pointer)

    def _paging_value(self, role: str) -> Any:
        if role in self._paging:
            return self._paging[role]
        if role == "total":
            return len(self.every())
        if role == "has_more":
            return len(self.every()) > len(self.records())
        if role in ("page",):
            return 1
        if role == "per_page":
            return max(len(self.records()), 1)
        if role == "total_pages":
            return 1
        if role == "offset":
            return 0
        return MISSING

    @staticmethod
    def _template(template: str, record: Record) -> Any:
        try:
            text = template.format_map({k: v for k, v in record.items() if v is not None})
        except (KeyError, IndexError, ValueError):
            return MISSING
        return text.strip() or MISSING

    def _shape(self, raw: Any, node: Node, getter: Getter) -> Any:
        """A world value in the form the slot asks for (or MISSING when there is nothing to show)."""
        if raw is None or raw == "" or raw == [] or raw == {}:
            return MISSING
        if isinstance(raw, Mapping):
            raw = _from_dict(raw, getter.part)
            if raw is None:
                return MISSING
        if isinstance(raw, list):
            texts = [str(v) for v in raw if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
            if not texts or node.type != "string":
                return MISSING
            raw = ", ".join(texts)
        if getter.id_of is not None and isinstance(raw, str) and node.id_style is not WORLD_ID:
            raw = public_id(raw, node.id_style)
            if node.id_style.kind == "int" and node.type in ("integer", "number"):
                return int(raw) if raw.isdigit() else MISSING
            return raw
        if node.enum:
            return _enum(raw, node.enum)
        return _typed(raw, node)


def _split_name(record: Record, part: str) -> Any:
    name = record.get("display_name") or record.get("name")
    if not isinstance(name, str) or " " not in name.strip():
        return None
    pieces = name.split(",")[0].split()
    return pieces[0] if part == "first_name" else pieces[-1]


def _from_dict(value: Mapping[str, Any], part: str | None) -> Any:
    if "amount" in value and "currency" in value:
        return value.get(part or "amount")
    if {"line1", "city"} <= set(value):
        state_zip = " ".join(str(value[k]) for k in ("state", "zip") if value.get(k))
        return ", ".join(str(x) for x in (value.get("line1"), value.get("city"), state_zip) if x)
    for key in _DISPLAY_WORDS:
        if value.get(key) not in (None, "", [], {}):
            return value[key]
    return None


def _enum(raw: Any, options: tuple[Any, ...]) -> Any:
    if raw in options:
        return raw
    text = _norm(str(raw))
    for option in options:
        if isinstance(option, str) and _norm(option) == text:
            return option
    equivalents = _EQUIVALENT.get(str(raw).lower(), frozenset())
    for option in options:
        if isinstance(option, str) and option.lower().replace("_", " ") in equivalents:
            return option
    for option in options:
        if isinstance(option, str) and text and _norm(option).startswith(text[:1]) and len(_norm(option)) <= 2:
            return option
    return MISSING


def _typed(raw: Any, node: Node) -> Any:
    kind = node.type
    if kind in ("number", "integer"):
        if isinstance(raw, bool):
            return MISSING
        try:
            number = float(str(raw).replace(",", ""))
        except ValueError:
            return MISSING
        if kind == "integer":
            return int(number) if number == int(number) else MISSING
        return number
    if kind == "boolean":
        return raw if isinstance(raw, bool) else MISSING
    if kind == "string":
        if isinstance(raw, bool):
            return MISSING
        text = str(raw)
        if node.format == "date-time" and len(text) == 10 and text[4:5] == "-":
            return f"{text}T09:00:00Z"
        if node.format == "date" and len(text) > 10 and text[4:5] == "-" and text[10:11] == "T":
            return text[:10]
        return text
    return raw
