"""What the rehabilitation pages show, gathered from the programme services.

Reads only: every call goes through the service that owns the record, so scope (404),
role (403) and audit are theirs. The pages for one child show the newest enrolment;
a child with none is shown the enrolment form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, is_allowed
from hemojoint.domain.errors import InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    AssessmentRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanVersionRecord,
    UserRecord,
    WeeklyReviewRecord,
)
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.services import adherence, child_records, mdt, patients, plans, reviews
from hemojoint.services.actor import Actor
from hemojoint.services.adherence import AdherenceReport
from hemojoint.services.assessments import ASSESSMENTS
from hemojoint.services.errors import NotFoundError
from hemojoint.services.programme import ENROLMENTS

# Baseline choices offered on the enrolment form (the plan reads HJHS and HEAD-US or -C).
BASELINE_CODES = {"hjhs": ("hjhs",), "ultrasound": ("head_us", "head_us_c")}


@dataclass(frozen=True)
class RehabOverview:
    patient: PatientRecord
    enrolment: ProgrammeEnrolmentRecord | None
    plan: RehabPlanVersionRecord | None
    adherence: AdherenceReport | None
    reviews: Sequence[WeeklyReviewRecord] = ()
    baselines: dict[str, list[AssessmentRecord]] = field(default_factory=dict)


def patient(session: Session, actor: Actor, patient_id: int) -> PatientRecord:
    return patients.get(session, actor, patient_id=patient_id)


def latest_enrolment(
    session: Session, actor: Actor, patient_id: int
) -> ProgrammeEnrolmentRecord | None:
    """The child's newest enrolment (running or ended), or None."""
    page = child_records.list_for_patient(
        session, actor, ENROLMENTS, patient_id=patient_id, limit=1
    )
    return page.items[0] if page.items else None


def require_enrolment(session: Session, actor: Actor, patient_id: int) -> ProgrammeEnrolmentRecord:
    found = latest_enrolment(session, actor, patient_id)
    if found is None:
        raise NotFoundError("enrolment of patient", patient_id)
    return found


def current_plan(
    session: Session, actor: Actor, enrolment: ProgrammeEnrolmentRecord
) -> RehabPlanVersionRecord | None:
    """The plan version the family follows, or None before the plan is generated."""
    try:
        version, _ = plans.current(session, actor, enrolment_id=enrolment.id)
    except NotFoundError:
        return None
    return version


def overview(
    session: Session, actor: Actor, *, patient_id: int, today: date, definitions_dir: Path | None
) -> RehabOverview:
    child = patient(session, actor, patient_id)
    enrolment = latest_enrolment(session, actor, child.id)
    if enrolment is None:
        return RehabOverview(child, None, None, None, baselines=baselines(session, actor, child.id))
    plan = current_plan(session, actor, enrolment)
    report = None
    if plan is not None:
        report = _adherence(session, actor, enrolment, today, definitions_dir)
    done = reviews.list_reviews(session, actor, enrolment_id=enrolment.id)
    return RehabOverview(child, enrolment, plan, report, done)


def _adherence(
    session: Session,
    actor: Actor,
    enrolment: ProgrammeEnrolmentRecord,
    today: date,
    definitions_dir: Path | None,
) -> AdherenceReport | None:
    """Adherence so far; None before week 1 has started (nothing to measure yet)."""
    try:
        return adherence.adherence(
            session,
            actor,
            enrolment_id=enrolment.id,
            today=today,
            through_week=None,
            rules=adherence.adherence_rules(definitions_dir),
        )
    except InvalidInputError:
        return None


def baselines(session: Session, actor: Actor, patient_id: int) -> dict[str, list[AssessmentRecord]]:
    """The child's HJHS and ultrasound assessments, newest first, to link as baselines."""
    page = child_records.list_for_patient(
        session, actor, ASSESSMENTS, patient_id=patient_id, limit=100
    )
    return {
        name: [item for item in page.items if item.instrument_code in codes]
        for name, codes in BASELINE_CODES.items()
    }


def may(actor: Actor, record_type: RecordType) -> bool:
    """Whether to show a button: the service still checks when the form is sent."""
    return is_allowed(actor.role, Action.WRITE, record_type)


def weeks_of(content: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """The plan's sessions grouped by programme week, in date order."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for item in sorted(content.get("sessions", []), key=lambda s: s["date"]):
        grouped.setdefault(int(item.get("week", 0)), []).append(item)
    return grouped


def user_names(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Display names of the authors shown on a page (a handful of users, one read each)."""
    names: dict[int, str] = {}
    for user_id in set(user_ids):
        user = repositories.get_by_id(session, UserRecord, user_id)
        names[user_id] = user.display_name if user else f"#{user_id}"
    return names


def centre_staff(session: Session, actor: Actor) -> list[UserRecord]:
    """The actor's centre's clinical team: who may lead or attend an MDT meeting."""
    found = admin_queries.page_users(
        session, actor.centre_id, admin_queries.UserFilters(), offset=0, limit=500
    )
    return [user for user in found.items if user.role in mdt.ATTENDEE_ROLES]
