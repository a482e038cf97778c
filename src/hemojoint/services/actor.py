"""Who is acting: the signed-in user as the services see them."""

from __future__ import annotations

from dataclasses import dataclass

from hemojoint.domain.access import Action, RecordType, Role, is_allowed
from hemojoint.persistence.repositories import Viewer
from hemojoint.services.errors import PermissionDeniedError


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    centre_id: int
    address: str | None = None

    @property
    def viewer(self) -> Viewer:
        return Viewer(user_id=self.user_id, role=self.role, centre_id=self.centre_id)

    def require(self, action: Action, record_type: RecordType) -> None:
        """Refuse with 403 when the role may never do this (scope is checked separately)."""
        if not is_allowed(self.role, action, record_type):
            raise PermissionDeniedError(
                f"role {self.role.value} may not {action.value} {record_type.value} records"
            )
