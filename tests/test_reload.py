"""``serve --reload``: saved changes served within a second, sessions kept, a broken save harmless.

A real server on a loopback port watching real folders (watchfiles), real
WebSocket clients, and files edited the way an editor saves them.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pymockapi.reload import Reloader

from support import ROOT, LiveServer, ServerFactory

BANK = "harbor-bank"
WITHIN_S = 1.0


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A stories folder with harbor-bank and a templates folder overriding its customers list."""
    stories, templates = tmp_path / "stories", tmp_path / "templates"
    stories.mkdir()
    shutil.copy(ROOT / "stories" / f"{BANK}.py", stories / f"{BANK}.py")
    (templates / "finance").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "finance" / "customers.json.j2", templates / "finance" / "customers.json.j2")
    return stories, templates


@pytest.fixture
def watched(live_server: ServerFactory, folders: tuple[Path, Path]) -> Iterator[tuple[LiveServer, Reloader]]:
    stories, templates = folders
    live = live_server(stories=stories, templates=templates, manual_clock=False)
    reloader = Reloader(live.ctx, live.settings)
    stop: list[asyncio.Event] = []
    tasks: list[asyncio.Future[None]] = []  # held: the loop keeps tasks only weakly

    def start() -> None:
        stop.append(asyncio.Event())
        tasks.append(asyncio.ensure_future(reloader.run(stop[0])))

    live.on_loop(start)
    time.sleep(0.3)  # the watcher is up
    yield live, reloader
    live.on_loop(lambda: stop[0].set())


def until(check: Callable[[], Any], within_s: float = WITHIN_S) -> float:
    """Seconds until ``check()`` is truthy (fails after ``within_s``)."""
    began = time.monotonic()
    while time.monotonic() - began < within_s:
        if check():
            return time.monotonic() - began
        time.sleep(0.02)
    raise AssertionError(f"not within {within_s} s")


def save(path: Path, text: str) -> None:
    """As an editor saves: write a new file and move it over the old one."""
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text)
    partial.replace(path)


def narration(live: LiveServer, waypoint: str) -> str:
    story = live.call("GET", f"/_api/stories/{BANK}").json()
    return next(w["narration"] for w in story["waypoints"] if w["name"] == waypoint)


def test_a_narration_change_is_served_within_a_second_and_sessions_keep_their_place(
        watched: tuple[LiveServer, Reloader], folders: tuple[Path, Path]) -> None:
    live, reloader = watched
    stories, _ = folders
    live.call("POST", "/_api/sessions", {"story": BANK, "id": "call-9", "seed": 5, "anchor_date": "2026-03-12"})
    live.call("POST", "/_api/sessions/call-9/advance")
    live.call("POST", "/_api/sessions/call-9/advance")
    customer = live.call("GET", "/demo/call-9/customers").json()["items"][0]["id"]
    account = live.call("GET", f"/demo/call-9/customers/{customer}/accounts").json()["items"][0]["id"]
    deposit = live.call("POST", f"/demo/call-9/accounts/{account}/deposits", {"amount": "61.00"}).json()
    before = live.call("GET", "/_api/sessions/call-9").json()
    ws = live.ws("call-9")
    ws.drain(0.1)
    path = stories / f"{BANK}.py"
    save(path, path.read_text().replace("checks her balances", "checks her balances before work"))
    took = until(lambda: "before work" in narration(live, "morning"))
    after = live.call("GET", "/_api/sessions/call-9").json()
    assert {k: after[k] for k in ("id", "seed", "anchor_date", "waypoint", "waypoints_done")} == {
        k: before[k] for k in ("id", "seed", "anchor_date", "waypoint", "waypoints_done")}
    transactions = live.call("GET", f"/demo/call-9/customers/{customer}/transactions?per_page=200").body.decode()
    assert deposit["id"] in transactions  # the API change is kept
    assert any(e.get("event") == "state" for e in ws.drain(0.3))
    ws.close()
    assert took < WITHIN_S and reloader.reloads == 1


def test_a_template_change_is_served_within_a_second(watched: tuple[LiveServer, Reloader],
                                                       folders: tuple[Path, Path]) -> None:
    live, _ = watched
    _, templates = folders
    assert "total" in live.call("GET", f"/demo/{BANK}/customers").json()
    template = templates / "finance" / "customers.json.j2"
    save(template, '{"customers_shown": {{ items|length }}}\n')
    until(lambda: "customers_shown" in live.call("GET", f"/demo/{BANK}/customers").json())


def test_a_broken_save_keeps_the_old_version_serving_and_tells_the_story_clients(
        watched: tuple[LiveServer, Reloader], folders: tuple[Path, Path], capfd: pytest.CaptureFixture[str]) -> None:
    live, reloader = watched
    stories, _ = folders
    ws = live.ws(BANK)
    ws.drain(0.1)
    path = stories / f"{BANK}.py"
    good = path.read_text()
    save(path, good + "\nstory.waypoint('broken', on='advance', narration=\n")
    events: list[dict[str, Any]] = []
    until(lambda: events.extend(ws.drain(0.05)) or any(e.get("code") == "reload_failed" for e in events), 3.0)
    assert live.call("GET", f"/demo/{BANK}/customers").status == 200  # the old version still serves
    assert reloader.reloads == 0
    assert "error:" in capfd.readouterr().err
    save(path, good.replace("checks her balances", "checks her balances again"))
    until(lambda: "again" in narration(live, "morning"), 3.0)
    ws.close()


def test_a_removed_waypoint_sends_its_sessions_to_the_start_with_their_api_changes(
        watched: tuple[LiveServer, Reloader], folders: tuple[Path, Path]) -> None:
    live, _ = watched
    stories, _ = folders
    for _ in range(4):
        live.call("POST", f"/_api/sessions/{BANK}/advance")
    assert live.call("GET", f"/_api/sessions/{BANK}").json()["waypoint"] == "market-move"
    path = stories / f"{BANK}.py"
    text = path.read_text()
    cut = text[text.index('story.waypoint(\n    "market-move"'):]
    save(path, text.replace(cut, ""))
    until(lambda: live.call("GET", f"/_api/sessions/{BANK}").json()["waypoint"] == "morning", 3.0)
