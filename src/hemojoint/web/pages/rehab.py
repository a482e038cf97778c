"""Rehabilitation: problems, goals, the plan and its editor, weekly review, check-ins, messages.

This module has the overview of a child's programme (enrolment, problems with their
evidence, goals, the plan, adherence) and the enrolment and plan-generation forms; the
plan editor and the weekly review are in ``rehab_plan``, check-ins and messages in
``rehab_tele``. Every page is the clinical team's (families have ``/family``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from hemojoint.domain.access import RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.prophylaxis import Weekday
from hemojoint.schemas.programme import EnrolmentCreate, PlanGenerate
from hemojoint.services import plans, programme, rehab_view
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages import rehab_plan, rehab_tele
from hemojoint.web.pages.context import Page, PageContext, form_values
from hemojoint.web.pages.rehab_common import (
    CONDITION_LABELS,
    EVIDENCE_SOURCES,
    Definitions,
    blank_to_none,
    contraindications,
    exercise_name,
    form_problems,
    see_other,
)
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
router.include_router(rehab_plan.router)
router.include_router(rehab_tele.router)

# The screening answers of the enrolment form (the registry supplies age, diagnosis, bleeds).
SCREENING = {
    "follows_simple_training": N_("Can follow simple training instructions"),
    "joint_pain": N_("Joint pain"),
    "restricted_motion": N_("Restricted joint motion"),
    "completes_12_weeks": N_("Can complete the 12 weeks"),
    "active_bleed_on_ultrasound": N_("Active bleed on ultrasound"),
    "severe_active_bleeding": N_("Severe active bleeding"),
    "heart_liver_or_kidney_disease": N_("Heart, liver or kidney disease"),
    "other_serious_condition": N_("Another serious condition"),
}
WEEKDAYS = [day.value for day in Weekday]


@router.get("/patients/{patient_id}/rehab")
def overview(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    library: Definitions,
    moment: Now,
) -> Response:
    page.require_team()
    found = rehab_view.overview(
        session,
        page.actor,
        patient_id=patient_id,
        today=moment.date(),
        definitions_dir=settings.definitions_dir,
    )
    return _overview_page(request, page, found, library, problems=[], form={})


def _overview_page(
    request: Request,
    page: PageContext,
    found: rehab_view.RehabOverview,
    definitions: programme.ProgrammeDefinitions,
    *,
    problems: list[FieldProblem],
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    content = found.plan.content if found.plan else {}
    library = definitions.library
    return render(
        request,
        "rehab/overview.html",
        page,
        status_code=status_code,
        patient=found.patient,
        enrolment=found.enrolment,
        plan=found.plan,
        content=content,
        weeks=rehab_view.weeks_of(content),
        adherence=found.adherence.adherence.as_dict() if found.adherence else None,
        reviews=found.reviews,
        baselines=found.baselines,
        screening=SCREENING,
        weekdays=WEEKDAYS,
        evidence_sources=EVIDENCE_SOURCES,
        condition_labels=CONDITION_LABELS,
        name_of=lambda code: exercise_name(library, code, page.language),
        contraindications_of=lambda code: contraindications(library, code),
        may_enrol=rehab_view.may(page.actor, RecordType.ENROLMENT),
        may_plan=rehab_view.may(page.actor, RecordType.REHAB_PLAN),
        problems=problems,
        form=form,
    )


@router.post("/patients/{patient_id}/rehab/enrol")
async def enrol(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    library: Definitions,
    moment: Now,
) -> Response:
    page.require_team()
    form = await request.form()
    values = await form_values(request)
    weekdays = [str(day) for day in form.getlist("infusion_weekdays")]
    try:
        data = EnrolmentCreate.model_validate(_enrolment_body(values, weekdays))
        programme.enrol(session, page.actor, patient_id=patient_id, data=data)
    except (ValidationError, InvalidInputError) as error:
        problems = form_problems(error)
        found = rehab_view.overview(
            session, page.actor, patient_id=patient_id, today=moment.date(), definitions_dir=None
        )
        typed = {**values, "infusion_weekdays": weekdays}
        return _overview_page(
            request, page, found, library, problems=list(problems), form=typed, status_code=422
        )
    return see_other(f"/patients/{patient_id}/rehab")


def _enrolment_body(values: dict[str, str], weekdays: list[str]) -> dict[str, Any]:
    """The form as the API body: yes/no answers, an optional inhibitor test, the baselines."""
    candidate: dict[str, Any] = {
        name: {"yes": True, "no": False}.get(values.get(name, "")) for name in SCREENING
    }
    modality, finding = values.get("imaging_modality"), values.get("imaging_finding")
    if modality or finding:
        candidate["joint_bleed_imaging"] = {"modality": modality, "finding": finding}
    tested_on = blank_to_none(values.get("inhibitor_tested_on"))
    if tested_on:
        result = values.get("inhibitor_result", "")
        candidate["inhibitor_tests"] = [{"tested_on": tested_on, "result": result}]
    return {
        "start_date": values.get("start_date") or None,
        "candidate": candidate,
        "baseline_hjhs_id": blank_to_none(values.get("baseline_hjhs_id")),
        "baseline_ultrasound_id": blank_to_none(values.get("baseline_ultrasound_id")),
        "infusion_weekdays": weekdays or None,
    }


@router.post("/patients/{patient_id}/rehab/generate")
def generate_plan(
    patient_id: int,
    page: Page,
    session: DbSession,
    library: Definitions,
    reason: Annotated[str, Form(max_length=500)] = "generated",
) -> Response:
    """Version 1 of the plan from the baseline findings (refusals become an error page)."""
    page.require_team()
    enrolment = rehab_view.require_enrolment(session, page.actor, patient_id)
    data = PlanGenerate(reason=reason or "generated")
    plans.generate(session, page.actor, enrolment_id=enrolment.id, data=data, definitions=library)
    return see_other(f"/patients/{patient_id}/rehab")


@router.get("/patients/{patient_id}/rehab/home-plan")
def home_plan(patient_id: int, page: Page, session: DbSession, format: str = "html") -> Response:
    """The printable home plan is the API's document: send the browser there, in its language."""
    page.require_team()
    enrolment = rehab_view.require_enrolment(session, page.actor, patient_id)
    lang = "zh-Hans" if page.language == "zh-Hans" else "en"
    output = "pdf" if format == "pdf" else "html"
    return see_other(f"/api/v1/enrolments/{enrolment.id}/home-plan?lang={lang}&format={output}")
