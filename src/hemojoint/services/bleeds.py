"""Bleeds of a patient: triage recomputed by the domain on every write, filters for lists.

The triage (REFERENCE.md section 4) is stored with the bleed so that a list can be
filtered by urgency; it is always recomputed from site and findings, never sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from hemojoint.domain.access import RecordType
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.triage import Urgency, triage_mapping
from hemojoint.persistence.models import BleedRecord, PatientRecord
from hemojoint.persistence.repositories import Page
from hemojoint.schemas.bleeds import BleedRead
from hemojoint.services import alerts, child_records
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind


def derive(session: Session, _patient: PatientRecord, record: BleedRecord, actor: Actor) -> None:
    """Check the dates, triage the report, stamp the first reporter, and raise its alert."""
    # In UTC as the database keeps them, so the response to a write equals a later read.
    record.started_at = record.started_at.astimezone(UTC)
    if record.treatment_ended_at is not None:
        record.treatment_ended_at = record.treatment_ended_at.astimezone(UTC)
    _check_dates(record)
    # The domain validates every finding code (unknown or repeated -> 422 naming it).
    result = triage_mapping({"site": record.site.value, "findings": list(record.findings)})
    record.triage = result.as_dict()
    record.urgency = result.urgency.value
    if record.reported_by_id is None:
        record.reported_by_id = actor.user_id
    # Last, once the record is complete: an emergency or urgent triage is routed to the
    # team in this same transaction (the brief: the flag goes to a person at once).
    alerts.raise_for_bleed(session, actor, record)


def _check_dates(record: BleedRecord) -> None:
    problems = []
    end = record.treatment_ended_at
    if end is not None and end < record.started_at:
        problems.append(
            FieldProblem.invalid(
                "treatment_ended_at",
                end.isoformat(),
                "on or after started_at",
                f"is before started_at {record.started_at.isoformat()}",
            )
        )
    problems.extend(_recovery_date_problems(record))
    if problems:
        raise InvalidInputError(problems)


def _recovery_date_problems(record: BleedRecord) -> list[FieldProblem]:
    recovered = record.neuropathy_recovery_date
    if recovered is None:
        return []
    field, value = "neuropathy_recovery_date", recovered.isoformat()
    if not record.femoral_neuropathy:
        why = "is given but femoral_neuropathy is false"
        return [FieldProblem.invalid(field, value, "only with femoral_neuropathy true", why)]
    started = record.started_at.date()
    if recovered < started:
        why = f"is before the bleed started ({started.isoformat()})"
        return [FieldProblem.invalid(field, value, f"on or after {started.isoformat()}", why)]
    return []


BLEEDS = ChildKind(
    entity="bleed",
    model=BleedRecord,
    record_type=RecordType.BLEED,
    read_schema=BleedRead,
    derive=derive,
    order_by=(BleedRecord.started_at.desc(), BleedRecord.id.desc()),
)


@dataclass(frozen=True)
class BleedFilters:
    site: BleedSite | None = None
    urgency: Urgency | None = None
    started_from: datetime | None = None  # inclusive
    started_before: datetime | None = None  # exclusive
    archived: bool = False

    def conditions(self) -> Sequence[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.site is not None:
            conditions.append(BleedRecord.site == self.site)
        if self.urgency is not None:
            conditions.append(BleedRecord.urgency == self.urgency.value)
        if self.started_from is not None:
            conditions.append(BleedRecord.started_at >= self.started_from)
        if self.started_before is not None:
            conditions.append(BleedRecord.started_at < self.started_before)
        return conditions


def list_(
    session: Session,
    actor: Actor,
    *,
    patient_id: int,
    filters: BleedFilters,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    return child_records.list_for_patient(
        session,
        actor,
        BLEEDS,
        patient_id=patient_id,
        archived=filters.archived,
        conditions=filters.conditions(),
        offset=offset,
        limit=limit,
    )
