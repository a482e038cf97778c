"""Builders for products, weights and bleeds (the records prophylaxis tests lean on)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.triage import triage_mapping
from hemojoint.persistence.models import (
    BleedRecord,
    CentreRecord,
    PatientRecord,
    ProductRecord,
    UserRecord,
    WeightRecord,
)

_numbers = itertools.count(1)


def create_product(session: Session, centre: CentreRecord, **overrides: Any) -> ProductRecord:
    """A factor VIII product in 250/500/1000 IU vials with the default FVIII recovery (2.0)."""
    values: dict[str, Any] = {
        "name": f"Factor VIII {next(_numbers)}",
        "factor": "VIII",
        "vial_sizes_iu": [250, 500, 1000],
        "recovery_iu_dl_per_iu_kg": 2.0,
    } | overrides
    product = ProductRecord(centre_id=centre.id, **values)
    session.add(product)
    session.flush()
    return product


def create_weight(
    session: Session,
    patient: PatientRecord,
    recorder: UserRecord,
    *,
    measured_date: date,
    weight_kg: float,
) -> WeightRecord:
    weight = WeightRecord(
        patient_id=patient.id,
        measured_date=measured_date,
        weight_kg=weight_kg,
        recorded_by_id=recorder.id,
    )
    session.add(weight)
    session.flush()
    return weight


def create_bleed(
    session: Session, patient: PatientRecord, reporter: UserRecord, **overrides: Any
) -> BleedRecord:
    """A spontaneous left-knee bleed, triaged by the domain like the service does."""
    values: dict[str, Any] = {
        "site": BleedSite.LEFT_KNEE,
        "bleed_type": BleedType.SPONTANEOUS,
        "started_at": datetime(2026, 2, 10, 8, 0, tzinfo=UTC),
        "findings": ["joint_swelling"],
    } | overrides
    result = triage_mapping({"site": values["site"].value, "findings": values["findings"]})
    bleed = BleedRecord(
        patient_id=patient.id,
        reported_by_id=reporter.id,
        triage=result.as_dict(),
        urgency=result.urgency.value,
        **values,
    )
    session.add(bleed)
    session.flush()
    return bleed
