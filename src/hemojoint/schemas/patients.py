from __future__ import annotations

from datetime import date

from pydantic import Field

from hemojoint.domain.patients import HemophiliaType, PriorRegimen, Severity, Sex
from hemojoint.schemas.common import RecordRead, Strict, VersionedUpdate


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
    record_number: str | None = Field(default=None, min_length=1, max_length=40)
    given_name: str | None = Field(default=None, min_length=1, max_length=120)
    family_name: str | None = Field(default=None, min_length=1, max_length=120)
    birth_date: date | None = None
    sex: Sex | None = None
    hemophilia_type: HemophiliaType | None = None
    factor_activity_iu_dl: float | None = Field(default=None, ge=0, lt=40)
    prior_regimen: PriorRegimen | None = None


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
