"""Queries for triage alerts: the inbox, counts for badges, the alert of a bleed. Nothing commits.

Every query is limited to the patients a viewer may see (same scope as their bleeds).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from hemojoint.persistence.models import AlertRecord
from hemojoint.persistence.repositories import Page, Viewer, page, visible_patient_ids

# The inbox order: emergencies first, then urgent; newest first within each.
_URGENCY_RANK = case((AlertRecord.urgency == "emergency", 0), else_=1)
INBOX_ORDER: Sequence[Any] = (_URGENCY_RANK, AlertRecord.raised_at.desc(), AlertRecord.id.desc())


def for_bleed(session: Session, bleed_id: int) -> AlertRecord | None:
    query = select(AlertRecord).where(AlertRecord.bleed_id == bleed_id)
    return session.scalars(query).one_or_none()


def status_condition(status: str) -> list[ColumnElement[bool]]:
    """``open``, ``acknowledged`` or ``all`` (the service has checked the value)."""
    if status == "open":
        return [AlertRecord.acknowledged_at.is_(None)]
    if status == "acknowledged":
        return [AlertRecord.acknowledged_at.is_not(None)]
    return []


def inbox(
    session: Session,
    viewer: Viewer,
    *,
    status: str,
    patient_id: int | None,
    offset: int,
    limit: int,
) -> Page:
    conditions: list[ColumnElement[bool]] = [
        AlertRecord.patient_id.in_(visible_patient_ids(viewer))
    ]
    conditions += status_condition(status)
    if patient_id is not None:
        conditions.append(AlertRecord.patient_id == patient_id)
    return page(session, AlertRecord, conditions, offset=offset, limit=limit, order_by=INBOX_ORDER)


def open_counts(session: Session, viewer: Viewer) -> dict[str, int]:
    """Open alerts of the visible patients, counted by urgency (absent urgencies left out)."""
    query = (
        select(AlertRecord.urgency, func.count())
        .where(
            AlertRecord.acknowledged_at.is_(None),
            AlertRecord.patient_id.in_(visible_patient_ids(viewer)),
        )
        .group_by(AlertRecord.urgency)
    )
    return dict(session.execute(query).all())


def open_urgencies_by_patient(
    session: Session, viewer: Viewer, patient_ids: Collection[int]
) -> list[tuple[int, str]]:
    """Distinct (patient id, urgency) of open alerts among ``patient_ids`` the viewer sees."""
    query = (
        select(AlertRecord.patient_id, AlertRecord.urgency)
        .where(
            AlertRecord.acknowledged_at.is_(None),
            AlertRecord.patient_id.in_(list(patient_ids)),
            AlertRecord.patient_id.in_(visible_patient_ids(viewer)),
        )
        .distinct()
    )
    return [(patient_id, urgency) for patient_id, urgency in session.execute(query)]


def open_alerts(session: Session, viewer: Viewer) -> Sequence[AlertRecord]:
    """Every open alert of the visible patients, in inbox order."""
    query = select(AlertRecord).where(
        AlertRecord.acknowledged_at.is_(None),
        AlertRecord.patient_id.in_(visible_patient_ids(viewer)),
    )
    return session.scalars(query.order_by(*INBOX_ORDER)).all()
