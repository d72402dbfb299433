"""Cedar Health: a patient portal served from its own API description, from booking to a care plan.

The endpoints are the operations of ``specs/cedar-patient-portal.yaml``.
Grace books her visit from the portal (the front-end's own
``POST /v2/patients/{patientId}/appointments`` moves the story on), a timer
releases her pre-visit labs, and the presenter cues her doctor's plan.
"""

from pymockapi.dsl import Story, hero

story = Story(
    "cedar-health",
    title="Cedar Health: a portal booking, pre-visit labs and a care plan",
    industry="healthcare",
    seed=13,
    cast={"patient": 30, "provider": 6},
    heroes={
        "grace": hero("patient", first_name="Grace", last_name="Okafor", age=64, sex="female",
                      primary_provider_id="prov-0001"),
        "reyes": hero("provider", first_name="Samuel", last_name="Reyes", sex="male", credentials="MD",
                      taxonomy_code="207Q00000X"),  # Family Medicine
    },
    openapi="specs/cedar-patient-portal.yaml",
)

story.waypoint(
    "portal", initial=True,
    narration="Grace Okafor, 64, signs in to the Cedar Health patient portal after this morning's blood draw "
              "to book a visit about her blood sugar.")
story.waypoint(
    "visit-booked", when="POST /v2/patients/{patientId}/appointments",
    narration="She books a 30-minute visit from the portal, and it shows on her upcoming appointments at once.")
story.waypoint(
    "labs-released", after="20s",
    narration="Her pre-visit labs are released to the portal: hemoglobin A1c 7.4 % and glucose 142 mg/dL, "
              "both above the normal range.",
    does=lambda world: world.observe("grace", hba1c=7.4, glucose=142, reason="pre-visit diabetes labs"))


def care_plan(world) -> None:
    """Dr. Reyes, her family physician, diagnoses type 2 diabetes and starts metformin."""
    world.diagnose("grace", "E11.9")
    world.prescribe("grace", "metformin", dose=500, frequency="twice daily")


story.waypoint(
    "care-plan", on="advance",
    narration="Dr. Samuel Reyes, her family physician, adds type 2 diabetes (E11.9) to her chart and starts "
              "metformin 500 mg twice daily; both appear in the portal.",
    does=care_plan)
