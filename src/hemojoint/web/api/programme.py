"""The programme: enrolments, plans and their versions, weekly reviews and joint clearances.

Not built with ``child_routes`` except for reading enrolments: enrolling runs the
eligibility check, plans are versions rather than updates, and reviews and
clearances are computed or given once, never edited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from hemojoint.schemas.common import PageOf
from hemojoint.schemas.programme import (
    ClearanceCreate,
    ClearanceRead,
    EnrolmentComplete,
    EnrolmentCreate,
    EnrolmentRead,
    EnrolmentWithdraw,
    PlanEdit,
    PlanGenerate,
    PlanVersionRead,
    PlanVersionSummary,
    ReviewCreate,
    ReviewRead,
)
from hemojoint.services import child_records, plans, programme, reviews
from hemojoint.services.programme import ENROLMENTS, ProgrammeDefinitions
from hemojoint.web.api.child_routes import Limit, Offset
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now

router = APIRouter(tags=["programme"])


def definitions(settings: AppSettings) -> ProgrammeDefinitions:
    """The library and rules in force (read per request: a centre may replace a file)."""
    return programme.load_definitions(settings.definitions_dir)


Definitions = Annotated[ProgrammeDefinitions, Depends(definitions)]


# --- enrolments ---------------------------------------------------------------------------------


@router.post("/patients/{patient_id}/enrolments", status_code=201)
def enrol_patient(
    patient_id: int, body: EnrolmentCreate, actor: CurrentActor, session: DbSession
) -> EnrolmentRead:
    """Enrol after the eligibility check; 422 ``not_eligible`` lists every failed criterion."""
    record = programme.enrol(session, actor, patient_id=patient_id, data=body)
    return EnrolmentRead.model_validate(record)


@router.get("/patients/{patient_id}/enrolments")
def list_enrolments(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[EnrolmentRead]:
    """Newest start first."""
    page = child_records.list_for_patient(
        session,
        actor,
        ENROLMENTS,
        patient_id=patient_id,
        archived=archived,
        offset=offset,
        limit=limit,
    )
    return PageOf.of(page, EnrolmentRead.model_validate)


@router.get("/enrolments/{enrolment_id}")
def get_enrolment(enrolment_id: int, actor: CurrentActor, session: DbSession) -> EnrolmentRead:
    record = child_records.get(session, actor, ENROLMENTS, record_id=enrolment_id)
    return EnrolmentRead.model_validate(record)


@router.post("/enrolments/{enrolment_id}/withdraw")
def withdraw_enrolment(
    enrolment_id: int, body: EnrolmentWithdraw, actor: CurrentActor, session: DbSession
) -> EnrolmentRead:
    record = programme.withdraw(session, actor, enrolment_id=enrolment_id, data=body)
    return EnrolmentRead.model_validate(record)


@router.post("/enrolments/{enrolment_id}/complete")
def complete_enrolment(
    enrolment_id: int, body: EnrolmentComplete, actor: CurrentActor, session: DbSession
) -> EnrolmentRead:
    record = programme.complete(session, actor, enrolment_id=enrolment_id, data=body)
    return EnrolmentRead.model_validate(record)


# --- plans --------------------------------------------------------------------------------------


@router.post("/enrolments/{enrolment_id}/plan", status_code=201)
def generate_plan(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    settings: Definitions,
    body: Annotated[PlanGenerate | None, Body()] = None,
) -> PlanVersionRead:
    """Version 1, generated from the baseline findings; a second call is 409."""
    version = plans.generate(
        session,
        actor,
        enrolment_id=enrolment_id,
        data=body or PlanGenerate(),
        definitions=settings,
    )
    return PlanVersionRead.model_validate(plans.render(version, enrolment_id))


@router.get("/enrolments/{enrolment_id}/plan")
def get_plan(enrolment_id: int, actor: CurrentActor, session: DbSession) -> PlanVersionRead:
    """The current (newest) version."""
    version, enrolment = plans.current(session, actor, enrolment_id=enrolment_id)
    return PlanVersionRead.model_validate(plans.render(version, enrolment))


@router.patch("/enrolments/{enrolment_id}/plan")
def edit_plan(
    enrolment_id: int,
    body: PlanEdit,
    actor: CurrentActor,
    session: DbSession,
    settings: Definitions,
    moment: Now,
) -> PlanVersionRead:
    """A new version with the changes, author and reason; ``version`` must be the current one."""
    version = plans.edit(
        session, actor, enrolment_id=enrolment_id, data=body, definitions=settings, now=moment
    )
    return PlanVersionRead.model_validate(plans.render(version, enrolment_id))


@router.get("/enrolments/{enrolment_id}/plan/versions")
def list_plan_versions(
    enrolment_id: int, actor: CurrentActor, session: DbSession
) -> list[PlanVersionSummary]:
    """Version 1 first; read one with ``/plan/versions/{number}``."""
    history, enrolment = plans.versions(session, actor, enrolment_id=enrolment_id)
    return [PlanVersionSummary(**_summary(plans.render(item, enrolment))) for item in history]


@router.get("/enrolments/{enrolment_id}/plan/versions/{number}")
def get_plan_version(
    enrolment_id: int, number: int, actor: CurrentActor, session: DbSession
) -> PlanVersionRead:
    version, enrolment = plans.version(session, actor, enrolment_id=enrolment_id, number=number)
    return PlanVersionRead.model_validate(plans.render(version, enrolment))


def _summary(rendered: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in rendered.items() if key != "content"}


# --- weekly reviews and clearances --------------------------------------------------------------


@router.post("/enrolments/{enrolment_id}/reviews", status_code=201)
def review_week(
    enrolment_id: int,
    body: ReviewCreate,
    actor: CurrentActor,
    session: DbSession,
    settings: Definitions,
    moment: Now,
) -> ReviewRead:
    record = reviews.review_week(
        session,
        actor,
        enrolment_id=enrolment_id,
        week=body.week,
        definitions=settings,
        now=moment,
    )
    return ReviewRead.model_validate(record)


@router.get("/enrolments/{enrolment_id}/reviews")
def list_reviews(enrolment_id: int, actor: CurrentActor, session: DbSession) -> list[ReviewRead]:
    """By week; a week reviewed again lists both reviews, older first."""
    found = reviews.list_reviews(session, actor, enrolment_id=enrolment_id)
    return [ReviewRead.model_validate(item) for item in found]


@router.post("/patients/{patient_id}/clearances", status_code=201)
def clear_joint(
    patient_id: int, body: ClearanceCreate, actor: CurrentActor, session: DbSession, moment: Now
) -> ClearanceRead:
    """A hematologist clears a joint for loading after a bleed in it."""
    record = reviews.clear_joint(session, actor, patient_id=patient_id, data=body, now=moment)
    return ClearanceRead.model_validate(record)


@router.get("/patients/{patient_id}/clearances")
def list_clearances(
    patient_id: int, actor: CurrentActor, session: DbSession
) -> list[ClearanceRead]:
    found = reviews.list_clearances(session, actor, patient_id=patient_id)
    return [ClearanceRead.model_validate(item) for item in found]
