from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from hemojoint.domain.patients import HemophiliaType, PriorRegimen, Severity, Sex
from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate


class PatientCreate(Strict):
    record_number: str = Field(min_length=1, max_length=40)
    given_name: str = Field(min_length=1, max_length=120)
    family_name: str = Field(min_length=1, max_length=120)
    birth_date: date
    sex: Sex
    hemophilia_type: HemophiliaType
    factor_activity_iu_dl: float = Field(ge=0, lt=40, description="baseline factor activity, IU/dL")
    prior_regimen: PriorRegimen
    synthetic: bool = False


class PatientUpdate(VersionedUpdate):
    record_number: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=40)
    given_name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=120)
    family_name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=120)
    birth_date: Annotated[date | None, NotNull] = None
    sex: Annotated[Sex | None, NotNull] = None
    hemophilia_type: Annotated[HemophiliaType | None, NotNull] = None
    factor_activity_iu_dl: Annotated[float | None, NotNull] = Field(default=None, ge=0, lt=40)
    prior_regimen: Annotated[PriorRegimen | None, NotNull] = None


class PatientRead(RecordRead):
    centre_id: int
    record_number: str
    given_name: str
    family_name: str
    birth_date: date
    sex: Sex
    hemophilia_type: HemophiliaType
    factor_activity_iu_dl: float
    severity: Severity
    prior_regimen: PriorRegimen
    synthetic: bool
