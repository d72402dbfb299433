"""Loading API descriptions: the six real vendor files, the edge cases beside this file, broken ones."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from pymockapi.apispec.loader import ApiDescriptionError, load_description, read_document, strict_check
from pymockapi.apispec.model import REF_PREFIX
from pymockapi.errors import PyMockAPIError

from support import real_descriptions

HERE = Path(__file__).resolve().parent / "apispecs"


@pytest.mark.slow
def test_every_real_description_loads_and_serves_back_as_valid_31() -> None:
    rows = []
    for path in real_descriptions():
        started = time.perf_counter()
        description = load_description(path)
        took = time.perf_counter() - started
        assert description.operations, path.name
        assert description.document["openapi"] == "3.1.0"
        if path.stat().st_size < 300_000:  # the 3.1 validator is slow; the big ones are checked by hand
            assert not list(OpenAPIV31SpecValidator(description.document).iter_errors()), path.name
        rows.append(f"{path.name:42} {description.dialect:4} {len(description.operations):4} ops {took:6.3f} s")
    print("\n" + "\n".join(rows))


def test_real_base_paths_and_dialects() -> None:
    found = {p.name: load_description(p, strict=False) for p in real_descriptions()}
    assert found["demo-swagger-petstore-v3.yaml"].base_path == "/api/v3"
    assert found["retail-amazon-spapi-orders-v0.json"].dialect == "2.0"
    assert found["healthcare-terra-api-v2.yaml"].dialect == "3.1"
    petstore = found["demo-swagger-petstore-v3.yaml"]
    keys = {op.key for op in petstore.operations}
    assert "GET /api/v3/pet/{petId}" in keys
    assert "Pet" in petstore.schemas


def test_openapi30_normalisation() -> None:
    d = load_description(HERE / "pets30.yaml")
    assert (d.title, d.version, d.dialect, d.base_path) == ("Pet Shelter", "1.2", "3.0", "/v2")
    pet = d.schemas["Pet"]["properties"]
    assert pet["nickname"]["type"] == ["string", "null"]
    assert pet["rating"]["enum"] == [1, 2, 3, None]
    assert pet["weight"] == {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 80}
    assert pet["owner"] == {"$ref": REF_PREFIX + "Owner"}
    assert pet["legacy"] == {"$ref": REF_PREFIX + "Owner", "description": "a 3.0 ref sibling"}
    ops = {op.key: op for op in d.operations}
    listing = ops["GET /v2/pets"]
    assert listing.operation_id == "listPets"
    limit = [p for p in listing.parameters if p.name == "limit"]
    assert len(limit) == 1 and limit[0].required and limit[0].schema["maximum"] == 100
    assert {p.name for p in listing.parameters} == {"limit", "X-Trace", "tags", "adopted"}
    assert listing.success.status == 200 and listing.success.media_type == "application/json"
    assert listing.success.media_types == ("application/xml", "application/json")
    assert dict(listing.success.headers) == {"X-Total-Count": {"type": "integer"}}
    assert sorted(listing.errors) == [0, 404]
    assert listing.errors[0].media_type == "application/problem+json"
    create = ops["POST /v2/pets"]
    assert create.request is not None and create.request.required
    assert create.success.status == 201
    assert ops["GET /v2/pets/{petId}"].success.schema == {"$ref": REF_PREFIX + "Pet"}
    assert ops["GET /v2/pets/{petId}"].path_params()[0].schema["format"] == "uuid"
    assert ops["DELETE /v2/pets/{petId}"].success.media_type is None
    assert ops["GET /v2/pets/{petId}/owner"].success.schema == {"$ref": REF_PREFIX + "Owner"}


def test_servers_variables_and_root_server() -> None:
    assert load_description(HERE / "oneof31.yaml").base_path == ""


def test_openapi31_keeps_type_arrays_and_maps_discriminators() -> None:
    d = load_description(HERE / "oneof31.yaml")
    assert d.schemas["Card"]["properties"]["expires"]["type"] == ["string", "null"]
    mapping = d.schemas["Method"]["discriminator"]["mapping"]
    assert mapping == {"card": REF_PREFIX + "Card", "bank": REF_PREFIX + "Bank"}
    ops = {op.key: op for op in d.operations}
    assert ops["GET /choice"].success.status == 200  # "2XX"
    assert ops["GET /methods/{id}"].success.media_type == "application/vnd.pay+json"


def test_swagger20_conversion() -> None:
    d = load_description(HERE / "swagger20.yaml")
    assert (d.dialect, d.base_path) == ("2.0", "/v1")
    account = d.schemas["Account"]
    assert account["properties"]["nickname"]["type"] == ["string", "null"]
    assert account["properties"]["balance"] == {"type": "number", "exclusiveMinimum": 0}
    assert account["discriminator"] == {"propertyName": "kind"}
    ops = {op.key: op for op in d.operations}
    listing = ops["GET /v1/accounts"]
    assert listing.success.media_types == ("application/json", "text/plain")
    assert listing.success.headers == {}  # Swagger headers are never required
    assert listing.success.example == [{"id": "a1"}]
    page = next(p for p in listing.parameters if p.name == "page")
    assert page.schema == {"type": "integer", "minimum": 1}
    create = ops["POST /v1/accounts"]
    assert create.request is not None and create.request.schema == {"$ref": REF_PREFIX + "Account"}
    assert create.request.media_types == ("application/json",)
    upload = ops["POST /v1/accounts/{id}/documents"]
    assert upload.request is not None and upload.request.media_type == "multipart/form-data"
    assert upload.request.schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert upload.request.schema["required"] == ["file"]
    assert upload.success.status == 0
    note = ops["PUT /v1/accounts/{id}/note"]
    assert note.request is not None and note.request.media_type == "application/x-www-form-urlencoded"
    assert not note.request.required
    schemes = d.document["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert "authorizationCode" in schemes["oauth"]["flows"]
    assert d.document["servers"] == [{"url": "https://api.bank.example/v1/"}]
    assert not list(OpenAPIV31SpecValidator(d.document).iter_errors())


def test_file_refs_become_named_schemas() -> None:
    d = load_description(HERE / "files.yaml")
    ops = {op.key: op for op in d.operations}
    assert ops["GET /pets"].success.schema == {"$ref": REF_PREFIX + "pet"}
    assert d.schemas["pet"]["properties"]["friend"] == {"$ref": REF_PREFIX + "pet"}  # a cycle through "#"
    assert d.schemas["pet"]["properties"]["kind"] == {"$ref": REF_PREFIX + "Kind"}
    assert ops["GET /pets"].parameters[0].name == "limit"
    other = ops["GET /other"].success.schema
    assert other == {"$ref": REF_PREFIX + "Foo2"}  # "Foo" is the root file's own
    assert d.schemas["Foo2"]["required"] == ["bar"]
    assert not list(OpenAPIV31SpecValidator(d.document).iter_errors())


def test_cyclic_schemas_stay_refs() -> None:
    d = load_description(HERE / "cyclic.yaml")
    assert d.schemas["Node"]["properties"]["parent"] == {"$ref": REF_PREFIX + "Node"}
    assert d.deref({"$ref": REF_PREFIX + "Node"})[0] == "Node"


@pytest.mark.parametrize(("name", "pointer", "problem"), [
    ("not_mapping.yaml", "", "must be a mapping"),
    ("no_paths.yaml", "", "no paths"),
    ("bad_ref.yaml", "/paths/~1a/get/responses/200/content/application~1json/schema/$ref", "points to nothing"),
    ("bad_type.yaml", "/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/type",
     "unknown type 'strin'"),
    ("not_yaml.yaml", "", "not valid YAML or JSON"),
])
def test_broken_descriptions_name_file_pointer_and_problem(name: str, pointer: str, problem: str) -> None:
    path = HERE / "broken" / name
    with pytest.raises(ApiDescriptionError, match=problem) as caught:
        load_description(path)
    error = caught.value
    assert isinstance(error, PyMockAPIError)
    assert (error.file, error.pointer) == (str(path), pointer)
    assert error.message == f"{path}: {pointer}: {error.problem}"
    assert error.code == "api_description_invalid" and error.status == 400 and error.hint


@pytest.mark.parametrize(("document", "pointer", "problem"), [
    ({"openapi": "4.0.0", "info": {}, "paths": {}}, "/openapi", "unsupported version"),
    ({"openapi": "3.0.0", "paths": {}}, "", "info"),
    ({"openapi": "3.0.0", "info": {}, "paths": []}, "/paths", "paths must be a mapping"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"a": {}}}, "/paths/a", "start with '/'"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": []}}}, "/paths/~1a/get", "operation must be"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": {}}}}, "/paths/~1a/get/responses", "responses"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": {"responses": {"abc": {}}}}}},
     "/paths/~1a/get/responses/abc", "not an HTTP status"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "body"}],
                                                               "responses": {}}}}},
     "/paths/~1a/get/parameters/0/in", "parameter location"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": {"parameters": {}, "responses": {}}}}},
     "/paths/~1a/get/parameters", "must be a list"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"required": "x"}}}},
     "/components/schemas/A/required", "must be a list"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"type": ["string"]}}}},
     "/components/schemas/A/type", "single name"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"maxLength": "3"}}}},
     "/components/schemas/A/maxLength", "must be a number"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"allOf": {}}}}},
     "/components/schemas/A/allOf", "non-empty list"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"properties": []}}}},
     "/components/schemas/A/properties", "mapping of schemas"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": 3}}},
     "/components/schemas/A", "schema must be a mapping"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"$ref": "#/x"}}}},
     "/components/schemas/A/$ref", "points to nothing"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"$ref": "#anchor"}}}},
     "/components/schemas/A/$ref", "anchor"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {"A": {"$ref": "missing.yaml"}}}},
     "/components/schemas/A/$ref", "cannot read"),
    ({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"$ref": "#/paths/~1a"}}}, "/paths/~1a", "loops"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": []}, "/components", "must be a mapping"),
    ({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": []}}, "/components/schemas",
     "must be a mapping"),
])
def test_structural_problems(tmp_path: Path, document: dict[str, object], pointer: str, problem: str) -> None:
    path = tmp_path / "api.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(ApiDescriptionError, match=problem) as caught:
        load_description(path, strict=False)
    assert caught.value.pointer == pointer


def test_strict_validation_fails_on_real_problems_and_tolerates_trivia(tmp_path: Path) -> None:
    trivia = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
              "paths": {"/a": {"get": {"responses": {"200": {"content": {}}}}}}}
    path = tmp_path / "trivia.yaml"
    path.write_bytes(orjson.dumps(trivia))
    assert load_description(path, strict=True).operations[0].success.status == 200
    wrong = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
             "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}, "tags": "x"}}}}
    path.write_bytes(orjson.dumps(wrong))
    with pytest.raises(ApiDescriptionError, match="is not of type 'array'") as caught:
        load_description(path)
    assert caught.value.pointer == "/paths/~1a/get/tags"
    strict_check(trivia, path)


def test_a_description_that_passed_is_not_checked_again_but_a_changed_one_is(tmp_path: Path) -> None:
    """The strict check is remembered by the bytes of every file a load read."""
    main = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    path = tmp_path / "api.json"
    path.write_bytes(orjson.dumps(main))
    assert load_description(path, strict=True).operations[0].success.status == 200
    assert load_description(path, strict=True).operations[0].success.status == 200
    main["paths"]["/a"]["get"]["tags"] = "x"  # type: ignore[index]
    path.write_bytes(orjson.dumps(main))
    with pytest.raises(ApiDescriptionError, match="is not of type 'array'"):
        load_description(path, strict=True)


def test_unreadable_file() -> None:
    with pytest.raises(ApiDescriptionError, match="cannot read") as caught:
        load_description(HERE / "nope.yaml")
    assert caught.value.pointer == ""


def test_yaml_keeps_dates_as_strings_and_int_keys(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("openapi: 3.0.0\ninfo: {title: t, version: 2024-01-31}\npaths:\n  /a:\n    get:\n"
                    "      responses:\n        204: {description: ok}\n", encoding="utf-8")
    d = load_description(path)
    assert d.version == "2024-01-31" and d.operations[0].success.status == 204
    assert read_document(path)["info"]["version"] == "2024-01-31"


def _big_description(operations: int) -> dict[str, object]:
    schemas: dict[str, object] = {}
    paths: dict[str, object] = {}
    for i in range(operations):
        props = {f"field{j}": {"type": "string", "description": "x" * 60, "maxLength": 80, "example": f"v{j}"}
                 for j in range(60)}
        props["child"] = {"$ref": f"#/components/schemas/Thing{(i + 1) % operations}"}
        props["amount"] = {"type": "number", "minimum": 0, "exclusiveMinimum": True, "nullable": True}
        schemas[f"Thing{i}"] = {"type": "object", "required": ["field0"], "properties": props}
        paths[f"/things{i}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": f"get{i}", "responses": {
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/Thing{i}"}}}},
                "404": {"description": "missing"}}},
            "put": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/Thing{i}"}}}},
                "responses": {"204": {"description": "ok"}}}}
    return {"openapi": "3.0.3", "info": {"title": "Big", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}


def test_a_six_megabyte_description_loads_in_under_three_seconds(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(orjson.dumps(_big_description(700)))
    size = path.stat().st_size
    assert 5_500_000 < size < 7_500_000, size
    started = time.perf_counter()
    d = load_description(path)
    took = time.perf_counter() - started
    print(f"\n6 MB description: {size / 1e6:.1f} MB, {len(d.operations)} operations, loaded in {took:.2f} s")
    assert len(d.operations) == 1400
    assert took < 3.0
