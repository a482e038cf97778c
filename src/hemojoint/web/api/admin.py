"""Administration: users, family links, the current centre, the audit log, the permission matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from hemojoint.domain.access import Role
from hemojoint.persistence.repositories.admin import AuditFilters, UserFilters
from hemojoint.schemas.admin import (
    AuditEntryRead,
    CentreRead,
    CentreUpdate,
    FamilyLinkCreate,
    FamilyLinkRead,
    PermissionRow,
    UserCreate,
    UserRead,
    UserUpdate,
)
from hemojoint.schemas.common import MAX_PAGE_SIZE, ArchiveRequest, PageOf, RestoreRequest
from hemojoint.services import audit_log, centres, family_links, permissions, users
from hemojoint.web.api.deps import CurrentActor, DbSession, Now

router = APIRouter()

Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@router.get("/users", tags=["users"])
def list_users(
    actor: CurrentActor,
    session: DbSession,
    role: Role | None = None,
    search: str | None = None,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[UserRead]:
    filters = UserFilters(role=role, search=search, archived=archived)
    page = users.list_(session, actor, filters=filters, offset=offset, limit=limit)
    return PageOf.of(page, UserRead.model_validate)


@router.post("/users", status_code=201, tags=["users"])
def create_user(body: UserCreate, actor: CurrentActor, session: DbSession) -> UserRead:
    return UserRead.model_validate(users.create(session, actor, data=body))


@router.get("/users/{user_id}", tags=["users"])
def get_user(user_id: int, actor: CurrentActor, session: DbSession) -> UserRead:
    return UserRead.model_validate(users.get(session, actor, user_id=user_id))


@router.patch("/users/{user_id}", tags=["users"])
def update_user(
    user_id: int, body: UserUpdate, actor: CurrentActor, session: DbSession
) -> UserRead:
    return UserRead.model_validate(users.update(session, actor, user_id=user_id, data=body))


@router.post("/users/{user_id}/archive", tags=["users"])
def archive_user(
    user_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession, moment: Now
) -> UserRead:
    record = users.set_archived(
        session, actor, user_id=user_id, version=body.version, reason=body.reason, now=moment
    )
    return UserRead.model_validate(record)


@router.post("/users/{user_id}/restore", tags=["users"])
def restore_user(
    user_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession, moment: Now
) -> UserRead:
    record = users.set_archived(
        session, actor, user_id=user_id, version=body.version, reason=None, now=moment
    )
    return UserRead.model_validate(record)


@router.get("/patients/{patient_id}/family-links", tags=["family links"])
def list_family_links(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    revoked: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[FamilyLinkRead]:
    page = family_links.list_for_patient(
        session, actor, patient_id=patient_id, revoked=revoked, offset=offset, limit=limit
    )
    return PageOf.of(page, FamilyLinkRead.model_validate)


@router.post("/patients/{patient_id}/family-links", status_code=201, tags=["family links"])
def create_family_link(
    patient_id: int, body: FamilyLinkCreate, actor: CurrentActor, session: DbSession
) -> FamilyLinkRead:
    record = family_links.link(session, actor, patient_id=patient_id, data=body)
    return FamilyLinkRead.model_validate(record)


@router.post("/family-links/{link_id}/revoke", tags=["family links"])
def revoke_family_link(
    link_id: int, actor: CurrentActor, session: DbSession, moment: Now
) -> FamilyLinkRead:
    record = family_links.revoke(session, actor, link_id=link_id, now=moment)
    return FamilyLinkRead.model_validate(record)


@router.get("/centres/current", tags=["centres"])
def get_current_centre(actor: CurrentActor, session: DbSession) -> CentreRead:
    return CentreRead.model_validate(centres.get_current(session, actor))


@router.patch("/centres/current", tags=["centres"])
def update_current_centre(
    body: CentreUpdate, actor: CurrentActor, session: DbSession
) -> CentreRead:
    return CentreRead.model_validate(centres.update_current(session, actor, data=body))


# Read-only on purpose: there is no route that edits or deletes an entry, and the
# database refuses UPDATE and DELETE on audit_log (triggers in the first migration).
@router.get("/audit", tags=["audit"])
def list_audit_entries(
    actor: CurrentActor,
    session: DbSession,
    patient_id: int | None = None,
    user_id: int | None = None,
    action: str | None = None,
    entity: str | None = None,
    from_at: Annotated[
        AwareDatetime | None, Query(alias="from", description="entries at or after this instant")
    ] = None,
    to_at: Annotated[
        AwareDatetime | None, Query(alias="to", description="entries before this instant")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[AuditEntryRead]:
    filters = AuditFilters(
        patient_id=patient_id,
        user_id=user_id,
        action=action,
        entity=entity,
        from_at=from_at,
        to_at=to_at,
    )
    page = audit_log.query(session, actor, filters=filters, offset=offset, limit=limit)
    return PageOf.of(page, AuditEntryRead.model_validate)


@router.get("/permissions", tags=["permissions"])
def get_permission_matrix(_actor: CurrentActor) -> list[PermissionRow]:
    """Who may read and write each kind of record (scope applies on top)."""
    return permissions.rows()
