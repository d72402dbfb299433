"""Run a story off-line: for ``check`` (render every endpoint once) and ``export``."""

from __future__ import annotations

from pymockapi.engine.clock import ManualClock
from pymockapi.engine.plan import CompiledStory
from pymockapi.engine.session import Session
from pymockapi.engine.view import WAYPOINT, endpoint_context, render_endpoint, sample_params
from pymockapi.errors import PyMockAPIError, TemplateError
from pymockapi.render.environment import TemplateSet
from pymockapi.store.sqlite import SessionRow, StateStore


def offline_session(compiled: CompiledStory, seed: int, anchor_date: str) -> Session:
    """A session in memory, at the initial waypoint, on a clock that never moves."""
    row = SessionRow(compiled.id, compiled.id, seed, anchor_date, 0)
    return Session.create(compiled, row, ManualClock(), StateStore(None), lambda event: None)


def rehearse(compiled: CompiledStory, templates: TemplateSet, anchor_date: str = "2026-03-12") -> list[PyMockAPIError]:
    """Render every GET endpoint once with real data; return what failed."""
    session = offline_session(compiled, 0, anchor_date)
    problems: list[PyMockAPIError] = []
    try:
        for endpoint in compiled.endpoints:
            if endpoint.api is not None:
                if endpoint.api.reads:
                    try:
                        world = session.world
                        endpoint.api.render(world, endpoint.api.sample_params(world), {}, [])
                    except PyMockAPIError as exc:
                        problems.append(PyMockAPIError(f"{compiled.file}: endpoint {endpoint.key}: {exc.message}",
                                                       exc.hint, code="rehearsal_failed"))
                continue
            try:
                templates.check(endpoint.template)
                templates.reads(endpoint.template, WAYPOINT)  # worked out now, not on the first request
                if endpoint.method.value != "GET":
                    continue
                world = session.world
                context = endpoint_context(world, endpoint, sample_params(world, endpoint), {}, [], session.state)
                render_endpoint(templates, endpoint, context)
            except TemplateError as exc:
                problems.append(TemplateError(f"{compiled.file}: endpoint {endpoint.key}: {exc.message}", exc.hint))
            except PyMockAPIError as exc:
                problems.append(exc)
    finally:
        session.close()
    return problems
