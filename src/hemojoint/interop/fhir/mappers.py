"""Registry records -> FHIR R4B resources, as plain JSON dictionaries.

One function per resource kind. They read the records as stored and add nothing a
clinician did not record: the scores are the results the domain computed when the
assessment was saved, never recomputed here. Resources are pseudonymous: the
patient is known by the registry's study id (``P000042``), never by name or
hospital record number, and free-text notes are not exported (they may name
people). Questionnaire items carry their identifiers and the answers only, never
an instrument's wording (CHO-KLAT is licensed).

Resource ids are ``<kind>-<database id>``, so an export run twice names the same
resource the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from hemojoint.domain.patients import HemophiliaType
from hemojoint.interop.fhir import codes
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    EnrolmentStatus,
    FamilyLinkRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    ProductRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanVersionRecord,
)

Resource = dict[str, Any]

_INSTRUMENT_NAMES = {
    "hjhs": "HJHS",
    "head_us": "HEAD-US",
    "head_us_c": "HEAD-US-C",
    "choklat": "CHO-KLAT",
}
_CATEGORY = {"hjhs": "exam", "head_us": "imaging", "head_us_c": "imaging", "choklat": "survey"}
_CARE_PLAN_STATUS = {
    EnrolmentStatus.ENROLLED: "active",
    EnrolmentStatus.COMPLETED: "completed",
    EnrolmentStatus.WITHDRAWN: "revoked",
}
_GOAL_STATUS = {
    EnrolmentStatus.ENROLLED: "active",
    EnrolmentStatus.COMPLETED: "completed",
    EnrolmentStatus.WITHDRAWN: "cancelled",
}


def study_id(patient_id: int) -> str:
    """The pseudonymous id research exports share (the registry's id, not the record number)."""
    return f"P{patient_id:06d}"


def reference(resource: Resource) -> dict[str, str]:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


def patient_reference(patient_id: int) -> dict[str, str]:
    return {"reference": f"Patient/patient-{patient_id}"}


# --- small value helpers ---------------------------------------------------------------


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    coding = {"system": system, "code": code}
    return coding | ({"display": display} if display else {})


def _concept(*codings: dict[str, str], text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": list(codings)} if codings else {}
    return concept | ({"text": text} if text else {})


def _instant(moment: datetime) -> str:
    """FHIR wants a zone with a time; the database keeps UTC (SQLite without the zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.isoformat()


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _score(value: float) -> dict[str, Any]:
    # UCUM's annotation "{score}": a dimensionless count of points.
    return {"value": _number(value), "unit": "score", "system": codes.UCUM, "code": "{score}"}


def _absent() -> dict[str, Any]:
    return {"dataAbsentReason": _concept(_coding(codes.DATA_ABSENT, "unknown"))}


# --- the patient and their people ------------------------------------------------------


def patient(record: PatientRecord) -> Resource:
    return {
        "resourceType": "Patient",
        "id": f"patient-{record.id}",
        "identifier": [{"system": codes.PATIENT_IDENTIFIER, "value": study_id(record.id)}],
        "gender": record.sex.value,  # FHIR's administrative gender uses the same three codes
        "birthDate": record.birth_date.isoformat(),
    }


def related_person(link: FamilyLinkRecord) -> Resource:
    role = codes.RELATIONSHIP_CODES.get(link.relationship)
    relationship = _concept(
        *([_coding(codes.ROLE_CODE, role)] if role else []), text=link.relationship
    )
    return {
        "resourceType": "RelatedPerson",
        "id": f"related-person-{link.id}",
        "active": True,
        "patient": patient_reference(link.patient_id),
        "relationship": [relationship],
    }


def condition(record: PatientRecord) -> Resource:
    """Hemophilia A or B (SNOMED CT and ICD-10, REFERENCE.md section 5) with its severity."""
    codings = [_coding(*code) for code in codes.DIAGNOSIS[record.hemophilia_type]]
    return {
        "resourceType": "Condition",
        "id": f"condition-{record.id}",
        "clinicalStatus": _concept(_coding(codes.CONDITION_CLINICAL, "active")),
        "verificationStatus": _concept(_coding(codes.CONDITION_VERIFICATION, "confirmed")),
        "severity": _concept(
            _coding(codes.SEVERITY, record.severity.value), text=record.severity.value
        ),
        "code": _concept(*codings, text=f"Hemophilia {record.hemophilia_type.value}"),
        "subject": patient_reference(record.id),
    }


# --- laboratory ------------------------------------------------------------------------


def _laboratory(resource_id: str, patient_id: int, code: dict[str, Any]) -> Resource:
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [_concept(_coding(codes.OBSERVATION_CATEGORY, "laboratory"))],
        "code": code,
        "subject": patient_reference(patient_id),
    }


def factor_activity(record: PatientRecord) -> Resource:
    """The baseline factor activity registered with the patient (LOINC 3209-4 or 3187-2)."""
    system, code, display = codes.FACTOR_ACTIVITY[record.hemophilia_type]
    resource = _laboratory(
        f"factor-activity-{record.id}", record.id, _concept(_coding(system, code, display))
    )
    resource["valueQuantity"] = {
        "value": _number(record.factor_activity_iu_dl),
        "unit": "IU/dL",
        "system": codes.UCUM,
        "code": "[IU]/dL",
    }
    resource["note"] = [{"text": "Baseline factor activity as registered; no sample date kept."}]
    return resource


def inhibitor(record: InhibitorResultRecord, patient: PatientRecord) -> Resource:
    """An inhibitor test: FVIII inhibitor is LOINC 3204-5; for FIX there is only a local code."""
    if patient.hemophilia_type is HemophiliaType.A:
        code = _coding(codes.LOINC, codes.LOINC_FVIII_INHIBITOR, "Factor VIII inhibitor")
    else:
        code = _coding(codes.LABORATORY, codes.FIX_INHIBITOR, "Factor IX inhibitor")
    resource = _laboratory(f"inhibitor-{record.id}", record.patient_id, _concept(code))
    resource["effectiveDateTime"] = record.sample_date.isoformat()
    verdict = "POS" if record.positive else "NEG"
    resource["interpretation"] = [_concept(_coding(codes.INTERPRETATION, verdict))]
    if record.titre_bu_ml is not None:
        resource["valueQuantity"] = {
            "value": _number(record.titre_bu_ml),
            "unit": "BU/mL",
            "system": codes.UCUM,
            "code": "[beth'U]/mL",
        }
    return resource


# --- assessments -----------------------------------------------------------------------


def score_observation(record: AssessmentRecord, items: Resource) -> Resource:
    """The total (or CHO-KLAT score), each joint's total and HJHS's subscores as components."""
    instrument = record.instrument_code
    name = _INSTRUMENT_NAMES[instrument]
    resource: Resource = {
        "resourceType": "Observation",
        "id": f"assessment-{record.id}",
        "status": "amended" if record.version > 1 else "final",
        "category": [_concept(_coding(codes.OBSERVATION_CATEGORY, _CATEGORY[instrument]))],
        "code": _concept(_coding(codes.ASSESSMENT, codes.total_code(instrument)), text=name),
        "subject": patient_reference(record.patient_id),
        "effectiveDateTime": record.assessed_date.isoformat(),
        "derivedFrom": [reference(items)],
        "note": [
            {
                "text": f"{name} {record.instrument_version} "
                f"({record.instrument_status}), timepoint {record.timepoint}"
            }
        ],
    }
    resource |= _absent() if record.total is None else {"valueQuantity": _score(record.total)}
    components = list(_components(instrument, record.result))
    if components:
        resource["component"] = components
    if record.instrument_status == codes.PROVISIONAL:
        # Not yet checked against its source: a receiver must be able to tell.
        resource["meta"] = {"tag": [_coding(codes.INSTRUMENT_STATUS, codes.PROVISIONAL)]}
    return resource


def _components(instrument: str, result: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for joint, value in (result.get("joint_totals") or {}).items():
        yield _component(codes.joint_code(instrument, joint), value)
    if instrument == "hjhs":
        for subscore, value in (result.get("subscores") or {}).items():
            yield _component(codes.subscore_code(subscore), value)


def _component(code: str, value: Any) -> dict[str, Any]:
    component: dict[str, Any] = {"code": _concept(_coding(codes.ASSESSMENT, code))}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return component | {"valueQuantity": _score(value)}
    return component | _absent()


def questionnaire_response(record: AssessmentRecord) -> Resource:
    """The raw items as entered, by item identifier (the API's field path), without wording."""
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": f"assessment-items-{record.id}",
        "questionnaire": f"{codes.QUESTIONNAIRE_BASE}/{record.instrument_code}"
        f"|{record.instrument_version}",
        "status": "amended" if record.version > 1 else "completed",
        "subject": patient_reference(record.patient_id),
        "authored": record.assessed_date.isoformat(),
    }
    items = list(_items(record.raw))
    if items:
        resource["item"] = items
    return resource


def _items(raw: Mapping[str, Any], prefix: str = "") -> Iterator[dict[str, Any]]:
    for key, value in raw.items():
        link_id = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _items(value, f"{link_id}.")
            continue
        values = value if isinstance(value, list) else [value]
        answers = [_answer(each) for each in values if each is not None]
        yield {"linkId": link_id} | ({"answer": answers} if answers else {})


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}  # codes such as "NE" or "child", never wording


# --- treatment, programme and alerts ---------------------------------------------------


def medication_administration(record: InfusionRecord, product: ProductRecord | None) -> Resource:
    medication = f"{product.name} (factor {product.factor})" if product else "factor concentrate"
    dosage: dict[str, Any] = {
        "dose": {"value": record.dose_iu, "unit": "IU", "system": codes.UCUM, "code": "[IU]"}
    }
    if record.dose_iu_per_kg is not None:
        dosage["text"] = f"{record.dose_iu} IU ({_number(record.dose_iu_per_kg)} IU/kg)"
    return {
        "resourceType": "MedicationAdministration",
        "id": f"infusion-{record.id}",
        "status": "completed",
        "medicationCodeableConcept": {"text": medication},
        "subject": patient_reference(record.patient_id),
        "effectiveDateTime": _instant(record.given_at),
        "reasonCode": [_concept(_coding(codes.INFUSION_REASON, record.reason), text=record.reason)],
        "dosage": dosage,
    }


def care_plan_and_goals(
    enrolment: ProgrammeEnrolmentRecord, version: RehabPlanVersionRecord | None
) -> list[Resource]:
    """The enrolment as a CarePlan, followed by one Goal per goal of its current plan."""
    goal_data = (version.content.get("goals") or []) if version else []
    goals = [_goal(enrolment, number, goal) for number, goal in enumerate(goal_data, start=1)]
    period = {"start": enrolment.start_date.isoformat()}
    if enrolment.ended_date is not None:
        period["end"] = enrolment.ended_date.isoformat()
    plan: Resource = {
        "resourceType": "CarePlan",
        "id": f"enrolment-{enrolment.id}",
        "status": _CARE_PLAN_STATUS[enrolment.status],
        "intent": "plan",
        "category": [_concept(_coding(codes.PROGRAMME, codes.ENROLMENT))],
        "title": f"{enrolment.weeks}-week rehabilitation programme",
        "subject": patient_reference(enrolment.patient_id),
        "period": period,
    }
    if version is not None:
        plan["description"] = f"plan version {version.number}"
    if goals:
        plan["goal"] = [reference(goal) for goal in goals]
    return [plan, *goals]


def _goal(enrolment: ProgrammeEnrolmentRecord, number: int, goal: Mapping[str, Any]) -> Resource:
    measure = str(goal.get("measure", "goal"))
    target: dict[str, Any] = {"measure": {"text": measure}}
    if isinstance(goal.get("target"), int | float):
        target["detailQuantity"] = {"value": _number(goal["target"])}
    if isinstance(goal.get("due_week"), int):
        due = enrolment.start_date + timedelta(weeks=goal["due_week"])
        target["dueDate"] = due.isoformat()
    term = goal.get("term")
    return {
        "resourceType": "Goal",
        "id": f"enrolment-{enrolment.id}-goal-{number}",
        "lifecycleStatus": _GOAL_STATUS[enrolment.status],
        "description": {"text": f"{term}-term goal: {measure} to {goal.get('target')}"},
        "subject": patient_reference(enrolment.patient_id),
        "startDate": enrolment.start_date.isoformat(),
        "target": [target],
    }


def triage_flag(record: BleedRecord) -> Resource:
    """An emergency or urgent bleed triage as an alert; inactive once treatment has ended."""
    urgency = str(record.urgency)
    period = {"start": _instant(record.started_at)}
    if record.treatment_ended_at is not None:
        period["end"] = _instant(record.treatment_ended_at)
    return {
        "resourceType": "Flag",
        "id": f"bleed-{record.id}",
        "status": "inactive" if record.treatment_ended_at else "active",
        "category": [_concept(_coding(codes.FLAG_CATEGORY, "clinical"))],
        "code": _concept(
            _coding(codes.TRIAGE, urgency), text=f"{urgency} bleed triage: {record.site.value}"
        ),
        "subject": patient_reference(record.patient_id),
        "period": period,
    }
