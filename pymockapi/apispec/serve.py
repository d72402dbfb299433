"""Answer an API description's operations from a session's world.

An :class:`ApiStory` is a description bound to an industry once (at story
load); each of its :class:`ApiOperation` objects answers one operation the
way the real API would: the documented success status, media type and
required headers, a body valid against the documented schema filled from
the world (through :class:`~pymockapi.apispec.source.WorldSource`), paging,
equality filters and sorting with the common conventions, and errors in
the documented error schema.  A write does not change the world here: it
says what it asks for (a :class:`~pymockapi.world.changes.Change`, or an
industry verb), and the engine applies it through the session, journaled
and validated like every other change.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from pymockapi.apispec.binder import (
    SUBMITTED,
    WORLD_ID,
    Bindings,
    IdStyle,
    IndustryWords,
    OperationBinding,
    Role,
    bind,
    field_text,
    industry_words,
    key_text,
    param_style,
)
from pymockapi.apispec.checks import IGNORED_HEADERS, RequestInvalid, check_request
from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import MISSING, Description, Operation, Reply, Schema, Slot
from pymockapi.apispec.names import phrase
from pymockapi.apispec.source import DEFAULT_PAGE, WorldSource, public_id
from pymockapi.apispec.synth import build, validator_for
from pymockapi.errors import InvalidField, NotFound, PyMockAPIError, error_body
from pymockapi.industries.base import Record
from pymockapi.industries.money import money
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.world.changes import Change, ChangeKind
from pymockapi.world.world import World

#: Query parameters that sort a list, and the ones that give its direction.
SORT_PARAMS = ("sort", "sort_by", "sortBy", "order_by", "orderBy", "sort_order_by")
DIRECTION_PARAMS = ("order", "direction", "sort_order", "sortOrder", "sort_dir", "dir")
#: Methods an endpoint can have (HEAD and TRACE operations are documented but not answered).
SERVED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ERROR_WORDS = {
    "code": "code", "error": "code", "type": "code", "error_code": "code", "errorcode": "code", "reason": "code",
    "message": "message", "detail": "message", "details": "message", "description": "message",
    "title": "message", "error_description": "message", "msg": "message",
    "hint": "hint", "help": "hint", "suggestion": "hint", "status": "status", "status_code": "status",
    "statuscode": "status",
}


@dataclass(frozen=True)
class ApiReply:
    """A finished answer: status, media type, extra headers and the body bytes."""

    status: int
    media_type: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class VerbCall:
    """A write that goes through an industry verb (a payment posts to a ledger) rather than a plain change."""

    verb: str
    ref: str
    arguments: dict[str, Any]


Write = Change | VerbCall


@dataclass
class ApiStory:
    """A description bound to an industry: built once per story, shared by every session."""

    description: Description
    bindings: Bindings
    operations: list[ApiOperation] = field(default_factory=list)

    @classmethod
    def load(cls, source: str | Path | Description, world: World, *, pins: Mapping[str, str] | None = None,
             words: IndustryWords | None = None) -> ApiStory:
        """Load (or take) a description and bind it to ``world``'s industry; ``world`` is a sample world."""
        description = source if isinstance(source, Description) else load_description(source)
        vocabulary = words or industry_words(world.pack.name)
        bindings = bind(description, world, industry_words=vocabulary)
        if pins:  # a pin that says what the binder chose anyway changes nothing (an imported story's BIND)
            chosen = _record_details(bindings)
            changed = {key: value for key, value in pins.items() if chosen.get(key) != {value}}
            if changed:
                bindings = bind(description, world, industry_words=vocabulary, pins=changed)
        api = cls(description, bindings)
        api.operations = [ApiOperation(api, op) for op in description.operations if op.method in SERVED_METHODS]
        return api

    def table(self) -> list[dict[str, str]]:
        return self.bindings.table()

    def record_pins(self) -> dict[str, str]:
        """Every property bound to a record field, as ``bind=`` pins (what ``pymockapi import`` writes out)."""
        pins: dict[str, str] = {}
        types = set(self.bindings.owner_fields) | {op.record_type for op in self.bindings.operations.values()}
        for key, details in _record_details(self.bindings).items():
            detail = next(iter(details))
            simple = re.fullmatch(r"[A-Za-z0-9_$-]+\.[A-Za-z0-9_$-]+", key) is not None
            if len(details) == 1 and simple and re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_]+)+", detail) \
                    and detail.split(".", 1)[0] in types:
                pins[key] = detail
        return pins


def _record_details(bindings: Bindings) -> dict[str, set[str]]:
    """``"Schema.property"`` -> every record field the binder bound it to (one, unless the schema is reused)."""
    out: dict[str, set[str]] = {}
    for row in bindings.rows:
        if row.source == "record":
            out.setdefault(f"{row.schema}.{row.property}", set()).add(row.detail)
    return out


class ApiOperation:
    """One operation of a description, answered from a world."""

    def __init__(self, api: ApiStory, operation: Operation) -> None:
        self.api = api
        self.operation = operation
        self.binding: OperationBinding = api.bindings.operation(operation)
        self.status = operation.success.status if 200 <= operation.success.status < 300 else 200
        self.checks_headers = any(p.location == "header" and p.required and p.name.lower() not in IGNORED_HEADERS
                                  for p in operation.parameters)

    @property
    def description(self) -> Description:
        return self.api.description

    @property
    def reads(self) -> bool:
        return self.operation.method == "GET"

    @property
    def media_types(self) -> tuple[str, ...]:
        success = self.operation.success
        return success.media_types or ((success.media_type,) if success.media_type else ())

    def serves_xml(self) -> bool:
        return any("xml" in m for m in self.media_types)

    # ------------------------------------------------------------ requests
    def check(self, params: Mapping[str, str], arguments: Mapping[str, list[bytes]], headers: Mapping[str, str],
              content_type: str | None, body: bytes) -> None:
        """Refuse a request the description does not allow, naming every wrong field (400, or 422 if documented)."""
        query = {name: [v.decode("utf-8", "replace") for v in values] for name, values in arguments.items()}
        problems = check_request(self.description, self.operation, path_params=dict(params), query=query,
                                 headers=headers, content_type=content_type, body=body or None)
        if problems:
            error = RequestInvalid(problems)
            if 400 not in self.operation.errors and 422 in self.operation.errors:
                error.status = 422
            raise error

    def anchor(self, world: World, params: Mapping[str, str]) -> Record | None:
        """The record the path names; 404 listing real ids when a parameter names nothing."""
        op = self.binding
        named = [p for p in (op.record_param, op.owner_param, *(op.params or {})) if p and p in params]
        if not named:
            return None
        found = self.api.bindings.anchor(op, world, params)
        if found is None:
            param = named[0]
            kind = op.owner_type if param == op.owner_param and op.owner_type else op.params.get(param,
                                                                                               op.record_type)
            raise NotFound.of(kind, params[param], self.public_ids(world, kind, op.param_fields.get(param, ()))[:50],
                              how_to_list="the description's list operation", code=f"{kind}_not_found")
        return dict(found)

    def public_ids(self, world: World, record_type: str, by: tuple[str, ...] = ()) -> list[str]:
        """How this API names the records of a type: by the field a parameter uses, else by public id."""
        if by and world.pack.record_type(record_type) is not None:
            return [shown for r in world.records(record_type) if (shown := field_text(r, by)) is not None]
        styles = sorted(self.api.bindings.id_styles.get(record_type, set()), key=lambda s: (s.kind, s.pattern))
        ids = world.ids(record_type) if world.pack.record_type(record_type) is not None else []
        return [public_id(rid, styles[0]) for rid in ids] if styles else ids

    def sample_params(self, world: World) -> dict[str, str]:
        """Real ids for every path parameter (for rehearsals and the description's examples)."""
        op = self.binding
        out: dict[str, str] = {}
        for param in self.operation.path_params():
            name = param.name
            if name == op.owner_param and op.owner_type:
                owners = [r for r in world.records(op.owner_type) if world.owned(r["id"], op.record_type)]
                kind, rid = op.owner_type, (owners[0]["id"] if owners else None)
            else:
                kind = op.params.get(name, op.record_type)
                ids = world.ids(kind) if world.pack.record_type(kind) is not None else []
                rid = ids[0] if ids else None
            if rid is None:
                out[name] = "1"
                continue
            record = world.find(rid) if name in op.param_fields else None
            shown = key_text(record, name, op.param_fields[name]) if record is not None else None
            out[name] = shown if shown is not None else public_id(rid, self._param_style(param.schema, kind))
        return out

    def _param_style(self, schema: Schema, record_type: str) -> IdStyle:
        """How a path parameter writes a record id: as its schema's type and format say, else as lists show it."""
        style = param_style(self.description, schema)
        if style is not None:
            return style
        styles = sorted(self.api.bindings.id_styles.get(record_type, set()), key=lambda s: (s.kind, s.pattern))
        return styles[0] if styles else WORLD_ID

    # ------------------------------------------------------------ writes
    def write(self, world: World, params: Mapping[str, str], body: bytes, *, as_sent: bool = False) -> Write | None:
        """What a POST/PUT/PATCH/DELETE asks of the world (None: nothing, e.g. an action on a record).

        ``as_sent`` keeps every request value only as sent (shown back where
        the schema has the property) and changes no field of the industry's:
        the second try when her values would break its rules.
        """
        op = self.binding
        if op.role is Role.DELETE:
            record = self.anchor(world, params)
            return Change(ChangeKind.DELETE, op.record_type, ref=str(record["id"])) if record else None
        if op.role not in (Role.CREATE, Role.UPDATE):
            return None
        sent = self._json(body)
        if op.role is Role.UPDATE:
            record = self.anchor(world, params)
            if record is None:
                return None
            fields = self._fields(world, sent, record, as_sent=as_sent)
            return Change(ChangeKind.UPDATE, op.record_type, ref=str(record["id"]), fields=fields)
        owner = self.anchor(world, params)
        return self._create(world, op.record_type, owner, sent, as_sent)

    def _create(self, world: World, record_type: str, owner: Record | None, sent: Mapping[str, Any],
                as_sent: bool) -> Write:
        rt = world.pack.record_type(record_type)
        if rt is None:
            raise InvalidField(f"This API cannot create a {record_type}.", "", field="body")
        owner_type = world.pack.record_type(rt.owner_field[:-3]) if rt.owner_field else None
        if owner is not None and owner_type is not None and owner.get("type") != owner_type.name:
            found = owner.get(rt.owner_field or "")
            owner = world.find(found) if isinstance(found, str) else None
        if owner is None and owner_type is not None:
            owner = next((r for r in world.records(owner_type.name) if world.owned(r["id"], record_type)), None)
        verb = self._creating_verb(world, record_type)
        owner_id = str(owner["id"]) if owner is not None else None
        if verb is not None and owner_id is not None:
            return VerbCall(verb, owner_id, self._verb_arguments(world, verb, sent, required_only=as_sent))
        siblings = world.owned(owner_id, record_type) if owner_id else world.records(record_type)
        template = siblings[0] if siblings else (world.records(record_type) or [{}])[0]
        fields = {k: copy.deepcopy(v) for k, v in template.items() if k not in ("id", "type", SUBMITTED)}
        fresh = _industry_table(world.pack.name, "NEW_RECORDS").get(record_type, {})
        fields.update(self._fields(world, sent, template, as_sent=as_sent))
        for target, origin in fresh.get("copy", {}).items():
            fields[target] = copy.deepcopy(fields.get(origin))
        fields.update(copy.deepcopy(fresh.get("set", {})))
        return Change(ChangeKind.CREATE, record_type, owner=owner_id, fields=fields)

    def _creating_verb(self, world: World, record_type: str) -> str | None:
        """The industry verb that creates ``record_type`` for this operation (a ledger never takes a bare row)."""
        table: Mapping[str, str] = _industry_table(world.pack.name, "CREATE_VERBS").get(record_type, {})
        if not table:
            return None
        text = " ".join((self.operation.route, self.operation.operation_id or "", self.operation.summary)).lower()
        for word, verb in table.items():
            if word != "default" and word in text and verb in world.pack.verbs:
                return verb
        default = table.get("default")
        return default if default in world.pack.verbs else None

    def _verb_arguments(self, world: World, verb: str, sent: Mapping[str, Any], *,
                        required_only: bool = False) -> dict[str, Any]:
        """The verb's arguments from the request body, by the meaning of its property names.

        ``required_only`` (the retry after her values broke the industry's rules): only what the verb
        cannot do without, so an optional memo or merchant it refused falls back to the verb's own.
        """
        flat = dict(_leaves(sent))
        wanted: Mapping[str, tuple[str, ...]] = _industry_table(world.pack.name, "VERB_ARGUMENTS").get(verb, {})
        needed = _required_arguments(world.pack.verbs[verb])
        out: dict[str, Any] = {}
        for argument, names in wanted.items():
            if required_only and argument not in needed:
                continue
            for pointer, value in flat.items():
                last = phrase(pointer.rsplit("/", 1)[-1])
                if any(name in last for name in names) and value not in (None, ""):
                    out[argument] = _amount_value(pointer, value) if argument == "amount" else value
                    break
        for argument in needed:
            if argument not in out:
                raise InvalidField(f"This request needs {phrase(argument)} ({verb} takes it).",
                                   f"Send the {phrase(argument)} the operation documents.", field=argument)
        return out

    def _fields(self, world: World, sent: Mapping[str, Any], template: Mapping[str, Any], *,
                as_sent: bool = False) -> dict[str, Any]:
        """Record fields from a request body: bound properties by their binding, the rest kept as sent.

        A reference her request names (``clinicianId``) is stored when it names a record of that type,
        so the new appointment is with her clinician, not the one of the record it was copied from.
        """
        fields: dict[str, Any] = {}
        kept: dict[str, Any] = dict(template.get(SUBMITTED) or {})
        for pointer, value in _leaves(sent):
            node = self.binding.node_at(pointer)
            getter = node.getter if node is not None else None
            if getter is not None and getter.path == ("id",) and getter.id_of == self.binding.record_type \
                    and not getter.via:
                continue  # the record's identity is the server's to give, never the request's
            if as_sent:
                kept[pointer] = value
                continue
            if getter is not None and getter.id_of is not None and len(getter.path) == 1 and \
                    getter.path != ("id",) and not getter.via and isinstance(value, str | int):
                named = self.api.bindings.resolve_id(world, getter.id_of, str(value))
                if named is not None:
                    fields[getter.path[0]] = str(named["id"])
                    continue
            usable = (getter is not None and getter.path and not getter.via and getter.template is None
                      and getter.paging is None and not getter.item and getter.id_of is None)
            if usable and getter is not None:
                current = _read(template, getter.path)
                if isinstance(current, Mapping) and "amount" in current and "currency" in current:
                    if getter.part == "currency" or not _is_number(value):
                        continue
                    value = money(_amount_value(pointer, value), str(current["currency"]))
                elif getter.part is not None or isinstance(current, (dict, list)):
                    kept[pointer] = value
                    continue
                _put(fields, getter.path, value, template)
            else:
                kept[pointer] = value
        if kept:
            fields[SUBMITTED] = kept
        return fields

    @staticmethod
    def _json(body: bytes) -> Mapping[str, Any]:
        if not body or not body.strip():
            return {}
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return {}  # the request check has said so already when JSON is documented
        return value if isinstance(value, Mapping) else {}

    # ------------------------------------------------------------ reading
    def render(self, world: World, params: Mapping[str, str], query: Mapping[str, str],
               changed: Sequence[Record], fmt: str = "json") -> ApiReply:
        """The success answer of this operation, filled from ``world`` (after ``changed``, for a write)."""
        op, success = self.binding, self.operation.success
        anchor = self.anchor(world, params) if self.reads or op.role is not Role.CREATE else None
        if changed and not self.reads:
            first = next((r for r in changed if r.get("type") == op.record_type and not r.get("deleted")), None)
            anchor = dict(first) if first is not None else anchor
        records, paging = (None, None)
        if op.role is Role.LIST:
            records, paging = self._page(world, anchor, query)
        headers = self._headers(world, anchor, params)
        if success.schema is None or success.media_type is None or self.status == 204:
            return ApiReply(self.status, success.media_type or "application/json", headers, b"")
        source = WorldSource(self.api.bindings, world, op, anchor=anchor, records=records, paging=paging)
        value = build(self.description, success.schema, source, seed=self.operation.key, anchor=world.anchor)
        value = self._show_submitted(value, success.schema, anchor, records)
        return ApiReply(self.status, self._media_type(fmt), headers, self._serialise(value, fmt))

    def _media_type(self, fmt: str) -> str:
        if fmt == "xml":
            return next((m for m in self.media_types if "xml" in m), "application/xml")
        return self.operation.success.media_type or "application/json"

    def _serialise(self, value: Any, fmt: str) -> bytes:
        if fmt == "xml":
            return to_xml(value, root=_xml_root(self.operation))
        return to_json(value)

    def _page(self, world: World, anchor: Record | None, query: Mapping[str, str]) -> tuple[list[Record],
                                                                                               dict[str, Any]]:
        """The records of one page (after filters and sorting) and the paging values the body shows."""
        source = WorldSource(self.api.bindings, world, self.binding, anchor=anchor)
        every = self._sorted(self._filtered([dict(r) for r in source.every()], query), query)
        paging = self.binding.paging
        size, start = DEFAULT_PAGE, 0
        values: dict[str, Any] = {}
        if paging is not None:
            roles = paging.params
            limit_name = roles.get("limit") or roles.get("per_page")
            size = _positive(query.get(limit_name or ""), self._default(limit_name) or DEFAULT_PAGE)
            if paging.style == "offset":
                start = _natural(query.get(roles.get("offset", "")), 0)
            elif paging.style == "page":
                first = self._default(roles.get("page")) or 1
                first = 0 if first == 0 else 1
                page = _natural(query.get(roles.get("page", "")), first)
                start = max(0, page - first) * size
                values.update(page=page, total_pages=max(1, -(-len(every) // size)))
            else:
                start = self._cursor_start(world, every, query.get(roles.get("cursor", "")))
        page_records = every[start:start + size]
        more = start + size < len(every)
        values.update(total=len(every), has_more=more, per_page=size, offset=start)
        if more and page_records:
            values["next"] = self._record_token(page_records[-1]) if paging is None or paging.style == "cursor" \
                else str(start + size)
        return page_records, values

    def _default(self, name: str | None) -> int | None:
        for p in self.operation.parameters:
            if p.name == name and isinstance(p.schema.get("default"), int):
                return int(p.schema["default"])
        return None

    def _record_token(self, record: Record) -> str:
        """A cursor naming a record: the id the list shows for it (a ``starting_after`` value)."""
        styles = sorted(self.api.bindings.id_styles.get(str(record.get("type")), set()),
                        key=lambda s: (s.kind, s.pattern))
        return public_id(str(record["id"]), styles[0]) if styles else str(record["id"])

    def _cursor_start(self, world: World, every: list[Record], token: str | None) -> int:
        if not token:
            return 0
        for index, record in enumerate(every):
            if token in (record.get("id"), self._record_token(record)):
                return index + 1
        return _natural(token, 0)

    def _filtered(self, records: list[Record], query: Mapping[str, str]) -> list[Record]:
        """Equality filters: a documented query parameter named like a property of the listed items."""
        documented = {p.name for p in self.operation.parameters if p.location == "query"}
        paging = set((self.binding.paging.params.values()) if self.binding.paging else ())
        for name, wanted in query.items():
            if name not in documented or name in paging or name in SORT_PARAMS or name in DIRECTION_PARAMS:
                continue
            path = self._item_path(name)
            if path is None:
                continue
            choices = {w.strip().lower() for w in wanted.split(",") if w.strip()}
            records = [r for r in records if str(_read(r, path)).lower() in choices]
        return records

    def _sorted(self, records: list[Record], query: Mapping[str, str]) -> list[Record]:
        key = next((query[n] for n in SORT_PARAMS if query.get(n)), None)
        if not key:
            return records
        descending = key.startswith("-") or key.lower().endswith((":desc", ",desc", " desc"))
        name = re.split(r"[:, ]", key.lstrip("-+"))[0]
        direction = next((query[n] for n in DIRECTION_PARAMS if query.get(n)), "")
        descending = descending or direction.lower().startswith("desc")
        path = self._item_path(name)
        if path is None:
            return records
        return sorted(records, key=lambda r: _sort_key(_read(r, path)), reverse=descending)

    def _item_path(self, name: str) -> tuple[str, ...] | None:
        """The record field a list item's property ``name`` shows, if it is bound to one."""
        pointer = "/".join(("", *self.binding.list_pointer)) if self.binding.list_pointer else ""
        node = self.binding.node_at(f"{pointer}/0/{name}")
        getter = node.getter if node is not None else None
        if getter is None or not getter.path or getter.via or getter.template is not None:
            return None
        return tuple(getter.path)

    def _headers(self, world: World, anchor: Record | None, params: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        out: list[tuple[str, str]] = []
        documented = self.operation.success.headers
        for name, schema in documented.items():
            if name.lower() in ("content-type", "content-length"):
                continue
            if name.lower() == "location" and anchor is not None:
                out.append((name, self._location(anchor, params)))
                continue
            value = build(self.description, schema, _NoWorld(), seed=f"{self.operation.key} header {name}",
                          anchor=world.anchor)
            out.append((name, str(value).lower() if isinstance(value, bool) else str(value)))
        if self.binding.role is Role.CREATE and anchor is not None and "location" not in {
                n.lower() for n in documented} and self.status == 201:
            out.append(("Location", self._location(anchor, params)))
        return tuple(out)

    def _location(self, record: Record, params: Mapping[str, str]) -> str:
        """Where the front-end reads the created record: the description's detail route with its id (and the
        request's own path parameters, ``/patients/{patientId}/appointments/{id}``), relative."""
        for other in self.api.operations:
            if other.reads and other.binding.role is Role.DETAIL and other.binding.record_type == record.get("type") \
                    and other.binding.record_param:
                route = _filled(other.operation.route, {**params, **other.params_naming(record)})
                if "{" not in route:
                    return route.lstrip("/")
        own = _filled(self.operation.route, params)
        return f"{own.rstrip('/')}/{quote(self._record_token(record), safe='')}".lstrip("/")

    def params_naming(self, record: Record) -> dict[str, str]:
        """The path parameter that names ``record`` on this operation, written as this API writes it."""
        name = self.binding.record_param
        if name is None:
            return {}
        if name in self.binding.param_fields:
            shown = key_text(record, name, self.binding.param_fields[name])
            if shown is not None:
                return {name: shown}
        param = next((p for p in self.operation.path_params() if p.name == name), None)
        style = self._param_style(param.schema, str(record.get("type"))) if param is not None else WORLD_ID
        return {name: public_id(str(record["id"]), style)}

    def _show_submitted(self, value: Any, schema: Schema, anchor: Record | None,
                        records: list[Record] | None) -> Any:
        """Request properties the world keeps only as sent come back as sent, where the schema takes them."""
        if isinstance(value, dict) and anchor is not None and anchor.get(SUBMITTED):
            _overlay(self.description, value, schema, anchor[SUBMITTED])
        return value

    # ---------------------------------------------------------- examples
    def schema_example(self, schema: Any, direction: str, anchor: Any, part: str) -> Any:
        """A value of ``schema`` for the published description's examples (no world: every value generated)."""
        return build(self.description, schema, _NoWorld(), seed=f"{self.operation.key} {part}", direction=direction,
                     anchor=anchor)

    # ------------------------------------------------------------ errors
    def error_reply(self, error: PyMockAPIError) -> ApiReply:
        """An error in the operation's documented error schema (SPEC's shape when none is documented)."""
        errors = self.operation.errors
        reply: Reply | None = errors.get(error.status) or errors.get(0)
        if reply is None or reply.schema is None or reply.media_type is None or "json" not in reply.media_type:
            return ApiReply(error.status, "application/json; charset=UTF-8", (), to_json(error_body(error)))
        value = build(self.description, reply.schema, _ErrorSource(error), seed=f"{self.operation.key} error")
        return ApiReply(error.status, reply.media_type, (), to_json(value))


class _NoWorld:
    """A source with nothing to say: every value is generated from the schema."""

    def value(self, slot: Slot) -> Any:
        return MISSING

    def record_for(self, slot: Slot) -> Mapping[str, Any] | None:
        return None

    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None:
        return None


class _ErrorSource(_NoWorld):
    """Fills a documented error body with what went wrong (code, message, hint, status)."""

    def __init__(self, error: PyMockAPIError) -> None:
        self.error = error
        self.problems = _problems_of(error)

    def items(self, slot: Slot) -> list[Mapping[str, Any]] | None:
        """A list named like problems (``details``, ``errors``, ``issues``…) lists what was wrong, one each."""
        name = re.sub(r"[^a-z_]", "", (slot.property or "").lower())
        return self.problems if name in _PROBLEM_LISTS and self.problems else None

    def value(self, slot: Slot) -> Any:
        name = re.sub(r"[^a-z_]", "", (slot.property or "").lower())
        if slot.record is not None and slot.record.get("type") == _PROBLEM:
            part = _PROBLEM_WORDS.get(name)
            found = slot.record.get(part) if part else None
            return found if found not in (None, "") else MISSING
        role = _ERROR_WORDS.get(name)
        if role == "code":
            return self.error.code
        if role == "message":
            return self.error.message
        if role == "hint":
            return self.error.hint or MISSING
        if role == "status":
            return self.error.status
        return MISSING


_PROBLEM = "problem"  # the record type of one problem in an error body's list
_PROBLEM_LISTS = frozenset({"details", "errors", "problems", "issues", "violations", "field_errors", "fielderrors",
                            "invalid_params", "invalidparams", "validation_errors", "causes"})
#: A problem item's property -> what fills it: the field, where it was, what is wrong with it, the error's code.
_PROBLEM_WORDS = {
    "field": "field", "pointer": "field", "path": "field", "param": "field", "parameter": "field", "name": "field",
    "property": "field", "location": "where", "in": "where", "where": "where", "source": "where",
    "issue": "issue", "description": "message", "message": "message", "detail": "message", "reason": "message",
    "msg": "message", "code": "issue", "type": "issue", "error": "issue",
}


def _problems_of(error: PyMockAPIError) -> list[Mapping[str, Any]]:
    """What was wrong, one entry per field: a request's problems, or the industry rules a write broke."""
    details = error.details
    if isinstance(error, RequestInvalid):
        return [{"type": _PROBLEM, "field": p.pointer or "(whole)", "where": p.where, "message": p.message,
                 "issue": error.code} for p in error.problems]
    broken = details.get("violations")
    if isinstance(broken, list) and broken:
        return [{"type": _PROBLEM, "field": str(v.get("field", "")), "where": "body",
                 "message": str(v.get("problem", "")), "issue": error.code} for v in broken if isinstance(v, dict)]
    field_name = details.get("field")
    return [{"type": _PROBLEM, "field": str(field_name), "where": "body", "message": error.message,
             "issue": error.code}] if field_name else []


def _required_arguments(verb: Callable[..., Any]) -> list[str]:
    """A verb's arguments after the world and the record it acts on that have no default."""
    params = list(inspect.signature(verb).parameters.values())[2:]
    return [p.name for p in params if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _industry_table(industry: str, name: str) -> Mapping[str, Any]:
    """A write table of an industry's ``api_words`` (``CREATE_VERBS``, ``NEW_RECORDS``, ``VERB_ARGUMENTS``);
    empty when it has none."""
    try:
        module = importlib.import_module(f"pymockapi.industries.{industry}.api_words")
    except ModuleNotFoundError:
        return {}
    table: Mapping[str, Any] = getattr(module, name, {})
    return table


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()) is not None


def _amount_value(pointer: str, value: Any) -> str:
    """A money amount from a request value: cents when the property says so (``amountCents``)."""
    text = str(value).strip()
    name = pointer.rsplit("/", 1)[-1].lower()
    if ("cent" in name or "minor" in name) and re.fullmatch(r"-?\d+", text):
        return f"{int(text) / 100:.2f}"
    return text


def _leaves(value: Any, pointer: str = "") -> list[tuple[str, Any]]:
    """(JSON pointer, scalar) for every scalar of a request body (lists of scalars count as one value)."""
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for key, sub in value.items():
            out.extend(_leaves(sub, f"{pointer}/{key}"))
        return out
    if isinstance(value, list) and any(isinstance(v, (Mapping, list)) for v in value):
        out = []
        for index, sub in enumerate(value):
            out.extend(_leaves(sub, f"{pointer}/{index}"))
        return out
    return [(pointer, value)]


def _read(record: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _put(fields: dict[str, Any], path: Sequence[str], value: Any, template: Mapping[str, Any]) -> None:
    """Set ``path`` in ``fields``, copying the template's enclosing objects so siblings survive."""
    if len(path) == 1:
        fields[path[0]] = value
        return
    top = path[0]
    if top not in fields:
        fields[top] = copy.deepcopy(template.get(top)) if isinstance(template.get(top), Mapping) else {}
    target = fields[top]
    for part in path[1:-1]:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[path[-1]] = value


def _overlay(description: Description, value: dict[str, Any], schema: Schema, submitted: Mapping[str, Any]) -> None:
    """Put each submitted top-level value back where the built body has that property and the schema allows it."""
    _, resolved = description.deref(schema)
    properties = resolved.get("properties") if isinstance(resolved, Mapping) else None
    if not isinstance(properties, Mapping):
        return
    for pointer, sent in submitted.items():
        parts = [p for p in pointer.split("/") if p]
        if len(parts) != 1 or parts[0] not in value or parts[0] not in properties:
            continue
        if validator_for(description, properties[parts[0]]).is_valid(sent):
            value[parts[0]] = sent


def _natural(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.strip().isdigit() else default


def _positive(text: str | None, default: int) -> int:
    value = _natural(text, default)
    return min(value, 1000) if value > 0 else default


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, Mapping) and "amount" in value:
        value = value["amount"]
    if _is_number(value):
        return (0, float(value))
    return (1, "" if value is None else str(value))


def _filled(route: str, params: Mapping[str, str]) -> str:
    """A route with its ``{parameters}`` written in, each as one path segment."""
    for name, value in params.items():
        route = route.replace("{" + name + "}", quote(str(value), safe=""))
    return route


def _xml_root(operation: Operation) -> str:
    words = [w for w in operation.path.split("/") if w and not w.startswith("{")]
    return re.sub(r"[^A-Za-z0-9_]", "_", words[-1]) if words else "response"

