"""Enrolling a child in the 12-week programme after the eligibility check, and ending it.

Eligibility is the domain's (``hemojoint.domain.eligibility``), checked on the start
date from two sources: the registry wherever it holds the fact (age and diagnosis
from the patient, inhibitor tests, the bleed history) and the team's screening
answers in the request for the rest. The registry wins where it has data, so a
request cannot contradict a recorded inhibitor result or bleed. A refusal lists
every failed criterion and stores nothing; an enrolment keeps the check as it was.

Plans are in :mod:`.plans`, weekly reviews and joint clearances in :mod:`.reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode
from hemojoint.domain.eligibility import (
    Candidate,
    Criterion,
    EligibilityResult,
    ImagingConfirmation,
    InhibitorResult,
    InhibitorTest,
    check_eligibility,
)
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.prophylaxis import parse_weekdays
from hemojoint.domain.rehab.joint_status import RehabRules
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.review import ReviewRules
from hemojoint.domain.validation import ProblemCollector, fail
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    EnrolmentStatus,
    InhibitorResultRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RegimenRecord,
)
from hemojoint.persistence.repositories import patient_record as patient_rows
from hemojoint.persistence.repositories import rehab as queries
from hemojoint.schemas.programme import (
    CandidateFacts,
    EnrolmentComplete,
    EnrolmentCreate,
    EnrolmentRead,
    EnrolmentWithdraw,
)
from hemojoint.services import audit, child_records, patients, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError

ENTITY = "enrolment"

ENROLMENTS = child_records.ChildKind(
    entity=ENTITY,
    model=ProgrammeEnrolmentRecord,
    record_type=RecordType.ENROLMENT,
    read_schema=EnrolmentRead,
    order_by=(ProgrammeEnrolmentRecord.start_date.desc(), ProgrammeEnrolmentRecord.id.desc()),
)

# Baseline link -> the instrument codes it may point at (the planner reads HEAD-US or -C).
BASELINE_INSTRUMENTS = {
    "baseline_hjhs_id": ("hjhs",),
    "baseline_ultrasound_id": ("head_us", "head_us_c"),
    "baseline_choklat_id": ("choklat",),
}


class NotEligibleError(InvalidInputError):
    """422: one field per failed criterion (code, outcome, what is required, why)."""

    code = "not_eligible"


@dataclass(frozen=True)
class ProgrammeDefinitions:
    """The provisional definitions the programme runs on (a centre may replace them)."""

    library: ExerciseLibrary
    rules: RehabRules
    review_rules: ReviewRules
    head_us_c: HeadUsCDefinition


def load_definitions(folder: Path | None) -> ProgrammeDefinitions:
    return ProgrammeDefinitions(
        library=ExerciseLibrary.from_mapping(load_definition("exercise_library", folder)),
        rules=RehabRules.from_mapping(load_definition("rehab_rules", folder)),
        review_rules=ReviewRules.from_mapping(load_definition("rehab_review_rules", folder)),
        head_us_c=HeadUsCDefinition.from_mapping(load_definition("head_us_c", folder)),
    )


def render(record: ProgrammeEnrolmentRecord) -> dict[str, Any]:
    return ENROLMENTS.render(record)


# --- the registry's facts -----------------------------------------------------------------------


def patient_bleeds(session: Session, patient_id: int) -> list[BleedEpisode]:
    """Every bleed of the child that was not archived (entered in error), oldest first."""
    columns = ("site", "started_at", "treatment_ended_at", "bleed_type")
    rows = patient_rows.newest_rows(
        session, BleedRecord, columns, patient_id=patient_id, newest_first=("started_at",)
    )
    return [
        BleedEpisode(row.site, row.started_at, row.treatment_ended_at, row.bleed_type)
        for row in reversed(rows)
    ]


def _registry_inhibitor_tests(session: Session, patient_id: int) -> tuple[InhibitorTest, ...]:
    rows = patient_rows.newest_rows(
        session,
        InhibitorResultRecord,
        ("sample_date", "positive"),
        patient_id=patient_id,
        newest_first=("sample_date",),
    )
    return tuple(
        InhibitorTest(
            row.sample_date,
            InhibitorResult.POSITIVE if row.positive else InhibitorResult.NEGATIVE,
        )
        for row in rows
    )


def candidate(session: Session, patient: PatientRecord, facts: CandidateFacts) -> Candidate:
    """The child as the eligibility check sees them (sources in the module docstring)."""
    inhibitor = _registry_inhibitor_tests(session, patient.id) or tuple(
        InhibitorTest(test.tested_on, test.result) for test in facts.inhibitor_tests
    )
    imaging = facts.joint_bleed_imaging
    return Candidate(
        birth_date=patient.birth_date,
        hemophilia_type=patient.hemophilia_type,
        inhibitor_tests=inhibitor,
        follows_simple_training=facts.follows_simple_training,
        joint_bleed_imaging=ImagingConfirmation(imaging.modality, imaging.finding)
        if imaging
        else None,
        joint_pain=facts.joint_pain,
        restricted_motion=facts.restricted_motion,
        completes_12_weeks=facts.completes_12_weeks,
        active_bleed_on_ultrasound=facts.active_bleed_on_ultrasound,
        severe_active_bleeding=facts.severe_active_bleeding,
        bleeds=tuple(patient_bleeds(session, patient.id)),
        heart_liver_or_kidney_disease=facts.heart_liver_or_kidney_disease,
        other_serious_condition=facts.other_serious_condition,
    )


def _refuse_if_not_eligible(result: EligibilityResult) -> None:
    if result.eligible:
        return
    raise NotEligibleError(
        FieldProblem(
            f"eligibility.{item.criterion.value}",
            item.outcome.value,
            item.criterion.requirement,
            f"{item.criterion.value}: {item.explanation}",
        )
        for item in result.failed
    )


def _snapshot(result: EligibilityResult, facts: CandidateFacts, as_of: date) -> dict[str, Any]:
    return {
        **result.as_dict(),
        "as_of": as_of.isoformat(),
        "criteria": [criterion.value for criterion in Criterion],
        "facts": facts.model_dump(mode="json"),
    }


# --- enrolling ----------------------------------------------------------------------------------


def enrol(
    session: Session, actor: Actor, *, patient_id: int, data: EnrolmentCreate
) -> ProgrammeEnrolmentRecord:
    patient = patients.get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.ENROLMENT)
    if queries.active_enrolment(session, patient.id) is not None:
        raise ConflictError("the child is already enrolled; complete or withdraw that first")
    result = check_eligibility(candidate(session, patient, data.candidate), data.start_date)
    _refuse_if_not_eligible(result)
    links = _checked_links(session, patient.id, data)
    record = ProgrammeEnrolmentRecord(
        patient_id=patient.id,
        start_date=data.start_date,
        weeks=data.weeks,
        eligibility=_snapshot(result, data.candidate, data.start_date),
        enrolled_by_id=actor.user_id,
        **links,
    )
    session.add(record)
    session.flush()
    audit.record(
        session, actor, action="create", entity=ENTITY, entity_id=record.id, patient_id=patient.id
    )
    return record


def _checked_links(session: Session, patient_id: int, data: EnrolmentCreate) -> dict[str, Any]:
    """The baseline links, the regimen and the infusion days, every problem at once."""
    problems = ProblemCollector()
    links: dict[str, Any] = {}
    for field in BASELINE_INSTRUMENTS:
        links[field] = problems.check(_baseline, session, patient_id, field, getattr(data, field))
    regimen = problems.check(_regimen, session, patient_id, data.regimen_id)
    links["regimen_id"] = data.regimen_id
    days: list[str] | None = None
    if data.infusion_weekdays is not None:
        days = [day.value for day in data.infusion_weekdays]
    elif regimen is not None:
        days = list(regimen.weekdays)
    if days is None:
        problems.add(FieldProblem.missing("infusion_weekdays", "weekdays, or a regimen_id"))
    else:
        parsed = problems.check(parse_weekdays, days, "infusion_weekdays")
        links["infusion_weekdays"] = [day.value for day in parsed or ()]
    problems.raise_if_any()
    return links


def _baseline(session: Session, patient_id: int, field: str, assessment_id: int | None) -> Any:
    if assessment_id is None:
        return None
    codes = BASELINE_INSTRUMENTS[field]
    record = repositories.get_by_id(session, AssessmentRecord, assessment_id)
    if (
        record is None
        or record.patient_id != patient_id
        or record.is_archived
        or record.instrument_code not in codes
    ):
        allowed = f"the id of this child's {' or '.join(codes)} assessment"
        raise fail(FieldProblem.invalid(field, assessment_id, allowed, f"is not {allowed}"))
    return assessment_id


def _regimen(session: Session, patient_id: int, regimen_id: int | None) -> RegimenRecord | None:
    if regimen_id is None:
        return None
    record = repositories.get_by_id(session, RegimenRecord, regimen_id)
    if record is None or record.patient_id != patient_id or record.is_archived:
        allowed = "the id of this child's prophylaxis regimen"
        raise fail(FieldProblem.invalid("regimen_id", regimen_id, allowed, f"is not {allowed}"))
    return record


# --- reading and ending -------------------------------------------------------------------------


def get_visible(session: Session, actor: Actor, enrolment_id: int) -> ProgrammeEnrolmentRecord:
    """The enrolment if its child is visible to ``actor``; otherwise 404, as if absent."""
    record = queries.get_visible_enrolment(session, actor.viewer, enrolment_id)
    if record is None:
        raise NotFoundError(ENTITY, enrolment_id)
    return record


def require_running(record: ProgrammeEnrolmentRecord) -> None:
    """Refuse (409) a change to the programme of an enrolment that has ended or was archived."""
    if record.is_archived or record.status is not EnrolmentStatus.ENROLLED:
        state = "archived" if record.is_archived else record.status.value
        raise ConflictError(f"enrolment {record.id} is {state}: its programme cannot change")


def withdraw(
    session: Session, actor: Actor, *, enrolment_id: int, data: EnrolmentWithdraw
) -> ProgrammeEnrolmentRecord:
    return _end(
        session,
        actor,
        enrolment_id,
        data.version,
        EnrolmentStatus.WITHDRAWN,
        data.ended_date,
        data.reason,
    )


def complete(
    session: Session, actor: Actor, *, enrolment_id: int, data: EnrolmentComplete
) -> ProgrammeEnrolmentRecord:
    return _end(
        session,
        actor,
        enrolment_id,
        data.version,
        EnrolmentStatus.COMPLETED,
        data.ended_date,
        None,
    )


def _end(
    session: Session,
    actor: Actor,
    enrolment_id: int,
    version: int,
    status: EnrolmentStatus,
    ended_date: date,
    reason: str | None,
) -> ProgrammeEnrolmentRecord:
    record = get_visible(session, actor, enrolment_id)
    actor.require(Action.WRITE, RecordType.ENROLMENT)
    records.check_version(record, version, render)
    require_running(record)
    if ended_date < record.start_date:
        why = f"is before the start date {record.start_date.isoformat()}"
        allowed = f"{record.start_date.isoformat()} or later"
        raise fail(FieldProblem.invalid("ended_date", ended_date.isoformat(), allowed, why))
    records.apply_changes(
        record, {"status": status, "ended_date": ended_date, "end_reason": reason}
    )
    session.flush()
    audit.record(
        session,
        actor,
        action=status.value,
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.patient_id,
    )
    return record


def index_joint_clearances(
    session: Session, patient_id: int, *, until: datetime | None = None
) -> dict[IndexJoint, date]:
    """Each index joint's latest clearance date (other sites have no exercises to resume)."""
    found = queries.latest_clearances(session, patient_id, until=until)
    cleared: dict[IndexJoint, date] = {}
    for site, moment in found.items():
        joint = BleedSite(site).index_joint
        if joint is not None:
            cleared[joint] = moment.date()
    return cleared
