"""Registering children and keeping their record; severity always comes from the domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.patients import HemophiliaType, Severity, severity_from_factor_activity
from hemojoint.persistence import repositories
from hemojoint.persistence.models import PatientRecord
from hemojoint.persistence.repositories import Page
from hemojoint.schemas.patients import PatientCreate, PatientRead, PatientUpdate
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError

ENTITY = "patient"


def render(record: PatientRecord) -> dict[str, Any]:
    return PatientRead.model_validate(record).model_dump(mode="json")


def get_visible(session: Session, actor: Actor, patient_id: int) -> PatientRecord:
    """The patient if ``actor`` may see them; otherwise 404, exactly as if absent."""
    record = repositories.get_visible_patient(session, actor.viewer, patient_id)
    if record is None:
        raise NotFoundError(ENTITY, patient_id)
    return record


def get(session: Session, actor: Actor, *, patient_id: int) -> PatientRecord:
    record = get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.PATIENT)
    audit.record(
        session, actor, action="read", entity=ENTITY, entity_id=record.id, patient_id=record.id
    )
    return record


@dataclass(frozen=True)
class PatientFilters:
    search: str | None = None
    severity: Severity | None = None
    hemophilia_type: HemophiliaType | None = None
    archived: bool = False


def list_(
    session: Session, actor: Actor, *, filters: PatientFilters, offset: int, limit: int
) -> Page:
    actor.require(Action.READ, RecordType.PATIENT)
    conditions = list_conditions(actor, filters)
    page = repositories.page(
        session,
        PatientRecord,
        conditions,
        offset=offset,
        limit=limit,
        order_by=[PatientRecord.family_name, PatientRecord.id],
    )
    audit.record(
        session,
        actor,
        action="list",
        entity=ENTITY,
        detail={"returned_ids": [item.id for item in page.items]},
    )
    return page


def list_conditions(actor: Actor, filters: PatientFilters) -> Sequence[ColumnElement[bool]]:
    archived = (
        PatientRecord.archived_at.is_not(None)
        if filters.archived
        else PatientRecord.archived_at.is_(None)
    )
    conditions: list[ColumnElement[bool]] = [
        PatientRecord.id.in_(repositories.visible_patient_ids(actor.viewer)),
        archived,
    ]
    if filters.severity is not None:
        conditions.append(PatientRecord.severity == filters.severity)
    if filters.hemophilia_type is not None:
        conditions.append(PatientRecord.hemophilia_type == filters.hemophilia_type)
    if filters.search:
        pattern = f"%{filters.search.lower()}%"
        conditions.append(
            or_(
                *(
                    column.ilike(pattern)
                    for column in (
                        PatientRecord.record_number,
                        PatientRecord.given_name,
                        PatientRecord.family_name,
                    )
                )
            )
        )
    return conditions


def create(session: Session, actor: Actor, *, data: PatientCreate) -> PatientRecord:
    actor.require(Action.WRITE, RecordType.PATIENT)
    _refuse_duplicate_record_number(session, actor.centre_id, data.record_number)
    record = PatientRecord(
        centre_id=actor.centre_id,
        **data.model_dump(),
        severity=severity_from_factor_activity(data.factor_activity_iu_dl),
    )
    session.add(record)
    session.flush()
    audit.record(
        session, actor, action="create", entity=ENTITY, entity_id=record.id, patient_id=record.id
    )
    return record


def update(
    session: Session, actor: Actor, *, patient_id: int, data: PatientUpdate
) -> PatientRecord:
    record = get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.PATIENT)
    records.check_version(record, data.version, render)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "record_number" in changes and changes["record_number"] != record.record_number:
        _refuse_duplicate_record_number(session, record.centre_id, changes["record_number"])
    records.apply_changes(record, changes)
    record.severity = severity_from_factor_activity(record.factor_activity_iu_dl)
    session.flush()
    audit.record(
        session,
        actor,
        action="update",
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.id,
        detail={"fields": sorted(changes)},
    )
    return record


def set_archived(
    session: Session, actor: Actor, *, patient_id: int, version: int, reason: str | None
) -> PatientRecord:
    """Archive (with a reason) or restore (reason None) a patient."""
    record = get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.PATIENT)
    records.check_version(record, version, render)
    records.set_archived(record, reason)
    session.flush()
    audit.record(
        session,
        actor,
        action="restore" if reason is None else "archive",
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.id,
    )
    return record


def _refuse_duplicate_record_number(session: Session, centre_id: int, record_number: str) -> None:
    if repositories.find_patient_by_record_number(session, centre_id, record_number) is not None:
        raise ConflictError(f"record_number {record_number!r} is already used in this centre")
