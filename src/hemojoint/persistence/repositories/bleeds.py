"""Queries about bleeds. Nothing commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import BleedRecord


def get_patient_bleed(session: Session, patient_id: int, bleed_id: int) -> BleedRecord | None:
    """The bleed ``bleed_id`` if it belongs to ``patient_id`` (else None, as if absent)."""
    query = select(BleedRecord).where(
        BleedRecord.id == bleed_id, BleedRecord.patient_id == patient_id
    )
    return session.scalars(query).one_or_none()
