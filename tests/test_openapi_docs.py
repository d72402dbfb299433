"""The OpenAPI documents describe what the server really answers.

Each story's demo document gives a real schema and an example of every
request and response body, and every example is valid against its own
schema; the configuration API documents every media type each route
answers, which schemathesis checks against a live server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pymockapi.render.schemas import infer_schema

from support import LiveServer

STORY_FILES = sorted((Path(__file__).resolve().parent.parent / "stories").glob("*.py"))
STORIES = [p.stem for p in STORY_FILES]
#: Stories that answer their own API description (``openapi=``): their document is the user's.
DESCRIBED = {p.stem for p in STORY_FILES if "openapi=" in p.read_text(encoding="utf-8")}
METHODS = ("get", "put", "post", "delete", "patch")
ORBIT = "orbit-saas"


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _resolve(doc: dict[str, Any], node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    """A local ``$ref`` followed to what it names, with the JSON pointer of the target."""
    while "$ref" in node:
        pointer = node["$ref"].removeprefix("#")
        node = doc
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, pointer


def _media(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(operation, where, media type object, its JSON pointer) of every request and response body."""
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            base = f"/paths/{_escape(path)}/{method}"
            name = f"{method.upper()} {path}"
            bodies = []
            if "requestBody" in op:
                bodies.append(("request", op["requestBody"], f"{base}/requestBody"))
            for status, response in op["responses"].items():
                bodies.append((f"response {status}", response, f"{base}/responses/{status}"))
            for where, body, pointer in bodies:
                body, pointer = _resolve(doc, body, pointer)
                for media_type, media in body.get("content", {}).items():
                    yield name, f"{where} {media_type}", media, f"{pointer}/content/{_escape(media_type)}"


def _example_errors(doc: dict[str, Any], pointer: str, example: Any) -> list[str]:
    """What is wrong with ``example`` against the schema at ``pointer`` ($refs resolved in the document)."""
    registry: Registry[Any] = Registry().with_resource(
        "urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012))
    validator = jsonschema.Draft202012Validator({"$ref": f"urn:doc#{pointer}/schema"}, registry=registry)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(example)]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=4))
def test_every_value_fits_the_schema_inferred_from_it(values: list[Any]) -> None:
    validator = jsonschema.Draft202012Validator(infer_schema(values))
    for value in values:
        assert not list(validator.iter_errors(value))


def test_inferred_schema_knows_required_nullable_and_merged_items() -> None:
    schema = infer_schema([{"id": "a", "note": None, "tags": [1, 2.5]}, {"id": "b", "note": "x", "tags": []},
                           {"id": "c", "due": "2026-03-12", "tags": []}])
    assert schema["type"] == "object" and schema["required"] == ["id", "tags"]
    assert schema["properties"]["note"] == {"type": ["string", "null"]}
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "number"}}
    assert schema["properties"]["due"] == {"type": "string", "format": "date"}
    with pytest.raises(jsonschema.ValidationError, match="'id' is a required property"):
        jsonschema.validate({"tags": []}, schema)


def _story_doc(server: LiveServer, story: str) -> dict[str, Any]:
    response = server.call("GET", f"/_api/stories/{story}/openapi.json")
    assert response.status == 200, response.body[:300]
    doc: dict[str, Any] = response.json()
    return doc


@pytest.mark.parametrize("story", STORIES)
def test_story_document_is_valid_and_its_examples_fit_their_schemas(server: LiveServer, story: str) -> None:
    doc = _story_doc(server, story)
    validate(doc)
    problems = []
    for name, where, media, pointer in _media(doc):
        if "example" not in media:
            if story in DESCRIBED:
                continue  # the user's own description: examples only where it has them or reads render them
            problems.append(f"{name} {where}: no example")
            continue
        problems += [f"{name} {where}: {p}" for p in _example_errors(doc, pointer, media["example"])]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("story", [s for s in STORIES if s not in DESCRIBED])
def test_template_story_documents_real_schemas_and_every_body(server: LiveServer, story: str) -> None:
    doc = _story_doc(server, story)
    problems = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            name = f"{method.upper()} {path}"
            success = [s for s in op["responses"] if s.startswith("2")]
            assert success, f"{name}: no success response"
            for status in success:
                content = op["responses"][status]["content"]
                assert {"application/json", "application/xml"} <= set(content), name
                media = content["application/json"]
                if isinstance(media["example"], dict) and not media["schema"].get("properties"):
                    problems.append(f"{name} {status}: an object body without properties")
                if media["schema"] == {"type": "object"}:
                    problems.append(f"{name} {status}: a bare object schema")
            errors = {s for s in op["responses"] if s.startswith("4")}
            assert errors >= ({"400", "404"} if method == "get" else {"400", "404", "409", "422"}), name
            if method in ("post", "put", "patch"):
                body = op.get("requestBody", {}).get("content", {}).get("application/json")
                if body is None or "example" not in body or not body["schema"].get("properties"):
                    problems.append(f"{name}: no request body with properties and an example")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("story", sorted(DESCRIBED))
def test_a_described_story_has_an_example_for_every_json_request_and_response(server: LiveServer, story: str) -> None:
    doc = _story_doc(server, story)
    missing = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            bodies = [("request", op.get("requestBody", {}).get("content", {}))] + [
                (status, reply.get("content", {})) for status, reply in op.get("responses", {}).items()]
            for where, content in bodies:
                for media_type, media in content.items():
                    if "json" in media_type and "example" not in media and not media.get("examples"):
                        missing.append(f"{method.upper()} {path} {where} {media_type}")
    assert not missing, missing


@pytest.mark.parametrize("story", [s for s in STORIES if s not in DESCRIBED])
def test_every_documented_write_example_is_accepted(server: LiveServer, story: str) -> None:
    doc = _story_doc(server, story)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "get":
                continue
            params = {p["name"]: p["example"] for p in op["parameters"] if p["in"] == "path"}
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
            answer = server.call(method.upper(), f"/demo/{story}{path.format(**params)}", body)
            assert answer.status in {int(s) for s in op["responses"] if s.startswith("2")}, answer.body[:300]


def test_harbor_bank_deposit_takes_the_verbs_arguments(server: LiveServer) -> None:
    op = _story_doc(server, "harbor-bank")["paths"]["/accounts/{account_id}/deposits"]["post"]
    body = op["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["amount"]
    assert {"amount", "memo"} <= set(body["schema"]["properties"]) and body["schema"]["additionalProperties"] is False
    created = op["responses"]["201"]["content"]["application/json"]
    assert {"id", "amount", "running_balance"} <= set(created["schema"]["required"])
    account = op["parameters"][0]["example"]
    answer = server.call("POST", f"/demo/harbor-bank/accounts/{account}/deposits", body["example"])
    assert answer.status == 201, answer.body[:300]
    assert not _example_errors(_story_doc(server, "harbor-bank"),
                               "/paths/~1accounts~1{account_id}~1deposits/post/responses/201/content/application~1json",
                               answer.json())


def test_healthcare_story_documents_fhir(server: LiveServer) -> None:
    doc = _story_doc(server, "riverside-clinic")
    content = doc["paths"]["/patients/{patient_id}"]["get"]["responses"]["200"]["content"]
    assert content["application/fhir+json"]["example"]["resourceType"] == "Patient"


def test_config_document_lists_every_media_type_it_answers(server: LiveServer) -> None:
    doc = server.call("GET", "/_api/openapi.json").json()
    validate(doc)
    server.call("POST", f"/_api/sessions/{ORBIT}/recording/start")
    for route, formats in (("markers", ("json", "webvtt", "srt", "ffmetadata", "edl", "otio")),
                           ("export", ("json", "ndjson", "csv", "xml"))):
        get = doc["paths"][f"/_api/sessions/{{id}}/{route}"]["get"]
        documented = set(get["responses"]["200"]["content"])
        enum = next(p for p in get["parameters"] if p["name"] == "format")["schema"]["enum"]
        assert set(formats) <= set(enum)
        for fmt in enum:
            answer = server.call("GET", f"/_api/sessions/{ORBIT}/{route}?format={fmt}")
            assert answer.status == 200, (route, fmt, answer.body[:200])
            assert answer.headers["content-type"].split(";")[0] in documented, (route, fmt)
    assert {"text/vtt", "application/x-subrip", "text/plain", "application/json"} <= set(
        doc["paths"]["/_api/sessions/{id}/markers"]["get"]["responses"]["200"]["content"])


def test_plain_get_of_the_websocket_url_is_a_json_400(server: LiveServer) -> None:
    answer = server.call("GET", f"/_api/sessions/{ORBIT}/ws")
    assert answer.status == 400
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["code"] == "websocket_upgrade_required" and "WebSocket client" in error["hint"]
    missing = server.call("GET", "/_api/sessions/nobody/ws")
    assert missing.status == 404 and missing.json()["error"]["code"]
    client = server.ws(ORBIT)  # a real upgrade still works
    try:
        assert client.recv()["event"] == "state"
    finally:
        client.close()


def test_schemathesis_finds_nothing_in_the_config_api_gets(server: LiveServer) -> None:
    """Every GET of the configuration API, with fuzzed and with real path parameters, answers as documented.

    The WebSocket URL is left out: a plain GET of it is a 400 by design (tested above).
    """
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck

    base = f"http://127.0.0.1:{server.port}"
    persona = server.call("GET", f"/_api/sessions/{ORBIT}/personas").json()["personas"][0]["id"]
    real = {"id": ORBIT, "story": ORBIT, "pid": persona}
    server.call("POST", f"/_api/sessions/{ORBIT}/recording/start")
    schema = schemathesis.openapi.from_url(f"{base}/_api/openapi.json")
    started = time.monotonic()
    failures: list[str] = []
    operations = schema.include(method="GET").exclude(path="/_api/sessions/{id}/ws").get_all_operations()
    for result in operations:
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(base_url=base)
            if case.path_parameters:  # the same query on records that exist
                case.path_parameters = {name: real[name] for name in case.path_parameters}
                case.call_and_validate(base_url=base)

        try:
            run()
        except Exception as exc:  # every operation's failure is reported, not just the first
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert time.monotonic() - started < 30
