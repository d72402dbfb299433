"""Build a whole server from its settings, run it, and stop it cleanly."""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
from tornado import httputil
from tornado.iostream import IOStream

from pymockapi.app import make_app
from pymockapi.connections import IdleWatch, InFlight, Tracked, accept_with_backoff
from pymockapi.context import DEFAULT_MAX_BODY, AppContext
from pymockapi.engine.calls import DemoCalls
from pymockapi.engine.clock import Clock, LoopClock
from pymockapi.engine.events import EventHub
from pymockapi.engine.plan import CompiledStory
from pymockapi.engine.sessions import SessionManager
from pymockapi.errors import StoryError, UsageError
from pymockapi.handlers.access_log import log_request
from pymockapi.handlers.malformed import answer_malformed_properly
from pymockapi.handlers.metrics import LOOP_LAG
from pymockapi.handlers.origins import allowed_origins
from pymockapi.industries import shipped_industries
from pymockapi.inputs import recorder_hosts
from pymockapi.paths import shipped_stories, shipped_templates
from pymockapi.probes import LoopLagProbe
from pymockapi.recording.link import Recorders
from pymockapi.render.environment import TemplateSet
from pymockapi.store import open_store
from pymockapi.story.compiler import compile_story
from pymockapi.story.described import story_from_description
from pymockapi.story.loader import load_stories, story_files
from pymockapi.story.rehearsal import rehearse

log = logging.getLogger("pymockapi.server")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_STATE = Path(".pymockapi/state.sqlite3")
#: A stop's bounds: requests in flight, closing idle connections, and every recorder together (< 10 s).
DRAIN_SECONDS = 5.0
CLOSE_SECONDS = 1.0
RECORDERS_SECONDS = 3.0
#: A connection that sends no complete request head for this long is closed (slowloris), and a body
#: that does not arrive within its own bound.
IDLE_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 30.0
#: How often the server notes in its state file that it is up (a restart's gap marker is this precise).
ALIVE_EVERY_MS = 500
#: A runaway template is stopped after this long; generous, so a busy 2-core box never trips it.
RENDER_LIMIT_MS = 2000.0


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    stories: Path | None = None
    templates: Path | None = None
    state: Path | None = DEFAULT_STATE
    store: str | None = None  # --store: sqlite:PATH, memory or redis://… (None: SQLite at ``state``)
    recorder: str | None = None
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    openapi: Path | None = None  # an API description served as a story of its own (with ``industry``)
    industry: str | None = None
    allow_origins: tuple[str, ...] = ()  # --allow-origin, repeatable
    recorder_hosts: tuple[str, ...] = ()  # --recorder-hosts H,…
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_token(self) -> bool:
        return self.host not in LOOPBACK


def template_dirs(user: Path | None) -> list[Path]:
    """User templates first, so a user can override a shipped one by name."""
    return ([user] if user is not None else []) + [shipped_templates()]


@dataclass(frozen=True)
class Catalog:
    """The compiled, rehearsed stories and the templates they render with: what a server serves.

    Loading and rehearsing every story is the slow part of a start (most of
    a second), and depends only on the story and template folders, so a
    caller that starts many servers (the test suite) can load it once.
    """

    stories: list[CompiledStory]
    templates: TemplateSet


def load_catalog(stories: Path | None = None, templates: Path | None = None, openapi: Path | None = None,
                 industry: str | None = None) -> Catalog:
    """Load and rehearse the stories: a template that fails must fail now, not as a 500 during the demo.

    ``openapi`` with ``industry`` adds that API description as a story of its own.
    """
    template_set = TemplateSet(template_dirs(templates), trusted=[shipped_templates()], max_render_ms=RENDER_LIMIT_MS)
    industries = shipped_industries()
    compiled = load_stories(story_files(stories or shipped_stories()), industries, template_set.exists)
    if openapi is not None:
        described = compile_story(story_from_description(openapi, industry or ""), str(openapi), industries)
        taken = {story.id for story in compiled}
        if described.id in taken:
            raise StoryError(str(openapi), None, f"story id {described.id!r} is already used by a story",
                             "Change the description's title, or import it and rename the story.")
        compiled.append(described)
    for story in compiled:
        problems = rehearse(story, template_set)
        if problems:
            raise problems[0]
    return Catalog(compiled, template_set)


def build_context(settings: Settings, clock: Clock | None = None, catalog: Catalog | None = None) -> AppContext:
    """Wire every collaborator around the catalog (loaded from the settings' folders when not given)."""
    if settings.token is not None and not settings.token.strip():
        raise UsageError("--token is empty.", "Give a token of your own, or leave --token out to get one generated.")
    catalog = catalog or load_catalog(settings.stories, settings.templates, settings.openapi, settings.industry)
    templates, stories = catalog.templates, catalog.stories
    store = open_store(settings.store, settings.state)
    hub = EventHub()
    clock = clock or LoopClock()
    token = settings.token
    if token is None and settings.needs_token:
        token = secrets.token_urlsafe(24)
        print(f"API token (send as 'Authorization: Bearer …'): {token}", flush=True)
    sessions = SessionManager(stories, store, clock, hub, Recorders(settings.recorder, hub.publish))
    sessions.start()
    return AppContext(sessions=sessions, templates=templates, hub=hub, clock=clock,
                      calls=DemoCalls(sessions, templates),
                      token=token if settings.needs_token or settings.token else None,
                      max_body=settings.max_body, allow_origins=allowed_origins(settings.allow_origins),
                      recorder_hosts=recorder_hosts(settings.recorder, settings.recorder_hosts))


class NoDelayHTTPServer(tornado.httpserver.HTTPServer):
    """Tornado's HTTP server with Nagle's algorithm off for good on every connection.

    Why: Tornado turns TCP_NODELAY on at the end of each response and off
    again before the next request -- two system calls a request, 5 % of the
    server's time under load.  A demo API writes each response in one go,
    so there is nothing for Nagle to coalesce: keep it off from the start.
    """

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.in_flight = InFlight()
        self.body_timeout_s = BODY_TIMEOUT_S
        self.idle_timeout_s = IDLE_TIMEOUT_S
        self.conn_params.header_timeout = None  # kept by IdleWatch, one timer per connection

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        """Tornado's, with an accept loop that pauses instead of spinning when descriptors run out."""
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = accept_with_backoff(sock, self._handle_connection)

    def start_request(self, server_conn: object,
                      request_conn: httputil.HTTPConnection) -> httputil.HTTPMessageDelegate:
        watch = getattr(getattr(server_conn, "stream", None), "idle_watch", None)
        return Tracked(super().start_request(server_conn, request_conn), request_conn, self.in_flight,
                       self.body_timeout_s, watch)

    def handle_stream(self, stream: IOStream, address: tuple[str, int]) -> None:
        stream.set_nodelay(True)
        stream.idle_watch = IdleWatch(stream, self.idle_timeout_s)  # type: ignore[attr-defined]
        stream.set_nodelay = _nodelay_kept  # type: ignore[method-assign]
        answer_malformed_properly(stream)  # SPEC's error shape and Connection: close
        super().handle_stream(stream, address)


def _nodelay_kept(value: bool) -> None:
    """Tornado's per-request toggle, ignored: the connection stays in no-delay mode."""


class Server:
    """One listening PyMockAPI: start on the current loop, stop with a bounded drain."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.app: tornado.web.Application = make_app(ctx)
        self.app.settings["log_function"] = log_request  # every logged URL redacted
        self.http: NoDelayHTTPServer | None = None
        self._alive = tornado.ioloop.PeriodicCallback(ctx.sessions.mark_alive, ALIVE_EVERY_MS)

    def listen(self, port: int, host: str = "127.0.0.1") -> int:
        self.http = NoDelayHTTPServer(self.app, max_body_size=max(self.ctx.max_body * 4, 64 << 20),
                                      xheaders=False)
        try:
            sockets = tornado.netutil.bind_sockets(port, host)
        except OSError as exc:
            raise UsageError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.",
                             "Another program (or another PyMockAPI) uses that port: pick another with --port, "
                             "or stop it first.") from None
        self.http.add_sockets(sockets)
        self.ctx.probes.setdefault(LOOP_LAG, LoopLagProbe()).start()
        self.ctx.heap.start()
        self._alive.start()
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop accepting, close WebSockets with 1001, let requests in flight finish, close the store.

        Every step is bounded (requests :data:`DRAIN_SECONDS`, idle
        connections :data:`CLOSE_SECONDS`, recorders :data:`RECORDERS_SECONDS`
        all together), so a stop ends within 10 s whatever clients and
        recording tools do.
        """
        if self.http is not None:
            self.http.stop()
        if LOOP_LAG in self.ctx.probes:
            self.ctx.probes[LOOP_LAG].stop()
        self.ctx.heap.stop()
        for websocket in list(self.ctx.websockets):
            websocket.close(1001, "server shutting down")
        if self.http is not None:
            if not await self.http.in_flight.drained(DRAIN_SECONDS):
                log.warning("%d requests still in flight after %.1f s; closing anyway", self.http.in_flight.count,
                            DRAIN_SECONDS)
            try:
                await asyncio.wait_for(self.http.close_all_connections(), CLOSE_SECONDS)
            except TimeoutError:
                log.warning("connections still open after %.1f s; leaving them", CLOSE_SECONDS)
        await self.ctx.sessions.close_recorders(RECORDERS_SECONDS)
        self._alive.stop()
        self.ctx.sessions.mark_alive()
        self.ctx.sessions.close()
        self.ctx.sessions.store.close()



