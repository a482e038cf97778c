"""The 12-week rehabilitation programme: enrolments, plans and their versions, home logs,
weekly reviews, joint clearances and adverse events (REFERENCE.md section 1).

Goals live inside a plan version's content (they are edited with the plan), and the
exercise library is packaged data: neither has a table.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS
from hemojoint.domain.rehab.review import Decision
from hemojoint.persistence.base import (
    ArchivableMixin,
    Base,
    IdMixin,
    JsonDocument,
    TimestampMixin,
    VersionedMixin,
    utc_now,
)
from hemojoint.persistence.models._types import code_enum


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


_ACTIVE = text("status = 'enrolled' AND archived_at IS NULL")


def same_patient_enrolment(table: str) -> ForeignKeyConstraint:
    """``(enrolment_id, patient_id)`` must be an enrolment of that same patient.

    Records that name both carry the patient for scope queries; this keeps the two
    from disagreeing. A NULL ``enrolment_id`` is not checked (MATCH SIMPLE).
    """
    return ForeignKeyConstraint(
        ["enrolment_id", "patient_id"],
        ["programme_enrolments.id", "programme_enrolments.patient_id"],
        name=f"fk_{table}_enrolment_id_programme_enrolments",
    )


class ProgrammeEnrolmentRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A child enrolled in the programme after the eligibility check.

    ``eligibility`` keeps the check as it was on the day (every criterion, failed
    ones included), so a later change of the rules does not rewrite history.
    The baseline links point at the HJHS, ultrasound and CHO-KLAT assessments the
    plan and the week-12 comparison start from.
    """

    __tablename__ = "programme_enrolments"
    __table_args__ = (
        Index("ix_programme_enrolments_patient_status", "patient_id", "status"),
        # At most one running enrolment per child, even when two requests race.
        Index(
            "uq_programme_enrolments_active_patient",
            "patient_id",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        # The target of the (enrolment_id, patient_id) foreign keys of the records below.
        UniqueConstraint("id", "patient_id"),
        CheckConstraint("weeks >= 1", name="weeks_positive"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    start_date: Mapped[date]
    weeks: Mapped[int] = mapped_column(default=PROGRAMME_WEEKS)
    status: Mapped[EnrolmentStatus] = mapped_column(
        code_enum(EnrolmentStatus, "enrolment_status"), default=EnrolmentStatus.ENROLLED
    )
    ended_date: Mapped[date | None] = mapped_column(default=None)
    end_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    eligibility: Mapped[dict[str, Any]]
    baseline_hjhs_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), default=None)
    baseline_ultrasound_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id"), default=None
    )
    baseline_choklat_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id"), default=None
    )
    regimen_id: Mapped[int | None] = mapped_column(
        ForeignKey("prophylaxis_regimens.id"), default=None
    )
    infusion_weekdays: Mapped[list[str]] = mapped_column(JsonDocument)
    enrolled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class RehabPlanRecord(IdMixin, Base):
    """The plan of one enrolment; its content is in the versions (the newest is current)."""

    __tablename__ = "rehab_plans"

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("programme_enrolments.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class RehabPlanVersionRecord(IdMixin, Base):
    """One version of a plan: problems, goals and sessions, with who changed it and why.

    Versions are never edited: every change (a goal, an exercise, a session) is a
    new version numbered from 1. The migration adds triggers that refuse UPDATE and
    DELETE, and the unique number makes two concurrent edits collide, not interleave.
    """

    __tablename__ = "rehab_plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    plan_id: Mapped[int] = mapped_column(ForeignKey("rehab_plans.id"))
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    content: Mapped[dict[str, Any]]


class HomeSessionLogRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """A home session as logged by a caregiver: what was done, for how long, and the pain.

    ``exercises`` maps each prescribed exercise code to whether it was done.
    ``pain_score`` is the 0-10 faces scale; the database refuses anything else.
    """

    __tablename__ = "home_session_logs"
    __table_args__ = (
        same_patient_enrolment("home_session_logs"),
        Index("ix_home_session_logs_enrolment_date", "enrolment_id", "session_date"),
        Index("ix_home_session_logs_patient_date", "patient_id", "session_date"),
        CheckConstraint("pain_score BETWEEN 0 AND 10", name="pain_score_range"),
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    enrolment_id: Mapped[int]
    session_date: Mapped[date]
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    minutes: Mapped[int]
    exercises: Mapped[dict[str, Any]]
    pain_score: Mapped[int]
    notes: Mapped[str | None] = mapped_column(String(2000), default=None)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class WeeklyReviewRecord(IdMixin, Base):
    """The weekly review of one programme week: the review rule's decision and why.

    The week's upper bound is the enrolment's ``weeks``, checked by the service.
    """

    __tablename__ = "weekly_reviews"
    __table_args__ = (
        Index("ix_weekly_reviews_enrolment_week", "enrolment_id", "week"),
        CheckConstraint("week >= 1", name="week_positive"),
    )

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("programme_enrolments.id"))
    week: Mapped[int]
    decision: Mapped[Decision] = mapped_column(code_enum(Decision, "review_decision"))
    paused_joints: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    suggestions: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)
    reasons: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class JointClearanceRecord(IdMixin, Base):
    """A hematologist clears a joint for loading again after a bleed in it.

    ``joint`` is a bleed-site code (index joints are a subset), so a muscle bleed
    such as an iliopsoas bleed can be cleared the same way.
    """

    __tablename__ = "joint_clearances"
    __table_args__ = (
        same_patient_enrolment("joint_clearances"),
        Index("ix_joint_clearances_patient_joint", "patient_id", "joint", "cleared_at"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    enrolment_id: Mapped[int | None] = mapped_column(default=None)
    joint: Mapped[BleedSite] = mapped_column(code_enum(BleedSite, "joint"))
    bleed_id: Mapped[int | None] = mapped_column(ForeignKey("bleeds.id"), default=None)
    cleared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cleared_at: Mapped[datetime] = mapped_column(default=utc_now)
    note: Mapped[str | None] = mapped_column(String(1000), default=None)


class AdverseEventRecord(IdMixin, TimestampMixin, VersionedMixin, ArchivableMixin, Base):
    """An adverse event, and whether it was related to a rehab session.

    Whether it fell on a hospital or a home session day is derived from the plan
    and the logs when shown, not stored.
    """

    __tablename__ = "adverse_events"
    __table_args__ = (
        same_patient_enrolment("adverse_events"),
        Index("ix_adverse_events_patient_date", "patient_id", "event_date"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    enrolment_id: Mapped[int | None] = mapped_column(default=None, index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    event_date: Mapped[date]
    related_to_session: Mapped[bool]
    description: Mapped[str] = mapped_column(String(2000))
    severity: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
