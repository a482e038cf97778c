"""Administration: users, family links, the centre, API tokens, passwords and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hemojoint.domain.access import Role
from hemojoint.schemas.common import RecordRead, Strict, VersionedUpdate

# Passwords carry no length constraints here on purpose: a schema violation is
# reported with the input echoed back, and a password must never be. The service
# checks the policy (services.auth.check_password_policy) and answers the same 422.
PASSWORD_RULE = "at least 10 and at most 500 characters"


class Relationship(StrEnum):
    """How a family user is related to the child they are linked to."""

    PARENT = "parent"
    GUARDIAN = "guardian"
    SELF = "self"


class UserCreate(Strict):
    username: str = Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(description=PASSWORD_RULE)


class UserUpdate(VersionedUpdate):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None


class UserRead(RecordRead):
    """A user as admins see them: never the password hash."""

    username: str
    display_name: str
    role: Role
    centre_id: int
    password_changed_at: datetime
    archived_reason: str | None = None


class FamilyLinkCreate(Strict):
    user_id: int = Field(ge=1, description="a caregiver- or patient-role user of this centre")
    relationship: Relationship


class FamilyLinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    patient_id: int
    relationship: Relationship
    created_at: datetime
    updated_at: datetime
    revoked_at: datetime | None


class CentreRead(RecordRead):
    code: str
    name: str
    contact_line: str | None


class CentreUpdate(VersionedUpdate):
    code: str | None = Field(default=None, min_length=1, max_length=40)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    contact_line: str | None = Field(
        default=None,
        min_length=1,
        max_length=120,
        description="the number families call, e.g. '+86 10 1234 5678 (24 h)'",
    )


class ApiTokenCreate(Strict):
    name: str = Field(min_length=1, max_length=120, description="what the token is for")


class ApiTokenRead(BaseModel):
    """A token as listed: its first characters identify it; the secret is never shown again."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenIssued(ApiTokenRead):
    token: str = Field(description="the secret, shown only in this response")


class PasswordChange(Strict):
    current_password: str
    new_password: str = Field(description=PASSWORD_RULE)


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    user_id: int | None
    role: str | None
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None
    address: str | None
    detail: dict[str, Any] | None


class PermissionRow(BaseModel):
    """One row of the permission matrix: who may read and who may write a kind of record."""

    record_type: str
    read: list[Role]
    write: list[Role]
