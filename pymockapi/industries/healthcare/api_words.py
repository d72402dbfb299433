"""Healthcare words an API description may use, for the binder (data only).

``RECORD_TYPES``: record type -> phrases naming it in paths, schema names,
operation ids and tags.  ``FIELDS``: record type -> field path -> phrases
naming that field.  ``DISPLAY``: how a record without a person's name is
named on screen.  Phrases are singular lower-case words.
"""

from __future__ import annotations

MAIN_TYPE = "patient"

RECORD_TYPES: dict[str, tuple[str, ...]] = {
    "patient": ("patient", "person", "member", "subject", "user", "athlete", "client", "beneficiary",
                "individual", "profile", "me", "resident", "enrollee", "consumer", "participant", "user info"),
    "provider": ("provider", "practitioner", "doctor", "physician", "clinician", "prescriber", "performer",
                 "care team member", "nurse", "specialist", "author", "requester", "care provider"),
    "encounter": ("encounter", "visit", "admission", "episode", "consultation", "stay", "session", "workout",
                  "episode of care"),
    "condition": ("condition", "diagnosis", "problem", "diagnose", "disease", "illness", "icd"),
    "observation": ("observation", "vital", "vital sign", "lab", "lab result", "result", "measurement",
                    "reading", "sample", "metric", "activity", "sleep", "body", "daily", "nutrition",
                    "menstruation", "heart rate", "glucose", "data point", "biomarker", "test result"),
    "medication": ("medication", "prescription", "drug", "medicine", "medication request", "rx", "dose",
                   "medication statement"),
    "appointment": ("appointment", "booking", "slot", "schedule", "scheduled visit", "reservation",
                    "follow up"),
}

FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "patient": {
        "mrn": ("mrn", "medical record number", "record number", "chart number", "patient number",
                "medical record", "patient identifier"),
        "member_id": ("member id", "member number", "insurance id", "subscriber id", "policy number",
                      "insurance member id"),
        "payer": ("payer", "insurer", "insurance", "insurance provider", "plan", "health plan", "coverage"),
        "ssn_like": ("ssn", "social security number", "national id"),
        "birth_date": ("birth date", "date of birth", "dob", "birthdate", "birthday"),
        "primary_provider_id": ("primary provider id", "provider id", "pcp id", "general practitioner id",
                                "practitioner id"),
    },
    "provider": {
        "npi": ("npi", "national provider identifier", "npi number", "provider number"),
        "specialty": ("specialty", "speciality", "specialization", "department", "discipline"),
        "taxonomy_code": ("taxonomy", "taxonomy code", "nucc code", "specialty code"),
        "credentials": ("credential", "degree", "suffix", "qualification", "title"),
        "organisation": ("organization", "organisation", "practice", "clinic", "facility", "practice name",
                         "hospital"),
    },
    "encounter": {
        "class": ("class", "type", "encounter type", "encounter class", "kind", "category", "setting"),
        "reason": ("reason", "reason for visit", "chief complaint", "complaint", "purpose", "description",
                   "title", "name", "summary"),
        "start": ("start", "started", "start time", "period start", "begin", "admitted", "created", "date",
                  "start date", "check in", "arrival"),
        "end": ("end", "ended", "end time", "period end", "finish", "discharged", "end date", "check out"),
        "note": ("note", "notes", "clinical note", "narrative", "comment", "text", "summary text"),
        "status": ("status", "state"),
        "provider_id": ("provider id", "practitioner id", "doctor id", "clinician id"),
    },
    "condition": {
        "code": ("code", "icd", "icd code", "icd 10", "icd10", "icd 10 code", "diagnosis code", "condition code",
                 "code value"),
        "title": ("title", "name", "display", "description", "diagnosis", "condition name", "label", "text",
                  "code display"),
        "system": ("system", "code system", "coding system"),
        "clinical_status": ("clinical status", "status", "state"),
        "verification_status": ("verification status", "verification"),
        "category": ("category", "kind", "type"),
        "onset_date": ("onset", "onset date", "start", "created", "date", "recorded date", "diagnosed",
                       "diagnosis date"),
        "abatement_date": ("abatement", "abatement date", "resolved", "resolved date", "end", "end date"),
    },
    "observation": {
        "code": ("code", "loinc", "loinc code", "test code", "observation code", "code value"),
        "display": ("display", "name", "test name", "title", "label", "description", "observation name",
                    "code display", "text", "metric", "type"),
        "value": ("value", "result", "value quantity", "measurement", "reading", "result value", "amount",
                  "quantity", "numeric value", "avg", "average", "score", "count", "level"),
        "unit": ("unit", "units", "uom", "unit of measure", "value unit"),
        "interpretation": ("interpretation", "flag", "abnormal flag", "assessment"),
        "effective": ("effective", "effective date", "observed", "observed at", "measured", "measured at",
                      "date", "start", "created", "recorded", "issued", "timestamp", "time", "taken",
                      "sample time", "start time", "end time", "end", "collected"),
        "category": ("category", "kind", "type", "class"),
        "system": ("system", "code system"),
        "status": ("status", "state"),
        "reference_range": ("reference range", "range", "normal range"),
    },
    "medication": {
        "drug": ("drug", "medication", "name", "drug name", "medication name", "medicine", "product",
                 "title", "display", "description"),
        "sig": ("sig", "instruction", "instructions", "dosage instruction", "direction", "directions",
                "dosage text", "text"),
        "dose": ("dose", "dosage", "strength", "dose quantity"),
        "route": ("route", "route of administration", "administration route"),
        "frequency": ("frequency", "timing", "schedule", "interval"),
        "authored_on": ("authored", "authored on", "prescribed", "prescribed on", "date", "created",
                        "written", "issued", "start", "start date"),
        "intent": ("intent",),
        "status": ("status", "state"),
        "provider_id": ("prescriber id", "provider id", "practitioner id"),
    },
    "appointment": {
        "start": ("start", "start time", "starts", "scheduled", "scheduled at", "scheduled time", "date",
                  "time", "when", "slot start", "appointment time", "appointment date", "begin", "created"),
        "end": ("end", "end time", "ends", "slot end", "finish"),
        "duration_minutes": ("duration", "duration minute", "minute", "length", "length minute"),
        "reason": ("reason", "description", "purpose", "title", "name", "comment", "summary", "visit reason"),
        "status": ("status", "state"),
        "provider_id": ("provider id", "practitioner id", "doctor id", "clinician id"),
    },
}

DISPLAY: dict[str, str] = {
    "encounter": "{reason}",
    "condition": "{title}",
    "observation": "{display}",
    "medication": "{sig}",
    "appointment": "{reason}",
}
