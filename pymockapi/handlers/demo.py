"""Demo endpoints: ``/demo/{session}{story endpoint path}``.

handler -> session -> world -> render -> response, top to bottom: the
handler finds the endpoint, asks the session's world for the records (or
for a change), renders the endpoint's template and serialises it in the
negotiated format.  An endpoint-triggered waypoint fires after the call.
"""

from __future__ import annotations

from typing import Any

from pymockapi.errors import InvalidField, NotFound, PyMockAPIError
from pymockapi.handlers.base import BaseHandler
from pymockapi.handlers.warm import materialise_in_slices
from pymockapi.render.negotiate import CONTENT_TYPES, choose_format
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.story.dsl import Endpoint
from pymockapi.world.changes import Change, Op
from pymockapi.world.view import endpoint_context, render_endpoint


MEMO_LIMIT = 4096


class DemoHandler(BaseHandler):
    requires_token = False

    async def get(self, session_id: str, path: str) -> None:
        await self._serve(session_id, path)

    async def post(self, session_id: str, path: str) -> None:
        await self._serve(session_id, path)

    async def put(self, session_id: str, path: str) -> None:
        await self._serve(session_id, path)

    async def patch(self, session_id: str, path: str) -> None:
        await self._serve(session_id, path)

    async def delete(self, session_id: str, path: str) -> None:
        await self._serve(session_id, path)

    async def _serve(self, session_id: str, path: str) -> None:
        session = self.ctx.sessions.get(session_id)
        compiled = session.compiled
        found = compiled.match(self.request.method or "GET", "/" + path)
        if found is None:
            allowed = compiled.allowed_methods("/" + path)
            if allowed:
                raise PyMockAPIError(f"{self.request.method} is not allowed on /{path}.",
                                     f"Allowed: {', '.join(allowed)}.", code="method_not_allowed", status=405)
            raise NotFound.of("endpoint", "/" + path, sorted({e.path for e in compiled.story.endpoints}),
                              how_to_list=f"GET /_api/stories/{compiled.id}", code="endpoint_not_found")
        endpoint, params = found
        available = ("json", "xml", *compiled.pack.formats)
        fmt = choose_format(self.request.headers.get("Accept"), self.get_query_argument("format", None), available)
        query = self._query()
        reads = endpoint.method.value == "GET"
        key = (endpoint.key, tuple(params.items()), tuple(sorted(query.items())), fmt, session.state)
        cached = session.world.memo.get(key) if reads else None
        if cached is None and endpoint.collection:
            owner = next((params[p] for p in endpoint.params if p.endswith("_id")), None)
            await materialise_in_slices(lambda: self.ctx.sessions.get(session_id).world, endpoint.collection, owner)
            session = self.ctx.sessions.get(session_id)  # the story may have moved on meanwhile
            key = key[:-1] + (session.state,)
            cached = session.world.memo.get(key) if reads else None
        if cached is None:
            changed = self._change(session, endpoint, params)
            cached = self._render(session, endpoint, params, query, changed, fmt)
            if reads:
                if len(session.world.memo) >= MEMO_LIMIT:  # arbitrary query strings must not grow it forever
                    session.world.memo.clear()
                session.world.memo[key] = cached
        status, content_type, body = cached
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.finish(body)
        session.endpoint_called(endpoint.key)

    def _render(self, session: Any, endpoint: Endpoint, params: dict[str, str], query: dict[str, str],
                changed: list[dict[str, Any]], fmt: str) -> tuple[int, str, bytes]:
        """(status, content type, body) of one call, rendered once and serialised once."""
        pack = session.compiled.pack
        context = endpoint_context(session.world, endpoint, params, query, changed, session.state)
        if fmt in pack.formats:
            alt = pack.formats[fmt]
            subject = context["record"]
            value = alt.one(subject) if subject is not None else alt.many(context["items"])
            return endpoint.status, alt.content_type, to_json(value)
        value = render_endpoint(self.ctx.templates, endpoint, context)
        body = to_xml(value, root=xml_root(endpoint)) if fmt == "xml" else to_json(value, compact=endpoint.compact)
        return endpoint.status, CONTENT_TYPES[fmt], body

    def _change(self, session: Any, endpoint: Endpoint, params: dict[str, str]) -> list[dict[str, Any]]:
        last = params[endpoint.params[-1]] if endpoint.params else None
        if endpoint.verb:
            return self._verb(session, endpoint, last)
        if endpoint.creates:
            body = self.json_body()
            owner = None
            for name in endpoint.params:
                if name.endswith("_id"):
                    owner = params[name]
            return session.apply(Change(Op.CREATE, endpoint.creates, owner=owner, fields=body))
        if endpoint.updates:
            return session.apply(Change(Op.UPDATE, endpoint.updates, ref=last, fields=self.json_body()))
        if endpoint.deletes:
            return session.apply(Change(Op.DELETE, endpoint.deletes, ref=last))
        return []

    def _verb(self, session: Any, endpoint: Endpoint, last: str | None) -> list[dict[str, Any]]:
        """Run the endpoint's industry verb; the subject comes from the path or the owner field."""
        body = self.json_body(required=False)
        rtype = session.world.pack.record_type(endpoint.record_type or "")
        owner_field = rtype.owner_field if rtype is not None else None
        ref = last
        if owner_field and owner_field in body and endpoint.creates:
            ref = body.pop(owner_field)
        if not isinstance(ref, str) or not ref:
            raise InvalidField(f"Say whose {endpoint.record_type} this is with '{owner_field}'.",
                               f"Send {{\"{owner_field}\": \"...\"}} in the body.", field=owner_field or "body")
        changed = session.perform(endpoint.verb, ref, body)
        wanted = endpoint.record_type
        return sorted(changed, key=lambda r: r.get("type") != wanted)

    def _query(self) -> dict[str, str]:
        return {k: self.get_query_argument(k) for k in self.request.query_arguments if k != "format"}


def xml_root(endpoint: Endpoint) -> str:
    """The root element: the record type for one record, the last path word for a list."""
    if endpoint.collection:
        words = [w for w in endpoint.path.split("/") if w and not w.startswith("{")]
        return words[-1] if words else endpoint.collection
    return endpoint.record_type or "response"
