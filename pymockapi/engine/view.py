"""What an endpoint shows: the records its template is rendered with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymockapi.engine.plan import Endpoint
from pymockapi.errors import BadRequest, NotFound
from pymockapi.industries.base import Record
from pymockapi.render.environment import TemplateSet
from pymockapi.world.memo import Token
from pymockapi.world.world import World

#: The context variable that shows where the story is; a body that reads it is memoised per waypoint.
WAYPOINT = "waypoint"


def endpoint_context(world: World, endpoint: Endpoint, params: Mapping[str, str], query: Mapping[str, str],
                     changed: list[Record], waypoint: str) -> dict[str, Any]:
    """The template context of one call: never the session id, so equal worlds render equal bytes."""
    record: Record | None = None
    items: list[Record] = []
    related: dict[str, list[Record]] = {}
    if endpoint.collection:
        owner = list_owner(world, endpoint, params)
        items = world.owned(owner, endpoint.collection) if owner else world.records(endpoint.collection)
    elif endpoint.record:
        ref = params[endpoint.params[-1]]
        record = world.get(ref)
        if record["type"] != endpoint.record:
            raise NotFound.of(endpoint.record, ref, world.ids(endpoint.record),
                              how_to_list="the story's list endpoint", code=f"{endpoint.record}_not_found")
        related = world.related(record["id"]) if _top_level(world, record) else {}
    elif changed:
        record = changed[0]
    paging = list_paging(query) if endpoint.collection else None
    return {
        "record": record,
        "persona": record,
        "items": items,
        "related": related,
        "params": dict(params),
        "paging": paging,
        "query": dict(query),
        WAYPOINT: waypoint,
        "anchor_date": world.anchor.isoformat(),
        "lookup": LookupLog(world),
    }


#: SPEC HTTP: list endpoints page with ``?page=`` (from 1) and ``?per_page=`` (default 20, at most 200).
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 200


def list_paging(query: Mapping[str, str]) -> dict[str, int]:
    """The page a list call asks for; a value that is not a positive integer, or too big a page, is a 400."""
    out = {"page": 1, "per_page": DEFAULT_PER_PAGE}
    for name, highest in (("page", None), ("per_page", MAX_PER_PAGE)):
        text = query.get(name)
        if text is None:
            continue
        if not (text.isascii() and text.isdigit()) or int(text) < 1 or len(text) > 9:
            raise BadRequest(f"{name} must be a positive integer, not {text[:40]!r}.",
                             f"Ask for ?page=1&per_page={DEFAULT_PER_PAGE} (per_page at most {MAX_PER_PAGE}).",
                             code="invalid_paging", field=name)
        if highest is not None and int(text) > highest:
            raise BadRequest(f"per_page is at most {highest}, not {text}.", f"Ask for per_page={highest} or less.",
                             code="invalid_paging", field=name)
        out[name] = int(text)
    return out


class LookupLog:
    """``lookup(id)`` for templates: ``world.find``, remembering the ids asked for (the body depends on them)."""

    def __init__(self, world: World) -> None:
        self._world = world
        self.asked: list[tuple[str, Record | None]] = []  # (id as resolved, what was found)

    def __call__(self, ref: str | None) -> Record | None:
        if not isinstance(ref, str):
            return None  # an empty reference field (``lookup(record.advisor_id)`` with no advisor)
        found = self._world.find(ref)
        self.asked.append((self._world.resolve(ref), found))
        return found


def dependencies(world: World, endpoint: Endpoint, context: Mapping[str, Any]) -> set[Token]:
    """What a body rendered from ``context`` shows: the families, whole types and ids it was made from."""
    records: list[Record] = [*context["items"], *(r for group in context["related"].values() for r in group)]
    if context["record"] is not None:
        records.append(context["record"])
    tokens: set[Token] = {("root", world.root_of(r)) for r in records}
    if endpoint.collection:  # a record added to or deleted from the list changes it, even an empty one
        owner = list_owner(world, endpoint, context["params"])
        tokens.add(("root", world.resolve(owner)) if owner else ("type", endpoint.collection))
    lookups: LookupLog = context["lookup"]
    for rid, found in lookups.asked:
        tokens.add(("id", rid))
        if found is not None:
            tokens.add(("root", world.root_of(found)))
    return tokens


def list_owner(world: World, endpoint: Endpoint, params: Mapping[str, str]) -> str | None:
    """Whose records a list endpoint shows (``{patient_id}`` in its path), or None for every record of its type."""
    rt = world.pack.record_type(endpoint.collection or "")
    return params.get(rt.owner_field) if rt is not None and rt.owner_field else None


def sample_params(world: World, endpoint: Endpoint) -> dict[str, str]:
    """Real ids for an endpoint's path parameters (the first record of each), for examples and rehearsals.

    An owner parameter (``{patient_id}`` on a list of observations) takes an
    owner's id; any other takes an id of the endpoint's own record type.
    """
    rt = world.pack.record_type(endpoint.record_type or "")
    params: dict[str, str] = {}
    for name in endpoint.params:
        kind = name[:-3] if rt is not None and name == rt.owner_field else (endpoint.record_type or "")
        params[name] = world.ids(kind)[0]
    return params


def render_endpoint(templates: TemplateSet, endpoint: Endpoint, context: Mapping[str, Any]) -> Any:
    return templates.render(endpoint.template, context)


def _top_level(world: World, record: Record) -> bool:
    rt = world.pack.record_type(record["type"])
    return rt is not None and rt.owner_field is None
