"""The configuration API through a real server on a loopback port."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from support import LiveServer, Response, ServerFactory

ORBIT = "orbit-saas"


def error_of(resp: Response, status: int, code: str | None = None) -> dict[str, str]:
    assert resp.status == status, resp.body
    assert resp.headers["content-type"].startswith("application/json")
    err = resp.json()["error"]
    assert set(err) >= {"code", "message", "hint"} and err["message"] and err["hint"]
    if code is not None:
        assert err["code"] == code
    return err


def test_health_stories_and_openapi(server: LiveServer) -> None:
    assert server.call("GET", "/_api/health").json() == {"status": "ok"}
    stories = server.call("GET", "/_api/stories").json()["stories"]
    assert {"riverside-clinic", "harbor-bank", "northwind-outfitters", ORBIT} <= {s["id"] for s in stories}
    for story in stories:
        assert set(story) == {"id", "title", "industry", "waypoints", "endpoints"}
        triggers = {w["trigger"] for w in story["waypoints"]}
        assert {"initial", "after", "advance", "when"} <= triggers
        for w in story["waypoints"]:
            assert ("after_ms" in w) == (w["trigger"] == "after")
            assert ("when" in w) == (w["trigger"] == "when")
    doc = server.call("GET", "/_api/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    for path in ("/_api/sessions/{id}/advance", "/_api/sessions/{id}/markers", "/_api/stories/{story}"):
        assert path in doc["paths"]


def test_story_detail_has_a_mermaid_diagram(server: LiveServer) -> None:
    body = server.call("GET", f"/_api/stories/{ORBIT}").json()
    assert body["diagram"].startswith("stateDiagram-v2")
    assert '  state "trial" as s0\n  state "usage-peak" as s1\n' in body["diagram"]
    assert "  [*] --> s0\n  s0 --> s1: after 30000 ms\n" in body["diagram"]
    story_doc = server.call("GET", f"/_api/stories/{ORBIT}/openapi.json").json()
    validate(story_doc)
    example = story_doc["paths"]["/workspaces/{workspace_id}"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]
    assert example["id"] == "ws-0001" and example["name"] == "Acme Rockets"


def test_session_lifecycle(server: LiveServer) -> None:
    created = server.call("POST", "/_api/sessions", {"story": ORBIT, "id": "demo-1", "seed": 3,
                                                    "anchor_date": "2026-03-12"})
    assert created.status == 201
    s = created.json()
    assert s["id"] == "demo-1" and s["waypoint"] == "trial" and s["seed"] == 3
    assert s["base_url"] == "/demo/demo-1" and s["ws_url"] == "/_api/sessions/demo-1/ws"
    assert s["next"] == {"waypoint": "usage-peak", "due_in_ms": 30000}
    assert s["recording"]["state"] == "idle" and s["recording"]["recorder"]["status"] == "none"
    ids = [x["id"] for x in server.call("GET", "/_api/sessions").json()["sessions"]]
    assert "demo-1" in ids and ORBIT in ids
    moved = server.call("POST", "/_api/sessions/demo-1/advance").json()
    assert moved["waypoint"] == "usage-peak" and moved["waypoints_done"] == ["trial"]
    assert server.call("POST", "/_api/sessions/demo-1/advance", {"to": "invoice-viewed"}).json()[
        "waypoint"] == "invoice-viewed"
    assert server.call("POST", "/_api/sessions/demo-1/back").json()["waypoint"] == "upgrade"
    paused = server.call("POST", "/_api/sessions/demo-1/pause").json()
    assert paused["paused"] is True
    assert server.call("POST", "/_api/sessions/demo-1/resume").json()["paused"] is False
    assert server.call("POST", "/_api/sessions/demo-1/reset").json()["waypoint"] == "trial"
    assert server.call("DELETE", "/_api/sessions/demo-1").status == 204
    error_of(server.call("GET", "/_api/sessions/demo-1"), 404, "session_not_found")


def test_timer_counts_down_on_the_server_clock(server: LiveServer) -> None:
    server.elapse(10_000)
    assert server.call("GET", f"/_api/sessions/{ORBIT}").json()["next"]["due_in_ms"] == 20_000
    server.elapse(20_000)
    assert server.call("GET", f"/_api/sessions/{ORBIT}").json()["waypoint"] == "usage-peak"


@pytest.mark.parametrize("method, path, body, status, code", [
    ("POST", "/_api/sessions", {"story": "no-such-story"}, 404, "story_not_found"),
    ("POST", "/_api/sessions", {"story": ORBIT, "id": ORBIT}, 409, "session_exists"),
    ("POST", "/_api/sessions", {"story": 7}, 422, "invalid_field"),
    ("POST", "/_api/sessions", {"story": ORBIT, "seed": "x"}, 422, "invalid_field"),
    ("POST", "/_api/sessions", {"story": ORBIT, "seed": True}, 422, "invalid_field"),
    ("POST", "/_api/sessions", {"story": ORBIT, "colour": "red"}, 422, "invalid_field"),
    ("POST", "/_api/sessions", {"story": ORBIT, "id": "Bad Id!"}, 422, "invalid_field"),
    ("POST", "/_api/sessions", {"story": ORBIT, "anchor_date": "yesterday"}, 422, "invalid_field"),
    ("POST", "/_api/sessions", [1, 2], 422, "invalid_field"),
    ("POST", "/_api/sessions", {}, 422, "invalid_field"),
    ("GET", "/_api/sessions/nope", None, 404, "session_not_found"),
    ("GET", "/_api/stories/nope", None, 404, "story_not_found"),
    ("POST", f"/_api/sessions/{ORBIT}/advance", {"to": "nowhere"}, 404, "waypoint_not_found"),
    ("POST", f"/_api/sessions/{ORBIT}/advance", {"to": 5}, 422, "invalid_field"),
    ("POST", f"/_api/sessions/{ORBIT}/back", None, 409, "no_previous_waypoint"),
    ("GET", f"/_api/sessions/{ORBIT}/personas/ws-0999", None, 404, "persona_not_found"),
    ("GET", f"/_api/sessions/{ORBIT}/personas?type=dragon", None, 404, "persona_type_not_found"),
    ("GET", f"/_api/sessions/{ORBIT}/export?format=pdf", None, 400, "invalid_field"),
    ("GET", f"/_api/sessions/{ORBIT}/markers?format=pdf", None, 400, None),
    ("POST", f"/_api/sessions/{ORBIT}/annotations", {"text": "too early"}, 409, None),
    ("GET", "/_api/nothing-here", None, 404, "route_not_found"),
    ("GET", "/elsewhere", None, 404, "route_not_found"),
    ("DELETE", "/_api/stories", None, 405, "method_not_allowed"),
    ("GET", f"/demo/{ORBIT}/spaceships", None, 404, "endpoint_not_found"),
    ("DELETE", f"/demo/{ORBIT}/workspaces", None, 405, "method_not_allowed"),
    ("GET", f"/demo/{ORBIT}/workspaces/ws-0999", None, 404, None),
    ("GET", f"/demo/{ORBIT}/workspaces?format=pdf", None, 406, "not_acceptable"),
])
def test_bad_input_gets_spec_errors(server: LiveServer, method: str, path: str, body: object, status: int,
                                    code: str | None) -> None:
    error_of(server.call(method, path, body), status, code)


def test_malformed_json_is_400_with_a_hint(server: LiveServer) -> None:
    err = error_of(server.call("POST", "/_api/sessions", raw=b'{"story": '), 400, "invalid_json")
    assert "JSON" in err["message"]


def test_unknown_persona_lists_the_closest_ids(server: LiveServer) -> None:
    err = error_of(server.call("GET", f"/_api/sessions/{ORBIT}/personas/ws-001"), 404, "persona_not_found")
    assert err["wanted"] == "ws-001" and "ws-0001" in err["suggestions"]
    assert "/personas" in err["hint"]


def test_unknown_session_suggests_existing(server: LiveServer) -> None:
    err = error_of(server.call("GET", "/_api/sessions/orbit-sas"), 404)
    assert ORBIT in err["suggestions"]


def test_oversized_body_is_413(tmp_path: Path, live_server: ServerFactory) -> None:
    live = live_server(state=tmp_path / "s.sqlite3", max_body=1000)
    try:
        big = json.dumps({"story": ORBIT, "id": "x" * 2000}).encode()
        error_of(live.call("POST", "/_api/sessions", raw=big), 413, "payload_too_large")
        assert live.call("GET", "/_api/health").status == 200
    finally:
        live.stop()


def test_personas_and_persona_detail_agree(server: LiveServer) -> None:
    personas = server.call("GET", f"/_api/sessions/{ORBIT}/personas").json()["personas"]
    assert len(personas) == 8 and all({"id", "type", "display_name"} <= set(p) for p in personas)
    one = server.call("GET", f"/_api/sessions/{ORBIT}/personas/ws-0001").json()
    assert one["display_name"] == "Acme Rockets"
    assert {k: v for k, v in one.items() if k != "related"} == personas[0]
    assert [r["type"] for r in one["related"]["invoice"]] == ["invoice"] * 3


def test_non_loopback_bind_requires_a_token(tmp_path: Path, live_server: ServerFactory) -> None:
    live = live_server(state=tmp_path / "s.sqlite3", host="0.0.0.0", token="s3cret")
    try:
        assert live.call("GET", "/_api/health").status == 200
        error_of(live.call("GET", "/_api/sessions"), 401, "unauthorized")
        assert live.call("GET", "/_api/sessions", headers={"Authorization": "Bearer s3cret"}).status == 200
        assert live.call("GET", f"/demo/{ORBIT}/workspaces").status == 200
    finally:
        live.stop()
