"""Read an API description (Swagger 2.0, OpenAPI 3.0/3.1; YAML or JSON) into the :mod:`.model`.

Loading happens once per story, so it may walk the whole description, but it
must stay fast on big vendor files (a 6 MB description loads in well under
3 s).  The walk is also the structural check: every ``$ref`` is resolved,
every schema keyword the synthesiser relies on is type-checked, and the first
problem fails with the file, the JSON pointer and the problem.

References are resolved with :mod:`referencing` (the library jsonschema itself
uses): it joins relative URIs, decodes ``~0``/``~1`` and percent escapes, and
retrieves sibling files through one ``retrieve`` hook.  Resources are opaque,
so an OpenAPI document is never mistaken for a JSON Schema with ``$id``s.

openapi-spec-validator's strict check costs ~5 s per MB on this machine (1.7 s
for the 350 kB Terra description), so it runs only on descriptions up to
:data:`STRICT_LIMIT` bytes unless asked; its complaints about trivia (a
missing response ``description``, an ``example`` that does not match) are
tolerated because real vendor files carry them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, cast
from urllib.parse import unquote, urljoin, urlsplit

import orjson
import yaml
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from pymockapi.apispec.model import REF_PREFIX, Body, Description, Operation, Parameter, Reply, Schema
from pymockapi.errors import PyMockAPIError

#: Descriptions up to this many bytes also get openapi-spec-validator's strict check by default.
STRICT_LIMIT = 1_000_000

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS = ("path", "query", "header", "cookie")
_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_ONE = ("not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems",
               "unevaluatedProperties", "additionalItems")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_LIST_KEYWORDS = ("enum", "required")
_NUMBER_KEYWORDS = ("minimum", "maximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
                    "minProperties", "maxProperties")
_DROPPED = frozenset({"$id", "$schema", "nullable", "x-nullable", "$anchor", "$dynamicAnchor"})
#: Swagger 2.0 parameter keys that describe the parameter's value (they become its schema).
_SWAGGER_VALUE_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                       "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
                       "uniqueItems", "multipleOf", "x-nullable", "example", "x-example")
#: Sibling keys of a 3.0 ``$ref`` kept although the spec ignores them: they only annotate.
_ANNOTATIONS = frozenset({"description", "title", "readOnly", "writeOnly", "example", "deprecated", "summary"})


class ApiDescriptionError(PyMockAPIError):
    """A description that cannot be read or does not hold together: names file, JSON pointer, problem."""

    status = 400
    code = "api_description_invalid"

    def __init__(self, file: str, pointer: str, problem: str, hint: str = "") -> None:
        hint = hint or "Fix the description at that JSON pointer, then load it again (pymockapi check)."
        super().__init__(f"{file}: {pointer}: {problem}", hint, file=file, pointer=pointer, problem=problem)
        self.file = file
        self.pointer = pointer
        self.problem = problem


@dataclass(frozen=True)
class _Loc:
    """Where a node sits: its file and its JSON pointer in that file."""

    file: Path
    pointer: str

    def child(self, *keys: str | int) -> _Loc:
        tail = "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in keys)
        return _Loc(self.file, self.pointer + tail)


class _YamlLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: ``2024-01-31`` stays the string a JSON reader would see."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _plain(node: Any) -> Any:
    """YAML's int/bool keys (``200:``) as the strings JSON would give."""
    if isinstance(node, dict):
        return {k if isinstance(k, str) else str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def read_document(path: Path) -> Any:
    """Parse one file as JSON (fast path) or YAML; any failure is an :class:`ApiDescriptionError`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ApiDescriptionError(str(path), "", f"cannot read the file ({error.strerror or error})",
                                  "Check the path; it is resolved from the story's folder.") from error
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        return _plain(yaml.load(data, Loader=_YamlLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ApiDescriptionError(str(path), "", f"not valid YAML or JSON{where}: {getattr(error, 'problem', error)}",
                                  "An API description is a YAML or JSON file.") from error


@dataclass
class _State:
    """Everything one load collects: the files read, the named-schema table and its work queue."""

    root: Path
    dialect: str
    documents: dict[str, Any] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    schemas: dict[str, Schema] = field(default_factory=dict)
    pending: list[tuple[str, _Loc]] = field(default_factory=list)
    registry: Registry[Any] = field(default_factory=Registry)


class _Reader:
    """One load: resolves references, normalises schemas, builds operations and the 3.1 document."""

    def __init__(self, path: Path, document: Any) -> None:
        self.path = path
        if not isinstance(document, dict):
            self.fail(_Loc(path, ""), "the description must be a mapping (an object at the top level)")
        self.root: dict[str, Any] = document
        self.dialect = self._dialect()
        self.state = _State(path, self.dialect)
        self.state.documents[path.as_uri()] = document
        self.state.registry = Registry(retrieve=self._retrieve).with_resource(  # type: ignore[call-arg]
            path.as_uri(), Resource.opaque(document))

    # -- errors and references -------------------------------------------------------------------

    def fail(self, loc: _Loc, problem: str, hint: str = "") -> NoReturn:
        raise ApiDescriptionError(str(loc.file), loc.pointer, problem, hint)

    def _retrieve(self, uri: str) -> Resource[Any]:
        """Sibling files a ``$ref`` names, read on first use."""
        file = Path(unquote(urlsplit(uri).path))
        document = read_document(file)
        self.state.documents[uri] = document
        return Resource.opaque(document)

    def _dialect(self) -> str:
        version = self.root.get("openapi", self.root.get("swagger"))
        text = str(version) if version is not None else ""
        if text == "2.0" and "swagger" in self.root:
            return "2.0"
        if text.startswith("3.0"):
            return "3.0"
        if text.startswith("3.1") or text.startswith("3.2"):
            return "3.1"
        key = "/openapi" if "openapi" in self.root else "/swagger" if "swagger" in self.root else ""
        return str(self.fail(_Loc(self.path, key), f"unsupported version {version!r}: expected swagger: '2.0' "
                             "or openapi: 3.0.x / 3.1.x"))

    def resolve(self, loc: _Loc, ref: Any) -> tuple[_Loc, Any]:
        """The node a ``$ref`` at ``loc`` names, and where it is."""
        if not isinstance(ref, str):
            self.fail(loc.child("$ref"), "$ref must be a string")
        uri = urljoin(loc.file.as_uri(), ref)
        base, _, fragment = uri.partition("#")
        if fragment and not fragment.startswith("/"):
            self.fail(loc.child("$ref"), f"$ref {ref!r} names an anchor; only JSON pointers are supported")
        try:
            resolved = self.state.registry.resolver().lookup(uri)
        except Unresolvable as error:
            cause: BaseException | None = error
            while cause is not None and not isinstance(cause, ApiDescriptionError):
                cause = cause.__cause__ or cause.__context__
            if isinstance(cause, ApiDescriptionError):  # the retrieve hook could not read the file
                self.fail(loc.child("$ref"), f"$ref {ref!r}: {cause.problem}")
            self.fail(loc.child("$ref"), f"$ref {ref!r} points to nothing ({type(error).__name__})")
        target = _Loc(Path(unquote(urlsplit(base).path)), unquote(fragment))
        return target, resolved.contents

    def inline(self, loc: _Loc, node: Any, what: str) -> tuple[_Loc, dict[str, Any]]:
        """A non-schema object with its ``$ref`` chain followed (parameters, responses, bodies, headers)."""
        seen: set[tuple[Path, str]] = set()
        while isinstance(node, dict) and "$ref" in node:
            if (loc.file, loc.pointer) in seen:
                self.fail(loc, f"the {what} $ref chain loops")
            seen.add((loc.file, loc.pointer))
            loc, node = self.resolve(loc, node["$ref"])
        if not isinstance(node, dict):
            self.fail(loc, f"a {what} must be a mapping")
        return loc, node

    # -- schemas ---------------------------------------------------------------------------------

    def _component_pointer(self) -> str:
        return "/definitions" if self.dialect == "2.0" else "/components/schemas"

    def register_components(self) -> None:
        """Every named schema of the root file keeps its own name, before any other file takes one."""
        table = self.root.get("definitions") if self.dialect == "2.0" else self.root.get("components", {})
        if self.dialect != "2.0":
            if not isinstance(table, dict):
                self.fail(_Loc(self.path, "/components"), "components must be a mapping")
            table = table.get("schemas")
        if table is None:
            return
        where = _Loc(self.path, self._component_pointer())
        if not isinstance(table, dict):
            self.fail(where, "the named schemas must be a mapping")
        for name in table:
            self._name_for(where.child(name), name)

    def _name_for(self, target: _Loc, wanted: str) -> str:
        key = (target.file.as_uri(), target.pointer)
        if key in self.state.names:
            return self.state.names[key]
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", wanted) or "Schema"
        base, n = name, 1
        while name in self.state.schemas:
            n += 1
            name = f"{base}{n}"
        self.state.names[key] = name
        self.state.schemas[name] = {}  # placeholder: reserved, filled when the queue is drained
        self.state.pending.append((name, target))
        return name

    def schema_ref(self, loc: _Loc, ref: Any) -> str:
        """The name the schema a ``$ref`` points to is kept under (registering it on first sight)."""
        target, _ = self.resolve(loc, ref)
        segments = [s for s in target.pointer.split("/") if s]
        wanted = segments[-1].replace("~1", "/").replace("~0", "~") if segments else target.file.stem
        return self._name_for(target, wanted)

    def drain(self) -> None:
        """Normalise every named schema registered so far (which may register more)."""
        while self.state.pending:
            name, target = self.state.pending.pop()
            node = self._at(target)
            self.state.schemas[name] = self.schema(node, target)

    def _at(self, target: _Loc) -> Any:
        if target.file.as_uri() not in self.state.documents:  # pragma: no cover - resolve() read it
            self.state.registry.resolver().lookup(target.file.as_uri())
        return self.state.registry.resolver().lookup(
            target.file.as_uri() + "#" + target.pointer).contents

    def schema(self, node: Any, loc: _Loc) -> Schema:
        """One schema in JSON Schema 2020-12 form, named schemas kept as ``$ref``."""
        if isinstance(node, bool) and self.dialect == "3.1":
            return {} if node else {"not": {}}
        if not isinstance(node, dict):
            return dict(self.fail(loc, "a schema must be a mapping"))
        if "$ref" in node:
            return self._ref_schema(node, loc)
        out: Schema = {}
        for key, value in node.items():
            if key in _DROPPED:
                continue
            if key in _SCHEMA_MAPS:
                if not isinstance(value, dict):
                    self.fail(loc.child(key), f"{key} must be a mapping of schemas")
                out[key] = {k: self.schema(v, loc.child(key, k)) for k, v in value.items()}
            elif key in ("items", "additionalProperties") and not isinstance(value, bool):
                if isinstance(value, list):
                    out["prefixItems" if key == "items" else key] = [
                        self.schema(v, loc.child(key, i)) for i, v in enumerate(value)]
                else:
                    out[key] = self.schema(value, loc.child(key))
            elif key in _SCHEMA_ONE and not isinstance(value, bool):
                out[key] = self.schema(value, loc.child(key))
            elif key in _SCHEMA_LISTS:
                if not isinstance(value, list) or not value:
                    self.fail(loc.child(key), f"{key} must be a non-empty list of schemas")
                out[key] = [self.schema(v, loc.child(key, i)) for i, v in enumerate(value)]
            elif key == "type":
                out[key] = self._type(value, loc)
            elif key == "discriminator":
                out[key] = self._discriminator(value, loc.child(key))
            else:
                out[key] = value
        self._check_keywords(out, loc)
        return self._modernise(node, out)

    def _ref_schema(self, node: dict[str, Any], loc: _Loc) -> Schema:
        name = self.schema_ref(loc, node["$ref"])
        out: Schema = {"$ref": REF_PREFIX + name}
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if self.dialect != "3.1":
            siblings = {k: v for k, v in siblings.items() if k in _ANNOTATIONS}
        if siblings:
            rest = self.schema(siblings, loc)
            rest.pop("$ref", None)
            out.update(rest)
        return out

    def _type(self, value: Any, loc: _Loc) -> Any:
        if value == "file" and self.dialect == "2.0":
            return "string"
        names = value if isinstance(value, list) else [value]
        for name in names:
            if not isinstance(name, str) or name not in _TYPES:
                self.fail(loc.child("type"), f"unknown type {name!r}: expected one of {', '.join(sorted(_TYPES))}")
        if isinstance(value, list) and self.dialect != "3.1":
            self.fail(loc.child("type"), "type must be a single name before OpenAPI 3.1")
        return value

    def _discriminator(self, value: Any, loc: _Loc) -> Any:
        if not isinstance(value, dict):
            if self.dialect == "2.0" and isinstance(value, str):
                return {"propertyName": value}
            self.fail(loc, "discriminator must be a mapping with propertyName")
        mapping = value.get("mapping")
        if not isinstance(mapping, dict):
            return dict(value)
        fixed: dict[str, str] = {}
        for tag, target in mapping.items():
            text = str(target)
            if "#" in text or "/" in text or text.endswith((".yaml", ".yml", ".json")):
                fixed[tag] = REF_PREFIX + self.schema_ref(loc.child("mapping", tag), text)
            else:
                fixed[tag] = REF_PREFIX + self.schema_ref(loc.child("mapping", tag),
                                                          f"#{self._component_pointer()}/{text}")
        return {**value, "mapping": fixed}

    def _check_keywords(self, out: Schema, loc: _Loc) -> None:
        for key in _LIST_KEYWORDS:
            if key in out and not isinstance(out[key], list):
                self.fail(loc.child(key), f"{key} must be a list")
        if "required" in out and not all(isinstance(r, str) for r in out["required"]):
            self.fail(loc.child("required"), "required must list property names")
        for key in _NUMBER_KEYWORDS:
            if key in out and (isinstance(out[key], bool) or not isinstance(out[key], int | float)):
                self.fail(loc.child(key), f"{key} must be a number")
        if "pattern" in out:
            try:
                re.compile(out["pattern"])
            except (re.error, TypeError):
                # ECMA-only syntax (\p{L}, (?<name>…)) Python cannot run: kept aside, not enforced.
                out["x-pattern"] = out.pop("pattern")

    def _modernise(self, node: dict[str, Any], out: Schema) -> Schema:
        """3.0/2.0 spellings as 2020-12: nullable → type array, boolean exclusive bounds → numbers, file → binary."""
        if node.get("type") == "file" and self.dialect == "2.0":
            out["format"] = "binary"
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = out.get(bound)
            if isinstance(flag, bool):
                del out[bound]
                if flag and limit in out:
                    out[bound] = out.pop(limit)
        nullable = node.get("nullable") is True if self.dialect != "2.0" else node.get("x-nullable") is True
        if nullable and self.dialect != "3.1":
            out = _add_null(out)
        return out

    # -- parameters, bodies, responses -----------------------------------------------------------

    def parameter(self, raw: Any, loc: _Loc) -> tuple[dict[str, Any], _Loc, Parameter | None]:
        """A parameter (its ``$ref`` inlined); None for Swagger body/formData ones (they become the body)."""
        loc, node = self.inline(loc, raw, "parameter")
        name, where = node.get("name"), node.get("in")
        if not isinstance(name, str):
            self.fail(loc.child("name"), "a parameter needs a name")
        if self.dialect == "2.0" and where in ("body", "formData"):
            return node, loc, None
        if where not in _LOCATIONS:
            self.fail(loc.child("in"), f"parameter location {where!r} is not one of {', '.join(_LOCATIONS)}")
        if "schema" in node:
            schema = self.schema(node["schema"], loc.child("schema"))
        elif isinstance(node.get("content"), dict) and node["content"]:
            media, spec = next(iter(node["content"].items()))
            schema = self.schema(spec.get("schema", {}), loc.child("content", media, "schema"))
        elif self.dialect == "2.0":
            schema = self.schema({k: v for k, v in node.items() if k in _SWAGGER_VALUE_KEYS}, loc)
        else:
            schema = {}
        required = bool(node.get("required", False)) or where == "path"
        return node, loc, Parameter(name=name, location=str(where), required=required, schema=schema)

    def parameters(self, raw: Any, loc: _Loc) -> list[tuple[dict[str, Any], _Loc, Parameter | None]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(loc, "parameters must be a list")
        return [self.parameter(p, loc.child(i)) for i, p in enumerate(raw)]

    def request_body(self, raw: Any, loc: _Loc) -> tuple[Body | None, dict[str, Any] | None]:
        """A 3.x requestBody as the model's Body and as its normalised 3.1 form."""
        if raw is None:
            return None, None
        loc, node = self.inline(loc, raw, "request body")
        content = node.get("content") or {}
        if not isinstance(content, dict):
            self.fail(loc.child("content"), "content must be a mapping of media types")
        normal = {mt: self._media(spec, loc.child("content", mt)) for mt, spec in content.items()}
        out = {**node, "content": normal}
        if not normal:
            return None, out
        media = _pick_media(list(normal))
        body = Body(media_type=media, schema=normal[media].get("schema", {}), required=bool(node.get("required")),
                    media_types=tuple(normal))
        return body, out

    def _media(self, spec: Any, loc: _Loc) -> dict[str, Any]:
        if spec is None:
            return {}
        if not isinstance(spec, dict):
            self.fail(loc, "a media type entry must be a mapping")
        out = dict(spec)
        if "schema" in spec:
            out["schema"] = self.schema(spec["schema"], loc.child("schema"))
        return out

    def header(self, raw: Any, loc: _Loc) -> dict[str, Any]:
        loc, node = self.inline(loc, raw, "header")
        out = dict(node)
        if "schema" in node:
            out["schema"] = self.schema(node["schema"], loc.child("schema"))
        elif isinstance(node.get("content"), dict) and node["content"]:
            out["content"] = {mt: self._media(s, loc.child("content", mt)) for mt, s in node["content"].items()}
        elif self.dialect == "2.0":
            out = {"schema": self.schema({k: v for k, v in node.items() if k in _SWAGGER_VALUE_KEYS}, loc)}
            if "description" in node:
                out["description"] = node["description"]
        return out

    def response(self, raw: Any, loc: _Loc, status: int, produces: list[str]) -> tuple[Reply, dict[str, Any]]:
        """One documented response as a Reply and as its normalised 3.1 form."""
        loc, node = self.inline(loc, raw, "response")
        raw_headers = node.get("headers") or {}
        if not isinstance(raw_headers, dict):
            self.fail(loc.child("headers"), "headers must be a mapping")
        headers = {name: self.header(h, loc.child("headers", name)) for name, h in raw_headers.items()}
        required = {name: _header_schema(h) for name, h in headers.items()
                    if self.dialect != "2.0" and h.get("required") is True}
        out: dict[str, Any] = {"description": str(node.get("description", ""))}
        if headers:
            out["headers"] = headers
        for key, value in node.items():
            if key.startswith("x-") or key == "links":
                out[key] = value
        if self.dialect == "2.0":
            content = self._swagger_content(node, loc, produces)
        else:
            raw_content = node.get("content") or {}
            if not isinstance(raw_content, dict):
                self.fail(loc.child("content"), "content must be a mapping of media types")
            content = {mt: self._media(s, loc.child("content", mt)) for mt, s in raw_content.items()}
        if content:
            out["content"] = content
        media = _pick_media(list(content)) if content and status != 204 else None
        spec = content.get(media, {}) if media else {}
        reply = Reply(status=status, media_type=media, schema=spec.get("schema"), headers=required,
                      example=_example_of(spec), media_types=tuple(content) if media else ())
        return reply, out

    def _swagger_content(self, node: dict[str, Any], loc: _Loc, produces: list[str]) -> dict[str, Any]:
        if "schema" not in node:
            return {}
        schema = self.schema(node["schema"], loc.child("schema"))
        examples: dict[str, Any] = node["examples"] if isinstance(node.get("examples"), dict) else {}
        content: dict[str, Any] = {}
        for media in produces or ["application/json"]:
            content[media] = {"schema": schema}
            if media in examples:
                content[media]["example"] = examples[media]
        return content

    # -- operations ------------------------------------------------------------------------------

    def base_path(self) -> str:
        if self.dialect == "2.0":
            base = self.root.get("basePath") or ""
            return _clean_base(str(base))
        servers = self.root.get("servers")
        if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
            return ""
        server = servers[0]
        url = str(server.get("url", ""))
        variables: dict[str, Any] = server["variables"] if isinstance(server.get("variables"), dict) else {}
        url = re.sub(r"\{([^}]+)\}", lambda m: str((variables.get(m.group(1)) or {}).get("default", "")), url)
        return _clean_base(urlsplit(url).path)

    def operations(self, base: str) -> tuple[list[Operation], dict[str, Any]]:
        paths = self.root.get("paths")
        if not isinstance(paths, dict):
            self.fail(_Loc(self.path, "/paths" if "paths" in self.root else ""),
                      "paths must be a mapping" if "paths" in self.root else "the description has no paths")
        found: list[Operation] = []
        out_paths: dict[str, Any] = {}
        for path, raw_item in paths.items():
            if path.startswith("x-"):
                continue
            loc = _Loc(self.path, "/paths").child(path)
            if not path.startswith("/"):
                self.fail(loc, "a path must start with '/'")
            item_loc, item = self.inline(loc, raw_item, "path item")
            shared = self.parameters(item.get("parameters"), item_loc.child("parameters"))
            out_item: dict[str, Any] = {k: v for k, v in item.items()
                                        if k in ("summary", "description") or k.startswith("x-")}
            for method in _METHODS:
                if method not in item:
                    continue
                operation, normal = self.operation(path, method, item[method], item_loc.child(method), shared, base)
                found.append(operation)
                out_item[method] = normal
            out_paths[path] = out_item
        return found, out_paths

    def operation(self, path: str, method: str, raw: Any, loc: _Loc,
                  shared: list[tuple[dict[str, Any], _Loc, Parameter | None]],
                  base: str) -> tuple[Operation, dict[str, Any]]:
        if not isinstance(raw, dict):
            self.fail(loc, "an operation must be a mapping")
        own = self.parameters(raw.get("parameters"), loc.child("parameters"))
        merged: dict[tuple[str, str], tuple[dict[str, Any], _Loc, Parameter | None]] = {}
        for entry in [*shared, *own]:
            merged[(str(entry[0].get("name")), str(entry[0].get("in")))] = entry
        params = [p for _, _, p in merged.values() if p is not None]
        normal: dict[str, Any] = {k: v for k, v in raw.items()
                                  if k in ("tags", "summary", "description", "operationId", "deprecated", "security")
                                  or k.startswith("x-")}
        if params:
            normal["parameters"] = [_param_document(node, p) for node, _, p in merged.values() if p is not None]
        if self.dialect == "2.0":
            request, body_doc = self._swagger_body(raw, loc, list(merged.values()))
        else:
            request, body_doc = self.request_body(raw.get("requestBody"), loc.child("requestBody"))
        if body_doc is not None:
            normal["requestBody"] = body_doc
        success, errors, responses = self.replies(raw, loc)
        normal["responses"] = responses
        tags: list[Any] = raw["tags"] if isinstance(raw.get("tags"), list) else []
        operation = Operation(
            method=method.upper(), path=path, route=base + path,
            operation_id=raw.get("operationId") if isinstance(raw.get("operationId"), str) else None,
            summary=str(raw.get("summary") or ""), parameters=tuple(params), request=request,
            success=success, errors=errors, tags=tuple(str(t) for t in tags))
        return operation, normal

    def replies(self, raw: dict[str, Any], loc: _Loc) -> tuple[Reply, dict[int, Reply], dict[str, Any]]:
        responses = raw.get("responses")
        if responses is None and self.dialect == "3.1":
            responses = {}
        if not isinstance(responses, dict):
            self.fail(loc.child("responses"), "an operation needs a responses mapping")
        produces = _media_list(raw.get("produces", self.root.get("produces")))
        replies: dict[int, Reply] = {}
        normal: dict[str, Any] = {}
        for key, value in responses.items():
            if key.startswith("x-"):
                continue
            status = _status(key)
            if status is None:
                self.fail(loc.child("responses", key), f"{key!r} is not an HTTP status, a range like 2XX, or default")
            reply, normal[key] = self.response(value, loc.child("responses", key), status, produces)
            replies.setdefault(status, reply)
        ok = sorted(s for s in replies if 200 <= s < 300)
        if ok:
            success = replies[ok[0]]
        elif 0 in replies:
            success = replies[0]
        else:
            success = Reply(status=200, media_type=None, schema=None)
        errors = {s: r for s, r in sorted(replies.items()) if s == 0 or s >= 400}
        return success, errors, normal

    def _swagger_body(self, raw: dict[str, Any], loc: _Loc,
                      entries: list[tuple[dict[str, Any], _Loc, Parameter | None]]
                      ) -> tuple[Body | None, dict[str, Any] | None]:
        """Swagger 2.0 ``in: body`` / ``in: formData`` parameters as one request body."""
        consumes = _media_list(raw.get("consumes", self.root.get("consumes")))
        body = [(n, loc_) for n, loc_, p in entries if p is None and n.get("in") == "body"]
        form = [(n, loc_) for n, loc_, p in entries if p is None and n.get("in") == "formData"]
        if body:
            node, where = body[0]
            schema = self.schema(node.get("schema", {}), where.child("schema"))
            media_types = consumes or ["application/json"]
            required = bool(node.get("required"))
        elif form:
            props = {str(n["name"]): self.schema({k: v for k, v in n.items() if k in _SWAGGER_VALUE_KEYS}, where)
                     for n, where in form}
            schema = {"type": "object", "properties": props}
            names = [str(n["name"]) for n, _ in form if n.get("required")]
            if names:
                schema["required"] = names
            has_file = any(n.get("type") == "file" for n, _ in form)
            forms = [m for m in consumes if m in ("multipart/form-data", "application/x-www-form-urlencoded")]
            media_types = forms or (["multipart/form-data"] if has_file else ["application/x-www-form-urlencoded"])
            required = bool(names)
        else:
            return None, None
        media = _pick_media(media_types)
        doc = {"required": required, "content": {m: {"schema": schema} for m in media_types}}
        return Body(media_type=media, schema=schema, required=required, media_types=tuple(media_types)), doc

    # -- the whole ---------------------------------------------------------------------------------

    def load(self) -> Description:
        info = self.root.get("info")
        if not isinstance(info, dict):
            self.fail(_Loc(self.path, "/info" if "info" in self.root else ""), "the description needs an info mapping")
        self.register_components()
        base = self.base_path()
        operations, paths = self.operations(base)
        self.drain()
        schemas = self.state.schemas
        document = self.document(paths, schemas)
        return Description(file=self.path, title=str(info.get("title") or self.path.stem),
                           version=str(info.get("version") or ""), dialect=self.dialect, base_path=base,
                           operations=operations, schemas=schemas, document=document)

    def document(self, paths: dict[str, Any], schemas: dict[str, Schema]) -> dict[str, Any]:
        """The description as OpenAPI 3.1: the same operations, every reference inlined but named schemas."""
        doc: dict[str, Any] = {"openapi": "3.1.0", "info": dict(self.root["info"])}
        doc["info"].setdefault("version", "")
        if self.dialect == "2.0":
            host = self.root.get("host")
            schemes = self.root.get("schemes") or ["https"]
            base = str(self.root.get("basePath") or "")
            doc["servers"] = [{"url": f"{schemes[0]}://{host}{base}" if host else base or "/"}]
            security: Any = _swagger_security(self.root.get("securityDefinitions"))
        else:
            if isinstance(self.root.get("servers"), list):
                doc["servers"] = self.root["servers"]
            components: Any = self.root.get("components") or {}
            security = components.get("securitySchemes") if isinstance(components, dict) else None
        for key in ("tags", "security", "externalDocs"):
            if key in self.root:
                doc[key] = self.root[key]
        doc["paths"] = paths
        doc["components"] = {"schemas": schemas}
        if isinstance(security, dict) and security:
            doc["components"]["securitySchemes"] = security
        return doc


def _add_null(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
    elif any(k in schema for k in ("allOf", "oneOf", "anyOf", "$ref")):
        keep = {k: v for k, v in schema.items() if k in _ANNOTATIONS}
        inner = {k: v for k, v in schema.items() if k not in _ANNOTATIONS}
        return {**keep, "anyOf": [inner, {"type": "null"}]}
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _clean_base(path: str) -> str:
    path = "/" + path.strip("/") if path.strip("/") else ""
    return path


def _status(key: str) -> int | None:
    if key == "default":
        return 0
    if re.fullmatch(r"[1-5][0-9][0-9]", key):
        return int(key)
    if re.fullmatch(r"[1-5]XX", key, flags=re.IGNORECASE):
        return int(key[0]) * 100
    return None


def is_json_media(media: str) -> bool:
    """``application/json``, ``application/problem+json``, ``application/json; charset=utf-8``…"""
    kind = media.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _pick_media(media_types: list[str]) -> str:
    for media in media_types:
        if is_json_media(media):
            return media
    return media_types[0]


def _media_list(value: Any) -> list[str]:
    return [str(m) for m in value] if isinstance(value, list) else []


def _header_schema(header: dict[str, Any]) -> Schema:
    if isinstance(header.get("schema"), dict):
        return dict(header["schema"])
    content = header.get("content")
    if isinstance(content, dict) and content:
        first = next(iter(content.values()))
        if isinstance(first, dict) and isinstance(first.get("schema"), dict):
            return dict(first["schema"])
    return {"type": "string"}


def _example_of(spec: dict[str, Any]) -> Any:
    if "example" in spec:
        return spec["example"]
    examples = spec.get("examples")
    if isinstance(examples, dict):
        for entry in examples.values():
            if isinstance(entry, dict) and "value" in entry:
                return entry["value"]
    return None


def _param_document(node: dict[str, Any], param: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {"name": param.name, "in": param.location, "schema": param.schema}
    if param.required:
        out["required"] = True
    for key in ("description", "deprecated", "style", "explode", "allowEmptyValue", "example"):
        if key in node:
            out[key] = node[key]
    return out


_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}


def _swagger_security(definitions: Any) -> dict[str, Any]:
    """Swagger ``securityDefinitions`` as 3.x ``securitySchemes`` (basic → http basic, oauth2 flows renamed)."""
    if not isinstance(definitions, dict):
        return {}
    out: dict[str, Any] = {}
    for name, spec in definitions.items():
        if not isinstance(spec, dict):
            continue
        kind = spec.get("type")
        if kind == "basic":
            out[name] = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out[name] = {k: spec[k] for k in ("type", "name", "in", "description") if k in spec}
        elif kind == "oauth2":
            flow: dict[str, Any] = {"scopes": spec.get("scopes") or {}}
            for key in ("authorizationUrl", "tokenUrl"):
                if key in spec:
                    flow[key] = spec[key]
            out[name] = {"type": "oauth2", "flows": {_FLOWS.get(str(spec.get("flow")), "implicit"): flow}}
    return out


# -- strict validation --------------------------------------------------------------------------

#: openapi-spec-validator complaints real vendor files carry; tolerated (keyword, path part or missing name).
_TRIVIA_PATH_PARTS = frozenset({"example", "examples", "default", "description", "externalDocs", "contact",
                                "license", "x-examples"})
_TRIVIA_MISSING = frozenset({"description", "version", "title"})


def _is_trivia(error: Any) -> bool:
    context = [c for c in getattr(error, "context", None) or ()
               if "'$ref' is a required property" not in str(c.message)]
    if context:  # a oneOf (object | reference): trivia when the object branch only misses trivia
        return all(_is_trivia(c) for c in context)
    parts = {str(p) for p in getattr(error, "path", ())}
    if parts & _TRIVIA_PATH_PARTS:
        return True
    message = str(getattr(error, "message", ""))
    if getattr(error, "validator", None) == "required" and any(f"'{m}' is a required" in message
                                                                  for m in _TRIVIA_MISSING):
        return True
    return "is not a 'format'" in message or "Duplicate operation ID" in message or "duplicated" in message


def _strict_errors(document: dict[str, Any], path: Path) -> Iterator[Any]:
    """openapi-spec-validator's findings; failures of its own machinery yield nothing (our walk decided)."""
    from openapi_spec_validator import (  # imported late: it costs ~0.2 s and only strict loads need it
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    version = str(document.get("openapi", document.get("swagger")))
    kind = (OpenAPIV2SpecValidator if version == "2.0" else
            OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator)
    try:
        spec = cast("Mapping[Hashable, Any]", document)  # the validators read any mapping
        yield from kind(spec, base_uri=path.as_uri()).iter_errors()
    except (Unresolvable, LookupError, TypeError, ValueError, RecursionError):
        return


def strict_check(document: dict[str, Any], path: Path) -> None:
    """Fail on the first finding of openapi-spec-validator that is not trivia."""
    for error in _strict_errors(document, path):
        if _is_trivia(error):
            continue
        pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.path)
        raise ApiDescriptionError(str(path), pointer, str(error.message)[:500])


def load_description(path: str | Path, *, strict: bool | None = None) -> Description:
    """Read, check and normalise an API description.

    ``strict`` runs openapi-spec-validator as well (None: only for files up to
    :data:`STRICT_LIMIT` bytes, as it is slow on big files).  Raises
    :class:`ApiDescriptionError` naming the file, JSON pointer and problem.
    """
    file = Path(path).resolve()
    document = read_document(file)
    reader = _Reader(file, document)
    description = reader.load()
    if strict or (strict is None and file.stat().st_size <= STRICT_LIMIT):
        digest = _digest(reader.state.documents)
        if digest not in _STRICTLY_CHECKED:
            strict_check(document, file)
            _STRICTLY_CHECKED[digest] = None
            while len(_STRICTLY_CHECKED) > _STRICT_MEMO_SIZE:
                del _STRICTLY_CHECKED[next(iter(_STRICTLY_CHECKED))]
    return description


#: Digests of file sets that passed the strict check: a story, ``check``, a reload and every server
#: process of one description then pay openapi-spec-validator's ~0.5 s once, not at every load.
_STRICTLY_CHECKED: dict[bytes, None] = {}
_STRICT_MEMO_SIZE = 64


def _digest(documents: dict[str, Any]) -> bytes:
    """The bytes of every file one load read (the description and the files its ``$ref``s name)."""
    hasher = hashlib.blake2b(digest_size=20)
    for uri in sorted(documents):
        hasher.update(uri.encode() + b"\0")
        hasher.update(Path(unquote(urlsplit(uri).path)).read_bytes() + b"\0")
    return hasher.digest()


def media_is_json(media: str | None) -> bool:
    """True for JSON-like media types; the other modules share this rule with the loader."""
    return media is not None and is_json_media(media)


__all__ = ["STRICT_LIMIT", "ApiDescriptionError", "is_json_media", "load_description", "media_is_json",
           "read_document", "strict_check"]
