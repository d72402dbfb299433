"""A demo call, start to end: resolve the endpoint, change or read the world, render, memoise.

HTTP handlers only parse the request, hand it here and write what comes
back; the same service answers the fast memo path, the full handler, a
rehearsal and the OpenAPI examples, so there is one place that decides
what a demo call means.  The engine knows nothing of HTTP: a request is
its method, path, ``Accept`` header, query arguments and body bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from pymockapi.apispec.serve import ApiOperation, VerbCall
from pymockapi.engine.plan import Endpoint
from pymockapi.engine.session import Session
from pymockapi.engine.sessions import SessionManager
from pymockapi.engine.view import WAYPOINT, dependencies, endpoint_context, list_owner, render_endpoint
from pymockapi.errors import BadRequest, InvalidField, InvalidJSON, NotFound, PyMockAPIError, error_body
from pymockapi.industries.base import Record
from pymockapi.render.environment import TemplateSet
from pymockapi.render.negotiate import CONTENT_TYPES, choose_format
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.world.changes import Change, ChangeKind
from pymockapi.world.memo import Token

#: What Tornado strips from query arguments (control characters other than tab and line breaks).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


class Answer(NamedTuple):
    """What a demo call answers: kept whole in the memo, written as it is by either HTTP path."""

    status: int
    content_type: str
    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()  # what the answer documents beyond these (Location…)

    @classmethod
    def tagged(cls, status: int, content_type: str, body: bytes,
               headers: tuple[tuple[str, str], ...] = ()) -> Answer:
        """An answer with its ETag: a digest of its body, so equal bodies share a tag on every server."""
        return cls(status, content_type, body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
                   headers)


@dataclass(frozen=True, slots=True)
class DemoCall:
    """One demo request, resolved: whose session, which endpoint, and the memo key of its answer."""

    session: Session
    endpoint: Endpoint
    params: dict[str, str]
    query: dict[str, str]
    fmt: str
    key: tuple[Any, ...]

    @property
    def reads(self) -> bool:
        return self.endpoint.method.value == "GET"


def json_object(raw: bytes, *, required: bool = True) -> dict[str, Any]:
    """A request body as a JSON object: 400 when it is not JSON, 422 when it is not an object."""
    if not raw.strip():
        if required:
            raise InvalidJSON("The request body is empty.", "Send a JSON object.")
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidJSON(f"The request body is not valid JSON: {exc}.",
                          "Check quotes and commas; send a JSON object.") from None
    if not isinstance(value, dict):
        raise InvalidField(f"Expected a JSON object, got {type(value).__name__}.",
                           "Wrap the fields in {...}.", field="body")
    return value


class DemoCalls:
    """Answers demo calls for every session of a server."""

    def __init__(self, sessions: SessionManager, templates: TemplateSet) -> None:
        self.sessions = sessions
        self.templates = templates

    def resolve(self, method: str, session_id: str, path: str, accept: str | None,
                arguments: Mapping[str, list[bytes]]) -> DemoCall:
        """The endpoint a demo request calls and the format it wants; the SPEC error when there is none."""
        session = self.sessions.get(session_id)
        compiled = session.compiled
        found = compiled.match(method, "/" + path)
        if found is None:
            allowed = compiled.allowed_methods("/" + path)
            if allowed:
                raise PyMockAPIError(f"{method} is not allowed on /{path}.",
                                     f"Allowed: {', '.join(allowed)}.", code="method_not_allowed", status=405)
            raise NotFound.of("endpoint", "/" + path, sorted({e.path for e in compiled.endpoints}),
                              how_to_list=f"GET /_api/stories/{compiled.id}", code="endpoint_not_found")
        endpoint, params = found
        query = query_values(arguments)
        if endpoint.api is not None:
            offered: tuple[str, ...] = ("json", "xml") if endpoint.api.serves_xml() else ("json",)
        else:
            offered = ("json", "xml", *compiled.pack.formats)
        fmt = choose_format(accept, query.pop("format", None), offered)
        key: tuple[Any, ...] = (endpoint.key, tuple(params.items()), tuple(sorted(query.items())), fmt)
        if endpoint.api is None and self.templates.reads(endpoint.template, WAYPOINT):
            key += (session.state,)  # the body shows where the story is
        return DemoCall(session, endpoint, params, query, fmt, key)

    def allowed_methods(self, session_id: str, path: str) -> list[str]:
        """The methods a demo path takes (for a CORS preflight); the SPEC 404 when it takes none."""
        allowed = list(dict.fromkeys(self.sessions.get(session_id).compiled.allowed_methods("/" + path)))
        if not allowed:
            self.resolve("GET", session_id, path, None, {})  # raises the 404 that lists the endpoints
        return allowed

    @staticmethod
    def memoised(call: DemoCall) -> Answer | None:
        """The answer a GET rendered before in this world, if nothing it shows has changed since."""
        answer: Answer | None = call.session.world.memo.get(call.key)
        return answer

    @staticmethod
    def cold_list(call: DemoCall) -> tuple[str, str | None] | None:
        """(record type, owner) of a list GET whose records are not generated yet; None when warm."""
        if not call.reads or not call.endpoint.collection:
            return None
        owner = list_owner(call.session.world, call.endpoint, call.params)
        return (call.endpoint.collection, owner) if call.session.world.missing_families(
            call.endpoint.collection, owner) else None

    def respond(self, call: DemoCall, body: bytes = b"", content_type: str | None = None,
                headers: Mapping[str, str] | None = None) -> Answer:
        """The call's answer, as one acknowledged unit: its change and the waypoint it triggers are stored
        (and announced) before the caller writes the answer; a failure leaves the session as it was."""
        with call.session.acknowledged():
            answer = self._answer(call, body, content_type, headers)
            if answer.status < 400:
                call.session.endpoint_called(call.endpoint.key)
        return answer

    @staticmethod
    def refused(call: DemoCall, error: PyMockAPIError) -> Answer:
        """A fault's error answer, in the endpoint's own error shape (its API's, or SPEC's)."""
        if call.endpoint.api is not None:
            reply = call.endpoint.api.error_reply(error)
            return Answer(reply.status, reply.media_type, reply.body, "", reply.headers)
        return Answer(error.status, CONTENT_TYPES["json"], to_json(error_body(error)), "")

    @staticmethod
    def latency_ms(call: DemoCall) -> int:
        """How long the story makes this call wait: the endpoint's own latency and the waypoint's."""
        waypoint = call.session.compiled.waypoints.get(call.session.state)
        return call.endpoint.latency_ms + (waypoint.latency_ms if waypoint is not None else 0)

    @staticmethod
    def triggers(call: DemoCall) -> bool:
        """Whether answering the call moves the story on (its ``when`` waypoint follows the current one)."""
        return call.session.compiled.when_next(call.session.state, call.endpoint.key) is not None

    def _answer(self, call: DemoCall, body: bytes, content_type: str | None,
                headers: Mapping[str, str] | None) -> Answer:
        """Change the world if the endpoint says so, render, and memoise what a GET rendered."""
        if call.endpoint.api is not None:
            return self._respond_api(call, call.endpoint.api, body, content_type, headers or {})
        if call.reads:
            cached = self.memoised(call)
            if cached is not None:
                return cached
        changed = self._change(call, body)
        status, content_type, rendered, shown = self._render(call, changed)
        answer = Answer.tagged(status, content_type, rendered)
        if call.reads:
            call.session.world.memo.put(call.key, answer, shown)
        return answer

    def _respond_api(self, call: DemoCall, api: ApiOperation, body: bytes, content_type: str | None,
                     headers: Mapping[str, str]) -> Answer:
        """An API description's operation: checked against the description, answered from the world.

        An error the caller caused is answered in the operation's documented
        error schema (never memoised); a GET's body is memoised until anything
        in the world changes.
        """
        session, world = call.session, call.session.world
        try:
            if api.checks_headers or not call.reads or self.memoised(call) is None:
                self._check(api, call, headers, content_type, body)
            if call.reads:
                cached = self.memoised(call)
                if cached is not None:
                    return cached
            changed: list[Record] = []
            if not call.reads:
                try:
                    changed = self._write(session, api.write(world, call.params, body))
                except InvalidField as refused:
                    if not refused.details.get("violations"):
                        raise
                    changed = self._write(session, api.write(world, call.params, body, as_sent=True))
            reply = api.render(session.world, call.params, call.query, changed, call.fmt)
        except PyMockAPIError as exc:
            if exc.status >= 500:
                raise
            reply = api.error_reply(exc)
            return Answer(reply.status, reply.media_type, reply.body, "", reply.headers)
        answer = Answer.tagged(reply.status, reply.media_type, reply.body, reply.headers)
        if call.reads:
            self._memoise_api(world, call, answer)
        return answer

    @staticmethod
    def _check(api: ApiOperation, call: DemoCall, headers: Mapping[str, str], content_type: str | None,
               body: bytes) -> None:
        """The request against its operation in the description (raises the documented refusal)."""
        api.check(call.params, {k: [v.encode()] for k, v in call.query.items()}, headers, content_type, body)

    @staticmethod
    def _memoise_api(world: Any, call: DemoCall, answer: Answer) -> None:
        world.memo.put(call.key, answer, {("type", rt.name) for rt in world.pack.record_types})

    def cold_api_read(self, call: DemoCall) -> bool:
        """Whether the call is an API description's GET not rendered yet (see :meth:`render_ahead`)."""
        return call.endpoint.api is not None and call.reads and self.memoised(call) is None

    def render_ahead(self, call: DemoCall, headers: Mapping[str, str], content_type: str | None) -> None:
        """Render a cold API GET into the memo without changing anything, pausable at checkpoints.

        Run in slices (:mod:`pymockapi.slices`), the loop serves others in
        the pauses; the body is kept only if the world it was read from did
        not change meanwhile.  Any refusal is left to the call's own answer.
        """
        api, world = call.endpoint.api, call.session.world
        assert api is not None
        mark = world.memo.changes
        try:
            self._check(api, call, headers, content_type, b"")
            reply = api.render(world, call.params, call.query, [], call.fmt)
        except PyMockAPIError:
            return
        if call.session.world is world and world.memo.changes == mark and reply.status < 400:
            self._memoise_api(world, call, Answer.tagged(reply.status, reply.media_type, reply.body, reply.headers))

    def _render(self, call: DemoCall, changed: list[Record]) -> tuple[int, str, bytes, set[Token]]:
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
            value = render_endpoint(self.templates, endpoint, context)
            content_type = CONTENT_TYPES[call.fmt]
            body = to_xml(value, root=xml_root(endpoint)) if call.fmt == "xml" else to_json(
                value, compact=endpoint.compact)
        shown = dependencies(session.world, endpoint, context) if call.reads else set()
        return endpoint.status, content_type, body, shown

    def _change(self, call: DemoCall, body: bytes) -> list[Record]:
        session, endpoint, params = call.session, call.endpoint, call.params
        last = params[endpoint.params[-1]] if endpoint.params else None
        if endpoint.verb:
            return self._verb(session, endpoint, endpoint.verb, last, json_object(body, required=False))
        if endpoint.creates:
            owner = None
            for name in endpoint.params:
                if name.endswith("_id"):
                    owner = params[name]
            return session.apply(Change(ChangeKind.CREATE, endpoint.creates, owner=owner, fields=json_object(body)))
        if endpoint.updates:
            return session.apply(Change(ChangeKind.UPDATE, endpoint.updates, ref=last, fields=json_object(body)))
        if endpoint.deletes:
            return session.apply(Change(ChangeKind.DELETE, endpoint.deletes, ref=last))
        return []

    @staticmethod
    def _write(session: Session, write: Change | VerbCall | None) -> list[Record]:
        if isinstance(write, VerbCall):
            return session.perform(write.verb, write.ref, write.arguments)
        return session.apply(write) if write is not None else []

    @staticmethod
    def _verb(session: Session, endpoint: Endpoint, verb: str, last: str | None,
              body: dict[str, Any]) -> list[Record]:
        """Run the endpoint's industry verb; the subject comes from the path or the owner field."""
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
