"""SPEC HTTP: every list endpoint of every shipped story pages with ``?page=`` and ``?per_page=``."""

from __future__ import annotations

from typing import Any

from pymockapi.engine.view import sample_params

from support import LiveServer


def list_urls(live: LiveServer) -> list[str]:
    urls = []
    for compiled in live.ctx.sessions.stories.values():
        world = live.on_loop(lambda compiled=compiled: live.ctx.sessions.get(compiled.id).world)
        for endpoint in compiled.endpoints:
            if endpoint.method == "GET" and endpoint.collection and endpoint.api is None:
                path = endpoint.path
                for name, value in sample_params(world, endpoint).items():
                    path = path.replace("{" + name + "}", value)
                urls.append(f"/demo/{compiled.id}{path}")
    return urls


def test_every_list_endpoint_pages_and_says_so(server: LiveServer) -> None:
    urls = list_urls(server)
    assert len(urls) >= 10
    for url in urls:
        whole: Any = server.call("GET", f"{url}?per_page=200").json()
        assert whole["page"] == 1 and whole["per_page"] == 200 and whole["total"] == len(whole["items"]), url
        default = server.call("GET", url).json()
        assert default["per_page"] == 20 and default["items"] == whole["items"][:20], url
        second = server.call("GET", f"{url}?page=2&per_page=3").json()
        assert second["items"] == whole["items"][3:6] and second["page"] == 2 and second["total"] == whole["total"]
        past = server.call("GET", f"{url}?page=999&per_page=5").json()
        assert past["items"] == [] and past["total"] == whole["total"], url


def test_paging_values_that_are_not_positive_integers_are_a_400(server: LiveServer) -> None:
    url = list_urls(server)[0]
    for query in ("page=0", "page=-1", "page=x", "per_page=0", "per_page=201", "per_page=1.5", "page=1e3",
                  "page=%EF%BC%91"):  # a full-width digit is not a positive integer either
        resp = server.call("GET", f"{url}?{query}")
        assert resp.status == 400, (query, resp.body[:200])
        error = resp.json()["error"]
        assert error["code"] == "invalid_paging" and error["hint"], query
