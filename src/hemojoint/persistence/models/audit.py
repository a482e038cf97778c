from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import Base, IdMixin, utc_now


class AuditEntryRecord(IdMixin, Base):
    """Who did what to which record, when and from where. Append-only.

    The migration adds database triggers that refuse UPDATE and DELETE, so the
    log cannot be edited through the application or a stray script.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_patient_at", "patient_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )

    at: Mapped[datetime] = mapped_column(default=utc_now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    role: Mapped[str | None] = mapped_column(String(40), default=None)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(default=None)
    patient_id: Mapped[int | None] = mapped_column(default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[dict[str, Any] | None] = mapped_column(default=None)
