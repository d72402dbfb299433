"""Clinical prose built from a record's own facts.

Notes, prescription directions and appointment reasons are read aloud in
demos, so they are assembled from the encounter's real conditions, vitals
and prescriptions (never canned paragraphs) and must be grammatical: the
right indefinite article before numbers ("an 8-year-old"), plural nouns
that agree, units a clinician would write.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pymockapi.industries.healthcare.data import BODY_SIZE, ROUTE_PHRASES, UNIT_WORDS, Condition, Drug, ObservationKind

UNIT_DISPLAY: Mapping[str, str] = {
    "/min": "/min", "mm[Hg]": "mmHg", "Cel": "°C", "[degF]": "°F", "%": "%", "kg/m2": "kg/m²", "kg": "kg",
    "g": "g", "cm": "cm", "mg/dL": "mg/dL", "ng/mL": "ng/mL", "g/dL": "g/dL", "mmol/L": "mmol/L",
    "m[IU]/L": "mIU/L", "10*3/uL": "×10³/µL", "mg": "mg", "ug": "mcg", "mL": "mL", "[iU]": "IU",
}
"""Each UCUM code as people read it, beside the code itself (``Cel`` is shown ``°C``): the one table."""

RATE_DISPLAY: Mapping[str, str] = {"8867-4": "bpm", "9279-1": "breaths/min"}
"""Counts per minute by LOINC code on a screen: UCUM writes both rates ``/min``, a chart says what is counted."""

UNSPACED = frozenset({"%", "/min"})
"""Units written against the number (``97%``, ``112/min`` in a note), not after a space."""

DISPLAY_UNITS = {code: shown if shown in UNSPACED else f" {shown}" for code, shown in UNIT_DISPLAY.items()}
"""How each UCUM unit is written after a number in prose (``112/min``, ``37.9 °C``)."""

_SILENT_H = ("hour", "honest", "heir", "honor")
_YOU_SOUND = ("uni", "use", "usu", "ure", "uri", "uti", "one", "eu")

OPENERS = {
    "ambulatory": ("{A} {who} was seen in clinic for {reason}.", "{A} {who} came to the office for {reason}.",
                   "Clinic visit for {reason} in {a} {who}.", "{A} {who} attended a scheduled visit for {reason}."),
    "emergency": ("{A} {who} presented to the emergency department with {reason}.",
                  "{A} {who} was brought to the emergency department for {reason}.",
                  "Emergency visit for {reason} in {a} {who}."),
    "inpatient": ("{A} {who} was admitted with {reason}.", "{A} {who} was admitted to the hospital for {reason}.",
                  "Inpatient stay for {reason} in {a} {who}."),
}
FINDING_LEADS = ("Notable findings: {items}.", "Workup showed {items}.", "Pertinent results include {items}.")
NORMAL_LEADS = ("{items} within normal limits.", "Vital signs stable, with {items_lower} within normal limits.",
                "Measured {items_lower}, all within normal limits.")
ASSESSMENT_LEADS = ("Assessment: {title}.", "Impression: {title}.", "Diagnosis: {title}.")
START_LEADS = ("Started {sig}.", "Prescribed {sig}.", "Plan: {sig}.")
PLANS = {
    "ambulatory": ("Follow up in {n} weeks.", "Return if symptoms worsen.", "Recheck at the next routine visit.",
                   "Supportive care discussed; follow up as needed.", "Recheck in {n} weeks."),
    "emergency": ("Discharged home with return precautions.", "Observed and discharged in stable condition.",
                  "Discharged with follow-up in primary care within {n} days."),
    "inpatient": ("Discharged after {days} in stable condition.", "Admitted for {days} and discharged home.",
                  "Clinically improved over {days}; discharged with follow-up."),
}
APPOINTMENT_REASONS = ("Annual wellness visit", "Medication review", "Lab results review", "Preventive care visit",
                       "Routine follow-up visit")
FOLLOW_UP_FORMS = ("Follow-up: {title}", "Recheck: {title}", "Review of {reason}")


def article(word: str) -> str:
    """``a`` or ``an`` as spoken before ``word`` (ages like ``8-year-old`` and plain words)."""
    lead = word.split("-")[0]
    if lead.isdigit():
        return "an" if lead.startswith("8") or lead in ("11", "18") else "a"
    lower = lead.lower()
    if lower.startswith(_SILENT_H):
        return "an"
    if lower[:1] in "aeiou" and not lower.startswith(_YOU_SOUND):
        return "an"
    return "a"


def plural(n: int, noun: str) -> str:
    """``1 day``, ``3 days``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def age_phrase(birth: date, on: date, years: int) -> str:
    """``58-year-old``, ``7-month-old``, ``2-week-old`` or ``newborn`` at a date."""
    if years >= 1:
        return f"{years}-year-old"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months >= 1:
        return f"{months}-month-old"
    weeks = (on - birth).days // 7
    return f"{weeks}-week-old" if weeks >= 1 else "newborn"


def person_noun(sex: str, years: int) -> str:
    """``woman``/``man``, ``girl``/``boy``, or ``infant`` by age."""
    if years >= 18:
        return "woman" if sex == "female" else "man"
    if years >= 1:
        return "girl" if sex == "female" else "boy"
    return "female infant" if sex == "female" else "male infant"


def measurement(kind: ObservationKind, value: float | int) -> str:
    """A value with its unit as written in a note (``112/min``, ``37.9 °C``)."""
    return f"{value}{DISPLAY_UNITS[kind.unit]}"


def unit_display(ucum: str, loinc: str | None = None) -> str:
    """The human form of a UCUM code (``mm[Hg]`` -> ``mmHg``); a rate says what it counts (``bpm``).

    A code missing from the table is shown as it is: UCUM codes are ASCII
    and readable enough that an unknown one is better than none.
    """
    if loinc is not None and ucum == "/min" and loinc in RATE_DISPLAY:
        return RATE_DISPLAY[loinc]
    return UNIT_DISPLAY.get(ucum, ucum)


def quantity_display(value: float | int, ucum: str, loinc: str | None = None) -> str:
    """A value with its unit as a screen shows it: ``36.4 °C``, ``104 mmHg``, ``77 bpm``, ``97%``."""
    shown = unit_display(ucum, loinc)
    return f"{value}{shown}" if shown in UNSPACED else f"{value} {shown}"


def dose_text(value: float) -> str:
    """``10`` for whole doses, ``2.5`` otherwise."""
    return str(int(value)) if float(value).is_integer() else str(value)


def sig(drug: Drug, dose: float, frequency: str) -> str:
    """Prescription directions: ``lisinopril 10 mg by mouth once daily``."""
    return f"{drug.name} {dose_text(dose)} {UNIT_WORDS[drug.unit]} {ROUTE_PHRASES[drug.route]} {frequency}"


@dataclass(frozen=True)
class Finding:
    """One measured value as a note sees it."""

    kind: ObservationKind
    value: float | int
    interpretation: str | None


@dataclass(frozen=True)
class NoteFacts:
    """Everything an encounter note is written from."""

    birth: date
    on: date
    years: int
    sex: str
    encounter_class: str
    reason: str
    conditions: Sequence[Condition]
    findings: Sequence[Finding]
    prescriptions: Sequence[str]
    days: int


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _abnormal(finding: Finding) -> str:
    word = "elevated" if finding.interpretation == "high" else "low"
    return f"{word} {finding.kind.label} of {measurement(finding.kind, finding.value)}"


def _normal_sentence(findings: Sequence[Finding], rng: random.Random) -> str:
    shown = [f"{f.kind.label} {measurement(f.kind, f.value)}" for f in findings[:2]]
    if not shown:
        return "No vital signs were recorded."
    items = _join(shown)
    lead = rng.choice(NORMAL_LEADS)
    if lead.startswith("{items}"):
        verb = "were" if len(shown) > 1 else "was"
        return f"{capitalised(items)} {verb}{lead[len('{items}'):]}"
    return lead.format(items_lower=items)


def encounter_note(facts: NoteFacts, rng: random.Random) -> str:
    """A clinical summary of one encounter from its conditions, vitals and prescriptions."""
    who = f"{age_phrase(facts.birth, facts.on, facts.years)} {person_noun(facts.sex, facts.years)}"
    opener = rng.choice(OPENERS[facts.encounter_class])
    a = article(who)
    sentences = [opener.format(A=a.capitalize(), a=a, who=who, reason=facts.reason)]
    abnormal = sorted((f for f in facts.findings if f.interpretation in ("high", "low")),
                      key=lambda f: f.kind.key in BODY_SIZE)  # body size is the least news in a note
    if abnormal:
        sentences.append(rng.choice(FINDING_LEADS).format(items=_join([_abnormal(f) for f in abnormal[:3]])))
    else:
        sentences.append(_normal_sentence([f for f in facts.findings if f.interpretation == "normal"], rng))
    sentences.extend(rng.choice(ASSESSMENT_LEADS).format(title=c.title) for c in facts.conditions)
    sentences.extend(rng.choice(START_LEADS).format(sig=s) for s in facts.prescriptions)
    plan = rng.choice(PLANS[facts.encounter_class])
    sentences.append(plan.format(n=rng.randint(2, 6), days=plural(max(1, facts.days), "day")))
    return " ".join(sentences)


def appointment_reason(conditions: Sequence[Condition], rng: random.Random) -> str:
    """Why a patient is booked: a follow-up of a known problem or a routine visit."""
    if conditions and rng.random() < 0.7:
        condition = rng.choice(conditions)
        return rng.choice(FOLLOW_UP_FORMS).format(title=condition.title, reason=condition.reason)
    return rng.choice(APPOINTMENT_REASONS)


def capitalised(text: str) -> str:
    """First letter upper-cased, the rest untouched (``Blood pressure follow-up``)."""
    return text[:1].upper() + text[1:]
