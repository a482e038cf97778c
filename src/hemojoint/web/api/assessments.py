"""Assessments of a patient: create, read, list with filters, amend with history, archive.

Not built with ``child_routes``: writing needs the instrument catalog of this
app's settings, the list has its own filters, and PATCH is an amendment (reason
required, history kept) rather than a plain update.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends

from hemojoint.catalog import instrument_catalog
from hemojoint.domain.instruments.base import Scorer
from hemojoint.schemas.assessments import (
    AssessmentAmend,
    AssessmentAmendmentRead,
    AssessmentCreate,
    AssessmentRead,
    Timepoint,
)
from hemojoint.schemas.common import ArchiveRequest, PageOf, RestoreRequest
from hemojoint.services import assessments
from hemojoint.services.assessments import AssessmentFilters
from hemojoint.web.api.child_routes import Limit, Offset
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession

router = APIRouter(tags=["assessment"])


def scorers(settings: AppSettings) -> dict[str, Scorer]:
    """The instruments with this centre's definitions (read per request: a centre may replace
    a definition file without restarting)."""
    return instrument_catalog(settings.definitions_dir)


Catalog = Annotated[dict[str, Scorer], Depends(scorers)]


@router.get("/patients/{patient_id}/assessments")
def list_assessments(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    catalog: Catalog,
    instrument: str | None = None,
    timepoint: Timepoint | None = None,
    assessed_from: date | None = None,
    assessed_to: date | None = None,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[AssessmentRead]:
    """Newest first; ``assessed_from`` and ``assessed_to`` are inclusive."""
    filters = AssessmentFilters(
        instrument_code=instrument,
        timepoint=timepoint,
        assessed_from=assessed_from,
        assessed_to=assessed_to,
        archived=archived,
    )
    page = assessments.list_(
        session,
        actor,
        catalog=catalog,
        patient_id=patient_id,
        filters=filters,
        offset=offset,
        limit=limit,
    )
    return PageOf.of(page, AssessmentRead.model_validate)


@router.post("/patients/{patient_id}/assessments", status_code=201)
def create_assessment(
    patient_id: int,
    body: AssessmentCreate,
    actor: CurrentActor,
    session: DbSession,
    catalog: Catalog,
) -> AssessmentRead:
    record = assessments.create(session, actor, catalog=catalog, patient_id=patient_id, data=body)
    return AssessmentRead.model_validate(record)


@router.get("/assessments/{assessment_id}")
def get_assessment(assessment_id: int, actor: CurrentActor, session: DbSession) -> AssessmentRead:
    record = assessments.get(session, actor, assessment_id=assessment_id)
    return AssessmentRead.model_validate(record)


@router.patch("/assessments/{assessment_id}")
def amend_assessment(
    assessment_id: int,
    body: AssessmentAmend,
    actor: CurrentActor,
    session: DbSession,
    catalog: Catalog,
) -> AssessmentRead:
    """Amend with a reason; the previous state is kept (``GET .../amendments``)."""
    record = assessments.amend(
        session, actor, catalog=catalog, assessment_id=assessment_id, data=body
    )
    return AssessmentRead.model_validate(record)


@router.get("/assessments/{assessment_id}/amendments")
def list_assessment_amendments(
    assessment_id: int,
    actor: CurrentActor,
    session: DbSession,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[AssessmentAmendmentRead]:
    """Oldest first: each item is the state before that amendment."""
    page = assessments.amendments(
        session, actor, assessment_id=assessment_id, offset=offset, limit=limit
    )
    return PageOf.of(page, AssessmentAmendmentRead.model_validate)


@router.post("/assessments/{assessment_id}/archive")
def archive_assessment(
    assessment_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
) -> AssessmentRead:
    record = assessments.set_archived(
        session, actor, assessment_id=assessment_id, version=body.version, reason=body.reason
    )
    return AssessmentRead.model_validate(record)


@router.post("/assessments/{assessment_id}/restore")
def restore_assessment(
    assessment_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
) -> AssessmentRead:
    record = assessments.set_archived(
        session, actor, assessment_id=assessment_id, version=body.version, reason=None
    )
    return AssessmentRead.model_validate(record)
