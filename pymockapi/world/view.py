"""What an endpoint shows: the records its template is rendered with."""

from __future__ import annotations

from typing import Any, Mapping

from pymockapi.errors import NotFound
from pymockapi.industries.base import Record
from pymockapi.render.environment import TemplateSet
from pymockapi.story.dsl import Endpoint
from pymockapi.world.world import World


def endpoint_context(world: World, endpoint: Endpoint, params: Mapping[str, str], query: Mapping[str, str],
                     changed: list[Record], waypoint: str) -> dict[str, Any]:
    """The template context of one call: never the session id, so equal worlds render equal bytes."""
    record: Record | None = None
    items: list[Record] = []
    related: dict[str, list[Record]] = {}
    if endpoint.collection:
        rt = world.pack.record_type(endpoint.collection)
        owner = params.get(rt.owner_field) if rt is not None and rt.owner_field else None
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
    return {
        "record": record,
        "persona": record,
        "items": items,
        "related": related,
        "params": dict(params),
        "query": dict(query),
        "waypoint": waypoint,
        "anchor_date": world.anchor.isoformat(),
        "lookup": world.find,
    }


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
