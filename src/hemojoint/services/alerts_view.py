"""What the alerts inbox shows: each alert with its child's name and record number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hemojoint.persistence.models import AlertRecord
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import patient_list as queries
from hemojoint.services import alerts
from hemojoint.services.actor import Actor


@dataclass(frozen=True)
class InboxRow:
    alert: AlertRecord
    patient_name: str
    record_number: str


def inbox(
    session: Session, actor: Actor, *, status: str, offset: int, limit: int
) -> tuple[Page, list[InboxRow]]:
    """The audited alert list (emergencies first) with one name lookup for the whole page."""
    page = alerts.list_alerts(session, actor, status=status, offset=offset, limit=limit)
    items: Sequence[AlertRecord] = page.items
    names = queries.patient_labels(session, actor.viewer, {alert.patient_id for alert in items})
    rows = [InboxRow(alert, *names[alert.patient_id]) for alert in items]
    return page, rows
