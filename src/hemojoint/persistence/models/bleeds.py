from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    JsonDocument,
    TimestampMixin,
    VersionedMixin,
)
from hemojoint.persistence.models._types import code_enum


class BleedRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A bleed as reported or treated, with its triage and its consequences."""

    __tablename__ = "bleeds"
    __table_args__ = (Index("ix_bleeds_patient_started", "patient_id", "started_at"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    site: Mapped[BleedSite] = mapped_column(code_enum(BleedSite, "bleed_site"))
    bleed_type: Mapped[BleedType] = mapped_column(code_enum(BleedType, "bleed_type"))
    started_at: Mapped[datetime]
    treatment_ended_at: Mapped[datetime | None] = mapped_column(default=None)
    findings: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    triage: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    urgency: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    hospital_days: Mapped[int | None] = mapped_column(default=None)
    femoral_neuropathy: Mapped[bool] = mapped_column(default=False)
    neuropathy_recovery_date: Mapped[date | None] = mapped_column(default=None)
    complications: Mapped[str | None] = mapped_column(String(1000), default=None)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(String(2000), default=None)
