"""Every GET endpoint of a session's story, with concrete ids filled in.

A path parameter ``{patient_id}`` is filled from the session's personas of
type ``patient`` (``GET /_api/sessions/{id}/personas``); one that names no
persona type (``{account_id}``) is filled by following a list endpoint
whose last word is its plural (``/customers/{customer_id}/accounts``) and
taking its items' ids.  Only lists that fill a missing parameter are
fetched, each id list is capped, and the resolution ends after at most
one pass per endpoint, so discovery is bounded however big the world is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymockapi.bench.client import Headers
from pymockapi.render.words import singular

PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: At most this many ids per parameter (and concrete URLs per endpoint).
MAX_IDS = 250
ID_SUFFIX = "_id"

#: ``(method, path) -> (status, JSON)``: the discovery's only way to the server.
Fetch = Callable[[str, str], Awaitable[tuple[int, Any]]]


@dataclass
class Plan:
    """One session's concrete GET URLs (demo paths), which of them are persona details, and what was skipped.

    ``headers``: what a URL must be sent with (an API description's required headers), by URL.
    """

    session: str
    story: str
    urls: list[str] = field(default_factory=list)
    persona_urls: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    headers: dict[str, Headers] = field(default_factory=dict)


def params_of(path: str) -> list[str]:
    return PARAM.findall(path)


def last_word(path: str) -> str | None:
    """The last literal segment of a list path (``/customers/{customer_id}/accounts`` -> ``accounts``)."""
    segments = [s for s in path.split("/") if s]
    return segments[-1] if segments and not PARAM.fullmatch(segments[-1]) else None


def fills(path: str) -> str | None:
    """The parameter a list endpoint's item ids fill (``accounts`` -> ``account_id``)."""
    word = last_word(path)
    noun = singular(word) if word else None
    return f"{noun.replace('-', '_')}{ID_SUFFIX}" if noun else None


def item_ids(body: Any) -> list[str]:
    """The ``id`` of every object in the top-level lists of a JSON body (or of the body when it is a list)."""
    lists = [body] if isinstance(body, list) else [v for v in body.values() if isinstance(v, list)] \
        if isinstance(body, dict) else []
    return [item["id"] for items in lists for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str)]


def expand(path: str, values: Mapping[str, Sequence[str]], limit: int = MAX_IDS) -> list[str]:
    """Every concrete path for ``path`` (the product of its parameters' values, capped at ``limit``)."""
    names = params_of(path)
    combos = itertools.islice(itertools.product(*(values[n] for n in names)), limit)
    out = []
    for combo in combos:
        concrete = path
        for name, value in zip(names, combo, strict=False):
            concrete = concrete.replace("{" + name + "}", value, 1)
        out.append(concrete)
    return out


def persona_values(personas: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """``{"patient_id": [ids...]}`` from a personas listing, in listing order."""
    values: dict[str, list[str]] = {}
    for persona in personas:
        ids = values.setdefault(f"{persona['type']}{ID_SUFFIX}", [])
        if len(ids) < MAX_IDS:
            ids.append(persona["id"])
    return values


async def discover(fetch: Fetch, session: str, story: Mapping[str, Any]) -> Plan:
    """The plan of one session: fetch personas, then the lists that fill the remaining parameters."""
    plan = Plan(session, story["id"])
    status, listing = await fetch("GET", f"/_api/sessions/{session}/personas")
    if status != 200:
        raise RuntimeError(f"GET personas of {session} answered {status}")
    personas = listing["personas"]
    values = persona_values(personas)
    persona_params = set(values)
    paths = [e["path"] for e in story["endpoints"] if e["method"] == "GET"]
    needed = {p for path in paths for p in params_of(path)}
    base = f"/demo/{session}"
    for _ in range(len(paths) + 1):
        grew = False
        for path in paths:
            target = fills(path)
            if target is None or target in values or target not in needed:
                continue
            if not all(p in values for p in params_of(path)):
                continue
            found: list[str] = []
            for concrete in expand(path, values):
                status, body = await fetch("GET", base + concrete)
                if status == 200:
                    found.extend(i for i in item_ids(body) if i not in found)
            values[target] = found[:MAX_IDS]
            grew = True
        if not grew:
            break
    for path in paths:
        names = params_of(path)
        if not all(values.get(n) for n in names):
            plan.skipped.append(path)
            continue
        urls = [base + c for c in expand(path, values)]
        plan.urls.extend(urls)
        if names and path.endswith("{" + names[-1] + "}") and names[-1] in persona_params:
            plan.persona_urls.extend(urls)
    return plan
