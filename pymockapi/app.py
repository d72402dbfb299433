"""The Tornado application: routes to handlers, collaborators injected."""

from __future__ import annotations

from typing import Any

import tornado.web
from tornado import httputil

from pymockapi.context import AppContext
from pymockapi.engine.commands import REST_COMMANDS
from pymockapi.handlers import api
from pymockapi.handlers.base import BaseHandler, NotFoundHandler
from pymockapi.handlers.demo import DemoHandler
from pymockapi.handlers.eager import EagerDelegate
from pymockapi.handlers.memo_reply import memo_delegate
from pymockapi.handlers.metrics import METRICS_ROUTE, MetricsHandler
from pymockapi.handlers.ws import SessionSocket

SEG = r"([^/]+)"
#: The session commands with a route of their own (``annotations`` has its own handler, with a GET).
COMMAND_ROUTES = "|".join(route for route in REST_COMMANDS if route != "annotations")


class DemoApplication(tornado.web.Application):
    """Routes as usual, except that a memoised demo GET is answered straight from the memo."""

    def __init__(self, ctx: AppContext, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx = ctx

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        return memo_delegate(self.ctx, request) or super().find_handler(request, **kwargs)

    def get_handler_delegate(self, request: httputil.HTTPServerRequest, target_class: type[tornado.web.RequestHandler],
                             target_kwargs: dict[str, Any] | None = None, path_args: list[bytes] | None = None,
                             path_kwargs: dict[str, bytes] | None = None) -> tornado.web._HandlerDelegate:
        """Our JSON and demo handlers run eagerly (see :mod:`pymockapi.handlers.eager`); WebSockets as usual."""
        if issubclass(target_class, BaseHandler):
            return EagerDelegate(self, request, target_class, target_kwargs, path_args, path_kwargs)
        return super().get_handler_delegate(request, target_class, target_kwargs, path_args, path_kwargs)


def make_app(ctx: AppContext) -> DemoApplication:
    deps = {"ctx": ctx}
    routes = [
        (rf"/demo/{SEG}/(.*)", DemoHandler),  # first: nearly every request is a demo call
        (r"/_api/health", api.HealthHandler),
        (r"/_api/openapi\.json", api.OpenAPIHandler),
        (r"/_api/stories", api.StoriesHandler),
        (rf"/_api/stories/{SEG}/openapi\.json", api.StoryOpenAPIHandler),
        (rf"/_api/stories/{SEG}/bindings", api.StoryBindingsHandler),
        (rf"/_api/stories/{SEG}", api.StoryHandler),
        (r"/_api/sessions", api.SessionsHandler),
        (rf"/_api/sessions/{SEG}/({COMMAND_ROUTES})", api.SessionCommandHandler),
        (rf"/_api/sessions/{SEG}/personas", api.PersonasHandler),
        (rf"/_api/sessions/{SEG}/personas/{SEG}", api.PersonaHandler),
        (rf"/_api/sessions/{SEG}/export", api.ExportHandler),
        (rf"/_api/sessions/{SEG}/recording/(start|stop|pause|resume)", api.RecordingHandler),
        (rf"/_api/sessions/{SEG}/annotations", api.AnnotationsHandler),
        (rf"/_api/sessions/{SEG}/markers", api.MarkersHandler),
        (rf"/_api/sessions/{SEG}/takes", api.TakesHandler),
        (rf"/_api/sessions/{SEG}/snapshots", api.SnapshotsHandler),
        (rf"/_api/sessions/{SEG}/snapshots/{SEG}", api.SnapshotHandler),
        (rf"/_api/sessions/{SEG}/snapshots/{SEG}/restore", api.SnapshotRestoreHandler),
        (rf"/_api/sessions/{SEG}/faults", api.FaultsHandler),
        (rf"/_api/sessions/{SEG}/faults/{SEG}", api.FaultHandler),
        (rf"/_api/sessions/{SEG}/requests", api.RequestsHandler),
        (rf"/_api/sessions/{SEG}/ws", SessionSocket),
        (rf"/_api/sessions/{SEG}", api.SessionHandler),
        (METRICS_ROUTE, MetricsHandler),
    ]
    return DemoApplication(
        ctx,
        [(pattern, handler, deps) for pattern, handler in routes],
        default_handler_class=NotFoundHandler,
        default_handler_args=deps,
        websocket_ping_interval=20,
        compress_response=False,
    )
