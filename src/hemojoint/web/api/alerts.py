"""The alerts inbox: bleeds triaged emergency or urgent, acknowledged by a named clinician."""

from __future__ import annotations

from fastapi import APIRouter

from hemojoint.schemas.alerts import AlertAcknowledge, AlertRead, AlertStatus
from hemojoint.schemas.common import PageOf
from hemojoint.services import alerts
from hemojoint.web.api.child_routes import Limit, Offset
from hemojoint.web.api.deps import CurrentActor, DbSession, Now

router = APIRouter(tags=["alert"])


@router.get("/alerts")
def list_alerts(
    actor: CurrentActor,
    session: DbSession,
    status: AlertStatus = AlertStatus.OPEN,
    patient_id: int | None = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[AlertRead]:
    """Emergencies first, then urgent; newest first within each (the centre's children)."""
    page = alerts.list_alerts(
        session, actor, status=status, patient_id=patient_id, offset=offset, limit=limit
    )
    return PageOf.of(page, AlertRead.model_validate)


@router.get("/alerts/{alert_id}")
def get_alert(alert_id: int, actor: CurrentActor, session: DbSession) -> AlertRead:
    return AlertRead.model_validate(alerts.get(session, actor, alert_id=alert_id))


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge_alert(
    alert_id: int, body: AlertAcknowledge, actor: CurrentActor, session: DbSession, now: Now
) -> AlertRead:
    """Stamp the signed-in clinician as having seen the alert (409 if already acknowledged)."""
    record = alerts.acknowledge(
        session, actor, alert_id, version=body.version, note=body.note, now=now
    )
    return AlertRead.model_validate(record)
