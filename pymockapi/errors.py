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
    """SPEC's error shape: ``{"error": {"code", "message", "hint", ...}}``, always encodable.

    An error may quote what the request sent (an unknown name with a lone
    surrogate in it); such text is made valid UTF-8 here, so the answer is a
    proper JSON body and never an empty one.
    """
    return {"error": _encodable(error.as_dict())}


def _encodable(value: Any) -> Any:
    if isinstance(value, str):
        return value if _SURROGATE.search(value) is None else value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encodable(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
#: Longest part of a request quoted back in an error message.
MAX_QUOTED = 256
#: Most candidates a "did you mean" compares; beyond it only the nearest in length are looked at.
MAX_CANDIDATES = 200
#: Work budget of one "did you mean": the sum over compared candidates of len(wanted) * len(candidate).
COMPARE_BUDGET = 400_000


def _unpadded(text: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group())), text)


def closest(wanted: str, existing: Iterable[str], n: int = 3) -> list[str]:
    """The existing names nearest to ``wanted``, for "did you mean" hints.

    Numbers are compared without their padding, so "pat-001" finds "pat-0001".
    The cost is bounded whatever is asked for (SPEC: no input stalls the
    loop): a name longer than any id gets no comparison at all, only
    candidates of similar length are compared, the nearest in length first,
    at most :data:`MAX_CANDIDATES` of them and within :data:`COMPARE_BUDGET`.
    """
    pool = list(existing)
    if len(wanted) > MAX_QUOTED or not wanted:
        return pool[:n]
    # a ratio of 0.5 needs the lengths within a factor of 3 of each other: nothing else can match
    near = sorted((c for c in pool if len(wanted) <= 3 * len(c) and len(c) <= 3 * len(wanted) + 6),
                  key=lambda c: abs(len(c) - len(wanted)))
    plain = _unpadded(wanted)
    exact = difflib.SequenceMatcher(None, autojunk=False)
    exact.set_seq2(wanted)
    loose = difflib.SequenceMatcher(None, autojunk=False)
    loose.set_seq2(plain)
    order = {c: i for i, c in enumerate(pool)}
    ranked: list[tuple[float, int, str]] = []
    spent = 0
    for candidate in near[:MAX_CANDIDATES]:
        spent += len(candidate) * len(wanted)
        if spent > COMPARE_BUDGET:
            break
        exact.set_seq1(candidate)
        loose.set_seq1(_unpadded(candidate))
        score = max(exact.ratio() if exact.quick_ratio() >= 0.5 else 0.0,
                    loose.ratio() if loose.quick_ratio() >= 0.5 else 0.0)
        ranked.append((score, order[candidate], candidate))
    ranked.sort(key=lambda t: (-t[0], t[1]))
    found = [c for s, _, c in ranked[:n] if s >= 0.5]
    return found or pool[:n]


def quoted(text: str) -> str:
    """``text`` as an error may quote it: at most :data:`MAX_QUOTED` characters."""
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + f"… ({len(text):,} characters)"


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
        shown = quoted(wanted)
        return cls(f"No {what} named '{shown}'.", hint, code=code or f"{what.replace(' ', '_')}_not_found",
                   wanted=shown, suggestions=near)


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


class NotStored(PyMockAPIError):
    """A change the state file could not keep (disk full, file gone): nothing of it stays."""

    status = 503
    code = "not_stored"


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
