"""A cold API body is built a slice at a time: the loop serves others meanwhile, and what a change in the
pauses made stale is never kept."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from pymockapi import slices
from pymockapi.slices import run_in_slices
from tests.support import LiveServer

PETS = Path(__file__).parent / "apispecs" / "pets30.yaml"


@pytest.fixture
def pets(live_server: Any) -> tuple[LiveServer, str]:
    live = live_server(openapi=PETS, industry="retail")
    return live, _session(live)


NEW_PET = json.dumps({"name": "Biscuit the Beagle", "status": "available"}).encode()


def _render_with_a_write_in_between(live: LiveServer, sid: str, write: bool) -> Any:
    ctx = live.ctx

    async def scenario() -> Any:
        call = ctx.calls.resolve("GET", sid, "v2/pets", None, {"limit": [b"40"]})
        assert ctx.calls.cold_api_read(call)
        render = asyncio.ensure_future(run_in_slices(lambda: ctx.calls.render_ahead(call, {}, None)))
        await asyncio.sleep(0)  # with no slice budget the render has paused at its first checkpoint
        assert not render.done()
        if write:
            posted = ctx.calls.respond(ctx.calls.resolve("POST", sid, "v2/pets", None, {}), NEW_PET,
                                       "application/json")
            assert posted.status == 201, posted.body
        await render
        return ctx.calls.memoised(call)

    return asyncio.run_coroutine_threadsafe(scenario(), live.loop).result(timeout=60)


def _session(live: LiveServer, seed: int = 4) -> str:
    story = next(s["id"] for s in json.loads(live.call("GET", "/_api/stories").body)["stories"]
                 if s["id"] == "pet-shelter")
    created = live.call("POST", "/_api/sessions", {"story": story, "seed": seed})
    assert created.status == 201, created.body
    return str(json.loads(created.body)["id"])


def test_a_body_rendered_in_slices_is_kept_and_served(pets: tuple[LiveServer, str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    live, sid = pets
    monkeypatch.setattr(slices, "SLICE_MS", 0.0)  # pause at every checkpoint
    kept = _render_with_a_write_in_between(live, sid, False)
    assert kept is not None
    served = live.call("GET", f"/demo/{sid}/v2/pets?limit=40")
    assert served.status == 200 and served.body == kept.body


def test_a_change_during_the_pauses_drops_the_body_and_the_answer_shows_the_change(
        pets: tuple[LiveServer, str], monkeypatch: pytest.MonkeyPatch) -> None:
    live, sid = pets
    monkeypatch.setattr(slices, "SLICE_MS", 0.0)
    kept = _render_with_a_write_in_between(live, sid, True)
    assert kept is None  # rendered from a world that changed under it: not kept
    plain = _session(live)  # the same story and seed, the same write, nothing sliced
    assert live.call("POST", f"/demo/{plain}/v2/pets", raw=NEW_PET,
                     headers={"Content-Type": "application/json"}).status == 201
    expected = live.call("GET", f"/demo/{plain}/v2/pets?limit=40")
    served = live.call("GET", f"/demo/{sid}/v2/pets?limit=40")
    assert served.status == 200 and served.body == expected.body


def test_cold_api_gets_in_flight_are_all_answered_like_one_at_a_time(pets: tuple[LiveServer, str]) -> None:
    live, sid = pets
    paths = [f"/demo/{sid}/v2/pets?limit={n}" for n in (10, 20, 30, 40)]

    async def together() -> list[tuple[int, bytes]]:
        from pymockapi.bench.client import Connection
        conns = [await Connection.open("127.0.0.1", live.port) for _ in paths]
        try:
            replies = await asyncio.gather(*(c.request("GET", p, timeout=30) for c, p in zip(conns, paths,
                                                                                              strict=True)))
        finally:
            for c in conns:
                c.close()
        return [(r.status, r.body) for r in replies]

    answered = asyncio.run(together())
    again = _session(live)  # the same story and seed: the same bodies, rendered one at a time
    for (status, body), path in zip(answered, paths, strict=True):
        alone = live.call("GET", path.replace(sid, again))
        assert status == 200 and body == alone.body
