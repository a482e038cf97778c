"""Queries about the rehabilitation programme: enrolments, plan versions, home logs,
weekly reviews, joint clearances and adverse events. Nothing commits.

Lists leave archived rows out (they were entered in error), except where said.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    AdverseEventRecord,
    EnrolmentStatus,
    HomeSessionLogRecord,
    JointClearanceRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    RehabPlanVersionRecord,
    WeeklyReviewRecord,
)
from hemojoint.persistence.repositories import Viewer


def get_visible_enrolment(
    session: Session, viewer: Viewer, enrolment_id: int
) -> ProgrammeEnrolmentRecord | None:
    """The enrolment if its patient is visible to ``viewer`` (archived ones included)."""
    query = select(ProgrammeEnrolmentRecord).where(
        ProgrammeEnrolmentRecord.id == enrolment_id,
        ProgrammeEnrolmentRecord.patient_id.in_(repositories.visible_patient_ids(viewer)),
    )
    return session.scalars(query).one_or_none()


def active_enrolment(session: Session, patient_id: int) -> ProgrammeEnrolmentRecord | None:
    """The child's running enrolment (status ``enrolled``, not archived); there is at most one."""
    query = select(ProgrammeEnrolmentRecord).where(
        ProgrammeEnrolmentRecord.patient_id == patient_id,
        ProgrammeEnrolmentRecord.status == EnrolmentStatus.ENROLLED,
        ProgrammeEnrolmentRecord.archived_at.is_(None),
    )
    return session.scalars(query).one_or_none()


def patient_enrolments(session: Session, patient_id: int) -> Sequence[ProgrammeEnrolmentRecord]:
    """Every enrolment of the child that is not archived, newest start first."""
    query = (
        select(ProgrammeEnrolmentRecord)
        .where(
            ProgrammeEnrolmentRecord.patient_id == patient_id,
            ProgrammeEnrolmentRecord.archived_at.is_(None),
        )
        .order_by(ProgrammeEnrolmentRecord.start_date.desc(), ProgrammeEnrolmentRecord.id.desc())
    )
    return session.scalars(query).all()


def centre_active_enrolments(
    session: Session, centre_id: int
) -> Sequence[ProgrammeEnrolmentRecord]:
    """The running enrolments of a centre's children (the MDT agenda starts from these)."""
    query = (
        select(ProgrammeEnrolmentRecord)
        .join(PatientRecord, PatientRecord.id == ProgrammeEnrolmentRecord.patient_id)
        .where(
            PatientRecord.centre_id == centre_id,
            PatientRecord.archived_at.is_(None),
            ProgrammeEnrolmentRecord.status == EnrolmentStatus.ENROLLED,
            ProgrammeEnrolmentRecord.archived_at.is_(None),
        )
        .order_by(ProgrammeEnrolmentRecord.id)
    )
    return session.scalars(query).all()


def plan_of_enrolment(session: Session, enrolment_id: int) -> RehabPlanRecord | None:
    query = select(RehabPlanRecord).where(RehabPlanRecord.enrolment_id == enrolment_id)
    return session.scalars(query).one_or_none()


def current_plan_version(session: Session, plan_id: int) -> RehabPlanVersionRecord | None:
    """The newest version of a plan: the one the family follows."""
    query = (
        select(RehabPlanVersionRecord)
        .where(RehabPlanVersionRecord.plan_id == plan_id)
        .order_by(RehabPlanVersionRecord.number.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def plan_version(session: Session, plan_id: int, number: int) -> RehabPlanVersionRecord | None:
    query = select(RehabPlanVersionRecord).where(
        RehabPlanVersionRecord.plan_id == plan_id, RehabPlanVersionRecord.number == number
    )
    return session.scalars(query).one_or_none()


def plan_versions(session: Session, plan_id: int) -> Sequence[RehabPlanVersionRecord]:
    """The whole history of a plan, version 1 first."""
    query = (
        select(RehabPlanVersionRecord)
        .where(RehabPlanVersionRecord.plan_id == plan_id)
        .order_by(RehabPlanVersionRecord.number)
    )
    return session.scalars(query).all()


def next_plan_version_number(session: Session, plan_id: int) -> int:
    """1 for a new plan, else one more than the newest (the unique key settles races)."""
    newest = session.scalar(
        select(func.max(RehabPlanVersionRecord.number)).where(
            RehabPlanVersionRecord.plan_id == plan_id
        )
    )
    return (newest or 0) + 1


def session_logs(
    session: Session,
    enrolment_id: int,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
) -> Sequence[HomeSessionLogRecord]:
    """An enrolment's home session logs, oldest first; the date range is inclusive."""
    query = select(HomeSessionLogRecord).where(
        HomeSessionLogRecord.enrolment_id == enrolment_id,
        HomeSessionLogRecord.archived_at.is_(None),
    )
    if from_date is not None:
        query = query.where(HomeSessionLogRecord.session_date >= from_date)
    if to_date is not None:
        query = query.where(HomeSessionLogRecord.session_date <= to_date)
    order = (HomeSessionLogRecord.session_date, HomeSessionLogRecord.id)
    return session.scalars(query.order_by(*order)).all()


def logs_of_enrolments(
    session: Session, enrolment_ids: Sequence[int]
) -> dict[int, list[HomeSessionLogRecord]]:
    """The logs of many enrolments in one query (adherence for a whole MDT agenda)."""
    grouped: dict[int, list[HomeSessionLogRecord]] = {key: [] for key in enrolment_ids}
    if not enrolment_ids:
        return grouped
    query = (
        select(HomeSessionLogRecord)
        .where(
            HomeSessionLogRecord.enrolment_id.in_(enrolment_ids),
            HomeSessionLogRecord.archived_at.is_(None),
        )
        .order_by(HomeSessionLogRecord.session_date, HomeSessionLogRecord.id)
    )
    for log in session.scalars(query):
        grouped[log.enrolment_id].append(log)
    return grouped


def weekly_reviews(session: Session, enrolment_id: int) -> Sequence[WeeklyReviewRecord]:
    """Every review of an enrolment by week; a week reviewed again lists both, older first."""
    query = (
        select(WeeklyReviewRecord)
        .where(WeeklyReviewRecord.enrolment_id == enrolment_id)
        .order_by(WeeklyReviewRecord.week, WeeklyReviewRecord.id)
    )
    return session.scalars(query).all()


def latest_review(session: Session, enrolment_id: int) -> WeeklyReviewRecord | None:
    """The review of the latest week reviewed (the newest one if that week was redone)."""
    query = (
        select(WeeklyReviewRecord)
        .where(WeeklyReviewRecord.enrolment_id == enrolment_id)
        .order_by(WeeklyReviewRecord.week.desc(), WeeklyReviewRecord.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def latest_clearances(
    session: Session, patient_id: int, *, until: datetime | None = None
) -> dict[BleedSite, datetime]:
    """When each joint of the child was last cleared for loading (up to ``until``, if given).

    A bleed in a joint pauses its loading exercises until a hematologist clears it
    after the bleed began; the domain (``joint_status``) compares the two dates.
    """
    query = select(JointClearanceRecord.joint, func.max(JointClearanceRecord.cleared_at)).where(
        JointClearanceRecord.patient_id == patient_id
    )
    if until is not None:
        query = query.where(JointClearanceRecord.cleared_at <= until)
    return dict(session.execute(query.group_by(JointClearanceRecord.joint)).all())


def patient_clearances(session: Session, patient_id: int) -> Sequence[JointClearanceRecord]:
    query = (
        select(JointClearanceRecord)
        .where(JointClearanceRecord.patient_id == patient_id)
        .order_by(JointClearanceRecord.cleared_at, JointClearanceRecord.id)
    )
    return session.scalars(query).all()


def adverse_events(
    session: Session, patient_id: int, *, enrolment_id: int | None = None
) -> Sequence[AdverseEventRecord]:
    """A child's adverse events by date (only one enrolment's when ``enrolment_id`` is given)."""
    query = select(AdverseEventRecord).where(
        AdverseEventRecord.patient_id == patient_id, AdverseEventRecord.archived_at.is_(None)
    )
    if enrolment_id is not None:
        query = query.where(AdverseEventRecord.enrolment_id == enrolment_id)
    order = (AdverseEventRecord.event_date, AdverseEventRecord.id)
    return session.scalars(query.order_by(*order)).all()
