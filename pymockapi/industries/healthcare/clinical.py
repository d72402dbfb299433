"""Clinical facts shared by the generator and the story verbs.

Both a generated history and a live ``observe(...)`` during a demo must
produce observations shaped the same way and notes written the same way, so
the record fields and the note are built here from records, not from the
generator's internals.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from pymockapi.industries.common import age_on
from pymockapi.industries.healthcare.data import (
    CONDITION_BY_CODE,
    CONDITIONS,
    ICD10CM_SYSTEM,
    LOINC_SYSTEM,
    OBSERVATION_BY_LOINC,
    Condition,
    ObservationKind,
)
from pymockapi.industries.healthcare.physiology import interpret, reference_band, round_value
from pymockapi.industries.healthcare.text import Finding, NoteFacts, encounter_note

Record = dict[str, Any]


def eligible(condition: Condition, years: int, sex: str) -> bool:
    """Whether a patient of this age and sex can carry the diagnosis."""
    return condition.min_age <= years <= condition.max_age and condition.sex in (None, sex)


@lru_cache(maxsize=512)
def candidates(years: int, sex: str, chronic: bool) -> tuple[tuple[Condition, ...], tuple[float, ...]]:
    """Conditions open to an age and sex, with cumulative prevalence weights."""
    pool = tuple(c for c in CONDITIONS if c.chronic == chronic and eligible(c, years, sex))
    total = 0.0
    cumulative = []
    for c in pool:
        total += c.weight
        cumulative.append(total)
    return pool, tuple(cumulative)


def pick_condition(rng: random.Random, years: int, sex: str, chronic: bool) -> Condition:
    """A prevalence-weighted diagnosis for the patient.

    The table covers every age from 0 to 120 and both sexes with at least
    one acute and one chronic code (immunization, atopic dermatitis...), a
    property the tests check, so there is always something to pick.
    """
    pool, cumulative = candidates(years, sex, chronic)
    return rng.choices(pool, cum_weights=cumulative)[0]


def observation_fields(kind: ObservationKind, value: float | int, years: int, sex: str,
                       encounter_id: str, effective: str) -> Record:
    """The fields of one observation: code, UCUM value, interval and its flag."""
    value = round_value(kind, value)
    band = reference_band(kind, years, sex)
    return {
        "encounter_id": encounter_id,
        "status": "final",
        "category": kind.category,
        "system": LOINC_SYSTEM,
        "code": kind.loinc,
        "display": kind.display,
        "value": value,
        "unit": kind.unit,
        "reference_range": None if band is None else {"low": band.low, "high": band.high},
        "interpretation": interpret(value, band),
        "effective": effective,
    }


def condition_fields(condition: Condition, encounter_id: str, onset: date, status: str,
                     abatement: date | None) -> Record:
    """The fields of one diagnosis, coded in ICD-10-CM with its exact title."""
    return {
        "encounter_id": encounter_id,
        "system": ICD10CM_SYSTEM,
        "code": condition.code,
        "title": condition.title,
        "category": "problem-list-item" if condition.chronic else "encounter-diagnosis",
        "clinical_status": status,
        "verification_status": "confirmed",
        "onset_date": onset.isoformat(),
        "abatement_date": None if abatement is None else abatement.isoformat(),
    }


def encounter_note_for(patient: Mapping[str, Any], encounter: Mapping[str, Any], conditions: Sequence[Record],
                       observations: Sequence[Record], medications: Sequence[Record], rng: random.Random) -> str:
    """The clinical summary of an encounter, written from its own records."""
    birth = date.fromisoformat(patient["birth_date"])
    start = datetime.fromisoformat(encounter["start"])
    end = datetime.fromisoformat(encounter["end"])
    facts = NoteFacts(
        birth=birth,
        on=start.date(),
        years=age_on(birth, start.date()),
        sex=patient["sex"],
        encounter_class=encounter["class"],
        reason=encounter["reason"][:1].lower() + encounter["reason"][1:],
        conditions=[CONDITION_BY_CODE[c["code"]] for c in conditions],
        findings=[Finding(OBSERVATION_BY_LOINC[o["code"]], o["value"], o["interpretation"]) for o in observations],
        prescriptions=[m["sig"] for m in medications],
        days=(end.date() - start.date()).days,
    )
    return encounter_note(facts, rng)
