"""Reads for the clinicians' patient list and record pages: one query per badge kind.

Each function takes the ids of a whole page of patients (or one patient) and answers
in a single query, so the pages never query per patient.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    AlertRecord,
    AssessmentRecord,
    BleedRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    RehabPlanVersionRecord,
)
from hemojoint.persistence.repositories import Viewer, visible_patient_ids


def enrolments_of(
    session: Session, patient_ids: Select[Any] | Collection[int]
) -> Sequence[ProgrammeEnrolmentRecord]:
    """Active (not archived) enrolments of the patients, oldest start first."""
    query = (
        select(ProgrammeEnrolmentRecord)
        .where(
            ProgrammeEnrolmentRecord.patient_id.in_(patient_ids),
            ProgrammeEnrolmentRecord.archived_at.is_(None),
        )
        .order_by(ProgrammeEnrolmentRecord.start_date, ProgrammeEnrolmentRecord.id)
    )
    return session.scalars(query).all()


def patients_with_open_alerts() -> Select[int]:
    """Subquery: ids of patients with an unacknowledged alert (scope is added by the caller)."""
    return select(AlertRecord.patient_id).where(AlertRecord.acknowledged_at.is_(None))


def bleed_counts_since(
    session: Session, patient_ids: Collection[int], since: datetime
) -> dict[int, int]:
    """How many (not archived) bleeds each patient had from ``since`` on."""
    if not patient_ids:
        return {}
    query = (
        select(BleedRecord.patient_id, func.count())
        .where(
            BleedRecord.patient_id.in_(patient_ids),
            BleedRecord.started_at >= since,
            BleedRecord.archived_at.is_(None),
        )
        .group_by(BleedRecord.patient_id)
    )
    return dict(session.execute(query).all())


def current_plan_contents(
    session: Session, enrolment_ids: Collection[int]
) -> dict[int, dict[str, Any]]:
    """The newest plan version's content of each enrolment that has a plan."""
    if not enrolment_ids:
        return {}
    query = (
        select(RehabPlanRecord.enrolment_id, RehabPlanVersionRecord.content)
        .join(RehabPlanVersionRecord, RehabPlanVersionRecord.plan_id == RehabPlanRecord.id)
        .where(RehabPlanRecord.enrolment_id.in_(enrolment_ids))
        .order_by(RehabPlanRecord.enrolment_id, RehabPlanVersionRecord.number)
    )
    # Ordered by version number: the last row of each enrolment is its current version.
    return dict(session.execute(query).all())


def plan_versions_of_patient(
    session: Session, patient_id: int, limit: int
) -> Sequence[tuple[RehabPlanVersionRecord, int]]:
    """The patient's plan versions (with their enrolment id), newest first."""
    query = (
        select(RehabPlanVersionRecord, RehabPlanRecord.enrolment_id)
        .join(RehabPlanRecord, RehabPlanVersionRecord.plan_id == RehabPlanRecord.id)
        .join(
            ProgrammeEnrolmentRecord,
            ProgrammeEnrolmentRecord.id == RehabPlanRecord.enrolment_id,
        )
        .where(ProgrammeEnrolmentRecord.patient_id == patient_id)
        .order_by(RehabPlanVersionRecord.created_at.desc(), RehabPlanVersionRecord.id.desc())
        .limit(limit)
    )
    return [(version, enrolment_id) for version, enrolment_id in session.execute(query).all()]


def joint_assessments(
    session: Session, patient_id: int, instrument_codes: Collection[str]
) -> Sequence[AssessmentRecord]:
    """The patient's assessments of the joint instruments, with raw items, newest first."""
    query = (
        select(AssessmentRecord)
        .where(
            AssessmentRecord.patient_id == patient_id,
            AssessmentRecord.instrument_code.in_(instrument_codes),
            AssessmentRecord.archived_at.is_(None),
        )
        .order_by(AssessmentRecord.assessed_date.desc(), AssessmentRecord.id.desc())
    )
    return session.scalars(query).all()


def patient_labels(
    session: Session, viewer: Viewer, patient_ids: Collection[int]
) -> dict[int, tuple[str, str]]:
    """``{id: (given and family name, record number)}`` of the listed children ``viewer`` sees."""
    query = select(
        PatientRecord.id,
        PatientRecord.given_name,
        PatientRecord.family_name,
        PatientRecord.record_number,
    ).where(PatientRecord.id.in_(patient_ids), PatientRecord.id.in_(visible_patient_ids(viewer)))
    return {
        row.id: (f"{row.given_name} {row.family_name}", row.record_number)
        for row in session.execute(query)
    }
