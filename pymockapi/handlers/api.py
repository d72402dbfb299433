"""The configuration API under ``/_api``."""

from __future__ import annotations

from typing import Any

from pymockapi.engine.commands import COMMANDS, REST_COMMANDS, CommandName
from pymockapi.engine.requests_log import MAX_REQUESTS
from pymockapi.engine.session import Session
from pymockapi.errors import BadRequest, InvalidField, NotFound
from pymockapi.handlers.base import BaseHandler, check_session_fields, fields
from pymockapi.openapi import config_openapi, story_openapi
from pymockapi.recording.exporters import export
from pymockapi.recording.timeline import with_requests
from pymockapi.world.export import EXPORT_FORMATS, export_world


class HealthHandler(BaseHandler):
    requires_token = False

    def get(self) -> None:
        self.send_json({"status": "ok"})


class OpenAPIHandler(BaseHandler):
    def get(self) -> None:
        self.send_json(config_openapi())


class StoriesHandler(BaseHandler):
    def get(self) -> None:
        self.send_json({"stories": [s.summary() for s in self.ctx.sessions.stories.values()]})


class StoryHandler(BaseHandler):
    def get(self, story_id: str) -> None:
        story = self.ctx.sessions.story(story_id)
        self.send_json({**story.summary(), "diagram": story.diagram})


class StoryOpenAPIHandler(BaseHandler):
    def get(self, story_id: str) -> None:
        story = self.ctx.sessions.story(story_id)
        self.send_json(story_openapi(story, self.ctx))


class StoryBindingsHandler(BaseHandler):
    def get(self, story_id: str) -> None:
        """What fills every response property of the story's API description (empty for a template story)."""
        story = self.ctx.sessions.story(story_id)
        rows = story.api.table() if story.api is not None else []
        summary = story.api.bindings.summary() if story.api is not None else {}
        self.send_json({"story": story.id, "bindings": rows, "summary": summary})


class SessionsHandler(BaseHandler):
    def get(self) -> None:
        self.send_json({"sessions": [s.as_dict() for s in self.ctx.sessions.all()]})

    def post(self) -> None:
        body = fields(self.json_body(), {"story": (str, True), "id": (str, False), "seed": (int, False),
                                         "anchor_date": (str, False), "recorder": (str, False)})
        check_session_fields(body, self.ctx.recorder_hosts)
        session = self.ctx.sessions.create(body["story"], body.get("id"), body.get("seed", 0),
                                           body.get("anchor_date"), body.get("recorder"))
        self.set_header("Location", f"/_api/sessions/{session.id}")
        self.send_json(session.as_dict(), 201)


class SessionHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        self.send_json(self.ctx.sessions.get(session_id).as_dict())

    def delete(self, session_id: str) -> None:
        self.ctx.sessions.delete(session_id)
        self.set_status(204)
        self.finish()


class SessionCommandHandler(BaseHandler):
    """``POST /_api/sessions/{id}/{command}``: every command of the table with a REST route."""

    def post(self, session_id: str, route: str) -> None:
        session = self.ctx.sessions.get(session_id)
        command = REST_COMMANDS[route]
        command.run(session, command.check(self.json_body(required=False), strict=True), "api")
        self.send_json(session.as_dict())


class PersonasHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        world = self.ctx.sessions.get(session_id).world
        kind = self.get_query_argument("type", None)
        self.send_json({"personas": world.personas(kind)})


class PersonaHandler(BaseHandler):
    def get(self, session_id: str, persona_id: str) -> None:
        world = self.ctx.sessions.get(session_id).world
        record = world.get(persona_id)
        rt = world.record_type_of(record["id"])
        if rt is None or not rt.persona:
            raise NotFound.of("persona", persona_id, [p["id"] for p in world.personas()],
                              how_to_list=f"GET /_api/sessions/{session_id}/personas", code="persona_not_found")
        self.send_json({**record, "related": world.related(record["id"])})


class ExportHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        fmt = self.get_query_argument("format", "json")
        if fmt not in EXPORT_FORMATS:
            raise InvalidField(f"Unknown export format '{fmt}'.", f"Use one of: {', '.join(EXPORT_FORMATS)}.",
                               field="format", status=400)
        content_type, body, filename = export_world(session, fmt)
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(body)


class RecordingHandler(BaseHandler):
    def post(self, session_id: str, action: str) -> None:
        session = self.ctx.sessions.get(session_id)
        COMMANDS[CommandName.RECORDING].run(session, {"action": action}, "api")
        self.send_json(session.as_dict())


def take_of(handler: BaseHandler) -> int | None:
    """``?take=N`` of a timeline read (None: the latest take); 400 when it is not a whole number from 1."""
    raw = handler.get_query_argument("take", None)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= len(raw) <= 9 or int(raw) < 1:
        raise BadRequest(f"take={raw[:40]!r} is not a take number.",
                         "Use ?take=N with N from 1 (GET /_api/sessions/{id}/takes lists them).", code="invalid_take")
    return int(raw)


def timeline_of(handler: BaseHandler, session: Session) -> dict[str, Any]:
    """The take asked for (``?take=N``), with the demo calls as ``request`` markers when ``?requests=true``."""
    body = session.timeline.as_json(session.id, take_of(handler))
    wanted = handler.get_query_argument("requests", "false").lower()
    if wanted not in ("true", "false", "1", "0"):
        raise BadRequest(f"requests={wanted[:40]!r} is not true or false.", "Use ?requests=true to show demo calls.",
                         code="invalid_requests")
    if wanted in ("true", "1"):
        body = with_requests(body, session.requests.during(body["take"]))
    return body


class AnnotationsHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        self.send_json(timeline_of(self, session))

    def post(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        command = COMMANDS[CommandName.ANNOTATE]
        self.send_json(command.run(session, command.check(self.json_body(), strict=True), "api"), 201)


class MarkersHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        content_type, body = export(timeline_of(self, session), self.get_query_argument("format", "json"))
        self.set_header("Content-Type", content_type)
        self.finish(body)




class TakesHandler(BaseHandler):
    """Every recording start of the session is a take; the latest is the one markers export by default."""

    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        self.send_json({"takes": session.timeline.takes(session.id)})


class SnapshotsHandler(BaseHandler):
    """Named moments of a session to come back to between takes."""

    def get(self, session_id: str) -> None:
        self.send_json({"snapshots": self.ctx.sessions.get(session_id).snapshots()})

    def post(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        body = fields(self.json_body(), {"name": (str, True)})
        self.send_json(session.snapshot(body["name"]), 201)


class SnapshotHandler(BaseHandler):
    def delete(self, session_id: str, name: str) -> None:
        self.ctx.sessions.get(session_id).delete_snapshot(name)
        self.set_status(204)
        self.finish()


class SnapshotRestoreHandler(BaseHandler):
    def post(self, session_id: str, name: str) -> None:
        session = self.ctx.sessions.get(session_id)
        session.restore_snapshot(name)
        self.send_json(session.as_dict())


class FaultsHandler(BaseHandler):
    """Latency and failures on cue for one endpoint of the session's story."""

    def get(self, session_id: str) -> None:
        self.send_json({"faults": [f.as_dict() for f in self.ctx.sessions.get(session_id).faults.all()]})

    def post(self, session_id: str) -> None:
        self.send_json(self.ctx.sessions.get(session_id).add_fault(self.json_body()), 201)


class FaultHandler(BaseHandler):
    def delete(self, session_id: str, fault_id: str) -> None:
        self.ctx.sessions.get(session_id).delete_fault(fault_id)
        self.set_status(204)
        self.finish()


class RequestsHandler(BaseHandler):
    """The demo calls the session received, newest last: what the front-end really called."""

    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        raw = self.get_query_argument("limit", str(MAX_REQUESTS))
        if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= MAX_REQUESTS:
            raise BadRequest(f"limit={raw[:40]!r} is not a number from 1 to {MAX_REQUESTS}.",
                             f"Use ?limit=N with N from 1 to {MAX_REQUESTS}.", code="invalid_limit")
        self.send_json({"requests": session.requests.latest(int(raw))})
