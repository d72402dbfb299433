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


def test_no_body_shows_a_programming_literal(server: LiveServer) -> None:
    checked = 0
    for compiled in server.ctx.sessions.stories.values():
        world = server.on_loop(lambda compiled=compiled: server.ctx.sessions.get(compiled.id).world)
        formats = ["json", "xml", *(["fhir"] if compiled.story.industry == "healthcare" else [])]
        for endpoint in compiled.endpoints:
            if endpoint.method != "GET" or endpoint.api is not None:
                continue
            path = endpoint.path
            for name, value in server.on_loop(lambda e=endpoint, w=world: sample_params(w, e)).items():
                path = path.replace("{" + name + "}", value)
            for fmt in formats:
                resp = server.call("GET", f"/demo/{compiled.id}{path}?format={fmt}&per_page=200")
                if resp.status == 406:
                    continue
                assert resp.status == 200, (compiled.id, path, fmt, resp.body[:200])
                if fmt == "xml":
                    found = [t for t in etree.fromstring(resp.body).itertext() if t.strip()]
                else:
                    found = texts(resp.json())
                    phones = e164_values(resp.json())
                    assert all(p is None or re.fullmatch(r"\+[1-9]\d{7,14}", p) for p in phones), phones[:3]
                bad = offenders(found)
                assert not bad, (compiled.id, path, fmt, bad[:5])
                checked += 1
    assert checked >= 40
