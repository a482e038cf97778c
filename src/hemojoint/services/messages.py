"""The message thread for unscheduled questions between a family and the child's team.

The thread belongs to the child (the table is keyed by patient): reached through an
enrolment, it shows every message about that child, and a new message records which
enrolment it was written in. A message is "read" once someone other than its author
has opened it; the unread count is what others wrote that nobody has read yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.persistence import repositories
from hemojoint.persistence.models import MessageRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import tele as tele_repo
from hemojoint.services import audit
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError
from hemojoint.services.tele import visible_enrolment

ENTITY = "message"


def post(session: Session, actor: Actor, *, enrolment_id: int, body: str) -> MessageRecord:
    enrolment = visible_enrolment(session, actor, enrolment_id, for_write=True)
    actor.require(Action.WRITE, RecordType.MESSAGE)
    record = MessageRecord(
        patient_id=enrolment.patient_id,
        enrolment_id=enrolment.id,
        author_id=actor.user_id,
        body=body,
    )
    session.add(record)
    session.flush()
    _audit(session, actor, "create", record.patient_id, record.id)
    return record


def thread(session: Session, actor: Actor, *, enrolment_id: int, offset: int, limit: int) -> Page:
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.MESSAGE)
    page = tele_repo.message_thread(session, enrolment.patient_id, offset=offset, limit=limit)
    detail = {"enrolment_id": enrolment.id, "returned_ids": [item.id for item in page.items]}
    _audit(session, actor, "list", enrolment.patient_id, None, detail)
    return page


def unread_count(session: Session, actor: Actor, *, enrolment_id: int) -> int:
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.MESSAGE)
    count = tele_repo.unread_messages(session, enrolment.patient_id, reader_id=actor.user_id)
    _audit(session, actor, "count_unread", enrolment.patient_id, None, {"unread": count})
    return count


def mark_read(session: Session, actor: Actor, *, message_id: int, now: datetime) -> MessageRecord:
    """Mark someone else's message read (once); marking one's own is a no-op.

    Taking part in the thread is a write: an admin, who may only read, does not
    clear the unread mark the team relies on.
    """
    found = repositories.get_visible_child(session, actor.viewer, MessageRecord, message_id)
    if found is None:
        raise NotFoundError(ENTITY, message_id)
    record = found[0]
    actor.require(Action.WRITE, RecordType.MESSAGE)
    if record.author_id != actor.user_id and record.read_at is None:
        record.read_at = now
        session.flush()
        _audit(session, actor, "mark_read", record.patient_id, record.id)
    return record


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    patient_id: int,
    message_id: int | None,
    detail: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ENTITY,
        entity_id=message_id,
        patient_id=patient_id,
        detail=detail,
    )
