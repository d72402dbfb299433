"""The API-description bench's parts on their own: reading a description, learning ids, keeping bodies.

The learner is driven through its one door, a ``fetch`` of GETs, by a
scripted server (a table of bodies); the lanes run against a real
Tornado server on a loopback port, one handler of which drops its
connection so a failed request is seen as status 0.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from pymockapi.bench.apidoc import (
    as_text,
    described_names,
    get_operations,
    identity_of,
    is_id_like,
    resolve,
    schema_value,
)
from pymockapi.bench.apilearn import learn
from pymockapi.bench.lanes import Fetched, fetch_all

DAY = date(2025, 6, 2)


def test_resolve_follows_chains_and_gives_up_on_cycles_and_foreign_refs() -> None:
    doc = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "integer"},
                                      "Loop": {"$ref": "#/components/schemas/Loop"},
                                      "a/b": {"type": "boolean"}}}}
    assert resolve(doc, {"$ref": "#/components/schemas/A"}) == {"type": "integer"}
    assert resolve(doc, {"$ref": "#/components/schemas/Loop"}) == {}
    assert resolve(doc, {"$ref": "other.yaml#/X"}) == {}
    assert resolve(doc, {"$ref": "#/components/schemas/Missing"}) == {}
    assert resolve(doc, {"$ref": "#/components/schemas/a~1b"}) == {"type": "boolean"}
    assert resolve(doc, 7) == 7


def test_schema_values_take_the_descriptions_word_first_then_a_plain_value_of_the_type() -> None:
    def value(schema: Any, doc: Mapping[str, Any] | None = None) -> Any:
        return schema_value(doc or {}, schema, DAY, "seed")

    assert value({"type": "string", "example": "ex"}) == "ex"
    assert value({"type": "string", "default": "d"}) == "d"
    assert value({"const": 3}) == 3
    assert value({"examples": ["first", "second"]}) == "first"
    assert value({"allOf": [{"type": "boolean"}]}) is True
    assert value({"oneOf": [{"type": "number", "minimum": 2.5}]}) == 3
    assert value({"type": ["null", "integer"], "minimum": True}) == 1  # a boolean is not a bound
    assert value({"type": "string", "format": "date"}) == "2025-06-02"
    assert value({"type": "string", "format": "date-time"}) == "2025-06-02T00:00:00Z"
    assert value({"type": "string", "format": "email"}) == "demo@example.com"
    assert value({"type": "string", "minLength": 8}) == "dddddddd"
    assert value({"type": "string", "minLength": 2}) == "demo"
    assert value("not a schema") == "demo"
    deep: dict[str, Any] = {"type": "array", "items": {}}
    node = deep
    for _ in range(12):
        node["items"] = {"type": "array", "items": {}}
        node = node["items"]
    assert value(deep) == [[[[[[[[["demo"]]]]]]]]]  # depth is bounded
    patterned = value({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"})
    assert len(patterned) == 6 and patterned[3] == "-" and patterned == value({"pattern": "^[A-Z]{3}-[0-9]{2}$"})
    assert value({"type": "string", "pattern": "(?<=unsupported"}) == "demo"


def test_parameters_on_the_wire_and_their_identities() -> None:
    assert as_text(True) == "true" and as_text(False) == "false"
    assert as_text(["a", 1, False]) == "a,1,false" and as_text(2.5) == "2.5"
    assert identity_of("/Benefits/{id}", "id") == "benefit.id"
    assert identity_of("/x/{EmployeeID}", "EmployeeID") == "employeeid"
    assert is_id_like("MarketplaceIds") and is_id_like("user_id") and not is_id_like("status")


def test_operations_read_examples_headers_and_undeclared_path_parameters() -> None:
    doc: dict[str, Any] = {
        "components": {"examples": {"Tenant": {"value": "acme"}},
                       "parameters": {"Status": {"name": "status", "in": "query", "required": True,
                                                 "schema": {"enum": ["open", "closed"]}}}},
        "paths": {
            "/stores/{storeId}/items/{sku}": {"get": {"parameters": [
                {"name": "storeId", "in": "path", "required": True},
                {"name": "X-Tenant", "in": "header", "required": True,
                 "examples": {"one": {"$ref": "#/components/examples/Tenant"}}},
                {"name": "Accept", "in": "header", "required": True},
                {"name": "MarketplaceIds", "in": "query", "required": True, "example": ["ATVPDKIKX0DER"]},
                {"$ref": "#/components/parameters/Status"},
                {"name": "page", "in": "query"},
                {"in": "query"},
            ]}},
            "/stores": {"post": {}},
            "/ref": {"$ref": "#/x-paths/list"},
        },
        "x-paths": {"list": {"get": {"parameters": [{"name": "region", "in": "query", "required": True,
                                                      "examples": {"bad": "not an object"}}]}}},
    }
    ops = {op.key: op for op in get_operations(doc, DAY)}
    assert set(ops) == {"GET /stores/{storeId}/items/{sku}", "GET /ref"}
    items = ops["GET /stores/{storeId}/items/{sku}"]
    assert [(p.name, p.location, p.fallback) for p in items.ids] == [
        ("storeId", "path", None), ("sku", "path", None), ("MarketplaceIds", "query", "ATVPDKIKX0DER")]
    assert items.headers == (("X-Tenant", "acme"),) and items.query == (("status", "open"),)
    assert ops["GET /ref"].query == (("region", "demo"),)
    names = described_names(list(ops.values()))
    assert set(names) == {"storeid", "sku", "marketplaceids"}
    assert items.url("/b", {"storeId": "s/1", "sku": "k", "MarketplaceIds": "A,B"}) == (
        "/b/stores/s%2F1/items/k?MarketplaceIds=A,B&status=open")


Bodies = Mapping[str, Any]


def scripted(bodies: Bodies, refuse: Callable[[str], int] | None = None) -> tuple[Any, list[str]]:
    """A ``fetch`` answering from ``bodies`` (200 with JSON), else 404; ``refuse`` may force a status."""
    asked: list[str] = []

    async def fetch(requests: Any) -> list[Fetched]:
        out = []
        for path, _headers in requests:
            asked.append(path)
            forced = refuse(path) if refuse else 0
            body = bodies.get(path)
            if forced:
                out.append(Fetched(path, forced, 1.0, b""))
            elif isinstance(body, bytes):
                out.append(Fetched(path, 200, 1.0, body))
            else:
                out.append(Fetched(path, 200 if body is not None else 404, 1.0, json.dumps(body).encode()))
        return out

    return fetch, asked


def ops_of(paths: Mapping[str, Any]) -> Any:
    return get_operations({"paths": {p: {"get": op} for p, op in paths.items()}}, DAY)


def test_a_persona_guess_that_the_server_refuses_leaves_its_operation_out_and_is_not_tried_again() -> None:
    ops = ops_of({"/customers/{customerId}": {}, "/customers/{customerId}/cards": {}})
    fetch, asked = scripted({})
    plan = asyncio.run(learn(fetch, "/b", ops, 3, {"customer": ["c1", "c2"], "clinician": ["d1"]}))
    assert not plan.operations
    assert set(plan.skipped) == {"GET /customers/{customerId}", "GET /customers/{customerId}/cards"}
    assert all("no value tried for customerId was accepted" in why for why in plan.skipped.values())
    assert plan.rejected  # the refused guesses are counted by source
    tried_cards = [p for p in asked if p.endswith("/cards")]
    assert not tried_cards  # the second operation was left out without asking again


def test_personas_serve_a_detail_that_no_list_shows_and_feed_what_hangs_off_it() -> None:
    ops = ops_of({"/customers/{customerId}": {}, "/customers/{customerId}/cards/{cardId}": {},
                  "/customers/{customerId}/cards": {}})
    bodies = {"/b/customers/c1": {"id": "c1"}, "/b/customers/c1/cards": [{"cardId": "k1"}],
              "/b/customers/c1/cards/k1": {"cardId": "k1"}}
    fetch, _ = scripted(bodies)
    plan = asyncio.run(learn(fetch, "/b", ops, 3, {"customer": ["c1"]}))
    assert plan.uses_personas and not plan.skipped
    assert plan.id_sources() == {"cardid": "GET /customers/{customerId}/cards .cardId",
                                 "customerid": "personas .customer"}
    assert [[op.key for op in wave] for wave in plan.waves] == [
        ["GET /customers/{customerId}", "GET /customers/{customerId}/cards"],
        ["GET /customers/{customerId}/cards/{cardId}"]]


def test_a_named_id_the_server_refuses_is_kept_and_counted_and_query_ids_fall_back_to_the_description() -> None:
    ops = get_operations({"paths": {
        "/orders": {"get": {}},
        "/orders/{orderId}": {"get": {}},
        "/lookup": {"get": {"parameters": [{"name": "regionId", "in": "query", "required": True,
                                            "example": "r1"}]}},
    }}, DAY)
    bodies = {"/b/orders": {"data": [{"orderId": "o1"}, {"orderId": "o2"}]}, "/b/orders/o1": {"orderId": "o1"},
              "/b/lookup?regionId=r1": {"ok": True}, "/b/lookup?regionId=rX": b"not json"}
    fetch, _ = scripted(bodies, refuse=lambda p: 500 if p.endswith("/o2") else 0)
    plan = asyncio.run(learn(fetch, "/b", ops, 5))
    # the list shows o2 by the parameter's own name; its detail failing is the server's error, not a guess
    assert "GET /orders/{orderId}" in {op.key for op in plan.operations}
    assert plan.server_errors >= 1 and plan.rejected == {"GET /orders .orderId": 1}
    assert plan.sources["regionid"] is None and "GET /lookup" in {op.key for op in plan.operations}


def test_an_operation_whose_ids_no_body_shows_is_named_with_the_missing_parameter() -> None:
    ops = ops_of({"/a": {}, "/a/{aId}/b/{bId}": {}})
    fetch, _ = scripted({"/b/a": [{"aId": "x"}]})
    plan = asyncio.run(learn(fetch, "/b", ops, 2))
    assert plan.skipped == {"GET /a/{aId}/b/{bId}": "no answered body shows a value for bId"}


class Body(tornado.web.RequestHandler):
    def get(self, name: str) -> None:
        self.write({"name": name})


class Drop(tornado.web.RequestHandler):
    def get(self) -> None:
        assert self.request.connection is not None
        self.request.connection.stream.close()  # type: ignore[attr-defined]


def test_lanes_keep_bodies_in_the_order_asked_and_see_a_dropped_connection_as_status_0() -> None:
    async def scenario() -> tuple[list[Fetched], list[Fetched], list[Fetched]]:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/drop", Drop), (r"/n/(\w+)", Body)]))
        server.add_sockets(sockets)
        try:
            asked = [(f"/n/r{i}", ()) for i in range(7)] + [("/drop", ()), ("/n/after", ())]
            fetched = await fetch_all("127.0.0.1", port, asked, 2, 10.0)
            one = await fetch_all("127.0.0.1", port, [("/n/solo", ())], 4, 10.0)
        finally:
            server.stop()
        with socket.socket() as probe:  # a port nothing listens on: every request fails, none hangs
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        refused = await fetch_all("127.0.0.1", closed, [("/n/x", ()), ("/n/y", ())], 2, 5.0)
        return fetched, one, refused

    fetched, one, refused = asyncio.run(scenario())
    assert [f.path for f in fetched[:7]] == [f"/n/r{i}" for i in range(7)]
    assert all(f.ok and json.loads(f.body)["name"] == f"r{i}" and f.ms > 0 for i, f in enumerate(fetched[:7]))
    assert fetched[7].status == 0 and not fetched[7].ok and fetched[7].body == b""
    assert fetched[8].ok and json.loads(fetched[8].body) == {"name": "after"}  # a fresh connection took over
    assert len(one) == 1 and one[0].ok
    assert [f.status for f in refused] == [0, 0]
