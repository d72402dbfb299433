"""Story verbs change a real world only through its validated path and keep it valid."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pymockapi.errors import InvalidField
from pymockapi.industries.healthcare import PACK
from pymockapi.industries.healthcare.data import DRUG_BY_NAME
from pymockapi.world.actions import StoryWorld
from pymockapi.world.world import World

ANCHOR = date(2025, 3, 15)


def make_world(age: int = 58, sex: str = "female") -> World:
    pins = {"first_name": "Maria" if sex == "female" else "James", "last_name": "Alvarez", "age": age, "sex": sex}
    return World("verbs", 1, 1, ANCHOR, PACK, {"patient": 3, "provider": 3}, {"hero": ("patient", pins)})


def run(world: World, verb: str, ref: str, *args: Any, **kwargs: Any) -> Any:
    """Run a verb the way the server does: through StoryWorld, all of its changes or none."""
    with world.batch():
        return getattr(StoryWorld(world, lambda text, kind, duration_ms: None), verb)(ref, *args, **kwargs)


def everything(world: World) -> list[dict[str, Any]]:
    return [r for rt in PACK.record_types for r in world.records(rt.name)]


def test_observe_adds_coded_flagged_observations_and_a_note() -> None:
    world = make_world()
    assert world.resolve("hero") == "pat-0001"
    added = run(world, "observe", "hero", heart_rate=112, troponin=0.9, temperature=37.0)
    by_code = {r["code"]: r for r in added}
    assert by_code["8867-4"]["interpretation"] == "high" and by_code["8867-4"]["unit"] == "/min"
    assert by_code["10839-9"]["interpretation"] == "high" and by_code["10839-9"]["unit"] == "ng/mL"
    assert by_code["8310-5"]["interpretation"] == "normal"
    assert all(world.get(r["id"]) == r for r in added)
    enc = world.get(added[0]["encounter_id"])
    assert enc["status"] == "in-progress" and enc["start"].startswith(ANCHOR.isoformat())
    assert "112/min" in enc["note"] and "troponin I of 0.9 ng/mL" in enc["note"]
    again = run(world, "observe", "pat-0001", spo2=91)
    assert again[0]["encounter_id"] == enc["id"] and again[0]["interpretation"] == "low"
    assert PACK.validate(everything(world)) == []


def test_diagnose_and_prescribe_link_records() -> None:
    world = make_world()
    cond = run(world, "diagnose", "pat-0001", "I21.4")
    assert cond["title"] == "Non-ST elevation (NSTEMI) myocardial infarction"
    enc = world.get(cond["encounter_id"])
    assert enc["class"] == "inpatient" and "Non-ST elevation" in enc["note"]
    med = run(world, "prescribe", "pat-0001", "Clopidogrel")
    assert med["condition_id"] == cond["id"] and med["encounter_id"] == enc["id"]
    assert med["provider_id"] == enc["provider_id"] and "clopidogrel 75 mg" in world.get(enc["id"])["note"]
    other = run(world, "prescribe", "pat-0001", "ibuprofen", dose=600, frequency="every 6 hours as needed")
    linked = other["condition_id"]
    assert linked is None or world.get(linked)["code"] in DRUG_BY_NAME["ibuprofen"].treats
    assert other["dose"] == {"value": 600, "unit": "mg"}
    assert PACK.validate(everything(world)) == []


def test_prescribe_without_a_visit_uses_the_primary_provider() -> None:
    world = make_world()
    med = run(world, "prescribe", "pat-0001", "metformin")
    assert med["encounter_id"] is None and med["provider_id"] == world.get("pat-0001")["primary_provider_id"]
    assert PACK.validate(everything(world)) == []
    child = make_world(age=6, sex="male")
    assert run(child, "prescribe", "pat-0001", "amoxicillin")["dose"]["value"] == 250
    assert PACK.validate(everything(child)) == []


@pytest.mark.parametrize("call,match", [
    (lambda w: run(w, "observe", "pat-0001", pulse=80), "Unknown measurement 'pulse'"),
    (lambda w: run(w, "observe", "pat-0001"), "at least one measurement"),
    (lambda w: run(w, "observe", "pat-0001", heart_rate=900), "not a plausible value"),
    (lambda w: run(w, "observe", "pat-0001", heart_rate="fast"), "not a plausible value"),
    (lambda w: run(w, "observe", "pat-0001", heart_rate=True), "not a plausible value"),
    (lambda w: run(w, "observe", "pat-0001", setting="teleport", heart_rate=80), "Unknown setting"),
    (lambda w: run(w, "observe", "prov-0001", heart_rate=80), "not a patient"),
    (lambda w: run(w, "diagnose", "pat-0001", "I99.99"), "Unknown ICD-10-CM code"),
    (lambda w: run(w, "diagnose", "pat-0001", "N40.0"), "does not fit a female patient aged 58"),
    (lambda w: run(w, "diagnose", "pat-0001", "Z00.129"), "does not fit a female"),
    (lambda w: run(w, "prescribe", "pat-0001", "snake oil"), "Unknown drug"),
    (lambda w: run(w, "prescribe", "pat-0001", "lisinopril", dose=3), "not a dose of lisinopril"),
    (lambda w: run(w, "prescribe", "pat-0001", "lisinopril", frequency="hourly"), "Unknown frequency"),
])
def test_bad_verb_input_is_a_422_with_a_hint(call: Any, match: str) -> None:
    world = make_world()
    version = world.version
    with pytest.raises(InvalidField, match=match) as caught:
        call(world)
    assert caught.value.status == 422 and caught.value.hint
    assert world.version == version


def test_adult_only_drugs_are_refused_for_young_children() -> None:
    with pytest.raises(InvalidField, match="children under 12"):
        run(make_world(age=4, sex="female"), "prescribe", "pat-0001", "lisinopril")
