"""Patients: create, read, list with filters and pages, update, archive and restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hemojoint.domain.patients import HemophiliaType, Severity
from hemojoint.schemas.common import MAX_PAGE_SIZE, ArchiveRequest, PageOf, RestoreRequest
from hemojoint.schemas.patients import PatientCreate, PatientRead, PatientUpdate
from hemojoint.services import patients
from hemojoint.web.api.deps import CurrentActor, DbSession

router = APIRouter(prefix="/patients", tags=["patients"])

Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@router.get("")
def list_patients(
    actor: CurrentActor,
    session: DbSession,
    search: str | None = None,
    severity: Severity | None = None,
    hemophilia_type: HemophiliaType | None = None,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[PatientRead]:
    filters = patients.PatientFilters(
        search=search, severity=severity, hemophilia_type=hemophilia_type, archived=archived
    )
    page = patients.list_(session, actor, filters=filters, offset=offset, limit=limit)
    return PageOf.of(page, PatientRead.model_validate)


@router.post("", status_code=201)
def create_patient(body: PatientCreate, actor: CurrentActor, session: DbSession) -> PatientRead:
    return PatientRead.model_validate(patients.create(session, actor, data=body))


@router.get("/{patient_id}")
def get_patient(patient_id: int, actor: CurrentActor, session: DbSession) -> PatientRead:
    return PatientRead.model_validate(patients.get(session, actor, patient_id=patient_id))


@router.patch("/{patient_id}")
def update_patient(
    patient_id: int, body: PatientUpdate, actor: CurrentActor, session: DbSession
) -> PatientRead:
    record = patients.update(session, actor, patient_id=patient_id, data=body)
    return PatientRead.model_validate(record)


@router.post("/{patient_id}/archive")
def archive_patient(
    patient_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
) -> PatientRead:
    record = patients.set_archived(
        session, actor, patient_id=patient_id, version=body.version, reason=body.reason
    )
    return PatientRead.model_validate(record)


@router.post("/{patient_id}/restore")
def restore_patient(
    patient_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
) -> PatientRead:
    record = patients.set_archived(
        session, actor, patient_id=patient_id, version=body.version, reason=None
    )
    return PatientRead.model_validate(record)
