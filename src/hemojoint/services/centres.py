"""The signed-in user's centre: anyone may read it; admins change its code and name."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence import repositories
from hemojoint.persistence.models import CentreRecord
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.schemas.admin import CentreRead, CentreUpdate
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError, PermissionDeniedError

ENTITY = "centre"


def render(record: CentreRecord) -> dict[str, Any]:
    return CentreRead.model_validate(record).model_dump(mode="json")


def get_current(session: Session, actor: Actor) -> CentreRecord:
    centre = repositories.get_by_id(session, CentreRecord, actor.centre_id)
    if centre is None:  # the foreign key makes this impossible; say so plainly if it happens
        raise NotFoundError(ENTITY, actor.centre_id)
    return centre


def update_current(session: Session, actor: Actor, *, data: CentreUpdate) -> CentreRecord:
    # The permission matrix has no row for centres (they are not records of a patient);
    # changing one is administration, which only admins do.
    if actor.role is not Role.ADMIN:
        raise PermissionDeniedError(f"role {actor.role.value} may not change the centre")
    centre = get_current(session, actor)
    records.check_version(centre, data.version, render)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    code = changes.get("code")
    if code not in (None, centre.code) and admin_queries.find_centre_by_code(session, code):
        raise ConflictError(f"centre code {code!r} is already used")
    records.apply_changes(centre, changes)
    session.flush()
    audit.record(
        session,
        actor,
        action="update",
        entity=ENTITY,
        entity_id=centre.id,
        detail={"fields": sorted(changes)},
    )
    return centre
