"""Tele-rehabilitation: the enrolment gate shared by check-ins and messages, and the twelve
weekly online sessions (issue 4, "Twelve scheduled weekly online sessions").

Check-ins are in ``services/check_ins.py``, the message thread in ``services/messages.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK, first_session_date, week_days
from hemojoint.persistence import repositories
from hemojoint.persistence.models import OnlineSessionRecord, ProgrammeEnrolmentRecord
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.persistence.repositories import tele as tele_repo
from hemojoint.schemas.tele import OnlineSessionRead, OnlineSessionUpdate
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError

ONLINE_ENTITY = "online_session"
# hemojoint's convention, not the protocol's: without a time agreed with the family, week n's
# online session is on day 4 of programme week n (half-way between two hospital sessions), at
# 10:00 UTC, since centres have no time zone yet. The therapist moves any of them with PATCH.
DEFAULT_DAY_INDEX = 3
DEFAULT_TIME = time(10, 0, tzinfo=UTC)


def visible_enrolment(
    session: Session, actor: Actor, enrolment_id: int, *, for_write: bool = False
) -> ProgrammeEnrolmentRecord:
    """The enrolment if its child is visible (404 otherwise); an archived one is read-only."""
    record = rehab_repo.get_visible_enrolment(session, actor.viewer, enrolment_id)
    if record is None or (for_write and record.archived_at is not None):
        raise NotFoundError("enrolment", enrolment_id)
    return record


# --- online sessions ---------------------------------------------------------------------------


def render_online(record: OnlineSessionRecord) -> dict[str, Any]:
    return OnlineSessionRead.model_validate(record).model_dump(mode="json")


def schedule_online_sessions(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    first_session_at: datetime | None = None,
) -> Sequence[OnlineSessionRecord]:
    """One online session per programme week; weeks already scheduled are left as they are.

    Idempotent, so the plan's creation and a therapist's click may both call it.
    """
    enrolment = visible_enrolment(session, actor, enrolment_id, for_write=True)
    actor.require(Action.WRITE, RecordType.ONLINE_SESSION)
    created = []
    for week, moment in enumerate(_weekly_times(enrolment, first_session_at), start=1):
        if tele_repo.online_session_of_week(session, enrolment.id, week) is None:
            record = OnlineSessionRecord(enrolment_id=enrolment.id, week=week, scheduled_at=moment)
            session.add(record)
            created.append(week)
    session.flush()
    audit.record(
        session,
        actor,
        action="schedule",
        entity=ONLINE_ENTITY,
        patient_id=enrolment.patient_id,
        detail={"enrolment_id": enrolment.id, "created_weeks": created},
    )
    return tele_repo.online_sessions(session, enrolment.id)


def _weekly_times(
    enrolment: ProgrammeEnrolmentRecord, first_session_at: datetime | None
) -> list[datetime]:
    """Week 1's time, then the same time 7 days later, for each week of the programme."""
    first_day = first_session_date(enrolment.start_date, enrolment.infusion_weekdays)
    week_one = week_days(first_day, 1)
    if first_session_at is None:
        first_session_at = datetime.combine(week_one[DEFAULT_DAY_INDEX], DEFAULT_TIME)
    elif not week_one[0] <= first_session_at.date() <= week_one[-1]:
        raise InvalidInputError.single(
            FieldProblem.invalid(
                "first_session_at",
                first_session_at.isoformat(),
                f"a time in programme week 1 ({week_one[0]} to {week_one[-1]})",
                f"is not in programme week 1 ({week_one[0]} to {week_one[-1]})",
            )
        )
    step = timedelta(days=DAYS_PER_WEEK)
    return [first_session_at + step * week for week in range(enrolment.weeks)]


def list_online_sessions(
    session: Session, actor: Actor, *, enrolment_id: int
) -> Sequence[OnlineSessionRecord]:
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.ONLINE_SESSION)
    items = tele_repo.online_sessions(session, enrolment.id)
    _audit_online(session, actor, "list", enrolment, None, {"returned_ids": [i.id for i in items]})
    return items


def get_online_session(session: Session, actor: Actor, *, session_id: int) -> OnlineSessionRecord:
    record, enrolment = _load_online(session, actor, session_id)
    actor.require(Action.READ, RecordType.ONLINE_SESSION)
    _audit_online(session, actor, "read", enrolment, record)
    return record


def update_online_session(
    session: Session, actor: Actor, *, session_id: int, data: OnlineSessionUpdate, now: datetime
) -> OnlineSessionRecord:
    """Reschedule, or record that it was held (by whom, when) and the therapist's notes."""
    record, enrolment = _load_online(session, actor, session_id, for_write=True)
    actor.require(Action.WRITE, RecordType.ONLINE_SESSION)
    records.check_version(record, data.version, render_online)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    held_at = changes.get("held_at")
    if held_at is not None and held_at > now:
        raise InvalidInputError.single(
            FieldProblem.invalid(
                "held_at", held_at.isoformat(), "a time not in the future", "is in the future"
            )
        )
    records.apply_changes(record, changes)
    if held_at is not None:
        record.therapist_id = actor.user_id
    session.flush()
    _audit_online(session, actor, "update", enrolment, record, {"fields": sorted(changes)})
    return record


def _load_online(
    session: Session, actor: Actor, session_id: int, *, for_write: bool = False
) -> tuple[OnlineSessionRecord, ProgrammeEnrolmentRecord]:
    record = repositories.get_by_id(session, OnlineSessionRecord, session_id)
    enrolment = None
    if record is not None:
        enrolment = rehab_repo.get_visible_enrolment(session, actor.viewer, record.enrolment_id)
    if record is None or enrolment is None or (for_write and enrolment.archived_at is not None):
        raise NotFoundError(ONLINE_ENTITY, session_id)
    return record, enrolment


def _audit_online(
    session: Session,
    actor: Actor,
    action: str,
    enrolment: ProgrammeEnrolmentRecord,
    record: OnlineSessionRecord | None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ONLINE_ENTITY,
        entity_id=record.id if record else None,
        patient_id=enrolment.patient_id,
        detail=detail,
    )
