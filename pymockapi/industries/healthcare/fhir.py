"""FHIR R4 views of healthcare records (``?format=fhir``).

The records stay the product's own JSON shape; FHIR is a rendering of them,
so a Patient, its Encounters and Observations agree with the plain JSON
byte for byte in every value.  References are relative (``Patient/pat-0001``)
because bodies never carry a session's base URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from pymockapi.errors import NotAcceptable
from pymockapi.industries.healthcare.data import NPI_SYSTEM, NUCC_SYSTEM, UCUM_SYSTEM
from pymockapi.industries.healthcare.kinds import TYPE_BY_PREFIX
from pymockapi.industries.healthcare.text import unit_display
from pymockapi.industries.records import RecordId

Resource = dict[str, Any]

TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
MRN_SYSTEM = "urn:pymockapi:mrn"
ENCOUNTER_CLASS_CODES = {"ambulatory": ("AMB", "ambulatory"), "emergency": ("EMER", "emergency"),
                         "inpatient": ("IMP", "inpatient encounter")}
INTERPRETATION_CODES = {"normal": ("N", "Normal"), "high": ("H", "High"), "low": ("L", "Low")}
CATEGORY_DISPLAY = {"vital-signs": "Vital Signs", "laboratory": "Laboratory"}
CONDITION_CATEGORY_DISPLAY = {"problem-list-item": "Problem List Item", "encounter-diagnosis": "Encounter Diagnosis"}
RESOURCE_TYPES = {"patient": "Patient", "provider": "Practitioner", "encounter": "Encounter",
                  "condition": "Condition", "observation": "Observation", "medication": "MedicationRequest",
                  "appointment": "Appointment"}


def reference(record_id: str) -> dict[str, str]:
    """A relative reference to another record by its id prefix."""
    kind = TYPE_BY_PREFIX[RecordId.prefix_of(record_id)].name
    return {"reference": f"{RESOURCE_TYPES[kind]}/{record_id}"}


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _narrative(text: str) -> dict[str, str]:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'}


def _person(r: Mapping[str, Any], resource_type: str) -> Resource:
    place = r["address"]
    return {
        "resourceType": resource_type,
        "id": r["id"],
        "active": True,
        "name": [{"use": "official", "family": r["last_name"], "given": [r["first_name"]]}],
        "telecom": [{"system": "phone", "value": r["phone"], "use": "home"},
                    {"system": "email", "value": r["email"]}],
        "gender": r["sex"],
        "birthDate": r["birth_date"],
        "address": [{"use": "home", "line": [place["line1"]], "city": place["city"], "state": place["state"],
                     "postalCode": place["zip"], "country": place["country"]}],
    }


def _patient(r: Mapping[str, Any]) -> Resource:
    resource = _person(r, "Patient")
    resource["identifier"] = [{"use": "usual", "type": _coding(TERMINOLOGY + "v2-0203", "MR", "Medical record number"),
                               "system": MRN_SYSTEM, "value": r["mrn"]}]
    resource["generalPractitioner"] = [reference(r["primary_provider_id"])]
    return resource


def _practitioner(r: Mapping[str, Any]) -> Resource:
    resource = _person(r, "Practitioner")
    resource["name"][0]["suffix"] = [r["credentials"]]
    resource["identifier"] = [{"system": NPI_SYSTEM, "value": r["npi"]}]
    resource["qualification"] = [{"code": _coding(NUCC_SYSTEM, r["taxonomy_code"], r["specialty"])}]
    return resource


def _encounter(r: Mapping[str, Any]) -> Resource:
    code, display = ENCOUNTER_CLASS_CODES[r["class"]]
    return {
        "resourceType": "Encounter",
        "id": r["id"],
        "text": _narrative(r["note"] or r["reason"]),
        "status": r["status"],
        "class": {"system": TERMINOLOGY + "v3-ActCode", "code": code, "display": display},
        "subject": reference(r["patient_id"]),
        "participant": [{"individual": reference(r["provider_id"])}],
        "period": {"start": r["start"], "end": r["end"]},
        "reasonCode": [{"text": r["reason"]}],
    }


def _condition(r: Mapping[str, Any]) -> Resource:
    resource: Resource = {
        "resourceType": "Condition",
        "id": r["id"],
        "clinicalStatus": _coding(TERMINOLOGY + "condition-clinical", r["clinical_status"],
                                  r["clinical_status"].capitalize()),
        "verificationStatus": _coding(TERMINOLOGY + "condition-ver-status", r["verification_status"],
                                      r["verification_status"].capitalize()),
        "category": [_coding(TERMINOLOGY + "condition-category", r["category"],
                             CONDITION_CATEGORY_DISPLAY[r["category"]])],
        "code": _coding(r["system"], r["code"], r["title"]),
        "subject": reference(r["patient_id"]),
        "encounter": reference(r["encounter_id"]),
        "onsetDateTime": r["onset_date"],
    }
    if r.get("abatement_date"):
        resource["abatementDateTime"] = r["abatement_date"]
    return resource


def _observation(r: Mapping[str, Any]) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "id": r["id"],
        "status": r["status"],
        "category": [_coding(TERMINOLOGY + "observation-category", r["category"], CATEGORY_DISPLAY[r["category"]])],
        "code": _coding(r["system"], r["code"], r["display"]),
        "subject": reference(r["patient_id"]),
        "encounter": reference(r["encounter_id"]),
        "effectiveDateTime": r["effective"],
        "valueQuantity": _quantity(r["value"], r["unit"], r["code"]),
    }
    if r.get("interpretation"):
        code, display = INTERPRETATION_CODES[r["interpretation"]]
        resource["interpretation"] = [_coding(TERMINOLOGY + "v3-ObservationInterpretation", code, display)]
    if r.get("reference_range"):
        band = r["reference_range"]
        resource["referenceRange"] = [{"low": _quantity(band["low"], r["unit"], r["code"]),
                                       "high": _quantity(band["high"], r["unit"], r["code"])}]
    return resource


def _quantity(value: float, ucum: str, loinc: str | None = None) -> dict[str, Any]:
    """A FHIR Quantity: ``code`` is the UCUM code machines read, ``unit`` the form people read (``°C``)."""
    return {"value": value, "unit": unit_display(ucum, loinc), "system": UCUM_SYSTEM, "code": ucum}


def _medication_request(r: Mapping[str, Any]) -> Resource:
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "id": r["id"],
        "status": r["status"],
        "intent": r["intent"],
        "medicationCodeableConcept": {"text": r["drug"]},
        "subject": reference(r["patient_id"]),
        "authoredOn": r["authored_on"],
        "requester": reference(r["provider_id"]),
        "dosageInstruction": [{
            "text": r["sig"],
            "timing": {"code": {"text": r["frequency"]}},
            "route": {"text": r["route"]},
            "doseAndRate": [{"doseQuantity": _quantity(r["dose"]["value"], r["dose"]["unit"])}],
        }],
    }
    if r.get("encounter_id"):
        resource["encounter"] = reference(r["encounter_id"])
    if r.get("condition_id"):
        resource["reasonReference"] = [reference(r["condition_id"])]
    return resource


def _appointment(r: Mapping[str, Any]) -> Resource:
    return {
        "resourceType": "Appointment",
        "id": r["id"],
        "status": r["status"],
        "description": r["reason"],
        "reasonCode": [{"text": r["reason"]}],
        "start": r["start"],
        "end": r["end"],
        "minutesDuration": r["duration_minutes"],
        "participant": [{"actor": reference(r["patient_id"]), "status": "accepted"},
                        {"actor": reference(r["provider_id"]), "status": "accepted"}],
    }


MAPPERS: Mapping[str, Callable[[Mapping[str, Any]], Resource]] = {
    "patient": _patient, "provider": _practitioner, "encounter": _encounter, "condition": _condition,
    "observation": _observation, "medication": _medication_request, "appointment": _appointment,
}


def to_fhir(record: Mapping[str, Any]) -> Resource:
    """The FHIR R4 resource for one healthcare record."""
    mapper = MAPPERS.get(str(record.get("type")))
    if mapper is None:
        raise NotAcceptable(f"Records of type '{record.get('type')}' have no FHIR form.",
                            f"FHIR is available for: {', '.join(sorted(MAPPERS))}. Use format=json instead.")
    return mapper(record)


def bundle(records: list[dict[str, Any]]) -> Resource:
    """A searchset Bundle of the records' resources, in the order given."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(records),
        "entry": [{"resource": to_fhir(r), "search": {"mode": "match"}} for r in records],
    }
