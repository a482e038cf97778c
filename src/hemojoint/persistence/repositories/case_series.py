"""Queries for the iliopsoas case series: a centre's patients and their iliopsoas bleeds."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.models import BleedRecord, CentreRecord, PatientRecord

ILIOPSOAS_SITES = tuple(site for site in BleedSite if site.is_iliopsoas)


def centre_by_code(session: Session, code: str) -> CentreRecord | None:
    return session.scalars(select(CentreRecord).where(CentreRecord.code == code)).one_or_none()


def cohort_patients(session: Session, *, centre_id: int | None) -> list[PatientRecord]:
    """Current (not archived) patients of one centre, or of all, by id."""
    conditions: list[ColumnElement[bool]] = [PatientRecord.archived_at.is_(None)]
    if centre_id is not None:
        conditions.append(PatientRecord.centre_id == centre_id)
    query = select(PatientRecord).where(*conditions).order_by(PatientRecord.id)
    return list(session.scalars(query))


def iliopsoas_bleeds_of(session: Session, patient_ids: Sequence[int]) -> list[BleedRecord]:
    """Current iliopsoas bleeds of these patients, oldest first (all dates: grouping needs them)."""
    query = (
        select(BleedRecord)
        .where(
            BleedRecord.patient_id.in_(patient_ids),
            BleedRecord.site.in_(ILIOPSOAS_SITES),
            BleedRecord.archived_at.is_(None),
        )
        .order_by(BleedRecord.started_at, BleedRecord.id)
    )
    return list(session.scalars(query))
