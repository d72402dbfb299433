"""Every healthcare record renders as a FHIR R4 resource that fhir.resources accepts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner

from pymockapi.errors import NotAcceptable
from pymockapi.industries.healthcare import PACK
from pymockapi.industries.healthcare.fhir import bundle, to_fhir
from pymockapi.industries.seeding import GenContext

MODELS: dict[str, Any] = {"Patient": Patient, "Practitioner": Practitioner, "Encounter": Encounter,
                          "Condition": Condition, "Observation": Observation, "MedicationRequest": MedicationRequest,
                          "Appointment": Appointment}


@pytest.fixture(scope="module")
def world() -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    for seed in (1, 2):
        gen = GenContext("fhir", 3, seed, date(2025, 7, 4), {"patient": 40, "provider": 8})
        made += [r for i in range(1, 41) for r in PACK.generate(gen, "patient", i, {})]
        made += [r for i in range(1, 9) for r in PACK.generate(gen, "provider", i, {})]
    return made


def test_every_resource_parses_with_fhir_resources(world: list[dict[str, Any]]) -> None:
    seen = set()
    for record in world:
        resource = to_fhir(record)
        model = MODELS[resource["resourceType"]].model_validate(resource)
        assert model.id == record["id"]
        seen.add(resource["resourceType"])
    assert seen == set(MODELS)


def test_codes_use_the_standard_systems(world: list[dict[str, Any]]) -> None:
    for record in world:
        resource = to_fhir(record)
        if resource["resourceType"] == "Condition":
            coding = resource["code"]["coding"][0]
            assert coding["system"] == "http://hl7.org/fhir/sid/icd-10-cm" and coding["display"] == record["title"]
        if resource["resourceType"] == "Observation":
            assert resource["code"]["coding"][0]["system"] == "http://loinc.org"
            assert resource["valueQuantity"]["system"] == "http://unitsofmeasure.org"
            assert resource["valueQuantity"]["value"] == record["value"]
            assert ("interpretation" in resource) == (record["interpretation"] is not None)
        if resource["resourceType"] == "Practitioner":
            assert resource["identifier"][0] == {"system": "http://hl7.org/fhir/sid/us-npi", "value": record["npi"]}


def test_a_standalone_prescription_maps_without_links(world: list[dict[str, Any]]) -> None:
    med = dict(next(r for r in world if r["type"] == "medication"), encounter_id=None, condition_id=None)
    resource = MedicationRequest.model_validate(to_fhir(med))
    assert resource.encounter is None and resource.reasonReference is None


def test_bundle_is_a_valid_searchset(world: list[dict[str, Any]]) -> None:
    doc = bundle(world[:200])
    parsed = Bundle.model_validate(doc)
    assert parsed.type == "searchset" and parsed.total == 200 and len(parsed.entry) == 200


def test_unknown_record_types_have_no_fhir_form() -> None:
    with pytest.raises(NotAcceptable, match="no FHIR form"):
        to_fhir({"id": "ord-0001", "type": "order"})
