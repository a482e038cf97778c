"""Bleeds as the API sees them. Triage and urgency are computed, never sent by a client."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.triage import Urgency
from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate

# A typo guard (ten years), not a clinical limit: it keeps the value inside an INTEGER column.
MAX_HOSPITAL_DAYS = 3650


FINDINGS_DESCRIPTION = "triage finding codes (see hemojoint.domain.triage.Finding), each once"


class BleedCreate(Strict):
    site: BleedSite
    bleed_type: BleedType
    started_at: AwareDatetime
    treatment_ended_at: AwareDatetime | None = Field(
        default=None, description="end of treatment; on or after started_at"
    )
    findings: list[Any] = Field(default_factory=list, description=FINDINGS_DESCRIPTION)
    hospital_days: int | None = Field(default=None, ge=0, le=MAX_HOSPITAL_DAYS)
    femoral_neuropathy: bool = False
    neuropathy_recovery_date: date | None = Field(
        default=None, description="only with femoral_neuropathy; not before started_at"
    )
    complications: str | None = Field(default=None, max_length=1000)
    notes: str | None = Field(default=None, max_length=2000)


class BleedUpdate(VersionedUpdate):
    site: Annotated[BleedSite | None, NotNull] = None
    bleed_type: Annotated[BleedType | None, NotNull] = None
    started_at: Annotated[AwareDatetime | None, NotNull] = None
    treatment_ended_at: AwareDatetime | None = None
    findings: Annotated[list[Any] | None, NotNull] = Field(
        default=None, description=FINDINGS_DESCRIPTION
    )
    hospital_days: int | None = Field(default=None, ge=0, le=MAX_HOSPITAL_DAYS)
    femoral_neuropathy: Annotated[bool | None, NotNull] = None
    neuropathy_recovery_date: date | None = None
    complications: str | None = Field(default=None, max_length=1000)
    notes: str | None = Field(default=None, max_length=2000)


class BleedRead(RecordRead):
    patient_id: int
    site: BleedSite
    bleed_type: BleedType
    started_at: AwareDatetime
    treatment_ended_at: AwareDatetime | None
    findings: list[str]
    triage: dict[str, Any] | None = Field(description="the domain's triage of site and findings")
    urgency: Urgency | None
    hospital_days: int | None
    femoral_neuropathy: bool
    neuropathy_recovery_date: date | None
    complications: str | None
    notes: str | None
    reported_by_id: int
