"""Queries for administration: users, family links, API tokens, sessions and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import (
    ApiTokenRecord,
    AuditEntryRecord,
    CentreRecord,
    FamilyLinkRecord,
    PatientRecord,
    SessionRecord,
    UserRecord,
)
from hemojoint.persistence.repositories import Page, page


def get_centre_user(session: Session, centre_id: int, user_id: int) -> UserRecord | None:
    """A user of ``centre_id``; users of other centres are not found."""
    query = select(UserRecord).where(UserRecord.id == user_id, UserRecord.centre_id == centre_id)
    return session.scalars(query).one_or_none()


@dataclass(frozen=True)
class UserFilters:
    role: Role | None = None
    search: str | None = None
    archived: bool = False


def page_users(
    session: Session, centre_id: int, filters: UserFilters, *, offset: int, limit: int
) -> Page:
    archived = (
        UserRecord.archived_at.is_not(None)
        if filters.archived
        else UserRecord.archived_at.is_(None)
    )
    conditions: list[ColumnElement[bool]] = [UserRecord.centre_id == centre_id, archived]
    if filters.role is not None:
        conditions.append(UserRecord.role == filters.role)
    if filters.search:
        pattern = f"%{filters.search.lower()}%"
        conditions.append(
            or_(UserRecord.username.ilike(pattern), UserRecord.display_name.ilike(pattern))
        )
    order = [UserRecord.username, UserRecord.id]
    return page(session, UserRecord, conditions, offset=offset, limit=limit, order_by=order)


def find_centre_by_code(session: Session, code: str) -> CentreRecord | None:
    return session.scalars(select(CentreRecord).where(CentreRecord.code == code)).one_or_none()


def find_family_link(session: Session, user_id: int, patient_id: int) -> FamilyLinkRecord | None:
    query = select(FamilyLinkRecord).where(
        FamilyLinkRecord.user_id == user_id, FamilyLinkRecord.patient_id == patient_id
    )
    return session.scalars(query).one_or_none()


def page_family_links(
    session: Session, patient_id: int, *, revoked: bool, offset: int, limit: int
) -> Page:
    state = (
        FamilyLinkRecord.revoked_at.is_not(None)
        if revoked
        else FamilyLinkRecord.revoked_at.is_(None)
    )
    conditions = [FamilyLinkRecord.patient_id == patient_id, state]
    order = [FamilyLinkRecord.id]
    return page(session, FamilyLinkRecord, conditions, offset=offset, limit=limit, order_by=order)


def page_api_tokens(session: Session, user_id: int, *, offset: int, limit: int) -> Page:
    conditions = [ApiTokenRecord.user_id == user_id]
    order = [ApiTokenRecord.created_at.desc(), ApiTokenRecord.id.desc()]
    return page(session, ApiTokenRecord, conditions, offset=offset, limit=limit, order_by=order)


def get_own_api_token(session: Session, user_id: int, token_id: int) -> ApiTokenRecord | None:
    query = select(ApiTokenRecord).where(
        ApiTokenRecord.id == token_id, ApiTokenRecord.user_id == user_id
    )
    return session.scalars(query).one_or_none()


def revoke_sessions(session: Session, user_id: int, *, now: datetime) -> None:
    """End every live session of ``user_id`` (after a password change)."""
    session.execute(
        update(SessionRecord)
        .where(SessionRecord.user_id == user_id, SessionRecord.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_api_tokens(session: Session, user_id: int, *, now: datetime) -> None:
    """Revoke every token of ``user_id`` (when the account is archived)."""
    session.execute(
        update(ApiTokenRecord)
        .where(ApiTokenRecord.user_id == user_id, ApiTokenRecord.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class AuditFilters:
    patient_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    entity: str | None = None
    from_at: datetime | None = None
    to_at: datetime | None = None


def page_audit(
    session: Session, centre_id: int, filters: AuditFilters, *, offset: int, limit: int
) -> Page:
    """Entries by the centre's users or about its patients, newest first."""
    conditions = [_in_centre(centre_id), *_audit_conditions(filters)]
    order = [AuditEntryRecord.at.desc(), AuditEntryRecord.id.desc()]
    return page(session, AuditEntryRecord, conditions, offset=offset, limit=limit, order_by=order)


def _in_centre(centre_id: int) -> ColumnElement[bool]:
    users = select(UserRecord.id).where(UserRecord.centre_id == centre_id)
    patients = select(PatientRecord.id).where(PatientRecord.centre_id == centre_id)
    return or_(AuditEntryRecord.user_id.in_(users), AuditEntryRecord.patient_id.in_(patients))


def _audit_conditions(filters: AuditFilters) -> Sequence[ColumnElement[bool]]:
    entry = AuditEntryRecord
    conditions: list[ColumnElement[bool]] = []
    if filters.patient_id is not None:
        conditions.append(entry.patient_id == filters.patient_id)
    if filters.user_id is not None:
        conditions.append(entry.user_id == filters.user_id)
    if filters.action is not None:
        conditions.append(entry.action == filters.action)
    if filters.entity is not None:
        conditions.append(entry.entity == filters.entity)
    if filters.from_at is not None:
        conditions.append(entry.at >= filters.from_at)
    if filters.to_at is not None:  # half-open [from, to): consecutive windows never overlap
        conditions.append(entry.at < filters.to_at)
    return conditions
