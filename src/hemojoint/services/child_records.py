"""Records that belong to one patient (weights, assessments, bleeds, infusions, ...).

They share one life cycle -- create, read, list, update with a version check,
archive, restore -- and one access rule: first the patient must be visible to the
actor (else 404, as if absent), then the role must be allowed (else 403). Each
kind adds only what is its own through ``derive`` (e.g. recompute a score).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.persistence import repositories
from hemojoint.persistence.base import Base
from hemojoint.persistence.models import PatientRecord
from hemojoint.persistence.repositories import Page
from hemojoint.services import audit, patients, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError

R = TypeVar("R", bound=Base)

# derive(session, patient, record, actor): fill derived columns from the domain; may raise.
Derive = Callable[[Session, PatientRecord, Any, Actor], None]


def _no_derivation(_session: Session, _patient: PatientRecord, _record: Any, _actor: Actor) -> None:
    return None


@dataclass(frozen=True)
class ChildKind(Generic[R]):
    """What the shared life cycle needs to know about one kind of child record."""

    entity: str
    model: type[R]
    record_type: RecordType | Callable[[Any], RecordType]
    read_schema: type[BaseModel]
    derive: Derive = _no_derivation
    order_by: Sequence[Any] = field(default_factory=tuple)

    def record_type_of(self, record: Any) -> RecordType:
        if isinstance(self.record_type, RecordType):
            return self.record_type
        return self.record_type(record)

    def render(self, record: Any) -> dict[str, Any]:
        return self.read_schema.model_validate(record).model_dump(mode="json")


def get(session: Session, actor: Actor, kind: ChildKind[R], *, record_id: int) -> R:
    record, _patient = _load(session, actor, kind, record_id)
    actor.require(Action.READ, kind.record_type_of(record))
    _audit(session, actor, kind, "read", record)
    return record


def list_for_patient(
    session: Session,
    actor: Actor,
    kind: ChildKind[R],
    *,
    patient_id: int,
    archived: bool = False,
    conditions: Sequence[ColumnElement[bool]] = (),
    offset: int = 0,
    limit: int = 50,
) -> Page:
    patients.get_visible(session, actor, patient_id)
    if isinstance(kind.record_type, RecordType):
        actor.require(Action.READ, kind.record_type)
    model: Any = kind.model
    archived_clause = model.archived_at.is_not(None) if archived else model.archived_at.is_(None)
    where = [model.patient_id == patient_id, archived_clause, *conditions]
    order = kind.order_by or (model.id,)
    page = repositories.page(session, kind.model, where, offset=offset, limit=limit, order_by=order)
    audit.record(
        session,
        actor,
        action="list",
        entity=kind.entity,
        patient_id=patient_id,
        detail={"returned_ids": [item.id for item in page.items]},
    )
    return page


def create(
    session: Session,
    actor: Actor,
    kind: ChildKind[R],
    *,
    patient_id: int,
    values: Mapping[str, Any],
) -> R:
    patient = patients.get_visible(session, actor, patient_id)
    record = kind.model(patient_id=patient.id, **values)
    actor.require(Action.WRITE, kind.record_type_of(record))
    with session.no_autoflush:  # a derive that queries must not flush a half-made change
        kind.derive(session, patient, record, actor)
    session.add(record)
    session.flush()
    _audit(session, actor, kind, "create", record)
    return record


def update(
    session: Session,
    actor: Actor,
    kind: ChildKind[R],
    *,
    record_id: int,
    version: int,
    changes: Mapping[str, Any],
) -> R:
    record, patient = _load(session, actor, kind, record_id)
    actor.require(Action.WRITE, kind.record_type_of(record))
    records.check_version(record, version, kind.render)  # type: ignore[arg-type]
    records.apply_changes(record, changes)
    actor.require(Action.WRITE, kind.record_type_of(record))  # a change may move its row
    with session.no_autoflush:  # a derive that queries must not flush a half-made change
        kind.derive(session, patient, record, actor)
    session.flush()
    _audit(session, actor, kind, "update", record, detail={"fields": sorted(changes)})
    return record


def set_archived(
    session: Session,
    actor: Actor,
    kind: ChildKind[R],
    *,
    record_id: int,
    version: int,
    reason: str | None,
) -> R:
    """Archive (with a reason) or restore (reason None)."""
    record, _patient = _load(session, actor, kind, record_id)
    actor.require(Action.WRITE, kind.record_type_of(record))
    records.check_version(record, version, kind.render)  # type: ignore[arg-type]
    records.set_archived(record, reason)  # type: ignore[arg-type]
    session.flush()
    _audit(session, actor, kind, "archive" if reason else "restore", record)
    return record


def _load(
    session: Session, actor: Actor, kind: ChildKind[R], record_id: int
) -> tuple[R, PatientRecord]:
    found = repositories.get_visible_child(session, actor.viewer, kind.model, record_id)
    if found is None:
        raise NotFoundError(kind.entity, record_id)
    return found


def _audit(
    session: Session,
    actor: Actor,
    kind: ChildKind[Any],
    action: str,
    record: Any,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=kind.entity,
        entity_id=record.id,
        patient_id=record.patient_id,
        detail=detail,
    )
