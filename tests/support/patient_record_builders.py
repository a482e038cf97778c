"""Builders for the records of a patient's chart, saved straight through the ORM.

They skip the write services on purpose: the full-record tests are about reading,
and a chart needs rows of every kind (including ones no single role may write).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.persistence.base import Base
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    CentreRecord,
    ConsentRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    ProductRecord,
    RegimenRecord,
    UserRecord,
    WeightRecord,
)

R = TypeVar("R", bound=Base)


def _save(session: Session, record: R) -> R:
    session.add(record)
    session.flush()
    return record


def create_product(session: Session, centre: CentreRecord, **overrides: Any) -> ProductRecord:
    values = {
        "name": "Synthetic FVIII",
        "factor": "VIII",
        "vial_sizes_iu": [250, 500, 1000],
        "recovery_iu_dl_per_iu_kg": 2.0,
    } | overrides
    return _save(session, ProductRecord(centre_id=centre.id, **values))


def create_weight(
    session: Session, patient: PatientRecord, by: UserRecord, measured: date, kg: float
) -> WeightRecord:
    record = WeightRecord(
        patient_id=patient.id, measured_date=measured, weight_kg=kg, recorded_by_id=by.id
    )
    return _save(session, record)


def create_inhibitor_result(
    session: Session, patient: PatientRecord, by: UserRecord, sampled: date, **overrides: Any
) -> InhibitorResultRecord:
    values = {"titre_bu_ml": 0.0, "positive": False} | overrides
    record = InhibitorResultRecord(
        patient_id=patient.id, sample_date=sampled, recorded_by_id=by.id, **values
    )
    return _save(session, record)


def create_assessment(
    session: Session, patient: PatientRecord, by: UserRecord, assessed: date, **overrides: Any
) -> AssessmentRecord:
    values = {
        "instrument_code": "hjhs",
        "instrument_version": "2.1",
        "instrument_status": "verified",
        "timepoint": "baseline",
        "raw": {"items": "not shown in the full record"},
        "result": {"total": 7},
        "total": 7.0,
    } | overrides
    record = AssessmentRecord(
        patient_id=patient.id, assessor_id=by.id, assessed_date=assessed, **values
    )
    return _save(session, record)


def create_bleed(
    session: Session, patient: PatientRecord, by: UserRecord, started: datetime, **overrides: Any
) -> BleedRecord:
    values = {
        "site": BleedSite.LEFT_KNEE,
        "bleed_type": BleedType.SPONTANEOUS,
        "urgency": "urgent",
    } | overrides
    record = BleedRecord(patient_id=patient.id, reported_by_id=by.id, started_at=started, **values)
    return _save(session, record)


def make_infusion(
    patient: PatientRecord, product: ProductRecord, by: UserRecord, given: datetime
) -> InfusionRecord:
    return InfusionRecord(
        patient_id=patient.id,
        product_id=product.id,
        given_at=given,
        dose_iu=1000,
        dose_iu_per_kg=40.0,
        reason="prophylaxis",
        recorded_by_id=by.id,
    )


def create_regimen(
    session: Session, patient: PatientRecord, product: ProductRecord, by: UserRecord, start: date
) -> RegimenRecord:
    record = RegimenRecord(
        patient_id=patient.id,
        product_id=product.id,
        dose_iu=1000,
        dose_iu_per_kg=40.0,
        infusions_per_week=3,
        weekdays=["monday", "wednesday", "friday"],
        start_date=start,
        prescribed_by_id=by.id,
    )
    return _save(session, record)


def create_consent(
    session: Session, patient: PatientRecord, given: date, kind: str = "registry"
) -> ConsentRecord:
    record = ConsentRecord(patient_id=patient.id, kind=kind, given_by="mother", given_date=given)
    return _save(session, record)


def at(day: str, hour: int = 8) -> datetime:
    """A UTC instant on an ISO date, for readable test tables."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
