"""Tele-rehabilitation and family education: photo and video check-ins, the weekly online
sessions, the message thread and education assignments.

Media files live in the media folder, outside the database: a check-in holds only
the file's key (its path relative to that folder), its size and its SHA-256.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
    utc_now,
)
from hemojoint.persistence.models._types import code_enum
from hemojoint.persistence.models.rehab import same_patient_enrolment


class MediaKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"


class CheckInRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A photo or video a family sends, and the therapist's reply (``created_at``: uploaded).

    Versioned because the reply is written onto the row later; archivable so a
    wrong upload can be withdrawn from view without deleting the record.
    """

    __tablename__ = "check_ins"
    __table_args__ = (
        same_patient_enrolment("check_ins"),
        Index("ix_check_ins_enrolment_created", "enrolment_id", "created_at"),
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    enrolment_id: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    media_kind: Mapped[MediaKind] = mapped_column(code_enum(MediaKind, "media_kind"))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(2000), default=None)
    reply: Mapped[str | None] = mapped_column(String(4000), default=None)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    replied_at: Mapped[datetime | None] = mapped_column(default=None)


class OnlineSessionRecord(IdMixin, TimestampMixin, VersionedMixin, Base):
    """One of the twelve scheduled weekly online sessions of an enrolment."""

    __tablename__ = "online_sessions"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "week"),
        CheckConstraint("week >= 1", name="week_positive"),
    )

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("programme_enrolments.id"))
    week: Mapped[int]
    scheduled_at: Mapped[datetime]
    held_at: Mapped[datetime | None] = mapped_column(default=None)
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    notes: Mapped[str | None] = mapped_column(String(4000), default=None)


class MessageRecord(IdMixin, Base):
    """A message in a child's thread for unscheduled questions (family and staff).

    The thread is the patient's; ``enrolment_id`` says which programme it was
    about, when it was about one.
    """

    __tablename__ = "messages"
    __table_args__ = (
        same_patient_enrolment("messages"),
        Index("ix_messages_patient_created", "patient_id", "created_at"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    enrolment_id: Mapped[int | None] = mapped_column(default=None)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class EducationAssignmentRecord(IdMixin, Base):
    """A packaged education material a nurse assigned to a family, and when it was read."""

    __tablename__ = "education_assignments"
    __table_args__ = (
        Index("ix_education_assignments_patient_material", "patient_id", "material_code"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    material_code: Mapped[str] = mapped_column(String(60))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
