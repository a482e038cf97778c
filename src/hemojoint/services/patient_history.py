"""Weights and inhibitor results: plain child records stamped with who recorded them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import RecordType
from hemojoint.persistence.models import InhibitorResultRecord, PatientRecord, WeightRecord
from hemojoint.schemas.patient_history import InhibitorResultRead, WeightRead
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind


def stamp_recorder(_session: Session, _patient: PatientRecord, record: Any, actor: Actor) -> None:
    """The first writer is the recorder; later edits are in the audit log."""
    if record.recorded_by_id is None:
        record.recorded_by_id = actor.user_id


WEIGHTS = ChildKind(
    entity="weight",
    model=WeightRecord,
    record_type=RecordType.WEIGHT,
    read_schema=WeightRead,
    derive=stamp_recorder,
    order_by=(WeightRecord.measured_date.desc(), WeightRecord.id.desc()),
)

INHIBITOR_RESULTS = ChildKind(
    entity="inhibitor_result",
    model=InhibitorResultRecord,
    record_type=RecordType.INHIBITOR,
    read_schema=InhibitorResultRead,
    derive=stamp_recorder,
    order_by=(InhibitorResultRecord.sample_date.desc(), InhibitorResultRecord.id.desc()),
)
