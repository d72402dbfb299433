"""A memoised body is never stale: after every change it equals a body rendered afresh.

Bodies are dropped by what they show (a family, a whole type, a looked-up
id), not all at once; these tests hold that promise against the real
server, every GET endpoint of every shipped story, and every kind of
change a demo makes -- waypoint actions, verbs, API creates and deletes,
rewinds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from pymockapi.engine.view import LookupLog, dependencies, endpoint_context
from pymockapi.industries import shipped_industries
from pymockapi.world.memo import RenderMemo
from pymockapi.world.world import World

from support import LiveServer, ServerFactory
from walk import concrete_paths

STORIES = ["riverside-clinic", "harbor-bank", "northwind-outfitters", "orbit-saas"]


def bodies(server: LiveServer, session: str, paths: list[str]) -> dict[str, bytes]:
    out = {}
    for path in paths:
        for fmt in ("json", "xml"):
            reply = server.call("GET", f"/demo/{session}{path}?format={fmt}")
            assert reply.status == 200, (path, reply.body[:300])
            out[f"{path}?format={fmt}"] = reply.body
    return out


def forget_everything(server: LiveServer, session: str) -> None:
    server.on_loop(lambda: server.ctx.sessions.get(session).world.memo.clear())


def assert_fresh(server: LiveServer, session: str, paths: list[str], after: str) -> None:
    served = bodies(server, session, paths)  # from the memo where it kept them
    forget_everything(server, session)
    fresh = bodies(server, session, paths)
    stale = [p for p in served if served[p] != fresh[p]]
    assert not stale, f"after {after}: stale bodies for {stale[:5]}"


@pytest.mark.parametrize("story", STORIES)
def test_every_body_stays_fresh_through_the_whole_story_and_back(server: LiveServer, story: str) -> None:
    paths = list(concrete_paths(server, story, story, per_param=3))
    bodies(server, story, paths)  # everything memoised
    summary = server.call("GET", f"/_api/stories/{story}").json()
    server.call("POST", f"/_api/sessions/{story}/pause")
    for waypoint in summary["waypoints"][1:]:
        moved = server.call("POST", f"/_api/sessions/{story}/advance", {"to": waypoint["name"]})
        assert moved.status == 200, moved.body
        assert_fresh(server, story, paths, f"entering {waypoint['name']}")
    server.call("POST", f"/_api/sessions/{story}/advance", {"to": summary["waypoints"][1]["name"]})
    assert_fresh(server, story, paths, "a rewind")


def test_api_changes_drop_exactly_what_shows_them(server: LiveServer) -> None:
    story = "riverside-clinic"
    paths = list(concrete_paths(server, story, story, per_param=3))
    bodies(server, story, paths)
    appointment = {
        "patient_id": "pat-0002",
        "provider_id": "prov-0001",
        "start": "2026-03-19T09:00:00-06:00",
        "end": "2026-03-19T09:30:00-06:00",
        "duration_minutes": 30,
        "status": "booked",
        "reason": "Follow-up on blood pressure readings",
    }
    created = server.call("POST", f"/demo/{story}/appointments", appointment)
    assert created.status == 201, created.body
    memo = server.on_loop(lambda: server.ctx.sessions.get(story).world.memo)
    kept = server.on_loop(lambda: len(memo))
    assert kept > 0  # the other patients' pages survived the change
    assert_fresh(server, story, paths, "an appointment for pat-0002")
    assert server.call("DELETE", f"/demo/{story}/appointments/{created.json()['id']}").status == 200
    assert_fresh(server, story, paths, "deleting it again")


def test_verbs_through_post_endpoints_keep_bodies_fresh(server: LiveServer) -> None:
    story = "northwind-outfitters"
    paths = list(concrete_paths(server, story, story, per_param=3))
    server.elapse(15_000)  # the timed restock
    bodies(server, story, paths)
    placed = server.call("POST", f"/demo/{story}/orders", {"shopper_id": "shp-0001", "product_id": "prod-0002"})
    assert placed.status == 201, placed.body
    assert_fresh(server, story, paths, "an order")


# ----------------------------------------------------------------------------- the pieces on their own
def healthcare() -> World:
    pack = shipped_industries(plugins=False).get("healthcare")
    return World(
        "m",
        3,
        0,
        date(2026, 3, 12),
        pack,
        {"patient": 4, "provider": 2},
        {"maria": ("patient", {"first_name": "Maria"})},
    )


def test_a_body_depends_on_its_families_its_list_and_what_it_looked_up() -> None:
    from pymockapi.story.dsl import Endpoint, Method

    world = healthcare()
    one = Endpoint(Method.GET, "/patients/{patient_id}", "healthcare/patient.json.j2", record="patient")
    context = endpoint_context(world, one, {"patient_id": "maria"}, {}, [], "start")
    lookup: Callable[[str], object] = context["lookup"]
    assert isinstance(lookup, LookupLog)
    provider = world.get("pat-0001")["primary_provider_id"]
    lookup(provider)
    lookup("prov-0999")
    assert lookup(None) is None
    assert dependencies(world, one, context) == {
        ("root", "pat-0001"),
        ("root", provider),
        ("id", provider),
        ("id", "prov-0999"),
    }
    owned = Endpoint(
        Method.GET, "/patients/{patient_id}/observations", "healthcare/observations.json.j2", collection="observation"
    )
    empty = endpoint_context(world, owned, {"patient_id": "maria"}, {}, [], "start")
    assert ("root", "pat-0001") in dependencies(world, owned, {**empty, "items": []})  # even with nothing in it
    everyone = Endpoint(Method.GET, "/patients", "healthcare/patients.json.j2", collection="patient")
    listing = endpoint_context(world, everyone, {}, {}, [], "start")
    assert ("type", "patient") in dependencies(world, everyone, listing)


def test_the_memo_forgets_by_token_and_stays_bounded() -> None:
    memo = RenderMemo(limit=3)
    memo.put("maria", 1, [("root", "pat-0001")])
    memo.put("list", 2, [("type", "patient"), ("root", "pat-0001"), ("root", "pat-0002")])
    memo.put("jordan", 3, [("root", "pat-0002")])
    memo.invalidate([("root", "pat-0002")])
    assert memo.get("maria") == 1 and memo.get("list") is None and memo.get("jordan") is None and len(memo) == 1
    memo.put("a", 4, [])
    memo.put("b", 5, [])
    memo.put("c", 6, [])  # over the limit: starts again
    assert len(memo) == 1 and memo.get("c") == 6
    memo.clear()
    assert len(memo) == 0


def test_a_template_that_shows_the_waypoint_is_rendered_again_when_the_story_moves(
    tmp_path: Path, live_server: ServerFactory
) -> None:

    (tmp_path / "healthcare").mkdir()
    (tmp_path / "healthcare" / "patient.json.j2").write_text(
        '{"id": {{ record.id | tojson }}, "at": {{ waypoint | tojson }}}'
    )
    live = live_server(state=tmp_path / "state.sqlite3", templates=tmp_path)
    try:
        page = "/demo/riverside-clinic/patients/pat-0002"
        assert live.call("GET", page).json()["at"] == "waiting-room"
        live.call("POST", "/_api/sessions/riverside-clinic/advance")
        assert live.call("GET", page).json()["at"] == "triage"
    finally:
        live.stop()
