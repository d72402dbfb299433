"""OpenAPI 3.1 documents: the configuration API, and each story's demo API."""

from __future__ import annotations

import copy
from typing import Any

import orjson

from pymockapi import __version__
from pymockapi.engine.commands import COMMANDS, RECORDING_ACTIONS, REST_COMMANDS, CommandName, Replies, SessionCommand
from pymockapi.errors import PyMockAPIError

_ERROR = {"$ref": "#/components/responses/Error"}
_SESSION = {
    "description": "The session object",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}},
}
_JSON_OK = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}


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


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, values: list[str]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string", "enum": values}}


_TAKE = {"name": "take", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}

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


def config_openapi() -> dict[str, Any]:
    """Every route of the configuration API."""
    sid = [_path_param("id")]
    story = [_path_param("story")]
    obj = {"type": "object"}
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
                {
                    "200": {
                        "description": "The data set",
                        "content": {
                            "application/json": {"schema": obj},
                            "application/x-ndjson": {"schema": {"type": "string"}},
                            "application/zip": {"schema": {"type": "string"}},
                            "application/xml": {"schema": {"type": "string"}},
                        },
                    }
                },
                params=[*sid, _query("format", ["json", "ndjson", "csv", "xml"])],
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
                {"200": {"description": "Markers", "content": {"text/plain": {"schema": {"type": "string"}}}}},
                params=[*sid, _query("format", ["json", "webvtt", "srt", "ffmetadata", "edl", "otio"]), _TAKE],
            )
        },
        "/_api/sessions/{id}/takes": {
            "get": _op("Every take (one per recording start), oldest first", {"200": _JSON_OK}, params=sid)
        },
        "/_api/sessions/{id}/ws": {
            "get": _op("Presenter WebSocket (upgrade)", {"101": {"description": "Switching protocols"}}, params=sid)
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
                "Error": {
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
                },
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


def story_openapi(compiled: Any, ctx: Any) -> dict[str, Any]:
    """The demo API of one story, with example bodies rendered from its default session."""
    from pymockapi.engine.view import endpoint_context, render_endpoint, sample_params

    session = next((s for s in ctx.sessions.all() if s.id == compiled.id), None)
    if compiled.api is not None:
        return api_openapi(compiled, session)
    paths: dict[str, Any] = {}
    for endpoint in compiled.story.endpoints:
        example: Any = None
        if session is not None and endpoint.method.value == "GET":
            world = session.world
            try:
                context = endpoint_context(world, endpoint, sample_params(world, endpoint), {}, [], session.state)
                example = render_endpoint(ctx.templates, endpoint, context)
            except (PyMockAPIError, IndexError, KeyError):
                example = None
        content: dict[str, Any] = {"schema": {"type": "object"}}
        if example is not None:
            content["example"] = example
        op: dict[str, Any] = {
            "summary": f"{endpoint.method.value} {endpoint.path}",
            "responses": {
                str(endpoint.status): {
                    "description": "OK",
                    "content": {"application/json": content, "application/xml": {"schema": {"type": "string"}}},
                }
            },
        }
        if endpoint.params:
            op["parameters"] = [_path_param(p) for p in endpoint.params]
        if endpoint.method.value in ("POST", "PUT", "PATCH"):
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
        paths.setdefault(endpoint.path, {})[endpoint.method.value.lower()] = op
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
    return document
