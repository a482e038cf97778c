"""The audit trail: every read and write of patient data leaves an entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.services.actor import Actor


def record(
    session: Session,
    actor: Actor | None,
    *,
    action: str,
    entity: str,
    entity_id: int | None = None,
    patient_id: int | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    """Append one entry in the caller's transaction (so a rolled-back write leaves none)."""
    session.add(
        AuditEntryRecord(
            user_id=actor.user_id if actor else None,
            role=actor.role.value if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            patient_id=patient_id,
            address=actor.address if actor else address,
            detail=detail,
        )
    )
