"""Errors of the use-case layer, mapped to HTTP statuses by the web layer.

DomainError
├── NotFoundError          404: absent, archived where not asked for, or out of the user's scope
├── PermissionDeniedError  403: the record is visible but this role may not do that
├── ConflictError          409: stale version, or a unique value already taken
└── AuthenticationError    401: no valid session or token, or wrong credentials
    └── TooManyAttemptsError 429: sign-in throttled
"""

from __future__ import annotations

from typing import Any

from hemojoint.domain.errors import DomainError


class NotFoundError(DomainError):
    code = "not_found"

    def __init__(self, entity: str, entity_id: object) -> None:
        self.entity = entity
        self.entity_id = entity_id
        super().__init__(f"{entity} {entity_id} was not found")


class PermissionDeniedError(DomainError):
    code = "forbidden"


class ConflictError(DomainError):
    """A write based on an old version, or a duplicate of a unique value."""

    code = "conflict"

    def __init__(self, message: str, *, current: dict[str, Any] | None = None) -> None:
        self.current = current
        super().__init__(message)


class AuthenticationError(DomainError):
    code = "unauthenticated"


class TooManyAttemptsError(AuthenticationError):
    code = "too_many_attempts"

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"too many failed sign-ins; try again in {retry_after_seconds} seconds")
