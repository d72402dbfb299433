"""The healthcare rule table: independent checks of healthcare records.

``pymockapi validate`` runs these over exported data sets that may have
been edited by hand, so nothing here trusts the generator: check digits are
recomputed with python-stdnum, codes are looked up in the shipped tables,
dates and references are compared across records.  The rules follow the one
protocol of :mod:`pymockapi.industries.rules`: each yields ``(field, problem)``
pairs; reading a field that is missing or malformed stops the rule and the
shared driver reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from stdnum import luhn

from pymockapi.industries.common import age_on, contact, ssn_like_problems
from pymockapi.industries.healthcare.data import (
    APPOINTMENT_DURATIONS,
    CONDITION_BY_CODE,
    CONDITION_STATUSES,
    CREDENTIAL_PREFIXES,
    DRUG_BY_NAME,
    ENCOUNTER_CLASSES,
    ENCOUNTER_STATUSES,
    ICD10CM_SYSTEM,
    LOINC_SYSTEM,
    MEDICATION_STATUSES,
    NPI_PREFIX,
    OBSERVATION_BY_LOINC,
    PAYER_BY_NAME,
    SPECIALTY_BY_CODE,
)
from pymockapi.industries.healthcare.kinds import (
    APPOINTMENT,
    CONDITION,
    ENCOUNTER,
    MEDICATION,
    OBSERVATION,
    PATIENT,
    PROVIDER,
    TYPE_BY_NAME,
)
from pymockapi.industries.rules import (
    Problem,
    Record,
    RecordSet,
    Rule,
    Unreadable,
    need,
    need_date,
    need_instant,
    present,
)

MRN = re.compile(r"^MRN-\d{8}$")
NPI = re.compile(r"^[12]\d{9}$")
TEXT_FAULTS = (re.compile(r"[{}]"), re.compile(r"\bNone\b"), re.compile(r" {2}"))
"""Unfilled template slots, missing values printed as None, doubled spaces."""
YOU_SOUNDS = ("uni", "use", "usu", "ure", "uri", "one", "eu")
MUTE_H = ("hour", "honest", "heir", "honor")
TEXT_FIELDS = {ENCOUNTER.name: ("reason", "note"), APPOINTMENT.name: ("reason",), MEDICATION.name: ("sig",)}


def article_faults(text: str) -> list[str]:
    """Every "a"/"an" that does not match the sound of the next word."""
    faults = []
    for art, word in re.findall(r"\b(a|an|A|An) ([\w']+)", text):
        if word.isdigit():
            wants_an = word.startswith("8") or word in ("11", "18")
        else:
            lower = word.lower()
            wants_an = (lower[0] in "aeiou" and not lower.startswith(YOU_SOUNDS)) or lower.startswith(MUTE_H)
        if (art.lower() == "an") != wants_an:
            faults.append(f"{art} {word}")
    return faults


def anchor_window(data: RecordSet) -> tuple[date | None, date | None]:
    """Earliest and latest anchor consistent with past encounters and booked appointments."""
    if data.anchor is not None:
        return data.anchor, data.anchor
    ends, starts = [], []
    for r in data.records:
        try:
            if r.get("type") == ENCOUNTER.name and r.get("status") == "finished":
                ends.append(need_instant(r, "end").date())
            if r.get("type") == APPOINTMENT.name:
                starts.append(need_instant(r, "start").date() - timedelta(days=1))
        except (Unreadable, OverflowError):
            continue
    return (max(ends) if ends else None), (min(starts) if starts else None)


def follow(data: RecordSet, record: Mapping[str, Any], name: str, kind: str) -> Record | None:
    """The record a reference points at (None when its kind is absent); a broken reference stops the rule."""
    target_id = need(record, name, str)
    if TYPE_BY_NAME[kind].parse(target_id) is None:
        raise Unreadable(name, f"'{target_id}' is not a {kind} id")
    target = data.by_id.get(target_id)
    if target is None:
        if data.has(kind):
            raise Unreadable(name, f"{kind} '{target_id}' does not exist in this data set")
        return None
    if target.get("type") != kind:
        raise Unreadable(name, f"'{target_id}' is a {target.get('type')}, not a {kind}")
    return target


def patient_of(data: RecordSet, record: Mapping[str, Any]) -> Record | None:
    return follow(data, record, "patient_id", PATIENT.name)


def check_sex(r: Record, data: RecordSet) -> Iterator[Problem]:
    if need(r, "sex", str) not in ("female", "male"):
        yield "sex", "sex must be female or male"


def check_age(r: Record, data: RecordSet) -> Iterator[Problem]:
    born = need_date(r, "birth_date")
    age = need(r, "age", int)
    low, high = data.derived(anchor_window)
    if age < 0:
        yield "age", "age is negative"
    elif (low is not None and age < age_on(born, low)) or (high is not None and age > age_on(born, high)):
        yield "age", f"age {age} disagrees with birth date {born.isoformat()}"


def check_patient(r: Record, data: RecordSet) -> Iterator[Problem]:
    if not MRN.match(need(r, "mrn", str)):
        yield "mrn", "MRN must be 'MRN-' and 8 digits"
    payer = present(PAYER_BY_NAME.get(need(r, "payer", str)), "payer", "unknown payer")
    if re.fullmatch(rf"{payer.prefix}\d{{9}}", need(r, "member_id", str)) is None:
        yield "member_id", "member id does not match the payer"
    if r.get("ssn_like") is not None:
        yield from ssn_like_problems(r)
    follow(data, r, "primary_provider_id", PROVIDER.name)


def check_provider(r: Record, data: RecordSet) -> Iterator[Problem]:
    npi = need(r, "npi", str)
    if not (NPI.match(npi) and luhn.is_valid(NPI_PREFIX + npi)):
        yield "npi", "NPI check digit is wrong"
    specialty = present(SPECIALTY_BY_CODE.get(need(r, "taxonomy_code", str)), "taxonomy_code",
                        "not a shipped NUCC taxonomy code")
    if need(r, "specialty", str) != specialty.name:
        yield "specialty", "specialty does not match its taxonomy code"
    credentials = need(r, "credentials", str)
    if credentials not in CREDENTIAL_PREFIXES:
        yield "credentials", "credentials must be MD, DO, NP or PA"
    elif not specialty.code.startswith(CREDENTIAL_PREFIXES[credentials]):
        yield "credentials", f"{credentials} cannot practise as {specialty.name}"
    if need(r, "age", int) < 24:
        yield "age", "too young to be a licensed clinician"
    if not need(r, "organisation", str).strip():
        yield "organisation", "organisation is empty"


def check_encounter(r: Record, data: RecordSet) -> Iterator[Problem]:
    if need(r, "class", str) not in ENCOUNTER_CLASSES:
        yield "class", "unknown encounter class"
    status = need(r, "status", str)
    if status not in ENCOUNTER_STATUSES:
        yield "status", "unknown encounter status"
    start, end = need_instant(r, "start"), need_instant(r, "end")
    if end < start:
        yield "end", "encounter ends before it starts"
    patient = patient_of(data, r)
    if patient is not None and start.date() < need_date(patient, "birth_date"):
        yield "start", "encounter before the patient's birth"
    _, high = data.derived(anchor_window)
    if status == "finished" and high is not None and end.date() > high:
        yield "end", "finished encounter ends after the anchor date"
    follow(data, r, "provider_id", PROVIDER.name)


def check_condition(r: Record, data: RecordSet) -> Iterator[Problem]:
    known = present(CONDITION_BY_CODE.get(need(r, "code", str)), "code", "not a shipped ICD-10-CM code")
    if need(r, "title", str) != known.title:
        yield "title", "title is not the ICD-10-CM title"
    if r.get("system") != ICD10CM_SYSTEM:
        yield "system", "system must be ICD-10-CM"
    status = need(r, "clinical_status", str)
    if status not in CONDITION_STATUSES:
        yield "clinical_status", "unknown clinical status"
    onset = need_date(r, "onset_date")
    if status == "resolved" and need_date(r, "abatement_date") < onset:
        yield "abatement_date", "resolved before onset"
    patient = patient_of(data, r)
    if patient is not None:
        born = need_date(patient, "birth_date")
        years = age_on(born, onset)
        if onset < born:
            yield "onset_date", "onset before birth"
        elif not known.min_age <= years <= known.max_age:
            yield "code", f"{known.code} does not fit age {years}"
        elif known.sex not in (None, patient.get("sex")):
            yield "code", f"{known.code} does not fit sex {patient.get('sex')}"
    encounter = follow(data, r, "encounter_id", ENCOUNTER.name)
    if encounter is not None:
        if encounter.get("patient_id") != r.get("patient_id"):
            yield "encounter_id", "encounter of another patient"
        elif onset > need_instant(encounter, "start").date():
            yield "onset_date", "onset after the encounter"


def check_observation(r: Record, data: RecordSet) -> Iterator[Problem]:
    kind = present(OBSERVATION_BY_LOINC.get(need(r, "code", str)), "code", "not a shipped LOINC code")
    if r.get("system") != LOINC_SYSTEM:
        yield "system", "system must be LOINC"
    if need(r, "display", str) != kind.display:
        yield "display", "display is not the LOINC name"
    if need(r, "unit", str) != kind.unit:
        yield "unit", f"unit must be {kind.unit}"
    value: float = need(r, "value", (int, float))
    low, high = kind.plausible
    if not low <= value <= high:
        yield "value", f"{value} {kind.unit} is not physiologically plausible"
    yield from _interval(r, value)
    effective = need_instant(r, "effective")
    encounter = follow(data, r, "encounter_id", ENCOUNTER.name)
    if encounter is not None:
        if encounter.get("patient_id") != r.get("patient_id"):
            yield "encounter_id", "encounter of another patient"
        elif not need_instant(encounter, "start") <= effective <= need_instant(encounter, "end"):
            yield "effective", "measured outside its encounter"
    patient = patient_of(data, r)
    if patient is not None:
        yield from _expected_interval(r, kind, patient, effective)


def _interval(r: Record, value: float) -> Iterator[Problem]:
    band = r.get("reference_range")
    flag = r.get("interpretation")
    if band is None:
        if flag is not None:
            yield "interpretation", "interpretation without a reference range"
        return
    if not (isinstance(band, dict) and all(isinstance(band.get(k), (int, float)) for k in ("low", "high"))):
        yield "reference_range", "reference range needs numeric low and high"
        return
    expected = "high" if value > band["high"] else "low" if value < band["low"] else "normal"
    if flag != expected:
        yield "interpretation", f"value {value} against {band['low']}-{band['high']} is {expected}"


def _expected_interval(r: Record, kind: Any, patient: Record, effective: datetime) -> Iterator[Problem]:
    years = age_on(need_date(patient, "birth_date"), effective.date())
    bands = [b for b in kind.bands if years >= b.min_age and b.sex in (None, patient.get("sex"))]
    expected = None if not bands else {"low": bands[-1].low, "high": bands[-1].high}
    if r.get("reference_range") != expected:
        yield "reference_range", f"reference range does not apply to a patient aged {years}"


def check_medication(r: Record, data: RecordSet) -> Iterator[Problem]:
    drug = present(DRUG_BY_NAME.get(need(r, "drug", str)), "drug", "not a shipped generic drug")
    dose = need(r, "dose", dict)
    if dose.get("unit") != drug.unit:
        yield "dose", f"dose unit must be {drug.unit}"
    elif dose.get("value") not in drug.strengths + drug.child_strengths:
        yield "dose", f"{dose.get('value')} is not a dose of {drug.name}"
    if need(r, "route", str) != drug.route:
        yield "route", f"{drug.name} is given {drug.route}"
    if need(r, "frequency", str) not in drug.frequencies:
        yield "frequency", "not a schedule for this drug"
    if drug.name not in need(r, "sig", str):
        yield "sig", "directions do not name the drug"
    if need(r, "status", str) not in MEDICATION_STATUSES:
        yield "status", "unknown medication status"
    authored = need_date(r, "authored_on")
    patient = patient_of(data, r)
    if patient is not None and authored < need_date(patient, "birth_date"):
        yield "authored_on", "prescribed before birth"
    follow(data, r, "provider_id", PROVIDER.name)
    if r.get("condition_id") is not None:
        condition = follow(data, r, "condition_id", CONDITION.name)
        if condition is not None and condition.get("code") not in drug.treats:
            yield "condition_id", f"{drug.name} does not treat {condition.get('code')}"


def check_appointment(r: Record, data: RecordSet) -> Iterator[Problem]:
    start, end = need_instant(r, "start"), need_instant(r, "end")
    minutes = need(r, "duration_minutes", int)
    if minutes not in APPOINTMENT_DURATIONS:
        yield "duration_minutes", "unusual appointment length"
    if end - start != timedelta(minutes=minutes):
        yield "end", "end does not match the duration"
    if need(r, "status", str) != "booked":
        yield "status", "appointments are booked"
    patient_of(data, r)
    low, _ = data.derived(anchor_window)
    if low is not None and start.date() <= low:
        yield "start", "appointment is not in the future"
    follow(data, r, "provider_id", PROVIDER.name)


def check_text(r: Record, data: RecordSet) -> Iterator[Problem]:
    for name in TEXT_FIELDS[r["type"]]:
        text = need(r, name, str)
        faults = [p.pattern for p in TEXT_FAULTS if p.search(text)] + article_faults(text)
        if not text.strip():
            yield name, "empty text"
        elif faults:
            yield name, f"text breaks the writing rules: {', '.join(faults)}"


RULES: Mapping[str, tuple[Rule, ...]] = {
    PATIENT.name: (contact, check_sex, check_age, check_patient),
    PROVIDER.name: (contact, check_sex, check_age, check_provider),
    ENCOUNTER.name: (check_encounter, check_text),
    CONDITION.name: (check_condition,),
    OBSERVATION.name: (check_observation,),
    MEDICATION.name: (check_medication, check_text),
    APPOINTMENT.name: (check_appointment, check_text),
}
