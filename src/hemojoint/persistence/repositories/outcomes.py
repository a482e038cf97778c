"""Queries for the outcome analysis: the cohort, its assessments and its bleeds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    CentreRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)


def enrolled_patients(
    session: Session,
    *,
    centre_id: int | None,
    start_from: date | None,
    start_to: date | None,
) -> list[tuple[PatientRecord, ProgrammeEnrolmentRecord]]:
    """Patients and their programme enrolments, earliest start first (archived ones left out).

    The start-date range is inclusive at both ends; a patient with several
    enrolments in it appears once per enrolment (the service keeps the first).
    """
    conditions: list[ColumnElement[bool]] = [
        PatientRecord.archived_at.is_(None),
        ProgrammeEnrolmentRecord.archived_at.is_(None),
    ]
    if centre_id is not None:
        conditions.append(PatientRecord.centre_id == centre_id)
    if start_from is not None:
        conditions.append(ProgrammeEnrolmentRecord.start_date >= start_from)
    if start_to is not None:
        conditions.append(ProgrammeEnrolmentRecord.start_date <= start_to)
    query = (
        select(PatientRecord, ProgrammeEnrolmentRecord)
        .join(ProgrammeEnrolmentRecord, ProgrammeEnrolmentRecord.patient_id == PatientRecord.id)
        .where(*conditions)
        .order_by(ProgrammeEnrolmentRecord.start_date, ProgrammeEnrolmentRecord.id)
    )
    return [(patient, enrolment) for patient, enrolment in session.execute(query)]


def centre_by_code(session: Session, code: str) -> CentreRecord | None:
    return session.scalars(select(CentreRecord).where(CentreRecord.code == code)).one_or_none()


def assessments_at(
    session: Session, patient_ids: Sequence[int], timepoints: Sequence[str]
) -> list[AssessmentRecord]:
    """Current assessments of these patients at these timepoints, oldest first."""
    query = (
        select(AssessmentRecord)
        .where(
            AssessmentRecord.patient_id.in_(patient_ids),
            AssessmentRecord.timepoint.in_(timepoints),
            AssessmentRecord.archived_at.is_(None),
        )
        .order_by(AssessmentRecord.assessed_date, AssessmentRecord.id)
    )
    return list(session.scalars(query))


def bleeds_of(session: Session, patient_ids: Sequence[int]) -> list[BleedRecord]:
    """Current (not archived) bleeds of these patients, oldest first."""
    query = (
        select(BleedRecord)
        .where(BleedRecord.patient_id.in_(patient_ids), BleedRecord.archived_at.is_(None))
        .order_by(BleedRecord.started_at, BleedRecord.id)
    )
    return list(session.scalars(query))
