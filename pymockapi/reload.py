"""``serve --reload``: a saved story, template or API description is served within a second, sessions kept.

The new version is loaded and rehearsed exactly as at start-up
(:func:`pymockapi.server.load_catalog`), off the loop in a thread, so the
demo keeps answering meanwhile; only the swap runs on the loop.  Every
session moves onto its story's new version with its id, seed, anchor
date, API changes and waypoint (see :meth:`Session.rebase`).  A version
that fails to load leaves the previous one serving: the error is printed
as ``check`` prints it and sent to every client of the story concerned.
Files are watched with watchfiles (Rust notify: inotify, FSEvents…).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import watchfiles

from pymockapi.context import AppContext
from pymockapi.errors import PyMockAPIError
from pymockapi.paths import shipped_stories
from pymockapi.server import Catalog, Settings, load_catalog, template_dirs

log = logging.getLogger("pymockapi.reload")

#: How long a burst of saves is gathered into one reload, and how often the watcher looks.
DEBOUNCE_MS = 150
STEP_MS = 30
#: What a story folder, a template folder or an API description holds.
WATCHED_SUFFIXES = (".py", ".j2", ".yaml", ".yml", ".json")


class Reloader:
    """Watches the folders a server was started from and swaps in what changed."""

    def __init__(self, ctx: AppContext, settings: Settings) -> None:
        self.ctx = ctx
        self.settings = settings
        self.reloads = 0  # successful reloads (for tests and logs)

    def watched(self) -> list[Path]:
        folders = [self.settings.stories or shipped_stories(), *template_dirs(self.settings.templates)]
        if self.settings.openapi is not None:
            folders.append(self.settings.openapi.resolve().parent)
        return [f for f in dict.fromkeys(Path(f).resolve() for f in folders) if f.exists()]

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        """Files a reload depends on (editors' swap and backup files are not)."""
        name = Path(path).name
        if name.startswith(".") or name.endswith("~") or "__pycache__" in path:
            return False
        if self.settings.openapi is not None and Path(path).resolve() == self.settings.openapi.resolve():
            return True
        return name.endswith(WATCHED_SUFFIXES)

    async def run(self, stop: asyncio.Event) -> None:
        """Reload after each burst of changes until ``stop`` is set."""
        async for changes in watchfiles.awatch(*self.watched(), watch_filter=self.relevant, debounce=DEBOUNCE_MS,
                                               step=STEP_MS, stop_event=stop, yield_on_timeout=False):
            await self.reload(sorted({path for _, path in changes}))

    async def reload(self, changed: Iterable[str] = ()) -> bool:
        """Load and rehearse everything again off the loop; swap it in, or keep serving the old version."""
        began = time.perf_counter()
        changed = list(changed)
        settings = self.settings
        try:
            catalog = await asyncio.to_thread(load_catalog, settings.stories, settings.templates, settings.openapi,
                                              settings.industry)
        except PyMockAPIError as exc:
            self._failed(exc, changed)
            return False
        self._swap(catalog)
        self.reloads += 1
        log.warning("reloaded %s in %.0f ms", ", ".join(Path(p).name for p in changed) or "the stories",
                    (time.perf_counter() - began) * 1000)
        return True

    def _swap(self, catalog: Catalog) -> None:
        self.ctx.templates = catalog.templates
        self.ctx.calls.templates = catalog.templates
        self.ctx.sessions.replace_stories(catalog.stories)

    def _failed(self, error: PyMockAPIError, changed: list[str]) -> None:
        print(f"error: {error.message}", file=sys.stderr, flush=True)
        if error.hint:
            print(f"hint: {error.hint}", file=sys.stderr, flush=True)
        print("reload failed: the previous version is still serving", file=sys.stderr, flush=True)
        files = {str(Path(p).resolve()) for p in changed} | {str(Path(str(error.details.get("file"))).resolve())}
        stories = [s for s in self.ctx.sessions.stories.values() if str(Path(s.file).resolve()) in files]
        for story in stories or list(self.ctx.sessions.stories.values()):
            for session in self.ctx.sessions.of_story(story.id):
                self.ctx.hub.publish(session.id, {"event": "error", "code": "reload_failed",
                                                  "message": error.message})
