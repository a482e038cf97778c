"""Triage alerts raised by bleed writes, the inbox order, acknowledgement and badges.

Expected urgencies come from REFERENCE.md section 4 (not from running the triage):
- groin pain with a femoral nerve sign (thigh numbness) is an emergency;
- groin pain and a hip held flexed without nerve signs: a suspected iliopsoas bleed, urgent;
- a joint site with joint swelling: a joint bleed, urgent (the family is told to contact the
  centre today, so the team gets the flag);
- a skin bleed without red flags: routine, no alert.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.errors import InvalidInputError
from hemojoint.persistence.models import AlertRecord, AuditEntryRecord, BleedRecord, UserRecord
from hemojoint.schemas.bleeds import BleedCreate
from hemojoint.services import alerts, child_records
from hemojoint.services.actor import Actor
from hemojoint.services.bleeds import BLEEDS
from hemojoint.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from tests.support.builders import create_centre, create_patient, create_user, link_family

NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
EMERGENCY = {"site": "other", "findings": ["groin_pain", "thigh_numbness"]}
ILIOPSOAS_NO_NERVE_SIGNS = {"site": "left_iliopsoas", "findings": ["groin_pain", "hip_held_flexed"]}
JOINT = {"site": "left_knee", "findings": ["joint_swelling"]}
ROUTINE = {"site": "skin", "findings": []}


def _actor(user: UserRecord) -> Actor:
    return Actor(user_id=user.id, role=user.role, centre_id=user.centre_id)


def _report(db: Session, actor: Actor, patient_id: int, report: dict[str, Any], day: int = 5):
    data = BleedCreate(
        site=report["site"],
        bleed_type="spontaneous",
        started_at=datetime(2026, 3, day, 10, tzinfo=UTC),
        findings=report["findings"],
    )
    values = data.model_dump()
    return child_records.create(db, actor, BLEEDS, patient_id=patient_id, values=values)


def _edit(db: Session, actor: Actor, bleed: BleedRecord, findings: list[str]) -> BleedRecord:
    return child_records.update(
        db, actor, BLEEDS, record_id=bleed.id, version=bleed.version, changes={"findings": findings}
    )


def _alert_of(db: Session, bleed: BleedRecord) -> AlertRecord | None:
    return db.scalars(select(AlertRecord).where(AlertRecord.bleed_id == bleed.id)).one_or_none()


@pytest.fixture
def scene(db: Session) -> dict[str, Any]:
    centre = create_centre(db)
    patient = create_patient(db, centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    return {
        "centre": centre,
        "patient": patient,
        "parent": _actor(parent),
        "hematologist": _actor(create_user(db, role=Role.HEMATOLOGIST, centre=centre)),
    }


def test_groin_pain_with_thigh_numbness_reported_by_a_parent_raises_an_emergency(db, scene):
    bleed = _report(db, scene["parent"], scene["patient"].id, EMERGENCY)
    alert = _alert_of(db, bleed)
    assert alert is not None
    assert (alert.urgency, alert.patient_id, alert.is_open) == (
        "emergency",
        scene["patient"].id,
        True,
    )
    # REFERENCE.md section 4: femoral nerve signs make it an iliopsoas emergency.
    assert next(reason["code"] for reason in alert.reasons) == "iliopsoas_with_femoral_nerve_signs"
    raised = db.scalars(
        select(AuditEntryRecord).where(
            AuditEntryRecord.entity == "alert", AuditEntryRecord.action == "raise"
        )
    ).one()
    assert (raised.entity_id, raised.user_id) == (alert.id, scene["parent"].user_id)
    assert raised.detail == {"bleed_id": bleed.id, "urgency": "emergency"}


def test_a_routine_report_raises_no_alert(db, scene):
    bleed = _report(db, scene["parent"], scene["patient"].id, ROUTINE)
    assert bleed.urgency == "routine"
    assert _alert_of(db, bleed) is None


def test_a_joint_bleed_is_urgent_and_routed(db, scene):
    bleed = _report(db, scene["parent"], scene["patient"].id, JOINT)
    alert = _alert_of(db, bleed)
    assert alert is not None
    assert alert.urgency == "urgent"


def test_a_refused_bleed_leaves_no_alert(db, scene):
    values = BleedCreate(
        site="left_thigh",
        bleed_type="spontaneous",
        started_at=datetime(2026, 3, 5, 10, tzinfo=UTC),
        findings=["thigh_numbness", "not_a_finding"],
    ).model_dump()
    with pytest.raises(InvalidInputError, match="not_a_finding"):
        child_records.create(
            db, scene["parent"], BLEEDS, patient_id=scene["patient"].id, values=values
        )
    assert db.scalars(select(AlertRecord)).all() == []


def test_an_upgrade_reopens_the_alert_and_a_downgrade_keeps_it(db, scene):
    doctor, patient_id = scene["hematologist"], scene["patient"].id
    bleed = _report(db, scene["parent"], patient_id, ILIOPSOAS_NO_NERVE_SIGNS)
    alert = _alert_of(db, bleed)
    assert alert is not None
    assert alert.urgency == "urgent"
    alerts.acknowledge(db, doctor, alert.id, version=alert.version, note="seen", now=NOW)
    # The thigh goes numb: the triage text itself says it then becomes an emergency.
    bleed = _edit(db, scene["parent"], bleed, ["groin_pain", "hip_held_flexed", "thigh_numbness"])
    again = _alert_of(db, bleed)
    assert again is not None
    assert again.id == alert.id
    assert (again.urgency, again.is_open, again.acknowledged_by_id) == ("emergency", True, None)
    assert again.acknowledgement_note is None
    # Back to nothing worrying: the alert is history, unchanged.
    bleed = _edit(db, scene["parent"], bleed, [])
    kept = _alert_of(db, bleed)
    assert kept is not None
    assert (kept.urgency, kept.is_open) == ("emergency", True)


def test_a_same_level_edit_keeps_the_acknowledgement(db, scene):
    doctor = scene["hematologist"]
    bleed = _report(db, scene["parent"], scene["patient"].id, JOINT)
    alert = _alert_of(db, bleed)
    assert alert is not None
    alerts.acknowledge(db, doctor, alert.id, version=alert.version, note=None, now=NOW)
    _edit(db, scene["parent"], bleed, ["joint_swelling", "joint_pain"])
    assert alert.acknowledged_by_id == doctor.user_id


def test_inbox_puts_emergencies_first_then_newest(db, scene):
    patient_id = scene["patient"].id
    urgent_old = _alert_of(db, _report(db, scene["parent"], patient_id, JOINT, day=1))
    emergency_old = _alert_of(db, _report(db, scene["parent"], patient_id, EMERGENCY, day=2))
    urgent_new = _alert_of(db, _report(db, scene["parent"], patient_id, JOINT, day=3))
    emergency_new = _alert_of(db, _report(db, scene["parent"], patient_id, EMERGENCY, day=4))
    assert None not in (urgent_old, emergency_old, urgent_new, emergency_new)
    for hours, alert in enumerate((urgent_old, emergency_old, urgent_new, emergency_new)):
        alert.raised_at = datetime(2026, 3, 5, 8 + hours, tzinfo=UTC)  # type: ignore[union-attr]
    db.flush()
    page = alerts.list_alerts(db, scene["hematologist"])
    expected = [emergency_new, emergency_old, urgent_new, urgent_old]
    assert [item.id for item in page.items] == [alert.id for alert in expected]  # type: ignore[union-attr]
    assert page.total == 4


def test_status_filters_and_badges(db, scene):
    doctor, patient = scene["hematologist"], scene["patient"]
    emergency = _alert_of(db, _report(db, scene["parent"], patient.id, EMERGENCY))
    urgent = _alert_of(db, _report(db, scene["parent"], patient.id, JOINT))
    assert emergency is not None
    assert urgent is not None
    assert alerts.open_alert_counts(db, doctor) == {"emergency": 1, "urgent": 1}
    assert alerts.patients_with_open_alerts(db, doctor, [patient.id]) == {patient.id: "emergency"}
    alerts.acknowledge(db, doctor, emergency.id, version=emergency.version, note="ok", now=NOW)
    assert alerts.open_alert_counts(db, doctor) == {"emergency": 0, "urgent": 1}
    assert alerts.patients_with_open_alerts(db, doctor, [patient.id]) == {patient.id: "urgent"}
    acknowledged = alerts.list_alerts(db, doctor, status="acknowledged")
    assert [item.id for item in acknowledged.items] == [emergency.id]
    assert alerts.list_alerts(db, doctor, status="all").total == 2


def test_badges_ignore_children_outside_scope(db, scene):
    _report(db, scene["parent"], scene["patient"].id, EMERGENCY)
    other = create_user(db, role=Role.NURSE, centre=create_centre(db))
    assert alerts.open_alert_counts(db, _actor(other)) == {"emergency": 0, "urgent": 0}
    assert alerts.patients_with_open_alerts(db, _actor(other), [scene["patient"].id]) == {}


def test_acknowledge_stamps_the_named_clinician_once(db, scene):
    doctor = scene["hematologist"]
    alert = _alert_of(db, _report(db, scene["parent"], scene["patient"].id, EMERGENCY))
    assert alert is not None
    done = alerts.acknowledge(db, doctor, alert.id, version=1, note=" Sent to ED ", now=NOW)
    assert (done.acknowledged_by_id, done.acknowledged_at, done.acknowledgement_note) == (
        doctor.user_id,
        NOW,
        "Sent to ED",
    )
    assert done.acknowledged_by is not None
    assert done.acknowledged_by.role is Role.HEMATOLOGIST
    name = done.acknowledged_by.display_name
    with pytest.raises(ConflictError, match=f"already acknowledged by {name}"):
        alerts.acknowledge(db, doctor, alert.id, version=done.version, note=None, now=NOW)


def test_a_stale_version_is_a_conflict(db, scene):
    alert = _alert_of(db, _report(db, scene["parent"], scene["patient"].id, EMERGENCY))
    assert alert is not None
    with pytest.raises(ConflictError, match="version 7 is stale"):
        alerts.acknowledge(db, scene["hematologist"], alert.id, version=7, note=None, now=NOW)


def test_bad_status_and_long_note_name_the_field(db, scene):
    doctor = scene["hematologist"]
    with pytest.raises(InvalidInputError, match="status") as refused:
        alerts.list_alerts(db, doctor, status="closed")
    assert refused.value.problems[0].field == "status"
    alert = _alert_of(db, _report(db, scene["parent"], scene["patient"].id, EMERGENCY))
    assert alert is not None
    # The column holds 1000 characters (the brief: "acknowledgement_note (<=1000 chars)").
    with pytest.raises(InvalidInputError, match="note: '1001 characters' is longer than 1000"):
        alerts.acknowledge(db, doctor, alert.id, version=1, note="x" * 1001, now=NOW)
    assert alert.is_open


def test_scope_then_role(db, scene):
    alert = _alert_of(db, _report(db, scene["parent"], scene["patient"].id, EMERGENCY))
    assert alert is not None
    elsewhere = _actor(create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db)))
    with pytest.raises(NotFoundError, match=f"alert {alert.id} was not found"):
        alerts.acknowledge(db, elsewhere, alert.id, version=1, note=None, now=NOW)
    with pytest.raises(PermissionDeniedError, match="caregiver may not write alert"):
        alerts.acknowledge(db, scene["parent"], alert.id, version=1, note=None, now=NOW)
    sonographer = _actor(create_user(db, role=Role.SONOGRAPHER, centre=scene["centre"]))
    assert alerts.list_alerts(db, sonographer).total == 1  # reads, may not acknowledge
    with pytest.raises(PermissionDeniedError, match="sonographer may not write alert"):
        alerts.acknowledge(db, sonographer, alert.id, version=1, note=None, now=NOW)
    with pytest.raises(PermissionDeniedError, match="caregiver may not read alert"):
        alerts.open_alert_counts(db, scene["parent"])
