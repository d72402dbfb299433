"""SPEC Data: no display text is ever a programming literal, in any body of any endpoint in any format;
fields named ``e164`` hold E.164."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from pymockapi.engine.view import sample_params

from support import LiveServer

LITERALS = re.compile(r"^(None|null|nan|NaN|True|False|\[\]|\{\}|undefined)$")
INSIDE = re.compile(r"\b(None|nan|NaN|undefined)\b")


def texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return [value] if isinstance(value, str) else []


def e164_values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "e164"] + [x for v in value.values() for x in e164_values(v)]
    if isinstance(value, list):
        return [x for v in value for x in e164_values(v)]
    return []


def offenders(strings: list[str]) -> list[str]:
    return [s for s in strings if LITERALS.match(s.strip()) or INSIDE.search(s)]


PER_PARAM = 3


def _params(server: LiveServer, session: str, endpoint: Any) -> list[dict[str, str]]:
    """The first few records of each path parameter's kind (an API description's own sample for its endpoints)."""
    def choose() -> list[dict[str, str]]:
        world = server.ctx.sessions.get(session).world
        if endpoint.api is not None:
            return [endpoint.api.sample_params(world)]
        combos: list[dict[str, str]] = [{}]
        for name, first in sample_params(world, endpoint).items():
            kind = world.record_type_of(first)
            ids = world.ids(kind.name)[:PER_PARAM] if kind is not None else [first]
            combos = [dict(c, **{name: i}) for c in combos for i in ids]
        return combos

    return list(server.on_loop(choose))


def test_no_body_shows_a_programming_literal(server: LiveServer) -> None:
    """Every GET endpoint of every shipped story, at every waypoint, for several records, in every format."""
    checked = 0
    for compiled in server.ctx.sessions.stories.values():
        industry = getattr(compiled.story.industry, "name", compiled.story.industry)
        waypoints = [w["name"] for w in server.call("GET", f"/_api/stories/{compiled.id}").json()["waypoints"]]
        for i, waypoint in enumerate(waypoints):
            if i:
                assert server.call("POST", f"/_api/sessions/{compiled.id}/advance", {"to": waypoint}).status == 200
            for endpoint in compiled.endpoints:
                if endpoint.method != "GET":
                    continue
                described = endpoint.api is not None
                formats = ["json", "xml", *(["fhir"] if industry == "healthcare" and not described else [])]
                for params in _params(server, compiled.id, endpoint):
                    path = endpoint.path
                    for name, value in params.items():
                        path = path.replace("{" + name + "}", value)
                    for fmt in formats:
                        query = f"?format={fmt}" + ("" if described else "&per_page=200")
                        resp = server.call("GET", f"/demo/{compiled.id}{path}{query}")
                        if resp.status == 406:
                            continue
                        assert resp.status == 200, (compiled.id, waypoint, path, fmt, resp.body[:200])
                        if fmt == "xml":
                            found = [t for t in etree.fromstring(resp.body).itertext() if t.strip()]
                        else:
                            found = texts(resp.json())
                            phones = e164_values(resp.json())
                            assert all(p is None or re.fullmatch(r"\+[1-9]\d{7,14}", p) for p in phones), phones[:3]
                        bad = offenders(found)
                        assert not bad, (compiled.id, waypoint, path, fmt, bad[:5])
                        checked += 1
    assert checked >= 800
