"""Her own API, served: every real description on a real server, checked with a real validator.

For every description beside the checkout (``../shared/openapi``): every GET
answers its documented status and media type with a body valid against the
documented schema, path ids taken from list bodies resolve, two servers
with the same seed answer identical bytes, a POST creates what a GET then
returns, and a request the description does not allow gets a documented 4xx.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import orjson
import pytest

from pymockapi.apispec.serve import ApiOperation
from pymockapi.apispec.synth import NullSource, build, validator_for
from pymockapi.errors import PyMockAPIError as PyMockAPIErrorAlias
from pymockapi.story.described import slug

from support import LiveServer, ServerFactory, industry_of, real_descriptions

HERE = Path(__file__).resolve().parent / "apispecs"


def api_story(live: LiveServer, path: Path) -> tuple[str, list[ApiOperation]]:
    compiled = next(s for s in live.ctx.sessions.stories.values() if s.file == str(path))
    assert compiled.api is not None
    return compiled.id, compiled.api.operations


def concrete(op: ApiOperation, params: dict[str, str]) -> str:
    route = op.operation.route
    for name, value in params.items():
        route = route.replace("{" + name + "}", quote(value, safe=""))
    return route


def required_query(op: ApiOperation) -> str:
    """Values for the operation's required query parameters (its example, default, enum or a plain word)."""
    parts = []
    for p in op.operation.parameters:
        if p.location == "query" and p.required:
            value = build(op.description, p.schema, NullSource(), seed=f"{op.operation.key} {p.name}")
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            text = str(value).lower() if isinstance(value, bool) else str(value)
            parts.append(f"{quote(p.name)}={quote(text)}")
    return ("?" + "&".join(parts)) if parts else ""


def required_headers(op: ApiOperation) -> dict[str, str]:
    return {p.name: str(build(op.description, p.schema, NullSource(), seed=p.name)) for p in op.operation.parameters
            if p.location == "header" and p.required and p.name.lower() not in ("content-type", "accept")}


def get_all(live: LiveServer, path: Path, *, validate: bool = True) -> tuple[dict[str, int], dict[str, bytes]]:
    story, operations = api_story(live, path)
    counts = {"operations": len(operations), "get": 0, "answered": 0, "valid": 0}
    bodies: dict[str, bytes] = {}
    world = live.on_loop(lambda: live.ctx.sessions.get(story).world)
    for op in operations:
        if not op.reads:
            continue
        counts["get"] += 1
        url = f"/demo/{story}" + concrete(op, live.on_loop(lambda op=op: op.sample_params(world))) + required_query(op)
        resp = live.call("GET", url, headers=required_headers(op))
        assert resp.status == op.status, (op.operation.key, resp.status, resp.body[:300])
        counts["answered"] += 1
        bodies[url] = resp.body
        schema = op.operation.success.schema
        if not validate:
            continue
        if schema is None or not resp.body:
            counts["valid"] += 1
            continue
        assert resp.headers["content-type"].startswith(op.operation.success.media_type or "application/json")
        errors = list(validator_for(op.description, schema, "response").iter_errors(orjson.loads(resp.body)))
        assert not errors, (op.operation.key, [e.message for e in errors[:3]])
        counts["valid"] += 1
    return counts, bodies


@pytest.mark.slow
def test_every_real_description_answers_valid_bodies_the_same_on_every_server_and_after_import(
        live_server: ServerFactory, tmp_path: Path) -> None:
    """Per description: every GET schema-valid; a second server and the imported story answer the same bytes.

    The imported story is written by ``pymockapi import`` and passes ``pymockapi check`` first.
    """
    from pymockapi.cli import main

    rows = [f"{'description':42} {'ops':>4} {'GETs':>5} {'answered':>9} {'valid':>6} {'record':>7} "
            f"{'example':>8} {'generated':>10} {'unbound':>8}"]
    for path in real_descriptions():
        industry = industry_of(path)
        live = live_server(state=tmp_path / f"a-{path.stem}.sqlite3", openapi=path, industry=industry)
        counts, one = get_all(live, path)
        story, _ops = api_story(live, path)
        summary = live.call("GET", f"/_api/stories/{story}/bindings").json()["summary"]
        rows.append(f"{path.name:42} {counts['operations']:>4} {counts['get']:>5} {counts['answered']:>9} "
                    f"{counts['valid']:>6} {summary['record']:>7} {summary['example']:>8} "
                    f"{summary['generator']:>10} {summary['unbound']:>8}")
        assert counts["answered"] == counts["get"] == counts["valid"]
        live.stop()

        second = live_server(state=tmp_path / f"b-{path.stem}.sqlite3", openapi=path, industry=industry)
        assert get_all(second, path, validate=False)[1] == one, path.name
        second.stop()

        out = tmp_path / path.stem / "stories" / f"{path.stem}.py"
        assert main(["import", str(path), "--industry", industry, "--out", str(out)]) == 0
        assert main(["check", str(out)]) == 0
        text = out.read_text()
        assert "BIND = {" in text and re.search(r"openapi='[^']+'", text)
        imported = live_server(stories=out.parent)
        compiled = imported.ctx.sessions.stories[story]
        assert compiled.api is not None
        assert get_all(imported, Path(compiled.file), validate=False)[1] == one, path.name
        imported.stop()
    print("\n" + "\n".join(rows))


def test_path_ids_from_a_list_body_name_the_records_its_detail_shows(live_server: ServerFactory) -> None:
    path = HERE / "binder" / "bank.yaml"
    live = live_server(openapi=path, industry="finance")
    story = slug(live.ctx.sessions.stories[next(iter(s for s in live.ctx.sessions.stories
                                                    if live.ctx.sessions.stories[s].file == str(path)))].story.title)
    base = f"/demo/{story}/v1"
    customers = live.call("GET", f"{base}/customers").json()
    items = customers if isinstance(customers, list) else next(v for v in customers.values() if isinstance(v, list))
    assert items
    for item in items[:5]:
        detail = live.call("GET", f"{base}/customers/{item['id']}")
        assert detail.status == 200
        shown = detail.json()
        assert {k: v for k, v in shown.items() if k in item} == {k: v for k, v in item.items() if k in shown}


def test_a_post_creates_what_a_get_returns_and_bad_bodies_get_the_documented_error(
        live_server: ServerFactory) -> None:
    path = HERE / "binder" / "bank.yaml"
    live = live_server(openapi=path, industry="finance")
    story, operations = api_story(live, path)
    creates = [op for op in operations if op.operation.method == "POST" and op.operation.request is not None]
    assert creates
    done = 0
    world = live.on_loop(lambda: live.ctx.sessions.get(story).world)
    for op in creates:
        assert op.operation.request is not None
        body = build(op.description, op.operation.request.schema, NullSource(), seed="post", direction="request")
        url = f"/demo/{story}" + concrete(op, live.on_loop(lambda op=op: op.sample_params(world)))
        resp = live.call("POST", url, body)
        assert resp.status == op.status, (op.operation.key, resp.body[:400])
        if "location" in resp.headers:
            again = live.call("GET", f"/demo/{story}/{resp.headers['location']}")
            assert again.status == 200, (resp.headers["location"], again.body[:200])
            done += 1
        bad = live.call("POST", url, raw=b'["not", "an", "object"]', headers={
            "Content-Type": "application/json"})
        assert bad.status in (400, 422), bad.body
        error = bad.json()
        documented = op.operation.errors.get(bad.status) or op.operation.errors.get(0)
        if documented is not None and documented.schema is not None:
            assert validator_for(op.description, documented.schema, "response").is_valid(error)
        else:
            assert error["error"]["code"] == "request_invalid" and error["error"]["problems"]
    assert done


def body_of(resp: Any) -> Any:
    return orjson.loads(resp.body)


@pytest.mark.parametrize("query", ["?limit=2&offset=1", "?limit=1"])
def test_paging_is_honoured_and_consistent_with_totals(live_server: ServerFactory, query: str) -> None:
    path = HERE / "binder" / "bank.yaml"
    live = live_server(openapi=path, industry="finance")
    story, _ = api_story(live, path)
    whole = body_of(live.call("GET", f"/demo/{story}/v1/customers?limit=100"))
    page = body_of(live.call("GET", f"/demo/{story}/v1/customers{query}"))

    def items(body: Any) -> Any:
        return body if isinstance(body, list) else next(v for v in body.values() if isinstance(v, list))

    limit = int(re.search(r"limit=(\d+)", query).group(1))  # type: ignore[union-attr]
    offset = int(m.group(1)) if (m := re.search(r"offset=(\d+)", query)) else 0
    assert items(page) == items(whole)[offset:offset + limit]


def test_the_bank_description_end_to_end(live_server: ServerFactory) -> None:
    """Paging styles, sort, update, delete, an action, unknown ids, the bindings table and the examples."""
    path = HERE / "binder" / "bank.yaml"
    live = live_server(openapi=path, industry="finance")
    story, _ = api_story(live, path)
    base = f"/demo/{story}/v1"
    customers = body_of(live.call("GET", f"{base}/customers?limit=3"))["data"]
    owner = customers[0]["id"]
    accounts = body_of(live.call("GET", f"{base}/customers/{owner}/accounts?page=1&pageSize=2"))
    assert 1 <= len(accounts) <= 2
    second = body_of(live.call("GET", f"{base}/customers/{owner}/accounts?page=2&pageSize=1"))
    assert second != accounts[:1] or len(accounts) == 1
    account = accounts[0]["id"]
    first = live.call("GET", f"{base}/accounts/{account}/transactions?limit=2")
    assert first.status == 200
    page = body_of(first)
    token = page.get("next") if isinstance(page, dict) else None
    if token:
        later = body_of(live.call("GET", f"{base}/accounts/{account}/transactions?limit=2&cursor={quote(token)}"))
        assert later != page
    assert live.call("GET", f"{base}/customers?limit=5&sort=-id").status == 200
    patched = live.call("PATCH", f"{base}/accounts/{account}", {"nickname": "Rainy day fund"})
    assert patched.status == 200, patched.body
    assert live.call("POST", f"{base}/accounts/{account}/freeze", {}).status < 300
    missing = live.call("GET", f"{base}/accounts/acct-9999-99")
    assert missing.status == 404
    assert live.call("DELETE", f"{base}/accounts/{account}").status in (200, 204, 409, 422)
    table = live.call("GET", f"/_api/stories/{story}/bindings").json()
    assert table["bindings"] and set(table["summary"]) >= {"record", "unbound"}
    document = live.call("GET", f"/_api/stories/{story}/openapi.json").json()
    assert document["servers"][0]["url"] == f"/demo/{story}/v1"
    example = document["paths"]["/customers"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert example["data"]
    assert live.call("GET", "/_api/stories/harbor-bank/bindings").json()["bindings"] == []


def every_description() -> list[Any]:
    """The bundled descriptions, and the real ones (slow: the inner loop leaves them to ``make test``)."""
    bundled = [(HERE / "binder" / "bank.yaml", "finance"), (HERE / "binder" / "clinic.yaml", "healthcare"),
               (HERE / "binder" / "shop.json", "retail"), (HERE / "binder" / "shapes-finance.yaml", "finance"),
               (HERE / "binder" / "shapes-retail.yaml", "retail")]
    try:
        real = [(p, industry_of(p)) for p in real_descriptions()]
    except pytest.skip.Exception:
        real = []
    return ([pytest.param(p, i, id=p.name) for p, i in bundled]
            + [pytest.param(p, i, id=p.name, marks=pytest.mark.slow) for p, i in real])


QUERIES: list[dict[str, str]] = [{}, {"sort": "-id", "limit": "2", "offset": "1"},
                                 {"page": "2", "per_page": "1", "order": "desc", "sort_by": "name"},
                                 {"cursor": "1", "limit": "1", "status": "open,active"}]


@pytest.mark.parametrize(("path", "industry"), every_description())
def test_every_operation_answers_or_refuses_in_the_documented_shape(path: Path, industry: str) -> None:
    """In-process, every operation of a description: reads under paging, filters and sorting; writes; errors."""
    from datetime import date

    from pymockapi.apispec.checks import Problem, RequestInvalid
    from pymockapi.apispec.serve import ApiStory, VerbCall
    from pymockapi.errors import NotFound, PyMockAPIError
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    pack = shipped_industries().get(industry)
    world = World("api", 0, 0, date(2026, 3, 12), pack, {}, {})
    api = ApiStory.load(path, World("api", 0, 0, date(2026, 3, 12), pack, {}, {}))
    assert api.record_pins() is not None
    for op in api.operations:
        params = op.sample_params(world)
        for error in (NotFound("No such thing.", "List them first."), RequestInvalid([Problem("body", "", "x")])):
            reply = op.error_reply(error)
            assert reply.status == error.status and orjson.loads(reply.body)
        if op.reads:
            fmt = "xml" if op.serves_xml() else "json"
            for query in QUERIES:
                try:
                    assert op.render(world, params, query, [], fmt).status == op.status
                except PyMockAPIError as refused:
                    assert 400 <= refused.status < 500, (path.name, op.operation.key, query, refused.message)
            continue
        try:
            request = op.operation.request
            sent = build(op.description, request.schema, NullSource(), seed="w", direction="request") \
                if request is not None else {}
            write = op.write(world, params, orjson.dumps(sent))
            if isinstance(write, VerbCall):
                continue  # a ledger verb: run through a session in the server tests
            changed = world.apply(write) if write is not None else []
            assert op.render(world, params, {}, changed).status == op.status
        except PyMockAPIError as refused:
            assert 400 <= refused.status < 500, (path.name, op.operation.key, refused.message)


def test_a_path_parameter_that_is_not_an_id_names_its_record_by_the_field_it_shows() -> None:
    """``/users/{username}``, ``/products/{sku}``: the value a list shows is the value the detail takes."""
    from datetime import date

    from pymockapi.apispec.serve import ApiStory
    from pymockapi.errors import NotFound
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    world = World("keys", 0, 0, date(2026, 3, 12), shipped_industries().get("retail"), {}, {})
    api = ApiStory.load(HERE / "binder" / "keys.yaml", world)
    ops = {op.operation.key: op for op in api.operations}
    for listing, detail, key in (("GET /api/users", "GET /api/users/{username}", "username"),
                                 ("GET /api/products", "GET /api/products/{sku}", "sku")):
        items = orjson.loads(ops[listing].render(world, {}, {}, [], "json").body)
        assert len({item[key] for item in items}) == len(items) > 1, items[:2]
        for item in items[:5]:
            shown = orjson.loads(ops[detail].render(world, {key: item[key]}, {}, [], "json").body)
            assert shown == item
        assert ops[detail].sample_params(world)[key] == items[0][key]
        with pytest.raises(NotFound) as caught:
            ops[detail].render(world, {key: "nobody-at-all"}, {}, [], "json")
        assert items[0][key] in f"{caught.value.message} {caught.value.hint}"


def item_routes(operations: list[ApiOperation]) -> list[tuple[ApiOperation, ApiOperation]]:
    """(create, detail) pairs: a POST on a collection and the GET of one of its items (``/pets``, ``/pets/{id}``)."""
    from pymockapi.apispec.binder import Role

    pairs = []
    for create in operations:
        request = create.operation.request
        if create.binding.role is not Role.CREATE or request is None or "json" not in request.media_type:
            continue
        for detail in operations:
            route = detail.operation.route
            if detail.reads and detail.binding.role is Role.DETAIL and detail.binding.record_param and \
                    route.startswith(create.operation.route.rstrip("/") + "/{") and route.count("/") == \
                    create.operation.route.rstrip("/").count("/") + 1:
                pairs.append((create, detail))
                break
    return pairs


def round_trip(live: LiveServer, story: str, create: ApiOperation, detail: ApiOperation) -> tuple[int, int, str]:
    """POST a body the description allows, then GET the record it made: (POST status, GET status, agreeing)."""
    world = live.on_loop(lambda: live.ctx.sessions.get(story).world)
    kind = create.binding.record_type
    before = set(live.on_loop(lambda: world.ids(kind)))
    request = create.operation.request
    assert request is not None
    sent = build(create.description, request.schema, NullSource(), seed="round trip", direction="request")
    params = live.on_loop(lambda: create.sample_params(world))
    posted = live.call("POST", f"/demo/{story}" + concrete(create, params), sent, headers=required_headers(create))
    assert posted.status in (create.status, 422), (create.operation.key, posted.status, posted.body[:300])
    if posted.status == 422:  # the industry's rules refuse it (a ledger write without an amount)
        return posted.status, 0, str(posted.json().get("error", posted.json()).get("message", ""))[:70]
    new = [rid for rid in live.on_loop(lambda: world.ids(kind)) if rid not in before]
    assert len(new) == 1, (create.operation.key, new)
    record = live.on_loop(lambda: world.find(new[0]))
    got = live.call("GET", f"/demo/{story}" + concrete(detail, {**params, **detail.params_naming(record)}),
                    headers=required_headers(detail))
    assert got.status == detail.status, (detail.operation.key, got.status, got.body[:300])
    if not (posted.body and got.body):
        return posted.status, got.status, "-"
    one, two = orjson.loads(posted.body), orjson.loads(got.body)
    if not (isinstance(one, dict) and isinstance(two, dict)):
        return posted.status, got.status, "-"
    shared = [k for k, v in one.items() if k in two and not isinstance(v, dict | list)]
    differ = {k: (one[k], two[k]) for k in shared if one[k] != two[k]}
    assert not differ, (create.operation.key, differ)
    return posted.status, got.status, str(len(shared))


@pytest.mark.slow
def test_a_post_on_a_real_description_creates_what_its_detail_get_returns(live_server: ServerFactory) -> None:
    rows = [f"{'description':42} {'create':48} {'status':>6} {'GET':>4} {'agree':>6}"]
    trips = 0
    for path in real_descriptions():
        live = live_server(openapi=path, industry=industry_of(path))
        story, operations = api_story(live, path)
        for create, detail in item_routes(operations):
            posted, got, agree = round_trip(live, story, create, detail)
            trips += got == detail.status
            rows.append(f"{path.name:42} {create.operation.key:48} {posted:>6} {got or '-':>4} {agree:>6}")
        live.stop()
    print("\n" + "\n".join(rows))
    assert trips >= 3


def test_a_documented_error_list_names_every_wrong_field(tmp_path: Path) -> None:
    """An error schema with a list of problems gets one entry per wrong field, in its own words."""
    from datetime import date

    from pymockapi.apispec.checks import Problem, RequestInvalid
    from pymockapi.apispec.serve import ApiStory
    from pymockapi.errors import InvalidField
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    error = {"type": "object", "required": ["name", "details"], "properties": {
        "name": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object", "required": ["field", "issue"], "properties": {
            "field": {"type": "string"}, "location": {"type": "string"}, "issue": {"type": "string"},
            "description": {"type": "string"}}}}}}
    document = {"openapi": "3.0.3", "info": {"title": "Errors", "version": "1"}, "paths": {"/payments": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"201": {"description": "made"},
                      "400": {"description": "bad", "content": {"application/json": {"schema": error}}}}}}}}
    path = tmp_path / "errors.json"
    path.write_bytes(orjson.dumps(document))
    world = World("errors", 0, 0, date(2026, 3, 12), shipped_industries().get("finance"), {}, {})
    op = ApiStory.load(path, world).operations[0]
    wrong = RequestInvalid([Problem("body", "/amount", "is not a number"), Problem("query", "page", "is negative")])
    body = orjson.loads(op.error_reply(wrong).body)
    assert validator_for(op.description, error, "response").is_valid(body)
    assert [(d["field"], d["location"], d["description"]) for d in body["details"]] == [
        ("/amount", "body", "is not a number"), ("page", "query", "is negative")]
    assert {d["issue"] for d in body["details"]} == {"request_invalid"}
    broken = InvalidField("Nothing was changed.", "Fix the fields.", field="memo", violations=[
        {"record_type": "transaction", "record_id": "txn-0001-01", "field": "memo", "problem": "is not a sentence"}])
    broken.status = 400
    assert [d["field"] for d in orjson.loads(op.error_reply(broken).body)["details"]] == ["memo"]


def test_xml_is_answered_where_the_description_documents_it(live_server: ServerFactory, tmp_path: Path) -> None:
    """``Accept: application/xml`` on an operation documenting XML: well-formed XML of the same record."""
    from lxml import etree

    pet = {"type": "object", "required": ["id", "name"], "xml": {"name": "Pet"},
           "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "status": {"type": "string"}}}
    media = {"application/json": {"schema": pet}, "application/xml": {"schema": pet}}
    document = {"openapi": "3.0.3", "info": {"title": "Xml Pets", "version": "1"}, "paths": {
        "/pets": {"get": {"responses": {"200": {"description": "pets", "content": {
            "application/json": {"schema": {"type": "array", "items": pet}},
            "application/xml": {"schema": {"type": "array", "items": pet}}}}}}},
        "/pets/{petId}": {"get": {"parameters": [{"name": "petId", "in": "path", "required": True,
                                                  "schema": {"type": "integer"}}],
                                  "responses": {"200": {"description": "a pet", "content": media}}}}}}
    path = tmp_path / "xml-pets.json"
    path.write_bytes(orjson.dumps(document))
    live = live_server(openapi=path, industry="retail")
    story, _ = api_story(live, path)
    listed = live.call("GET", f"/demo/{story}/pets").json()
    one = listed[0]
    as_json = live.call("GET", f"/demo/{story}/pets/{one['id']}")
    as_xml = live.call("GET", f"/demo/{story}/pets/{one['id']}", headers={"Accept": "application/xml"})
    assert as_xml.status == 200 and as_xml.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(as_xml.body)
    assert root.findtext("name") == as_json.json()["name"] == one["name"]
    assert root.findtext("id") == str(one["id"])
    whole = etree.fromstring(live.call("GET", f"/demo/{story}/pets", headers={"Accept": "application/xml"}).body)
    assert len(whole) == len(listed)


def test_location_of_a_nested_create_names_the_owner_and_the_new_record(tmp_path: Path) -> None:
    from datetime import date

    from pymockapi.apispec.serve import ApiStory
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    visit = {"type": "object", "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}}
    patient = [{"name": "patientId", "in": "path", "required": True, "schema": {"type": "string"}}]
    document = {"openapi": "3.0.3", "info": {"title": "Visits", "version": "1"}, "paths": {
        "/patients/{patientId}/appointments": {"parameters": patient, "post": {
            "requestBody": {"content": {"application/json": {"schema": visit}}},
            "responses": {"201": {"description": "booked", "content": {"application/json": {"schema": visit}}}}}},
        "/patients/{patientId}/appointments/{appointmentId}": {"parameters": [*patient, {
            "name": "appointmentId", "in": "path", "required": True, "schema": {"type": "string"}}], "get": {
            "responses": {"200": {"description": "one", "content": {"application/json": {"schema": visit}}}}}}}}
    path = tmp_path / "visits.json"
    path.write_bytes(orjson.dumps(document))
    world = World("visits", 0, 0, date(2026, 3, 12), shipped_industries().get("healthcare"), {}, {})
    ops = {op.operation.key: op for op in ApiStory.load(path, world).operations}
    book, show = ops["POST /patients/{patientId}/appointments"], ops[
        "GET /patients/{patientId}/appointments/{appointmentId}"]
    params = book.sample_params(world)
    write = book.write(world, params, orjson.dumps({"reason": "Follow-up on blood sugar"}))
    assert write is not None and not isinstance(write, tuple)
    changed = world.apply(write)  # type: ignore[arg-type]
    reply = book.render(world, params, {}, changed)
    location = dict(reply.headers)["Location"]
    assert "{" not in location and location.startswith(f"patients/{params['patientId']}/appointments/")
    _, owner, _, shown = location.split("/")
    assert show.render(world, {"patientId": owner, "appointmentId": shown}, {}, []).status == 200


def test_a_reference_a_create_names_is_stored(tmp_path: Path) -> None:
    """``providerId`` in a booking names the provider the new appointment is with."""
    from datetime import date

    from pymockapi.apispec.serve import ApiStory
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    visit = {"type": "object", "properties": {"id": {"type": "string"}, "providerId": {"type": "string"},
                                              "reason": {"type": "string"}}}
    document = {"openapi": "3.0.3", "info": {"title": "Bookings", "version": "1"}, "paths": {
        "/patients/{patientId}/appointments": {"parameters": [
            {"name": "patientId", "in": "path", "required": True, "schema": {"type": "string"}}], "post": {
            "requestBody": {"content": {"application/json": {"schema": visit}}},
            "responses": {"201": {"description": "booked", "content": {"application/json": {"schema": visit}}}}}}}}
    path = tmp_path / "bookings.json"
    path.write_bytes(orjson.dumps(document))
    world = World("bookings", 0, 0, date(2026, 3, 12), shipped_industries().get("healthcare"), {}, {})
    op = ApiStory.load(path, world).operations[0]
    params = op.sample_params(world)
    for provider in world.ids("provider")[:3]:
        write = op.write(world, params, orjson.dumps({"providerId": provider, "reason": "Annual physical"}))
        changed = world.apply(write)  # type: ignore[arg-type]
        made = next(r for r in changed if r["type"] == "appointment")
        assert made["provider_id"] == provider
        assert orjson.loads(op.render(world, params, {}, changed).body)["providerId"] == provider


def listed_ids(op: ApiOperation, body: Any) -> list[str]:
    """The ids a list body shows for its records: the item property bound to the record's own id."""
    binding = op.binding
    if binding.list_pointer is None or binding.root is None:
        return []
    node, items = binding.root, body
    for part in binding.list_pointer:
        node = node.children.get(part) if node is not None else None
        items = items.get(part) if isinstance(items, dict) else None
    if node is None or node.item is None or not isinstance(items, list):
        return []
    keys = [k for k, child in node.item.children.items() if child.getter is not None and child.getter.path == ("id",)
            and child.getter.id_of == binding.record_type and not child.getter.via]
    return [str(item[keys[0]]) for item in items if keys and isinstance(item, dict) and keys[0] in item]


@pytest.mark.parametrize(("path", "industry"), every_description())
def test_the_ids_a_list_shows_are_the_ids_its_detail_takes(path: Path, industry: str) -> None:
    """The front-end calls the detail with an id it read from the list: the request passes the
    description's own parameter check and names that record."""
    from datetime import date

    from pymockapi.apispec.binder import Role
    from pymockapi.apispec.serve import ApiStory
    from pymockapi.industries import shipped_industries
    from pymockapi.world.world import World

    world = World("ids", 0, 0, date(2026, 3, 12), shipped_industries().get(industry), {}, {})
    api = ApiStory.load(path, World("ids", 0, 0, date(2026, 3, 12), shipped_industries().get(industry), {}, {}))
    checked = 0
    for listing in (op for op in api.operations if op.reads and op.binding.role is Role.LIST):
        if not listing.operation.success.media_type or "json" not in listing.operation.success.media_type:
            continue
        try:
            body = orjson.loads(listing.render(world, listing.sample_params(world), {}, [], "json").body)
        except PyMockAPIErrorAlias:
            continue
        for detail in api.operations:
            b = detail.binding
            if not (detail.reads and b.role is Role.DETAIL and b.record_type == listing.binding.record_type
                    and b.record_param and not b.param_fields):
                continue
            for shown in listed_ids(listing, body)[:3]:
                params = {**detail.sample_params(world), b.record_param: shown}
                query = {k: [v.encode()] for k, v in parse_qsl(required_query(detail)[1:])}
                detail.check(params, query, required_headers(detail), None, b"")
                assert detail.anchor(world, params) is not None, (listing.operation.key, detail.operation.key, shown)
                checked += 1
    print(path.name, checked)


def test_a_required_header_is_checked_also_when_the_body_is_memoised(live_server: ServerFactory,
                                                                     tmp_path: Path) -> None:
    thing = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    document = {"openapi": "3.0.3", "info": {"title": "Tenants", "version": "1"}, "paths": {"/customers": {"get": {
        "parameters": [{"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "array", "items": thing}}}}, "400": {"description": "bad"}}}}}}
    path = tmp_path / "tenants.json"
    path.write_bytes(orjson.dumps(document))
    live = live_server(openapi=path, industry="finance")
    story, _ = api_story(live, path)
    first = live.call("GET", f"/demo/{story}/customers", headers={"X-Tenant": "acme"})
    again = live.call("GET", f"/demo/{story}/customers", headers={"X-Tenant": "acme"})
    assert first.status == again.status == 200 and first.body == again.body
    refused = live.call("GET", f"/demo/{story}/customers")
    assert refused.status == 400 and "X-Tenant" in refused.body.decode()
