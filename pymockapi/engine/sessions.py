"""All sessions of a server: create, find, delete, restore after a restart."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from pymockapi.engine.clock import Clock
from pymockapi.engine.events import EventHub
from pymockapi.engine.plan import CompiledStory
from pymockapi.engine.session import Session
from pymockapi.errors import Conflict, InvalidField, NotFound, PyMockAPIError
from pymockapi.recording.link import Recorders
from pymockapi.store.base import SessionRow, Store

log = logging.getLogger("pymockapi.sessions")
SESSION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class SessionManager:
    """The sessions of every loaded story, each isolated from the others."""

    def __init__(self, stories: list[CompiledStory], store: Store, clock: Clock, hub: EventHub,
                 recorders: Recorders | None = None) -> None:
        self.stories = {s.id: s for s in stories}
        self.store = store
        self.clock = clock
        self.hub = hub
        self.recorders = recorders
        self._sessions: dict[str, Session] = {}
        self._closing: set[asyncio.Future[None]] = set()  # recorder links of deleted sessions, closing

    def start(self) -> None:
        """Restore stored sessions as acknowledged, then make sure every story has its default session.

        A session that cannot be brought back (a damaged row, a snapshot
        that does not read) is skipped with a warning naming it; the others
        are served.
        """
        down_since = self.store.last_alive()
        for row in self.store.load_all():
            compiled = self.stories.get(row.story)
            if compiled is None:
                log.warning("session %s belongs to story %s, which is no longer loaded", row.id, row.story)
                continue
            try:
                session = Session.restore(compiled, row, self.clock, self.store, self._publisher(row.id),
                                          down_since_ms=down_since)
            except Exception as exc:  # one damaged session must not keep the others from being served
                log.warning("session %r could not be restored and is skipped: %s: %s", row.id,
                            type(exc).__name__, exc)
                self.store.skipped.append(row.id)
                continue
            self._attach(session, row.recorder)
        self.mark_alive()
        for story_id in self.stories:
            if story_id not in self._sessions:
                self.create(story_id, session_id=story_id)

    def replace_stories(self, stories: list[CompiledStory]) -> list[str]:
        """Serve new versions of the stories (a reload): every session moves onto its story's new version.

        A story that is no longer loaded keeps its old version for the
        sessions it has; a new story gets its default session.  Returns the
        ids of the stories whose sessions moved.
        """
        moved = []
        for compiled in stories:
            self.stories[compiled.id] = compiled
            for session in [s for s in self._sessions.values() if s.compiled.id == compiled.id]:
                session.rebase(compiled)
            moved.append(compiled.id)
            if compiled.id not in self._sessions:
                self.create(compiled.id, session_id=compiled.id)
        return moved

    def of_story(self, story_id: str) -> list[Session]:
        return [s for s in self._sessions.values() if s.compiled.id == story_id]

    def mark_alive(self) -> None:
        """Note that the server is up now (a restart measures its downtime from the last note), and write
        the request journals' new entries in the same beat."""
        try:
            with self.store.transaction():
                self.store.mark_alive(self.clock.wall_ms())
                for session in self._sessions.values():
                    session.flush_requests()
        except PyMockAPIError as exc:  # a full disk: the demo goes on, the next beat may succeed
            log.warning("could not note that the server is up: %s", exc.message)

    def find(self, session_id: str) -> Session | None:
        """The session, or None (for callers that must not raise: logging, journals)."""
        return self._sessions.get(session_id)

    def story(self, story_id: str) -> CompiledStory:
        try:
            return self.stories[story_id]
        except KeyError:
            raise NotFound.of("story", story_id, self.stories, how_to_list="GET /_api/stories",
                              code="story_not_found") from None

    def create(self, story_id: str, session_id: str | None = None, seed: int = 0,
               anchor_date: str | None = None, recorder: str | None = None) -> Session:
        """A new session; ``recorder`` (a recorder URL) replaces the server's ``--recorder`` for it."""
        compiled = self.story(story_id)
        if recorder is not None:
            Recorders.check(recorder)
        if session_id is None:
            session_id = f"{story_id}-{secrets.token_hex(3)}"
        if not SESSION_ID.match(session_id):
            raise InvalidField(f"Session id {session_id!r} is not valid.",
                               "Use lower-case letters, digits and dashes (at most 63).", field="id")
        if session_id in self._sessions:
            raise Conflict(f"Session '{session_id}' already exists.",
                           "Pick another id, or DELETE the existing session first.", code="session_exists")
        anchor = self.clock.today()
        if anchor_date is not None:
            try:
                anchor = date.fromisoformat(anchor_date)
            except (TypeError, ValueError):
                raise InvalidField(f"anchor_date {anchor_date!r} is not a date.",
                                   "Use ISO 8601, e.g. \"2026-03-12\".", field="anchor_date") from None
        row = SessionRow(session_id, story_id, seed, anchor.isoformat(), self.clock.wall_ms(), recorder=recorder)
        session = Session.create(compiled, row, self.clock, self.store, self._publisher(session_id))
        self._attach(session, recorder)
        return session

    def get(self, session_id: str) -> Session:
        try:
            return self._sessions[session_id]
        except KeyError:
            raise NotFound.of("session", session_id, self._sessions, how_to_list="GET /_api/sessions",
                              code="session_not_found") from None

    def all(self) -> list[Session]:
        return list(self._sessions.values())

    def delete(self, session_id: str) -> None:
        session = self.get(session_id)
        self.store.delete_session(session_id)  # stored first: a delete that cannot be kept changes nothing
        self.hub.publish(session_id, {"event": "error", "code": "session_deleted",
                                      "message": f"Session '{session_id}' was deleted."})
        if session.recorder_link is not None:
            closing = asyncio.ensure_future(session.recorder_link.aclose())
            self._closing.add(closing)  # kept until done: the loop holds tasks only weakly
            closing.add_done_callback(self._closing.discard)
        session.close()
        del self._sessions[session_id]

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    async def close_recorders(self, timeout_s: float) -> None:
        """Drain every recorder link, all at once, within ``timeout_s`` together (a hung tool is left)."""
        links = [s.recorder_link for s in self._sessions.values() if s.recorder_link is not None]
        if not links:
            return
        closing = asyncio.gather(*(link.aclose(timeout_s) for link in links), return_exceptions=True)
        try:
            await asyncio.wait_for(closing, timeout_s + 0.5)
        except TimeoutError:
            log.warning("recorders still closing after %.1f s; leaving them", timeout_s)

    def _attach(self, session: Session, recorder_url: str | None = None) -> None:
        if self.recorders is not None:
            session.recorder_link = self.recorders.link_for(session.id, recorder_url)
        self._sessions[session.id] = session

    def _publisher(self, session_id: str) -> Callable[[dict[str, Any]], None]:
        return lambda event: self.hub.publish(session_id, event)
