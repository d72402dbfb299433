"""Stories made from an API description alone: ``serve --openapi`` and ``pymockapi import``.

``serve --openapi FILE --industry NAME`` needs no story file: the
description becomes a one-waypoint story whose id is its title as a slug.
``import`` writes that same story as an editable module, with every field
binding written out, so she can change a binding or add waypoints; served,
both give the same bytes (same id, same seed, same bindings).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pymockapi.apispec.loader import load_description
from pymockapi.apispec.model import Description
from pymockapi.story.dsl import Story

#: The one waypoint of a story made from a description alone.
LIVE = "live"


def slug(title: str) -> str:
    """A story id from a title: lower-case words joined by dashes, at most 63 characters."""
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:63].strip("-")
    return text if text and text[0].isalnum() else f"api-{text}".strip("-")[:63] or "api"


def story_from_description(path: Path, industry: str, description: Description | None = None) -> Story:
    """The one-waypoint story that serves ``path`` with the ``industry``'s personas."""
    loaded = description or load_description(path)
    title = loaded.title or path.stem
    story = Story(slug(title), title=title, industry=industry, openapi=loaded)
    story.waypoint(LIVE, initial=True, narration=_narration(title, industry))
    return story


def _narration(title: str, industry: str) -> str:
    return f"{title} answers every operation with the session's {industry} personas."


def story_module(path: Path, industry: str, out: Path, pins: dict[str, str]) -> str:
    """The text of an editable story module for ``path`` (written to ``out``), its bindings spelled out."""
    description = load_description(path)
    title = description.title or path.stem
    relative = os.path.relpath(path.resolve(), out.resolve().parent)
    lines = "".join(f"    {key!r}: {pins[key]!r},\n" for key in sorted(pins))
    bind = "{\n" + lines + "}" if pins else "{}"
    return f'''"""{title}: the API description {path.name}, served with {industry} personas.

Written by `pymockapi import`; edit freely.  Each entry of `bind` pins one
response property ("Schema.property") to a record field ("record_type.field");
delete an entry to let PyMockAPI choose, or add waypoints to tell a story.
"""

from pymockapi.dsl import Story

BIND = {bind}

story = Story(
    {slug(title)!r},
    title={title!r},
    industry={industry!r},
    openapi={relative!r},
    bind=BIND,
)

story.waypoint({LIVE!r}, initial=True, narration={_narration(title, industry)!r})
'''
