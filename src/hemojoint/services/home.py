"""Home training: the caregivers' session logs and adherence to the current plan (issue 4).

A log belongs to an enrolment; families of a linked child write it, the team reads
it. Every write is checked by the domain (:class:`HomeSessionLog`: minutes, each
exercise done or not, pain 0-10 on a faces scale) and against the plan the family
follows: the date must fall in a programme week and on or before today, and each
exercise code must be one the current plan version prescribes at home that week.
Adherence is measured from these logs in :mod:`hemojoint.services.adherence`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.adherence import programme_week
from hemojoint.domain.rehab.home_logs import HomeSessionLog
from hemojoint.domain.rehab.model import (
    PROGRAMME_WEEKS,
    PlannedExercise,
    PlannedSession,
    SessionKind,
    Variant,
)
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK, first_session_date
from hemojoint.persistence.models import (
    EnrolmentStatus,
    HomeSessionLogRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.schemas.home import HomeLogRead
from hemojoint.services import child_records
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind
from hemojoint.services.errors import NotFoundError

# --- the enrolment and the plan the family follows ---------------------------------------------


def visible_enrolment(
    session: Session, actor: Actor, enrolment_id: int
) -> ProgrammeEnrolmentRecord:
    """The enrolment if its child is visible to ``actor``; otherwise 404, as if absent."""
    record = rehab_repo.get_visible_enrolment(session, actor.viewer, enrolment_id)
    if record is None:
        raise NotFoundError("enrolment", enrolment_id)
    return record


@dataclass(frozen=True)
class CurrentPlan:
    """The newest plan version of an enrolment, as the domain's sessions."""

    version: int
    first_day: date  # day 1 of programme week 1 (the first hospital session)
    sessions: tuple[PlannedSession, ...]

    def home_codes(self, week: int) -> set[str]:
        homes = [s for s in self.sessions if s.kind is SessionKind.HOME and s.week == week]
        return {exercise.code for session in homes for exercise in session.exercises}

    def on(self, day: date) -> list[PlannedSession]:
        return [session for session in self.sessions if session.date == day]


def current_plan(session: Session, enrolment: ProgrammeEnrolmentRecord) -> CurrentPlan | None:
    plan = rehab_repo.plan_of_enrolment(session, enrolment.id)
    version = rehab_repo.current_plan_version(session, plan.id) if plan else None
    if version is None:
        return None
    first_day = programme_start(enrolment)
    sessions = plan_sessions(version.content, first_day)
    return CurrentPlan(version.number, first_day, sessions)


def require_plan(session: Session, enrolment: ProgrammeEnrolmentRecord) -> CurrentPlan:
    """The current plan, or 422 naming what is missing (the therapist creates the plan first)."""
    plan = current_plan(session, enrolment)
    if plan is None:
        why = "is missing: a therapist must create the rehabilitation plan of this enrolment first"
        raise InvalidInputError.single(
            FieldProblem.invalid("plan", None, "a plan with at least one version", why)
        )
    return plan


def programme_start(enrolment: ProgrammeEnrolmentRecord) -> date:
    """Day 1 of week 1: the first infusion day on or after the start (domain schedule rule)."""
    return first_session_date(enrolment.start_date, enrolment.infusion_weekdays)


def plan_sessions(content: Mapping[str, Any], first_day: date) -> tuple[PlannedSession, ...]:
    """The sessions of a stored plan version (``PlannedSession.as_dict`` items).

    ``week`` and the dosage fields may be absent (older or hand-made content): the
    week then follows from the date. A malformed session is a 422 naming it.
    """
    sessions = content.get("sessions", [])
    if not isinstance(sessions, list):
        raise InvalidInputError.single(FieldProblem.wrong_type("plan.sessions", None, "a list"))
    return tuple(
        _session(f"plan.sessions[{i}]", item, first_day) for i, item in enumerate(sessions)
    )


def _session(field: str, item: Any, first_day: date) -> PlannedSession:
    try:
        day = date.fromisoformat(item["date"])
        return PlannedSession(
            date=day,
            week=int(item.get("week") or programme_week(first_day, day)),
            kind=SessionKind(item["kind"]),
            minutes=int(item["minutes"]),
            intensity_pct=int(item.get("intensity_pct", 100)),
            on_infusion_day=bool(item.get("on_infusion_day", False)),
            exercises=tuple(_exercise(exercise) for exercise in item.get("exercises", [])),
        )
    except (KeyError, TypeError, ValueError) as error:
        why = f"cannot be read from the stored plan ({error!r})"
        raise InvalidInputError.single(
            FieldProblem.invalid(field, None, "date, kind, minutes, exercises", why)
        ) from None


def _exercise(item: Mapping[str, Any]) -> PlannedExercise:
    """One stored exercise; joints and doses may be absent in hand-made content."""
    return PlannedExercise(
        code=str(item["code"]),
        variant=Variant(item.get("variant") or Variant.STANDARD),
        joints=tuple(IndexJoint(joint) for joint in item.get("joints", ())),
        sets=int(item.get("sets") or 1),
        reps=_optional_int(item.get("reps")),
        hold_seconds=_optional_int(item.get("hold_seconds")),
        minutes=_optional_int(item.get("minutes")),
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


# --- home session logs -------------------------------------------------------------------------

# The domain names the fields as the CLI's logs do; the API's names differ in two places.
_API_FIELDS = {"date": "session_date", "exercises_done": "exercises"}


def derive_log(
    session: Session, _patient: PatientRecord, record: HomeSessionLogRecord, actor: Actor
) -> None:
    """Check the log with the domain and against the current plan; stamp who logged it."""
    domain_log(record)
    enrolment = session.get(ProgrammeEnrolmentRecord, record.enrolment_id)
    if enrolment is None:  # the foreign key prevents it; say so rather than fail obscurely
        raise NotFoundError("enrolment", record.enrolment_id)
    _check_against_plan(record, enrolment, require_plan(session, enrolment))
    if record.started_at is not None:
        record.started_at = record.started_at.astimezone(UTC)
        _check_started_near(record.session_date, record.started_at)
    if record.logged_by_id is None:
        record.logged_by_id = actor.user_id


def domain_log(record: HomeSessionLogRecord) -> HomeSessionLog:
    started = record.started_at.astimezone(UTC).time() if record.started_at else None
    try:
        return HomeSessionLog(
            record.session_date,
            started,
            record.minutes,
            dict(record.exercises),
            record.pain_score,
            record.notes or "",
        )
    except InvalidInputError as error:
        raise InvalidInputError(_api_named(problem) for problem in error.problems) from None


def _api_named(problem: FieldProblem) -> FieldProblem:
    head, dot, rest = problem.field.partition(".")
    if head not in _API_FIELDS:
        return problem
    field = _API_FIELDS[head] + dot + rest
    return replace(problem, field=field, message=problem.message.replace(problem.field, field, 1))


def _check_against_plan(
    record: HomeSessionLogRecord, enrolment: ProgrammeEnrolmentRecord, plan: CurrentPlan
) -> None:
    week = programme_week(plan.first_day, record.session_date)
    last_week = min(enrolment.weeks, PROGRAMME_WEEKS)
    if not 1 <= week <= last_week:
        last_day = plan.first_day + timedelta(days=DAYS_PER_WEEK * last_week - 1)
        allowed = f"{plan.first_day.isoformat()} to {last_day.isoformat()}"
        why = f"is outside the programme ({allowed})"
        problem = FieldProblem.invalid(
            "session_date", record.session_date.isoformat(), allowed, why
        )
        raise InvalidInputError.single(problem)
    prescribed = plan.home_codes(week)
    choices = sorted(prescribed) or ["(no home exercises prescribed that week)"]
    problems = [
        FieldProblem.not_one_of(f"exercises.{code}", code, choices)
        for code in record.exercises
        if code not in prescribed
    ]
    if problems:
        raise InvalidInputError(problems)


def _check_started_at(session_date: date | None, started_at: datetime | None) -> None:
    """A start time, read in the offset it was sent with, must fall on the session's date."""
    if session_date is None or started_at is None or started_at.date() == session_date:
        return
    why = f"is not on session_date {session_date.isoformat()} (in its own UTC offset)"
    allowed = f"a time on {session_date.isoformat()}"
    raise InvalidInputError.single(
        FieldProblem.invalid("started_at", started_at.isoformat(), allowed, why)
    )


# UTC offsets in use run from -12:00 to +14:00: a start on local date D lies in this window.
_EARLIEST_OFFSET, _LATEST_OFFSET = timedelta(hours=14), timedelta(hours=12)


def _check_started_near(session_date: date, started_at: datetime) -> None:
    """Whatever its offset was, a start on ``session_date`` lies within these UTC bounds.

    The offset a client sent is not kept (instants are stored in UTC), so an update
    that changes only one of the two is checked this loosely.
    """
    midnight = datetime.combine(session_date, time(0), tzinfo=UTC)
    if midnight - _EARLIEST_OFFSET <= started_at < midnight + timedelta(days=1) + _LATEST_OFFSET:
        return
    allowed = f"a time on {session_date.isoformat()} in the family's time zone"
    why = f"cannot be on session_date {session_date.isoformat()} in any time zone"
    raise InvalidInputError.single(
        FieldProblem.invalid("started_at", started_at.isoformat(), allowed, why)
    )


def _check_not_future(session_date: date | None, today: date) -> None:
    if session_date is not None and session_date > today:
        why = f"is in the future (today is {today.isoformat()})"
        allowed = f"on or before {today.isoformat()}"
        problem = FieldProblem.invalid("session_date", session_date.isoformat(), allowed, why)
        raise InvalidInputError.single(problem)


HOME_LOGS = ChildKind(
    entity="home_log",
    model=HomeSessionLogRecord,
    record_type=RecordType.HOME_LOG,
    read_schema=HomeLogRead,
    derive=derive_log,
    order_by=(HomeSessionLogRecord.session_date, HomeSessionLogRecord.id),
)


def create_log(
    session: Session, actor: Actor, *, enrolment_id: int, values: Mapping[str, Any], today: date
) -> HomeSessionLogRecord:
    """Log a home session of the enrolment (families of the child; 404 for anyone else's)."""
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.WRITE, RecordType.HOME_LOG)
    _check_open(enrolment)
    _check_not_future(values.get("session_date"), today)
    _check_started_at(values.get("session_date"), values.get("started_at"))
    return child_records.create(
        session,
        actor,
        HOME_LOGS,
        patient_id=enrolment.patient_id,
        values={**values, "enrolment_id": enrolment.id},
    )


def update_log(
    session: Session,
    actor: Actor,
    *,
    log_id: int,
    version: int,
    changes: Mapping[str, Any],
    today: date,
) -> HomeSessionLogRecord:
    _check_not_future(changes.get("session_date"), today)
    _check_started_at(changes.get("session_date"), changes.get("started_at"))
    return child_records.update(
        session, actor, HOME_LOGS, record_id=log_id, version=version, changes=changes
    )


def _check_open(enrolment: ProgrammeEnrolmentRecord) -> None:
    if enrolment.archived_at is not None or enrolment.status is EnrolmentStatus.WITHDRAWN:
        state = "archived" if enrolment.archived_at is not None else "withdrawn"
        why = f"is {state}: no home session can be logged on it"
        allowed = "an enrolment that is not archived or withdrawn"
        raise InvalidInputError.single(
            FieldProblem.invalid("enrolment_id", enrolment.id, allowed, why)
        )


def list_logs(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    archived: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    enrolment = visible_enrolment(session, actor, enrolment_id)
    return child_records.list_for_patient(
        session,
        actor,
        HOME_LOGS,
        patient_id=enrolment.patient_id,
        archived=archived,
        conditions=[HomeSessionLogRecord.enrolment_id == enrolment.id],
        offset=offset,
        limit=limit,
    )
