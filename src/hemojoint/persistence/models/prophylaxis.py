from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    JsonDocument,
    TimestampMixin,
    VersionedMixin,
)


class ProductRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A factor concentrate a centre uses, with the vial sizes it comes in."""

    __tablename__ = "products"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    factor: Mapped[str] = mapped_column(String(4))
    vial_sizes_iu: Mapped[list[int]] = mapped_column(JsonDocument)
    recovery_iu_dl_per_iu_kg: Mapped[float]


class RegimenRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A prophylaxis regimen set by a hematologist, valid from ``start_date``."""

    __tablename__ = "prophylaxis_regimens"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    dose_iu: Mapped[int]
    dose_iu_per_kg: Mapped[float]
    infusions_per_week: Mapped[int]
    weekdays: Mapped[list[str]] = mapped_column(JsonDocument)
    start_date: Mapped[date]
    end_date: Mapped[date | None] = mapped_column(default=None)
    exception_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    prescribed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class InfusionRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """One factor infusion, at home or in hospital."""

    __tablename__ = "infusions"
    __table_args__ = (Index("ix_infusions_patient_given", "patient_id", "given_at"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str | None] = mapped_column(String(60), default=None)
    given_at: Mapped[datetime]
    dose_iu: Mapped[int]
    dose_iu_per_kg: Mapped[float | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(String(20))
    bleed_id: Mapped[int | None] = mapped_column(ForeignKey("bleeds.id"), default=None)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
