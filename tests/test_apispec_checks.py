"""Checking requests against the description: every problem at once."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pymockapi.apispec.checks import Problem, RequestInvalid, check_request, coerce_param
from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import Description, Operation

HERE = Path(__file__).resolve().parent / "apispecs"


def operation(d: Description, key: str) -> Operation:
    return next(op for op in d.operations if op.key == key)


def test_a_good_request_has_no_problems() -> None:
    d = load_description(HERE / "pets30.yaml")
    listing = operation(d, "GET /v2/pets")
    assert check_request(d, listing, path_params={}, query={"limit": ["10"], "tags": ["a,b"], "cb": ["1"]},
                         headers={"x-trace": "t"}, content_type=None, body=None) == []
    body = orjson.dumps({"name": "Rex", "status": "sold"})  # readOnly id not required
    create = operation(d, "POST /v2/pets")
    assert check_request(d, create, path_params={}, query={}, headers={}, content_type="application/json",
                         body=body) == []


def test_every_problem_at_once() -> None:
    d = load_description(HERE / "pets30.yaml")
    listing = operation(d, "GET /v2/pets")
    problems = check_request(d, listing, path_params={}, query={"adopted": ["perhaps"], "tags": ["x", "y"]},
                             headers={}, content_type=None, body=None)
    assert Problem("query", "limit", "is required") in problems
    assert any(p.pointer == "adopted" and "boolean" in p.message for p in problems)
    too_big = check_request(d, listing, path_params={}, query={"limit": ["500"]}, headers={}, content_type=None,
                            body=None)
    assert [p.pointer for p in too_big] == ["limit"]
    create = operation(d, "POST /v2/pets")
    bad = check_request(d, create, path_params={}, query={}, headers={}, content_type="application/json",
                        body=orjson.dumps({"name": "R", "status": "lost", "weight": 0}))
    assert {p.pointer for p in bad} == {"/name", "/status", "/weight"}
    assert all(p.where == "body" for p in bad)
    error = RequestInvalid(bad)
    assert error.status == 400 and error.code == "request_invalid"
    assert "/name" in error.message and "/status" in error.message
    assert error.details["problems"][0]["where"] == "body"


def test_body_kind_problems() -> None:
    d = load_description(HERE / "pets30.yaml")
    create = operation(d, "POST /v2/pets")
    kw = {"path_params": {}, "query": {}, "headers": {}}
    assert check_request(d, create, content_type=None, body=None, **kw) == [
        Problem("body", "", "a request body is required")]
    wrong = check_request(d, create, content_type="text/plain", body=b"x", **kw)
    assert wrong[0].where == "header" and "text/plain" in wrong[0].message
    broken = check_request(d, create, content_type="application/json; charset=utf-8", body=b"{", **kw)
    assert broken[0].message.startswith("not valid JSON")
    detail = operation(d, "GET /v2/pets/{petId}")
    assert check_request(d, detail, path_params={"petId": "nope"}, content_type=None, body=None, query={},
                         headers={})[0].pointer == "petId"
    assert check_request(d, detail, path_params={}, content_type=None, body=None, query={}, headers={}) == [
        Problem("path", "petId", "is required")]


def test_forms_and_wildcards() -> None:
    d = load_description(HERE / "swagger20.yaml")
    note = operation(d, "PUT /v1/accounts/{id}/note")
    assert check_request(d, note, path_params={"id": "a"}, query={}, headers={},
                         content_type="application/x-www-form-urlencoded", body=b"text=hi") == []
    assert check_request(d, note, path_params={"id": "a"}, query={}, headers={}, content_type=None,
                         body=None) == []
    listing = operation(d, "GET /v1/accounts")
    assert check_request(d, listing, path_params={}, query={"page": ["0"], "ids": ["a", "b"]}, headers={},
                         content_type=None, body=None)[0].pointer == "page"


@pytest.mark.parametrize(("schema", "text", "value"), [
    ({"type": "integer"}, "12", 12), ({"type": "integer"}, "x", "x"), ({"type": "number"}, "1.5", 1.5),
    ({"type": "number"}, "3", 3), ({"type": "number"}, "n", "n"), ({"type": "boolean"}, "TRUE", True),
    ({"type": "null"}, "", None), ({"type": "array", "items": {"type": "integer"}}, "1,2", [1, 2]),
    ({"type": "array"}, "", []), ({"type": "string"}, "7", "7"),
])
def test_coerce_param(schema: dict[str, object], text: str, value: object) -> None:
    assert coerce_param(schema, text) == value


def test_long_messages_are_cut() -> None:
    d = load_description(HERE / "oneof31.yaml")
    op = operation(d, "GET /methods/{id}")
    assert check_request(d, op, path_params={"id": "x"}, query={}, headers={"Cookie": "a"}, content_type=None,
                         body=None) == []
    assert RequestInvalid([Problem("body", "", "x" * 300)]).hint
