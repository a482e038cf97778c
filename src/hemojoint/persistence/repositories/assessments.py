"""Queries for assessments and their amendment history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from hemojoint.persistence import repositories
from hemojoint.persistence.models import AssessmentAmendmentRecord, AssessmentRecord
from hemojoint.persistence.repositories import Page, Viewer


def get_visible(session: Session, viewer: Viewer, assessment_id: int) -> AssessmentRecord | None:
    """The assessment if its patient is visible to ``viewer`` (archived ones included)."""
    query = select(AssessmentRecord).where(
        AssessmentRecord.id == assessment_id,
        AssessmentRecord.patient_id.in_(repositories.visible_patient_ids(viewer)),
    )
    return session.scalars(query).one_or_none()


def filter_conditions(
    *,
    instrument_code: str | None = None,
    timepoint: str | None = None,
    assessed_from: date | None = None,
    assessed_to: date | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses for the list filters; the date range is inclusive at both ends."""
    conditions: list[ColumnElement[bool]] = []
    if instrument_code is not None:
        conditions.append(AssessmentRecord.instrument_code == instrument_code)
    if timepoint is not None:
        conditions.append(AssessmentRecord.timepoint == timepoint)
    if assessed_from is not None:
        conditions.append(AssessmentRecord.assessed_date >= assessed_from)
    if assessed_to is not None:
        conditions.append(AssessmentRecord.assessed_date <= assessed_to)
    return conditions


def amendments_page(session: Session, assessment_id: int, *, offset: int, limit: int) -> Page:
    """The amendments of one assessment, oldest first."""
    return repositories.page(
        session,
        AssessmentAmendmentRecord,
        [AssessmentAmendmentRecord.assessment_id == assessment_id],
        offset=offset,
        limit=limit,
        order_by=[AssessmentAmendmentRecord.id],
    )
