"""Story verbs change a world only through WorldView and keep it valid."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

import pytest

from pymockapi.errors import InvalidField
from pymockapi.industries.healthcare import PACK
from pymockapi.industries.healthcare.data import DRUG_BY_NAME
from pymockapi.industries.seeding import GenContext

ANCHOR = date(2025, 3, 15)


class DictWorld:
    """A dict-backed WorldView: ids per owner and type, like the real world numbers them."""

    def __init__(self, records: list[dict[str, Any]], anchor: date) -> None:
        self.anchor = anchor
        self.records = {r["id"]: r for r in records}

    def get(self, ref: str) -> dict[str, Any]:
        return self.records[ref]

    def owned(self, owner_id: str, record_type: str) -> list[dict[str, Any]]:
        return [r for r in self.records.values() if r["type"] == record_type and r.get("patient_id") == owner_id]

    def add(self, record_type: str, owner: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        prefix = next(rt.prefix for rt in PACK.record_types if rt.name == record_type)
        n = 1 + max((int(r["id"].rsplit("-", 1)[1]) for r in self.owned(owner, record_type)), default=0)
        record = {"id": f"{prefix}-{owner.split('-')[1]}-{n:02d}", "type": record_type, "patient_id": owner, **fields}
        self.records[record["id"]] = record
        return record

    def update(self, ref: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        self.records[ref].update(fields)
        return self.records[ref]

    def remove(self, ref: str) -> None:
        del self.records[ref]


def make_world(age: int = 58, sex: str = "female") -> DictWorld:
    ctx = GenContext("verbs", 1, 1, ANCHOR, {"patient": 3, "provider": 3})
    records = PACK.generate(ctx, "patient", 1, {"first_name": "Maria" if sex == "female" else "James",
                                                "last_name": "Alvarez", "age": age, "sex": sex})
    records += [r for i in range(1, 4) for r in PACK.generate(ctx, "provider", i, {})]
    return DictWorld(records, ANCHOR)


def test_observe_adds_coded_flagged_observations_and_a_note() -> None:
    world = make_world()
    added = PACK.verbs["observe"](world, "pat-0001", heart_rate=112, troponin=0.9, temperature=37.0)
    by_code = {r["code"]: r for r in added}
    assert by_code["8867-4"]["interpretation"] == "high" and by_code["8867-4"]["unit"] == "/min"
    assert by_code["10839-9"]["interpretation"] == "high" and by_code["10839-9"]["unit"] == "ng/mL"
    assert by_code["8310-5"]["interpretation"] == "normal"
    enc = world.get(added[0]["encounter_id"])
    assert enc["status"] == "in-progress" and enc["start"].startswith(ANCHOR.isoformat())
    assert "112/min" in enc["note"] and "troponin I of 0.9 ng/mL" in enc["note"]
    again = PACK.verbs["observe"](world, "pat-0001", spo2=91)
    assert again[0]["encounter_id"] == enc["id"] and again[0]["interpretation"] == "low"
    assert PACK.validate(list(world.records.values())) == []


def test_diagnose_and_prescribe_link_records() -> None:
    world = make_world()
    cond = PACK.verbs["diagnose"](world, "pat-0001", "I21.4")
    assert cond["title"] == "Non-ST elevation (NSTEMI) myocardial infarction"
    enc = world.get(cond["encounter_id"])
    assert enc["class"] == "inpatient" and "Non-ST elevation" in enc["note"]
    med = PACK.verbs["prescribe"](world, "pat-0001", "Clopidogrel")
    assert med["condition_id"] == cond["id"] and med["encounter_id"] == enc["id"]
    assert med["provider_id"] == enc["provider_id"] and "clopidogrel 75 mg" in world.get(enc["id"])["note"]
    other = PACK.verbs["prescribe"](world, "pat-0001", "ibuprofen", dose=600, frequency="every 6 hours as needed")
    linked = other["condition_id"]
    assert linked is None or world.get(linked)["code"] in DRUG_BY_NAME["ibuprofen"].treats
    assert other["dose"] == {"value": 600, "unit": "mg"}
    assert PACK.validate(list(world.records.values())) == []


def test_prescribe_without_a_visit_uses_the_primary_provider() -> None:
    world = make_world()
    med = PACK.verbs["prescribe"](world, "pat-0001", "metformin")
    assert med["encounter_id"] is None and med["provider_id"] == world.get("pat-0001")["primary_provider_id"]
    child = make_world(age=6, sex="male")
    assert PACK.verbs["prescribe"](child, "pat-0001", "amoxicillin")["dose"]["value"] == 250


@pytest.mark.parametrize("call,match", [
    (lambda w: PACK.verbs["observe"](w, "pat-0001", pulse=80), "Unknown measurement 'pulse'"),
    (lambda w: PACK.verbs["observe"](w, "pat-0001"), "at least one measurement"),
    (lambda w: PACK.verbs["observe"](w, "pat-0001", heart_rate=900), "not a plausible value"),
    (lambda w: PACK.verbs["observe"](w, "pat-0001", heart_rate="fast"), "not a plausible value"),
    (lambda w: PACK.verbs["observe"](w, "pat-0001", heart_rate=True), "not a plausible value"),
    (lambda w: PACK.verbs["observe"](w, "pat-0001", setting="teleport", heart_rate=80), "Unknown setting"),
    (lambda w: PACK.verbs["observe"](w, "prov-0001", heart_rate=80), "not a patient"),
    (lambda w: PACK.verbs["diagnose"](w, "pat-0001", "I99.99"), "Unknown ICD-10-CM code"),
    (lambda w: PACK.verbs["diagnose"](w, "pat-0001", "N40.0"), "does not fit a female patient aged 58"),
    (lambda w: PACK.verbs["diagnose"](w, "pat-0001", "Z00.129"), "does not fit a female"),
    (lambda w: PACK.verbs["prescribe"](w, "pat-0001", "snake oil"), "Unknown drug"),
    (lambda w: PACK.verbs["prescribe"](w, "pat-0001", "lisinopril", dose=3), "not a dose of lisinopril"),
    (lambda w: PACK.verbs["prescribe"](w, "pat-0001", "lisinopril", frequency="hourly"), "Unknown frequency"),
])
def test_bad_verb_input_is_a_422_with_a_hint(call: Any, match: str) -> None:
    with pytest.raises(InvalidField, match=match) as caught:
        call(make_world())
    assert caught.value.status == 422 and caught.value.hint


def test_adult_only_drugs_are_refused_for_young_children() -> None:
    with pytest.raises(InvalidField, match="children under 12"):
        PACK.verbs["prescribe"](make_world(age=4, sex="female"), "pat-0001", "lisinopril")
