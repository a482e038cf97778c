"""Code systems of the FHIR export: the external codes (REFERENCE.md section 5) and ours.

External codes are exactly those REFERENCE.md section 5 names: SNOMED CT and ICD-10
for the diagnosis, LOINC for factor activity and the FVIII inhibitor. No LOINC
codes exist for HJHS, HEAD-US, HEAD-US-C or CHO-KLAT, so their totals and
per-joint components use a local code system. Every local code is listed here:
the export's own check (:mod:`.validation`) refuses a code that is not.

Local systems live under ``.invalid`` (RFC 2606): reserved, so they can never
collide with a real terminology server's address.
"""

from __future__ import annotations

from types import MappingProxyType

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments.hjhs import Subscore
from hemojoint.domain.patients import HemophiliaType, Severity
from hemojoint.domain.triage import Urgency

# --- external systems ------------------------------------------------------------------

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# HL7 terminology (the value sets the FHIR specification binds these elements to).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

# REFERENCE.md section 5.
DIAGNOSIS = MappingProxyType(
    {
        HemophiliaType.A: (
            (SNOMED, "28293008", "Hereditary factor VIII deficiency disease"),
            (ICD10, "D66", "Hereditary factor VIII deficiency"),
        ),
        HemophiliaType.B: (
            (SNOMED, "1563006", "Hereditary factor IX deficiency disease"),
            (ICD10, "D67", "Hereditary factor IX deficiency"),
        ),
    }
)
LOINC_FVIII_ACTIVITY = "3209-4"
LOINC_FIX_ACTIVITY = "3187-2"
LOINC_FVIII_INHIBITOR = "3204-5"
FACTOR_ACTIVITY = MappingProxyType(
    {
        HemophiliaType.A: (LOINC, LOINC_FVIII_ACTIVITY, "Factor VIII activity"),
        HemophiliaType.B: (LOINC, LOINC_FIX_ACTIVITY, "Factor IX activity"),
    }
)

# Codes of the HL7 systems this export uses (a typo here would otherwise pass unnoticed).
HL7_CODES = MappingProxyType(
    {
        OBSERVATION_CATEGORY: frozenset({"laboratory", "survey", "exam", "imaging"}),
        CONDITION_CLINICAL: frozenset({"active"}),
        CONDITION_VERIFICATION: frozenset({"confirmed"}),
        INTERPRETATION: frozenset({"POS", "NEG"}),
        # parent, guardian, the patient themself
        ROLE_CODE: frozenset({"PRN", "GUARD", "ONESELF"}),
        FLAG_CATEGORY: frozenset({"clinical"}),
        DATA_ABSENT: frozenset({"unknown"}),
    }
)
RELATIONSHIP_CODES = MappingProxyType({"parent": "PRN", "guardian": "GUARD", "self": "ONESELF"})

# --- local systems ---------------------------------------------------------------------

LOCAL_BASE = "https://hemojoint.invalid/fhir"
ASSESSMENT = f"{LOCAL_BASE}/CodeSystem/assessment"
SEVERITY = f"{LOCAL_BASE}/CodeSystem/hemophilia-severity"
LABORATORY = f"{LOCAL_BASE}/CodeSystem/laboratory"
INFUSION_REASON = f"{LOCAL_BASE}/CodeSystem/infusion-reason"
TRIAGE = f"{LOCAL_BASE}/CodeSystem/triage-urgency"
PROGRAMME = f"{LOCAL_BASE}/CodeSystem/programme"
INSTRUMENT_STATUS = f"{LOCAL_BASE}/CodeSystem/instrument-status"
PATIENT_IDENTIFIER = f"{LOCAL_BASE}/sid/study-id"  # an identifier system, not a code system
QUESTIONNAIRE_BASE = f"{LOCAL_BASE}/Questionnaire"

# Instrument code (as stored) -> the prefix of its local codes. Only these are exported.
INSTRUMENTS = MappingProxyType(
    {"hjhs": "hjhs", "head_us": "head-us", "head_us_c": "head-us-c", "choklat": "choklat"}
)
ULTRASOUND_INSTRUMENTS = frozenset({"head_us", "head_us_c"})


def total_code(instrument: str) -> str:
    """``hjhs-total``; CHO-KLAT's headline number is its score (0-100)."""
    return f"{INSTRUMENTS[instrument]}-{'score' if instrument == 'choklat' else 'total'}"


def joint_code(instrument: str, joint: str) -> str:
    return f"{INSTRUMENTS[instrument]}-joint-{joint}"


def subscore_code(subscore: str) -> str:
    return f"hjhs-subscore-{subscore}"


def _assessment_codes() -> frozenset[str]:
    codes = {total_code(instrument) for instrument in INSTRUMENTS}
    for instrument in ("hjhs", *sorted(ULTRASOUND_INSTRUMENTS)):
        codes |= {joint_code(instrument, joint.value) for joint in IndexJoint}
    codes |= {subscore_code(subscore.value) for subscore in Subscore}
    return frozenset(codes)


FIX_INHIBITOR = "factor-ix-inhibitor"  # REFERENCE.md names no LOINC code for it
PROVISIONAL = "provisional"
ENROLMENT = "rehab-enrolment"

LOCAL_CODES = MappingProxyType(
    {
        ASSESSMENT: _assessment_codes(),
        SEVERITY: frozenset(severity.value for severity in Severity),
        LABORATORY: frozenset({FIX_INHIBITOR}),
        INFUSION_REASON: frozenset({"prophylaxis", "bleed", "pre_rehab"}),
        # Only the alerts are exported as flags; routine bleeds are not alerts.
        TRIAGE: frozenset({Urgency.EMERGENCY.value, Urgency.URGENT.value}),
        PROGRAMME: frozenset({ENROLMENT}),
        INSTRUMENT_STATUS: frozenset({PROVISIONAL}),
    }
)

# Every system a coding (or a UCUM quantity) may name.
EXTERNAL_SYSTEMS = frozenset({SNOMED, ICD10, LOINC, UCUM, *HL7_CODES})
KNOWN_SYSTEMS = EXTERNAL_SYSTEMS | frozenset(LOCAL_CODES)
# The external codes the export may use (REFERENCE.md section 5 plus the HL7 ones above).
EXTERNAL_CODES = MappingProxyType(
    {
        SNOMED: frozenset({"28293008", "1563006"}),
        ICD10: frozenset({"D66", "D67"}),
        LOINC: frozenset({LOINC_FVIII_ACTIVITY, LOINC_FIX_ACTIVITY, LOINC_FVIII_INHIBITOR}),
        **HL7_CODES,
    }
)
