"""Triage alerts for tests: a bleed with the triage the domain gives it, and its alert."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.models import AlertRecord, PatientRecord, UserRecord
from tests.support.prophylaxis_builders import create_bleed

# REFERENCE.md section 4: groin pain with femoral nerve signs (thigh numbness) is an emergency.
ILIOPSOAS_WITH_NERVE_SIGNS: dict[str, Any] = {
    "site": BleedSite.LEFT_ILIOPSOAS,
    "findings": ["groin_pain", "hip_held_flexed", "thigh_numbness"],
}


def create_alert(
    session: Session,
    patient: PatientRecord,
    reporter: UserRecord,
    *,
    raised_at: datetime = datetime(2026, 3, 6, 9, 0, tzinfo=UTC),
    **bleed_overrides: Any,
) -> AlertRecord:
    """An open alert for a new bleed (an iliopsoas bleed with nerve signs unless overridden)."""
    bleed = create_bleed(
        session, patient, reporter, **(ILIOPSOAS_WITH_NERVE_SIGNS | bleed_overrides)
    )
    assert bleed.triage is not None
    assert bleed.urgency in ("emergency", "urgent")
    alert = AlertRecord(
        patient_id=patient.id,
        bleed_id=bleed.id,
        urgency=bleed.urgency,
        reasons=bleed.triage["reasons"],
        raised_at=raised_at,
    )
    session.add(alert)
    session.flush()
    return alert
