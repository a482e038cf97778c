"""Factor products, prophylaxis regimens and infusions as the API sees them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from hemojoint.domain.prophylaxis import Factor
from hemojoint.domain.prophylaxis.dosing import (
    MAX_DOSE_IU,
    MAX_DOSE_IU_PER_KG,
    MAX_INFUSIONS_PER_WEEK,
    MAX_RECOVERY_IU_DL_PER_IU_KG,
)
from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate


class InfusionReason(StrEnum):
    PROPHYLAXIS = "prophylaxis"
    BLEED = "bleed"
    PRE_REHAB = "pre_rehab"


DoseIu = Annotated[int, Field(gt=0, le=MAX_DOSE_IU, description="IU")]
DoseIuPerKg = Annotated[float, Field(gt=0, le=MAX_DOSE_IU_PER_KG, description="IU/kg")]
PerWeek = Annotated[int, Field(ge=1, le=MAX_INFUSIONS_PER_WEEK)]
Recovery = Annotated[
    float,
    Field(gt=0, le=MAX_RECOVERY_IU_DL_PER_IU_KG, description="IU/dL rise per IU/kg infused"),
]
VIAL_SIZES = "vial sizes in IU, whole numbers above 0, at least one"
WEEKDAYS = "weekday codes mon..sun, as many as infusions_per_week; default for 1-3 a week"


class ProductCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    factor: Factor
    vial_sizes_iu: list[Any] = Field(description=VIAL_SIZES)
    recovery_iu_dl_per_iu_kg: Recovery | None = Field(
        default=None, description="default: FVIII 2.0, FIX 1.0 (plasma-derived)"
    )


class ProductUpdate(VersionedUpdate):
    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    factor: Annotated[Factor | None, NotNull] = None
    vial_sizes_iu: Annotated[list[Any] | None, NotNull] = Field(
        default=None, description=VIAL_SIZES
    )
    recovery_iu_dl_per_iu_kg: Annotated[Recovery | None, NotNull] = None


class ProductRead(RecordRead):
    centre_id: int
    name: str
    factor: Factor
    vial_sizes_iu: list[int]
    recovery_iu_dl_per_iu_kg: float


class RegimenCreate(Strict):
    product_id: int
    dose_iu: DoseIu
    dose_iu_per_kg: DoseIuPerKg
    infusions_per_week: PerWeek
    weekdays: list[Any] | None = Field(default=None, description=WEEKDAYS)
    start_date: date
    end_date: date | None = None
    exception_reason: str | None = Field(
        default=None,
        max_length=500,
        description="required when the regimen departs from the programme "
        "(A 3 a week, B 2 a week, 20-25 IU/kg)",
    )


class RegimenUpdate(VersionedUpdate):
    product_id: Annotated[int | None, NotNull] = None
    dose_iu: Annotated[DoseIu | None, NotNull] = None
    dose_iu_per_kg: Annotated[DoseIuPerKg | None, NotNull] = None
    infusions_per_week: Annotated[PerWeek | None, NotNull] = None
    weekdays: Annotated[list[Any] | None, NotNull] = Field(default=None, description=WEEKDAYS)
    start_date: Annotated[date | None, NotNull] = None
    end_date: date | None = None
    exception_reason: str | None = Field(default=None, max_length=500)


class RegimenRead(RecordRead):
    patient_id: int
    product_id: int
    dose_iu: int
    dose_iu_per_kg: float
    infusions_per_week: int
    weekdays: list[str]
    start_date: date
    end_date: date | None
    exception_reason: str | None
    prescribed_by_id: int


class InfusionCreate(Strict):
    product_id: int
    lot: str | None = Field(default=None, max_length=60)
    given_at: AwareDatetime
    dose_iu: DoseIu
    reason: InfusionReason
    bleed_id: int | None = Field(default=None, description="a bleed of the same patient")


class InfusionUpdate(VersionedUpdate):
    product_id: Annotated[int | None, NotNull] = None
    lot: str | None = Field(default=None, max_length=60)
    given_at: Annotated[AwareDatetime | None, NotNull] = None
    dose_iu: Annotated[DoseIu | None, NotNull] = None
    reason: Annotated[InfusionReason | None, NotNull] = None
    bleed_id: int | None = None


class InfusionRead(RecordRead):
    patient_id: int
    product_id: int
    lot: str | None
    given_at: AwareDatetime
    dose_iu: int
    dose_iu_per_kg: float | None = Field(
        description="from the latest weight on or before given_at; null without one"
    )
    reason: InfusionReason
    bleed_id: int | None
    recorded_by_id: int
