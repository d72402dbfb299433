"""The GET operations of a served API description, read the way a front-end developer reads them.

The bench takes the description the server itself publishes
(``GET /_api/stories/{story}/openapi.json``: the user's description as
OpenAPI 3.1) instead of loading the file with the server's own loader, so
it stays a client that knows only what the description says, and no
figure it reports depends on the code it measures.  Each operation keeps
what a request needs: its path parameters and id-like required query
parameters (filled later from real records, see
:mod:`pymockapi.bench.idsource`), and the other required query and header
parameters filled here from the description (its ``example``, ``default``
or ``enum``, else a plausible value of the type and format).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import rstr

from pymockapi.bench.client import Headers
from pymockapi.render.words import singular

PARAM = re.compile(r"\{([^{}/]+)\}")
#: Header parameters OpenAPI says to ignore (content negotiation and security schemes own them).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
#: ``$ref`` hops followed before a schema counts as unresolvable (a cycle).
MAX_REF_HOPS = 32
#: Parameter names that say nothing of the record they name: the path segment before them does.
GENERIC_NAMES = frozenset({"id", "ids", "param", "key", "uuid", "slug", "ref", "identifier"})
#: Example values by JSON Schema ``format`` (dates come from the session's anchor date).
FORMAT_VALUES: Mapping[str, str] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "email": "demo@example.com", "uri": "https://example.com/",
    "url": "https://example.com/", "hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
    "byte": "ZGVtbw==", "password": "demo-password",
}


def norm(text: str) -> str:
    """A name compared across case styles: ``EmployeeID``, ``employee_id`` and ``employee-id`` are one."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def noun_of(path: str, name: str) -> str:
    """The record a parameter names: ``EmployeeID`` -> ``employee``; ``/Benefits/{id}`` -> ``benefit``."""
    stem = norm(name)
    for suffix in ("ids", "id"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    if stem and stem not in GENERIC_NAMES:
        return stem
    segments = path.split("/")
    at = next((i for i, s in enumerate(segments) if s == "{" + name + "}"), len(segments))
    words = [s for s in segments[:at] if s and not PARAM.fullmatch(s)]
    word = norm(words[-1]) if words else stem
    return norm(singular(word) or word)


def is_id_like(name: str) -> bool:
    """A query parameter whose value names a record (``user_id``, ``PayRunID``, ``MarketplaceIds``)."""
    return norm(name).endswith(("id", "ids"))


@dataclass(frozen=True)
class IdParam:
    """A parameter whose value must name a real record: every path parameter, and id-like required queries.

    ``identity`` is the same for every parameter that names the same kind
    of record (``{EmployeeID}`` in twenty paths is one identity; ``{id}``
    under ``/Benefits`` and under ``/Deductions`` are two).
    """

    name: str
    location: str  # "path" | "query"
    noun: str
    identity: str
    fallback: str | None  # a query parameter's value from the description, used when no record shows one


@dataclass(frozen=True)
class GetOperation:
    """One GET of the description: what a concrete request for it needs."""

    key: str  # "GET /pets/{petId}", the path as the description writes it
    path: str
    ids: tuple[IdParam, ...]
    query: tuple[tuple[str, str], ...]  # required query parameters that name no record, filled
    headers: Headers  # required header parameters, filled

    def url(self, base: str, values: Mapping[str, str]) -> str:
        """The request path under ``base`` with ``values`` (by parameter name) put in place."""
        path = PARAM.sub(lambda m: quote(values[m[1]], safe=""), self.path)
        query = [(p.name, values[p.name]) for p in self.ids if p.location == "query"] + list(self.query)
        tail = "&".join(f"{quote(k, safe='')}={quote(v, safe=',')}" for k, v in query)
        return base + path + (f"?{tail}" if tail else "")


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` chain followed (``{}`` when it leads nowhere or in a circle)."""
    for _ in range(MAX_REF_HOPS):
        if not isinstance(node, Mapping) or not isinstance(node.get("$ref"), str):
            return node
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target if target is not None else {}
    return {}


def _example(document: Mapping[str, Any], param: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    examples = param.get("examples")
    if isinstance(examples, Mapping):
        for example in examples.values():
            example = resolve(document, example)
            if isinstance(example, Mapping) and "value" in example:
                return example["value"]
    return None


def schema_value(document: Mapping[str, Any], schema: Any, anchor: date, seed: str, depth: int = 0) -> Any:
    """A value the schema allows: its own example/default/const/enum, else a plain one of its type and format."""
    schema = resolve(document, schema)
    if not isinstance(schema, Mapping) or depth > 8:
        return "demo"
    for word in ("example", "default", "const"):
        if word in schema and schema[word] is not None:
            return schema[word]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    for branch_word in ("allOf", "oneOf", "anyOf"):
        branches = schema.get(branch_word)
        if isinstance(branches, list) and branches:
            return schema_value(document, branches[0], anchor, seed, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    fmt = schema.get("format")
    if kind == "array":
        return [schema_value(document, schema.get("items", {}), anchor, seed, depth + 1)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return int(low) + 1 if isinstance(low, (int, float)) and not isinstance(low, bool) else 1
    if kind == "boolean":
        return True
    if fmt == "date":
        return anchor.isoformat()
    if fmt == "date-time":
        return f"{anchor.isoformat()}T00:00:00Z"
    if isinstance(fmt, str) and fmt in FORMAT_VALUES:
        return FORMAT_VALUES[fmt]
    if isinstance(schema.get("pattern"), str):
        try:
            return str(rstr.Rstr(random.Random(seed)).xeger(schema["pattern"]))
        except Exception:  # an unusual pattern: a plain word, and the server's check will say so
            return "demo"
    length = schema.get("minLength")
    return "demo" if not isinstance(length, int) or length <= 4 else "d" * length


def as_text(value: Any) -> str:
    """A parameter value as it goes on the wire (OpenAPI's ``simple``/``form`` style: arrays comma-joined)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(as_text(v) for v in value)
    return str(value)


def identity_of(path: str, name: str) -> str:
    """One identity per kind of record named: the parameter's own name, unless it is ``{id}``-like."""
    if norm(name) in GENERIC_NAMES:
        return f"{noun_of(path, name)}.{norm(name)}"
    return norm(name)


def _parameters(document: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The operation's parameters over the path's (the operation's win on name and location)."""
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = resolve(document, raw)
        if isinstance(param, Mapping) and isinstance(param.get("name"), str):
            found[(str(param.get("in")), param["name"])] = param
    return list(found.values())


def get_operations(document: Mapping[str, Any], anchor: date) -> list[GetOperation]:
    """Every GET operation of the description, in the order it lists them."""
    out = []
    for path, raw_item in (document.get("paths") or {}).items():
        item = resolve(document, raw_item)
        op = item.get("get") if isinstance(item, Mapping) else None
        if not isinstance(op, Mapping):
            continue
        key = f"GET {path}"
        ids: list[IdParam] = []
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        for param in _parameters(document, item, op):
            name, where = param["name"], param.get("in")
            schema = resolve(document, param.get("schema", {}))
            value = _example(document, param, schema)
            if where == "path":
                ids.append(IdParam(name, "path", noun_of(path, name), identity_of(path, name), None))
            elif not param.get("required"):
                continue
            elif where == "query":
                text = as_text(value if value is not None else schema_value(document, schema, anchor, f"{key} {name}"))
                if is_id_like(name):
                    ids.append(IdParam(name, "query", noun_of(path, name), identity_of(path, name), text))
                else:
                    query.append((name, text))
            elif where == "header" and name.lower() not in IGNORED_HEADERS:
                text = as_text(value if value is not None else schema_value(document, schema, anchor, f"{key} {name}"))
                headers.append((name, text))
        declared = {p.name for p in ids if p.location == "path"}
        ids += [IdParam(name, "path", noun_of(path, name), identity_of(path, name), None)
                for name in PARAM.findall(path) if name not in declared]  # a path parameter left undeclared
        order = {name: i for i, name in enumerate(PARAM.findall(path))}
        ids.sort(key=lambda p: (p.location != "path", order.get(p.name, 0)))
        out.append(GetOperation(key, path, tuple(ids), tuple(query), tuple(headers)))
    return out


def base_path(document: Mapping[str, Any], story: str) -> str:
    """Where the description's paths start inside a session: its first server URL without ``/demo/{story}``."""
    servers = document.get("servers") or []
    url = servers[0].get("url", "") if servers and isinstance(servers[0], Mapping) else ""
    prefix = f"/demo/{story}"
    return url[len(prefix):].rstrip("/") if isinstance(url, str) and url.startswith(prefix) else ""


def described_names(operations: Sequence[GetOperation]) -> dict[str, IdParam]:
    """Every identity the operations need, with one of its parameters (for its name and noun)."""
    out: dict[str, IdParam] = {}
    for op in operations:
        for param in op.ids:
            out.setdefault(param.identity, param)
    return out
