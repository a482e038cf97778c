"""People of a centre, managed by its admins: create, list, change role or name, archive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.persistence import repositories
from hemojoint.persistence.models import UserRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.persistence.repositories.admin import UserFilters
from hemojoint.schemas.admin import UserCreate, UserRead, UserUpdate
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.auth import check_password_policy
from hemojoint.services.errors import ConflictError, NotFoundError
from hemojoint.services.security import hash_password

ENTITY = "user"


def render(record: UserRecord) -> dict[str, Any]:
    return UserRead.model_validate(record).model_dump(mode="json")


def get_in_centre(session: Session, centre_id: int, user_id: int) -> UserRecord:
    """A user of ``centre_id``; another centre's user is 404, exactly as a missing one."""
    user = admin_queries.get_centre_user(session, centre_id, user_id)
    if user is None:
        raise NotFoundError(ENTITY, user_id)
    return user


def get(session: Session, actor: Actor, *, user_id: int) -> UserRecord:
    user = get_in_centre(session, actor.centre_id, user_id)
    actor.require(Action.READ, RecordType.USER)
    return user


def list_(session: Session, actor: Actor, *, filters: UserFilters, offset: int, limit: int) -> Page:
    actor.require(Action.READ, RecordType.USER)
    return admin_queries.page_users(session, actor.centre_id, filters, offset=offset, limit=limit)


def create(session: Session, actor: Actor, *, data: UserCreate) -> UserRecord:
    """A new user of the admin's own centre; the password is stored only as an argon2id hash."""
    actor.require(Action.WRITE, RecordType.USER)
    check_password_policy("password", data.password)
    if repositories.find_user_by_username(session, data.username) is not None:
        raise ConflictError(f"username {data.username!r} is already taken")
    user = UserRecord(
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        centre_id=actor.centre_id,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    session.flush()
    _audit(session, actor, "create", user, detail={"role": user.role.value})
    return user


def update(session: Session, actor: Actor, *, user_id: int, data: UserUpdate) -> UserRecord:
    user = get_in_centre(session, actor.centre_id, user_id)
    actor.require(Action.WRITE, RecordType.USER)
    records.check_version(user, data.version, render)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "role" in changes and changes["role"] is not user.role:
        _refuse_own_account(actor, user, "change your own role")
    records.apply_changes(user, changes)
    session.flush()
    _audit(session, actor, "update", user, detail={"fields": sorted(changes)})
    return user


def set_archived(
    session: Session,
    actor: Actor,
    *,
    user_id: int,
    version: int,
    reason: str | None,
    now: datetime,
) -> UserRecord:
    """Archive (with a reason) or restore (reason None) a user.

    Archiving ends the user's sessions and revokes their tokens at once; a
    restored user signs in afresh and issues new tokens.
    """
    user = get_in_centre(session, actor.centre_id, user_id)
    actor.require(Action.WRITE, RecordType.USER)
    records.check_version(user, version, render)
    if reason is None:
        records.restore(user)
    else:
        _refuse_own_account(actor, user, "archive your own account")
        records.archive(user, reason=reason, now=now)
        admin_queries.revoke_sessions(session, user.id, now=now)
        admin_queries.revoke_api_tokens(session, user.id, now=now)
    session.flush()
    _audit(session, actor, "restore" if reason is None else "archive", user)
    return user


def _refuse_own_account(actor: Actor, user: UserRecord, what: str) -> None:
    # Otherwise the last admin of a centre could lock everyone out of administration.
    if user.id == actor.user_id:
        raise ConflictError(f"you cannot {what}; ask another admin")


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    user: UserRecord,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(session, actor, action=action, entity=ENTITY, entity_id=user.id, detail=detail)
