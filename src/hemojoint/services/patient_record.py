"""A patient's full record: everything in the chart the actor may read, in one read.

Scope first (a patient out of scope is 404, as if absent), then the role must
read patients at all (403). Each section is then included only when the matrix
lets the role read its record type; assessments are filtered row by row, since
their record type depends on the instrument. One query per section, never per
row, and one audit entry for the whole read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hemojoint.domain.access import (
    Action,
    RecordType,
    Role,
    assessment_record_types,
    is_allowed,
    record_type_for_instrument,
)
from hemojoint.persistence.base import Base
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    ConsentRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    RegimenRecord,
    WeightRecord,
)
from hemojoint.persistence.repositories import patient_record as queries
from hemojoint.schemas.patient_record import SECTION_ITEMS
from hemojoint.services import audit, patients
from hemojoint.services.actor import Actor

# Ten years of prophylaxis is about 1,500 infusions: list the recent ones, count them all.
INFUSIONS_LIMIT = 200


@dataclass(frozen=True)
class Section:
    name: str
    model: type[Base]
    record_type: RecordType | None  # None: decided per row (assessments)
    newest_first: tuple[str, ...]
    limit: int | None = None


SECTIONS = (
    Section("weights", WeightRecord, RecordType.WEIGHT, ("measured_date",)),
    Section("inhibitor_results", InhibitorResultRecord, RecordType.INHIBITOR, ("sample_date",)),
    Section("assessments", AssessmentRecord, None, ("assessed_date",)),
    Section("bleeds", BleedRecord, RecordType.BLEED, ("started_at",)),
    Section("infusions", InfusionRecord, RecordType.INFUSION, ("given_at",), INFUSIONS_LIMIT),
    Section("regimens", RegimenRecord, RecordType.REGIMEN, ("start_date",)),
    Section("consents", ConsentRecord, RecordType.CONSENT, ("given_date",)),
)


@dataclass(frozen=True)
class FullRecord:
    patient: PatientRecord
    sections: dict[str, Sequence[Row[Any]]]
    counts: dict[str, int]
    infusions_limit: int = INFUSIONS_LIMIT


def get(session: Session, actor: Actor, *, patient_id: int) -> FullRecord:
    patient = patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.PATIENT)
    sections: dict[str, Sequence[Row[Any]]] = {}
    counts: dict[str, int] = {}
    for section in SECTIONS:
        if not _may_read_section(actor.role, section):
            continue
        rows = _load(session, actor.role, section, patient.id)
        sections[section.name] = rows
        counts[section.name] = _count(session, section, patient.id, rows)
    audit.record(
        session,
        actor,
        action="read_record",
        entity=patients.ENTITY,
        entity_id=patient.id,
        patient_id=patient.id,
        detail={"sections": sorted(sections)},
    )
    return FullRecord(patient=patient, sections=sections, counts=counts)


def _may_read_section(role: Role, section: Section) -> bool:
    if section.record_type is None:
        return any(_instrument_types(role))
    return is_allowed(role, Action.READ, section.record_type)


def _instrument_types(role: Role) -> list[RecordType]:
    """The assessment record types this role may read."""
    return sorted(kind for kind in assessment_record_types() if is_allowed(role, Action.READ, kind))


def _load(session: Session, role: Role, section: Section, patient_id: int) -> Sequence[Row[Any]]:
    rows = queries.newest_rows(
        session,
        section.model,
        list(SECTION_ITEMS[section.name].model_fields),
        patient_id=patient_id,
        newest_first=section.newest_first,
        limit=section.limit,
    )
    if section.record_type is None:
        return [row for row in rows if _may_read_assessment(role, row.instrument_code)]
    return rows


def _may_read_assessment(role: Role, instrument_code: str) -> bool:
    try:
        record_type = record_type_for_instrument(instrument_code)
    except KeyError:  # an instrument the matrix does not know: show it to no one
        return False
    return is_allowed(role, Action.READ, record_type)


def _count(session: Session, section: Section, patient_id: int, rows: Sequence[Any]) -> int:
    if section.limit is None or len(rows) < section.limit:  # every active row was loaded
        return len(rows)
    return queries.count_rows(session, section.model, patient_id=patient_id)
