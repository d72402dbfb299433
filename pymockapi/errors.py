"""The one error tree of PyMockAPI.

Every error a user can cause is a :class:`PyMockAPIError` carrying a stable
``code``, a ``message`` and a ``hint`` saying what to do instead.  The HTTP
layer turns it into SPEC's error body in exactly one place
(:func:`error_body`); the command line prints the same fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any


class PyMockAPIError(Exception):
    """Root of every error a user can meet."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, hint: str = "", *, code: str | None = None,
                 status: int | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "hint": self.hint}
        body.update(self.details)
        return body


def error_body(error: PyMockAPIError) -> dict[str, Any]:
    """SPEC's error shape: ``{"error": {"code", "message", "hint", ...}}``."""
    return {"error": error.as_dict()}


def _unpadded(text: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group())), text)


def closest(wanted: str, existing: Iterable[str], n: int = 3) -> list[str]:
    """The existing names nearest to ``wanted``, for "did you mean" hints.

    Numbers are compared without their padding, so "pat-001" finds "pat-0001".
    """
    pool = list(existing)
    plain = _unpadded(wanted)

    def score(candidate: str) -> float:
        return max(difflib.SequenceMatcher(None, wanted, candidate).ratio(),
                   difflib.SequenceMatcher(None, plain, _unpadded(candidate)).ratio())

    ranked = sorted(((score(c), i, c) for i, c in enumerate(pool)), key=lambda t: (-t[0], t[1]))
    found = [c for s, _, c in ranked[:n] if s >= 0.5]
    return found or pool[:n]


class BadRequest(PyMockAPIError):
    status = 400
    code = "bad_request"


class InvalidJSON(BadRequest):
    code = "invalid_json"


class InvalidField(PyMockAPIError):
    """Valid JSON whose fields are wrong (422)."""

    status = 422
    code = "invalid_field"


class NotFound(PyMockAPIError):
    status = 404
    code = "not_found"

    @classmethod
    def of(cls, what: str, wanted: str, existing: Iterable[str], how_to_list: str = "",
           code: str | None = None) -> NotFound:
        pool = sorted(existing)
        near = closest(wanted, pool)
        hint = f"Did you mean {', '.join(near)}?" if near else f"No {what} exists yet."
        if how_to_list:
            hint += f" List them with {how_to_list}."
        return cls(f"No {what} named '{wanted}'.", hint, code=code or f"{what.replace(' ', '_')}_not_found",
                   wanted=wanted, suggestions=near)


class Conflict(PyMockAPIError):
    status = 409
    code = "conflict"


class PayloadTooLarge(PyMockAPIError):
    status = 413
    code = "payload_too_large"


class NotAcceptable(PyMockAPIError):
    status = 406
    code = "not_acceptable"


class Unauthorized(PyMockAPIError):
    status = 401
    code = "unauthorized"


class UsageError(PyMockAPIError):
    """A command-line mistake: the command prints ``error:`` and ``hint:`` and exits 2."""

    code = "usage"
    exit_code = 2


class StoryError(PyMockAPIError):
    """A story that cannot be loaded: names the file, the waypoint and the problem."""

    status = 422
    code = "story_invalid"

    def __init__(self, file: str, waypoint: str | None, problem: str, hint: str = "") -> None:
        where = f"{file}: {waypoint}: " if waypoint else f"{file}: "
        super().__init__(where + problem, hint, file=file, waypoint=waypoint)
        self.file = file
        self.waypoint = waypoint
        self.problem = problem


class TemplateError(PyMockAPIError):
    """A template that fails to compile or render: names the template and line."""

    status = 500
    code = "template_error"


class UnknownIndustry(PyMockAPIError):
    code = "unknown_industry"
    status = 422

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"Unknown industry '{name}'.", f"Known industries: {', '.join(known)}.",
                         known=known)
        self.name = name
        self.known = known
