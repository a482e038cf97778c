"""Reading the audit trail: admins query their own centre's entries. Nothing edits it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.persistence.repositories.admin import AuditFilters
from hemojoint.services import audit
from hemojoint.services.actor import Actor


def query(
    session: Session, actor: Actor, *, filters: AuditFilters, offset: int, limit: int
) -> Page:
    """Entries by the centre's users or about its patients, newest first.

    Reading the trail is itself recorded: who looked at whose history matters too.
    """
    actor.require(Action.READ, RecordType.AUDIT)
    page = admin_queries.page_audit(session, actor.centre_id, filters, offset=offset, limit=limit)
    audit.record(
        session,
        actor,
        action="list",
        entity="audit",
        detail={"filters": _described(filters), "returned": len(page.items)},
    )
    return page


def _described(filters: AuditFilters) -> dict[str, object]:
    values = {
        "patient_id": filters.patient_id,
        "user_id": filters.user_id,
        "action": filters.action,
        "entity": filters.entity,
        "from": filters.from_at.isoformat() if filters.from_at else None,
        "to": filters.to_at.isoformat() if filters.to_at else None,
    }
    return {name: value for name, value in values.items() if value is not None}
