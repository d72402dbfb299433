"""The shipped stories play from start to end, for any seed, without a single error on screen."""

from __future__ import annotations

from typing import Any

import pytest

from pymockapi.industries import shipped_industries
from pymockapi.paths import shipped_stories
from pymockapi.story.loader import load_stories, story_files
from pymockapi.story.rehearsal import offline_session

STORIES = {c.id: c for c in load_stories(story_files(shipped_stories()), shipped_industries())}


@pytest.mark.parametrize("story", sorted(STORIES))
@pytest.mark.parametrize("seed", [0, 1, 7, 42])
def test_story_plays_through_every_waypoint(story: str, seed: int) -> None:
    compiled = STORIES[story]
    session = offline_session(compiled, seed, "2025-06-02")
    events: list[dict[str, Any]] = []
    session.publish = events.append
    try:
        for _ in compiled.order[1:]:
            session.advance()
        assert session.state == compiled.order[-1]
        assert [e for e in events if e["event"] == "error"] == []
        assert any(e["event"] == "changes" for e in events)  # the story moves the data
        records = [r for group in session.world.snapshot().values() for r in group]
        assert compiled.pack.validate(records) == []
    finally:
        session.close()
