"""Setting up a registry from the command line: centres and the first users.

These run without a signed-in actor (there may be no user yet), so the audit
entries they leave name no user and carry ``address="cli"``; whoever can run the
command already has the database in hand.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.errors import DomainError, FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import CentreRecord, UserRecord
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.services import audit
from hemojoint.services.auth import check_password_policy
from hemojoint.services.errors import ConflictError, NotFoundError
from hemojoint.services.security import hash_password

CLI_ADDRESS = "cli"


class OperationRefusedError(DomainError):
    """An operation that would be unsafe here (e.g. restoring over existing data)."""

    code = "operation_refused"


def centre_by_code(session: Session, code: str) -> CentreRecord:
    centre = admin_queries.find_centre_by_code(session, code)
    if centre is None:
        raise NotFoundError("centre", code)
    return centre


def create_centre(
    session: Session, *, code: str, name: str, contact_line: str | None = None
) -> CentreRecord:
    if admin_queries.find_centre_by_code(session, code) is not None:
        raise ConflictError(f"centre code {code!r} is already used")
    _check_contact_line(contact_line)
    centre = CentreRecord(code=code, name=name, contact_line=contact_line)
    session.add(centre)
    session.flush()
    audit.record(
        session, None, action="create", entity="centre", entity_id=centre.id, address=CLI_ADDRESS
    )
    return centre


CONTACT_LINE_MAX = 120


def _check_contact_line(line: str | None) -> None:
    if line is not None and not 1 <= len(line) <= CONTACT_LINE_MAX:
        allowed = f"1-{CONTACT_LINE_MAX} characters"
        why = f"has {len(line)} characters"
        problem = FieldProblem.invalid("contact_line", line[:40], allowed, why)
        raise InvalidInputError.single(problem)


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    centre_code: str,
    password: str,
) -> UserRecord:
    """A user of ``centre_code``; the password is checked, then stored only as an argon2id hash."""
    _check_password(password)
    centre = centre_by_code(session, centre_code)
    if repositories.find_user_by_username(session, username) is not None:
        raise ConflictError(f"username {username!r} is already taken")
    user = UserRecord(
        username=username,
        display_name=display_name,
        role=role,
        centre_id=centre.id,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        None,
        action="create",
        entity="user",
        entity_id=user.id,
        address=CLI_ADDRESS,
        detail={"username": username, "role": role.value, "centre": centre.code},
    )
    return user


def _check_password(password: str) -> None:
    check_password_policy("password", password)  # the same rule as the API
