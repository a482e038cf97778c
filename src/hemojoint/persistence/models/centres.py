from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
)


class CentreRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A hemophilia treatment centre; every patient and staff user belongs to one."""

    __tablename__ = "centres"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The number families call day and night, e.g. "+86 10 1234 5678 (24 h)": printed on
    # the home plan and shown with a family's bleed advice.
    contact_line: Mapped[str | None] = mapped_column(String(120), default=None)
