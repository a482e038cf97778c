"""Queries for MDT case discussions: meetings, actions, and the bleeds the agenda starts from.
Nothing commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    BleedRecord,
    MdtActionRecord,
    MdtMeetingRecord,
    PatientRecord,
)


def get_centre_meeting(
    session: Session, centre_id: int, meeting_id: int
) -> MdtMeetingRecord | None:
    """The meeting if it was held at ``centre_id``; another centre's meeting is not found."""
    query = select(MdtMeetingRecord).where(
        MdtMeetingRecord.id == meeting_id, MdtMeetingRecord.centre_id == centre_id
    )
    return session.scalars(query).one_or_none()


def centre_meetings(
    session: Session,
    centre_id: int,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
) -> Sequence[MdtMeetingRecord]:
    """A centre's meetings, newest first; the date range is inclusive."""
    query = select(MdtMeetingRecord).where(MdtMeetingRecord.centre_id == centre_id)
    if from_date is not None:
        query = query.where(MdtMeetingRecord.meeting_date >= from_date)
    if to_date is not None:
        query = query.where(MdtMeetingRecord.meeting_date <= to_date)
    order = (MdtMeetingRecord.meeting_date.desc(), MdtMeetingRecord.id.desc())
    return session.scalars(query.order_by(*order)).all()


def previous_meeting(session: Session, centre_id: int, before: date) -> MdtMeetingRecord | None:
    """The centre's last meeting before ``before``: "new" bleeds are the ones since then."""
    query = (
        select(MdtMeetingRecord)
        .where(MdtMeetingRecord.centre_id == centre_id, MdtMeetingRecord.meeting_date < before)
        .order_by(MdtMeetingRecord.meeting_date.desc(), MdtMeetingRecord.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def meeting_actions(session: Session, meeting_id: int) -> Sequence[MdtActionRecord]:
    query = (
        select(MdtActionRecord)
        .where(MdtActionRecord.meeting_id == meeting_id)
        .order_by(MdtActionRecord.id)
    )
    return session.scalars(query).all()


def patient_actions(
    session: Session, patient_id: int, *, open_only: bool = False
) -> Sequence[MdtActionRecord]:
    """The MDT actions about a child (for the child's record), soonest due first."""
    query = select(MdtActionRecord).where(MdtActionRecord.patient_id == patient_id)
    if open_only:
        query = query.where(MdtActionRecord.done_at.is_(None))
    order = (MdtActionRecord.due_date, MdtActionRecord.id)
    return session.scalars(query.order_by(*order)).all()


def centre_bleeds_since(session: Session, centre_id: int, since: datetime) -> Sequence[BleedRecord]:
    """Bleeds of a centre's children that started at or after ``since``, oldest first.

    The agenda lists the children with new bleeds and those whose triage raised a
    red flag (``urgency``), so one query serves both.
    """
    query = (
        select(BleedRecord)
        .join(PatientRecord, PatientRecord.id == BleedRecord.patient_id)
        .where(
            PatientRecord.centre_id == centre_id,
            PatientRecord.archived_at.is_(None),
            BleedRecord.started_at >= since,
            BleedRecord.archived_at.is_(None),
        )
        .order_by(BleedRecord.started_at, BleedRecord.id)
    )
    return session.scalars(query).all()
