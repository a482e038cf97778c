"""Alerts: a bleed whose triage is emergency or urgent, routed to the clinical team.

One alert per bleed. It stays open until a named clinician acknowledges it; a later
edit that makes the bleed more urgent re-opens it (a new, worse flag needs a person again).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hemojoint.persistence.base import Base, IdMixin, JsonDocument, TimestampMixin, VersionedMixin
from hemojoint.persistence.models.bleeds import BleedRecord
from hemojoint.persistence.models.users import UserRecord

ALERT_URGENCIES = ("emergency", "urgent")  # routine triage results raise no alert
NOTE_MAX = 1000


class AlertRecord(IdMixin, TimestampMixin, VersionedMixin, Base):
    """``reasons`` are the triage result's reasons (code, urgency, text) when it was raised."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("urgency IN ('emergency', 'urgent')", name="urgency_alerting"),
        Index("ix_alerts_patient_open", "patient_id", "acknowledged_at"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    bleed_id: Mapped[int] = mapped_column(ForeignKey("bleeds.id"), unique=True)
    urgency: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)
    raised_at: Mapped[datetime]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledgement_note: Mapped[str | None] = mapped_column(String(NOTE_MAX), default=None)

    # Loaded with the alert, for the inbox: where the bleed is and who acknowledged it.
    bleed: Mapped[BleedRecord] = relationship(lazy="selectin")
    acknowledged_by: Mapped[UserRecord | None] = relationship(lazy="selectin")

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
