"""Caregivers (and patients themselves) linked to the children they may see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, Role
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import FamilyLinkRecord, UserRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.schemas.admin import FamilyLinkCreate, Relationship
from hemojoint.services import audit, patients, users
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError

ENTITY = "family_link"

# A caregiver is a parent or guardian; a patient-role user can only be linked to themself.
_RELATIONSHIPS = {
    Role.CAREGIVER: (Relationship.PARENT, Relationship.GUARDIAN),
    Role.PATIENT: (Relationship.SELF,),
}


def link(
    session: Session, actor: Actor, *, patient_id: int, data: FamilyLinkCreate
) -> FamilyLinkRecord:
    """Link a family user of the patient's centre; a revoked link is renewed, not duplicated."""
    patient = patients.get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.FAMILY_LINK)
    user = users.get_in_centre(session, patient.centre_id, data.user_id)
    _check_linkable(user, data)
    record = admin_queries.find_family_link(session, user.id, patient.id)
    if record is not None and record.revoked_at is None:
        raise ConflictError(f"user {user.id} is already linked to patient {patient.id}")
    if record is None:
        record = FamilyLinkRecord(user_id=user.id, patient_id=patient.id)
        session.add(record)
    record.relationship = data.relationship.value
    record.revoked_at = None
    session.flush()
    _audit(session, actor, "create", record, detail={"user_id": user.id})
    return record


def list_for_patient(
    session: Session, actor: Actor, *, patient_id: int, revoked: bool, offset: int, limit: int
) -> Page:
    patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.FAMILY_LINK)
    page = admin_queries.page_family_links(
        session, patient_id, revoked=revoked, offset=offset, limit=limit
    )
    audit.record(
        session,
        actor,
        action="list",
        entity=ENTITY,
        patient_id=patient_id,
        detail={"returned_ids": [item.id for item in page.items]},
    )
    return page


def revoke(session: Session, actor: Actor, *, link_id: int, now: datetime) -> FamilyLinkRecord:
    record = _load(session, actor, link_id)
    actor.require(Action.WRITE, RecordType.FAMILY_LINK)
    if record.revoked_at is not None:
        raise ConflictError("the link is already revoked")
    record.revoked_at = now
    session.flush()
    _audit(session, actor, "revoke", record)
    return record


def _load(session: Session, actor: Actor, link_id: int) -> FamilyLinkRecord:
    found = repositories.get_visible_child(session, actor.viewer, FamilyLinkRecord, link_id)
    if found is None:
        raise NotFoundError(ENTITY, link_id)
    return found[0]


def _check_linkable(user: UserRecord, data: FamilyLinkCreate) -> None:
    if user.is_archived:
        raise ConflictError(f"user {user.id} is archived")
    allowed = _RELATIONSHIPS.get(user.role)
    if allowed is None:
        raise InvalidInputError.single(
            FieldProblem.invalid(
                "user_id", user.id, "a caregiver or patient user", f"is a {user.role.value}"
            )
        )
    if data.relationship not in allowed:
        problem = FieldProblem.not_one_of(
            "relationship", data.relationship.value, [choice.value for choice in allowed]
        )
        raise InvalidInputError.single(problem)


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    record: FamilyLinkRecord,
    detail: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.patient_id,
        detail=detail,
    )
