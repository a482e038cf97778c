from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.domain.access import Role
from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
    utc_now,
)
from hemojoint.persistence.models._types import code_enum


class UserRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A person who signs in. Staff belong to a centre; family users reach children by links."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(code_enum(Role, "role"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime] = mapped_column(default=utc_now)


class FamilyLinkRecord(IdMixin, TimestampMixin, Base):
    """A caregiver (or the patient themself) linked to a child they may see."""

    __tablename__ = "family_links"
    __table_args__ = (UniqueConstraint("user_id", "patient_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class SessionRecord(IdMixin, Base):
    """A browser session; only the SHA-256 of its cookie value is stored."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)


class ApiTokenRecord(IdMixin, Base):
    """A revocable token for scripts, scoped to one user; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class LoginAttemptRecord(IdMixin, Base):
    """Failed and successful sign-ins, for rate limiting per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "attempted_at"),
        Index("ix_login_attempts_address_at", "address", "attempted_at"),
    )

    username: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(default=utc_now)
    succeeded: Mapped[bool]
