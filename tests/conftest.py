from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from pymockapi.server import Settings
from support import LiveServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """The shipped stories on a manual clock, state in a real SQLite file."""
    live = LiveServer(Settings(state=tmp_path / "state.sqlite3"))
    yield live
    live.stop()
