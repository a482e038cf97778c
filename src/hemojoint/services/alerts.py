"""Triage alerts: a dangerous bleed is routed to a person at once, and a named clinician
acknowledges it.

The brief's rule: "Software that flags a dangerous bleed ... routes the flag to a person at
once". Every bleed write triages the report (``services.bleeds.derive``); when the urgency
is emergency or urgent, :func:`raise_for_bleed` makes sure an alert exists in the same
transaction. A later edit that makes the bleed more urgent updates the alert and clears its
acknowledgement (a new, worse flag needs a person again); a downgrade keeps the alert as it
was raised (history).

Scope and roles: an alert is seen by whoever may see the child's bleeds (404 otherwise),
then the ``alert`` row of the permission matrix decides (403): the centre's clinicians read,
those who treat the child acknowledge; families get their advice from the triage directly.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import AlertRecord, BleedRecord
from hemojoint.persistence.models.alerts import ALERT_URGENCIES, NOTE_MAX
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import alerts as queries
from hemojoint.schemas.alerts import AlertRead, AlertStatus
from hemojoint.services import audit, patients, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError

ENTITY = "alert"
_RANK = {urgency: rank for rank, urgency in enumerate(ALERT_URGENCIES)}  # 0 is the worst


def render(record: AlertRecord) -> dict[str, Any]:
    return AlertRead.model_validate(record).model_dump(mode="json")


# --- raising (a side effect of a bleed write, whoever wrote it) -----------------------------


def raise_for_bleed(
    session: Session, actor: Actor, bleed: BleedRecord, *, now: datetime | None = None
) -> AlertRecord | None:
    """Make sure a triaged bleed's alert exists and is as urgent as the bleed; return it.

    Called by every bleed write, in its transaction. No role check: a family reporting a
    bleed raises the alert for the team without being able to read the inbox.
    """
    is_new = bleed.id is None
    if is_new and bleed.urgency not in _RANK:
        return None  # a new routine report: nothing to route, nothing to look up
    session.add(bleed)
    session.flush()  # the bleed needs its id before the alert can name it
    existing = None if is_new else queries.for_bleed(session, bleed.id)
    if bleed.urgency not in _RANK:
        return existing  # downgraded to routine: the alert stays as raised (history)
    raised_at = now or datetime.now(UTC)
    if existing is None:
        return _new_alert(session, actor, bleed, raised_at)
    if _RANK[bleed.urgency] < _RANK[existing.urgency]:
        _escalate(session, actor, existing, bleed, raised_at)
    return existing


def _new_alert(
    session: Session, actor: Actor, bleed: BleedRecord, raised_at: datetime
) -> AlertRecord:
    alert = AlertRecord(
        patient_id=bleed.patient_id,
        bleed_id=bleed.id,
        urgency=bleed.urgency,
        reasons=_reasons(bleed),
        raised_at=raised_at,
    )
    session.add(alert)
    session.flush()
    _audit(session, actor, "raise", alert, {"bleed_id": bleed.id, "urgency": alert.urgency})
    return alert


def _escalate(
    session: Session, actor: Actor, alert: AlertRecord, bleed: BleedRecord, raised_at: datetime
) -> None:
    """A worse flag than the one acknowledged: back to open, with the new reasons."""
    detail = {"bleed_id": bleed.id, "from": alert.urgency, "to": bleed.urgency}
    alert.urgency = str(bleed.urgency)
    alert.reasons = _reasons(bleed)
    alert.raised_at = raised_at
    alert.acknowledged_by_id = None
    alert.acknowledged_at = None
    alert.acknowledgement_note = None
    session.flush()
    _audit(session, actor, "escalate", alert, detail)


def _reasons(bleed: BleedRecord) -> list[Any]:
    return list((bleed.triage or {}).get("reasons", []))


# --- the inbox ---------------------------------------------------------------------------


def list_alerts(
    session: Session,
    actor: Actor,
    *,
    status: AlertStatus | str = AlertStatus.OPEN,
    patient_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Alerts of the visible children: emergencies first, then urgent, newest first within."""
    chosen = _status(status)
    if patient_id is not None:
        patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.ALERT)
    page = queries.inbox(
        session,
        actor.viewer,
        status=chosen.value,
        patient_id=patient_id,
        offset=offset,
        limit=limit,
    )
    detail = {"status": chosen.value, "returned_ids": [item.id for item in page.items]}
    audit.record(session, actor, action="list", entity=ENTITY, patient_id=patient_id, detail=detail)
    return page


def _status(value: AlertStatus | str) -> AlertStatus:
    try:
        return AlertStatus(value)
    except ValueError:
        allowed = [member.value for member in AlertStatus]
        raise InvalidInputError.single(FieldProblem.not_one_of("status", value, allowed)) from None


def get(session: Session, actor: Actor, *, alert_id: int) -> AlertRecord:
    alert = _visible(session, actor, alert_id)
    actor.require(Action.READ, RecordType.ALERT)
    _audit(session, actor, "read", alert)
    return alert


def acknowledge(
    session: Session,
    actor: Actor,
    alert_id: int,
    *,
    version: int,
    note: str | None,
    now: datetime,
) -> AlertRecord:
    """Stamp the named clinician who has seen the alert (once; an escalation re-opens it)."""
    alert = _visible(session, actor, alert_id)
    actor.require(Action.WRITE, RecordType.ALERT)
    _refuse_if_acknowledged(alert)
    records.check_version(alert, version, render)
    alert.acknowledgement_note = _note(note)
    alert.acknowledged_by_id = actor.user_id
    alert.acknowledged_at = now
    session.flush()
    session.refresh(alert, ["acknowledged_by"])  # the named clinician, for the response
    _audit(session, actor, "acknowledge", alert, {"bleed_id": alert.bleed_id})
    return alert


def _refuse_if_acknowledged(alert: AlertRecord) -> None:
    # Before the version check: "someone already did it" is the clearer message.
    if alert.acknowledged_at is None:
        return
    who = alert.acknowledged_by.display_name if alert.acknowledged_by else "another user"
    raise ConflictError(
        f"alert {alert.id} was already acknowledged by {who} "
        f"at {alert.acknowledged_at.isoformat()}",
        current=render(alert),
    )


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        shown = f"{len(text)} characters"  # the value itself would flood the message
        why = f"is longer than {NOTE_MAX} characters"
        problem = FieldProblem.invalid("note", shown, f"at most {NOTE_MAX} characters", why)
        raise InvalidInputError.single(problem)
    return text or None


def _visible(session: Session, actor: Actor, alert_id: int) -> AlertRecord:
    """The alert if its child is visible to the actor; otherwise 404, as if absent."""
    found = repositories.get_visible_child(session, actor.viewer, AlertRecord, alert_id)
    if found is None:
        raise NotFoundError(ENTITY, alert_id)
    return found[0]


# --- badges ------------------------------------------------------------------------------


def open_alert_counts(session: Session, actor: Actor) -> dict[str, int]:
    """Open alerts of the visible children by urgency, both keys always present (nav badge).

    Not audited: a count names no child (the list it leads to is audited).
    """
    actor.require(Action.READ, RecordType.ALERT)
    counts = queries.open_counts(session, actor.viewer)
    return {urgency: counts.get(urgency, 0) for urgency in ALERT_URGENCIES}


def patients_with_open_alerts(
    session: Session, actor: Actor, patient_ids: Collection[int]
) -> dict[int, str]:
    """The most urgent open alert of each listed child the actor may see (list badges)."""
    actor.require(Action.READ, RecordType.ALERT)
    highest: dict[int, str] = {}
    for patient_id, urgency in queries.open_urgencies_by_patient(
        session, actor.viewer, patient_ids
    ):
        if patient_id not in highest or _RANK[urgency] < _RANK[highest[patient_id]]:
            highest[patient_id] = urgency
    if highest:
        detail = {"patient_ids": sorted(highest)}
        audit.record(session, actor, action="list", entity="alert_badge", detail=detail)
    return highest


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    alert: AlertRecord,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ENTITY,
        entity_id=alert.id,
        patient_id=alert.patient_id,
        detail=detail,
    )
