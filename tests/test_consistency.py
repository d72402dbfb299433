"""One world per session: every view agrees, changes keep the invariants, replays are exact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pymockapi.industries import shipped_industries

from support import LiveServer, ServerProcess
from walk import concrete_paths

STORIES = ["riverside-clinic", "harbor-bank", "northwind-outfitters", "orbit-saas"]
IDENTITY = (
    "first_name",
    "last_name",
    "email",
    "birth_date",
    "age",
    "mrn",
    "member_id",
    "npi",
    "sku",
    "gtin13",
    "routing_number",
    "name",
    "zip",
    "city",
    "state",
    "line1",
)


def objects_with_id(value: Any, wanted: str) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("id") == wanted:
            yield value
        for child in value.values():
            yield from objects_with_id(child, wanted)
    elif isinstance(value, list):
        for child in value:
            yield from objects_with_id(child, wanted)


def facts(value: Any, out: dict[str, set[str]] | None = None, top: bool = True) -> dict[str, set[str]]:
    """Identity leaves of one object, not descending into other records."""
    out = {} if out is None else out
    if isinstance(value, dict):
        if not top and "id" in value:
            return out
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                facts(child, out, top=False)
            elif key in IDENTITY and child is not None:
                out.setdefault(key, set()).add(str(child))
    elif isinstance(value, list):
        for child in value:
            facts(child, out, top=False)
    return out


def assert_agrees(persona: dict[str, Any], seen: dict[str, Any], where: str) -> None:
    truth = facts(persona)
    other = facts(seen)
    for key in set(truth) & set(other):
        assert other[key] <= truth[key], f"{persona['id']}.{key} differs at {where}: {other[key]} vs {truth[key]}"


def xml_objects_with_id(doc: etree._Element, wanted: str) -> Iterator[dict[str, Any]]:
    for id_el in doc.iter("id"):
        if id_el.text == wanted and id_el.getparent() is not None:
            parent = id_el.getparent()
            yield {child.tag: child.text for child in parent.iter() if len(child) == 0 and child.tag in IDENTITY}


@pytest.mark.parametrize("story", STORIES)
def test_every_view_of_every_persona_agrees(server: LiveServer, story: str) -> None:
    personas = {p["id"]: p for p in server.call("GET", f"/_api/sessions/{story}/personas").json()["personas"]}
    export = server.call("GET", f"/_api/sessions/{story}/export?format=json").json()
    exported = {r["id"]: r for records in export["records"].values() for r in records}
    for pid, persona in personas.items():
        assert exported[pid] == persona, f"export differs for {pid}"
        detail = server.call("GET", f"/_api/sessions/{story}/personas/{pid}").json()
        assert {k: v for k, v in detail.items() if k != "related"} == persona
    fhir = story == "riverside-clinic"
    checked = 0
    for path in concrete_paths(server, story, story, per_param=3):
        body = server.call("GET", f"/demo/{story}{path}").json()
        xml = etree.fromstring(server.call("GET", f"/demo/{story}{path}?format=xml").body)
        for pid, persona in personas.items():
            for seen in objects_with_id(body, pid):
                assert_agrees(persona, seen, f"{path} (json)")
                checked += 1
            for seen in xml_objects_with_id(xml, pid):
                assert_agrees(persona, seen, f"{path} (xml)")
        if fhir:
            resources = server.call("GET", f"/demo/{story}{path}?format=fhir").json()
            entries = (
                [e["resource"] for e in resources.get("entry", [])]
                if resources["resourceType"] == "Bundle"
                else [resources]
            )
            for resource in entries:
                if resource["resourceType"] in ("Patient", "Practitioner") and resource["id"] in personas:
                    persona = personas[resource["id"]]
                    assert resource["name"][0]["family"] == persona["last_name"]
                    assert persona["first_name"] in resource["name"][0]["given"]
                    assert resource["birthDate"] == persona["birth_date"]
    assert checked >= len(personas) // 2


def test_changes_keep_invariants_and_are_reported(server: LiveServer) -> None:
    story = "northwind-outfitters"
    server.elapse(15_000)  # the timed restock
    ws = server.ws(story)
    try:
        ws.recv()
        placed = server.call("POST", f"/demo/{story}/orders", {"shopper_id": "shp-0001", "product_id": "prod-0002"})
        assert placed.status == 201, placed.body
        order = placed.json()
        assert order["shopper_id"] == "shp-0001" and order["status"]["code"] == "processing"
        changes = ws.recv_until("changes")
        assert any(r["id"] == order["id"] for r in changes["records"])
        assert server.call("GET", f"/_api/sessions/{story}").json()["waypoint"] == "checkout"
        patched = server.call(
            "PATCH",
            f"/demo/{story}/products/prod-0003",
            {"description": "A waxed cotton jacket cut for long, wet trail days."},
        )
        assert patched.status == 200, patched.body
        assert patched.json()["description"].startswith("A waxed cotton jacket")
        renamed = server.call("PATCH", f"/demo/{story}/products/prod-0003", {"name": "Trail Runner Jacket"})
        assert renamed.status == 422 and renamed.json()["error"]["violations"]
        assert any(r["id"] == "prod-0003" for r in ws.recv_until("changes")["records"])
        server.call("POST", f"/_api/sessions/{story}/advance")  # shipped: the story ships the new order
        waypoint_changes = ws.recv_until("changes")
        assert any(r["type"] == "shipment" for r in waypoint_changes["records"])
    finally:
        ws.close()
    export = server.call("GET", f"/_api/sessions/{story}/export?format=json").json()
    records = [r for group in export["records"].values() for r in group]
    assert shipped_industries().get("retail").validate(records) == []


@pytest.mark.parametrize(
    "method, path, body, status",
    [
        ("POST", "/orders", {"shopper_id": "shp-9999"}, 404),
        ("POST", "/orders", {"shopper_id": "shp-0001", "product_id": "prod-0001", "quantity": 100000}, 409),
        ("POST", "/orders", {"shopper_id": "shp-0001", "quantity": -2}, 422),
        ("POST", "/orders", {"shopper_id": "shp-0001", "colour": "red"}, 422),
        ("PATCH", "/products/prod-0001", {"price": "free"}, 422),
        ("PATCH", "/products/prod-0001", {"id": "prod-9"}, 422),
        ("PATCH", "/products/prod-9999", {"name": "x"}, 404),
        ("GET", "/shoppers/shp-9999", None, 404),
        ("GET", "/shoppers/prod-0001", None, 404),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    server: LiveServer, method: str, path: str, body: Any, status: int
) -> None:
    story = "northwind-outfitters"
    before = server.call("GET", f"/_api/sessions/{story}/export?format=json").body
    resp = server.call(method, f"/demo/{story}{path}", body)
    assert resp.status == status, resp.body
    assert resp.json()["error"]["hint"]
    assert server.call("GET", f"/_api/sessions/{story}/export?format=json").body == before


def test_unknown_persona_on_a_demo_endpoint_suggests_ids(server: LiveServer) -> None:
    err = server.call("GET", "/demo/riverside-clinic/patients/pat-001").json()["error"]
    assert "pat-0001" in err["suggestions"] and err["wanted"] == "pat-001"


def bodies(server: LiveServer, session: str, story: str) -> dict[str, bytes]:
    return {p: server.call("GET", f"/demo/{session}{p}").body for p in concrete_paths(server, session, story)}


@pytest.mark.parametrize("story", STORIES)
def test_goto_back_and_forward_give_identical_bodies(server: LiveServer, story: str) -> None:
    waypoints = [w["name"] for w in server.call("GET", f"/_api/stories/{story}").json()["waypoints"]]
    at_start = bodies(server, story, story)
    server.call("POST", f"/_api/sessions/{story}/advance", {"to": waypoints[-1]})
    at_end = bodies(server, story, story)
    server.call("POST", f"/_api/sessions/{story}/advance", {"to": waypoints[0]})
    assert bodies(server, story, story) == at_start
    server.call("POST", f"/_api/sessions/{story}/advance", {"to": waypoints[-1]})
    assert bodies(server, story, story) == at_end


def test_same_seed_same_bytes_other_seed_other_bytes(server: LiveServer) -> None:
    for sid, seed in (("a", 4), ("b", 4), ("c", 5)):
        assert (
            server.call(
                "POST", "/_api/sessions", {"story": "harbor-bank", "id": sid, "seed": seed, "anchor_date": "2026-03-12"}
            ).status
            == 201
        )
    a, b, c = (bodies(server, s, "harbor-bank") for s in "abc")
    assert a == b
    assert a != c


@pytest.mark.slow
def test_sigkill_restart_gives_identical_bodies_for_every_story(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = ServerProcess("--state", str(state))
    try:
        first.call("POST", "/demo/northwind-outfitters/orders", {"shopper_id": "jordan", "product_id": "prod-0004"})
        first.call("POST", "/_api/sessions/harbor-bank/advance")
        before = {}
        for story in STORIES:
            for path in ("/_api/sessions/" + story + "/export?format=json",):
                before[path] = first.call("GET", path).body
    finally:
        first.kill()
    second = ServerProcess("--state", str(state))
    try:
        for path, body in before.items():
            assert second.call("GET", path).body == body, path
    finally:
        second.kill()


def test_exports_in_every_format_are_deterministic(server: LiveServer) -> None:
    for fmt in ("json", "ndjson", "csv", "xml"):
        one = server.call("GET", f"/_api/sessions/riverside-clinic/export?format={fmt}")
        two = server.call("GET", f"/_api/sessions/riverside-clinic/export?format={fmt}")
        assert one.status == 200 and one.body == two.body
    ndjson = server.call("GET", "/_api/sessions/riverside-clinic/export?format=ndjson").body.decode()
    assert all(json.loads(line)["id"] for line in ndjson.splitlines())
