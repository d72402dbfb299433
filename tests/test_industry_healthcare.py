"""Healthcare data checked against independent authorities.

ICD-10-CM titles come from ``simple_icd_10_cm``, NPI check digits from
python-stdnum's Luhn, ZIP/city/state and time zones from ``zipcodes`` and
the system tz database; LOINC names and NUCC codes are written out here
again, so a typo in the pack's tables fails a test instead of a demo.
"""

from __future__ import annotations

import copy
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import zipcodes
from stdnum import luhn

from pymockapi.errors import NotFound
from pymockapi.industries.healthcare import PACK
from pymockapi.industries.healthcare.clinical import candidates
from pymockapi.industries.healthcare.clock import utc_offset
from pymockapi.industries.healthcare.data import CONDITIONS, DRUG_BY_NAME, DRUGS, OBSERVATIONS
from pymockapi.industries.healthcare.rules import article_faults
from pymockapi.industries.healthcare.text import age_phrase, article, person_noun
from pymockapi.industries.seeding import GenContext

with warnings.catch_warnings():  # simple_icd_10_cm 1.5 loads its data with a deprecated importlib call
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm as icd

ANCHOR = date(2025, 3, 15)
SEEDS = (11, 22, 33)
PATIENTS = 400
PROVIDERS = 340

LOINC = {
    "8867-4": ("Heart rate", "/min"),
    "8480-6": ("Systolic blood pressure", "mm[Hg]"),
    "8462-4": ("Diastolic blood pressure", "mm[Hg]"),
    "8310-5": ("Body temperature", "Cel"),
    "9279-1": ("Respiratory rate", "/min"),
    "59408-5": ("Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
    "29463-7": ("Body weight", "kg"),
    "8302-2": ("Body height", "cm"),
    "39156-5": ("Body mass index (BMI) [Ratio]", "kg/m2"),
    "2345-7": ("Glucose [Mass/volume] in Serum or Plasma", "mg/dL"),
    "4548-4": ("Hemoglobin A1c/Hemoglobin.total in Blood", "%"),
    "2093-3": ("Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL"),
    "10839-9": ("Troponin I.cardiac [Mass/volume] in Serum or Plasma", "ng/mL"),
    "2160-0": ("Creatinine [Mass/volume] in Serum or Plasma", "mg/dL"),
    "718-7": ("Hemoglobin [Mass/volume] in Blood", "g/dL"),
    "2823-3": ("Potassium [Moles/volume] in Serum or Plasma", "mmol/L"),
    "2951-2": ("Sodium [Moles/volume] in Serum or Plasma", "mmol/L"),
    "3016-3": ("Thyrotropin [Units/volume] in Serum or Plasma", "m[IU]/L"),
    "6690-2": ("Leukocytes [#/volume] in Blood by Automated count", "10*3/uL"),
}
NUCC = {
    "207Q00000X": "Family Medicine",
    "207R00000X": "Internal Medicine",
    "207RC0000X": "Cardiovascular Disease",
    "208000000X": "Pediatrics",
    "207X00000X": "Orthopaedic Surgery",
    "207P00000X": "Emergency Medicine",
    "2084N0400X": "Neurology",
    "207V00000X": "Obstetrics & Gynecology",
    "207RE0101X": "Endocrinology, Diabetes & Metabolism",
    "207RP1001X": "Pulmonary Disease",
    "207RG0100X": "Gastroenterology",
    "2084P0800X": "Psychiatry",
    "363LF0000X": "Family Nurse Practitioner",
    "363LP0200X": "Pediatric Nurse Practitioner",
    "363AM0700X": "Medical Physician Assistant",
    "363AS0400X": "Surgical Physician Assistant",
}
MALE_ONLY = {"N40.0", "C61", "N52.9", "Z12.5"}
TEXT_FIELDS = {"encounter": ("reason", "note"), "appointment": ("reason",), "medication": ("sig",)}

validate = PACK.validate


def ctx_for(seed: int) -> GenContext:
    return GenContext("riverside", 7, seed, ANCHOR, {"patient": PATIENTS, "provider": PROVIDERS})


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    for seed in SEEDS:
        gen = ctx_for(seed)
        for i in range(1, PATIENTS + 1):
            made += [dict(r, _seed=seed) for r in PACK.generate(gen, "patient", i, {})]
        for i in range(1, PROVIDERS + 1):
            made += [dict(r, _seed=seed) for r in PACK.generate(gen, "provider", i, {})]
    return made


@pytest.fixture(scope="module")
def small_world() -> list[dict[str, Any]]:
    gen = GenContext("riverside", 7, 4, ANCHOR, {"patient": 20, "provider": 6})
    made = [r for i in range(1, 21) for r in PACK.generate(gen, "patient", i, {})]
    return made + [r for i in range(1, 7) for r in PACK.generate(gen, "provider", i, {})]


@pytest.fixture(scope="module")
def by_type(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        grouped[r["type"]].append(r)
    return grouped


@pytest.fixture(scope="module")
def index(records: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    return {(r["_seed"], r["id"]): r for r in records}


def years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@cache
def zip_facts(code: str) -> dict[str, Any]:
    found = zipcodes.matching(code)
    assert found, code
    return found[0]


def test_every_record_type_has_a_thousand_samples(by_type: dict[str, list[dict[str, Any]]]) -> None:
    counts = Counter({k: len(v) for k, v in by_type.items()})
    assert set(counts) == {rt.name for rt in PACK.record_types}
    assert min(counts.values()) >= 1000, counts


def test_records_are_json_ready_with_id_and_type_first(records: list[dict[str, Any]]) -> None:
    allowed = (str, int, float, bool, type(None), list, dict)
    prefixes = {rt.name: rt.prefix for rt in PACK.record_types}
    for r in records:
        assert list(r)[:2] == ["id", "type"]
        assert r["id"].startswith(prefixes[r["type"]] + "-")
        assert all(isinstance(v, allowed) for v in r.values())
        rt = PACK.record_type(r["type"])
        assert rt is not None
        if rt.owner_field:
            assert r["id"].split("-")[1] == r[rt.owner_field].split("-")[1]


def test_people_are_fictional_and_consistent(by_type: dict[str, list[dict[str, Any]]]) -> None:
    for r in by_type["patient"] + by_type["provider"]:
        assert re.fullmatch(r"[a-z]+\.[a-z]+@example\.(com|org|net)", r["email"])
        assert r["email"].split("@")[0].replace(".", "") == re.sub(
            r"[^a-z]", "", (r["first_name"] + r["last_name"]).lower()
        )
        assert re.fullmatch(r"\+1-\d{3}-555-01\d{2}", r["phone"])
        assert years_between(date.fromisoformat(r["birth_date"]), ANCHOR) == r["age"]
        place = zip_facts(r["address"]["zip"])
        assert (place["city"], place["state"]) == (r["address"]["city"], r["address"]["state"])
        assert r["display_name"].startswith(f"{r['first_name']} {r['last_name']}")


def test_patients_carry_identifiers_and_coverage(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    for r in by_type["patient"]:
        assert re.fullmatch(r"MRN-\d{8}", r["mrn"])
        assert re.fullmatch(r"9\d{2}-\d{2}-\d{4}", r["ssn_like"])
        assert r["member_id"][:3].isalpha() and r["member_id"][3:].isdigit()
        assert index[(r["_seed"], r["primary_provider_id"])]["type"] == "provider"
        if r["age"] < 65:
            assert "Medicare" not in r["payer"]


def test_providers_have_valid_npis_and_real_taxonomy(by_type: dict[str, list[dict[str, Any]]]) -> None:
    seen = set()
    for r in by_type["provider"]:
        assert re.fullmatch(r"[12]\d{9}", r["npi"])
        assert luhn.is_valid("80840" + r["npi"])
        assert NUCC[r["taxonomy_code"]] == r["specialty"]
        assert 28 <= r["age"] <= 70
        expected = {"NP": "363L", "PA": "363A"}.get(r["credentials"], "20")
        assert r["taxonomy_code"].startswith(expected)
        assert r["display_name"].endswith(", " + r["credentials"])
        assert r["organisation"].strip()
        seen.add(r["taxonomy_code"])
    assert len(seen) >= 12


def test_conditions_are_real_billable_icd10cm(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    for r in by_type["condition"]:
        assert icd.is_valid_item(r["code"]) and icd.is_leaf(r["code"])
        assert icd.get_description(r["code"]) == r["title"]
        assert r["system"] == "http://hl7.org/fhir/sid/icd-10-cm"
        patient = index[(r["_seed"], r["patient_id"])]
        born, onset = date.fromisoformat(patient["birth_date"]), date.fromisoformat(r["onset_date"])
        assert born <= onset <= ANCHOR
        years = years_between(born, onset)
        if r["code"].startswith("O"):
            assert patient["sex"] == "female" and 15 <= years <= 50
        if r["code"] in MALE_ONLY:
            assert patient["sex"] == "male"
        if r["code"].startswith("Z00.1") or r["code"] in ("F90.9", "F84.0"):
            assert years < 18
        enc = index[(r["_seed"], r["encounter_id"])]
        assert enc["patient_id"] == r["patient_id"]
        assert onset <= datetime.fromisoformat(enc["start"]).date()
        if r["clinical_status"] == "resolved":
            assert onset <= date.fromisoformat(r["abatement_date"]) <= ANCHOR


def test_shipped_code_tables_match_authorities() -> None:
    for c in CONDITIONS:
        assert icd.is_leaf(c.code) and icd.get_description(c.code) == c.title, c.code
    assert len(CONDITIONS) >= 60
    for o in OBSERVATIONS:
        assert LOINC[o.loinc] == (o.display, o.unit)


def test_encounters_are_past_and_after_birth(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    classes = Counter()
    for r in by_type["encounter"]:
        start, end = datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"])
        patient = index[(r["_seed"], r["patient_id"])]
        assert start.tzinfo is not None and start <= end
        assert date.fromisoformat(patient["birth_date"]) <= start.date() and end.date() <= ANCHOR
        assert index[(r["_seed"], r["provider_id"])]["type"] == "provider"
        assert r["status"] == "finished"
        classes[r["class"]] += 1
    assert set(classes) == {"ambulatory", "emergency", "inpatient"}


def test_local_times_carry_the_zone_offset_of_the_address(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    for r in by_type["encounter"][:3000] + by_type["appointment"]:
        state_zip = index[(r["_seed"], r["patient_id"])]["address"]["zip"]
        start = datetime.fromisoformat(r["start"])
        zone = ZoneInfo(zip_facts(state_zip)["timezone"])
        assert start.utcoffset() == zone.utcoffset(start.replace(tzinfo=None) + timedelta(hours=3))


def test_observations_are_loinc_coded_plausible_and_flagged(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    per_encounter: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    flags = Counter()
    for r in by_type["observation"]:
        display, unit = LOINC[r["code"]]
        assert (r["display"], r["unit"], r["system"]) == (display, unit, "http://loinc.org")
        band = r["reference_range"]
        if band is None:
            assert r["interpretation"] is None
        else:
            expected = "high" if r["value"] > band["high"] else "low" if r["value"] < band["low"] else "normal"
            assert r["interpretation"] == expected
            flags[expected] += 1
        enc = index[(r["_seed"], r["encounter_id"])]
        effective = datetime.fromisoformat(r["effective"])
        assert datetime.fromisoformat(enc["start"]) <= effective <= datetime.fromisoformat(enc["end"])
        per_encounter[(r["_seed"], r["encounter_id"])][r["code"]] = r["value"]
    assert set(flags) == {"normal", "high", "low"}
    for values in per_encounter.values():
        assert 25 <= values["8867-4"] <= 250 and 33 <= values["8310-5"] <= 43
        if "8480-6" in values:
            assert values["8462-4"] < values["8480-6"]
        if "39156-5" in values:
            assert abs(values["29463-7"] / (values["8302-2"] / 100) ** 2 - values["39156-5"]) <= 0.06


def test_children_have_child_sized_vitals(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    for r in by_type["observation"]:
        patient = index[(r["_seed"], r["patient_id"])]
        years = years_between(date.fromisoformat(patient["birth_date"]), datetime.fromisoformat(r["effective"]).date())
        if r["code"] == "8302-2":
            assert (40 <= r["value"] <= 120) if years < 5 else (90 <= r["value"] <= 220)
        if r["code"] == "8867-4" and years < 1:
            assert r["reference_range"]["low"] >= 90
        if r["code"] in ("8480-6", "8462-4"):
            assert years >= 3


def test_medications_match_their_conditions(
    by_type: dict[str, list[dict[str, Any]]], index: dict[tuple[int, str], dict[str, Any]]
) -> None:
    for r in by_type["medication"]:
        drug = DRUG_BY_NAME[r["drug"]]
        condition = index[(r["_seed"], r["condition_id"])]
        assert condition["code"] in drug.treats and condition["patient_id"] == r["patient_id"]
        if r["drug"] == "metformin":
            assert condition["code"] == "E11.9" and r["frequency"] == "twice daily"
        assert r["dose"]["value"] in drug.strengths + drug.child_strengths
        assert r["sig"].startswith(f"{r['drug']} ")
        assert index[(r["_seed"], r["provider_id"])]["type"] == "provider"
        assert date.fromisoformat(r["authored_on"]) <= ANCHOR


def test_appointments_are_booked_in_the_future(by_type: dict[str, list[dict[str, Any]]]) -> None:
    for r in by_type["appointment"]:
        start, end = datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"])
        assert start.date() > ANCHOR and start.weekday() < 5
        assert end - start == timedelta(minutes=r["duration_minutes"])
        assert r["status"] == "booked"


def test_text_is_grammatical_and_varied(by_type: dict[str, list[dict[str, Any]]]) -> None:
    for kind, fields in TEXT_FIELDS.items():
        for r in by_type[kind]:
            for name in fields:
                text = r[name]
                assert not re.search(r"[{}]|\bNone\b| {2}", text), text
                for art, word in re.findall(r"\b(a|an|A|An) ([\w']+)", text):
                    an = word.startswith("8") or word in ("11", "18") if word.isdigit() else word[0] in "aeiou"
                    assert (art.lower() == "an") == an, text
    notes = [r["note"] for r in by_type["encounter"][:1000]]
    assert len(set(notes)) / len(notes) > 0.97


def test_pack_validator_accepts_generated_data(records: list[dict[str, Any]]) -> None:
    for seed in SEEDS:
        subset = [{k: v for k, v in r.items() if k != "_seed"} for r in records if r["_seed"] == seed]
        assert validate(subset) == []
        assert validate(subset[:400], anchor=ANCHOR) == []


def _first(
    records: list[dict[str, Any]], kind: str, test: Callable[[dict[str, Any]], bool] = lambda r: True
) -> dict[str, Any]:
    return next(r for r in records if r["type"] == kind and test(r))


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(r: dict[str, Any]) -> None:
        r[name] = value

    return change


def _drop(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda r: r.pop(name)


BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], None], str]] = [
    ("patient", lambda r: True, _set("email", "maria@gmail.com"), "email"),
    ("patient", lambda r: True, _set("email", "someone.else@example.com"), "email"),
    ("patient", lambda r: True, _set("phone", "+1-617-555-1234"), "phone"),
    ("patient", lambda r: True, _set("sex", "unknown"), "sex"),
    ("patient", lambda r: True, _set("age", 3), "age"),
    ("patient", lambda r: True, _set("age", 130), "age"),
    ("patient", lambda r: True, _set("age", -1), "age"),
    ("patient", lambda r: True, _set("age", "58"), "age"),
    ("patient", lambda r: True, _set("birth_date", "yesterday"), "birth_date"),
    ("patient", lambda r: True, _set("address", {"zip": "02108", "city": "Denver", "state": "CO"}), "address"),
    ("patient", lambda r: True, _set("address", {"zip": "00000", "city": "Nowhere", "state": "ZZ"}), "address"),
    ("patient", lambda r: True, _set("mrn", "12345"), "mrn"),
    ("patient", lambda r: True, _set("payer", "Acme Insurance"), "payer"),
    ("patient", lambda r: True, _set("member_id", "XYZ1"), "member_id"),
    ("patient", lambda r: True, _set("ssn_like", "123-45-6789"), "ssn_like"),
    ("patient", lambda r: True, _set("primary_provider_id", "prov-9999"), "primary_provider_id"),
    ("patient", lambda r: True, _set("primary_provider_id", "pat-0002"), "primary_provider_id"),
    ("patient", lambda r: True, _set("display_name", " "), "display_name"),
    ("patient", lambda r: True, _set("id", "patient-1"), "id"),
    ("patient", lambda r: True, _drop("last_name"), "last_name"),
    ("provider", lambda r: True, lambda r: r.update(npi=r["npi"][:-1] + str((int(r["npi"][-1]) + 1) % 10)), "npi"),
    ("provider", lambda r: True, _set("taxonomy_code", "999X00000X"), "taxonomy_code"),
    ("provider", lambda r: True, _set("specialty", "Astrology"), "specialty"),
    ("provider", lambda r: r["credentials"] in ("MD", "DO"), _set("credentials", "NP"), "credentials"),
    ("provider", lambda r: True, _set("credentials", "RN"), "credentials"),
    ("provider", lambda r: True, lambda r: r.update(age=20), "age"),
    ("provider", lambda r: True, _set("organisation", ""), "organisation"),
    ("encounter", lambda r: True, _set("class", "virtual"), "class"),
    ("encounter", lambda r: True, _set("status", "lost"), "status"),
    ("encounter", lambda r: True, lambda r: r.update(end="2000-01-01T00:00:00+00:00"), "end"),
    ("encounter", lambda r: True, lambda r: r.update(start="1800-01-01T00:00:00+00:00"), "start"),
    ("encounter", lambda r: True, lambda r: r.update(end="2099-01-01T00:00:00+00:00"), "end"),
    ("encounter", lambda r: True, _set("start", "2024-01-01T09:00:00"), "start"),
    ("encounter", lambda r: True, _set("start", "soon"), "start"),
    ("encounter", lambda r: True, _set("provider_id", "prov-9999"), "provider_id"),
    ("encounter", lambda r: True, _set("patient_id", "pat-9999"), "patient_id"),
    ("encounter", lambda r: True, _set("note", "Seen for {reason}."), "note"),
    ("encounter", lambda r: True, _set("note", "A 80-year-old man was seen."), "note"),
    ("encounter", lambda r: True, _set("note", "An 58-year-old man was seen."), "note"),
    ("encounter", lambda r: True, _set("note", "Seen  twice."), "note"),
    ("encounter", lambda r: True, _set("reason", "   "), "reason"),
    ("condition", lambda r: True, _set("code", "Q99.99"), "code"),
    ("condition", lambda r: True, _set("title", "Something else"), "title"),
    ("condition", lambda r: True, _set("system", "http://snomed.info/sct"), "system"),
    ("condition", lambda r: True, _set("clinical_status", "unknown"), "clinical_status"),
    ("condition", lambda r: r["clinical_status"] == "resolved", _set("abatement_date", "1900-01-01"), "abatement_date"),
    ("condition", lambda r: True, _set("onset_date", "1850-01-01"), "onset_date"),
    ("condition", lambda r: r["clinical_status"] == "active", _set("onset_date", "2099-01-01"), "onset_date"),
    ("condition", lambda r: True, _set("encounter_id", "enc-9999-01"), "encounter_id"),
    ("condition", lambda r: True, _set("encounter_id", "obs-0001-01"), "encounter_id"),
    ("condition", lambda r: True, _set("encounter_id", 7), "encounter_id"),
    (
        "condition",
        lambda r: r["code"] not in MALE_ONLY and not r["code"].startswith(("O", "Z3")),
        lambda r: r.update(code="N40.0", title="Benign prostatic hyperplasia without lower urinary tract symptoms"),
        "code",
    ),
    ("observation", lambda r: True, _set("code", "1234-5"), "code"),
    ("observation", lambda r: True, _set("system", "http://snomed.info/sct"), "system"),
    ("observation", lambda r: True, _set("display", "Pulse"), "display"),
    ("observation", lambda r: True, _set("unit", "bpm"), "unit"),
    ("observation", lambda r: True, _set("value", 99999), "value"),
    ("observation", lambda r: True, _set("value", "high"), "value"),
    ("observation", lambda r: r["interpretation"] == "normal", _set("interpretation", "high"), "interpretation"),
    ("observation", lambda r: r["reference_range"] is None, _set("interpretation", "high"), "interpretation"),
    (
        "observation",
        lambda r: r["reference_range"] is not None,
        _set("reference_range", {"low": "a"}),
        "reference_range",
    ),
    (
        "observation",
        lambda r: r["reference_range"] is not None,
        lambda r: r.update(reference_range={"low": -1000, "high": 1000}, interpretation="normal"),
        "reference_range",
    ),
    ("observation", lambda r: True, _set("effective", "2001-01-01T00:00:00+00:00"), "effective"),
    ("observation", lambda r: True, _set("encounter_id", "enc-0002-01"), "encounter_id"),
    ("medication", lambda r: True, _set("drug", "snake oil"), "drug"),
    ("medication", lambda r: True, _set("dose", {"value": 7777, "unit": "mg"}), "dose"),
    ("medication", lambda r: True, _set("dose", {"value": 10, "unit": "kg"}), "dose"),
    ("medication", lambda r: True, _set("route", "rectal"), "route"),
    ("medication", lambda r: True, _set("frequency", "hourly"), "frequency"),
    ("medication", lambda r: True, _set("sig", "take something"), "sig"),
    ("medication", lambda r: True, _set("status", "stolen"), "status"),
    ("medication", lambda r: True, _set("authored_on", "1800-01-01"), "authored_on"),
    (
        "medication",
        lambda r: r["drug"] != "metformin",
        lambda r: r.update(
            drug="metformin",
            dose={"value": 500, "unit": "mg"},
            route="oral",
            frequency="twice daily",
            sig="metformin 500 mg by mouth twice daily",
        ),
        "condition_id",
    ),
    ("medication", lambda r: True, _set("provider_id", "prov-9999"), "provider_id"),
    ("appointment", lambda r: True, _set("duration_minutes", 7), "duration_minutes"),
    ("appointment", lambda r: True, _set("status", "cancelled"), "status"),
    ("appointment", lambda r: True, lambda r: r.update(end=r["start"]), "end"),
    (
        "appointment",
        lambda r: True,
        lambda r: r.update(
            start="2001-01-01T09:00:00+00:00",
            end=f"2001-01-01T{9 + r['duration_minutes'] // 60:02d}:{r['duration_minutes'] % 60:02d}:00+00:00",
        ),
        "start",
    ),
    ("appointment", lambda r: True, _set("reason", "Follow-up: None"), "reason"),
    ("appointment", lambda r: True, _set("provider_id", "prov-9999"), "provider_id"),
]


@pytest.mark.parametrize(
    "kind,pick,breakage,field", BREAKAGES, ids=[f"{b[0]}-{b[3]}-{n}" for n, b in enumerate(BREAKAGES)]
)
def test_validator_reports_each_broken_rule(
    small_world: list[dict[str, Any]],
    kind: str,
    pick: Callable[[dict[str, Any]], bool],
    breakage: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    clean = small_world
    target = _first(clean, kind, pick)
    broken = copy.deepcopy(target)
    breakage(broken)
    data = [broken if r is target else r for r in clean]
    found = {(v.record_id, v.field) for v in validate(data)}
    assert (target["id"] if kind != "patient" or field != "id" else "patient-1", field) in found


def test_small_world_is_clean(small_world: list[dict[str, Any]]) -> None:
    assert validate(small_world) == []


def test_validator_reports_garbage_without_raising() -> None:
    junk: list[Any] = [
        {"id": "x", "type": "spaceship"},
        {"type": ["patient"]},
        "not a record",
        {"id": "pat-0001", "type": "patient"},
        {"id": "obs-0001-01", "type": "observation", "code": 5},
        {
            "id": "enc-0001-01",
            "type": "encounter",
            "class": "ambulatory",
            "status": "finished",
            "start": "2024-01-01T09:00:00+00:00",
            "end": "2024-01-01T10:00:00+00:00",
            "note": 3,
            "reason": "Cough",
            "patient_id": "pat-0001",
            "provider_id": "prov-0001",
        },
        {"id": "appt-0001-01", "type": "appointment", "start": "2024-01-02T09:00:00+00:00"},
        {
            "id": "cond-0001-01",
            "type": "condition",
            "code": "I10",
            "title": "Essential (primary) hypertension",
            "system": "http://hl7.org/fhir/sid/icd-10-cm",
            "clinical_status": "active",
            "onset_date": "2024-01-01",
            "patient_id": "pat-0001",
            "encounter_id": "enc-0001-01",
        },
        {
            "id": "med-0001-01",
            "type": "medication",
            "drug": "aspirin",
            "dose": {"value": 81, "unit": "mg"},
            "route": "oral",
            "frequency": "once daily",
            "sig": "aspirin 81 mg by mouth once daily",
            "status": "active",
            "authored_on": "2024-01-01",
            "patient_id": "pat-0001",
            "provider_id": "prov-0001",
            "condition_id": None,
        },
    ]
    found = PACK.validate(junk)
    fields = {(v.record_id, v.field) for v in found}
    assert ("x", "type") in fields and ("?", "type") in fields
    assert ("pat-0001", "first_name") in fields and ("obs-0001-01", "code") in fields
    assert ("enc-0001-01", "note") in fields and ("appt-0001-01", "end") in fields
    assert ("cond-0001-01", "onset_date") not in fields
    assert all(v.as_dict()["problem"] for v in found)


def test_partial_data_sets_check_what_they_can(small_world: list[dict[str, Any]]) -> None:
    for missing in ("patient", "encounter", "condition", "provider"):
        assert validate([r for r in small_world if r["type"] != missing]) == [], missing
    for only in ("appointment", "observation", "medication", "condition"):
        assert validate([r for r in small_world if r["type"] == only]) == [], only
    anonymous = dict(_first(small_world, "patient"), ssn_like=None)
    assert validate([anonymous]) == []
    assert validate([dict(_first(small_world, "medication"), condition_id=None)]) == []


class Exploding(dict):  # type: ignore[type-arg]
    """A record whose storage fails on one field, as a corrupt export might."""

    def __getitem__(self, key: str) -> Any:
        if key == "mrn":
            raise ValueError("unreadable field")
        return super().__getitem__(key)


def test_validator_survives_unexpected_failures(small_world: list[dict[str, Any]]) -> None:
    odd = Exploding(_first(small_world, "patient"))
    ancient = {
        "id": "appt-0001-09",
        "type": "appointment",
        "start": "0001-01-01T09:00:00+00:00",
        "end": "0001-01-01T09:30:00+00:00",
        "duration_minutes": 30,
        "status": "booked",
        "reason": "Checkup",
        "patient_id": "pat-0001",
        "provider_id": "prov-0001",
    }
    unfinished = {"id": "enc-0001-09", "type": "encounter", "status": "finished", "end": "later"}
    found = {(v.record_id, v.field, v.problem.split(":")[0]) for v in validate([odd, ancient, unfinished])}
    assert (odd["id"], "patient", "cannot be read (ValueError") in found
    assert ("enc-0001-09", "class", "is missing") in found


def test_condition_table_covers_every_age_and_sex() -> None:
    for years in range(0, 121):
        for sex in ("female", "male"):
            for chronic in (True, False):
                assert candidates(years, sex, chronic)[0], (years, sex, chronic)


def test_validator_reports_malformed_nested_values(records: list[dict[str, Any]]) -> None:
    patient = copy.deepcopy(_first(records, "patient"))
    patient.pop("_seed")
    patient["address"] = {"zip": ["02108"]}
    patient["member_id"] = None
    obs = copy.deepcopy(_first(records, "observation", lambda r: r["reference_range"] is not None))
    obs.pop("_seed")
    obs["reference_range"] = ["low", "high"]
    found = {(v.record_id, v.field) for v in validate([patient, obs])}
    assert (patient["id"], "address") in found and (patient["id"], "member_id") in found
    assert (obs["id"], "reference_range") in found


def test_generate_rejects_owned_kinds() -> None:
    with pytest.raises(NotFound, match="No healthcare record type named 'encounter'"):
        PACK.generate(ctx_for(1), "encounter", 1, {})


def test_pins_win_and_derived_fields_follow() -> None:
    gen = ctx_for(5)
    maria = PACK.generate(
        gen, "patient", 1, {"first_name": "Maria", "last_name": "Alvarez", "age": 58, "payer": "Medicaid Managed Care"}
    )[0]
    assert (maria["display_name"], maria["age"], maria["sex"]) == ("Maria Alvarez", 58, "female")
    assert maria["email"].startswith("maria.alvarez@") and maria["payer"] == "Medicaid Managed Care"
    assert years_between(date.fromisoformat(maria["birth_date"]), ANCHOR) == 58
    born = PACK.generate(gen, "patient", 2, {"birth_date": "1990-06-01"})[0]
    assert born["birth_date"] == "1990-06-01" and born["age"] == years_between(date(1990, 6, 1), ANCHOR)
    doc = PACK.generate(gen, "provider", 3, {"credentials": "NP", "last_name": "Okafor"})[0]
    assert doc["credentials"] == "NP" and doc["taxonomy_code"].startswith("363L")
    assert doc["display_name"].endswith("Okafor, NP")
    cardio = PACK.generate(gen, "provider", 4, {"taxonomy_code": "207RC0000X"})[0]
    assert cardio["specialty"] == "Cardiovascular Disease" and cardio["credentials"] in ("MD", "DO")
    assert validate([maria, born]) == [] and validate([doc, cardio]) == []


def test_newborns_and_elders_get_fitting_histories() -> None:
    gen = ctx_for(9)
    for i in range(1, 40):
        newborn = PACK.generate(gen, "patient", i, {"age": 0})
        born = date.fromisoformat(newborn[0]["birth_date"])
        for r in newborn[1:]:
            if r["type"] == "encounter":
                assert datetime.fromisoformat(r["start"]).date() >= born
        assert validate(newborn) == []
        elder = PACK.generate(gen, "patient", i, {"age": 88})
        assert validate(elder) == []
    on_anchor = GenContext("riverside", 7, 1, date(2024, 2, 29), {"patient": 3, "provider": 2})
    for i in range(1, 30):
        assert validate(PACK.generate(on_anchor, "patient", i, {"age": 0, "birth_date": "2024-02-29"})) == []


def test_article_and_age_words() -> None:
    assert [article(w) for w in ("8-year-old", "11-month-old", "18-year-old", "80-year-old", "58-year-old")] == [
        "an",
        "an",
        "an",
        "an",
        "a",
    ]
    assert [article(w) for w in ("infant", "hour", "urinary", "newborn", "one")] == ["an", "an", "a", "a", "a"]
    assert age_phrase(date(2025, 3, 1), date(2025, 3, 2), 0) == "newborn"
    assert age_phrase(date(2025, 2, 1), date(2025, 3, 2), 0) == "1-month-old"
    assert age_phrase(date(2025, 2, 10), date(2025, 3, 2), 0) == "2-week-old"
    assert person_noun("female", 0) == "female infant" and person_noun("male", 5) == "boy"
    assert article_faults("An 8-year-old and a 11-year-old") == ["a 11"]


def test_every_drug_treats_a_shipped_condition_and_times_follow_dst() -> None:
    codes = {c.code for c in CONDITIONS}
    assert all(set(d.treats) <= codes and d.treats for d in DRUGS)
    assert utc_offset("AZ", datetime(2024, 7, 1, 12)) == -7
    assert utc_offset("NY", datetime(2024, 7, 1, 12)) == -4
    assert utc_offset("NY", datetime(2024, 1, 1, 12)) == -5
    assert utc_offset("PR", datetime(2024, 1, 1, 12)) == -5
