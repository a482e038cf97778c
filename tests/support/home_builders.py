"""Builders for home training: an enrolment with a 12-week plan the family can log against.

The plan follows the programme's schedule (REFERENCE.md section 1): each week one
60-minute hospital session on its first day (an infusion day) and five 45-minute home
sessions on the following five days, at most one a day here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    EducationAssignmentRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    UserRecord,
)
from hemojoint.persistence.repositories import rehab as rehab_repo
from tests.support.programme_builders import add_plan_version, create_enrolment

START = date(2026, 1, 5)  # a Monday, an infusion day (mon, wed, fri): day 1 of week 1
HOME_EXERCISES = ("ankle_pumps", "heel_raises", "bridge")


def plan_content(
    first_day: date = START, weeks: int = 12, home_exercises: tuple[str, ...] = HOME_EXERCISES
) -> dict[str, Any]:
    sessions: list[dict[str, Any]] = []
    for week in range(1, weeks + 1):
        monday = first_day + timedelta(days=7 * (week - 1))
        sessions.append(_session(monday, week, "hospital", 60, (*home_exercises, "squat")))
        for offset in range(1, 6):  # Tuesday to Saturday
            day = monday + timedelta(days=offset)
            sessions.append(_session(day, week, "home", 45, home_exercises))
    return {"problems": [], "goals": [], "sessions": sessions}


def _session(day: date, week: int, kind: str, minutes: int, codes: tuple[str, ...]) -> dict:
    return {
        "date": day.isoformat(),
        "week": week,
        "kind": kind,
        "minutes": minutes,
        "intensity_pct": 100 if kind == "hospital" else 25,
        "on_infusion_day": day.weekday() in (0, 2, 4),
        "exercises": [{"code": code, "variant": "standard"} for code in codes],
    }


def enrol_with_plan(
    session: Session,
    patient: PatientRecord,
    author: UserRecord,
    *,
    content: dict[str, Any] | None = None,
) -> ProgrammeEnrolmentRecord:
    """The child's running enrolment (made if none) with a current plan version."""
    enrolment = rehab_repo.active_enrolment(session, patient.id)
    if enrolment is None:
        enrolment = create_enrolment(session, patient, author, start_date=START)
    if rehab_repo.plan_of_enrolment(session, enrolment.id) is None:
        plan = _save(session, RehabPlanRecord(enrolment_id=enrolment.id, created_by_id=author.id))
        add_plan_version(session, plan, author, number=1, content=content or plan_content())
    return enrolment


def create_assignment(
    session: Session, patient: PatientRecord, nurse: UserRecord, **overrides: Any
) -> EducationAssignmentRecord:
    values: dict[str, Any] = {"material_code": "joint_bleed_signs"} | overrides
    record = EducationAssignmentRecord(patient_id=patient.id, assigned_by_id=nurse.id, **values)
    return _save(session, record)


def _save(session: Session, record: Any) -> Any:
    session.add(record)
    session.flush()
    return record
