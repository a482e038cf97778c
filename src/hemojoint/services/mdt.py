"""MDT case discussions: the agenda, meetings with their attendees, and the actions decided.

REFERENCE.md section 1: "MDT online case discussion every two weeks, led by the
rehabilitation specialist". Meetings belong to a centre: another centre's meeting is
not found (404). The clinical team reads and writes them; the family never sees them
(the ``mdt`` row of the permission matrix). Actions are about one child and are shown
on the child's record, to the same readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from hemojoint.domain.access import STAFF_ROLES, Action, RecordType, Role
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab import mdt as domain
from hemojoint.domain.rehab.adherence import AdherenceRules
from hemojoint.persistence import repositories
from hemojoint.persistence.models import MdtActionRecord, MdtMeetingRecord, PatientRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.persistence.repositories import mdt as queries
from hemojoint.schemas.mdt import ActionCreate, ActionRead, MeetingCreate, MeetingRead
from hemojoint.schemas.mdt import MeetingUpdate as MeetingUpdateBody
from hemojoint.services import audit, mdt_agenda, patients, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError

MEETING = "mdt_meeting"
ACTION = "mdt_action"
AGENDA = "mdt_agenda"
# Who may sit at the table: the clinical team and the admin who keeps the minutes.
ATTENDEE_ROLES = STAFF_ROLES | {Role.ADMIN}


def render_meeting(record: MdtMeetingRecord) -> dict[str, Any]:
    return MeetingRead.model_validate(record).model_dump(mode="json")


def render_action(record: MdtActionRecord) -> dict[str, Any]:
    return ActionRead.model_validate(record).model_dump(mode="json")


# --- the agenda ----------------------------------------------------------------------------


def agenda(
    session: Session, actor: Actor, *, as_of: date, adherence_rules: AdherenceRules
) -> mdt_agenda.Agenda:
    """The agenda of the actor's centre for a meeting on ``as_of``."""
    actor.require(Action.READ, RecordType.MDT)
    built = mdt_agenda.build(
        session, centre_id=actor.centre_id, as_of=as_of, adherence_rules=adherence_rules
    )
    detail = {"as_of": as_of.isoformat(), "patient_ids": [i.patient_id for i in built.items]}
    audit.record(session, actor, action="read", entity=AGENDA, detail=detail)
    return built


# --- meetings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingWithActions:
    meeting: MdtMeetingRecord
    actions: Sequence[MdtActionRecord]


def create_meeting(
    session: Session, actor: Actor, *, data: MeetingCreate, adherence_rules: AdherenceRules
) -> MeetingWithActions:
    """Record a case discussion with its attendees' roles and the agenda built for its date."""
    actor.require(Action.WRITE, RecordType.MDT)
    attendees = _attendees(session, actor.centre_id, data)
    built = mdt_agenda.build(
        session, centre_id=actor.centre_id, as_of=data.meeting_date, adherence_rules=adherence_rules
    )
    record = MdtMeetingRecord(
        centre_id=actor.centre_id,
        meeting_date=data.meeting_date,
        led_by_id=data.led_by,
        notes=data.notes,
        agenda=built.items_as_dicts(),
        attendees=attendees,
    )
    session.add(record)
    session.flush()
    detail = {"patient_ids": [item.patient_id for item in built.items]}
    _audit_meeting(session, actor, "create", record, detail)
    return MeetingWithActions(record, ())


def _attendees(session: Session, centre_id: int, data: MeetingCreate) -> list[dict[str, Any]]:
    """``[{"user_id", "role"}]``, the leader first; every problem reported at once."""
    problems: list[FieldProblem] = []
    leader = admin_queries.get_centre_user(session, centre_id, data.led_by)
    if leader is None or leader.archived_at is not None or leader.role is not Role.REHAB_PHYSICIAN:
        # REFERENCE.md section 1: the MDT is led by the rehabilitation specialist.
        why = "is not a rehabilitation physician of your centre"
        problems.append(FieldProblem.invalid("led_by", data.led_by, "a rehab_physician", why))
    chosen: list[dict[str, Any]] = []
    seen = {data.led_by}
    for index, attendee in enumerate(data.attendees):
        field = f"attendees[{index}].user_id"
        user = admin_queries.get_centre_user(session, centre_id, attendee.user_id)
        if attendee.user_id in seen and attendee.user_id != data.led_by:
            why = "is listed twice"
            problems.append(FieldProblem.invalid(field, attendee.user_id, "each user once", why))
        elif user is None or user.archived_at is not None or user.role not in ATTENDEE_ROLES:
            why = "is not a member of your centre's clinical team"
            allowed = "a staff user of your centre"
            problems.append(FieldProblem.invalid(field, attendee.user_id, allowed, why))
        elif user.id != data.led_by:
            chosen.append({"user_id": user.id, "role": user.role.value})
        seen.add(attendee.user_id)
    if problems:
        raise InvalidInputError(problems)
    return [{"user_id": data.led_by, "role": Role.REHAB_PHYSICIAN.value}, *chosen]


def list_meetings(
    session: Session,
    actor: Actor,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """The centre's meetings, newest first; the date range is inclusive."""
    actor.require(Action.READ, RecordType.MDT)
    found = queries.centre_meetings(session, actor.centre_id, from_date=from_date, to_date=to_date)
    items = found[offset : offset + limit]
    detail = {"returned_ids": [item.id for item in items]}
    audit.record(session, actor, action="list", entity=MEETING, detail=detail)
    return Page(items=items, total=len(found), offset=offset, limit=limit)


def get_meeting(session: Session, actor: Actor, *, meeting_id: int) -> MeetingWithActions:
    record = _centre_meeting(session, actor, meeting_id)
    actor.require(Action.READ, RecordType.MDT)
    _audit_meeting(session, actor, "read", record)
    return MeetingWithActions(record, queries.meeting_actions(session, record.id))


def update_meeting(
    session: Session, actor: Actor, *, meeting_id: int, data: MeetingUpdateBody
) -> MeetingWithActions:
    """Change the notes; the agenda and the attendees stay as recorded."""
    record = _centre_meeting(session, actor, meeting_id)
    actor.require(Action.WRITE, RecordType.MDT)
    records.check_version(record, data.version, render_meeting)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    records.apply_changes(record, changes)
    session.flush()
    _audit_meeting(session, actor, "update", record, {"fields": sorted(changes)})
    return MeetingWithActions(record, queries.meeting_actions(session, record.id))


def _centre_meeting(session: Session, actor: Actor, meeting_id: int) -> MdtMeetingRecord:
    """A meeting of the actor's centre; another centre's is 404, exactly as a missing one."""
    record = queries.get_centre_meeting(session, actor.centre_id, meeting_id)
    if record is None:
        raise NotFoundError(MEETING, meeting_id)
    return record


def _audit_meeting(
    session: Session,
    actor: Actor,
    action: str,
    record: MdtMeetingRecord,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(session, actor, action=action, entity=MEETING, entity_id=record.id, detail=detail)


# --- actions -------------------------------------------------------------------------------


def create_action(
    session: Session, actor: Actor, *, meeting_id: int, data: ActionCreate
) -> MdtActionRecord:
    """A decision about one child of the meeting's centre, checked by the domain."""
    meeting = _centre_meeting(session, actor, meeting_id)
    patient = _meeting_patient(session, actor, meeting, data.patient_id)
    actor.require(Action.WRITE, RecordType.MDT)
    # The domain takes the role as text and names the staff roles when it refuses one.
    owner_role = cast(Role, data.owner_role)
    decided = domain.Action(data.description, owner_role, data.due_date, meeting.meeting_date)
    record = MdtActionRecord(
        meeting_id=meeting.id,
        patient_id=patient.id,
        description=decided.description,
        owner_role=decided.owner_role,
        due_date=decided.due_date,
    )
    session.add(record)
    session.flush()
    _audit_action(session, actor, "create", record)
    return record


def _meeting_patient(
    session: Session, actor: Actor, meeting: MdtMeetingRecord, patient_id: int
) -> PatientRecord:
    patient = patients.get_visible(session, actor, patient_id)
    if patient.centre_id != meeting.centre_id:  # a family link may reach across centres
        raise NotFoundError(patients.ENTITY, patient_id)
    return patient


def mark_done(
    session: Session, actor: Actor, *, action_id: int, version: int, now: datetime
) -> MdtActionRecord:
    record = _visible_action(session, actor, action_id)
    actor.require(Action.WRITE, RecordType.MDT)
    records.check_version(record, version, render_action)
    if record.done_at is not None:
        raise ConflictError(f"the action was already done at {record.done_at.isoformat()}")
    record.done_at = now
    session.flush()
    _audit_action(session, actor, "done", record)
    return record


def _visible_action(session: Session, actor: Actor, action_id: int) -> MdtActionRecord:
    """The action if its child is visible to the actor; otherwise 404, as if absent."""
    record = repositories.get_by_id(session, MdtActionRecord, action_id)
    if record is None:
        raise NotFoundError(ACTION, action_id)
    try:
        patients.get_visible(session, actor, record.patient_id)
    except NotFoundError:
        raise NotFoundError(ACTION, action_id) from None
    return record


@dataclass(frozen=True)
class ActionOnRecord:
    action: MdtActionRecord
    meeting_date: date


def patient_actions(
    session: Session, actor: Actor, *, patient_id: int, open_only: bool = False
) -> list[ActionOnRecord]:
    """The MDT actions about a child, soonest due first, each with its meeting's date."""
    patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.MDT)
    found = queries.patient_actions(session, patient_id, open_only=open_only)
    detail = {"returned_ids": [item.id for item in found]}
    audit.record(session, actor, action="list", entity=ACTION, patient_id=patient_id, detail=detail)
    return [ActionOnRecord(item, _meeting_date(session, item)) for item in found]


def _meeting_date(session: Session, action: MdtActionRecord) -> date:
    meeting = repositories.get_by_id(session, MdtMeetingRecord, action.meeting_id)
    if meeting is None:  # the foreign key makes this impossible; for mypy
        raise LookupError(f"action {action.id} names no meeting")
    return meeting.meeting_date


def _audit_action(session: Session, actor: Actor, action: str, record: MdtActionRecord) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ACTION,
        entity_id=record.id,
        patient_id=record.patient_id,
        detail={"meeting_id": record.meeting_id},
    )
