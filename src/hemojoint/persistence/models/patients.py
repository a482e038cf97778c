from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.domain.patients import HemophiliaType, PriorRegimen, Severity, Sex
from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
)
from hemojoint.persistence.models._types import code_enum


class PatientRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A child registered at a centre. ``severity`` is derived by the domain on every write."""

    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("centre_id", "record_number"),)

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    record_number: Mapped[str] = mapped_column(String(40))
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date]
    sex: Mapped[Sex] = mapped_column(code_enum(Sex, "sex"))
    hemophilia_type: Mapped[HemophiliaType] = mapped_column(
        code_enum(HemophiliaType, "hemophilia_type")
    )
    factor_activity_iu_dl: Mapped[float]
    severity: Mapped[Severity] = mapped_column(code_enum(Severity, "severity"))
    prior_regimen: Mapped[PriorRegimen] = mapped_column(code_enum(PriorRegimen, "prior_regimen"))
    synthetic: Mapped[bool] = mapped_column(default=False)


class InhibitorResultRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """An inhibitor test: titre in Bethesda units per mL and the laboratory's verdict."""

    __tablename__ = "inhibitor_results"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    sample_date: Mapped[date]
    titre_bu_ml: Mapped[float | None] = mapped_column(default=None)
    positive: Mapped[bool]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class WeightRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """Body weight on a date (dosing uses the latest one)."""

    __tablename__ = "weights"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    measured_date: Mapped[date]
    weight_kg: Mapped[float]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
