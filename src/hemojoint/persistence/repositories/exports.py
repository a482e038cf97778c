"""Queries for the research exports: a centre's current records, oldest first. Nothing commits.

Archived records (and every record of an archived patient) are left out: archiving
is how a registration made in error or withdrawn is taken out of use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    InfusionRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)

R = TypeVar("R", AssessmentRecord, BleedRecord, InfusionRecord, ProgrammeEnrolmentRecord)


def _current_patients(centre_id: int) -> Select[int]:
    return select(PatientRecord.id).where(
        PatientRecord.centre_id == centre_id, PatientRecord.archived_at.is_(None)
    )


def patients(session: Session, centre_id: int) -> Sequence[PatientRecord]:
    query = select(PatientRecord).where(PatientRecord.id.in_(_current_patients(centre_id)))
    return session.scalars(query.order_by(PatientRecord.id)).all()


def _children_query(model: Any, centre_id: int) -> Any:
    return select(model).where(
        model.patient_id.in_(_current_patients(centre_id)), model.archived_at.is_(None)
    )


def children(session: Session, model: type[R], centre_id: int) -> Sequence[R]:
    """The current ``model`` records of the centre's current patients, by id."""
    query = _children_query(model, centre_id).order_by(model.id)
    return session.scalars(query).all()
