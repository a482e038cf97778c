"""Multidisciplinary team (MDT) case discussions, every two weeks, and the actions decided."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.domain.access import Role
from hemojoint.persistence.base import (
    Base,
    IdMixin,
    JsonDocument,
    TimestampMixin,
    VersionedMixin,
)
from hemojoint.persistence.models._types import code_enum


class MdtMeetingRecord(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A case discussion at a centre, led by the rehabilitation specialist.

    ``agenda`` is the list built from the children with new bleeds, red-flag
    triage, low adherence or goals not progressing (kept as built, with the
    reasons); ``attendees`` is a list of ``{"user_id", "role"}``.
    """

    __tablename__ = "mdt_meetings"
    __table_args__ = (Index("ix_mdt_meetings_centre_date", "centre_id", "meeting_date"),)

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    meeting_date: Mapped[date]
    led_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(String(4000), default=None)
    agenda: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)
    attendees: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)


class MdtActionRecord(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A decision about one child, owned by a role, due on a date; shown on the child's record."""

    __tablename__ = "mdt_actions"
    __table_args__ = (Index("ix_mdt_actions_patient_due", "patient_id", "due_date"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("mdt_meetings.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    description: Mapped[str] = mapped_column(String(2000))
    owner_role: Mapped[Role] = mapped_column(code_enum(Role, "owner_role"))
    due_date: Mapped[date]
    done_at: Mapped[datetime | None] = mapped_column(default=None)
