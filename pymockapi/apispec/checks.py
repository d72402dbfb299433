"""Refuse requests the description does not allow, naming every wrong field at once.

A front-end developer fixing a request wants the whole list, not one
problem per round trip, so :func:`check_request` collects them all; the
handler raises :class:`RequestInvalid` with that list.  Path and query values
arrive as text and are coerced to their schema's type before validation
(``?limit=10`` is an integer 10), as every OpenAPI server does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from pymockapi.apispec.loader import is_json_media
from pymockapi.apispec.model import Description, Operation, Parameter, Schema
from pymockapi.apispec.synth import kind_of, merged, validator_for
from pymockapi.errors import PyMockAPIError

#: Header parameters OpenAPI says to ignore: the content negotiation and the security scheme own them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: where ("body", "query", "path", "header"), which field, what."""

    where: str
    pointer: str  # a parameter's name, or a JSON pointer into the body
    message: str


class RequestInvalid(PyMockAPIError):
    """A request the API description does not allow (400), listing every problem in ``details["problems"]``."""

    status = 400
    code = "request_invalid"

    def __init__(self, problems: list[Problem], hint: str = "") -> None:
        named = "; ".join(f"{p.where} {p.pointer or '(whole)'}: {p.message}" for p in problems)
        super().__init__(f"The request does not match the API description: {named}.",
                         hint or "Send what the description documents for this operation.",
                         problems=[asdict(p) for p in problems])
        self.problems = problems


def coerce_param(schema: Schema, text: str) -> Any:
    """A path/query/header string as the type its schema names (left as text when it does not parse)."""
    kind = kind_of(schema)
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if re.fullmatch(r"[+-]?\d+", text.strip()) else number
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind == "null" and text in ("", "null"):
        return None
    if kind == "array":
        items: Schema = schema["items"] if isinstance(schema.get("items"), dict) else {}
        return [coerce_param(items, part) for part in text.split(",")] if text else []
    return text


def _param_value(description: Description, param: Parameter, values: list[str]) -> Any:
    schema = merged(description, description.deref(param.schema)[1])
    if kind_of(schema) == "array":
        items: Schema = schema["items"] if isinstance(schema.get("items"), dict) else {}
        parts = [p for v in values for p in (v.split(",") if len(values) == 1 else [v])]
        return [coerce_param(merged(description, description.deref(items)[1]), p) for p in parts]
    branches = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(branches, list):  # "either a unix timestamp or a date": the first branch the text fits
        for branch in branches:
            if isinstance(branch, dict):
                resolved = merged(description, description.deref(branch)[1])
                value = coerce_param(resolved, values[-1])
                if validator_for(description, resolved).is_valid(value):
                    return value
    return coerce_param(schema, values[-1])


def _schema_problems(description: Description, schema: Schema, value: Any, where: str, name: str,
                     direction: str | None) -> list[Problem]:
    validator = validator_for(description, schema, direction)
    problems: list[Problem] = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        if where == "body":
            pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
        else:
            pointer = name
        problems.append(Problem(where, pointer, _short(error.message)))
    return problems


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _params(description: Description, operation: Operation, path_params: Mapping[str, str],
            query: Mapping[str, list[str]], headers: Mapping[str, str]) -> list[Problem]:
    lowered = {k.lower(): v for k, v in headers.items()}
    problems: list[Problem] = []
    for param in operation.parameters:
        values: list[str] | None
        if param.location == "path":
            values = [path_params[param.name]] if param.name in path_params else None
        elif param.location == "query":
            values = list(query[param.name]) if param.name in query else None
        elif param.location == "header" and param.name.lower() in IGNORED_HEADERS:
            continue
        elif param.location == "header":
            values = [lowered[param.name.lower()]] if param.name.lower() in lowered else None
        else:
            continue  # cookies: a browser sends what it has; not the front-end's to fix
        if values is None:
            if param.required:
                problems.append(Problem(param.location, param.name, "is required"))
            continue
        value = _param_value(description, param, values)
        problems.extend(_schema_problems(description, param.schema, value, param.location, param.name, None))
    return problems


def _media_allowed(content_type: str, allowed: tuple[str, ...]) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    for media in allowed:
        wanted = media.split(";", 1)[0].strip().lower()
        if wanted in (kind, "*/*") or (wanted.endswith("/*") and kind.startswith(wanted[:-1])):
            return True
    return False


def _body(description: Description, operation: Operation, content_type: str | None,
          body: bytes | None) -> list[Problem]:
    request = operation.request
    if request is None:
        return []
    if not body:
        return [Problem("body", "", "a request body is required")] if request.required else []
    if content_type is None or not _media_allowed(content_type, request.media_types):
        return [Problem("header", "Content-Type", f"{content_type or 'no content type'} is not one of "
                                                  f"{', '.join(request.media_types)}")]
    if not is_json_media(content_type):
        return []  # forms and files: their fields are the handler's to parse
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return [Problem("body", "", f"not valid JSON ({error})")]
    return _schema_problems(description, request.schema, value, "body", "", "request")


def check_request(description: Description, operation: Operation, *, path_params: Mapping[str, str],
                  query: Mapping[str, list[str]], headers: Mapping[str, str], content_type: str | None,
                  body: bytes | None) -> list[Problem]:
    """Every way this request breaks the description (an empty list when it is fine).

    Unknown query parameters are allowed (front-ends add cache busters);
    readOnly body properties are not required in requests.
    """
    return [*_params(description, operation, path_params, query, headers),
            *_body(description, operation, content_type, body)]


__all__ = ["Problem", "RequestInvalid", "check_request", "coerce_param"]
