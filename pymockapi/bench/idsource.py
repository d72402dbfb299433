"""Where a real record id for a parameter is found: in the bodies of the description's own GETs.

A front-end learns ids from what it showed before: the employee list gives
the ``EmployeeID`` of the employee page, an order's ``AmazonOrderId`` its
order-items page.  The bench does the same.  In every body it looks for
values a parameter could take and ranks each property by how surely it
names that record:

0. the parameter's own name in any case style (``EmployeeID`` for
   ``{EmployeeID}``), or the noun plus ``id`` (``benefitId`` for
   ``/Benefits/{id}``);
1. a longer name ending in it (``AmazonOrderId`` for ``{orderId}``);
2. a bare ``id`` of a list item (or of the top object) in a body of a path
   that names the noun (``id`` of ``/pet/findByStatus`` for ``{petId}``);
3. any ``…id`` of a list item when the path ends in the noun's plural
   (``payrollCalendarID`` of ``/PayRunCalendars`` for ``{PayRunCalendarID}``).

Which property wins is then tried against the server (see
:mod:`pymockapi.bench.apilearn`); the ranking only says what to try first.
Every walk is bounded in depth and in nodes, so a huge body costs little.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pymockapi.bench.apidoc import PARAM, IdParam, norm
from pymockapi.render.words import singular

#: How deep into a body, and over how many objects, the search goes.
MAX_DEPTH = 6
MAX_NODES = 5000
#: Longer strings are not ids (descriptions, documents).
MAX_ID_CHARS = 200
#: Ids kept per parameter and property.
MAX_IDS = 200


@dataclass(frozen=True, order=True)
class Source:
    """An operation whose bodies show a parameter's ids, and the property that holds them."""

    rank: int
    op: str  # the operation key ("GET /Employees")
    field: str  # the property, as the body spells it

    def label(self) -> str:
        return f"{self.op} .{self.field}"


@dataclass(frozen=True)
class PathWords:
    """The literal words of a path, normalised, each with its singular; and the singular of the last one."""

    words: frozenset[str]
    last: str

    @classmethod
    def of(cls, path: str) -> PathWords:
        literal = [norm(s) for s in path.split("/") if s and not PARAM.fullmatch(s)]
        singulars = [norm(singular(w) or w) for w in literal]
        return cls(frozenset(literal) | frozenset(singulars), singulars[-1] if singulars else "")


def rank_of(field: str, param: IdParam, path: PathWords, item: bool) -> int | None:
    """How surely ``field`` holds ``param``'s ids (lower is surer), or None when it does not."""
    key, own = norm(field), norm(param.name)
    nouned = param.noun + "id"
    if (key == own and key not in ("id", "ids")) or key in (nouned, nouned + "s"):
        return 0
    if own.endswith("id") and len(own) >= 4 and (key.endswith(own) or key.endswith(nouned)):
        return 1
    if key == "id" and item and any(w == param.noun or w.startswith(param.noun) for w in path.words):
        return 2
    if key.endswith("id") and item and path.last == param.noun:
        return 3
    return None


def _objects(body: Any) -> Iterator[tuple[Mapping[str, Any], bool]]:
    """Every object of ``body`` (breadth first, bounded), with whether it is a list item or the top."""
    queue: list[tuple[Any, int, bool]] = [(body, 0, True)]
    seen = 0
    while queue and seen < MAX_NODES:
        node, depth, item = queue.pop(0)
        seen += 1
        if isinstance(node, Mapping):
            yield node, item
            if depth < MAX_DEPTH:
                queue.extend((v, depth + 1, False) for v in node.values() if isinstance(v, (Mapping, list)))
        elif isinstance(node, list) and depth < MAX_DEPTH:
            queue.extend((v, depth + 1, True) for v in node if isinstance(v, (Mapping, list)))


def _id_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip() and len(value) <= MAX_ID_CHARS:
        return value
    return None


def harvest(body: Any, op_key: str, op_path: str, wanted: Iterable[IdParam]) -> dict[str, dict[Source, list[str]]]:
    """``identity -> source -> ids`` for every wanted parameter some property of ``body`` may fill."""
    params = list(wanted)
    words = PathWords.of(op_path)
    found: dict[str, dict[Source, list[str]]] = {}
    for obj, item in _objects(body):
        for field, value in obj.items():
            values = value if isinstance(value, list) and not any(isinstance(v, (Mapping, list)) for v in value) \
                else [value]
            texts = [t for t in (_id_text(v) for v in values) if t is not None]
            if not texts:
                continue
            for param in params:
                rank = rank_of(str(field), param, words, item)
                if rank is None:
                    continue
                ids = found.setdefault(param.identity, {}).setdefault(Source(rank, op_key, str(field)), [])
                ids.extend(t for t in texts if t not in ids and len(ids) < MAX_IDS)
    return found
