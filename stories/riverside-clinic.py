"""Riverside Health: an emergency visit from triage to discharge, told through Maria Alvarez."""

from pymockapi.dsl import Story, hero

story = Story(
    "riverside-clinic",
    title="Riverside Health: from triage to discharge",
    industry="healthcare",
    seed=7,
    cast={"patient": 40, "provider": 6},
    heroes={"maria": hero("patient", first_name="Maria", last_name="Alvarez", age=58)},
)

story.get("/patients", "healthcare/patients.json.j2", collection="patient")
story.get("/patients/{patient_id}", "healthcare/patient.json.j2", persona="patient")
story.get("/patients/{patient_id}/encounters", "healthcare/encounters.json.j2", collection="encounter")
story.get("/patients/{patient_id}/observations", "healthcare/observations.json.j2", collection="observation")
story.get("/patients/{patient_id}/conditions", "healthcare/conditions.json.j2", collection="condition")
story.get("/patients/{patient_id}/medications", "healthcare/medications.json.j2", collection="medication")
story.get("/patients/{patient_id}/appointments", "healthcare/appointments.json.j2", collection="appointment")
story.get("/providers", "healthcare/providers.json.j2", collection="provider")
story.get("/providers/{provider_id}", "healthcare/provider.json.j2", persona="provider")
story.post("/appointments", "healthcare/appointment.json.j2", creates="appointment")
story.patch("/appointments/{appointment_id}", "healthcare/appointment.json.j2", updates="appointment")
story.delete("/appointments/{appointment_id}", "common/deleted.json.j2", deletes="appointment")

story.waypoint(
    "waiting-room", initial=True,
    narration="Maria Alvarez, 58, checks in at the Riverside emergency department with chest tightness.")
story.waypoint(
    "triage", after="20s",
    narration="Triage: her heart rate is 112 and her blood pressure 158 over 96.",
    does=lambda world: world.observe("maria", heart_rate=112, systolic=158, diastolic=96, spo2=95),
    annotate="Vitals are on the chart within seconds of triage.")
story.waypoint(
    "labs-back", on="advance",
    narration="The troponin result arrives: 0.9 ng/mL, well above the reference range.",
    does=lambda world: world.observe("maria", troponin=0.9))
story.waypoint(
    "cardiology-booked", when="POST /appointments",
    narration="A cardiology follow-up is booked straight from the chart.")
story.waypoint(
    "discharge", on="advance",
    narration="Maria goes home on a beta blocker with her follow-up in hand.",
    does=lambda world: world.prescribe("maria", "metoprolol succinate"))
