"""Which records mention which: the index behind the referrer checks.

Why: a change to a top-level record (a product's stock, a customer's
name) must be checked against every record that copies from it (carts,
reviews, statements), and a deleted record must not leave others
pointing at it (a card at its closed account).  Scanning the whole world
for them cost a restock or a market move 10-15 ms, most of a timed
waypoint; the index answers in microseconds.  Entries are only ever added: a record that
stopped mentioning a target is filtered out by :func:`mentions` on the
current record, so the index may hold more than the truth, never less.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymockapi.industries.records import Record, is_record_id


def mentions(value: Any, target: str) -> bool:
    """Whether ``target`` appears anywhere in ``value`` (a record, a list, a string)."""
    if isinstance(value, str):
        return value == target
    if isinstance(value, dict):
        return any(mentions(v, target) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, target) for v in value)
    return False


def mentioned_ids(record: Record) -> frozenset[str]:
    """Every record id ``record`` mentions, its own id excepted."""
    found: set[str] = set()
    _collect(record, found)
    found.discard(record["id"])
    return frozenset(found)


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        if is_record_id(value):
            found.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)


class ReferenceIndex:
    """Record id -> ids of the records that mention (or once mentioned) it."""

    def __init__(self) -> None:
        self._by_target: dict[str, set[str]] = {}

    def add(self, record: Record, targets: Iterable[str] | None = None) -> None:
        """Index ``record`` (``targets``: its mentions when already known)."""
        rid = record["id"]
        for target in mentioned_ids(record) if targets is None else targets:
            self._by_target.setdefault(target, set()).add(rid)

    def candidates(self, target: str) -> list[str]:
        """Ids that may mention ``target``, sorted so checks report in a stable order."""
        return sorted(self._by_target.get(target, ()))
