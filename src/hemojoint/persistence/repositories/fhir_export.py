"""Queries behind the FHIR export: a centre's patients and their records, a few queries in all.

Each query reads one table for every exported patient at once (``patient_id IN``),
so a centre of hundreds of children is a handful of queries, not one per child.
Archived rows (entered in error) and revoked family links are left out. Nothing commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.persistence.base import Base
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    FamilyLinkRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    ProductRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    RehabPlanVersionRecord,
)

R = TypeVar("R", bound=Base)


def centre_patients(session: Session, centre_id: int) -> Sequence[PatientRecord]:
    """The centre's patients that are not archived, in the order they were registered."""
    query = (
        select(PatientRecord)
        .where(PatientRecord.centre_id == centre_id, PatientRecord.archived_at.is_(None))
        .order_by(PatientRecord.id)
    )
    return session.scalars(query).all()


def _active_of(
    session: Session, model: type[R], patient_ids: Collection[int], *extra: Any
) -> Sequence[R]:
    """``model``'s active rows of these patients, oldest id first (a stable order)."""
    table: Any = model
    query = (
        select(model)
        .where(table.patient_id.in_(patient_ids), table.archived_at.is_(None), *extra)
        .order_by(table.patient_id, table.id)
    )
    return session.scalars(query).all()


def assessments(
    session: Session, patient_ids: Collection[int], instrument_codes: Collection[str]
) -> Sequence[AssessmentRecord]:
    condition = AssessmentRecord.instrument_code.in_(instrument_codes)
    return _active_of(session, AssessmentRecord, patient_ids, condition)


def inhibitor_results(
    session: Session, patient_ids: Collection[int]
) -> Sequence[InhibitorResultRecord]:
    return _active_of(session, InhibitorResultRecord, patient_ids)


def infusions(session: Session, patient_ids: Collection[int]) -> Sequence[InfusionRecord]:
    return _active_of(session, InfusionRecord, patient_ids)


def bleeds_with_urgency(
    session: Session, patient_ids: Collection[int], urgencies: Collection[str]
) -> Sequence[BleedRecord]:
    return _active_of(session, BleedRecord, patient_ids, BleedRecord.urgency.in_(urgencies))


def enrolments(
    session: Session, patient_ids: Collection[int]
) -> Sequence[ProgrammeEnrolmentRecord]:
    return _active_of(session, ProgrammeEnrolmentRecord, patient_ids)


def centre_products(session: Session, centre_id: int) -> Sequence[ProductRecord]:
    """Archived products included: old infusions still name them."""
    return session.scalars(select(ProductRecord).where(ProductRecord.centre_id == centre_id)).all()


def family_links(session: Session, patient_ids: Collection[int]) -> Sequence[FamilyLinkRecord]:
    query = (
        select(FamilyLinkRecord)
        .where(FamilyLinkRecord.patient_id.in_(patient_ids), FamilyLinkRecord.revoked_at.is_(None))
        .order_by(FamilyLinkRecord.patient_id, FamilyLinkRecord.id)
    )
    return session.scalars(query).all()


def current_plan_versions(
    session: Session, enrolment_ids: Collection[int]
) -> dict[int, RehabPlanVersionRecord]:
    """Enrolment id -> its plan's newest version (enrolments without a plan are absent)."""
    query = (
        select(RehabPlanRecord.enrolment_id, RehabPlanVersionRecord)
        .join(RehabPlanVersionRecord, RehabPlanVersionRecord.plan_id == RehabPlanRecord.id)
        .where(RehabPlanRecord.enrolment_id.in_(enrolment_ids))
        .order_by(RehabPlanVersionRecord.number)
    )
    # Ascending numbers: the last one written for an enrolment is its newest.
    return dict(session.execute(query).all())
