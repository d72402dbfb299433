"""Healthcare knowledge as data: code systems, vocabularies and physiology.

Every code shipped here is real (ICD-10-CM titles as in the tabular list,
LOINC long common names, NUCC taxonomy codes, UCUM units) so that a demo
shown to clinicians survives scrutiny; every name a person or payer could be
confused with is fictional.  Generators, validators, verbs and the FHIR
mapper all read these tables, so knowledge lives in exactly one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NUCC_SYSTEM = "http://nucc.org/provider-taxonomy"
NPI_PREFIX = "80840"
"""NPI check digits are Luhn over the ISO card-issuer prefix 80840 plus the number."""

ENCOUNTER_CLASSES = ("ambulatory", "emergency", "inpatient")
ENCOUNTER_STATUSES = ("planned", "in-progress", "finished")
CONDITION_STATUSES = ("active", "resolved")
MEDICATION_STATUSES = ("active", "completed")
APPOINTMENT_DURATIONS = (15, 20, 30, 40, 45, 60)


@dataclass(frozen=True)
class Specialty:
    """A NUCC taxonomy entry with the credentials that practise under it."""

    code: str
    name: str
    credentials: tuple[str, ...]
    org_stems: tuple[str, ...]


SPECIALTIES: tuple[Specialty, ...] = (
    Specialty("207Q00000X", "Family Medicine", ("MD", "DO"), ("Family Medicine", "Family Health", "Primary Care")),
    Specialty("207R00000X", "Internal Medicine", ("MD", "DO"), ("Internal Medicine", "Adult Medicine", "Primary Care")),
    Specialty("207RC0000X", "Cardiovascular Disease", ("MD", "DO"), ("Heart", "Cardiology", "Cardiovascular")),
    Specialty("208000000X", "Pediatrics", ("MD", "DO"), ("Pediatric", "Children's Health", "Kids Care")),
    Specialty("207X00000X", "Orthopaedic Surgery", ("MD", "DO"), ("Orthopedic", "Bone and Joint", "Sports Medicine")),
    Specialty("207P00000X", "Emergency Medicine", ("MD", "DO"), ("Emergency", "Urgent Care", "Acute Care")),
    Specialty("2084N0400X", "Neurology", ("MD", "DO"), ("Neurology", "Neuroscience", "Brain and Spine")),
    Specialty("207V00000X", "Obstetrics & Gynecology", ("MD", "DO"), ("Women's Health", "Obstetrics", "Maternity")),
    Specialty("207RE0101X", "Endocrinology, Diabetes & Metabolism", ("MD", "DO"),
              ("Endocrine", "Diabetes", "Metabolic")),
    Specialty("207RP1001X", "Pulmonary Disease", ("MD", "DO"), ("Lung", "Pulmonary", "Respiratory")),
    Specialty("207RG0100X", "Gastroenterology", ("MD", "DO"), ("Digestive Health", "Gastroenterology", "GI")),
    Specialty("2084P0800X", "Psychiatry", ("MD", "DO"), ("Behavioral Health", "Mental Health", "Psychiatric")),
    Specialty("363LF0000X", "Family Nurse Practitioner", ("NP",),
              ("Family Health", "Community Health", "Primary Care")),
    Specialty("363LP0200X", "Pediatric Nurse Practitioner", ("NP",), ("Pediatric", "Children's Health", "Kids Care")),
    Specialty("363AM0700X", "Medical Physician Assistant", ("PA",), ("Medical", "Primary Care", "Walk-In")),
    Specialty("363AS0400X", "Surgical Physician Assistant", ("PA",), ("Surgical", "Surgery", "Orthopedic")),
)
SPECIALTY_BY_CODE: Mapping[str, Specialty] = {s.code: s for s in SPECIALTIES}
CREDENTIAL_PREFIXES: Mapping[str, str] = {"MD": "20", "DO": "20", "NP": "363L", "PA": "363A"}
"""Which taxonomy branch each credential belongs to (physicians 20x, NPs 363L, PAs 363A)."""
ORG_SUFFIXES = ("Clinic", "Medical Group", "Associates", "Health Center", "Physicians", "Medical Center")


@dataclass(frozen=True)
class Payer:
    """A fictional or generic health plan, with the ages it covers."""

    name: str
    prefix: str
    min_age: int
    max_age: int


PAYERS: tuple[Payer, ...] = (
    Payer("Blue Harbor Health PPO", "BHH", 0, 64),
    Payer("Summit Ridge Care HMO", "SRC", 0, 64),
    Payer("Evergreen Mutual EPO", "EVM", 0, 64),
    Payer("Lakeshore Family Health Plan", "LFH", 0, 64),
    Payer("Prairie Wind Health POS", "PWH", 18, 64),
    Payer("State Children's Health Plan", "SCH", 0, 18),
    Payer("Medicaid Managed Care", "MMC", 0, 120),
    Payer("Medicare Part B", "MCR", 65, 120),
    Payer("Silver Crest Medicare Advantage HMO", "SCM", 65, 120),
)
PAYER_BY_NAME: Mapping[str, Payer] = {p.name: p for p in PAYERS}


@dataclass(frozen=True)
class RefBand:
    """A reference interval that applies from ``min_age`` (and to one sex when set)."""

    min_age: int
    low: float
    high: float
    sex: str | None = None


@dataclass(frozen=True)
class ObservationKind:
    """A LOINC-coded measurement with its UCUM unit and physiology.

    ``bands`` are reference intervals by age (the last band whose ``min_age``
    is reached wins); ``spread`` is how far past the interval an abnormal
    value may fall; ``plausible`` bounds what a living patient can show.
    """

    key: str
    loinc: str
    display: str
    unit: str
    category: str
    decimals: int
    plausible: tuple[float, float]
    bands: tuple[RefBand, ...] = ()
    spread: float = 0.0
    min_age: int = 0
    label: str = ""
    floor: float = 0.0


OBSERVATIONS: tuple[ObservationKind, ...] = (
    ObservationKind("heart_rate", "8867-4", "Heart rate", "/min", "vital-signs", 0, (25, 250),
                    (RefBand(0, 100, 160), RefBand(1, 90, 150), RefBand(3, 80, 140), RefBand(6, 70, 120),
                     RefBand(12, 60, 100)), 40, label="heart rate", floor=40),
    ObservationKind("systolic", "8480-6", "Systolic blood pressure", "mm[Hg]", "vital-signs", 0, (50, 260),
                    (RefBand(0, 80, 110), RefBand(6, 85, 120), RefBand(12, 90, 120)), 50, min_age=3,
                    label="systolic pressure", floor=70),
    ObservationKind("diastolic", "8462-4", "Diastolic blood pressure", "mm[Hg]", "vital-signs", 0, (25, 160),
                    (RefBand(0, 50, 70), RefBand(6, 55, 80), RefBand(12, 60, 80)), 30, min_age=3,
                    label="diastolic pressure", floor=40),
    ObservationKind("temperature", "8310-5", "Body temperature", "Cel", "vital-signs", 1, (33.0, 43.0),
                    (RefBand(0, 36.1, 37.2),), 2.4, label="temperature", floor=35.0),
    ObservationKind("respiratory_rate", "9279-1", "Respiratory rate", "/min", "vital-signs", 0, (6, 90),
                    (RefBand(0, 30, 60), RefBand(1, 24, 40), RefBand(3, 22, 34), RefBand(6, 18, 30),
                     RefBand(12, 12, 20)), 14, label="respiratory rate", floor=8),
    ObservationKind("spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%",
                    "vital-signs", 0, (60, 100), (RefBand(0, 95, 100),), 10, label="oxygen saturation", floor=82),
    ObservationKind("weight", "29463-7", "Body weight", "kg", "vital-signs", 1, (1.5, 300.0), label="weight"),
    ObservationKind("height", "8302-2", "Body height", "cm", "vital-signs", 1, (40.0, 230.0), label="height"),
    ObservationKind("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "vital-signs", 1, (8.0, 80.0),
                    (RefBand(18, 18.5, 24.9),), 15, min_age=2, label="BMI", floor=15.0),
    ObservationKind("glucose", "2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory", 0,
                    (20, 900), (RefBand(0, 70, 99),), 180, label="glucose", floor=45),
    ObservationKind("hba1c", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory", 1,
                    (3.0, 20.0), (RefBand(0, 4.0, 5.6),), 5.0, label="hemoglobin A1c", floor=3.5),
    ObservationKind("cholesterol", "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL",
                    "laboratory", 0, (50, 600), (RefBand(0, 100, 169), RefBand(18, 125, 199)), 90,
                    label="total cholesterol", floor=90),
    ObservationKind("troponin", "10839-9", "Troponin I.cardiac [Mass/volume] in Serum or Plasma", "ng/mL",
                    "laboratory", 2, (0.0, 100.0), (RefBand(0, 0.0, 0.04),), 4.0, label="troponin I"),
    ObservationKind("creatinine", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL",
                    "laboratory", 2, (0.1, 15.0),
                    (RefBand(0, 0.2, 0.7), RefBand(18, 0.59, 1.04, "female"), RefBand(18, 0.74, 1.35, "male")),
                    2.5, label="creatinine", floor=0.15),
    ObservationKind("hemoglobin", "718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "laboratory", 1,
                    (3.0, 25.0),
                    (RefBand(0, 9.5, 14.0), RefBand(1, 11.0, 15.5), RefBand(18, 12.0, 15.5, "female"),
                     RefBand(18, 13.5, 17.5, "male")), 4.0, label="hemoglobin", floor=6.0),
    ObservationKind("potassium", "2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L",
                    "laboratory", 1, (1.5, 9.0), (RefBand(0, 3.5, 5.1),), 1.2, label="potassium", floor=2.5),
    ObservationKind("sodium", "2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", "laboratory", 0,
                    (100, 180), (RefBand(0, 135, 145),), 12, label="sodium", floor=120),
    ObservationKind("tsh", "3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "m[IU]/L", "laboratory",
                    2, (0.01, 150.0), (RefBand(0, 0.45, 4.5),), 15.0, label="TSH", floor=0.05),
    ObservationKind("wbc", "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL",
                    "laboratory", 1, (0.5, 60.0), (RefBand(0, 5.0, 14.5), RefBand(18, 4.5, 11.0)), 9.0,
                    label="white cell count", floor=2.0),
)
OBSERVATION_BY_KEY: Mapping[str, ObservationKind] = {o.key: o for o in OBSERVATIONS}
OBSERVATION_BY_LOINC: Mapping[str, ObservationKind] = {o.loinc: o for o in OBSERVATIONS}
VITALS = ("heart_rate", "systolic", "diastolic", "temperature", "respiratory_rate", "spo2")
BODY_SIZE = ("weight", "height", "bmi")


@dataclass(frozen=True)
class Condition:
    """A billable ICD-10-CM code with who can have it and what it does to a patient.

    ``effects`` push observations out of range (a heart attack raises
    troponin); ``labs`` are the tests a clinician orders for it; ``reason``
    is how the visit is described in plain clinical English.
    """

    code: str
    title: str
    min_age: int
    max_age: int
    sex: str | None
    weight: float
    chronic: bool
    setting: str
    reason: str
    labs: tuple[str, ...] = ()
    effects: Mapping[str, str] = field(default_factory=dict)


def _c(code: str, title: str, ages: tuple[int, int], sex: str | None, weight: float, chronic: bool,
       setting: str, reason: str, labs: tuple[str, ...] = (), **effects: str) -> Condition:
    return Condition(code, title, ages[0], ages[1], sex, weight, chronic, setting, reason, labs, effects)


_ADULT = (18, 120)
_ANY = (0, 120)
_OB = (15, 50)
AMB, EMER, INPT = ENCOUNTER_CLASSES

CONDITIONS: tuple[Condition, ...] = (
    _c("I10", "Essential (primary) hypertension", _ADULT, None, 8, True, AMB, "blood pressure follow-up",
       ("creatinine", "potassium"), systolic="high", diastolic="high"),
    _c("E11.9", "Type 2 diabetes mellitus without complications", (25, 120), None, 6, True, AMB,
       "diabetes management", ("glucose", "hba1c"), glucose="high", hba1c="high"),
    _c("E78.5", "Hyperlipidemia, unspecified", (25, 120), None, 6, True, AMB, "cholesterol review",
       ("cholesterol",), cholesterol="high"),
    _c("I25.10", "Atherosclerotic heart disease of native coronary artery without angina pectoris", (40, 120),
       None, 2, True, AMB, "coronary artery disease follow-up", ("cholesterol", "creatinine")),
    _c("J45.909", "Unspecified asthma, uncomplicated", (5, 120), None, 3, True, AMB, "asthma check",
       (), respiratory_rate="high"),
    _c("J44.9", "Chronic obstructive pulmonary disease, unspecified", (45, 120), None, 2, True, AMB,
       "worsening shortness of breath", ("wbc",), spo2="low", respiratory_rate="high"),
    _c("I48.91", "Unspecified atrial fibrillation", (55, 120), None, 2, True, AMB, "palpitations",
       ("potassium", "tsh"), heart_rate="high"),
    _c("I50.9", "Heart failure, unspecified", (55, 120), None, 1.5, True, INPT, "leg swelling and breathlessness",
       ("creatinine", "sodium", "potassium"), spo2="low", respiratory_rate="high"),
    _c("N18.30", "Chronic kidney disease, stage 3 unspecified", (50, 120), None, 1.5, True, AMB,
       "kidney function review", ("creatinine", "potassium", "hemoglobin"), creatinine="high"),
    _c("E03.9", "Hypothyroidism, unspecified", _ADULT, None, 3, True, AMB, "fatigue and weight gain",
       ("tsh",), tsh="high"),
    _c("E66.9", "Obesity, unspecified", (12, 120), None, 3, True, AMB, "weight management", ("glucose",),
       bmi="high"),
    _c("F41.1", "Generalized anxiety disorder", (12, 120), None, 3, True, AMB, "persistent worry and poor sleep",
       (), heart_rate="high"),
    _c("F32.9", "Major depressive disorder, single episode, unspecified", (12, 120), None, 3, True, AMB,
       "low mood", ("tsh",)),
    _c("K21.9", "Gastro-esophageal reflux disease without esophagitis", _ADULT, None, 3, True, AMB, "heartburn"),
    _c("M17.11", "Unilateral primary osteoarthritis, right knee", (45, 120), None, 2, True, AMB,
       "right knee stiffness"),
    _c("M81.0", "Age-related osteoporosis without current pathological fracture", (50, 120), "female", 2, True,
       AMB, "bone density review"),
    _c("G47.33", "Obstructive sleep apnea (adult) (pediatric)", (30, 120), None, 1.5, True, AMB,
       "loud snoring and daytime sleepiness"),
    _c("G43.909", "Migraine, unspecified, not intractable, without status migrainosus", (12, 70), None, 2, True,
       AMB, "recurrent headaches"),
    _c("N40.0", "Benign prostatic hyperplasia without lower urinary tract symptoms", (45, 120), "male", 2, True,
       AMB, "prostate follow-up"),
    _c("N95.1", "Menopausal and female climacteric states", (45, 60), "female", 2, True, AMB, "hot flashes"),
    _c("D64.9", "Anemia, unspecified", (1, 120), None, 2, True, AMB, "tiredness", ("hemoglobin",),
       hemoglobin="low"),
    _c("E55.9", "Vitamin D deficiency, unspecified", _ADULT, None, 2, True, AMB, "low vitamin D follow-up"),
    _c("G40.909", "Epilepsy, unspecified, not intractable, without status epilepticus", (2, 120), None, 1, True,
       AMB, "seizure follow-up", ("glucose", "sodium")),
    _c("F90.9", "Attention-deficit hyperactivity disorder, unspecified type", (5, 17), None, 2, True, AMB,
       "attention difficulties at school"),
    _c("F84.0", "Autistic disorder", (2, 17), None, 1, True, AMB, "developmental follow-up"),
    _c("L20.9", "Atopic dermatitis, unspecified", (0, 40), None, 2, True, AMB, "itching and rash"),
    _c("C61", "Malignant neoplasm of prostate", (50, 120), "male", 0.7, True, AMB, "oncology follow-up",
       ("hemoglobin", "creatinine")),
    _c("C50.911", "Malignant neoplasm of unspecified site of right female breast", (35, 120), "female", 0.7,
       True, AMB, "breast cancer follow-up", ("hemoglobin", "wbc")),
    _c("N52.9", "Male erectile dysfunction, unspecified", (35, 90), "male", 1, True, AMB, "erectile concerns",
       ("glucose", "cholesterol")),
    _c("F10.20", "Alcohol dependence, uncomplicated", _ADULT, None, 0.8, True, AMB, "alcohol use counseling",
       ("hemoglobin",)),
    _c("J30.9", "Allergic rhinitis, unspecified", (3, 120), None, 2.5, True, AMB, "seasonal sneezing"),
    _c("H52.4", "Presbyopia", (40, 120), None, 1, True, AMB, "difficulty reading small print"),
    _c("J06.9", "Acute upper respiratory infection, unspecified", _ANY, None, 5, False, AMB,
       "sore throat and runny nose", (), temperature="high"),
    _c("J02.9", "Acute pharyngitis, unspecified", (3, 120), None, 3, False, AMB, "sore throat", (),
       temperature="high"),
    _c("H66.90", "Otitis media, unspecified, unspecified ear", (0, 12), None, 4, False, AMB, "ear pain", (),
       temperature="high"),
    _c("J20.9", "Acute bronchitis, unspecified", (5, 120), None, 2.5, False, AMB, "productive cough"),
    _c("J18.9", "Pneumonia, unspecified organism", _ANY, None, 1.5, False, INPT, "fever and shortness of breath",
       ("wbc", "creatinine"), temperature="high", respiratory_rate="high", spo2="low", wbc="high"),
    _c("N39.0", "Urinary tract infection, site not specified", (1, 120), None, 3, False, AMB,
       "painful urination", ("wbc",)),
    _c("K52.9", "Noninfective gastroenteritis and colitis, unspecified", _ANY, None, 2, False, AMB,
       "diarrhea and cramping"),
    _c("A09", "Infectious gastroenteritis and colitis, unspecified", _ANY, None, 2, False, EMER,
       "vomiting and diarrhea", ("sodium", "potassium"), heart_rate="high"),
    _c("R07.9", "Chest pain, unspecified", (25, 120), None, 2.5, False, EMER, "chest pain", ("troponin",)),
    _c("I21.4", "Non-ST elevation (NSTEMI) myocardial infarction", (40, 120), None, 1, False, INPT,
       "crushing chest pain", ("troponin", "creatinine", "hemoglobin"), troponin="high", heart_rate="high"),
    _c("R51.9", "Headache, unspecified", (5, 120), None, 2, False, AMB, "headache"),
    _c("R10.9", "Unspecified abdominal pain", (3, 120), None, 2, False, EMER, "abdominal pain", ("wbc",)),
    _c("K35.80", "Unspecified acute appendicitis", (5, 60), None, 0.8, False, INPT, "right lower abdominal pain",
       ("wbc",), wbc="high", temperature="high"),
    _c("S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter", (5, 80), None, 2, False,
       EMER, "right ankle pain and swelling"),
    _c("S52.501A", "Unspecified fracture of the lower end of right radius, initial encounter for closed fracture",
       (3, 120), None, 1, False, EMER, "wrist pain after a fall"),
    _c("M54.50", "Low back pain, unspecified", _ADULT, None, 3, False, AMB, "low back pain"),
    _c("M25.561", "Pain in right knee", (12, 120), None, 2, False, AMB, "right knee pain"),
    _c("R50.9", "Fever, unspecified", _ANY, None, 1.5, False, AMB, "fever", ("wbc",), temperature="high"),
    _c("R05.9", "Cough, unspecified", _ANY, None, 2, False, AMB, "cough"),
    _c("B34.9", "Viral infection, unspecified", _ANY, None, 2, False, AMB, "fever and body aches", (),
       temperature="high"),
    _c("U07.1", "COVID-19", _ANY, None, 1.5, False, AMB, "fever and cough", (), temperature="high"),
    _c("J10.1", "Influenza due to other identified influenza virus with other respiratory manifestations", _ANY,
       None, 1.5, False, AMB, "flu symptoms", (), temperature="high"),
    _c("H10.9", "Unspecified conjunctivitis", _ANY, None, 1.5, False, AMB, "eye redness and itching"),
    _c("E86.0", "Dehydration", _ANY, None, 1, False, EMER, "dizziness and poor fluid intake",
       ("sodium", "creatinine"), heart_rate="high"),
    _c("R55", "Syncope and collapse", (12, 120), None, 1, False, EMER, "fainting",
       ("glucose", "hemoglobin", "troponin")),
    _c("I63.9", "Cerebral infarction, unspecified", (50, 120), None, 0.6, False, INPT, "sudden facial weakness",
       ("glucose", "cholesterol"), systolic="high"),
    _c("L70.0", "Acne vulgaris", (11, 30), None, 2, False, AMB, "acne"),
    _c("N94.6", "Dysmenorrhea, unspecified", (12, 45), "female", 1.5, False, AMB, "painful periods"),
    _c("O21.0", "Mild hyperemesis gravidarum", _OB, "female", 0.6, False, EMER, "severe nausea in pregnancy",
       ("sodium", "potassium"), heart_rate="high"),
    _c("O24.410", "Gestational diabetes mellitus in pregnancy, diet controlled", _OB, "female", 0.6, False, AMB,
       "glucose screening in pregnancy", ("glucose",), glucose="high"),
    _c("O99.019", "Anemia complicating pregnancy, unspecified trimester", _OB, "female", 0.5, False, AMB,
       "prenatal fatigue", ("hemoglobin",), hemoglobin="low"),
    _c("O80", "Encounter for full-term uncomplicated delivery", _OB, "female", 0.6, False, INPT, "labor at term",
       ("hemoglobin",)),
    _c("Z34.90", "Encounter for supervision of normal pregnancy, unspecified, unspecified trimester", _OB,
       "female", 1, False, AMB, "routine prenatal care", ("hemoglobin", "glucose")),
    _c("Z00.129", "Encounter for routine child health examination without abnormal findings", (0, 17), None, 5,
       False, AMB, "routine child health care"),
    _c("Z00.00", "Encounter for general adult medical examination without abnormal findings", _ADULT, None, 4,
       False, AMB, "routine health maintenance", ("glucose", "cholesterol")),
    _c("Z23", "Encounter for immunization", _ANY, None, 2, False, AMB, "vaccination"),
    _c("Z12.5", "Encounter for screening for malignant neoplasm of prostate", (50, 75), "male", 1, False, AMB,
       "prostate cancer screening"),
)
CONDITION_BY_CODE: Mapping[str, Condition] = {c.code: c for c in CONDITIONS}


@dataclass(frozen=True)
class Drug:
    """A generic medicine with the doses, route and schedules it is prescribed at.

    ``child_strengths`` are the doses for patients under 12; a drug without
    them is never prescribed to a young child.
    """

    name: str
    unit: str
    strengths: tuple[float, ...]
    route: str
    frequencies: tuple[str, ...]
    treats: tuple[str, ...]
    child_strengths: tuple[float, ...] = ()


DRUGS: tuple[Drug, ...] = (
    Drug("lisinopril", "mg", (5, 10, 20, 40), "oral", ("once daily",), ("I10", "I50.9", "N18.30")),
    Drug("amlodipine", "mg", (2.5, 5, 10), "oral", ("once daily",), ("I10",)),
    Drug("hydrochlorothiazide", "mg", (12.5, 25), "oral", ("once daily",), ("I10",)),
    Drug("metformin", "mg", (500, 850, 1000), "oral", ("twice daily",), ("E11.9",)),
    Drug("atorvastatin", "mg", (10, 20, 40, 80), "oral", ("once daily",), ("E78.5", "I25.10", "I63.9")),
    Drug("rosuvastatin", "mg", (5, 10, 20), "oral", ("once daily",), ("E78.5",)),
    Drug("aspirin", "mg", (81,), "oral", ("once daily",), ("I25.10", "I21.4", "I63.9")),
    Drug("clopidogrel", "mg", (75,), "oral", ("once daily",), ("I21.4", "I63.9")),
    Drug("metoprolol succinate", "mg", (25, 50, 100), "oral", ("once daily",), ("I10", "I48.91", "I50.9", "I21.4")),
    Drug("apixaban", "mg", (5,), "oral", ("twice daily",), ("I48.91",)),
    Drug("furosemide", "mg", (20, 40), "oral", ("once daily", "twice daily"), ("I50.9",)),
    Drug("levothyroxine", "ug", (25, 50, 75, 100), "oral", ("once daily before breakfast",), ("E03.9",)),
    Drug("albuterol", "ug", (90,), "inhalation", ("every 4 to 6 hours as needed",), ("J45.909", "J44.9", "J20.9"),
         (90,)),
    Drug("fluticasone propionate", "ug", (110, 220), "inhalation", ("twice daily",), ("J45.909",), (44,)),
    Drug("tiotropium", "ug", (18,), "inhalation", ("once daily",), ("J44.9",)),
    Drug("omeprazole", "mg", (20, 40), "oral", ("once daily before breakfast",), ("K21.9",)),
    Drug("sertraline", "mg", (25, 50, 100), "oral", ("once daily",), ("F41.1", "F32.9")),
    Drug("escitalopram", "mg", (5, 10, 20), "oral", ("once daily",), ("F41.1", "F32.9")),
    Drug("amoxicillin", "mg", (500, 875), "oral", ("twice daily", "three times daily"),
         ("H66.90", "J02.9", "J18.9"), (250,)),
    Drug("azithromycin", "mg", (250, 500), "oral", ("once daily",), ("J18.9", "J20.9")),
    Drug("ceftriaxone", "mg", (1000, 2000), "intravenous", ("once daily",), ("J18.9", "K35.80")),
    Drug("nitrofurantoin", "mg", (100,), "oral", ("twice daily",), ("N39.0",)),
    Drug("ondansetron", "mg", (4, 8), "oral", ("every 8 hours as needed",), ("A09", "K52.9", "O21.0"), (2,)),
    Drug("ibuprofen", "mg", (400, 600), "oral", ("every 6 hours as needed",),
         ("M54.50", "M25.561", "S93.401A", "R51.9", "N94.6", "M17.11"), (100,)),
    Drug("acetaminophen", "mg", (500, 650), "oral", ("every 6 hours as needed",),
         ("R50.9", "J06.9", "B34.9", "S52.501A", "U07.1", "J10.1"), (160,)),
    Drug("sumatriptan", "mg", (50, 100), "oral", ("at migraine onset, may repeat once after 2 hours",),
         ("G43.909",)),
    Drug("tamsulosin", "mg", (0.4,), "oral", ("once daily",), ("N40.0",)),
    Drug("alendronate", "mg", (70,), "oral", ("once weekly",), ("M81.0",)),
    Drug("cholecalciferol", "ug", (25, 50), "oral", ("once daily",), ("E55.9",)),
    Drug("ferrous sulfate", "mg", (325,), "oral", ("once daily",), ("D64.9", "O99.019"), (15,)),
    Drug("levetiracetam", "mg", (500, 750, 1000), "oral", ("twice daily",), ("G40.909",), (250,)),
    Drug("methylphenidate", "mg", (10, 18, 36), "oral", ("once daily in the morning",), ("F90.9",), (5, 10)),
    Drug("oseltamivir", "mg", (75,), "oral", ("twice daily",), ("J10.1",), (30, 45)),
    Drug("cetirizine", "mg", (10,), "oral", ("once daily",), ("J30.9",), (5,)),
    Drug("doxycycline", "mg", (100,), "oral", ("twice daily",), ("L70.0",)),
    Drug("sildenafil", "mg", (25, 50, 100), "oral", ("as needed before activity",), ("N52.9",)),
    Drug("estradiol", "mg", (0.5, 1), "oral", ("once daily",), ("N95.1",)),
    Drug("naltrexone", "mg", (50,), "oral", ("once daily",), ("F10.20",)),
    Drug("anastrozole", "mg", (1,), "oral", ("once daily",), ("C50.911",)),
    Drug("bicalutamide", "mg", (50,), "oral", ("once daily",), ("C61",)),
)
DRUG_BY_NAME: Mapping[str, Drug] = {d.name: d for d in DRUGS}
ROUTE_PHRASES: Mapping[str, str] = {"oral": "by mouth", "inhalation": "by inhalation", "intravenous": "intravenously"}
UNIT_WORDS: Mapping[str, str] = {"mg": "mg", "ug": "mcg"}
"""UCUM writes micrograms as ``ug``; prescriptions print ``mcg``."""

DRUGS_FOR: Mapping[str, tuple[Drug, ...]] = {
    c.code: tuple(d for d in DRUGS if c.code in d.treats) for c in CONDITIONS}
