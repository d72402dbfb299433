"""Discovery for the main run of a story whose endpoints come from an API description.

The persona discovery (:mod:`pymockapi.bench.discover`) fills ``{patient_id}``
with persona ids, which is what a template story's paths take.  A
description's paths take the ids its own bodies show (a UUID, an integer,
``{customerId}`` in any case style) and may need a required header or
query parameter, so when persona discovery cannot fill a story's paths the
session is discovered the way the ``--openapi`` phase learns a description
(:func:`pymockapi.bench.apilearn.learn`), on that same session, as persona
discovery does with the lists it follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pymockapi.bench.apidoc import base_path, get_operations
from pymockapi.bench.apilearn import learn
from pymockapi.bench.apiplan import Personas
from pymockapi.bench.discover import Plan
from pymockapi.bench.lanes import fetch_all

#: URLs per GET operation (persona discovery takes up to 250 ids a parameter; a description's lists page at 20).
URLS_PER_OPERATION = 20
PREFIX = "GET "


async def learned_plan(host: str, port: int, session: str, story: str, document: Mapping[str, Any], anchor: date,
                       personas: Personas, timeout_s: float) -> Plan:
    """The session's GET URLs (with the headers they need) as learned from its bodies and ``personas``."""
    async def fetch(requests: Any) -> Any:
        return await fetch_all(host, port, requests, 1, timeout_s)

    learned = await learn(fetch, f"/demo/{session}{base_path(document, story)}", get_operations(document, anchor),
                          URLS_PER_OPERATION, personas)
    plan = Plan(session, story)
    for op, url in learned.requested:
        plan.urls.append(url)
        if op.headers:
            plan.headers[url] = op.headers
    plan.skipped = [key.removeprefix(PREFIX) for key in learned.skipped]
    return plan
