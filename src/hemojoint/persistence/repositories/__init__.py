"""Every query the services need, one module per noun (common ones here). Nothing commits.

Visibility lives here too, as SQL: a user sees patients of their own centre
(staff) or the children they are linked to (family). Services ask for records
"as seen by" an actor, so an out-of-scope record is simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.base import Base
from hemojoint.persistence.models import (
    ApiTokenRecord,
    FamilyLinkRecord,
    LoginAttemptRecord,
    PatientRecord,
    SessionRecord,
    UserRecord,
)

R = TypeVar("R", bound=Base)


@dataclass(frozen=True)
class Viewer:
    """The part of an actor that decides what they can see."""

    user_id: int
    role: Role
    centre_id: int


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    total: int
    offset: int
    limit: int


def visible_patient_ids(viewer: Viewer) -> Select[int]:
    """Subquery of the patient ids ``viewer`` may see."""
    if viewer.role.is_family:
        return select(FamilyLinkRecord.patient_id).where(
            FamilyLinkRecord.user_id == viewer.user_id, FamilyLinkRecord.revoked_at.is_(None)
        )
    return select(PatientRecord.id).where(PatientRecord.centre_id == viewer.centre_id)


def get_visible_patient(session: Session, viewer: Viewer, patient_id: int) -> PatientRecord | None:
    query = select(PatientRecord).where(
        PatientRecord.id == patient_id, PatientRecord.id.in_(visible_patient_ids(viewer))
    )
    return session.scalars(query).one_or_none()


def get_by_id(session: Session, model: type[R], record_id: int) -> R | None:
    return session.get(model, record_id)


def get_visible_child(
    session: Session, viewer: Viewer, model: type[R], record_id: int
) -> tuple[R, PatientRecord] | None:
    """A record that belongs to a patient, with that patient, if ``viewer`` may see them."""
    record = session.get(model, record_id)
    patient_id = getattr(record, "patient_id", None)
    if record is None or patient_id is None:
        return None
    patient = get_visible_patient(session, viewer, patient_id)
    return None if patient is None else (record, patient)


def page(
    session: Session,
    model: type[R],
    conditions: Sequence[ColumnElement[bool]],
    *,
    offset: int,
    limit: int,
    order_by: Sequence[Any],
) -> Page:
    """One page of ``model`` rows matching ``conditions``, with the total count."""
    where = select(model).where(*conditions)
    total = session.scalar(select(func.count()).select_from(where.subquery())) or 0
    items = session.scalars(where.order_by(*order_by).offset(offset).limit(limit)).all()
    return Page(items=items, total=total, offset=offset, limit=limit)


def find_user_by_username(session: Session, username: str) -> UserRecord | None:
    return session.scalars(select(UserRecord).where(UserRecord.username == username)).one_or_none()


def find_session(session: Session, token_hash: str) -> SessionRecord | None:
    query = select(SessionRecord).where(SessionRecord.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def find_api_token(session: Session, token_hash: str) -> ApiTokenRecord | None:
    query = select(ApiTokenRecord).where(ApiTokenRecord.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def count_failed_logins(
    session: Session, *, since: datetime, username: str | None = None, address: str | None = None
) -> int:
    query = select(func.count()).where(
        LoginAttemptRecord.succeeded.is_(False), LoginAttemptRecord.attempted_at >= since
    )
    if username is not None:
        query = query.where(LoginAttemptRecord.username == username)
    if address is not None:
        query = query.where(LoginAttemptRecord.address == address)
    return session.scalar(query) or 0


def find_patient_by_record_number(
    session: Session, centre_id: int, record_number: str
) -> PatientRecord | None:
    query = select(PatientRecord).where(
        PatientRecord.centre_id == centre_id, PatientRecord.record_number == record_number
    )
    return session.scalars(query).one_or_none()
