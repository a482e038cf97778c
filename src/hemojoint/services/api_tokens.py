"""Self-service API tokens: each user issues, lists and revokes only their own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hemojoint.persistence import repositories
from hemojoint.persistence.models import ApiTokenRecord, UserRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.services import audit, auth
from hemojoint.services.actor import Actor
from hemojoint.services.errors import AuthenticationError, ConflictError, NotFoundError

ENTITY = "api_token"


def issue(session: Session, actor: Actor, *, name: str) -> auth.NewApiToken:
    user = repositories.get_by_id(session, UserRecord, actor.user_id)
    if user is None:
        raise AuthenticationError("the account is no longer active")
    issued = auth.create_api_token(session, user=user, name=name)
    audit.record(session, actor, action="create", entity=ENTITY, entity_id=issued.record.id)
    return issued


def list_own(session: Session, actor: Actor, *, offset: int, limit: int) -> Page:
    return admin_queries.page_api_tokens(session, actor.user_id, offset=offset, limit=limit)


def revoke(session: Session, actor: Actor, *, token_id: int, now: datetime) -> ApiTokenRecord:
    """Revoke one of the actor's tokens; anyone else's is not found, as if absent."""
    record = admin_queries.get_own_api_token(session, actor.user_id, token_id)
    if record is None:
        raise NotFoundError(ENTITY, token_id)
    if record.revoked_at is not None:
        raise ConflictError("the token is already revoked")
    record.revoked_at = now
    session.flush()
    audit.record(session, actor, action="revoke", entity=ENTITY, entity_id=record.id)
    return record
