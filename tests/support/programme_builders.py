"""Builders for the rehabilitation programme's records (enrolments, plans, home logs, ...).

``create_*`` saves and flushes; values are plausible defaults any test may override.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import (
    CheckInRecord,
    HomeSessionLogRecord,
    MdtActionRecord,
    MdtMeetingRecord,
    MediaKind,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    RehabPlanVersionRecord,
    UserRecord,
)

_numbers = itertools.count(1)
_R = TypeVar("_R")

# The eligibility snapshot as the enrolment keeps it: every criterion, failed ones listed.
ELIGIBLE = {"outcome": "eligible", "failed": [], "criteria": {"age": "met", "inhibitor": "met"}}

PLAN_CONTENT = {
    "problems": [
        {
            "code": "restricted_motion",
            "joint": "left_ankle",
            "evidence": [{"source": "hjhs", "field": "left_ankle.flexion_loss", "value": 2}],
        }
    ],
    "goals": [
        {
            "term": "short",
            "joint": "left_ankle",
            "measure": "hjhs.left_ankle.flexion_loss",
            "target": 1,
        }
    ],
    "sessions": [
        {
            "date": "2026-01-05",
            "kind": "hospital",
            "minutes": 60,
            "intensity_pct": 100,
            "exercises": [{"code": "ankle_pumps", "variant": "game"}],
        }
    ],
}


def create_enrolment(
    session: Session, patient: PatientRecord, enrolled_by: UserRecord, **overrides: Any
) -> ProgrammeEnrolmentRecord:
    values: dict[str, Any] = {
        "start_date": date(2026, 1, 5),
        "eligibility": ELIGIBLE,
        "infusion_weekdays": ["mon", "wed", "fri"],
    } | overrides
    enrolment = ProgrammeEnrolmentRecord(
        patient_id=patient.id, enrolled_by_id=enrolled_by.id, **values
    )
    return _save(session, enrolment)


def create_plan(
    session: Session, enrolment: ProgrammeEnrolmentRecord, author: UserRecord
) -> RehabPlanRecord:
    """A plan with its generated version 1."""
    plan = _save(session, RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=author.id))
    add_plan_version(session, plan, author, number=1, reason="generated")
    return plan


def add_plan_version(
    session: Session,
    plan: RehabPlanRecord,
    author: UserRecord,
    *,
    number: int,
    reason: str = "edited",
    content: dict[str, Any] | None = None,
) -> RehabPlanVersionRecord:
    version = RehabPlanVersionRecord(
        plan_id=plan.id,
        number=number,
        created_by_id=author.id,
        reason=reason,
        content=PLAN_CONTENT if content is None else content,
    )
    return _save(session, version)


def create_session_log(
    session: Session, enrolment: ProgrammeEnrolmentRecord, logged_by: UserRecord, **overrides: Any
) -> HomeSessionLogRecord:
    """A 45-minute home session, every exercise done, pain-free."""
    values: dict[str, Any] = {
        "session_date": date(2026, 1, 6),
        "started_at": datetime(2026, 1, 6, 17, 30, tzinfo=UTC),
        "minutes": 45,
        "exercises": {"ankle_pumps": True, "heel_raises": True},
        "pain_score": 0,
    } | overrides
    log = HomeSessionLogRecord(
        patient_id=enrolment.patient_id,
        enrolment_id=enrolment.id,
        logged_by_id=logged_by.id,
        **values,
    )
    return _save(session, log)


def create_check_in(
    session: Session, enrolment: ProgrammeEnrolmentRecord, uploader: UserRecord, **overrides: Any
) -> CheckInRecord:
    number = next(_numbers)
    values: dict[str, Any] = {
        "media_kind": MediaKind.PHOTO,
        "content_type": "image/jpeg",
        "size_bytes": 123_456,
        "storage_key": f"check-ins/{enrolment.id}/{number}.jpg",
        "original_filename": "IMG_0001.JPG",
        "sha256": f"{number:064x}",
    } | overrides
    check_in = CheckInRecord(
        patient_id=enrolment.patient_id,
        enrolment_id=enrolment.id,
        uploaded_by_id=uploader.id,
        **values,
    )
    return _save(session, check_in)


def create_meeting(
    session: Session, centre_id: int, led_by: UserRecord, **overrides: Any
) -> MdtMeetingRecord:
    values: dict[str, Any] = {
        "meeting_date": date(2026, 1, 19),
        "agenda": [],
        "attendees": [{"user_id": led_by.id, "role": led_by.role.value}],
    } | overrides
    meeting = MdtMeetingRecord(centre_id=centre_id, led_by_id=led_by.id, **values)
    return _save(session, meeting)


def create_action(
    session: Session, meeting: MdtMeetingRecord, patient: PatientRecord, **overrides: Any
) -> MdtActionRecord:
    values: dict[str, Any] = {
        "description": "Repeat ultrasound of the left ankle",
        "owner_role": Role.SONOGRAPHER,
        "due_date": date(2026, 2, 2),
    } | overrides
    action = MdtActionRecord(meeting_id=meeting.id, patient_id=patient.id, **values)
    return _save(session, action)


def _save(session: Session, record: _R) -> _R:
    session.add(record)
    session.flush()
    return record
