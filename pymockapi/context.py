"""What the HTTP layer is handed: every collaborator, built once at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymockapi.engine.calls import DemoCalls
from pymockapi.engine.clock import Clock
from pymockapi.engine.events import EventHub
from pymockapi.engine.sessions import SessionManager
from pymockapi.heap import HeapKeeper
from pymockapi.render.environment import TemplateSet

DEFAULT_MAX_BODY = 1024 * 1024


@dataclass
class AppContext:
    sessions: SessionManager
    templates: TemplateSet
    hub: EventHub
    clock: Clock
    calls: DemoCalls
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    #: Browser origins (besides the server's own) allowed to use ``/_api`` and the WebSocket.
    allow_origins: frozenset[str] = frozenset()
    #: Hosts a session's own recorder URL may name besides loopback and the ``--recorder`` host.
    recorder_hosts: frozenset[str] = frozenset()
    websockets: set[Any] = field(default_factory=set)
    probes: dict[str, Any] = field(default_factory=dict)
    heap: HeapKeeper = field(default_factory=HeapKeeper)
