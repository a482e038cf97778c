"""Triage alerts as the API sees them. Alerts are raised by bleed writes, never by a client."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.schemas.common import Strict

NOTE_MAX = 1000  # the column's length


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ALL = "all"


class AlertReasonRead(BaseModel):
    code: str
    urgency: str
    text: str


class AlertBleedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site: BleedSite
    started_at: datetime
    findings: list[str]


class AcknowledgerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str
    role: Role


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    patient_id: int
    bleed_id: int
    urgency: str = Field(description="emergency or urgent (the bleed's triage)")
    reasons: list[AlertReasonRead] = Field(description="the triage reasons when it was raised")
    raised_at: datetime
    is_open: bool
    acknowledged_at: datetime | None
    acknowledged_by: AcknowledgerRead | None
    acknowledgement_note: str | None
    bleed: AlertBleedRead


class AlertAcknowledge(Strict):
    version: int = Field(ge=1, description="the version you read; a stale one gets 409")
    note: str | None = Field(default=None, max_length=NOTE_MAX)
