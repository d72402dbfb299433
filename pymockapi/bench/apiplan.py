"""A learned plan of an API description's GETs, and the ids it draws on.

:mod:`pymockapi.bench.apilearn` makes a :class:`Plan` on one session;
:mod:`pymockapi.bench.apiwalk` follows it on others.  What they share is
here: an id with the request it came from (:class:`Value`), the
assignments of a path's parameters whose values belong together, and one
request's outcome (:class:`Sample`).

An id keeps the values of the request whose body showed it (a leave's id
came from one employee's leave list), so a path with two parameters only
pairs values that belong together.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from pymockapi.bench.apidoc import GetOperation, IdParam
from pymockapi.bench.client import Headers
from pymockapi.bench.idsource import Source
from pymockapi.bench.lanes import Fetched

#: Values kept per parameter, and combinations scanned per operation, at most.
MAX_VALUES = 100
MAX_SCANNED = 20_000
#: The pseudo-operation of persona sources (``field`` is the persona type), ranked after every body.
PERSONAS = "personas"
PERSONA_RANK = 4

#: ``requests -> results``: GET each ``(path, headers)`` once (the walks' only way to the server).
Fetch = Callable[[Sequence[tuple[str, Headers]]], Awaitable[list[Fetched]]]
Context = tuple[tuple[str, str], ...]
#: A session's persona ids by persona type (from ``GET /_api/sessions/{id}/personas``).
Personas = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Value:
    """An id, and the parameter values of the request whose body showed it."""

    text: str
    context: Context = ()


Values = dict[str, list[Value]]


def persona_ids(listing: Any) -> dict[str, list[str]]:
    """Persona ids by type from a personas listing (``{"personas": [{"id", "type"}…]}``), capped per type."""
    out: dict[str, list[str]] = {}
    personas = listing.get("personas") if isinstance(listing, Mapping) else None
    for persona in personas if isinstance(personas, list) else []:
        if isinstance(persona, Mapping) and isinstance(persona.get("id"), str):
            ids = out.setdefault(str(persona.get("type")), [])
            if len(ids) < MAX_VALUES:
                ids.append(persona["id"])
    return out


@dataclass
class Plan:
    """What learning found: the measurable operations in waves, and where each parameter's ids come from."""

    waves: list[list[GetOperation]] = field(default_factory=list)
    sources: dict[str, Source | None] = field(default_factory=dict)  # None: the description's own value
    skipped: dict[str, str] = field(default_factory=dict)  # operation key -> why it is not measured
    rejected: dict[str, int] = field(default_factory=dict)  # source tried and refused -> non-2xx answers
    server_errors: int = 0  # 5xx answers while learning
    requested: list[tuple[GetOperation, str]] = field(default_factory=list)  # each operation's URLs, as learned

    @property
    def operations(self) -> list[GetOperation]:
        return [op for wave in self.waves for op in wave]

    @property
    def uses_personas(self) -> bool:
        return any(source is not None and source.op == PERSONAS for source in self.sources.values())

    def fed_by(self, op_key: str) -> dict[str, IdParam]:
        """The parameters whose ids come from ``op_key``'s bodies, by identity."""
        return {p.identity: p for op in self.operations for p in op.ids
                if (source := self.sources.get(p.identity)) is not None and source.op == op_key}

    def id_sources(self) -> dict[str, str]:
        return {identity: source.label() if source else "the description's value"
                for identity, source in sorted(self.sources.items())}


@dataclass(frozen=True)
class Sample:
    """One request of a walk: which operation, in which session, and how it went."""

    op: str
    session: int
    path: str
    headers: Headers
    status: int
    ms: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def add_values(kept: list[Value], found: Iterable[str], context: Context) -> None:
    """Append new values (each with the request it came from), up to :data:`MAX_VALUES`."""
    for text in found:
        value = Value(text, context)
        if len(kept) >= MAX_VALUES:
            return
        if value not in kept:
            kept.append(value)


def assignments(op: GetOperation, choices: Mapping[str, Sequence[Value]], limit: int) -> list[dict[str, str]]:
    """Up to ``limit`` parameter assignments (name -> value) whose values belong together, all distinct."""
    lists = [choices.get(p.identity) or [] for p in op.ids]
    if any(not values for values in lists):
        return []
    out: list[dict[str, str]] = []
    for combo in itertools.islice(itertools.product(*lists), MAX_SCANNED):
        by_identity = {p.identity: v.text for p, v in zip(op.ids, combo, strict=True)}
        if any(by_identity.get(i, t) != t for v in combo for i, t in v.context):
            continue
        chosen = {p.name: v.text for p, v in zip(op.ids, combo, strict=True)}
        if chosen not in out:
            out.append(chosen)
            if len(out) >= limit:
                break
    return out


def context_of(op: GetOperation, assignment: Mapping[str, str]) -> Context:
    """The parameter values of a request, by identity: what every id its body shows belongs to."""
    return tuple((p.identity, assignment[p.name]) for p in op.ids)


def json_body(fetched: Fetched) -> Any:
    """A 2xx answer's JSON (None for an error, an empty body, or one that is not JSON: nothing to learn from)."""
    try:
        return orjson.loads(fetched.body) if fetched.ok and fetched.body else None
    except orjson.JSONDecodeError:
        return None
