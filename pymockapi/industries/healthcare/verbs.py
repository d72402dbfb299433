"""Story verbs: the healthcare vocabulary a waypoint uses to change the world.

``observe(world, "pat-0001", heart_rate=112, troponin=0.9)`` is how a story
says "the lab result arrives": the verb knows the LOINC code, the UCUM unit,
the reference interval for the patient's age and the flag, opens today's
encounter when there is none, and rewrites that encounter's note so every
screen tells the same story.  Bad input is a 422 naming the valid choices.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from pymockapi.errors import InvalidField, closest
from pymockapi.industries.base import Record, WorldView
from pymockapi.industries.common import age_on
from pymockapi.industries.healthcare import clinical
from pymockapi.industries.healthcare.clock import local_iso
from pymockapi.industries.healthcare.data import (
    CONDITION_BY_CODE,
    DRUG_BY_NAME,
    ENCOUNTER_CLASSES,
    OBSERVATION_BY_KEY,
    Drug,
)
from pymockapi.industries.healthcare.generators import medication_fields
from pymockapi.industries.healthcare.kinds import CONDITION, ENCOUNTER, MEDICATION, OBSERVATION, PATIENT
from pymockapi.industries.healthcare.text import capitalised, sig
from pymockapi.industries.seeding import derive_seed

DEFAULT_REASONS = {"ambulatory": "same-day care", "emergency": "acute symptoms", "inpatient": "acute illness"}
VISIT_START = time(8, 0)
VISIT_HOURS = 8
MINUTES_BETWEEN_READINGS = 5


def _choices(what: str, wanted: str, valid: list[str]) -> InvalidField:
    near = closest(wanted, valid)
    return InvalidField(f"Unknown {what} '{wanted}'.", f"Did you mean {', '.join(near)}? Valid: {', '.join(valid)}.",
                        field=what, valid=valid)


def _patient(world: WorldView, ref: str) -> Record:
    record = world.get(ref)
    if record.get("type") != PATIENT.name:
        raise InvalidField(f"'{ref}' is a {record.get('type')}, not a patient.",
                           "Healthcare verbs act on patients (pat-0001 or a hero name).", field="ref")
    return record


def _today(patient: Mapping[str, Any], anchor: date) -> tuple[int, str]:
    return age_on(date.fromisoformat(patient["birth_date"]), anchor), str(patient["sex"])


def _open_encounter(world: WorldView, patient: Record, setting: str | None, reason: str | None) -> Record:
    """Today's in-progress encounter, opened when the patient has none."""
    for enc in world.owned(patient["id"], ENCOUNTER.name):
        if enc.get("status") == "in-progress" and str(enc.get("start", "")).startswith(world.anchor.isoformat()):
            return enc
    setting = setting or "ambulatory"
    if setting not in ENCOUNTER_CLASSES:
        raise _choices("setting", setting, list(ENCOUNTER_CLASSES))
    state = str(patient["address"]["state"])
    start = datetime.combine(world.anchor, VISIT_START)
    return world.add(ENCOUNTER.name, patient["id"], {
        "patient_id": patient["id"], "provider_id": patient["primary_provider_id"], "class": setting,
        "status": "in-progress", "reason": capitalised(reason or DEFAULT_REASONS[setting]),
        "start": local_iso(state, start), "end": local_iso(state, start + timedelta(hours=VISIT_HOURS)),
        "note": ""})


def _rewrite_note(world: WorldView, patient: Record, enc: Record) -> Record:
    """Rewrite the encounter's note from everything now recorded in it."""
    def mine(kind: str) -> list[Record]:
        return [r for r in world.owned(patient["id"], kind) if r.get("encounter_id") == enc["id"]]

    conditions, observations, medications = mine(CONDITION.name), mine(OBSERVATION.name), mine(MEDICATION.name)
    rng = random.Random(derive_seed("note", enc["id"], len(conditions), len(observations), len(medications)))
    note = clinical.encounter_note_for(patient, enc, conditions, observations, medications, rng)
    return world.update(enc["id"], {"note": note})


def observe(world: WorldView, ref: str, *, setting: str | None = None, reason: str | None = None,
            **measurements: Any) -> list[Record]:
    """Record measurements (``heart_rate=112, troponin=0.9``) as coded, flagged observations."""
    valid = list(OBSERVATION_BY_KEY)
    if not measurements:
        raise InvalidField("observe needs at least one measurement.", f"Valid measurements: {', '.join(valid)}.",
                           field="measurements", valid=valid)
    for key, value in measurements.items():
        if key not in OBSERVATION_BY_KEY:
            raise _choices("measurement", key, valid)
        low, high = OBSERVATION_BY_KEY[key].plausible
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise InvalidField(f"{key}={value!r} is not a plausible value.",
                               f"Give a number from {low} to {high} {OBSERVATION_BY_KEY[key].unit}.", field=key)
    patient = _patient(world, ref)
    enc = _open_encounter(world, patient, setting, reason)
    years, sex = _today(patient, world.anchor)
    state = str(patient["address"]["state"])
    start = datetime.fromisoformat(enc["start"]).replace(tzinfo=None)
    end = datetime.fromisoformat(enc["end"]).replace(tzinfo=None)
    taken = len([o for o in world.owned(patient["id"], OBSERVATION.name) if o.get("encounter_id") == enc["id"]])
    at = min(start + timedelta(minutes=MINUTES_BETWEEN_READINGS * (taken + 1)), end)
    added = [world.add(OBSERVATION.name, patient["id"], {
        "patient_id": patient["id"], **clinical.observation_fields(
            OBSERVATION_BY_KEY[key], value, years, sex, enc["id"], local_iso(state, at))})
        for key, value in measurements.items()]
    _rewrite_note(world, patient, enc)
    return added


def diagnose(world: WorldView, ref: str, code: str) -> Record:
    """Add an ICD-10-CM diagnosis to today's encounter."""
    condition = CONDITION_BY_CODE.get(code)
    if condition is None:
        raise _choices("ICD-10-CM code", code, list(CONDITION_BY_CODE))
    patient = _patient(world, ref)
    years, sex = _today(patient, world.anchor)
    if not clinical.eligible(condition, years, sex):
        raise InvalidField(f"{code} ({condition.title}) does not fit a {sex} patient aged {years}.",
                           f"{code} applies to ages {condition.min_age}-{condition.max_age}"
                           + (f", {condition.sex} only." if condition.sex else "."), field="code")
    enc = _open_encounter(world, patient, condition.setting, condition.reason)
    added = world.add(CONDITION.name, patient["id"], {
        "patient_id": patient["id"],
        **clinical.condition_fields(condition, enc["id"], world.anchor, "active", None)})
    _rewrite_note(world, patient, enc)
    return added


def _dose(drug: Drug, years: int, dose: float | None) -> float:
    strengths = drug.strengths if years >= 12 else drug.child_strengths
    if not strengths:
        raise InvalidField(f"{drug.name} is not prescribed to children under 12.",
                           "Choose a drug with a pediatric dose.", field="drug")
    if dose is None:
        return strengths[0]
    if dose not in strengths:
        raise InvalidField(f"{dose} {drug.unit} is not a dose of {drug.name}.",
                           f"Valid doses: {', '.join(str(s) for s in strengths)} {drug.unit}.", field="dose")
    return dose


def prescribe(world: WorldView, ref: str, drug: str, dose: float | None = None,
              frequency: str | None = None) -> Record:
    """Prescribe a generic drug, linked to the condition it treats when the patient has one."""
    known = DRUG_BY_NAME.get(drug.strip().lower())
    if known is None:
        raise _choices("drug", drug, list(DRUG_BY_NAME))
    patient = _patient(world, ref)
    years, _ = _today(patient, world.anchor)
    amount = _dose(known, years, dose)
    schedule = frequency or known.frequencies[0]
    if schedule not in known.frequencies:
        raise _choices("frequency", schedule, list(known.frequencies))
    treated = [c for c in world.owned(patient["id"], CONDITION.name) if c.get("code") in known.treats]
    todays = [e for e in world.owned(patient["id"], ENCOUNTER.name)
              if e.get("status") == "in-progress" and str(e.get("start", "")).startswith(world.anchor.isoformat())]
    enc = todays[-1] if todays else None
    prescriber = str(enc["provider_id"] if enc else patient["primary_provider_id"])
    added = world.add(MEDICATION.name, patient["id"], {
        "patient_id": patient["id"],
        **medication_fields(known.name, amount, known.unit, known.route, schedule, sig(known, amount, schedule),
                            "active", world.anchor, prescriber, enc["id"] if enc else None,
                            treated[-1]["id"] if treated else None)})
    if enc is not None:
        _rewrite_note(world, patient, enc)
    return added


VERBS: dict[str, Callable[..., Any]] = {"observe": observe, "diagnose": diagnose, "prescribe": prescribe}
