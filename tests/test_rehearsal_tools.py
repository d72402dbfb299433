"""Snapshots to rehearse a moment twice, faults on cue, and the journal of what the front-end called.

A real server on a loopback port, a real SQLite file, and a manual clock for
the parts that are about time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support import LiveServer, ServerFactory

BANK = "harbor-bank"
ORBIT = "orbit-saas"


def bank_session(live: LiveServer, sid: str = "rehearse") -> tuple[str, str]:
    """A harbor-bank session moved to big-purchase: (customer id, checking account id)."""
    assert live.call("POST", "/_api/sessions", {"story": BANK, "id": sid, "seed": 4}).status == 201
    live.call("POST", f"/_api/sessions/{sid}/advance")
    live.call("POST", f"/_api/sessions/{sid}/advance")
    customer = live.call("GET", f"/demo/{sid}/customers").json()["items"][0]["id"]
    accounts = live.call("GET", f"/demo/{sid}/customers/{customer}/accounts").json()["items"]
    return customer, next(a["id"] for a in accounts if a["kind"] == "checking")


def test_a_snapshot_restores_byte_identical_bodies_after_changes_and_survives_a_restart(
        live_server: ServerFactory) -> None:
    live = live_server()
    customer, account = bank_session(live)
    paths = [f"/demo/rehearse/customers/{customer}/transactions", f"/demo/rehearse/accounts/{account}",
             f"/demo/rehearse/customers/{customer}"]
    before = {p: live.call("GET", p).body for p in paths}
    live.call("POST", "/_api/sessions/rehearse/pause")
    taken = live.call("POST", "/_api/sessions/rehearse/snapshots", {"name": "before-alert"})
    assert taken.status == 201 and taken.json()["waypoint"] == "big-purchase" and taken.json()["created_at"]
    assert live.call("POST", "/_api/sessions/rehearse/snapshots", {"name": "before-alert"}).status == 409
    assert live.call("POST", "/_api/sessions/rehearse/snapshots", {"name": "no spaces"}).status == 422
    # the take: a deposit (which moves the story on), a resume and an advance
    assert live.call("POST", f"/demo/rehearse/accounts/{account}/deposits", {"amount": "75.00"}).status == 201
    live.call("POST", "/_api/sessions/rehearse/resume")
    moved = live.call("POST", "/_api/sessions/rehearse/advance").json()
    assert moved["waypoint"] == "market-move"
    assert live.call("GET", paths[0]).body != before[paths[0]]
    ws = live.ws("rehearse")
    ws.drain(0.1)
    restored = live.call("POST", "/_api/sessions/rehearse/snapshots/before-alert/restore")
    assert restored.status == 200
    assert (restored.json()["waypoint"], restored.json()["paused"]) == ("big-purchase", True)
    assert {p: live.call("GET", p).body for p in paths} == before
    told = [e["event"] for e in ws.drain(0.2)]
    assert "waypoint" in told and "state" in told
    ws.close()
    listed = live.call("GET", "/_api/sessions/rehearse/snapshots").json()["snapshots"]
    assert [s["name"] for s in listed] == ["before-alert"]
    state = live.settings.state
    live.stop()
    again = live_server(state=state)  # a snapshot is kept with its session
    assert again.call("POST", "/_api/sessions/rehearse/advance").status == 200
    assert again.call("POST", "/_api/sessions/rehearse/snapshots/before-alert/restore").status == 200
    assert {p: again.call("GET", p).body for p in paths} == before
    assert again.call("DELETE", "/_api/sessions/rehearse/snapshots/before-alert").status == 204
    missing = again.call("POST", "/_api/sessions/rehearse/snapshots/before-alert/restore")
    assert missing.status == 404 and missing.json()["error"]["hint"]


def test_a_fault_answers_once_then_stops_in_the_apis_error_shape_and_changes_nothing(server: LiveServer) -> None:
    customer, account = bank_session(server)
    endpoint = "POST /accounts/{account_id}/deposits"
    made = server.call("POST", "/_api/sessions/rehearse/faults", {"endpoint": endpoint, "status": 503})
    assert made.status == 201 and made.json()["times"] == 1 and made.json()["id"]
    before = server.call("GET", f"/demo/rehearse/customers/{customer}/transactions").body
    failed = server.call("POST", f"/demo/rehearse/accounts/{account}/deposits", {"amount": "20.00"})
    assert failed.status == 503 and failed.json()["error"]["code"] == "injected_fault"
    assert made.json()["id"] in failed.json()["error"]["hint"]
    assert server.call("GET", f"/demo/rehearse/customers/{customer}/transactions").body == before
    assert server.call("GET", "/_api/sessions/rehearse").json()["waypoint"] == "big-purchase"  # no cue taken
    assert server.call("POST", f"/demo/rehearse/accounts/{account}/deposits", {"amount": "20.00"}).status == 201
    assert server.call("GET", "/_api/sessions/rehearse/faults").json() == {"faults": []}
    for wrong, field in (({"endpoint": "POST /nowhere", "status": 500}, None),
                         ({"endpoint": endpoint}, "status"), ({"endpoint": endpoint, "status": 200}, "status"),
                         ({"endpoint": endpoint, "status": 500, "times": -1}, "times"),
                         ({"endpoint": endpoint, "status": 500, "colour": "red"}, "colour")):
        refused = server.call("POST", "/_api/sessions/rehearse/faults", wrong)
        assert refused.status in (404, 422), (wrong, refused.body)
        if field:
            assert refused.json()["error"]["field"] == field
    endless = server.call("POST", "/_api/sessions/rehearse/faults",
                          {"endpoint": "GET /customers/{customer_id}", "status": 500, "times": 0}).json()
    for _ in range(3):
        assert server.call("GET", f"/demo/rehearse/customers/{customer}").status == 500
    assert server.call("DELETE", f"/_api/sessions/rehearse/faults/{endless['id']}").status == 204
    assert server.call("GET", f"/demo/rehearse/customers/{customer}").status == 200
    assert server.call("DELETE", f"/_api/sessions/rehearse/faults/{endless['id']}").status == 404


def test_a_latency_fault_delays_by_its_amount_and_the_server_serves_others_meanwhile(server: LiveServer) -> None:
    made = server.call("POST", f"/_api/sessions/{ORBIT}/faults",
                       {"endpoint": "GET /workspaces", "latency_ms": 400, "times": 2})
    assert made.status == 201
    for _ in range(2):
        began = time.monotonic()
        slow = server.call("GET", f"/demo/{ORBIT}/workspaces")
        assert slow.status == 200 and 0.35 <= time.monotonic() - began <= 1.0
    waited = [c["duration_ms"] for c in server.call("GET", f"/_api/sessions/{ORBIT}/requests").json()["requests"]]
    assert all(350 <= ms <= 450 for ms in waited[-2:]), waited  # the server's own clock: 400 ms +- 50
    began = time.monotonic()
    assert server.call("GET", f"/demo/{ORBIT}/workspaces").status == 200
    assert time.monotonic() - began < 0.2  # spent after two calls


def test_a_waypoint_action_can_put_a_fault_on_cue(live_server: ServerFactory, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "flaky.py").write_text('''
from pymockapi.dsl import Story, hero

story = Story("flaky-bank", title="A payment that fails once", industry="finance", seed=3,
              cast={"customer": 4, "advisor": 1, "institution": 1},
              heroes={"priya": hero("customer", first_name="Priya", last_name="Shah")})
story.get("/customers/{customer_id}", "finance/customer.json.j2", persona="customer")
story.post("/accounts/{account_id}/payments", "finance/transaction.json.j2", creates="transaction", verb="spend")
story.waypoint("calm", initial=True, narration="All is well.")
story.waypoint("outage", on="advance", narration="The card network is down for one payment.",
               does=lambda world: world.fail("POST /accounts/{account_id}/payments", status=502, latency="100ms"))
''')
    live = live_server(stories=stories)
    assert live.call("GET", "/_api/sessions/flaky-bank/faults").json() == {"faults": []}
    live.call("POST", "/_api/sessions/flaky-bank/advance")
    faults = live.call("GET", "/_api/sessions/flaky-bank/faults").json()["faults"]
    assert [(f["endpoint"], f["status"], f["latency_ms"], f["source"]) for f in faults] == [
        ("POST /accounts/{account_id}/payments", 502, 100, "story")]
    account = live.call("GET", "/_api/sessions/flaky-bank/export?format=json").json()["records"]["account"][0]["id"]
    assert live.call("POST", f"/demo/flaky-bank/accounts/{account}/payments",
                     {"amount": "5.00", "merchant": "Corner Cafe"}).status == 502
    live.call("POST", "/_api/sessions/flaky-bank/advance", {"to": "calm"})
    live.call("POST", "/_api/sessions/flaky-bank/advance")  # entering the waypoint again puts it on cue again
    assert len(live.call("GET", "/_api/sessions/flaky-bank/faults").json()["faults"]) == 1


def test_the_journal_lists_every_demo_call_with_status_and_waypoint_and_marks_the_recording(
        live_server: ServerFactory) -> None:
    live = live_server()
    base = f"/demo/{ORBIT}"
    live.call("GET", f"{base}/workspaces?page=1&per_page=5")
    live.call("GET", f"{base}/workspaces")  # the memoised path too
    live.call("GET", f"{base}/nowhere")
    live.call("POST", f"/_api/sessions/{ORBIT}/recording/start")
    live.call("POST", f"/_api/sessions/{ORBIT}/advance")
    live.elapse(1200)
    live.call("GET", f"{base}/workspaces/ws-0001")
    calls = live.call("GET", f"/_api/sessions/{ORBIT}/requests").json()["requests"]
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("GET", "/workspaces?page=1&per_page=5", 200), ("GET", "/workspaces", 200), ("GET", "/nowhere", 404),
        ("GET", "/workspaces/ws-0001", 200)]
    assert [c["waypoint"] for c in calls] == ["trial", "trial", "trial", "usage-peak"]
    assert "offset_ms" not in calls[0] and calls[-1]["offset_ms"] == 1200
    assert all(c["duration_ms"] >= 0 and c["at"] for c in calls)
    assert live.call("GET", f"/_api/sessions/{ORBIT}/requests?limit=1").json()["requests"] == calls[-1:]
    assert live.call("GET", f"/_api/sessions/{ORBIT}/requests?limit=zero").status == 400
    plain = live.call("GET", f"/_api/sessions/{ORBIT}/markers?format=json").json()["markers"]
    marked = live.call("GET", f"/_api/sessions/{ORBIT}/markers?format=json&requests=true").json()["markers"]
    assert [m for m in marked if m["kind"] != "request"] == plain
    assert [(m["text"], m["offset_ms"]) for m in marked if m["kind"] == "request"] == [
        ("GET /workspaces/ws-0001 -> 200", 1200)]
    assert live.call("GET", f"/_api/sessions/{ORBIT}/markers?format=edl&requests=true").status == 200
    state = live.settings.state
    live.on_loop(live.ctx.sessions.mark_alive)  # the heartbeat writes the journal
    live.stop()
    again = live_server(state=state)
    assert again.call("GET", f"/_api/sessions/{ORBIT}/requests").json()["requests"] == calls


def test_a_live_action_that_fails_fails_its_call_and_tells_the_clients_never_a_silent_no_op(
        live_server: ServerFactory, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "shaky.py").write_text('''
from pymockapi.dsl import Story, hero

story = Story("shaky-bank", title="An action that breaks on stage", industry="finance", seed=3,
              cast={"customer": 4, "advisor": 1, "institution": 1},
              heroes={"priya": hero("customer", first_name="Priya", last_name="Shah")})
story.get("/customers/{customer_id}", "finance/customer.json.j2", persona="customer")
story.post("/accounts/{account_id}/deposits", "finance/transaction.json.j2", creates="transaction", verb="deposit")


def tripped(world):
    """Breaks only on what a live call can do and a rehearsal does not: a deposit memo'd "Trip wire."."""
    return [1][len([t for t in world.records("transaction") if t.get("memo") == "Trip wire."])]


story.waypoint("calm", initial=True, narration="All is well.")
story.waypoint("payday", on="advance", narration="Payday.", does=tripped)
''')
    live = live_server(stories=stories)
    accounts = live.call("GET", "/_api/sessions/shaky-bank/export?format=json").json()["records"]["account"]
    checking = next(a["id"] for a in accounts if a["kind"] == "checking")
    assert live.call("POST", f"/demo/shaky-bank/accounts/{checking}/deposits",
                     {"amount": "5.00", "memo": "Trip wire."}).status == 201
    ws = live.ws("shaky-bank")
    ws.drain(0.1)
    refused = live.call("POST", "/_api/sessions/shaky-bank/advance")
    assert refused.status == 500 and refused.json()["error"]["code"] == "action_failed"
    assert "payday" in refused.json()["error"]["message"] and refused.json()["error"]["hint"]
    assert live.call("GET", "/_api/sessions/shaky-bank").json()["waypoint"] == "calm"  # nothing of the move kept
    told = ws.drain(0.2)
    assert any(e.get("event") == "error" and e.get("code") == "action_failed" for e in told)
    assert not any(e.get("event") == "waypoint" for e in told)
    ws.close()


def test_latency_on_an_endpoint_and_on_a_waypoint_as_the_story_declares_it(
        live_server: ServerFactory, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "slow.py").write_text('''
from pymockapi.dsl import Story, hero

story = Story("slow-bank", title="A back-end that slows down", industry="finance", seed=3,
              cast={"customer": 4, "advisor": 1, "institution": 1},
              heroes={"priya": hero("customer", first_name="Priya", last_name="Shah")})
story.get("/customers", "finance/customers.json.j2", collection="customer", latency="200ms")
story.get("/customers/{customer_id}", "finance/customer.json.j2", persona="customer")
story.waypoint("calm", initial=True, narration="All is well.")
story.waypoint("rush-hour", on="advance", narration="Everything takes a while.", latency="300ms")
''')
    live = live_server(stories=stories)
    customer = live.call("GET", "/demo/slow-bank/customers").json()["items"][0]["id"]
    live.call("GET", f"/demo/slow-bank/customers/{customer}")
    live.call("POST", "/_api/sessions/slow-bank/advance")
    live.call("GET", f"/demo/slow-bank/customers/{customer}")
    live.call("GET", "/demo/slow-bank/customers")
    waited = [round(c["duration_ms"], -1) for c in live.call("GET", "/_api/sessions/slow-bank/requests").json()[
        "requests"]]
    expected = [200, 0, 300, 500]
    assert all(abs(w - e) <= 50 for w, e in zip(waited, expected, strict=True)), waited
    (stories / "slow.py").write_text((stories / "slow.py").read_text().replace('latency="200ms"', 'latency="soon"'))
    from pymockapi.errors import StoryError
    from pymockapi.server import load_catalog

    with pytest.raises(StoryError, match="endpoint GET /customers: 'latency' must be a positive duration"):
        load_catalog(stories)
