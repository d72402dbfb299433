"""Learn where an API description's path ids come from, on a session of its own.

A front-end learns ids from what it showed before, so the learner fetches
every GET whose parameters it can fill and, for each parameter, tries the
properties that may hold its ids (:mod:`pymockapi.bench.idsource`), then
the description's own value (a required query parameter), then the
session's personas of each type (a front-end knows who logged in:
``/customers/{customer_id}`` may have no list), until one gives answers
the server accepts.  A parameter whose only sources are guesses (a persona
type, any ``…id`` of a list) and none of them is accepted leaves its
operations out, named in ``skipped``.  One whose own name some body shows
is kept even when the server refuses every value shown: a list that
disagrees with its detail is the server's error, and is counted as one.

Every loop is bounded: turns by the operation count, sources tried per
parameter and requests per try by fixed caps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pymockapi.bench.apidoc import GetOperation, IdParam
from pymockapi.bench.apiplan import (
    PERSONA_RANK,
    PERSONAS,
    Fetch,
    Personas,
    Plan,
    Value,
    add_values,
    assignments,
    context_of,
    json_body,
)
from pymockapi.bench.idsource import Source, harvest
from pymockapi.bench.lanes import Fetched

#: Sources tried per parameter, and requests per try.
MAX_TRIES = 6
PROBES = 3
#: Where values to try come from, surest first: bodies, then the description's own values, then personas.
TIERS = (0, 1, 2)
#: Sources at most this rank name the parameter (its name, or the ``id`` of its noun's list); the rest are guesses.
NAMED_RANK = 2


class Unresolvable(Exception):
    """No value of a parameter is known to name a record: its operation is left out."""


class Learner:
    """State of :func:`learn`: candidate ids by parameter and source, and the choices made."""

    def __init__(self, fetch: Fetch, base: str, operations: Sequence[GetOperation], per_op: int,
                 personas: Personas | None = None) -> None:
        self.fetch = fetch
        self.base = base
        self.operations = list(operations)
        self.per_op = per_op
        self.wanted: list[IdParam] = list({p.identity: p for op in operations for p in op.ids}.values())
        self.candidates: dict[str, dict[Source, list[Value]]] = {}
        self.seen: dict[str, int] = {}  # source label -> first-seen order
        self.plan = Plan()
        self.depth: dict[str, int] = {}
        self.unresolvable: dict[str, tuple[str, int]] = {}  # identity -> (why, sources tried)
        for kind, ids in (personas or {}).items():
            source = Source(PERSONA_RANK, PERSONAS, kind)
            self.seen[source.label()] = len(self.seen)
            for param in self.wanted:
                if param.location == "path":
                    self.candidates.setdefault(param.identity, {})[source] = [Value(i) for i in ids]

    def sources_of(self, identity: str) -> list[Source]:
        found = self.candidates.get(identity, {})
        return sorted(found, key=lambda s: (s.rank, self.seen[s.label()]))

    def choices(self, op: GetOperation, trial: Mapping[str, Source | None]) -> dict[str, list[Value]]:
        out: dict[str, list[Value]] = {}
        for param in op.ids:
            source = trial.get(param.identity, self.plan.sources.get(param.identity))
            if source is None:
                out[param.identity] = [Value(param.fallback)] if param.fallback is not None else []
            else:
                out[param.identity] = self.candidates.get(param.identity, {}).get(source, [])
        return out

    async def get(self, op: GetOperation, trial: Mapping[str, Source | None], limit: int) -> list[Fetched]:
        """Fetch up to ``limit`` URLs of ``op`` with ``trial`` sources; harvest what they show."""
        chosen = assignments(op, self.choices(op, trial), limit)
        fetched = await self.fetch([(op.url(self.base, a), op.headers) for a in chosen])
        for assignment, reply in zip(chosen, fetched, strict=True):
            self.plan.server_errors += reply.status >= 500
            body = json_body(reply)
            if body is None:
                continue
            for identity, by_source in harvest(body, op.key, op.path, self.wanted).items():
                for source, ids in by_source.items():
                    self.seen.setdefault(source.label(), len(self.seen))
                    add_values(self.candidates.setdefault(identity, {}).setdefault(source, []), ids,
                         context_of(op, assignment))
        return fetched

    async def choose(self, op: GetOperation, param: IdParam) -> Source:
        """The first source of ``param`` whose ids the server accepts for ``op`` (else the best tried).

        :raises Unresolvable: every source tried is a guess and the server accepted none of its values.
        """
        best: tuple[int, Source] | None = None
        for source in self.sources_of(param.identity)[:MAX_TRIES]:
            trial: dict[str, Source | None] = {param.identity: source}
            for other in op.ids:  # a parameter not chosen yet tries its likeliest source meanwhile
                if other.identity not in self.plan.sources and other.identity not in trial:
                    likeliest = self.sources_of(other.identity)
                    trial[other.identity] = likeliest[0] if likeliest else None
            fetched = await self.get(op, trial, PROBES)
            good = sum(f.ok for f in fetched)
            if fetched and good == len(fetched):
                return source
            if fetched:
                self.plan.rejected[source.label()] = self.plan.rejected.get(source.label(), 0) + len(fetched) - good
            if best is None or good > best[0] or (good == best[0] and best[1].rank > NAMED_RANK >= source.rank):
                best = (good, source)
        if best is None or (best[0] == 0 and best[1].rank > NAMED_RANK):
            raise Unresolvable(f"no value tried for {param.name} was accepted")
        return best[1]

    def doubt(self, op: GetOperation) -> int:
        """The worst best rank among the operation's parameters still to choose (fallbacks rank last)."""
        ranks = [min((s.rank for s in self.candidates.get(p.identity, {})), default=9) for p in op.ids
                 if p.identity not in self.plan.sources]
        return max(ranks, default=0)

    def ready(self, op: GetOperation, tier: int) -> bool:
        """Whether every parameter has a value to try: from bodies (tier 0), the description (1), personas (2)."""
        def known(param: IdParam) -> bool:
            sources = self.candidates.get(param.identity, {})
            return (param.identity in self.plan.sources or any(s.op != PERSONAS for s in sources)
                    or (tier >= 1 and param.fallback is not None) or (tier >= 2 and bool(sources)))
        return all(known(p) for p in op.ids)

    async def take(self, op: GetOperation) -> None:
        """Choose the operation's new sources, fetch its URLs and harvest them (or say why it is left out)."""
        for param in op.ids:
            why, tried = self.unresolvable.get(param.identity, ("", -1))
            if tried == len(self.candidates.get(param.identity, {})):  # nothing new to try since
                self.plan.skipped[op.key] = why
                return
            if param.identity not in self.plan.sources:
                if not self.candidates.get(param.identity):
                    self.plan.sources[param.identity] = None
                    continue
                try:
                    self.plan.sources[param.identity] = await self.choose(op, param)
                except Unresolvable as refused:
                    if param.fallback is not None:  # a query parameter still has the description's value
                        self.plan.sources[param.identity] = None
                        continue
                    self.plan.skipped[op.key] = str(refused)
                    self.unresolvable[param.identity] = (str(refused), len(self.candidates[param.identity]))
                    return
        fetched = await self.get(op, {}, self.per_op)
        self.plan.requested.extend((op, reply.path) for reply in fetched)
        feeders = [s.op for p in op.ids if (s := self.plan.sources.get(p.identity)) is not None]
        self.depth[op.key] = 1 + max((self.depth.get(f, 0) for f in feeders), default=-1)

    async def run(self) -> Plan:
        pending = list(self.operations)
        for _ in range(len(self.operations)):  # each turn takes (or leaves out) one operation
            # bodies first; where none shows an id, the description's own value; then the personas
            ready = next((r for tier in TIERS if (r := [op for op in pending if self.ready(op, tier)])), [])
            if not ready:
                break
            # an operation that needs no new choice first (its bodies may show surer sources for the
            # others), then the one whose new choices are surest
            settled = [op for op in ready if all(p.identity in self.plan.sources for p in op.ids)]
            op = settled[0] if settled else min(ready, key=self.doubt)
            await self.take(op)
            pending.remove(op)
        for op in pending:
            missing = [p.name for p in op.ids if p.identity not in self.plan.sources
                       and not any(s.op != PERSONAS for s in self.candidates.get(p.identity, {}))]
            self.plan.skipped[op.key] = f"no answered body shows a value for {', '.join(missing) or 'its ids'}"
        taken = [op for op in self.operations if op.key in self.depth]
        for level in range(max(self.depth.values(), default=-1) + 1):
            wave = [op for op in taken if self.depth[op.key] == level]
            if wave:
                self.plan.waves.append(wave)
        return self.plan


async def learn(fetch: Fetch, base: str, operations: Sequence[GetOperation], per_op: int,
                personas: Personas | None = None) -> Plan:
    """Learn on one session (``base`` = ``/demo/{session}`` + the description's base path) where ids come from."""
    return await Learner(fetch, base, operations, per_op, personas).run()
