from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pymockapi.server import Catalog, Settings, load_catalog

from support import CatalogFactory, LiveServer, ServerFactory


@pytest.fixture(scope="session")
def catalogs() -> CatalogFactory:
    """Compiled, rehearsed stories, loaded once per test session for each (stories, templates) pair."""
    loaded: dict[tuple[Path | None, Path | None, Path | None, str | None], Catalog] = {}

    def catalog(stories: Path | None = None, templates: Path | None = None, openapi: Path | None = None,
                industry: str | None = None) -> Catalog:
        key = (stories, templates, openapi, industry)
        if key not in loaded:
            loaded[key] = load_catalog(stories, templates, openapi, industry)
        return loaded[key]

    return catalog


@pytest.fixture
def live_server(tmp_path: Path, catalogs: CatalogFactory) -> Iterator[ServerFactory]:
    """Start servers with the given settings (state in a real SQLite file under tmp_path); all stop at the end."""
    started: list[LiveServer] = []

    def start(manual_clock: bool = True, **settings: Any) -> LiveServer:
        settings.setdefault("state", tmp_path / ("state.sqlite3" if not started else f"state-{len(started)}.sqlite3"))
        chosen = Settings(**settings)
        live = LiveServer(chosen, manual_clock=manual_clock,
                          catalog=catalogs(chosen.stories, chosen.templates, chosen.openapi, chosen.industry))
        started.append(live)
        return live

    yield start
    for live in started:
        if live.thread.is_alive():
            live.stop()


@pytest.fixture
def server(live_server: ServerFactory) -> LiveServer:
    """The shipped stories on a manual clock, state in a real SQLite file."""
    return live_server()
