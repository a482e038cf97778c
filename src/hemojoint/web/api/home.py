"""Home training, adverse events and family education (issue 4).

- Home session logs of an enrolment: ``POST/GET /enrolments/{id}/home-logs``, then
  ``GET/PATCH /home-logs/{id}`` with archive and restore; ``GET /patients/{id}/home-logs``
  lists every enrolment's. ``GET /enrolments/{id}/adherence`` measures them.
- Adverse events of a child: the standard child-record routes at ``/adverse-events``,
  each shown with the rehab day it fell on.
- Education: ``GET /education/materials[/{code}]?lang=``, ``POST/GET
  /patients/{id}/education``, ``GET /education-assignments/{id}`` and ``POST .../read``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from hemojoint.schemas.common import ArchiveRequest, PageOf, RestoreRequest
from hemojoint.schemas.home import (
    AdherenceRead,
    AdverseEventCreate,
    AdverseEventRead,
    AdverseEventUpdate,
    EducationAssign,
    EducationAssignmentRead,
    HomeLogCreate,
    HomeLogRead,
    HomeLogUpdate,
    Language,
    MaterialRead,
    MaterialSummary,
)
from hemojoint.services import adherence, adverse_events, child_records, education, home
from hemojoint.services.adverse_events import ADVERSE_EVENTS
from hemojoint.services.home import HOME_LOGS
from hemojoint.web.api.child_routes import Limit, Offset, child_routes
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now

router = APIRouter()
Lang = Annotated[Language, Query(description="en or zh-Hans")]

# --- home session logs -------------------------------------------------------------------------


@router.post(
    "/enrolments/{enrolment_id}/home-logs",
    status_code=201,
    tags=["home_log"],
    name="create_home_log",
)
def create_home_log(
    enrolment_id: int, body: HomeLogCreate, actor: CurrentActor, session: DbSession, now: Now
) -> HomeLogRead:
    record = home.create_log(
        session, actor, enrolment_id=enrolment_id, values=body.model_dump(), today=now.date()
    )
    return HomeLogRead.model_validate(record)


@router.get("/enrolments/{enrolment_id}/home-logs", tags=["home_log"], name="list_enrolment_logs")
def list_enrolment_home_logs(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[HomeLogRead]:
    """Oldest session first."""
    page = home.list_logs(
        session, actor, enrolment_id=enrolment_id, archived=archived, offset=offset, limit=limit
    )
    return PageOf.of(page, HomeLogRead.model_validate)


@router.patch("/home-logs/{record_id}", tags=["home_log"], name="update_home_log")
def update_home_log(
    record_id: int, body: HomeLogUpdate, actor: CurrentActor, session: DbSession, now: Now
) -> HomeLogRead:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    record = home.update_log(
        session, actor, log_id=record_id, version=body.version, changes=changes, today=now.date()
    )
    return HomeLogRead.model_validate(record)


# The shared life cycle gives get, archive, restore and the child's list; create needs an
# enrolment and update the clock, so those two are the routes above.
_standard_logs = child_routes(
    HOME_LOGS, path="/home-logs", create_schema=HomeLogCreate, update_schema=HomeLogUpdate
)
_standard_logs.routes[:] = [
    route
    for route in _standard_logs.routes
    if getattr(route, "name", None) not in ("create_home_log", "update_home_log")
]
router.include_router(_standard_logs)


@router.get("/enrolments/{enrolment_id}/adherence", tags=["home_log"], name="get_adherence")
def get_adherence(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    now: Now,
    through_week: Annotated[int | None, Query(description="default: the weeks completed")] = None,
) -> AdherenceRead:
    """Sessions, minutes and exercises done of those the current plan prescribes at home."""
    report = adherence.adherence(
        session,
        actor,
        enrolment_id=enrolment_id,
        today=now.date(),
        through_week=through_week,
        rules=adherence.adherence_rules(settings.definitions_dir),
    )
    return AdherenceRead.model_validate(report.as_dict())


# --- adverse events ----------------------------------------------------------------------------


@router.get("/patients/{patient_id}/adverse-events", tags=["adverse_event"])
def list_adverse_events(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[AdverseEventRead]:
    """Newest first, each with the rehab day it fell on."""
    page = child_records.list_for_patient(
        session,
        actor,
        ADVERSE_EVENTS,
        patient_id=patient_id,
        archived=archived,
        offset=offset,
        limit=limit,
    )
    days = adverse_events.days_of(session, page.items)
    return PageOf.of(page, lambda item: adverse_events.render(session, item, days[item.id]))


@router.post("/patients/{patient_id}/adverse-events", status_code=201, tags=["adverse_event"])
def create_adverse_event(
    patient_id: int, body: AdverseEventCreate, actor: CurrentActor, session: DbSession
) -> AdverseEventRead:
    record = child_records.create(
        session, actor, ADVERSE_EVENTS, patient_id=patient_id, values=body.model_dump()
    )
    return adverse_events.render(session, record)


@router.get("/adverse-events/{record_id}", tags=["adverse_event"])
def get_adverse_event(record_id: int, actor: CurrentActor, session: DbSession) -> AdverseEventRead:
    record = child_records.get(session, actor, ADVERSE_EVENTS, record_id=record_id)
    return adverse_events.render(session, record)


@router.patch("/adverse-events/{record_id}", tags=["adverse_event"])
def update_adverse_event(
    record_id: int, body: AdverseEventUpdate, actor: CurrentActor, session: DbSession
) -> AdverseEventRead:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    record = child_records.update(
        session, actor, ADVERSE_EVENTS, record_id=record_id, version=body.version, changes=changes
    )
    return adverse_events.render(session, record)


@router.post("/adverse-events/{record_id}/archive", tags=["adverse_event"])
def archive_adverse_event(
    record_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
) -> AdverseEventRead:
    record = child_records.set_archived(
        session,
        actor,
        ADVERSE_EVENTS,
        record_id=record_id,
        version=body.version,
        reason=body.reason,
    )
    return adverse_events.render(session, record)


@router.post("/adverse-events/{record_id}/restore", tags=["adverse_event"])
def restore_adverse_event(
    record_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
) -> AdverseEventRead:
    record = child_records.set_archived(
        session, actor, ADVERSE_EVENTS, record_id=record_id, version=body.version, reason=None
    )
    return adverse_events.render(session, record)


# --- education ---------------------------------------------------------------------------------


@router.get("/education/materials", tags=["education"])
def list_materials(
    _actor: CurrentActor, settings: AppSettings, lang: Lang = Language.EN
) -> list[MaterialSummary]:
    catalogue = education.load_catalogue(settings.definitions_dir)
    return [
        MaterialSummary(code=item.code, version=item.version, title=item.title[lang])
        for item in catalogue.materials
    ]


@router.get("/education/materials/{code}", tags=["education"])
def get_material(
    code: str, _actor: CurrentActor, settings: AppSettings, lang: Lang = Language.EN
) -> MaterialRead:
    catalogue = education.load_catalogue(settings.definitions_dir)
    item = education.material(catalogue, code)
    return MaterialRead(
        code=item.code,
        version=item.version,
        title=item.title[lang],
        language=lang,
        body=item.body[lang],
        disclaimer=catalogue.disclaimer[lang],
        source=catalogue.info.as_dict(),
    )


@router.post("/patients/{patient_id}/education", status_code=201, tags=["education"])
def assign_education(
    patient_id: int,
    body: EducationAssign,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    response: Response,
) -> EducationAssignmentRead:
    """201 for a new assignment; 200 with the open one when the material is already assigned."""
    catalogue = education.load_catalogue(settings.definitions_dir)
    assigned = education.assign(
        session, actor, patient_id=patient_id, material_code=body.material_code, catalogue=catalogue
    )
    if not assigned.created:
        response.status_code = 200
    return _assignment(assigned.record, catalogue, Language.EN)


@router.get("/patients/{patient_id}/education", tags=["education"])
def list_education(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    lang: Lang = Language.EN,
) -> list[EducationAssignmentRead]:
    catalogue = education.load_catalogue(settings.definitions_dir)
    records = education.list_(session, actor, patient_id=patient_id)
    return [_assignment(record, catalogue, lang) for record in records]


@router.get("/education-assignments/{assignment_id}", tags=["education"])
def get_education_assignment(
    assignment_id: int,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    lang: Lang = Language.EN,
) -> EducationAssignmentRead:
    catalogue = education.load_catalogue(settings.definitions_dir)
    record = education.get(session, actor, assignment_id=assignment_id)
    return _assignment(record, catalogue, lang)


@router.post("/education-assignments/{assignment_id}/read", tags=["education"])
def mark_education_read(
    assignment_id: int, actor: CurrentActor, session: DbSession, settings: AppSettings, now: Now
) -> EducationAssignmentRead:
    catalogue = education.load_catalogue(settings.definitions_dir)
    record = education.mark_read(session, actor, assignment_id=assignment_id, now=now)
    return _assignment(record, catalogue, Language.EN)


def _assignment(
    record: object, catalogue: education.Catalogue, lang: Language
) -> EducationAssignmentRead:
    read = EducationAssignmentRead.model_validate(record)
    material = catalogue.get(read.material_code)
    # A centre's replacement file may drop a material that was assigned earlier.
    return read.model_copy(update={"title": material.title[lang] if material else None})
