"""Faults on cue: the next calls of one endpoint wait, fail, or both -- to show a product's error handling.

A fault names a story endpoint as the story declares it (``"POST
/accounts/{account_id}/payments"``), a status to answer with (in that
API's own error shape), a latency to wait first, and how many calls it
lasts (``times``; 0 = until deleted).  Faults come from the configuration
API or from a waypoint's action (``world.fail(...)``) and are kept with the
session, so a restart does not forget one that has not fired yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pymockapi.errors import InvalidField, NotFound, PyMockAPIError

MAX_LATENCY_MS = 60_000
MAX_TIMES = 10_000
MAX_FAULTS = 100
FIELDS = ("endpoint", "status", "latency_ms", "times")


@dataclass
class Fault:
    id: str
    endpoint: str
    status: int | None
    latency_ms: int
    times: int  # 0: until deleted
    used: int = 0
    source: str = "api"

    @property
    def spent(self) -> bool:
        return bool(self.times) and self.used >= self.times

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "endpoint": self.endpoint, "status": self.status, "latency_ms": self.latency_ms,
                "times": self.times, "remaining": self.times - self.used if self.times else None,
                "source": self.source}

    def stored(self) -> dict[str, Any]:
        return {**self.as_dict(), "used": self.used}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fault:
        """The inverse of :meth:`stored`."""
        return cls(str(data["id"]), str(data["endpoint"]), data.get("status"), int(data.get("latency_ms") or 0),
                   int(data.get("times", 1)), int(data.get("used", 0)), str(data.get("source", "api")))

    def refusal(self, session_id: str) -> PyMockAPIError:
        """The error this fault answers with (in SPEC's shape, or the API's own)."""
        assert self.status is not None
        return PyMockAPIError(f"{self.endpoint} answers {self.status} on cue (fault {self.id}).",
                              f"Delete the fault to stop it: DELETE /_api/sessions/{session_id}/faults/{self.id}.",
                              code="injected_fault", status=self.status)


def _whole(body: Mapping[str, Any], name: str, low: int, high: int, default: int | None) -> int | None:
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidField(f"'{name}' must be a whole number from {low} to {high}.",
                           f"Send '{name}' as an integer between {low} and {high}.", field=name)
    return value


def parse_fault(body: Mapping[str, Any], endpoints: Iterable[str], fault_id: str, source: str = "api") -> Fault:
    """A fault from an API body (or a story's ``world.fail``); 422 naming the first wrong field."""
    unknown = [key for key in body if key not in FIELDS]
    if unknown:
        raise InvalidField(f"Unknown field '{unknown[0]}'.", f"A fault takes: {', '.join(FIELDS)}.", field=unknown[0])
    keys = list(endpoints)
    named = body.get("endpoint")
    if not isinstance(named, str) or not named.strip():
        raise InvalidField("A fault needs 'endpoint', as \"METHOD /path\" of one of the story's endpoints.",
                           f"Endpoints: {', '.join(keys[:12])}.", field="endpoint")
    method, _, path = named.strip().partition(" ")
    key = f"{method.upper()} {path.strip()}"
    if key not in keys:
        raise NotFound.of("endpoint", key, keys, how_to_list="GET /_api/stories/{story}", code="endpoint_not_found")
    status = _whole(body, "status", 400, 599, None)
    latency = _whole(body, "latency_ms", 0, MAX_LATENCY_MS, 0) or 0
    if status is None and not latency:
        raise InvalidField("A fault needs a 'status' to answer with, a 'latency_ms' to wait, or both.",
                           'E.g. {"endpoint": "POST /payments", "status": 503} or add "latency_ms": 800.',
                           field="status")
    times = _whole(body, "times", 0, MAX_TIMES, 1)
    assert times is not None
    return Fault(fault_id, key, status, latency, times, 0, source)


class FaultBook:
    """A session's faults, in the order they were added; the first live one of an endpoint fires."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._faults = [f for f in faults if not f.spent]
        self._next = 1 + max((int(f.id.rsplit("-", 1)[-1]) for f in self._faults
                              if f.id.rsplit("-", 1)[-1].isdigit()), default=0)

    def __bool__(self) -> bool:
        return bool(self._faults)

    def new_id(self) -> str:
        fault_id = f"fault-{self._next}"
        self._next += 1
        return fault_id

    def add(self, fault: Fault) -> None:
        if len(self._faults) >= MAX_FAULTS:
            raise InvalidField(f"This session already has {MAX_FAULTS} faults.", "Delete some first.",
                               field="endpoint")
        self._faults.append(fault)

    def all(self) -> list[Fault]:
        return list(self._faults)

    def get(self, fault_id: str) -> Fault:
        for fault in self._faults:
            if fault.id == fault_id:
                return fault
        raise NotFound.of("fault", fault_id, [f.id for f in self._faults],
                          how_to_list="GET /_api/sessions/{id}/faults", code="fault_not_found")

    def remove(self, fault_id: str) -> Fault:
        fault = self.get(fault_id)
        self._faults.remove(fault)
        return fault

    def first(self, endpoint: str) -> Fault | None:
        """The fault that fires for the next call of ``endpoint``, if any (nothing is counted yet)."""
        return next((fault for fault in self._faults if fault.endpoint == endpoint), None)

    def use(self, fault: Fault) -> None:
        """Count one call against ``fault``; a spent one is gone."""
        fault.used += 1
        if fault.spent:
            self._faults.remove(fault)
