"""Builders for MDT tests: a child enrolled with a plan of home sessions, their logs and HJHS.

The programme starts on Monday 2026-01-05 (the programme builders' default); each week
has one hospital session on Monday and five 45-minute home sessions Tuesday to Saturday
(REFERENCE.md section 1: five home sessions a week).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.persistence.models import (
    PatientRecord,
    ProgrammeEnrolmentRecord,
    UserRecord,
)
from hemojoint.schemas.assessments import Timepoint
from tests.support import home_builders
from tests.support.assessment_builders import create_assessment, hjhs_raw
from tests.support.programme_builders import (
    add_plan_version,
    create_enrolment,
    create_plan,
    create_session_log,
)

START = date(2026, 1, 5)  # a Monday
HOME_EXERCISE = "heel_raises"
FLEXION = "hjhs.left_ankle.flexion_loss"


def home_days(week: int) -> list[date]:
    """Tuesday to Saturday of programme week ``week``."""
    monday = START + timedelta(days=7 * (week - 1))
    return [monday + timedelta(days=offset) for offset in range(1, 6)]


def plan_content(goals: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """The home training builders' 12-week plan (one home exercise) with ``goals``."""
    return home_builders.plan_content(START, home_exercises=(HOME_EXERCISE,)) | {
        "goals": list(goals)
    }


def flexion_goal(baseline: int = 2, target: int = 1) -> dict[str, Any]:
    """The default short-term goal on a left-ankle flexion loss of 2 (goals.py: baseline - 1)."""
    return {"term": "short", "problem": "restricted_motion", "joint": "left_ankle",
            "measure": FLEXION, "baseline": baseline, "target": target, "due_week": 4}  # fmt: skip


def enrol_with_plan(
    db: Session,
    patient: PatientRecord,
    therapist: UserRecord,
    *,
    goals: Iterable[dict[str, Any]] = (),
    **overrides: Any,
) -> ProgrammeEnrolmentRecord:
    enrolment = create_enrolment(db, patient, therapist, start_date=START, **overrides)
    plan = create_plan(db, enrolment, therapist)  # version 1: the builders' minimal content
    add_plan_version(db, plan, therapist, number=2, content=plan_content(goals))
    return enrolment


def log_sessions(
    db: Session,
    enrolment: ProgrammeEnrolmentRecord,
    caregiver: UserRecord,
    per_week: dict[int, int],
) -> None:
    """``per_week[n]`` home sessions logged in week ``n``, on its first home days."""
    for week, count in per_week.items():
        for day in home_days(week)[:count]:
            create_session_log(
                db, enrolment, caregiver, session_date=day, started_at=None,
                exercises={HOME_EXERCISE: True},
            )  # fmt: skip


def create_hjhs(
    db: Session,
    patient: PatientRecord,
    assessor: UserRecord,
    *,
    flexion_loss: int,
    on: date,
    timepoint: Timepoint = Timepoint.FOLLOW_UP,
) -> Any:
    raw = hjhs_raw({"left_ankle.flexion_loss": flexion_loss})
    return create_assessment(db, patient, assessor, raw=raw, assessed_date=on, timepoint=timepoint)
