"""Things measured about a patient over time: weight and inhibitor tests."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate


class WeightCreate(Strict):
    measured_date: date
    weight_kg: float = Field(gt=0, le=250)


class WeightUpdate(VersionedUpdate):
    measured_date: Annotated[date | None, NotNull] = None
    weight_kg: Annotated[float | None, NotNull] = Field(default=None, gt=0, le=250)


class WeightRead(RecordRead):
    patient_id: int
    measured_date: date
    weight_kg: float
    recorded_by_id: int


class InhibitorResultCreate(Strict):
    sample_date: date
    titre_bu_ml: float | None = Field(default=None, ge=0, description="Bethesda units per mL")
    positive: bool = Field(description="the laboratory's verdict")


class InhibitorResultUpdate(VersionedUpdate):
    sample_date: Annotated[date | None, NotNull] = None
    titre_bu_ml: float | None = Field(default=None, ge=0)
    positive: Annotated[bool | None, NotNull] = None


class InhibitorResultRead(RecordRead):
    patient_id: int
    sample_date: date
    titre_bu_ml: float | None
    positive: bool
    recorded_by_id: int
