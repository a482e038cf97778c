from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
    utc_now,
)


class AssessmentRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """One instrument administered once: raw item responses and the result the domain computed.

    ``result`` is recomputed by the domain on every write, never accepted from a
    client. Changes are amendments: the previous state goes to
    ``assessment_amendments`` first, so nothing is overwritten without trace.
    """

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_patient_date", "patient_id", "assessed_date"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    instrument_code: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(40))
    instrument_status: Mapped[str] = mapped_column(String(20))
    assessed_date: Mapped[date]
    timepoint: Mapped[str] = mapped_column(String(40))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    raw: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    total: Mapped[float | None] = mapped_column(default=None)


class AssessmentAmendmentRecord(IdMixin, Base):
    """The state of an assessment before one amendment, with who changed it and why."""

    __tablename__ = "assessment_amendments"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    amended_at: Mapped[datetime] = mapped_column(default=utc_now)
    amended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    previous_version: Mapped[int]
    previous_assessed_date: Mapped[date]
    previous_timepoint: Mapped[str] = mapped_column(String(40))
    previous_raw: Mapped[dict[str, Any]]
    previous_result: Mapped[dict[str, Any]]
