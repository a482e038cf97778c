"""Recording and amending assessments; every result is computed by the domain, never sent.

An assessment is a child record of its patient (shared life cycle in
:mod:`.child_records`) with two rules of its own:

- on every write the raw item responses are re-scored by the instrument's scorer
  and the result, headline total, instrument version and status are stored with it;
- a change is an amendment: the previous state is copied to the amendment history
  (who, when, why) before the new one is applied, so nothing is overwritten.

The permission row comes from the instrument (``record_type_for_instrument``):
sonographers write ultrasound, therapists HJHS, nurses CHO-KLAT, and so on.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, record_type_for_instrument
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.instruments import hjhs
from hemojoint.domain.instruments.base import Scorer, ScoreResult
from hemojoint.persistence.models import (
    AssessmentAmendmentRecord,
    AssessmentRecord,
    PatientRecord,
)
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import assessments as repository
from hemojoint.schemas.assessments import (
    AssessmentAmend,
    AssessmentCreate,
    AssessmentRead,
    Timepoint,
)
from hemojoint.services import audit, child_records, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError

ENTITY = "assessment"
AMENDMENT_ENTITY = "assessment_amendment"

# Instrument code -> scorer, as built by ``hemojoint.catalog.instrument_catalog``.
Catalog = Mapping[str, Scorer]

# The registry asks more of some instruments than the CLI does: an HJHS item entered
# as not evaluable must say why (REFERENCE.md section 3, "HJHS 2.1").
_REGISTRY_SCORERS: Mapping[str, Callable[[Mapping[str, Any]], ScoreResult]] = {
    hjhs.INFO.code: lambda raw: hjhs.score(hjhs.parse_input(raw, require_ne_reason=True)),
}


def _record_type(record: AssessmentRecord) -> RecordType:
    return record_type_for_instrument(record.instrument_code)


# For reading, listing and archiving; writes use ``_writing_kind`` (it needs the catalog).
ASSESSMENTS = child_records.ChildKind(
    entity=ENTITY,
    model=AssessmentRecord,
    record_type=_record_type,
    read_schema=AssessmentRead,
    order_by=(AssessmentRecord.assessed_date.desc(), AssessmentRecord.id.desc()),
)


def _writing_kind(catalog: Catalog) -> child_records.ChildKind[AssessmentRecord]:
    return dataclasses.replace(
        ASSESSMENTS,
        record_type=partial(_known_record_type, catalog),
        derive=partial(_score_into, catalog),
    )


def _known_record_type(catalog: Catalog, record: AssessmentRecord) -> RecordType:
    if record.instrument_code not in catalog:
        problem = FieldProblem.not_one_of("instrument_code", record.instrument_code, catalog)
        raise InvalidInputError.single(problem)
    return _record_type(record)


def _score_into(
    catalog: Catalog, _session: Session, _patient: PatientRecord, record: Any, actor: Actor
) -> None:
    """Re-score ``record.raw`` and store the result with the instrument that produced it."""
    code = record.instrument_code
    result = score_raw(catalog, code, record.raw)
    info = catalog[code].info
    record.instrument_version = info.version
    record.instrument_status = info.status.value
    record.result = result
    record.total = headline_total(result)
    if record.assessor_id is None:
        record.assessor_id = actor.user_id


def score_raw(catalog: Catalog, code: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Score ``raw`` exactly as the registry stores it (entry forms preview with this)."""
    scorer = _REGISTRY_SCORERS.get(code, catalog[code].score_mapping)
    return scorer(raw).as_dict()


def headline_total(result: Mapping[str, Any]) -> float | None:
    """The number a list shows: ``total`` for most instruments, CHO-KLAT's ``score``.

    None when the instrument has neither or could not compute it (e.g. HJHS with NE).
    """
    value = result.get("total", result.get("score"))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def create(
    session: Session, actor: Actor, *, catalog: Catalog, patient_id: int, data: AssessmentCreate
) -> AssessmentRecord:
    return child_records.create(
        session, actor, _writing_kind(catalog), patient_id=patient_id, values=data.model_dump()
    )


def get(session: Session, actor: Actor, *, assessment_id: int) -> AssessmentRecord:
    return child_records.get(session, actor, ASSESSMENTS, record_id=assessment_id)


@dataclass(frozen=True)
class AssessmentFilters:
    instrument_code: str | None = None
    timepoint: Timepoint | None = None
    assessed_from: date | None = None
    assessed_to: date | None = None
    archived: bool = False


def list_(
    session: Session,
    actor: Actor,
    *,
    catalog: Catalog,
    patient_id: int,
    filters: AssessmentFilters,
    offset: int,
    limit: int,
) -> Page:
    _check_filters(catalog, filters)
    conditions = repository.filter_conditions(
        instrument_code=filters.instrument_code,
        timepoint=filters.timepoint,
        assessed_from=filters.assessed_from,
        assessed_to=filters.assessed_to,
    )
    return child_records.list_for_patient(
        session,
        actor,
        ASSESSMENTS,
        patient_id=patient_id,
        archived=filters.archived,
        conditions=conditions,
        offset=offset,
        limit=limit,
    )


def _check_filters(catalog: Catalog, filters: AssessmentFilters) -> None:
    """A filter that can never match is a mistake: say so rather than return nothing."""
    problems = []
    code = filters.instrument_code
    if code is not None and code not in catalog:
        problems.append(FieldProblem.not_one_of("instrument", code, catalog))
    start, end = filters.assessed_from, filters.assessed_to
    if start is not None and end is not None and end < start:
        allowed = f"on or after assessed_from ({start.isoformat()})"
        why = f"is before assessed_from {start.isoformat()}"
        problems.append(FieldProblem.invalid("assessed_to", end.isoformat(), allowed, why))
    if problems:
        raise InvalidInputError(problems)


def amend(
    session: Session,
    actor: Actor,
    *,
    catalog: Catalog,
    assessment_id: int,
    data: AssessmentAmend,
) -> AssessmentRecord:
    """Keep the current state as history, then apply the change and re-score.

    Checked here before the history row is written (visible, role, version) so
    that a refused amendment leaves no trace but its error.
    """
    kind = _writing_kind(catalog)
    record = _visible(session, actor, assessment_id)
    actor.require(Action.WRITE, kind.record_type_of(record))
    records.check_version(record, data.version, kind.render)
    session.add(_history_of(record, actor, data.reason))
    changes = data.model_dump(exclude_unset=True, exclude={"version", "reason"})
    return child_records.update(
        session, actor, kind, record_id=record.id, version=data.version, changes=changes
    )


def _history_of(record: AssessmentRecord, actor: Actor, reason: str) -> AssessmentAmendmentRecord:
    return AssessmentAmendmentRecord(
        assessment_id=record.id,
        amended_by_id=actor.user_id,
        reason=reason,
        previous_version=record.version,
        previous_assessed_date=record.assessed_date,
        previous_timepoint=record.timepoint,
        previous_raw=copy.deepcopy(record.raw),
        previous_result=copy.deepcopy(record.result),
    )


def amendments(
    session: Session, actor: Actor, *, assessment_id: int, offset: int, limit: int
) -> Page:
    record = _visible(session, actor, assessment_id)
    actor.require(Action.READ, _record_type(record))
    page = repository.amendments_page(session, record.id, offset=offset, limit=limit)
    audit.record(
        session,
        actor,
        action="list",
        entity=AMENDMENT_ENTITY,
        entity_id=record.id,
        patient_id=record.patient_id,
        detail={"returned_ids": [item.id for item in page.items]},
    )
    return page


def set_archived(
    session: Session, actor: Actor, *, assessment_id: int, version: int, reason: str | None
) -> AssessmentRecord:
    """Archive (with a reason) or restore (reason None)."""
    return child_records.set_archived(
        session, actor, ASSESSMENTS, record_id=assessment_id, version=version, reason=reason
    )


def _visible(session: Session, actor: Actor, assessment_id: int) -> AssessmentRecord:
    record = repository.get_visible(session, actor.viewer, assessment_id)
    if record is None:
        raise NotFoundError(ENTITY, assessment_id)
    return record
