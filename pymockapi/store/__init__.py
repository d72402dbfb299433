"""Durable state: sessions and their journals, in SQLite (the default) or Redis."""

from __future__ import annotations

from pathlib import Path

from pymockapi.errors import UsageError
from pymockapi.store.base import Store

SCHEMES = "sqlite:PATH, memory or redis://HOST:PORT/DB"


def open_store(spec: str | None, state: Path | None) -> Store:
    """The store ``--store`` names (``sqlite:PATH``, ``memory``, ``redis://…``), else SQLite at ``state``."""
    from pymockapi.store.sqlite import StateStore

    if spec is None:
        return StateStore(state)
    if spec == "memory":
        return StateStore(None)
    if spec.startswith("sqlite:"):
        path = spec.removeprefix("sqlite:")
        if not path:
            raise UsageError("--store sqlite: needs a path.", "E.g. --store sqlite:.pymockapi/state.sqlite3.")
        return StateStore(Path(path))
    if spec.startswith(("redis://", "rediss://")):
        from pymockapi.store.redis_store import RedisStore

        return RedisStore(spec)
    raise UsageError(f"--store {spec[:80]!r} is not a store PyMockAPI knows.", f"Use {SCHEMES}.")
