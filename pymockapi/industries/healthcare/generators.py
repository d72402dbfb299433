"""Patients with their clinical history, and the providers who treat them.

``generate`` is a pure function of (context, kind, index, pins): every
random draw comes from a stream named after the entity and the purpose, so
a patient is identical whichever order the world asks for it.  A history is
built oldest encounter first so that each diagnosis fits the age the patient
had on that day.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from stdnum import luhn

from pymockapi.industries.base import Generator
from pymockapi.industries.calendars import Calendar, Place, localize, roll, time_in_hours
from pymockapi.industries.common import age_on, organisation_name, person, ssn_like
from pymockapi.industries.healthcare import clinical
from pymockapi.industries.healthcare.clock import local_iso
from pymockapi.industries.healthcare.data import (
    APPOINTMENT_DURATIONS,
    BODY_SIZE,
    CONDITION_BY_CODE,
    DRUGS_FOR,
    NPI_PREFIX,
    OBSERVATION_BY_KEY,
    ORG_SUFFIXES,
    PAYERS,
    SPECIALTIES,
    SPECIALTY_BY_CODE,
    VITALS,
    Condition,
    ObservationKind,
)
from pymockapi.industries.healthcare.kinds import (
    APPOINTMENT,
    CONDITION,
    ENCOUNTER,
    MEDICATION,
    OBSERVATION,
    PATIENT,
    PROVIDER,
)
from pymockapi.industries.healthcare.physiology import bmi_of, draw_value, height_cm, reference_band
from pymockapi.industries.healthcare.text import appointment_reason, capitalised, sig
from pymockapi.industries.records import RecordType
from pymockapi.industries.seeding import GenContext

Record = dict[str, Any]
PERSON_PINS = ("first_name", "last_name", "age", "sex")
HISTORY_DAYS = 3 * 365
CHRONIC_COUNTS = ((18, (0, 0, 1)), (40, (0, 1, 1)), (65, (1, 1, 2)), (200, (1, 2, 3)))
"""How many long-term problems a patient carries, by age under the bound."""
EFFECT_PROBABILITY = 0.85
PRESCRIBE_PROBABILITY = {True: 0.85, False: 0.6}
ENCOUNTER_MINUTES = {"ambulatory": (15, 60), "emergency": (90, 480), "inpatient": (1440, 7200)}


def _person_pins(gen: GenContext, pins: Mapping[str, Any]) -> dict[str, Any]:
    """Pins ``person`` understands; a pinned birth date becomes the age it implies."""
    chosen = {k: pins[k] for k in PERSON_PINS if k in pins}
    if "birth_date" in pins and "age" not in pins:
        chosen["age"] = age_on(date.fromisoformat(str(pins["birth_date"])), gen.anchor)
    return chosen


def _apply_pins(record: Record, pins: Mapping[str, Any]) -> Record:
    """Pinned top-level values win over generated ones (ids and types excepted)."""
    for key, value in pins.items():
        if key not in ("id", "type", "age"):
            record[key] = value
    return record


def npi_for(rng: random.Random) -> str:
    """A 10-digit NPI: first digit 1 or 2, Luhn check digit over 80840 + the first nine."""
    body = str(rng.randint(1, 2)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return body + luhn.calc_check_digit(NPI_PREFIX + body)


def provider(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    """A clinician: name, credentials, NPI and NUCC specialty, and the practice they work for."""
    who = person(gen, PROVIDER.name, index, _person_pins(gen, pins), 28, 70)
    rng = gen.rng("provider", index)
    pool = [s for s in SPECIALTIES if pins.get("credentials", s.credentials[0]) in s.credentials]
    specialty = SPECIALTY_BY_CODE.get(str(pins.get("taxonomy_code")), None) or rng.choice(pool or SPECIALTIES)
    credentials = specialty.credentials[0] if rng.random() < 0.75 else specialty.credentials[-1]
    credentials = str(pins.get("credentials", credentials))
    record: Record = {
        "id": PROVIDER.entity_id(index),
        "type": PROVIDER.name,
        "display_name": f"{who['display_name']}, {credentials}",
        **{k: v for k, v in who.items() if k != "display_name"},
        "credentials": credentials,
        "npi": npi_for(rng),
        "taxonomy_code": specialty.code,
        "specialty": specialty.name,
        "organisation": organisation_name(gen, specialty.org_stems, ORG_SUFFIXES, PROVIDER.name, index),
    }
    return [_apply_pins(record, pins)]


def patient(gen: GenContext, index: int, pins: Mapping[str, Any]) -> list[Record]:
    """A patient with demographics, coverage and a clinical history around the anchor date."""
    who = person(gen, PATIENT.name, index, _person_pins(gen, pins), 0, 95)
    rng = gen.rng("patient", index)
    plans = [p for p in PAYERS if p.min_age <= who["age"] <= p.max_age]
    payer = rng.choice(plans)
    record: Record = {
        "id": PATIENT.entity_id(index),
        "type": PATIENT.name,
        "display_name": who["display_name"],
        **{k: v for k, v in who.items() if k != "display_name"},
        "mrn": f"MRN-{rng.randint(10_000_000, 99_999_999)}",
        "ssn_like": ssn_like(gen, PATIENT.name, index),
        "payer": payer.name,
        "member_id": f"{payer.prefix}{rng.randint(100_000_000, 999_999_999)}",
        "primary_provider_id": PROVIDER.entity_id(gen.pick_index(PROVIDER.name, "primary", index)),
    }
    _apply_pins(record, pins)
    return [record, *History(gen, index, record).build()]


@dataclass
class History:
    """The owned records of one patient, numbered per record type."""

    gen: GenContext
    index: int
    patient: Record
    records: dict[str, list[Record]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.birth = date.fromisoformat(self.patient["birth_date"])
        self.sex = str(self.patient["sex"])
        self.state = str(self.patient["address"]["state"])
        self.rng = self.gen.rng("history", self.index)
        self.height_z = max(-2.5, min(2.5, self.rng.gauss(0.0, 1.0)))
        self.bmi_base = self.rng.gauss(27.0, 4.5)
        self.child_bmi = self.rng.uniform(14.0, 20.0)
        self.records = {rt.name: [] for rt in (ENCOUNTER, CONDITION, OBSERVATION, MEDICATION, APPOINTMENT)}

    def add(self, kind: RecordType, fields: Record) -> Record:
        bucket = self.records[kind.name]
        record = {"id": kind.owned_id(self.index, len(bucket) + 1), "type": kind.name,
                  "patient_id": self.patient["id"], **fields}
        bucket.append(record)
        return record

    def build(self) -> list[Record]:
        rng = self.rng
        span = (self.gen.anchor - self.birth).days
        low = 1 if span >= 1 else 0
        high = max(low, min(span, HISTORY_DAYS))
        visits = min(rng.randint(1, 3), high - low + 1)
        days_ago = sorted(rng.sample(range(low, high + 1), visits), reverse=True)
        chronic = self.chronic_problems(rng)
        obese = any(c.code == "E66.9" for c in chronic)
        for n, ago in enumerate(days_ago, 1):
            day = self.gen.anchor - timedelta(days=ago)
            years = age_on(self.birth, day)
            open_chronic = [c for c in chronic if clinical.eligible(c, years, self.sex)]
            if open_chronic and rng.random() < 0.65:
                focus = open_chronic[0]
                chronic.remove(focus)
            else:
                focus = clinical.pick_condition(rng, years, self.sex, False)
            if focus.setting == "ambulatory":
                day = self.clinic_day(day, focus)
            self.encounter(n, day, age_on(self.birth, day), focus, obese)
        self.appointments(rng)
        return [r for bucket in self.records.values() for r in bucket]

    def clinic_day(self, day: date, focus: Condition) -> date:
        """The nearest day to ``day`` the clinic is open, before today and at an age that fits ``focus``."""
        moved = roll(day, Calendar.CLINIC, earliest=self.birth, latest=self.gen.anchor - timedelta(days=1))
        return moved if clinical.eligible(focus, age_on(self.birth, moved), self.sex) else day

    def chronic_problems(self, rng: random.Random) -> list[Condition]:
        age = int(self.patient["age"])
        wanted = rng.choice(next(counts for bound, counts in CHRONIC_COUNTS if age < bound))
        chosen: list[Condition] = []
        for _ in range(wanted * 3):
            found = clinical.pick_condition(rng, age, self.sex, True)
            if found not in chosen and len(chosen) < wanted:
                chosen.append(found)
        return chosen

    def encounter(self, n: int, day: date, years: int, focus: Condition, obese: bool) -> None:
        rng = self.gen.rng("encounter", self.index, n)
        setting = focus.setting
        if setting == "ambulatory":
            start = self.clinic_time(rng, day, ENCOUNTER_MINUTES[setting][1])
            provider_id = str(self.patient["primary_provider_id"])
        else:
            start = datetime.combine(day, time(rng.randint(0, 23), rng.randint(0, 59)))
            provider_id = PROVIDER.entity_id(self.gen.pick_index(PROVIDER.name, "encounter", self.index, n))
        low, high = ENCOUNTER_MINUTES[setting]
        # A stay still running when today began ends there: finished care is never in the future
        # (only a baby born today is seen today).
        cutoff = max(datetime.combine(self.gen.anchor, time(0)), start + timedelta(minutes=1))
        end = min(start + timedelta(minutes=rng.randint(low, high)), cutoff)
        enc = self.add(ENCOUNTER, {
            "provider_id": provider_id, "class": setting, "status": "finished",
            "reason": capitalised(focus.reason), "start": local_iso(self.state, start),
            "end": local_iso(self.state, end), "note": ""})
        cond = self.diagnosis(rng, enc["id"], day, focus)
        observations = self.measurements(rng, enc["id"], start, end, years, focus, obese)
        meds = self.prescription(rng, enc, cond, focus, years, day)
        enc["note"] = clinical.encounter_note_for(self.patient, enc, [cond], observations, meds, rng)

    def clinic_time(self, rng: random.Random, day: date, minutes: int) -> datetime:
        """A quarter-hour start in clinic hours, local to the patient, leaving ``minutes`` before closing."""
        fallback = localize(self.state, datetime.combine(day, time(9)))
        found = time_in_hours(rng, Place.CLINIC, self.state, day, step=15, duration=timedelta(minutes=minutes))
        return (found or fallback).replace(tzinfo=None)

    def diagnosis(self, rng: random.Random, encounter_id: str, day: date, focus: Condition) -> Record:
        earliest = self.birth + timedelta(days=int(focus.min_age * 365.25) + 1)
        earliest = min(max(earliest, self.birth), day)
        back = 1825 if focus.chronic else 3
        onset = max(earliest, day - timedelta(days=rng.randint(0, back)))
        abatement = day + timedelta(days=rng.randint(3, 14)) if not focus.chronic else None
        if abatement is not None and abatement > self.gen.anchor:
            abatement = None
        status = "resolved" if abatement is not None else "active"
        return self.add(CONDITION,
                        clinical.condition_fields(focus, encounter_id, onset, status, abatement))

    def measurements(self, rng: random.Random, encounter_id: str, start: datetime, end: datetime, years: int,
                     focus: Condition, obese: bool) -> list[Record]:
        keys = [k for k in VITALS if years >= OBSERVATION_BY_KEY[k].min_age]
        if focus.setting == "ambulatory":
            keys += [k for k in BODY_SIZE if years >= OBSERVATION_BY_KEY[k].min_age]
        keys += focus.labs
        values = self.values(rng, keys, years, focus, obese, start)
        taken = {  # vitals are taken together at triage, labs drawn together later
            "vital-signs": local_iso(self.state, min(start + timedelta(minutes=rng.randint(3, 15)), end)),
            "laboratory": local_iso(self.state, min(start + timedelta(minutes=rng.randint(20, 90)), end)),
        }
        made = []
        for key in keys:
            kind = OBSERVATION_BY_KEY[key]
            made.append(self.add(OBSERVATION, clinical.observation_fields(
                kind, values[key], years, self.sex, encounter_id, taken[kind.category])))
        return made

    def values(self, rng: random.Random, keys: list[str], years: int, focus: Condition, obese: bool,
               start: datetime) -> dict[str, float | int]:
        values: dict[str, float | int] = {}
        for key in keys:
            kind: ObservationKind = OBSERVATION_BY_KEY[key]
            band = reference_band(kind, years, self.sex)
            if band is not None and key != "bmi":
                push = focus.effects.get(key) if rng.random() < EFFECT_PROBABILITY else None
                values[key] = draw_value(kind, band, rng, push)
        if "diastolic" in values:
            values["diastolic"] = min(values["diastolic"], values["systolic"] - rng.randint(20, 45))
        if "weight" in keys:
            months = (start.year - self.birth.year) * 12 + start.month - self.birth.month
            height = height_cm(years, months, self.sex, self.height_z)
            if years >= 18:
                target = rng.uniform(31.0, 42.0) if obese else max(17.5, min(45.0, self.bmi_base))
            else:
                target = self.child_bmi - (1.5 if years < 2 else 0.0)
            weight = round(target * (height / 100.0) ** 2, 1)
            values.update(height=height, weight=weight, bmi=bmi_of(weight, height))
        return values

    def prescription(self, rng: random.Random, enc: Record, cond: Record, focus: Condition, years: int,
                     day: date) -> list[Record]:
        drugs = DRUGS_FOR[focus.code]
        if not drugs or rng.random() >= PRESCRIBE_PROBABILITY[focus.chronic]:
            return []
        drug = rng.choice(drugs)
        strengths = drug.strengths if years >= 12 else drug.child_strengths
        if not strengths:
            return []
        dose = rng.choice(strengths)
        frequency = rng.choice(drug.frequencies)
        recent = (self.gen.anchor - day).days <= 14
        return [self.add(MEDICATION, medication_fields(
            drug.name, dose, drug.unit, drug.route, frequency, sig(drug, dose, frequency),
            "active" if focus.chronic or recent else "completed", day, str(enc["provider_id"]), enc["id"],
            cond["id"]))]

    def appointments(self, rng: random.Random) -> None:
        known = [CONDITION_BY_CODE[r["code"]] for r in self.records[CONDITION.name]]
        for _ in range(rng.choice((0, 1, 1, 2))):
            day = roll(self.gen.anchor + timedelta(days=rng.randint(1, 60)), Calendar.CLINIC)
            minutes = rng.choice(APPOINTMENT_DURATIONS)
            start = self.clinic_time(rng, day, minutes)
            self.add(APPOINTMENT, {
                "provider_id": str(self.patient["primary_provider_id"]),
                "status": "booked",
                "start": local_iso(self.state, start),
                "end": local_iso(self.state, start + timedelta(minutes=minutes)),
                "duration_minutes": minutes,
                "reason": appointment_reason(known, rng),
            })


def medication_fields(drug: str, dose: float, unit: str, route: str, frequency: str, directions: str,
                      status: str, authored: date, provider_id: str, encounter_id: str | None,
                      condition_id: str | None) -> Record:
    """The fields of one prescription (shared with the ``prescribe`` verb)."""
    return {
        "encounter_id": encounter_id,
        "condition_id": condition_id,
        "provider_id": provider_id,
        "status": status,
        "intent": "order",
        "drug": drug,
        "dose": {"value": dose, "unit": unit},
        "route": route,
        "frequency": frequency,
        "sig": directions,
        "authored_on": authored.isoformat(),
    }


GENERATORS: dict[str, Generator] = {PATIENT.name: patient, PROVIDER.name: provider}
"""The healthcare generator table: patients (with their history) and providers."""
