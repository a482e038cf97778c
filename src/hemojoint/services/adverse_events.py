"""Adverse events during the programme, and whether each fell on a rehab day.

REFERENCE.md section 1: "Adverse events recorded with whether they fell on rehab
days". The day is read from the current version of the enrolment's plan whenever
an event is shown (hospital session, home session, or neither), never stored, so
it follows the plan when a therapist moves a session. Staff record events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.model import SessionKind
from hemojoint.persistence.models import (
    AdverseEventRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.persistence.repositories import rehab as rehab_repo
from hemojoint.schemas.home import AdverseEventRead, AdverseEventRecordRead, SessionDay
from hemojoint.services import home
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind


def derive(
    session: Session, patient: PatientRecord, record: AdverseEventRecord, actor: Actor
) -> None:
    """Attach the child's running enrolment when none is named; stamp who recorded it."""
    if record.enrolment_id is None:
        running = rehab_repo.active_enrolment(session, patient.id)
        record.enrolment_id = running.id if running else None
    else:
        _check_enrolment(session, patient, record.enrolment_id)
    if record.recorded_by_id is None:
        record.recorded_by_id = actor.user_id


def _check_enrolment(session: Session, patient: PatientRecord, enrolment_id: int) -> None:
    enrolment = session.get(ProgrammeEnrolmentRecord, enrolment_id)
    if enrolment is None or enrolment.patient_id != patient.id:
        allowed = f"an enrolment of patient {patient.id}"
        why = "is not an enrolment of this child"
        raise InvalidInputError.single(
            FieldProblem.invalid("enrolment_id", enrolment_id, allowed, why)
        )


@dataclass(frozen=True)
class DayOf:
    """What the plan (and the family's logs) had on an event's date."""

    kind: SessionDay
    plan_version: int | None
    sessions: list[str]
    home_sessions_logged: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "plan_version": self.plan_version,
            "sessions": self.sessions,
            "home_sessions_logged": self.home_sessions_logged,
        }


NO_PLAN = DayOf(SessionDay.NONE, None, [], 0)


def session_day(session: Session, record: AdverseEventRecord) -> DayOf:
    return days_of(session, [record])[record.id]


def days_of(session: Session, records: Sequence[AdverseEventRecord]) -> dict[int, DayOf]:
    """The rehab day of each event; one plan and one log query per enrolment involved."""
    result: dict[int, DayOf] = {}
    for enrolment_id in {record.enrolment_id for record in records}:
        group = [record for record in records if record.enrolment_id == enrolment_id]
        result |= _days_in_enrolment(session, enrolment_id, group)
    return result


def _days_in_enrolment(
    session: Session, enrolment_id: int | None, records: Sequence[AdverseEventRecord]
) -> dict[int, DayOf]:
    enrolment = session.get(ProgrammeEnrolmentRecord, enrolment_id) if enrolment_id else None
    plan = home.current_plan(session, enrolment) if enrolment else None
    if enrolment is None or plan is None:
        return {record.id: NO_PLAN for record in records}
    logs = rehab_repo.session_logs(session, enrolment.id)
    logged = [log.session_date for log in logs]
    return {record.id: _day(plan, record, logged.count(record.event_date)) for record in records}


def _day(plan: home.CurrentPlan, record: AdverseEventRecord, logged: int) -> DayOf:
    kinds = [session.kind for session in plan.on(record.event_date)]
    # A hospital session and a home session can share a day; the hospital one is named.
    if SessionKind.HOSPITAL in kinds:
        kind = SessionDay.HOSPITAL
    elif SessionKind.HOME in kinds:
        kind = SessionDay.HOME
    else:
        kind = SessionDay.NONE
    return DayOf(kind, plan.version, [kind.value for kind in kinds], logged)


def render(
    session: Session, record: AdverseEventRecord, day: DayOf | None = None
) -> AdverseEventRead:
    stored = AdverseEventRecordRead.model_validate(record).model_dump()
    day = day or session_day(session, record)
    return AdverseEventRead.model_validate(stored | {"session_day": day.as_dict()})


ADVERSE_EVENTS = ChildKind(
    entity="adverse_event",
    model=AdverseEventRecord,
    record_type=RecordType.ADVERSE_EVENT,
    read_schema=AdverseEventRecordRead,
    derive=derive,
    order_by=(AdverseEventRecord.event_date.desc(), AdverseEventRecord.id.desc()),
)
