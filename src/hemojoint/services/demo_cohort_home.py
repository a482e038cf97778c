"""The demo cohort's home-session logs, written in bulk (see :mod:`.demo_cohort` for why).

Each log is what the family would have sent: a planned home session of the child's
current plan, checked by the domain (:func:`.home.domain_log`) before it is saved.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from hemojoint.domain.rehab.model import SessionKind
from hemojoint.persistence.models import HomeSessionLogRecord, ProgrammeEnrolmentRecord
from hemojoint.services import home

# Most sessions pain-free (REFERENCE.md section 1: everything must stay pain-free); a few
# mild ones so the adherence and pain views have something to show.
PAIN_SCORES = (0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
EXERCISE_DONE_SHARE = 0.9


def add_home_logs(
    session: Session,
    enrolment: ProgrammeEnrolmentRecord,
    logged_by_id: int,
    adherence: float,
    rng: random.Random,
    until: date | None = None,
) -> int:
    """Log about ``adherence`` of the planned home sessions; returns how many were logged.

    ``until``: only sessions before that day (a programme still running).
    """
    plan = home.require_plan(session, enrolment)
    logs = []
    for planned in plan.sessions:
        if planned.kind is not SessionKind.HOME or rng.random() >= adherence:
            continue
        if until is not None and planned.date >= until:
            continue  # still to come
        record = HomeSessionLogRecord(
            patient_id=enrolment.patient_id,
            enrolment_id=enrolment.id,
            session_date=planned.date,
            started_at=datetime.combine(planned.date, time(rng.choice((9, 16, 18))), tzinfo=UTC),
            minutes=planned.minutes if rng.random() < 0.8 else max(planned.minutes // 2, 10),
            exercises={
                exercise.code: rng.random() < EXERCISE_DONE_SHARE for exercise in planned.exercises
            },
            pain_score=rng.choice(PAIN_SCORES),
            logged_by_id=logged_by_id,
        )
        home.domain_log(record)  # the domain's checks, as the service would run them
        logs.append(record)
    session.add_all(logs)
    session.flush()
    return len(logs)
