from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
)


class ConsentRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A consent given for a child (registry, programme, research, photos and videos)."""

    __tablename__ = "consents"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    given_by: Mapped[str] = mapped_column(String(200))
    given_date: Mapped[date]
    withdrawn_date: Mapped[date | None] = mapped_column(default=None)
