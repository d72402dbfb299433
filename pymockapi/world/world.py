"""One session's world: generated lazily, changed through one validated path.

Records are generated from (story seed, session seed, entity) the first
time they are asked for and then kept, never regenerated per request.
Every change goes through :meth:`World.apply`, which checks the industry's
rules on the records it touches and refuses (leaving the world as it was)
when a rule would break.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from pymockapi.errors import Conflict, InvalidField, NotFound
from pymockapi.industries.base import IndustryPack, Record, RecordId, RecordType
from pymockapi.industries.seeding import GenContext
from pymockapi.slices import checkpoint
from pymockapi.world.changes import Change, ChangeKind
from pymockapi.world.generated import FamilyCache
from pymockapi.world.memo import RenderMemo
from pymockapi.world.references import ReferenceIndex, mentions

_RESERVED = ("id", "type")


class World:
    """Personas and records of one session, plus the changes made since the seed."""

    def __init__(self, story_id: str, story_seed: int, session_seed: int, anchor: date,
                 pack: IndustryPack, cast: Mapping[str, int], heroes: Mapping[str, tuple[str, Mapping[str, Any]]],
                 families: FamilyCache | None = None) -> None:
        self.pack = pack
        self.families = families if families is not None else FamilyCache(limit=0)
        self.anchor = anchor
        self._types = {rt.name: rt for rt in pack.record_types}
        self._by_prefix = {rt.prefix: rt for rt in pack.record_types}
        counts = {rt.name: rt.default_count for rt in pack.record_types if rt.owner_field is None}
        counts.update(cast)
        self._aliases: dict[str, str] = {}
        self._pins: dict[str, Mapping[str, Any]] = {}
        taken: dict[str, int] = {}
        for alias, (kind, pins) in heroes.items():
            taken[kind] = taken.get(kind, 0) + 1
            entity = self._types[kind].entity_id(taken[kind])
            self._aliases[alias] = entity
            self._pins[entity] = pins
        for kind, n in taken.items():
            counts[kind] = max(counts.get(kind, 0), n)
        self.counts = counts
        self.gen = GenContext(story_id, story_seed, session_seed, anchor, dict(counts))
        self._records: dict[str, dict[str, Record]] = {rt.name: {} for rt in pack.record_types}
        self._owned: dict[str, dict[str, list[str]]] = {}
        self._materialised: set[str] = set()
        self._references = ReferenceIndex()
        self._deleted: set[str] = set()
        self._created: dict[str, int] = {}
        self.touched: set[str] = set()
        self.version = 0
        self.listener: Callable[[list[Record]], None] | None = None
        self.memo = RenderMemo()  # rendered views of this world; a change drops the ones it touches
        self._backups: dict[str, Record | None] | None = None
        self._roots: list[str] = []

    # ----------------------------------------------------------------- reading
    def resolve(self, ref: str) -> str:
        return self._aliases.get(ref, ref)

    def record_type_of(self, record_id: str) -> RecordType | None:
        return self._by_prefix.get(RecordId.prefix_of(record_id))

    def find(self, ref: str) -> Record | None:
        """The record ``ref`` names (an id or a hero alias), or None."""
        rid = self.resolve(ref)
        rt = self.record_type_of(rid)
        if rt is None or rid in self._deleted:
            return None
        if rid not in self._records[rt.name]:
            self._materialise_for(rt, rid)
        return self._records[rt.name].get(rid)

    def get(self, ref: str) -> Record:
        """The record ``ref`` names; 404 with the closest ids when there is none."""
        found = self.find(ref)
        if found is None:
            rid = self.resolve(ref)
            rt = self.record_type_of(rid)
            kind = rt.name if rt else "record"
            pool = self.ids(rt.name) if rt else [i for t in self._types for i in self.ids(t)
                                                  if self._types[t].owner_field is None]
            raise NotFound.of(kind, ref, pool, how_to_list=_list_hint(rt), code="persona_not_found"
                              if rt is None or rt.persona else f"{kind}_not_found")
        return found

    def ids(self, record_type: str) -> list[str]:
        return [r["id"] for r in self.records(record_type)]

    def records(self, record_type: str) -> list[Record]:
        """Every record of a type, materialising what is needed, in id order."""
        rt = self._types[record_type]
        kind = rt if rt.owner_field is None else self._owner_type(rt)
        for index in range(1, self.counts.get(kind.name, 0) + 1):
            self._materialise(kind, index)
            checkpoint()  # between whole families: a body rendered in slices may pause here
        return [self._records[rt.name][k] for k in sorted(self._records[rt.name])]

    def missing_families(self, record_type: str, owner_id: str | None = None) -> list[tuple[RecordType, int]]:
        """The families still to generate before every record of a type (or of one owner) exists."""
        rt = self._types[record_type]
        kind = rt if rt.owner_field is None else self._owner_type(rt)
        if owner_id is not None:
            parsed = RecordId.parse(self.resolve(owner_id))
            indices = [parsed.index] if parsed is not None and not parsed.owned else []
        else:
            indices = list(range(1, self.counts.get(kind.name, 0) + 1))
        return [(kind, i) for i in indices
                if kind.entity_id(i) not in self._materialised and 1 <= i <= self.counts.get(kind.name, 0)]

    def materialise(self, kind: RecordType, index: int) -> None:
        """Generate one family now (callers spread big lists over several loop turns)."""
        self._materialise(kind, index)

    def owned(self, owner_id: str, record_type: str) -> list[Record]:
        """Records of ``record_type`` owned by ``owner_id``."""
        owner = self.get(owner_id)
        ids = self._owned.get(owner["id"], {}).get(record_type, [])
        return [self._records[record_type][i] for i in sorted(ids)]

    def root_of(self, record: Record) -> str:
        """The id of the family ``record`` belongs to: its owner's, or its own for a top-level record."""
        rt = self._types[record["type"]]
        return str(record[rt.owner_field]) if rt.owner_field else str(record["id"])

    def related(self, owner_id: str) -> dict[str, list[Record]]:
        """Everything a persona owns, by record type, in the pack's type order."""
        owner = self.get(owner_id)
        out: dict[str, list[Record]] = {}
        for rt in self.pack.record_types:
            if rt.owner_field is not None and self._owner_type(rt).name == owner["type"]:
                out[rt.name] = self.owned(owner["id"], rt.name)
        return out

    def personas(self, kind: str | None = None) -> list[Record]:
        kinds = [rt for rt in self.pack.record_types if rt.persona and (kind is None or rt.name == kind)]
        if kind is not None and not kinds:
            known = [rt.name for rt in self.pack.record_types if rt.persona]
            raise NotFound(f"No persona type '{kind}'.", f"Persona types here: {', '.join(known)}.",
                           code="persona_type_not_found", wanted=kind, suggestions=known)
        return [r for rt in kinds for r in self.records(rt.name)]

    def materialise_all(self) -> None:
        """Generate every family now (before a change that any record may mention)."""
        for rt in self.pack.record_types:
            self.records(rt.name)

    def snapshot(self) -> dict[str, list[Record]]:
        """The whole world, every type fully materialised, for exports."""
        return {rt.name: self.records(rt.name) for rt in self.pack.record_types}

    # ---------------------------------------------------------------- changing
    def add(self, record_type: str, owner: str | None, fields: Mapping[str, Any]) -> Record:
        return self.apply(Change(ChangeKind.CREATE, record_type, owner=owner, fields=dict(fields)))[0]

    def update(self, ref: str, fields: Mapping[str, Any]) -> Record:
        rt = self.record_type_of(self.resolve(ref))
        return self.apply(Change(ChangeKind.UPDATE, rt.name if rt else "", ref=ref, fields=dict(fields)))[0]

    def remove(self, ref: str) -> None:
        rt = self.record_type_of(self.resolve(ref))
        self.apply(Change(ChangeKind.DELETE, rt.name if rt else "", ref=ref))

    def apply(self, change: Change) -> list[Record]:
        """Make one change, or refuse it and leave the world as it was.

        Returns the changed records (a deleted one as ``{"id", "type",
        "deleted": true}``) and tells the listener about them.
        """
        with self.batch():
            return self._apply_one(change)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes (an industry verb, a waypoint action) into one all-or-nothing step.

        Rules are checked once at the end, on every family the changes
        touched, so a verb may pass through states that break a rule (a
        transaction added before the balance moves); a rule broken at the
        end -- or any failure -- rolls every change of the batch back.
        """
        if self._backups is not None:
            yield
            return
        self._backups = {}
        self._roots = []
        try:
            yield
            self._check_batch()
        except BaseException:
            self._rollback()
            raise
        finally:
            self._backups = None
            self._roots = []

    def _apply_one(self, change: Change) -> list[Record]:
        if change.record_type not in self._types:
            raise InvalidField(f"Unknown record type '{change.record_type}'.",
                               f"Record types: {', '.join(self._types)}.", field="type")
        rt = self._types[change.record_type]
        for key in change.fields:
            if key in _RESERVED:
                raise InvalidField(f"Field '{key}' is set by the server.", "Leave it out of the body.", field=key)
            if rt.owner_field and key == rt.owner_field and change.kind is not ChangeKind.CREATE:
                raise InvalidField(f"Field '{key}' cannot be changed.", "Delete and create the record instead.",
                                   field=key)
        if change.kind is ChangeKind.CREATE:
            record, owner_id = self._new_record(rt, change)
            before = None
        else:
            before = self.get(change.ref or "")
            if before["type"] != rt.name:
                raise InvalidField(f"'{change.ref}' is a {before['type']}, not a {rt.name}.", field="id")
            if rt.owner_field is None or change.kind is ChangeKind.DELETE:
                self.materialise_all()  # others may copy or point at this record: know them all first
            owner_id = before.get(rt.owner_field) if rt.owner_field else None
            updating = change.kind is ChangeKind.UPDATE
            record = {**copy.deepcopy(before), **copy.deepcopy(change.fields)} if updating else before
            owns = any(self._owned.get(before["id"], {}).values())
            if change.kind is ChangeKind.DELETE and rt.owner_field is None and owns:
                raise Conflict(f"{before['id']} still owns records.", "Delete the records it owns first.",
                               record=before["id"])
        assert self._backups is not None
        self._backups.setdefault(record["id"], before)
        root = owner_id or record["id"]
        if root not in self._roots:
            self._roots.append(root)
        changed = self._commit(rt, change.kind, record, owner_id)
        if self.listener is not None:
            self.listener(changed)
        return changed

    def _check_batch(self) -> None:
        """Refuse the batch if it broke a rule the world did not already break."""
        assert self._backups is not None
        for rid, old in self._backups.items():
            if old is not None and self.find(rid) is None:
                users = [r["id"] for r in self._referrers(rid)]
                if users:
                    shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
                    raise Conflict(f"{rid} is still referenced by {shown}.",
                                   "Nothing was changed; delete or change the records that point at it first "
                                   "(in the same batch, any order).", record=rid, referenced_by=users)
        after: dict[str, Record] = {}
        for root in self._roots:
            if self.find(root) is not None:
                for r in self._scope(root):
                    after.setdefault(r["id"], r)
                if self._types[self.get(root)["type"]].owner_field is None and root in self._backups:
                    for r in self._referrers(root):
                        after.setdefault(r["id"], r)
        found = self.pack.validate(list(after.values()))
        if not found:
            return  # the usual case: no need to know what the world broke before
        before = {rid: rec for rid, rec in after.items() if rid not in self._backups}
        before.update({rid: old for rid, old in self._backups.items() if old is not None})
        known = {(v.record_id, v.field, v.problem) for v in self.pack.validate(list(before.values()))}
        broken = [v for v in found if (v.record_id, v.field, v.problem) not in known]
        if broken:
            first = broken[0]
            raise InvalidField(f"{first.record_id}.{first.field}: {first.problem}",
                               "Nothing was changed; fix the fields listed in 'violations'.",
                               field=first.field, violations=[v.as_dict() for v in broken])

    def _rollback(self) -> None:
        assert self._backups is not None
        self.memo.clear()
        for rid, old in reversed(list(self._backups.items())):
            rt = self.record_type_of(rid)
            assert rt is not None
            current = self._records[rt.name].get(rid)
            owner = (old or current or {}).get(rt.owner_field) if rt.owner_field else None
            if old is None:
                if current is not None:
                    del self._records[rt.name][rid]
                    if owner:
                        self._owned[owner][rt.name].remove(rid)
                    else:
                        self._created[rt.name] -= 1
                        self._materialised.discard(rid)
                continue
            if current is None:
                self._deleted.discard(rid)
                if owner:
                    self._owned.setdefault(owner, {}).setdefault(rt.name, []).append(rid)
            self._records[rt.name][rid] = old
            self._references.add(old)

    # ----------------------------------------------------------------- helpers
    def _owner_type(self, rt: RecordType) -> RecordType:
        return self._types[(rt.owner_field or "")[:-3]]

    def _materialise_for(self, rt: RecordType, rid: str) -> None:
        parsed = rt.parse(rid)
        if parsed is not None:
            self._materialise(rt if rt.owner_field is None else self._owner_type(rt), parsed.index)

    def _materialise(self, rt: RecordType, index: int) -> None:
        entity = rt.entity_id(index)
        if entity in self._materialised or not 1 <= index <= self.counts.get(rt.name, 0):
            return
        self._materialised.add(entity)
        family = self.families.family(self.pack.generate, self.gen, rt.name, index, self._pins.get(entity, {}))
        for record, targets in zip(family.records, family.mentions, strict=False):
            rid = record["id"]
            if rid in self._deleted:
                continue
            self._records[record["type"]][rid] = record
            self._references.add(record, targets)
            owner_field = self._types[record["type"]].owner_field
            if owner_field:
                self._owned.setdefault(record[owner_field], {}).setdefault(record["type"], []).append(rid)

    def _new_record(self, rt: RecordType, change: Change) -> tuple[Record, str | None]:
        owner_id = None
        if rt.owner_field is None:
            index = self.counts.get(rt.name, 0) + self._created.get(rt.name, 0) + 1
            rid = rt.entity_id(index)
        else:
            owner_ref = change.owner or change.fields.get(rt.owner_field)
            if not owner_ref:
                raise InvalidField(f"A {rt.name} needs '{rt.owner_field}'.",
                                   f"Send the id of its {self._owner_type(rt).name}.", field=rt.owner_field)
            owner = self.find(str(owner_ref))
            if owner is None or owner["type"] != self._owner_type(rt).name:
                kind = self._owner_type(rt).name
                raise InvalidField(f"{rt.owner_field} '{owner_ref}' is not a known {kind}.",
                                   f"Existing: {', '.join(self.ids(kind)[:5])}...", field=rt.owner_field)
            owner_id = owner["id"]
            owner_index = RecordId.parse(owner_id).index  # type: ignore[union-attr]  # a found record's id
            mine = [rt.parse(i) for i in (*self._owned.get(owner_id, {}).get(rt.name, []), *self._deleted)]
            taken = [p.number or 0 for p in mine if p is not None and p.index == owner_index]
            rid = rt.owned_id(owner_index, max(taken, default=0) + 1)
        record: Record = {"id": rid, "type": rt.name}
        if rt.owner_field:
            record[rt.owner_field] = owner_id
        record.update({k: copy.deepcopy(v) for k, v in change.fields.items() if k != rt.owner_field})
        return record, owner_id

    def _scope(self, root_id: str) -> list[Record]:
        """The records one change can affect: its root's whole family, plus what they reference."""
        root = self.get(root_id)
        family = [root] + [r for records in self.related(root_id).values() for r in records]
        ids = {r["id"] for r in family}
        for record in list(family):
            owner_field = self._types[record["type"]].owner_field
            for key, value in record.items():
                if key.endswith("_id") and key != owner_field and isinstance(value, str) and value not in ids:
                    target = self.find(value)
                    if target is not None:
                        family.append(target)
                        ids.add(value)
        return family

    def _referrers(self, target: str) -> list[Record]:
        """Materialised records that mention ``target`` anywhere (copies of its name, line items...)."""
        found = []
        for rid in self._references.candidates(target):
            rt = self.record_type_of(rid)
            record = self._records[rt.name].get(rid) if rt is not None else None
            if record is not None and mentions(record, target):
                found.append(record)
        return found

    def _commit(self, rt: RecordType, kind: ChangeKind, record: Record, owner_id: str | None) -> list[Record]:
        rid = record["id"]
        self.version += 1
        self.memo.invalidate((("root", owner_id or rid), ("type", rt.name), ("id", rid)))
        self.touched.add(rid)
        if kind is ChangeKind.DELETE:
            del self._records[rt.name][rid]
            self._deleted.add(rid)
            if owner_id:
                self._owned[owner_id][rt.name].remove(rid)
            return [{"id": rid, "type": rt.name, "deleted": True}]
        if kind is ChangeKind.CREATE:
            if owner_id:
                self._owned.setdefault(owner_id, {}).setdefault(rt.name, []).append(rid)
            else:
                self._created[rt.name] = self._created.get(rt.name, 0) + 1
                self._materialised.add(rid)
        self._records[rt.name][rid] = record
        self._references.add(record)
        return [record]


def _list_hint(rt: RecordType | None) -> str:
    if rt is None or rt.persona:
        return "GET /_api/sessions/{id}/personas"
    return f"the {rt.name} endpoints of the story"


def changed_records(old: World, new: World) -> list[Record]:
    """What differs between two worlds of one session (after a rewind), as change records."""
    out: list[Record] = []
    for rid in sorted(old.touched | new.touched):
        rec = new.find(rid)
        rt = new.record_type_of(rid)
        if rec is None:
            out.append({"id": rid, "type": rt.name if rt else "", "deleted": True})
        elif rec != old.find(rid):
            out.append(rec)
    return out

