"""Demo endpoints: ``/demo/{session}{story endpoint path}``.

handler -> session -> world -> render -> response, top to bottom: the
handler finds the endpoint, asks the session's world for the records (or
for a change), renders the endpoint's template and serialises it in the
negotiated format.  An endpoint-triggered waypoint fires after the call.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Mapping

from pymockapi.context import AppContext
from pymockapi.engine.plan import Endpoint
from pymockapi.engine.session import Session
from pymockapi.engine.view import WAYPOINT, dependencies, endpoint_context, list_owner, render_endpoint
from pymockapi.errors import BadRequest, InvalidField, NotFound, PyMockAPIError
from pymockapi.handlers.base import BaseHandler
from pymockapi.handlers.warm import materialise_in_slices
from pymockapi.render.negotiate import CONTENT_TYPES, choose_format
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.world.changes import Change, Op
from pymockapi.world.memo import Token

#: How long a browser may reuse a preflight answer.
PREFLIGHT_MAX_AGE_S = 600
#: What Tornado strips from query arguments (control characters other than tab and line breaks).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


class DemoHandler(BaseHandler):
    requires_token = False

    def set_default_headers(self) -> None:
        """A demo front-end runs on its own origin: let its browser read every answer, errors too."""
        self.set_header("Access-Control-Allow-Origin", "*")

    def options(self, session_id: str, path: str) -> None:
        """The browser's CORS preflight: the methods this path takes and the headers the front-end asks for."""
        allowed = list(dict.fromkeys(self.ctx.sessions.get(session_id).compiled.allowed_methods("/" + path)))
        if not allowed:
            resolve(self.ctx, "GET", session_id, path, None, {})  # the SPEC 404, listing the endpoints
        self.set_status(204)
        self.set_header("Access-Control-Allow-Methods", ", ".join([*allowed, "OPTIONS"]))
        wanted = self.request.headers.get("Access-Control-Request-Headers")
        self.set_header("Access-Control-Allow-Headers", wanted or "Content-Type, Authorization")
        self.set_header("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_S))
        self.finish()

    def get(self, session_id: str, path: str) -> Awaitable[None] | None:
        return self._serve(session_id, path)

    def post(self, session_id: str, path: str) -> Awaitable[None] | None:
        return self._serve(session_id, path)

    def put(self, session_id: str, path: str) -> Awaitable[None] | None:
        return self._serve(session_id, path)

    def patch(self, session_id: str, path: str) -> Awaitable[None] | None:
        return self._serve(session_id, path)

    def delete(self, session_id: str, path: str) -> Awaitable[None] | None:
        return self._serve(session_id, path)

    def _serve(self, session_id: str, path: str) -> Awaitable[None] | None:
        """Answer from the world's memo at once; only a cold list needs the loop's help (an awaitable)."""
        call = self._resolve(session_id, path)
        if call.endpoint.method.value == "GET":
            cached = memoised(call)
            if cached is not None:
                self._answer(call, cached)
                return None
            owner = list_owner(call.session.world, call.endpoint, call.params)
            if call.endpoint.collection and call.session.world.missing_families(call.endpoint.collection, owner):
                return self._serve_cold(session_id, path, call.endpoint.collection, owner)
        self._answer(call, self._respond(call))
        return None

    def _resolve(self, session_id: str, path: str) -> DemoCall:
        return resolve(self.ctx, self.request.method or "GET", session_id, path, self.request.headers.get("Accept"),
                       self.request.query_arguments)

    async def _serve_cold(self, session_id: str, path: str, collection: str, owner: str | None) -> None:
        await materialise_in_slices(lambda: self.ctx.sessions.get(session_id).world, collection, owner)
        call = self._resolve(session_id, path)  # the story may have moved on meanwhile
        self._answer(call, self._respond(call))

    def _respond(self, call: DemoCall) -> tuple[int, str, bytes, str]:
        """Change the world if the endpoint says so, render, and memoise what a GET rendered."""
        get = call.endpoint.method.value == "GET"
        if get:
            cached = memoised(call)
            if cached is not None:
                return cached
        changed = self._change(call.session, call.endpoint, call.params)
        status, content_type, body, shown = self._render(call, changed)
        answer = (status, content_type, body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"')
        if get:
            call.session.world.memo.put(call.key, answer, shown)
        return answer

    def _answer(self, call: DemoCall, answer: tuple[int, str, bytes, str]) -> None:
        status, content_type, body, self._etag = answer
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.finish(body)
        call.session.endpoint_called(call.endpoint.key)

    def compute_etag(self) -> str | None:
        return self._etag if self.request.method == "GET" else None

    def _render(self, call: DemoCall, changed: list[dict[str, Any]]) -> tuple[int, str, bytes, set[Token]]:
        """(status, content type, body, what it shows) of one call, rendered once and serialised once."""
        session, endpoint = call.session, call.endpoint
        pack = session.compiled.pack
        context = endpoint_context(session.world, endpoint, call.params, call.query, changed, session.state)
        if call.fmt in pack.formats:
            alt = pack.formats[call.fmt]
            subject = context["record"]
            value = alt.one(subject) if subject is not None else alt.many(context["items"])
            content_type, body = alt.content_type, to_json(value)
        else:
            value = render_endpoint(self.ctx.templates, endpoint, context)
            content_type = CONTENT_TYPES[call.fmt]
            body = to_xml(value, root=xml_root(endpoint)) if call.fmt == "xml" else to_json(value,
                                                                                           compact=endpoint.compact)
        shown = dependencies(session.world, endpoint, context) if endpoint.method.value == "GET" else set()
        return endpoint.status, content_type, body, shown

    def _change(self, session: Session, endpoint: Endpoint, params: dict[str, str]) -> list[dict[str, Any]]:
        last = params[endpoint.params[-1]] if endpoint.params else None
        if endpoint.verb:
            return self._verb(session, endpoint, endpoint.verb, last)
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

    def _verb(self, session: Session, endpoint: Endpoint, verb: str, last: str | None) -> list[dict[str, Any]]:
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
        changed = session.perform(verb, ref, body)
        wanted = endpoint.record_type
        return sorted(changed, key=lambda r: r.get("type") != wanted)


@dataclass(frozen=True, slots=True)
class DemoCall:
    """One demo request, resolved: whose session, which endpoint, and the memo key of its answer."""

    session: Session
    endpoint: Endpoint
    params: dict[str, str]
    query: dict[str, str]
    fmt: str
    key: tuple[Any, ...]


def resolve(ctx: AppContext, method: str, session_id: str, path: str, accept: str | None,
            arguments: Mapping[str, list[bytes]]) -> DemoCall:
    """The endpoint a demo request calls and the format it wants; the SPEC error when there is none."""
    session = ctx.sessions.get(session_id)
    compiled = session.compiled
    found = compiled.match(method, "/" + path)
    if found is None:
        allowed = compiled.allowed_methods("/" + path)
        if allowed:
            raise PyMockAPIError(f"{method} is not allowed on /{path}.",
                                 f"Allowed: {', '.join(allowed)}.", code="method_not_allowed", status=405)
        raise NotFound.of("endpoint", "/" + path, sorted({e.path for e in compiled.story.endpoints}),
                          how_to_list=f"GET /_api/stories/{compiled.id}", code="endpoint_not_found")
    endpoint, params = found
    query = query_values(arguments)
    fmt = choose_format(accept, query.pop("format", None), ("json", "xml", *compiled.pack.formats))
    key: tuple[Any, ...] = (endpoint.key, tuple(params.items()), tuple(sorted(query.items())), fmt)
    if ctx.templates.reads(endpoint.template, WAYPOINT):
        key += (session.state,)  # the body shows where the story is
    return DemoCall(session, endpoint, params, query, fmt, key)


def memoised(call: DemoCall) -> tuple[int, str, bytes, str] | None:
    """The answer a GET rendered before in this world, if nothing it shows has changed since."""
    answer: tuple[int, str, bytes, str] | None = call.session.world.memo.get(call.key)
    return answer


def query_values(arguments: Mapping[str, list[bytes]]) -> dict[str, str]:
    """The last value of each query argument, decoded as Tornado's ``get_query_argument`` does."""
    values: dict[str, str] = {}
    for name, raw in arguments.items():
        try:
            text = raw[-1].decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(f"Query argument '{name}' is not valid UTF-8.",
                             "Percent-encode UTF-8 text in the query string.") from None
        values[name] = CONTROL_CHARS.sub(" ", text).strip()
    return values


def xml_root(endpoint: Endpoint) -> str:
    """The root element: the record type for one record, the last path word for a list."""
    if endpoint.collection:
        words = [w for w in endpoint.path.split("/") if w and not w.startswith("{")]
        return words[-1] if words else endpoint.collection
    return endpoint.record_type or "response"
