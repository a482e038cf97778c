"""Weekly reviews of an enrolment and hematologists' joint clearances.

A review runs :func:`hemojoint.domain.rehab.review.weekly_review` on what is known
when it is done: the family's home logs up to the end of the week, the current plan
version's sessions, every bleed of the child and the clearances given so far. A bleed
in a joint pauses that joint's loading exercises until a hematologist clears the
joint (a clearance dated on or after the bleed's start); the stored reasons name the
paused exercises. Reviewing a week again adds a review; the older one stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.patients import age_at
from hemojoint.domain.rehab.review import ReasonCode, WeeklyReview, weekly_review
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK
from hemojoint.domain.validation import fail
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    EnrolmentStatus,
    JointClearanceRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    WeeklyReviewRecord,
)
from hemojoint.persistence.repositories import bleeds as bleed_queries
from hemojoint.persistence.repositories import rehab as queries
from hemojoint.schemas.programme import ClearanceCreate
from hemojoint.services import audit, home, patients, plans, programme
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError
from hemojoint.services.programme import ProgrammeDefinitions

REVIEW = "weekly_review"
CLEARANCE = "clearance"

# --- weekly reviews -----------------------------------------------------------------------------


def review_week(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    week: int,
    definitions: ProgrammeDefinitions,
    now: datetime,
) -> WeeklyReviewRecord:
    enrolment = programme.get_visible(session, actor, enrolment_id)
    actor.require(Action.WRITE, RecordType.WEEKLY_REVIEW)
    _require_reviewable(enrolment, week)
    if queries.plan_of_enrolment(session, enrolment.id) is None:
        raise ConflictError("the enrolment has no plan yet: generate it before reviewing")
    # Weeks run from the first session (the first infusion day on or after the start),
    # as the plan's schedule numbers them.
    first_day = home.programme_start(enrolment)
    content = plans.current_version(session, enrolment).content
    prescribed = list(home.plan_sessions(content, first_day))
    week_end = first_day + timedelta(days=DAYS_PER_WEEK * week - 1)
    logs = queries.session_logs(session, enrolment.id, from_date=first_day, to_date=week_end)
    patient = _patient(session, enrolment.patient_id)
    result = weekly_review(
        week=week,
        start_date=first_day,
        logs=[home.domain_log(log) for log in logs],
        prescribed=prescribed,
        bleeds=programme.patient_bleeds(session, patient.id),
        cleared_joints=programme.index_joint_clearances(session, patient.id, until=now),
        age_years=age_at(patient.birth_date, week_end).years,
        library=definitions.library,
        rules=definitions.review_rules,
    )
    record = _stored(enrolment, result, actor)
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity=REVIEW,
        entity_id=record.id,
        patient_id=enrolment.patient_id,
        detail={"enrolment_id": enrolment.id, "week": week, "logs": [log.id for log in logs]},
    )
    return record


def _require_reviewable(enrolment: ProgrammeEnrolmentRecord, week: int) -> None:
    if enrolment.is_archived or enrolment.status is EnrolmentStatus.WITHDRAWN:
        state = "archived" if enrolment.is_archived else enrolment.status.value
        raise ConflictError(f"enrolment {enrolment.id} is {state}: it is not reviewed")
    if week > enrolment.weeks:  # the schema allows 1-12; a shorter programme has fewer weeks
        raise fail(FieldProblem.out_of_range("week", week, 1, enrolment.weeks))


def _patient(session: Session, patient_id: int) -> PatientRecord:
    patient = repositories.get_by_id(session, PatientRecord, patient_id)
    if patient is None:  # the foreign key makes this unreachable
        raise NotFoundError("patient", patient_id)
    return patient


def _stored(
    enrolment: ProgrammeEnrolmentRecord, result: WeeklyReview, actor: Actor
) -> WeeklyReviewRecord:
    return WeeklyReviewRecord(
        enrolment_id=enrolment.id,
        week=result.week,
        decision=result.decision,
        paused_joints=[joint.value for joint in result.paused_joints],
        suggestions=[suggestion.value for suggestion in result.suggestions],
        reasons=_reasons(result),
        reviewed_by_id=actor.user_id,
    )


def _reasons(result: WeeklyReview) -> list[dict[str, Any]]:
    """The domain's reasons; a paused joint's reason also lists the exercises paused."""
    paused = {item.joint.value: item for item in result.paused}
    reasons = []
    for reason in result.reasons:
        item = reason.as_dict()
        if reason.code is ReasonCode.BLEED_PAUSED and item["joint"] in paused:
            pause = paused[item["joint"]]
            item["bleed_start"] = pause.bleed_start.isoformat()
            item["exercises"] = list(pause.exercises)
        reasons.append(item)
    return reasons


def list_reviews(
    session: Session, actor: Actor, *, enrolment_id: int
) -> Sequence[WeeklyReviewRecord]:
    enrolment = programme.get_visible(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.WEEKLY_REVIEW)
    found = queries.weekly_reviews(session, enrolment.id)
    audit.record(
        session,
        actor,
        action="list",
        entity=REVIEW,
        patient_id=enrolment.patient_id,
        detail={"enrolment_id": enrolment.id, "returned_ids": [item.id for item in found]},
    )
    return found


# --- joint clearances ---------------------------------------------------------------------------


def clear_joint(
    session: Session, actor: Actor, *, patient_id: int, data: ClearanceCreate, now: datetime
) -> JointClearanceRecord:
    """A hematologist clears a joint for loading again (after a bleed in it)."""
    patient = patients.get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.CLEARANCE)
    cleared_at = data.cleared_at or now
    if cleared_at > now:
        why = "is in the future: a clearance is recorded once given"
        raise fail(
            FieldProblem.invalid("cleared_at", cleared_at.isoformat(), "now or earlier", why)
        )
    if data.bleed_id is not None:
        _check_bleed(session, patient.id, data)
    running = queries.active_enrolment(session, patient.id)
    record = JointClearanceRecord(
        patient_id=patient.id,
        enrolment_id=running.id if running else None,
        joint=data.joint,
        bleed_id=data.bleed_id,
        cleared_by_id=actor.user_id,
        cleared_at=cleared_at,
        note=data.note,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity=CLEARANCE,
        entity_id=record.id,
        patient_id=patient.id,
    )
    return record


def _check_bleed(session: Session, patient_id: int, data: ClearanceCreate) -> None:
    bleed = bleed_queries.get_patient_bleed(session, patient_id, data.bleed_id or 0)
    if bleed is None or bleed.is_archived:
        allowed = "the id of a bleed of this child"
        raise fail(FieldProblem.invalid("bleed_id", data.bleed_id, allowed, f"is not {allowed}"))
    if bleed.site is not data.joint:
        allowed = f"{bleed.site.value} (the bleed's site)"
        why = f"differs from the site of bleed {bleed.id}, {bleed.site.value}"
        raise fail(FieldProblem.invalid("joint", data.joint.value, allowed, why))


def list_clearances(
    session: Session, actor: Actor, *, patient_id: int
) -> Sequence[JointClearanceRecord]:
    patient = patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.CLEARANCE)
    found = queries.patient_clearances(session, patient.id)
    audit.record(
        session,
        actor,
        action="list",
        entity=CLEARANCE,
        patient_id=patient.id,
        detail={"returned_ids": [item.id for item in found]},
    )
    return found
