"""The story engine on a virtual clock: timers, pause, goto/back, races, isolation, durability."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pymockapi.engine.clock import ManualClock
from pymockapi.engine.events import EventHub
from pymockapi.engine.plan import CompiledStory
from pymockapi.engine.sessions import SessionManager
from pymockapi.errors import Conflict, InvalidField, NotFound
from pymockapi.industries.base import IndustryRegistry
from pymockapi.paths import shipped_stories, shipped_templates
from pymockapi.render.environment import TemplateSet
from pymockapi.store.sqlite import StateStore
from pymockapi.story.loader import load_story
from pymockapi.world.changes import Change, ChangeKind

ORBIT = shipped_stories() / "orbit-saas.py"


@pytest.fixture
def orbit() -> CompiledStory:
    return load_story(ORBIT, IndustryRegistry(), TemplateSet([shipped_templates()]).exists)


class Rig:
    """A session manager on a manual clock with a real SQLite file, recording every event."""

    def __init__(self, story: CompiledStory, state: Path) -> None:
        self.clock = ManualClock()
        self.hub = EventHub()
        self.events: list[dict[str, Any]] = []
        self.manager = SessionManager([story], StateStore(state), self.clock, self.hub)
        self.manager.start()
        self.session = self.manager.get(story.id)
        self.hub.subscribe(story.id, self.events.append)

    def kinds(self) -> list[str]:
        return [e["event"] for e in self.events]


@pytest.fixture
def rig(orbit: CompiledStory, tmp_path: Path) -> Iterator[Rig]:
    r = Rig(orbit, tmp_path / "state.sqlite3")
    yield r
    r.manager.close()


def test_timed_waypoint_fires_exactly_on_time(rig: Rig) -> None:
    s = rig.session
    assert s.state == "trial"
    assert s.as_dict()["next"] == {"waypoint": "usage-peak", "due_in_ms": 30_000}
    rig.clock.elapse(29_999)
    assert s.state == "trial"
    assert s.as_dict()["next"]["due_in_ms"] == 1
    rig.clock.elapse(1)
    assert s.state == "usage-peak"
    assert next(e for e in rig.events if e["event"] == "waypoint")["from"] == "trial"
    assert s.as_dict()["next"] == {"waypoint": "upgrade", "due_in_ms": None}


def test_pause_freezes_remaining_time_and_resume_rearms_it(rig: Rig) -> None:
    s = rig.session
    rig.clock.elapse(10_000)
    s.pause()
    rig.clock.elapse(60_000)
    assert s.state == "trial" and s.paused
    assert s.as_dict()["next"]["due_in_ms"] == 20_000
    s.resume()
    rig.clock.elapse(19_999)
    assert s.state == "trial"
    rig.clock.elapse(1)
    assert s.state == "usage-peak"


def test_advance_while_paused_moves_and_stays_paused(rig: Rig) -> None:
    s = rig.session
    s.pause()
    s.advance()
    assert s.state == "usage-peak" and s.paused


def test_manual_advance_cancels_the_pending_timer(rig: Rig) -> None:
    s = rig.session
    s.advance()
    assert s.state == "usage-peak"
    rig.clock.elapse(120_000)
    assert s.state == "usage-peak"
    assert rig.clock.pending == 0


def moves(rig: Rig) -> list[tuple[str, str]]:
    return [(e["from"], e["to"]) for e in rig.events if e["event"] == "waypoint"]


def test_due_timer_then_advance_in_the_same_tick_give_one_transition(rig: Rig) -> None:
    s = rig.session
    rig.clock.call_later(30_000, s.advance)  # queued after the session's own timer
    rig.clock.elapse(30_000)
    assert moves(rig) == [("trial", "usage-peak")]
    assert s.state == "usage-peak"
    rig.clock.elapse(1_000)
    s.advance()  # a later, separate cue moves on
    assert s.state == "upgrade"


def test_advance_then_due_timer_in_the_same_tick_give_one_transition(rig: Rig) -> None:
    s = rig.session
    rig.clock.elapse(29_999)
    stale = s._timer  # the timer already handed to the loop
    s.advance()
    stale.callback()  # the loop runs the stale callback anyway
    rig.clock.elapse(1)
    assert moves(rig) == [("trial", "usage-peak")]


def test_goto_back_restores_the_world_exactly_and_forward_replays_actions(rig: Rig) -> None:
    s = rig.session
    before = s.world.get("acme")
    s.goto("upgrade")
    assert s.state == "upgrade"
    assert s.world.get("acme")["plan"] == "Enterprise"
    s.back()
    assert s.state == "usage-peak"
    assert s.world.get("acme") == before
    s.goto("trial")
    assert s.world.snapshot() == rig.manager.create("orbit-saas", "fresh").world.snapshot()
    s.goto("invoice-viewed")
    assert s.world.get("acme")["plan"] == "Enterprise"
    assert s.as_dict()["waypoints_done"] == ["trial", "usage-peak", "upgrade"]


def test_back_at_the_start_and_advance_at_the_end_are_conflicts(rig: Rig) -> None:
    s = rig.session
    with pytest.raises(Conflict, match="first waypoint"):
        s.back()
    s.goto("invoice-viewed")
    with pytest.raises(Conflict, match="last waypoint"):
        s.advance()


def test_goto_unknown_waypoint_suggests_the_closest(rig: Rig) -> None:
    with pytest.raises(NotFound, match="No waypoint named 'upgrad'") as info:
        rig.session.goto("upgrad")
    assert "upgrade" in info.value.hint


def test_endpoint_trigger_fires_only_from_its_source(rig: Rig) -> None:
    s = rig.session
    s.endpoint_called("GET /workspaces/{workspace_id}/invoices")
    assert s.state == "trial"
    s.goto("upgrade")
    s.endpoint_called("GET /workspaces/{workspace_id}/invoices")
    assert s.state == "invoice-viewed"


def test_changes_are_validated_journaled_and_broadcast(rig: Rig) -> None:
    s = rig.session
    with pytest.raises(InvalidField, match="unknown plan"):
        s.apply(Change(ChangeKind.UPDATE, "workspace", ref="ws-0002", fields={"plan": "Galactic"}))
    assert s.world.get("ws-0002")["plan"] != "Galactic"
    records = s.apply(Change(ChangeKind.UPDATE, "workspace", ref="ws-0002", fields={"seats": 77}))
    assert records[0]["seats"] == 77
    assert rig.events[-1] == {"event": "changes", "records": records}
    s.reset()
    assert s.world.get("ws-0002")["seats"] != 77
    assert any(e["event"] == "changes" and any(r["id"] == "ws-0002" for r in e["records"]) for e in rig.events)


def test_sessions_are_isolated(rig: Rig) -> None:
    other = rig.manager.create("orbit-saas", "other")
    other.apply(Change(ChangeKind.UPDATE, "workspace", ref="ws-0003", fields={"seats": 3}))
    other.advance()
    assert rig.session.world.get("ws-0003")["seats"] != 3
    assert rig.session.state == "trial"
    with pytest.raises(Conflict, match="already exists"):
        rig.manager.create("orbit-saas", "other")


def test_restart_restores_waypoint_paused_with_remaining_time_and_identical_world(
        orbit: CompiledStory, tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = Rig(orbit, state)
    s = first.session
    s.apply(Change(ChangeKind.UPDATE, "workspace", ref="ws-0004", fields={"seats": 9}))
    s.goto("usage-peak")
    s.goto("trial")
    first.clock.elapse(12_000)
    s.pause()
    snapshot = s.world.snapshot()
    # no clean shutdown: a new manager on the same file, as after kill -9 (which frees the file's lock)
    first.manager.store.close()
    second = Rig(orbit, state)
    t = second.session
    assert t.state == "trial" and t.paused
    assert t.as_dict()["next"] == {"waypoint": "usage-peak", "due_in_ms": 18_000}
    assert t.world.snapshot() == snapshot
    t.resume()
    second.clock.elapse(18_000)
    assert t.state == "usage-peak"


def test_delete_detaches_the_session(rig: Rig) -> None:
    rig.manager.create("orbit-saas", "gone")
    models = len(rig.session.compiled.machine.models)
    rig.manager.delete("gone")
    assert len(rig.session.compiled.machine.models) == models - 1
    with pytest.raises(NotFound, match="No session named 'gone'"):
        rig.manager.get("gone")
