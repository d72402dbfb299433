"""Walk a story's demo API like a front-end: every GET endpoint with real ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from support import LiveServer

PARAM = re.compile(r"\{([a-z_]+)\}")


def story_summary(server: LiveServer, story: str) -> dict[str, Any]:
    return server.call("GET", f"/_api/stories/{story}").json()


def ids_for(server: LiveServer, session: str, param: str) -> list[str]:
    """Ids a path parameter can take, from the session's export (every record type)."""
    kind = param[:-3]
    data = server.call("GET", f"/_api/sessions/{session}/export?format=json").json()
    return [r["id"] for r in data["records"].get(kind, [])]


def concrete_paths(server: LiveServer, session: str, story: str, per_param: int = 2) -> Iterator[str]:
    for endpoint in story_summary(server, story)["endpoints"]:
        if endpoint["method"] != "GET":
            continue
        params = PARAM.findall(endpoint["path"])
        if not params:
            yield endpoint["path"]
            continue
        choices = ids_for(server, session, params[0])[:per_param]
        for value in choices:
            yield PARAM.sub(value, endpoint["path"], count=1)
