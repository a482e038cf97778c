"""Signing in and out, browser sessions, API tokens and sign-in throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    ApiTokenRecord,
    LoginAttemptRecord,
    SessionRecord,
    UserRecord,
)
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.services import audit
from hemojoint.services.actor import Actor
from hemojoint.services.errors import AuthenticationError, TooManyAttemptsError
from hemojoint.services.security import (
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from hemojoint.settings import Settings

WRONG_CREDENTIALS = "the username or password is wrong"
# argon2 hashes any length, but an unbounded password is a cheap way to burn CPU.
MAX_PASSWORD_LENGTH = 500


@dataclass(frozen=True)
class NewSession:
    """A freshly issued session: the cookie value is only ever seen here."""

    cookie_value: str
    csrf_token: str
    expires_at: datetime
    actor: Actor


def actor_for(user: UserRecord, address: str | None) -> Actor:
    return Actor(user_id=user.id, role=user.role, centre_id=user.centre_id, address=address)


def check_throttle(
    session: Session, settings: Settings, *, username: str, address: str, now: datetime
) -> None:
    """Refuse a sign-in when the account or the address has failed too often lately."""
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    by_account = repositories.count_failed_logins(session, since=since, username=username)
    by_address = repositories.count_failed_logins(session, since=since, address=address)
    if max(by_account, by_address) >= settings.login_max_failures:
        raise TooManyAttemptsError(int(window.total_seconds()))


def authenticate(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    address: str,
    now: datetime,
) -> UserRecord:
    """Return the user for these credentials, recording the attempt either way."""
    check_throttle(session, settings, username=username, address=address, now=now)
    user = repositories.find_user_by_username(session, username)
    usable = user is not None and not user.is_archived
    # Verify even for unknown users so timing does not reveal which usernames exist.
    password_ok = verify_password(user.password_hash if usable else dummy_hash(), password)  # type: ignore[union-attr]
    succeeded = usable and password_ok
    session.add(
        LoginAttemptRecord(
            username=username, address=address, attempted_at=now, succeeded=succeeded
        )
    )
    if not succeeded or user is None:
        audit.record(
            session,
            None,
            action="login_failed",
            entity="user",
            address=address,
            detail={"username": username},
        )
        raise AuthenticationError(WRONG_CREDENTIALS)
    return user


def start_session(
    session: Session, settings: Settings, *, user: UserRecord, address: str, now: datetime
) -> NewSession:
    """Issue a brand-new session id (never reuse one from before sign-in: no fixation)."""
    cookie_value, csrf_token = new_token(), new_token()
    expires_at = now + timedelta(hours=settings.session_hours)
    session.add(
        SessionRecord(
            token_hash=token_digest(cookie_value),
            csrf_token=csrf_token,
            user_id=user.id,
            created_at=now,
            expires_at=expires_at,
            address=address,
        )
    )
    actor = actor_for(user, address)
    audit.record(session, actor, action="login", entity="user", entity_id=user.id)
    return NewSession(cookie_value, csrf_token, expires_at, actor)


def end_session(session: Session, *, cookie_value: str, now: datetime) -> None:
    record = repositories.find_session(session, token_digest(cookie_value))
    if record is not None and record.revoked_at is None:
        record.revoked_at = now


def resolve_session(
    session: Session, *, cookie_value: str, address: str | None, now: datetime
) -> tuple[Actor, SessionRecord]:
    record = repositories.find_session(session, token_digest(cookie_value))
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        raise AuthenticationError("the session has ended; sign in again")
    return _active_actor(session, record.user_id, address), record


def resolve_token(session: Session, *, token: str, address: str | None, now: datetime) -> Actor:
    record = repositories.find_api_token(session, token_digest(token))
    if record is None or record.revoked_at is not None:
        raise AuthenticationError("the API token is not valid")
    record.last_used_at = now
    return _active_actor(session, record.user_id, address)


def _active_actor(session: Session, user_id: int, address: str | None) -> Actor:
    user = repositories.get_by_id(session, UserRecord, user_id)
    if user is None or user.is_archived:
        raise AuthenticationError("the account is no longer active")
    return actor_for(user, address)


@dataclass(frozen=True)
class NewApiToken:
    token: str
    record: ApiTokenRecord


def create_api_token(session: Session, *, user: UserRecord, name: str) -> NewApiToken:
    """Issue a token for scripts; the plain value is returned once and never stored."""
    token = new_token()
    record = ApiTokenRecord(
        token_hash=token_digest(token), prefix=token[:8], name=name, user_id=user.id
    )
    session.add(record)
    session.flush()
    return NewApiToken(token, record)


def change_password(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
) -> UserRecord:
    """Re-hash the password after checking the current one, and end every session.

    A wrong current password counts as a failed sign-in: otherwise a stolen
    session could guess the password without ever meeting the throttle. Every
    session ends (the caller issues a fresh one), so a session an attacker may
    hold dies with the old password. API tokens are managed on their own.
    """
    check_password_policy("new_password", new_password)
    user = repositories.get_by_id(session, UserRecord, actor.user_id)
    if user is None:
        raise AuthenticationError("the account is no longer active")
    address = actor.address or "unknown"
    check_throttle(session, settings, username=user.username, address=address, now=now)
    if not verify_password(user.password_hash, current_password):
        session.add(
            LoginAttemptRecord(
                username=user.username, address=address, attempted_at=now, succeeded=False
            )
        )
        raise _password_problem("current_password", "your current password", "is wrong")
    if new_password == current_password:
        raise _password_problem("new_password", "a new password", "is the same as the current one")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    admin_queries.revoke_sessions(session, user.id, now=now)
    audit.record(session, actor, action="password_change", entity="user", entity_id=user.id)
    return user


def _password_problem(field: str, allowed: str, why: str) -> InvalidInputError:
    # The value is never echoed back: it is a password.
    return InvalidInputError.single(FieldProblem(field, None, allowed, f"{field}: {why}"))


def check_password_policy(field: str, password: str) -> None:
    """At least ``MIN_PASSWORD_LENGTH`` (10) characters; the value is never echoed in the error."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        allowed = f"at least {MIN_PASSWORD_LENGTH} and at most {MAX_PASSWORD_LENGTH} characters"
        raise _password_problem(field, allowed, f"has {len(password)} characters; use {allowed}")
