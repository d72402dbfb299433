"""SPEC Data, "Beautiful": screens that look finished.

Every GET endpoint of every shipped story is walked like a front-end would
walk it -- three seeds, every waypoint in order, several records per path
parameter, lists at their largest page -- and the bodies are checked for
what a viewer notices at once: British keys in a US API, UCUM codes where
people read units, a word said twice in a name, and a "latest vitals" card
that mixes readings from different visits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pymockapi.engine.view import sample_params
from pymockapi.industries.common import organisation_name
from pymockapi.industries.finance.data import BANK_STEMS, BANK_SUFFIXES
from pymockapi.industries.healthcare.data import ORG_SUFFIXES, SPECIALTIES
from pymockapi.industries.seeding import GenContext
from pymockapi.server import Settings

from support import CatalogFactory, LiveServer

SEEDS = (None, 2, 3)
"""``None`` is the story's own session (its own seed); the others are fresh sessions with that seed."""
PER_PARAM = 3
BRITISH = re.compile(r"colour|organis|realis|favourite|catalogue|centre|licence|behaviour|programme|cheque"
                     r"|analyse|honour|labour|travell|cancell|enrol(?!l)|judgement|modelling|fulfil(?!l)"
                     r"|(?<![a-z])(?:author|categor|custom|minim|optim|recogn|summar|util)is", re.I)
#: UCUM codes people do not read as written: their display must differ from the code.
UNREADABLE_UCUM = frozenset({"Cel", "mm[Hg]", "/min", "kg/m2", "10*3/uL", "m[IU]/L", "ug", "[degF]"})
UCUM = "http://unitsofmeasure.org"
NAME_KEY = re.compile(r"(?:^|_)(?:name|organi[sz]ation|institution|facility|brand|employer|vendor|carrier)$"
                      r"|[a-z]Name$")
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)


@dataclass(frozen=True)
class Screen:
    story: str
    seed: int | None
    waypoint: str
    path: str
    fmt: str
    body: Any
    described: bool
    """Served from an API description (the customer's own shape, keys and all)."""


def _params(live: LiveServer, session: str, endpoint: Any) -> list[dict[str, str]]:
    """Path parameters to call ``endpoint`` with: the first ``PER_PARAM`` records of each parameter's kind."""
    def choose() -> list[dict[str, str]]:
        world = live.ctx.sessions.get(session).world
        if endpoint.api is not None:
            return [endpoint.api.sample_params(world)]
        combos: list[dict[str, str]] = [{}]
        for name, first in sample_params(world, endpoint).items():
            kind = world.record_type_of(first)
            ids = world.ids(kind.name)[:PER_PARAM] if kind is not None else [first]
            combos = [dict(c, **{name: i}) for c in combos for i in ids]
        return combos

    return list(live.on_loop(choose))


def _walk(live: LiveServer) -> Iterator[Screen]:
    for compiled in live.ctx.sessions.stories.values():
        industry = getattr(compiled.story.industry, "name", compiled.story.industry)
        waypoints = [w["name"] for w in live.call("GET", f"/_api/stories/{compiled.id}").json()["waypoints"]]
        for seed in SEEDS:
            session = compiled.id if seed is None else f"{compiled.id}-seed-{seed}"
            if seed is not None:
                made = live.call("POST", "/_api/sessions", {"story": compiled.id, "id": session, "seed": seed})
                assert made.status == 201, made.body[:200]
            for i, waypoint in enumerate(waypoints):
                if i:
                    moved = live.call("POST", f"/_api/sessions/{session}/advance", {"to": waypoint})
                    assert moved.status == 200, moved.body[:200]
                for endpoint in compiled.endpoints:
                    if endpoint.method != "GET":
                        continue
                    described = endpoint.api is not None
                    formats = ["json"] + (["fhir"] if industry == "healthcare" and not described else [])
                    for params in _params(live, session, endpoint):
                        path = endpoint.path
                        for name, value in params.items():
                            path = path.replace("{" + name + "}", value)
                        for fmt in formats:
                            query = f"?format={fmt}" + ("" if described else "&per_page=200")
                            resp = live.call("GET", f"/demo/{session}{path}{query}")
                            if resp.status == 406:
                                continue
                            assert resp.status == 200, (session, waypoint, path, fmt, resp.body[:200])
                            yield Screen(compiled.id, seed, waypoint, path, fmt, resp.json(), described)


@pytest.fixture(scope="module")
def screens(catalogs: CatalogFactory, tmp_path_factory: pytest.TempPathFactory) -> list[Screen]:
    """Every screen of the walk, fetched once for the module (a few thousand bodies)."""
    settings = Settings(state=Path(tmp_path_factory.mktemp("screens")) / "state.sqlite3")
    live = LiveServer(settings, catalog=catalogs(settings.stories, settings.templates, settings.openapi,
                                                  settings.industry))
    try:
        return list(_walk(live))
    finally:
        live.stop()


def items(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) of a JSON body, depth first."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from items(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from items(inner, f"{path}[]")


def test_the_walk_covers_every_story_seed_and_format(screens: list[Screen]) -> None:
    stories = {s.story for s in screens}
    assert {"harbor-bank", "riverside-clinic", "northwind-outfitters", "cedar-health"} <= stories
    assert {s.seed for s in screens} == set(SEEDS)
    assert {s.fmt for s in screens} == {"json", "fhir"}
    assert len(screens) >= 1000


def test_keys_are_us_english(screens: list[Screen]) -> None:
    british = {(s.story, f"{where}.{key}") for s in screens for where, key, _ in items(s.body) if BRITISH.search(key)}
    assert not british, sorted(british)[:10]


def test_units_show_as_people_read_them_beside_their_ucum_code(screens: list[Screen]) -> None:
    checked = 0
    for s in screens:
        if s.described:
            continue  # an API description's own fields are its owner's contract, not ours to add to
        for where, _, value in items(s.body):
            if not isinstance(value, dict) or not isinstance(value.get("unit"), str):
                continue
            if s.fmt == "fhir":
                if value.get("system") != UCUM:
                    continue
                code, shown, display = value["code"], value["unit"], None
            else:
                assert "unit_display" in value and "display" in value, (s.story, s.path, where, value)
                code, shown, display = value["unit"], value["unit_display"], value["display"]
                assert display.endswith(shown), (s.path, where, value)
            assert shown, (s.path, where, value)
            if code in UNREADABLE_UCUM:
                readable = shown != code and (display is None or code not in display.split())
                assert readable, (s.story, s.path, s.fmt, where, value)
            checked += 1
    assert checked >= 1000


def test_no_name_says_a_word_twice(screens: list[Screen]) -> None:
    names = 0
    doubled = set()
    for s in screens:
        for where, key, value in items(s.body):
            if isinstance(value, str) and NAME_KEY.search(key):
                names += 1
                if DOUBLED.search(value):
                    doubled.add((s.story, s.seed, f"{where}.{key}", value))
    assert not doubled, sorted(doubled, key=str)[:10]
    assert names >= 1000


def test_latest_vitals_are_one_current_set(screens: list[Screen]) -> None:
    cards = [s for s in screens if s.fmt == "json" and isinstance(s.body, dict) and "latest_vitals" in s.body]
    assert len(cards) >= 30
    for card in cards:
        vitals = card.body["latest_vitals"]
        encounters = {o["encounter_id"] for o in vitals}
        days = {o["effective"]["iso"][:10] for o in vitals}
        assert len(encounters) <= 1 and len(days) <= 1, (card.story, card.seed, card.waypoint, card.path,
                                                          sorted(encounters), sorted(days))
        assert all(o["category"] == "vital-signs" for o in vitals)
        assert len({o["code"]["code"] for o in vitals}) == len(vitals), "one reading of each vital sign"


@pytest.mark.parametrize(("stems", "suffixes"), [*((s.org_stems, ORG_SUFFIXES) for s in SPECIALTIES),
                                                 (BANK_STEMS, BANK_SUFFIXES)])
def test_organization_names_never_repeat_a_word(stems: tuple[str, ...], suffixes: tuple[str, ...]) -> None:
    """Where names are composed, over far more draws than a story shows ("Behavioral Health Health Center")."""
    gen = GenContext("screens", 1, 0, date(2026, 3, 12), {})
    for index in range(300):
        name = organisation_name(gen, stems, suffixes, "org", index)
        words = [w.lower() for w in name.split() if w not in ("&", "of")]
        assert len(words) == len(set(words)), words
