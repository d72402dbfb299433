"""Walk fresh sessions through a learned plan: what a first uncached request of each GET costs.

Wave by wave (lists before the records they show), every session's
requests interleaved over the fetch's connections, ids read from that
session's own bodies by the sources the plan learned
(:mod:`pymockapi.bench.apilearn`).  Every request of a walk is the first of
its URL in its session, so every answer is rendered, none memoised.
Bounded by the plan's waves and ``per_op`` URLs per operation and session.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pymockapi.bench.apidoc import GetOperation
from pymockapi.bench.apiplan import (
    PERSONAS,
    Fetch,
    Personas,
    Plan,
    Sample,
    Value,
    Values,
    add_values,
    assignments,
    context_of,
    json_body,
)
from pymockapi.bench.idsource import harvest


async def walk(fetch: Fetch, bases: Sequence[str], plan: Plan, per_op: int,
               personas: Sequence[Personas] | None = None) -> list[Sample]:
    """Every session through the plan's waves, each URL once per session, sessions interleaved.

    ``personas`` (one per session) are needed when the plan takes ids from them.
    """
    values: list[Values] = [{} for _ in bases]
    for k in range(len(bases)):
        for identity, source in plan.sources.items():
            if source is not None and source.op == PERSONAS:
                ids = personas[k].get(source.field, []) if personas else []
                values[k][identity] = [Value(i) for i in ids]
    visited: list[set[str]] = [set() for _ in bases]
    samples: list[Sample] = []
    for wave in plan.waves:
        rows = [_requests(wave, plan, base, values[k], visited[k], per_op) for k, base in enumerate(bases)]
        order = [(k, item) for group in itertools.zip_longest(*rows) for k, item in enumerate(group)
                 if item is not None]
        fetched = await fetch([(url, op.headers) for _, (op, _, url) in order])
        for (k, (op, assignment, url)), reply in zip(order, fetched, strict=True):
            samples.append(Sample(op.key, k, url, op.headers, reply.status, reply.ms))
            fed = plan.fed_by(op.key)
            body = json_body(reply) if fed else None
            if body is None:
                continue
            for identity, by_source in harvest(body, op.key, op.path, fed.values()).items():
                source = plan.sources.get(identity)
                for found, ids in by_source.items():
                    if source is not None and (found.op, found.field) == (source.op, source.field):
                        add_values(values[k].setdefault(identity, []), ids, context_of(op, assignment))
    return samples


def _requests(wave: Sequence[GetOperation], plan: Plan, base: str, values: Values, visited: set[str],
              per_op: int) -> list[tuple[GetOperation, dict[str, str], str]]:
    """One session's requests of a wave: up to ``per_op`` URLs per operation it has not requested before."""
    row = []
    for op in wave:
        choices: dict[str, list[Value]] = {}
        for param in op.ids:
            if plan.sources.get(param.identity) is None:
                choices[param.identity] = [Value(param.fallback)] if param.fallback is not None else []
            else:
                choices[param.identity] = values.get(param.identity, [])
        taken = 0
        for assignment in assignments(op, choices, per_op * 4):
            url = op.url(base, assignment)
            if url in visited:
                continue  # two routes that write the same URL: only the first request of it is uncached
            visited.add(url)
            row.append((op, assignment, url))
            taken += 1
            if taken >= per_op:
                break
    return row
