"""Independent checks of healthcare records.

``pymockapi validate`` runs these over exported data sets that may have
been edited by hand, so nothing here trusts the generator: check digits are
recomputed with python-stdnum, codes are looked up in the shipped tables,
dates and references are compared across records, and a malformed record is
reported by field, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, TypeVar

from stdnum import luhn

from pymockapi.industries.base import Violation
from pymockapi.industries.common import EXAMPLE_DOMAINS, ZipCode, age_on, slug, zip_table
from pymockapi.industries.healthcare.data import (
    APPOINTMENT_DURATIONS, CONDITION_BY_CODE, CONDITION_STATUSES, CREDENTIAL_PREFIXES, DRUG_BY_NAME,
    ENCOUNTER_CLASSES, ENCOUNTER_STATUSES, ICD10CM_SYSTEM, LOINC_SYSTEM, MEDICATION_STATUSES, NPI_PREFIX,
    OBSERVATION_BY_LOINC, PAYER_BY_NAME, SPECIALTY_BY_CODE,
)
from pymockapi.industries.healthcare.kinds import TYPE_BY_NAME

Record = dict[str, Any]

PHONE = re.compile(r"^\+1-\d{3}-555-01\d{2}$")
MRN = re.compile(r"^MRN-\d{8}$")
NPI = re.compile(r"^[12]\d{9}$")
SSN_LIKE = re.compile(r"^9\d{2}-(0[1-9]|[1-4]\d)-(?!0000)\d{4}$")
TEXT_FAULTS = (re.compile(r"[{}]"), re.compile(r"\bNone\b"), re.compile(r" {2}"))
"""Unfilled template slots, missing values printed as None, doubled spaces."""
YOU_SOUNDS = ("uni", "use", "usu", "ure", "uri", "one", "eu")
MUTE_H = ("hour", "honest", "heir", "honor")
T = TypeVar("T")
TEXT_FIELDS = {"encounter": ("reason", "note"), "appointment": ("reason",), "medication": ("sig",)}


class Bad(Exception):
    """A field that breaks a rule; carries the field name and the problem."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field_name
        self.problem = problem


def need(record: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """The value of ``name`` if present and of the expected type, else a violation."""
    if name not in record or record[name] is None:
        raise Bad(name, "missing")
    value = record[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Bad(name, f"expected {getattr(kind, '__name__', 'another type')}, got {type(value).__name__}")
    return value


def need_date(record: Mapping[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(need(record, name, str))
    except ValueError:
        raise Bad(name, "not an ISO 8601 date") from None


def need_instant(record: Mapping[str, Any], name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(need(record, name, str))
    except ValueError:
        raise Bad(name, "not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise Bad(name, "date-time without a UTC offset")
    return moment


def check(condition: bool, name: str, problem: str) -> None:
    if not condition:
        raise Bad(name, problem)


def present(value: T | None, name: str, problem: str) -> T:
    """``value`` when a table lookup found it, else a violation of ``name``."""
    if value is None:
        raise Bad(name, problem)
    return value


@lru_cache(maxsize=1)
def _zips() -> dict[str, ZipCode]:
    return {z.zip: z for z in zip_table()}


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


@dataclass
class DataSet:
    """Records indexed for cross-record rules, and the anchor date they imply."""

    records: list[Record]
    anchor: date | None = None
    by_id: dict[str, Record] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)
    owned: dict[tuple[str, str], list[Record]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.records:
            rid, kind = r.get("id"), r.get("type")
            if isinstance(rid, str):
                self.by_id[rid] = r
            if isinstance(kind, str):
                self.types.add(kind)
                owner = r.get("patient_id")
                if isinstance(owner, str):
                    self.owned.setdefault((owner, kind), []).append(r)
        self.window = self._anchor_window()

    def _anchor_window(self) -> tuple[date | None, date | None]:
        """Earliest and latest anchor consistent with past encounters and booked appointments."""
        if self.anchor is not None:
            return self.anchor, self.anchor
        ends, starts = [], []
        for r in self.records:
            try:
                if r.get("type") == "encounter" and r.get("status") == "finished":
                    ends.append(need_instant(r, "end").date())
                if r.get("type") == "appointment":
                    starts.append(need_instant(r, "start").date() - timedelta(days=1))
            except (Bad, OverflowError):
                continue
        return (max(ends) if ends else None), (min(starts) if starts else None)

    def ref(self, record: Mapping[str, Any], name: str, kind: str) -> Record | None:
        """The record a reference points at; a violation when it should resolve and does not."""
        target_id = need(record, name, str)
        prefix = TYPE_BY_NAME[kind].prefix
        check(target_id.startswith(prefix + "-"), name, f"'{target_id}' is not a {kind} id")
        target = self.by_id.get(target_id)
        if target is None:
            check(kind not in self.types, name, f"{kind} '{target_id}' does not exist in this data set")
            return None
        check(target.get("type") == kind, name, f"'{target_id}' is a {target.get('type')}, not a {kind}")
        return target

    def patient_of(self, record: Mapping[str, Any]) -> Record | None:
        return self.ref(record, "patient_id", "patient")


Rule = Callable[[Record, DataSet], None]


def _person(r: Record, ds: DataSet) -> None:
    first, last = need(r, "first_name", str), need(r, "last_name", str)
    email = need(r, "email", str)
    local, _, domain = email.partition("@")
    check(domain in EXAMPLE_DOMAINS, "email", f"domain '{domain}' is not an example domain")
    check(local == f"{slug(first)}.{slug(last)}", "email", "email is not derived from the name")
    check(bool(PHONE.match(need(r, "phone", str))), "phone", "phone is outside 555-0100..0199")
    check(need(r, "sex", str) in ("female", "male"), "sex", "sex must be female or male")


def _age(r: Record, ds: DataSet) -> None:
    born = need_date(r, "birth_date")
    age = need(r, "age", int)
    low, high = ds.window
    check(age >= 0, "age", "age is negative")
    if low is not None:
        check(age >= age_on(born, low), "age", f"age {age} disagrees with birth date {born.isoformat()}")
    if high is not None:
        check(age <= age_on(born, high), "age", f"age {age} disagrees with birth date {born.isoformat()}")


def _address(r: Record, ds: DataSet) -> None:
    place = need(r, "address", dict)
    known = present(_zips().get(str(place.get("zip"))), "address", f"unknown ZIP {place.get('zip')}")
    check((known.city, known.state) == (place.get("city"), place.get("state")), "address",
          "ZIP, city and state do not belong together")


def _patient(r: Record, ds: DataSet) -> None:
    check(bool(MRN.match(need(r, "mrn", str))), "mrn", "MRN must be 'MRN-' and 8 digits")
    payer = present(PAYER_BY_NAME.get(need(r, "payer", str)), "payer", "unknown payer")
    member = need(r, "member_id", str)
    check(re.fullmatch(rf"{payer.prefix}\d{{9}}", member) is not None, "member_id",
          "member id does not match the payer")
    if r.get("ssn_like") is not None:
        check(bool(SSN_LIKE.match(need(r, "ssn_like", str))), "ssn_like", "SSN-like number in an issuable range")
    ds.ref(r, "primary_provider_id", "provider")


def _provider(r: Record, ds: DataSet) -> None:
    npi = need(r, "npi", str)
    check(bool(NPI.match(npi)) and luhn.is_valid(NPI_PREFIX + npi), "npi", "NPI check digit is wrong")
    specialty = present(SPECIALTY_BY_CODE.get(need(r, "taxonomy_code", str)), "taxonomy_code",
                        "not a shipped NUCC taxonomy code")
    check(need(r, "specialty", str) == specialty.name, "specialty",
          "specialty does not match its taxonomy code")
    credentials = need(r, "credentials", str)
    check(credentials in CREDENTIAL_PREFIXES, "credentials", "credentials must be MD, DO, NP or PA")
    check(specialty.code.startswith(CREDENTIAL_PREFIXES[credentials]), "credentials",
          f"{credentials} cannot practise as {specialty.name}")
    check(need(r, "age", int) >= 24, "age", "too young to be a licensed clinician")
    check(bool(need(r, "organisation", str).strip()), "organisation", "organisation is empty")


def _encounter(r: Record, ds: DataSet) -> None:
    check(need(r, "class", str) in ENCOUNTER_CLASSES, "class", "unknown encounter class")
    status = need(r, "status", str)
    check(status in ENCOUNTER_STATUSES, "status", "unknown encounter status")
    start, end = need_instant(r, "start"), need_instant(r, "end")
    check(end >= start, "end", "encounter ends before it starts")
    patient = ds.patient_of(r)
    if patient is not None:
        check(start.date() >= need_date(patient, "birth_date"), "start", "encounter before the patient's birth")
    low, high = ds.window
    if status == "finished" and high is not None:
        check(end.date() <= high, "end", "finished encounter ends after the anchor date")
    ds.ref(r, "provider_id", "provider")


def _condition(r: Record, ds: DataSet) -> None:
    known = present(CONDITION_BY_CODE.get(need(r, "code", str)), "code", "not a shipped ICD-10-CM code")
    check(need(r, "title", str) == known.title, "title", "title is not the ICD-10-CM title")
    check(r.get("system") == ICD10CM_SYSTEM, "system", "system must be ICD-10-CM")
    status = need(r, "clinical_status", str)
    check(status in CONDITION_STATUSES, "clinical_status", "unknown clinical status")
    onset = need_date(r, "onset_date")
    if status == "resolved":
        check(need_date(r, "abatement_date") >= onset, "abatement_date", "resolved before onset")
    patient = ds.patient_of(r)
    if patient is not None:
        born = need_date(patient, "birth_date")
        check(onset >= born, "onset_date", "onset before birth")
        years = age_on(born, onset)
        check(known.min_age <= years <= known.max_age, "code",
              f"{known.code} does not fit age {years}")
        check(known.sex in (None, patient.get("sex")), "code",
              f"{known.code} does not fit sex {patient.get('sex')}")
    encounter = ds.ref(r, "encounter_id", "encounter")
    if encounter is not None:
        check(encounter.get("patient_id") == r.get("patient_id"), "encounter_id", "encounter of another patient")
        check(onset <= need_instant(encounter, "start").date(), "onset_date", "onset after the encounter")


def _observation(r: Record, ds: DataSet) -> None:
    kind = present(OBSERVATION_BY_LOINC.get(need(r, "code", str)), "code", "not a shipped LOINC code")
    check(r.get("system") == LOINC_SYSTEM, "system", "system must be LOINC")
    check(need(r, "display", str) == kind.display, "display", "display is not the LOINC name")
    check(need(r, "unit", str) == kind.unit, "unit", f"unit must be {kind.unit}")
    value = need(r, "value", (int, float))
    low, high = kind.plausible
    check(low <= value <= high, "value", f"{value} {kind.unit} is not physiologically plausible")
    _interval(r, value)
    effective = need_instant(r, "effective")
    encounter = ds.ref(r, "encounter_id", "encounter")
    if encounter is not None:
        check(encounter.get("patient_id") == r.get("patient_id"), "encounter_id", "encounter of another patient")
        check(need_instant(encounter, "start") <= effective <= need_instant(encounter, "end"), "effective",
              "measured outside its encounter")
    patient = ds.patient_of(r)
    if patient is not None:
        _expected_interval(r, kind, patient, effective)


def _interval(r: Record, value: float) -> None:
    band = r.get("reference_range")
    flag = r.get("interpretation")
    if band is None:
        check(flag is None, "interpretation", "interpretation without a reference range")
        return
    check(isinstance(band, dict) and all(isinstance(band.get(k), (int, float)) for k in ("low", "high")),
          "reference_range", "reference range needs numeric low and high")
    expected = "high" if value > band["high"] else "low" if value < band["low"] else "normal"
    check(flag == expected, "interpretation", f"value {value} against {band['low']}-{band['high']} is {expected}")


def _expected_interval(r: Record, kind: Any, patient: Record, effective: datetime) -> None:
    years = age_on(need_date(patient, "birth_date"), effective.date())
    bands = [b for b in kind.bands if years >= b.min_age and b.sex in (None, patient.get("sex"))]
    expected = None if not bands else {"low": bands[-1].low, "high": bands[-1].high}
    check(r.get("reference_range") == expected, "reference_range",
          f"reference range does not apply to a patient aged {years}")


def _medication(r: Record, ds: DataSet) -> None:
    drug = present(DRUG_BY_NAME.get(need(r, "drug", str)), "drug", "not a shipped generic drug")
    dose = need(r, "dose", dict)
    check(dose.get("unit") == drug.unit, "dose", f"dose unit must be {drug.unit}")
    check(dose.get("value") in drug.strengths + drug.child_strengths, "dose",
          f"{dose.get('value')} is not a dose of {drug.name}")
    check(need(r, "route", str) == drug.route, "route", f"{drug.name} is given {drug.route}")
    check(need(r, "frequency", str) in drug.frequencies, "frequency", "not a schedule for this drug")
    check(drug.name in need(r, "sig", str), "sig", "directions do not name the drug")
    check(need(r, "status", str) in MEDICATION_STATUSES, "status", "unknown medication status")
    authored = need_date(r, "authored_on")
    patient = ds.patient_of(r)
    if patient is not None:
        check(authored >= need_date(patient, "birth_date"), "authored_on", "prescribed before birth")
    ds.ref(r, "provider_id", "provider")
    if r.get("condition_id") is not None:
        condition = ds.ref(r, "condition_id", "condition")
        if condition is not None:
            check(condition.get("code") in drug.treats, "condition_id",
                  f"{drug.name} does not treat {condition.get('code')}")


def _appointment(r: Record, ds: DataSet) -> None:
    start, end = need_instant(r, "start"), need_instant(r, "end")
    minutes = need(r, "duration_minutes", int)
    check(minutes in APPOINTMENT_DURATIONS, "duration_minutes", "unusual appointment length")
    check(end - start == timedelta(minutes=minutes), "end", "end does not match the duration")
    check(need(r, "status", str) == "booked", "status", "appointments are booked")
    ds.patient_of(r)
    low, _ = ds.window
    if low is not None:
        check(start.date() > low, "start", "appointment is not in the future")
    ds.ref(r, "provider_id", "provider")


def _text(r: Record, ds: DataSet) -> None:
    for name in TEXT_FIELDS[r["type"]]:
        text = need(r, name, str)
        check(bool(text.strip()), name, "empty text")
        faults = [p.pattern for p in TEXT_FAULTS if p.search(text)] + article_faults(text)
        check(not faults, name, f"text breaks the writing rules: {', '.join(faults)}")


def _identity(r: Record, ds: DataSet) -> None:
    rid = need(r, "id", str)
    rt = TYPE_BY_NAME[r["type"]]
    check(re.fullmatch(rf"{rt.prefix}-\d{{4}}(-\d{{2,}})?", rid) is not None, "id", f"id must start with {rt.prefix}-")
    if rt.persona:
        check(bool(need(r, "display_name", str).strip()), "display_name", "persona without a display name")


RULES: Mapping[str, tuple[Rule, ...]] = {
    "patient": (_identity, _person, _age, _address, _patient),
    "provider": (_identity, _person, _age, _address, _provider),
    "encounter": (_identity, _encounter, _text),
    "condition": (_identity, _condition),
    "observation": (_identity, _observation),
    "medication": (_identity, _medication, _text),
    "appointment": (_identity, _appointment, _text),
}


def validate(records: Iterable[Record], anchor: date | None = None) -> list[Violation]:
    """Every rule every record breaks (one violation per rule at most)."""
    ds = DataSet([r for r in records if isinstance(r, dict)], anchor)
    found: list[Violation] = []
    for r in ds.records:
        rid = str(r.get("id", "?"))
        kind = r.get("type")
        if not isinstance(kind, str) or kind not in RULES:
            found.append(Violation(str(kind), rid, "type", "not a healthcare record type"))
            continue
        for rule in RULES[kind]:
            try:
                rule(r, ds)
            except Bad as bad:
                found.append(Violation(kind, rid, bad.field, bad.problem))
            except Exception as exc:  # noqa: BLE001 - hand-edited data must be reported, never crash validate
                found.append(Violation(kind, rid, rule.__name__.strip("_"), f"malformed record: {exc}"))
    return found
