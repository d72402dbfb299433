"""The one rule protocol of every industry, and the one driver that runs rules.

Why: ``pymockapi validate`` reads data sets people edited by hand, and the
world checks every change with the same rules, so a rule must never crash on
a record it cannot read: it must say which field is wrong.  Every pack
therefore writes its rules the same way:

* a **rule** is a function ``rule(record, data)`` that yields
  :data:`Problem` pairs ``(field, problem)`` -- nothing when the record is
  fine, one pair per thing it finds wrong;
* a rule reads fields with :func:`need` (and friends); a field that is
  missing or of the wrong type stops the rule with :class:`Unreadable`,
  which the driver reports as a violation of that field;
* any other reading error (a ``KeyError`` on a nested value, a date that
  does not parse...) is reported as well, by the key or by the rule's name;
* a pack's **rule table** maps each record type to its rules, and
  :func:`check_records` runs the shared identity rule then the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pymockapi.industries.records import Record, RecordType

__all__ = ["READ_ERRORS", "Problem", "Record", "RecordSet", "Rule", "RuleTable", "Unreadable", "Violation",
           "check_records", "identity", "need", "need_date", "need_instant", "present", "run_rule"]

Problem = tuple[str, str]
"""``(field, problem)``: the field a rule speaks for and what is wrong with it."""

T = TypeVar("T")
READ_ERRORS = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError)
"""What reading a malformed record raises; the driver turns each into a violation."""


@dataclass
class Violation:
    """A rule a record breaks, by record and field."""

    record_type: str
    record_id: str
    field: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"record_type": self.record_type, "record_id": self.record_id,
                "field": self.field, "problem": self.problem}


class Unreadable(Exception):
    """A rule cannot go on: ``field`` is missing or malformed (reported, never raised past the driver)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field_name
        self.problem = problem


class RecordSet:
    """The records under validation, indexed for rules that follow references.

    A reference can only be checked when records of its target type are in
    the set (a data set of transactions alone says nothing about accounts),
    hence :meth:`has` beside :meth:`target`.
    """

    def __init__(self, records: Iterable[Record], anchor: date | None = None) -> None:
        self.records = list(records)
        self.anchor = anchor
        self.by_id: dict[str, Record] = {}
        self.types: set[str] = set()
        self._groups: dict[tuple[str, str], dict[str, list[Record]]] = {}
        self._derived: dict[Callable[[RecordSet], Any], Any] = {}
        for record in self.records:
            rid, kind = record.get("id"), record.get("type")
            if isinstance(rid, str):
                self.by_id[rid] = record
            if isinstance(kind, str):
                self.types.add(kind)

    def has(self, kind: str) -> bool:
        """Whether records of ``kind`` are in the set (so references to it can be checked)."""
        return kind in self.types

    def target(self, ref: object, kind: str) -> Record | None:
        """The record ``ref`` names when it is present and of ``kind``."""
        found = self.by_id.get(ref) if isinstance(ref, str) else None
        return found if found is not None and found.get("type") == kind else None

    def group(self, kind: str, field_name: str) -> Mapping[str, list[Record]]:
        """Records of ``kind`` by the (text) value of ``field_name``, in the set's order."""
        key = (kind, field_name)
        if key not in self._groups:
            groups: dict[str, list[Record]] = {}
            for record in self.records:
                value = record.get(field_name)
                if record.get("type") == kind and isinstance(value, str):
                    groups.setdefault(value, []).append(record)
            self._groups[key] = groups
        return self._groups[key]

    def derived(self, compute: Callable[[RecordSet], T]) -> T:
        """``compute(self)``, worked out once per set (a pack's whole-set facts, e.g. the anchor window)."""
        if compute not in self._derived:
            self._derived[compute] = compute(self)
        result: T = self._derived[compute]
        return result


Rule = Callable[[Record, RecordSet], Iterator[Problem]]
RuleTable = Mapping[str, Sequence[Rule]]


def need(record: Mapping[str, Any], name: str, kind: type[T] | tuple[type, ...]) -> T:
    """``record[name]`` when it is of ``kind`` (booleans are never numbers), else :class:`Unreadable`."""
    # ``record[name]``, not ``.get``: a record whose storage fails on a field must fail here, where it is reported.
    value = record[name] if name in record else None  # noqa: SIM401
    if value is None:
        raise Unreadable(name, "is missing")
    if isinstance(value, bool) and kind is not bool:
        raise Unreadable(name, f"must be {_kind_name(kind)}, not a boolean")
    if not isinstance(value, kind):
        raise Unreadable(name, f"must be {_kind_name(kind)}, not {type(value).__name__}")
    return value  # type: ignore[return-value]


def need_date(record: Mapping[str, Any], name: str) -> date:
    """An ISO 8601 date field (a date-time's date part is not accepted)."""
    try:
        return date.fromisoformat(need(record, name, str))
    except ValueError:
        raise Unreadable(name, "is not an ISO 8601 date") from None


def need_instant(record: Mapping[str, Any], name: str) -> datetime:
    """An ISO 8601 date-time field with a UTC offset."""
    try:
        moment = datetime.fromisoformat(need(record, name, str))
    except ValueError:
        raise Unreadable(name, "is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise Unreadable(name, "is a date-time without a UTC offset")
    return moment


def present(value: T | None, name: str, problem: str) -> T:
    """``value`` when a table lookup found it, else :class:`Unreadable` for ``name``."""
    if value is None:
        raise Unreadable(name, problem)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {"str": "text", "int": "a whole number", "float": "a number", "dict": "an object", "list": "a list"}
    return " or ".join(names.get(k.__name__, k.__name__) for k in kinds)


def identity(rt: RecordType, types: Mapping[str, RecordType], record: Record) -> Iterator[Problem]:
    """The rule every record of every pack obeys: an id of its type, the owner it names, a persona's name."""
    parsed = rt.parse(record.get("id"))
    if parsed is None:
        yield "id", f"is not a {rt.name} id like {rt.example_id}"
    elif rt.owner_field is not None:
        owner = types.get(rt.owner_type or "")
        if owner is not None and record.get(rt.owner_field) != owner.entity_id(parsed.index):
            yield rt.owner_field, f"is not the {owner.name} the id says owns it"
    if rt.persona:
        name = record.get("display_name")
        if not isinstance(name, str) or not name.strip():
            yield "display_name", "is missing"


def _rule_name(rule: Rule) -> str:
    name = getattr(rule, "__name__", "record")
    return name.removeprefix("check_").strip("_") or "record"


def run_rule(rule: Rule, record: Record, data: RecordSet) -> list[Problem]:
    """What one rule finds in one record; reading errors become problems, never exceptions."""
    found: list[Problem] = []
    try:
        found.extend(rule(record, data))
    except Unreadable as stop:
        found.append((stop.field, stop.problem))
    except READ_ERRORS as exc:
        where = exc.args[0] if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str) else (
            _rule_name(rule))
        found.append((where, f"cannot be read ({type(exc).__name__}: {exc})"))
    return found


def check_records(records: Iterable[Any], record_types: Sequence[RecordType], rules: RuleTable, industry: str,
                  anchor: date | None = None) -> list[Violation]:
    """Every rule the records break, by record and field: the one driver of every pack's rule table.

    Anything that is not a record of the pack (not a dict, an unknown type)
    is reported too, as a violation of ``type``.
    """
    items = list(records)
    data = RecordSet((r for r in items if isinstance(r, dict)), anchor)
    types = {rt.name: rt for rt in record_types}
    found: list[Violation] = []
    for record in items:
        if not isinstance(record, dict):
            found.append(Violation("?", "?", "type", f"is not a record: {record!r:.40}"))
            continue
        kind, rid = record.get("type"), str(record.get("id"))
        rt = types.get(kind) if isinstance(kind, str) else None
        if rt is None:
            found.append(Violation(str(kind), rid, "type", f"is not a {industry} record type"))
            continue
        problems = list(identity(rt, types, record))
        for rule in rules.get(rt.name, ()):
            problems.extend(run_rule(rule, record, data))
        found.extend(Violation(rt.name, rid, name, problem) for name, problem in problems)
    return found
