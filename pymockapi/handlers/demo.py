"""Demo endpoints: ``/demo/{session}{story endpoint path}``.

Thin on purpose: parse the request, let :class:`~pymockapi.engine.calls.DemoCalls`
resolve, change, render and memoise, then write the answer.  Only a cold
list needs the loop's help: its records are generated a slice at a time,
and so is a cold API description's body (:mod:`pymockapi.slices`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from pymockapi.engine.calls import Answer, DemoCall
from pymockapi.engine.faults import Fault
from pymockapi.handlers.base import BaseHandler
from pymockapi.handlers.warm import materialise_in_slices
from pymockapi.inputs import check_id, hostile_json
from pymockapi.slices import run_in_slices

#: How long a browser may reuse a preflight answer.
PREFLIGHT_MAX_AGE_S = 600


class DemoHandler(BaseHandler):
    requires_token = False
    checks_origin = False  # SPEC: demo endpoints answer every origin

    def check_path_ids(self) -> None:
        """The session id and every segment of the endpoint path: at most 256 characters of printable text."""
        session_id, path = self.path_args
        check_id(session_id, "session id")
        for segment in path.split("/"):
            check_id(segment, "path segment")

    def set_default_headers(self) -> None:
        """A demo front-end runs on its own origin: let its browser read every answer, errors too."""
        self.set_header("Access-Control-Allow-Origin", "*")

    def options(self, *args: str) -> None:
        """The browser's CORS preflight: the methods this path takes and the headers the front-end asks for."""
        session_id, path = args
        allowed = self.ctx.calls.allowed_methods(session_id, path)
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
        """Answer at once; a cold list (generated in slices) or a fault's latency returns an awaitable."""
        call = self._resolve(session_id, path)
        fault = call.session.take_fault(call.endpoint.key)
        wait_ms = self.ctx.calls.latency_ms(call) + (fault.latency_ms if fault is not None else 0)
        if fault is not None or wait_ms:
            return self._serve_late(call, fault, wait_ms)
        if self.ctx.calls.cold_api_read(call):
            return self._serve_rendered_in_slices(session_id, path, call)
        cold = self.ctx.calls.cold_list(call)
        if cold is not None and self.ctx.calls.memoised(call) is None:
            return self._serve_cold(session_id, path, *cold)
        self._answer(call, self._respond(call))
        return None

    def _respond(self, call: DemoCall) -> Answer:
        body = self.body()
        if body.strip():
            refused = hostile_json(body)  # nested too deep, out-of-range numbers, lone surrogates...
            if refused is not None:
                raise refused
        return self.ctx.calls.respond(call, body, self.request.headers.get("Content-Type"),
                                      self.request.headers)

    def _resolve(self, session_id: str, path: str) -> DemoCall:
        return self.ctx.calls.resolve(self.request.method or "GET", session_id, path,
                                      self.request.headers.get("Accept"), self.request.query_arguments)

    async def _serve_late(self, call: DemoCall, fault: Fault | None, wait_ms: int) -> None:
        """Wait (the loop serves others meanwhile), then fail on cue or answer as usual."""
        if wait_ms:
            await asyncio.sleep(wait_ms / 1000.0)
        if fault is not None and fault.status is not None:
            self._answer(call, self.ctx.calls.refused(call, fault.refusal(call.session.id)))
            return
        self._answer(call, self._respond(call))

    def on_finish(self) -> None:
        """Every call of a live session goes into its request journal, errors included."""
        session = self.ctx.sessions.find(self.path_args[0]) if self.path_args else None
        if session is not None:
            query = self.request.query
            path = "/" + self.path_args[1] + (f"?{query}" if query else "")
            session.record_request(self.request.method or "GET", path, self.get_status(),
                                   self.request.request_time() * 1000.0)

    async def _serve_cold(self, session_id: str, path: str, collection: str, owner: str | None) -> None:
        await materialise_in_slices(lambda: self.ctx.sessions.get(session_id).world, collection, owner)
        call = self._resolve(session_id, path)  # the story may have moved on meanwhile
        self._answer(call, self._respond(call))

    async def _serve_rendered_in_slices(self, session_id: str, path: str, call: DemoCall) -> None:
        """An API body built a slice at a time into the memo, then answered as usual (from it when the
        world held still; else rendered again in one go, with whatever changed)."""
        await run_in_slices(lambda: self.ctx.calls.render_ahead(call, self.request.headers,
                                                                self.request.headers.get("Content-Type")))
        call = self._resolve(session_id, path)  # the story may have moved on meanwhile
        self._answer(call, self._respond(call))

    def _answer(self, call: DemoCall, answer: Answer) -> None:
        self._etag = answer.etag
        self.set_status(answer.status)
        self.set_header("Content-Type", answer.content_type)
        for name, value in answer.headers:
            self.set_header(name, value)
        self.finish(answer.body)

    def compute_etag(self) -> str | None:
        return self._etag if self.request.method == "GET" and self._etag else None
