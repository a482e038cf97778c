"""Queries about tele-rehabilitation and education: check-ins, online sessions, the message
thread and education assignments. Nothing commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    CheckInRecord,
    EducationAssignmentRecord,
    MessageRecord,
    OnlineSessionRecord,
    PatientRecord,
)
from hemojoint.persistence.repositories import Page, Viewer


def get_visible_check_in(
    session: Session, viewer: Viewer, check_in_id: int
) -> CheckInRecord | None:
    """The check-in if its child is visible to ``viewer``: the gate before serving its file."""
    query = select(CheckInRecord).where(
        CheckInRecord.id == check_in_id,
        CheckInRecord.patient_id.in_(repositories.visible_patient_ids(viewer)),
    )
    return session.scalars(query).one_or_none()


def enrolment_check_ins(
    session: Session, enrolment_id: int, *, archived: bool = False
) -> Sequence[CheckInRecord]:
    """An enrolment's check-ins, oldest first (only the archived ones when ``archived``)."""
    archived_clause = (
        CheckInRecord.archived_at.is_not(None) if archived else CheckInRecord.archived_at.is_(None)
    )
    query = (
        select(CheckInRecord)
        .where(CheckInRecord.enrolment_id == enrolment_id, archived_clause)
        .order_by(CheckInRecord.created_at, CheckInRecord.id)
    )
    return session.scalars(query).all()


def unanswered_check_ins(session: Session, centre_id: int) -> Sequence[CheckInRecord]:
    """Check-ins of a centre's children still waiting for a therapist's reply, oldest first."""
    centre_patients = select(PatientRecord.id).where(PatientRecord.centre_id == centre_id)
    query = (
        select(CheckInRecord)
        .where(
            CheckInRecord.patient_id.in_(centre_patients),
            CheckInRecord.replied_at.is_(None),
            CheckInRecord.archived_at.is_(None),
        )
        .order_by(CheckInRecord.created_at, CheckInRecord.id)
    )
    return session.scalars(query).all()


def online_sessions(session: Session, enrolment_id: int) -> Sequence[OnlineSessionRecord]:
    """The scheduled online sessions of an enrolment, week 1 first."""
    query = (
        select(OnlineSessionRecord)
        .where(OnlineSessionRecord.enrolment_id == enrolment_id)
        .order_by(OnlineSessionRecord.week)
    )
    return session.scalars(query).all()


def online_session_of_week(
    session: Session, enrolment_id: int, week: int
) -> OnlineSessionRecord | None:
    query = select(OnlineSessionRecord).where(
        OnlineSessionRecord.enrolment_id == enrolment_id, OnlineSessionRecord.week == week
    )
    return session.scalars(query).one_or_none()


def message_thread(session: Session, patient_id: int, *, offset: int, limit: int) -> Page:
    """One page of a child's message thread, oldest first (a conversation reads downwards)."""
    return repositories.page(
        session,
        MessageRecord,
        [MessageRecord.patient_id == patient_id],
        offset=offset,
        limit=limit,
        order_by=[MessageRecord.created_at, MessageRecord.id],
    )


def unread_messages(session: Session, patient_id: int, *, reader_id: int) -> int:
    """How many messages in the child's thread, written by someone else, are still unread."""
    query = select(func.count()).where(
        MessageRecord.patient_id == patient_id,
        MessageRecord.author_id != reader_id,
        MessageRecord.read_at.is_(None),
    )
    return session.scalar(query) or 0


def education_assignments(session: Session, patient_id: int) -> Sequence[EducationAssignmentRecord]:
    """What the family was given to read, oldest assignment first."""
    query = (
        select(EducationAssignmentRecord)
        .where(EducationAssignmentRecord.patient_id == patient_id)
        .order_by(EducationAssignmentRecord.assigned_at, EducationAssignmentRecord.id)
    )
    return session.scalars(query).all()


def unread_assignment(
    session: Session, patient_id: int, material_code: str
) -> EducationAssignmentRecord | None:
    """The open (unread) assignment of a material, if there is one: assigning twice is a no-op."""
    query = (
        select(EducationAssignmentRecord)
        .where(
            EducationAssignmentRecord.patient_id == patient_id,
            EducationAssignmentRecord.material_code == material_code,
            EducationAssignmentRecord.read_at.is_(None),
        )
        .order_by(EducationAssignmentRecord.id)
        .limit(1)
    )
    return session.scalars(query).first()
