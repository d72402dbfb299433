"""OpenAPI 3.1 documents: the configuration API, and each story's demo API."""

from __future__ import annotations

import contextlib
import copy
import inspect
from typing import Any

import orjson

from pymockapi import __version__
from pymockapi.engine.commands import COMMANDS, RECORDING_ACTIONS, REST_COMMANDS, CommandName, Replies, SessionCommand
from pymockapi.engine.faults import MAX_LATENCY_MS, MAX_TIMES
from pymockapi.engine.requests_log import MAX_REQUESTS
from pymockapi.errors import Conflict, InvalidField, PyMockAPIError, error_body
from pymockapi.inputs import MAX_ID_LENGTH
from pymockapi.recording.exporters import FORMATS as MARKER_FORMATS
from pymockapi.render.schemas import infer_schema
from pymockapi.render.serialize import to_json, to_xml

_ERROR = {"$ref": "#/components/responses/Error"}
_SESSION = {
    "description": "The session object",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}},
}
_JSON_OK = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
#: SPEC's error shape; an error may carry more (``field``, ``suggestions``, ``supported``...).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "hint"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "hint": {"type": "string"},
            },
        }
    },
}
#: Media types of a world export, by ``?format=`` (csv: a zip of one CSV file per record type).
EXPORT_MEDIA_TYPES = {"json": "application/json", "ndjson": "application/x-ndjson", "csv": "application/zip",
                      "xml": "application/xml"}


def _op(
    summary: str,
    responses: dict[str, Any],
    body: dict[str, Any] | None = None,
    params: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {**responses, "default": _ERROR}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


#: What :func:`pymockapi.inputs.check_id` takes: at most 256 characters, no control characters.
_ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH,
              "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"}


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": dict(_ID_SCHEMA)}


def _query(name: str, values: list[str]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string", "enum": values}}


#: ``?take=N``: a whole number of at most nine digits (the handler's bound).
_TAKE = {"name": "take", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999}}

_SNAPSHOT_BODY = {"type": "object", "required": ["name"], "additionalProperties": False,
                  "properties": {"name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}},
                  "example": {"name": "before-alert"}}
_FAULT_BODY = {"type": "object", "required": ["endpoint"], "additionalProperties": False,
               "properties": {"endpoint": {"type": "string", "description": "METHOD /path as the story declares it"},
                              "status": {"type": "integer", "minimum": 400, "maximum": 599},
                              "latency_ms": {"type": "integer", "minimum": 0, "maximum": MAX_LATENCY_MS},
                              "times": {"type": "integer", "minimum": 0, "maximum": MAX_TIMES,
                                        "description": "calls it lasts (default 1; 0 = until deleted)"}},
               "example": {"endpoint": "POST /accounts/{account_id}/payments", "status": 503, "latency_ms": 800}}

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", float: "number"}


def _arguments_schema(command: SessionCommand) -> dict[str, Any]:
    """The JSON Schema of a session command's body, from the command table."""
    properties: dict[str, Any] = {}
    for name, (kinds, _required) in command.arguments.items():
        first = kinds[0] if isinstance(kinds, tuple) else kinds
        properties[name] = {"type": _JSON_TYPES.get(first, "string")}
    if command.name is CommandName.ANNOTATE:
        properties["kind"]["enum"] = ["note", "callout", "highlight", "chapter"]
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [name for name, (_kinds, needed) in command.arguments.items() if needed]
    if required:
        schema["required"] = required
    return schema


def _formats_content(media_types: dict[str, str]) -> dict[str, Any]:
    """One entry per media type the formats answer with: JSON ones are objects, the others text or bytes."""
    content: dict[str, Any] = {}
    for media_type in media_types.values():
        bare = media_type.split(";")[0].strip()
        content[bare] = {"schema": {"type": "object"} if bare == "application/json" else {"type": "string"}}
    return content


def config_openapi() -> dict[str, Any]:
    """Every route of the configuration API."""
    sid = [_path_param("id")]
    story = [_path_param("story")]
    paths: dict[str, Any] = {
        "/_api/health": {"get": _op("Liveness", {"200": _JSON_OK})},
        "/_api/openapi.json": {"get": _op("This document", {"200": _JSON_OK})},
        "/_api/stories": {"get": _op("List stories", {"200": _JSON_OK})},
        "/_api/stories/{story}": {"get": _op("One story with its Mermaid diagram", {"200": _JSON_OK}, params=story)},
        "/_api/stories/{story}/openapi.json": {
            "get": _op("OpenAPI of the story's endpoints", {"200": _JSON_OK}, params=story)
        },
        "/_api/sessions": {
            "get": _op("List sessions", {"200": _JSON_OK}),
            "post": _op(
                "Create a session",
                {"201": _SESSION},
                body={
                    "type": "object",
                    "required": ["story"],
                    "additionalProperties": False,
                    "properties": {
                        "story": {"type": "string"},
                        "id": {"type": "string"},
                        "seed": {"type": "integer"},
                        "anchor_date": {"type": "string", "format": "date"},
                        "recorder": {
                            "type": "string",
                            "description": "obs://… or webhook+http(s)://… for this session",
                        },
                    },
                },
            ),
        },
        "/_api/sessions/{id}": {
            "get": _op("One session", {"200": _SESSION}, params=sid),
            "delete": _op("Delete a session", {"204": {"description": "Deleted"}}, params=sid),
        },
        "/_api/sessions/{id}/personas": {
            "get": _op(
                "Personas of the session's world",
                {"200": _JSON_OK},
                params=[*sid, {"name": "type", "in": "query", "schema": {"type": "string"}}],
            )
        },
        "/_api/sessions/{id}/personas/{pid}": {
            "get": _op("One persona with its related records", {"200": _JSON_OK}, params=[*sid, _path_param("pid")])
        },
        "/_api/sessions/{id}/export": {
            "get": _op(
                "The whole world as a data set",
                {"200": {"description": "The data set", "content": _formats_content(EXPORT_MEDIA_TYPES)}},
                params=[*sid, _query("format", list(EXPORT_MEDIA_TYPES))],
            )
        },
        "/_api/sessions/{id}/annotations": {
            "get": _op("The timeline as JSON (the latest take unless ?take=N)", {"200": _JSON_OK},
                       params=[*sid, _TAKE]),
            "post": _op(
                COMMANDS[CommandName.ANNOTATE].summary,
                {"201": _JSON_OK},
                params=sid,
                body=_arguments_schema(COMMANDS[CommandName.ANNOTATE]),
            ),
        },
        "/_api/sessions/{id}/markers": {
            "get": _op(
                "The timeline for video tools",
                {"200": {"description": "Markers",
                         "content": _formats_content({name: f.content_type for name, f in MARKER_FORMATS.items()})}},
                params=[*sid, _query("format", list(MARKER_FORMATS)), _TAKE],
            )
        },
        "/_api/sessions/{id}/takes": {
            "get": _op("Every take (one per recording start), oldest first", {"200": _JSON_OK}, params=sid)
        },
        "/_api/sessions/{id}/snapshots": {
            "get": _op("The session's snapshots, oldest first", {"200": _JSON_OK}, params=sid),
            "post": _op("Keep the session's whole state under a name", {"201": _JSON_OK}, params=sid,
                        body=_SNAPSHOT_BODY),
        },
        "/_api/sessions/{id}/snapshots/{name}": {
            "delete": _op("Forget a snapshot", {"204": {"description": "Deleted"}},
                          params=[*sid, _path_param("name")]),
        },
        "/_api/sessions/{id}/snapshots/{name}/restore": {
            "post": _op("The session exactly as it was when the snapshot was taken", {"200": _SESSION},
                        params=[*sid, _path_param("name")]),
        },
        "/_api/sessions/{id}/faults": {
            "get": _op("The session's faults", {"200": _JSON_OK}, params=sid),
            "post": _op("Latency and/or a failure status for the next calls of one endpoint", {"201": _JSON_OK},
                        params=sid, body=_FAULT_BODY),
        },
        "/_api/sessions/{id}/faults/{fid}": {
            "delete": _op("Stop a fault", {"204": {"description": "Deleted"}}, params=[*sid, _path_param("fid")]),
        },
        "/_api/sessions/{id}/requests": {
            "get": _op("The demo calls the session received, newest last", {"200": _JSON_OK},
                       params=[*sid, {"name": "limit", "in": "query", "required": False,
                                      "schema": {"type": "integer", "minimum": 1, "maximum": MAX_REQUESTS}}]),
        },
        "/_api/sessions/{id}/ws": {
            "get": _op("Presenter WebSocket (upgrade); a request without `Upgrade: websocket` is a 400",
                       {"101": {"description": "Switching protocols"}, "400": _ERROR}, params=sid)
        },
    }
    for route, command in REST_COMMANDS.items():
        if command.replies is Replies.SESSION:
            op = _op(command.summary, {"200": _SESSION}, params=sid)
            if command.arguments:
                op["requestBody"] = {
                    "required": False,
                    "content": {"application/json": {"schema": _arguments_schema(command)}},
                }
            paths[f"/_api/sessions/{{id}}/{route}"] = {"post": op}
    for action in RECORDING_ACTIONS:
        paths[f"/_api/sessions/{{id}}/recording/{action}"] = {
            "post": _op(f"Recording: {action}", {"200": _SESSION}, params=sid)
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "PyMockAPI configuration API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": ERROR_SCHEMA,
                "Session": {
                    "type": "object",
                    "required": [
                        "id",
                        "story",
                        "seed",
                        "anchor_date",
                        "waypoint",
                        "waypoints_done",
                        "paused",
                        "next",
                        "base_url",
                        "ws_url",
                        "recording",
                    ],
                    "properties": {
                        "id": {"type": "string"},
                        "story": {"type": "string"},
                        "seed": {"type": "integer"},
                        "anchor_date": {"type": "string"},
                        "waypoint": {"type": "string"},
                        "waypoints_done": {"type": "array", "items": {"type": "string"}},
                        "paused": {"type": "boolean"},
                        "next": {"type": ["object", "null"]},
                        "base_url": {"type": "string"},
                        "ws_url": {"type": "string"},
                        "recording": {"type": "object"},
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "SPEC error shape",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


#: How many records each story endpoint is rendered for: enough to see optional and null fields, cheap per request.
SAMPLES = 8
#: Plausible values of a verb's required arguments, for a write endpoint's request example.
ARGUMENT_EXAMPLES: dict[str, Any] = {"amount": "25.00", "percent": "1.5", "quantity": 1}
#: A verb's annotations (strings under ``from __future__ import annotations``) as JSON Schema types.
_ANNOTATION_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "None": "null"}
#: What a story endpoint's path parameter matches (:meth:`pymockapi.engine.plan.Endpoint.pattern`).
_SEGMENT_SCHEMA = {"type": "string", "pattern": "^[A-Za-z0-9_.~-]+$"}
_READS_ONLY = ("400", "404")
_WRITES = ("400", "404", "409", "422")


def story_openapi(compiled: Any, ctx: Any) -> dict[str, Any]:
    """The demo API of one story: every body's JSON Schema inferred from what its template renders for the
    default session's records, and an example of every request and response body from the same records."""
    session = next((s for s in ctx.sessions.all() if s.id == compiled.id), None)
    if compiled.api is not None:
        return api_openapi(compiled, session)
    if session is None:  # the default session was deleted: describe a fresh one, in memory
        from datetime import date

        from pymockapi.story.rehearsal import offline_session

        session = offline_session(compiled, compiled.story.seed, date.today().isoformat())
    paths: dict[str, Any] = {}
    for endpoint in compiled.story.endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.value.lower()] = _story_operation(
            ctx.templates, session.world, endpoint, session.state)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": compiled.story.title or compiled.id,
            "version": __version__,
            "description": f"Demo API of story '{compiled.id}' ({compiled.pack.name}). "
            f"Serve it under /demo/{{session}}.",
        },
        "servers": [{"url": f"/demo/{compiled.id}"}],
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA}, "responses": _story_errors(session.world)},
    }


def _story_operation(templates: Any, world: Any, endpoint: Any, waypoint: str) -> dict[str, Any]:
    """One story endpoint: its parameters, request body and every answer, each with schema and example."""
    from pymockapi.engine.calls import xml_root
    from pymockapi.engine.view import MAX_PER_PAGE, endpoint_context, render_endpoint

    formats = world.pack.formats
    bodies: list[Any] = []
    alternates: dict[str, list[Any]] = {name: [] for name in formats}
    xml: str | None = None
    samples = _samples(world, endpoint)
    for params, changed in samples:
        try:
            context = endpoint_context(world, endpoint, params, {}, changed, waypoint)
            value = orjson.loads(to_json(render_endpoint(templates, endpoint, context)))
        except (PyMockAPIError, IndexError, KeyError):
            continue
        bodies.append(value)
        if xml is None:
            xml = to_xml(value, root=xml_root(endpoint)).decode()
        for name, alt in formats.items():
            subject = context["record"]
            try:
                alternates[name].append(orjson.loads(to_json(alt.one(subject) if subject is not None
                                                             else alt.many(context["items"]))))
            except (PyMockAPIError, LookupError, TypeError, ValueError):
                continue  # a format with no view of this answer (a deleted record's FHIR resource)
    content: dict[str, Any] = {"application/json": _media(bodies)}
    content["application/xml"] = {"schema": {"type": "string"}, **({"example": xml} if xml is not None else {})}
    for name, alt in formats.items():
        if alternates[name]:
            content[alt.content_type.split(";")[0]] = _media(alternates[name])
    op: dict[str, Any] = {
        "summary": f"{endpoint.method.value} {endpoint.path}",
        "responses": {str(endpoint.status): {"description": "OK", "content": content}},
    }
    for status in _READS_ONLY if endpoint.method.value == "GET" else _WRITES:
        op["responses"][status] = {"$ref": f"#/components/responses/Error{status}"}
    first = samples[0][0] if samples else {}
    parameters: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": dict(_SEGMENT_SCHEMA), **(
            {"example": first[p]} if p in first else {})} for p in endpoint.params]
    parameters.append(_query("format", ["json", "xml", *formats]))
    if endpoint.collection:
        parameters += [{"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
                       {"name": "per_page", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}}]
    op["parameters"] = parameters
    request = _request_body(world, endpoint)
    if request is not None:
        op["requestBody"] = {"required": bool(request["schema"].get("required")),
                             "content": {"application/json": request}}
    return op


def _media(values: list[Any]) -> dict[str, Any]:
    """A media type's schema (inferred from every value) and example (the first value)."""
    media: dict[str, Any] = {"schema": infer_schema(values) if values else {"type": "object"}}
    if values:
        media["example"] = values[0]
    return media


def _records(world: Any, record_type: str | None) -> list[dict[str, Any]]:
    if not record_type or world.pack.record_type(record_type) is None:
        return []
    records: list[dict[str, Any]] = world.records(record_type)[:SAMPLES]
    return records


def _samples(world: Any, endpoint: Any) -> list[tuple[dict[str, str], list[dict[str, Any]]]]:
    """(path parameters, changed records) to render the endpoint with, one per sample record.

    A read names real records in its path (the first few of its type, or of
    the owner's type for an owner parameter); a write is rendered as it
    answers, with the record it created, changed or deleted.
    """
    rt = world.pack.record_type(endpoint.record_type or "")
    if endpoint.method.value == "GET":
        pools: dict[str, list[str]] = {}
        for name in endpoint.params:
            kind = name[:-3] if rt is not None and name == rt.owner_field else (endpoint.record_type or "")
            pools[name] = world.ids(kind)[:SAMPLES] if world.pack.record_type(kind) is not None else []
        if any(not pool for pool in pools.values()):
            return []
        count = max((len(pool) for pool in pools.values()), default=1)
        return [({name: pool[i % len(pool)] for name, pool in pools.items()}, []) for i in range(count)]
    out: list[tuple[dict[str, str], list[dict[str, Any]]]] = []
    for record in _records(world, endpoint.record_type):
        params = {name: str(record.get(name) or record["id"]) for name in endpoint.params}
        shown = {"id": record["id"], "type": record["type"], "deleted": True} if endpoint.deletes else record
        out.append((params, [shown]))
    return out


def _request_body(world: Any, endpoint: Any) -> dict[str, Any] | None:
    """The JSON body a write takes, with an example: a verb's arguments, else the record type's fields."""
    if endpoint.method.value not in ("POST", "PUT", "PATCH"):
        return None
    rt = world.pack.record_type(endpoint.record_type or "")
    owner = rt.owner_field if rt is not None else None
    records = _records(world, endpoint.record_type)
    properties: dict[str, Any] = {}
    required: list[str] = []
    example: dict[str, Any] = {}
    closed = True
    if endpoint.creates and owner and owner not in endpoint.params:
        # Who it belongs to: required when the path names no one, else it overrides the path's record.
        properties[owner] = {"type": "string", "description": f"The id of the {owner[:-3]} it belongs to"}
        if not endpoint.params:
            required.append(owner)
            if records:
                example[owner] = records[0][owner]
    if endpoint.verb:
        for param in list(inspect.signature(world.pack.verbs[endpoint.verb]).parameters.values())[2:]:
            if param.kind is param.VAR_KEYWORD:
                closed = False
                continue
            if param.kind is param.VAR_POSITIONAL:
                continue
            properties[param.name] = _annotation_schema(param.annotation)
            if param.default is inspect.Parameter.empty:
                required.append(param.name)
                example[param.name] = _argument_example(param.name, properties[param.name], records)
            elif param.default is not None and isinstance(param.default, (str, int, float, bool)):
                properties[param.name]["default"] = param.default
                example[param.name] = param.default
    elif endpoint.creates or endpoint.updates:
        fields = [{k: v for k, v in r.items() if k not in ("id", "type") and (k != owner or endpoint.creates)}
                  for r in records]
        fields = [orjson.loads(to_json(f)) for f in fields]
        inferred: dict[str, Any] = infer_schema(fields) if fields else {}
        for name, field_schema in inferred.get("properties", {}).items():
            properties.setdefault(name, field_schema)
        closed = False
        if fields:
            scalars = {k: v for k, v in fields[0].items() if k != owner and not isinstance(v, (dict, list))}
            example.update(fields[0] if endpoint.creates else dict(list(scalars.items())[:3]))
    else:
        return None
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return {"schema": schema, "example": example}


def _annotation_schema(annotation: Any) -> dict[str, Any]:
    """A verb parameter's JSON Schema from its annotation (``str | None``); ``Any`` takes any value."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "Any")
    types = [_ANNOTATION_TYPES.get(part.strip()) for part in text.split("|")]
    if not types or None in types:
        return {"description": "Any JSON value the verb accepts"}
    return {"type": types[0] if len(types) == 1 else types}


def _argument_example(name: str, schema: dict[str, Any], records: list[dict[str, Any]]) -> Any:
    if name in ARGUMENT_EXAMPLES:
        return ARGUMENT_EXAMPLES[name]
    seen = records[0].get(name) if records else None
    if seen is not None and not isinstance(seen, (dict, list)):
        return orjson.loads(to_json(seen))
    kind = schema.get("type")
    first = kind[0] if isinstance(kind, list) else kind
    return {"integer": 1, "number": 1.0, "boolean": True}.get(first or "", "example")


def _story_errors(world: Any) -> dict[str, Any]:
    """SPEC's error shape for each status a demo call can get, each with a real error as its example."""
    from pymockapi.engine.view import list_paging

    examples: dict[str, PyMockAPIError] = {
        "409": Conflict("The record changed in a way the industry's rules do not allow.",
                        "Nothing was changed; GET it again and retry.", code="conflict"),
        "422": InvalidField("amount must be a positive amount, not '-5'.",
                            "Money moves in one direction per call: deposit adds, spend takes away.", field="amount"),
    }
    try:
        list_paging({"per_page": "500"})
    except PyMockAPIError as exc:
        examples["400"] = exc
    first = world.pack.record_types[0]
    try:
        world.get(first.entity_id(9999) if first.owner_field is None else first.owned_id(9999, 1))
    except PyMockAPIError as exc:
        examples["404"] = exc
    described = {"400": "Bad input (paging, format, body that is not JSON)", "404": "No such session or record",
                 "409": "The change conflicts with the world", "422": "Valid JSON with wrong fields"}
    return {
        f"Error{status}": {
            "description": described[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"},
                                             "example": error_body(examples[status])}},
        }
        for status in sorted(examples)
    }


def api_openapi(compiled: Any, session: Any) -> dict[str, Any]:
    """A story's own API description (as OpenAPI 3.1), with each GET's example rendered from the default session."""
    document: dict[str, Any] = copy.deepcopy(compiled.api.description.document)
    base = compiled.api.description.base_path
    document["servers"] = [{"url": f"/demo/{compiled.id}{base}", "description": "PyMockAPI demo session"}]
    if session is None:
        return document
    world = session.world
    for operation in compiled.api.operations:
        reply = operation.operation.success
        if not operation.reads or reply.media_type is None:
            continue
        try:
            answer = operation.render(world, operation.sample_params(world), {}, [])
        except PyMockAPIError:
            continue
        if not answer.body:
            continue
        content = (
            document.get("paths", {})
            .get(operation.operation.path, {})
            .get(operation.operation.method.lower(), {})
            .get("responses", {})
            .get(str(reply.status) if reply.status else "default", {})
            .get("content", {})
        )
        if isinstance(content, dict) and isinstance(content.get(reply.media_type), dict):
            content[reply.media_type]["example"] = orjson.loads(answer.body)
    for operation in compiled.api.operations:
        _fill_examples(document, operation, world.anchor)
    return document


def _fill_examples(document: dict[str, Any], operation: Any, anchor: Any) -> None:
    """Every JSON request body and response of the operation without an example gets one of its schema.

    A GET's success already shows the default session's data; the rest (a
    write's body and answer, each documented error) is generated from the
    schema, an error filled with what such an error says.
    """
    op = operation.operation
    item = document.get("paths", {}).get(op.path, {}).get(op.method.lower(), {})
    if not isinstance(item, dict):
        return
    body = op.request
    request = item.get("requestBody", {}).get("content", {}) if isinstance(item.get("requestBody"), dict) else {}
    if body is not None and isinstance(request, dict) and isinstance(request.get(body.media_type), dict) \
            and "json" in body.media_type and not _has_example(request[body.media_type]):
        with contextlib.suppress(PyMockAPIError, RecursionError):
            request[body.media_type]["example"] = operation.schema_example(body.schema, "request", anchor, "request")
    replies = {op.success.status: op.success, **op.errors}
    for status, reply in replies.items():
        content = item.get("responses", {}).get(str(status) if status else "default", {}).get("content", {})
        media = content.get(reply.media_type) if isinstance(content, dict) and reply.media_type else None
        if not isinstance(media, dict) or _has_example(media) or reply.schema is None or "json" not in str(
                reply.media_type):
            continue
        with contextlib.suppress(PyMockAPIError, RecursionError):
            if 200 <= status < 300:
                media["example"] = operation.schema_example(reply.schema, "response", anchor, f"answer {status}")
            else:
                error = PyMockAPIError(f"An example of the {status or 'default'} answer of {op.key}.",
                                       "Each documented error is answered in its own schema.",
                                       code="example", status=status or 500)
                media["example"] = orjson.loads(operation.error_reply(error).body)


def _has_example(media: dict[str, Any]) -> bool:
    return "example" in media or bool(media.get("examples"))
