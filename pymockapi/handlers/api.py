"""The configuration API under ``/_api``."""

from __future__ import annotations

from pymockapi.engine.commands import COMMANDS, REST_COMMANDS, CommandName
from pymockapi.errors import BadRequest, InvalidField, NotFound
from pymockapi.handlers.base import BaseHandler, check_session_fields, fields
from pymockapi.openapi import config_openapi, story_openapi
from pymockapi.recording.exporters import export
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


class AnnotationsHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        self.send_json(session.timeline.as_json(session.id, take_of(self)))

    def post(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        command = COMMANDS[CommandName.ANNOTATE]
        self.send_json(command.run(session, command.check(self.json_body(), strict=True), "api"), 201)


class MarkersHandler(BaseHandler):
    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        content_type, body = export(session.timeline.as_json(session.id, take_of(self)),
                                    self.get_query_argument("format", "json"))
        self.set_header("Content-Type", content_type)
        self.finish(body)




class TakesHandler(BaseHandler):
    """Every recording start of the session is a take; the latest is the one markers export by default."""

    def get(self, session_id: str) -> None:
        session = self.ctx.sessions.get(session_id)
        self.send_json({"takes": session.timeline.takes(session.id)})
