"""The healthcare industry pack: HIPAA-safe patients, providers and their care.

Real code systems (ICD-10-CM, LOINC, UCUM, NUCC, NPI check digits) with
fictional people, so a clinical audience recognises every code and no one
recognises a patient.
"""

from __future__ import annotations

from pymockapi.industries.base import AltFormat, IndustryPack
from pymockapi.industries.healthcare.fhir import bundle, to_fhir
from pymockapi.industries.healthcare.generators import GENERATORS
from pymockapi.industries.healthcare.kinds import RECORD_TYPES
from pymockapi.industries.healthcare.rules import RULES
from pymockapi.industries.healthcare.verbs import VERBS

PACK = IndustryPack(
    name="healthcare",
    title="Healthcare",
    record_types=RECORD_TYPES,
    generators=GENERATORS,
    rules=RULES,
    verbs=VERBS,
    formats={"fhir": AltFormat("application/fhir+json; charset=UTF-8", to_fhir, bundle)},
)

__all__ = ["PACK"]
