"""The record types of the healthcare pack (names and id prefixes are part of the API)."""

from __future__ import annotations

from collections.abc import Mapping

from pymockapi.industries.records import RecordType

PATIENT = RecordType("patient", "pat", persona=True, default_count=40)
PROVIDER = RecordType("provider", "prov", persona=True, default_count=6)
ENCOUNTER = RecordType("encounter", "enc", owner_field="patient_id")
CONDITION = RecordType("condition", "cond", owner_field="patient_id")
OBSERVATION = RecordType("observation", "obs", owner_field="patient_id")
MEDICATION = RecordType("medication", "med", owner_field="patient_id")
APPOINTMENT = RecordType("appointment", "appt", owner_field="patient_id")

RECORD_TYPES: tuple[RecordType, ...] = (PATIENT, PROVIDER, ENCOUNTER, CONDITION, OBSERVATION, MEDICATION,
                                        APPOINTMENT)
TYPE_BY_NAME: Mapping[str, RecordType] = {rt.name: rt for rt in RECORD_TYPES}
TYPE_BY_PREFIX: Mapping[str, RecordType] = {rt.prefix: rt for rt in RECORD_TYPES}
