"""The plan editor (add, remove, replace or re-dose an exercise, with a reason) and the weekly
review. Both write through their services: an edit is a new plan version, a review a new row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from hemojoint.domain.access import RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS
from hemojoint.schemas.programme import PlanEdit, ReviewCreate
from hemojoint.services import plans, rehab_view, reviews
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import Page, PageContext, form_values
from hemojoint.web.pages.rehab_common import (
    Definitions,
    blank_to_none,
    exercise_name,
    form_problems,
    see_other,
)
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

EDIT_ACTIONS = {
    "add": N_("Add an exercise"),
    "remove": N_("Remove an exercise"),
    "replace": N_("Replace an exercise"),
    "dose": N_("Change the dose"),
}
DOSE_FIELDS = ("sets", "reps", "hold_seconds", "minutes")
SESSION_KINDS = {"hospital": N_("hospital"), "home": N_("home")}


# --- the editor ---------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/rehab/plan")
def editor(
    request: Request, patient_id: int, page: Page, session: DbSession, library: Definitions
) -> Response:
    page.require_team()
    return _editor_page(request, page, session, library, patient_id, problems=[], form={})


def _editor_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    definitions: Definitions,
    patient_id: int,
    *,
    problems: list[FieldProblem],
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    patient = rehab_view.patient(session, page.actor, patient_id)
    enrolment = rehab_view.require_enrolment(session, page.actor, patient.id)
    plan = rehab_view.current_plan(session, page.actor, enrolment)
    history = plans.versions(session, page.actor, enrolment_id=enrolment.id)[0] if plan else []
    library = definitions.library
    return render(
        request,
        "rehab/plan.html",
        page,
        status_code=status_code,
        patient=patient,
        plan=plan,
        weeks=rehab_view.weeks_of(plan.content) if plan else {},
        history=history,
        actions=EDIT_ACTIONS,
        kinds=SESSION_KINDS,
        dose_fields=DOSE_FIELDS,
        codes=[(code, exercise_name(library, code, page.language)) for code in library.codes],
        name_of=lambda code: exercise_name(library, code, page.language),
        may_edit=rehab_view.may(page.actor, RecordType.REHAB_PLAN),
        problems=problems,
        form=form,
    )


@router.post("/patients/{patient_id}/rehab/plan")
async def edit(
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
    values["kinds"] = ",".join(str(kind) for kind in form.getlist("kinds"))
    enrolment = rehab_view.require_enrolment(session, page.actor, patient_id)
    try:
        data = PlanEdit.model_validate(edit_body(values))
        plans.edit(
            session,
            page.actor,
            enrolment_id=enrolment.id,
            data=data,
            definitions=library,
            now=moment,
        )
    except (ValidationError, InvalidInputError) as error:
        found = form_problems(error)
        shown = [replace(problem, field=form_field(problem.field)) for problem in found]
        return _editor_page(
            request,
            page,
            session,
            library,
            patient_id,
            problems=shown,
            form=values,
            status_code=422,
        )
    return see_other(f"/patients/{patient_id}/rehab/plan")


def edit_body(values: dict[str, str]) -> dict[str, Any]:
    """One form change as the API's edit: replace is remove the old code and add the new."""
    selector: dict[str, Any] = {}
    weeks = [part.strip() for part in values.get("weeks", "").split(",") if part.strip()]
    if weeks:
        selector["weeks"] = weeks
    kinds = [kind for kind in values.get("kinds", "").split(",") if kind]
    if kinds:
        selector["kinds"] = kinds
    dose = {name: values[name] for name in DOSE_FIELDS if blank_to_none(values.get(name))}
    code, action = values.get("code", ""), values.get("action", "")
    body: dict[str, Any] = {"version": values.get("version"), "reason": values.get("reason", "")}
    if action in ("add", "replace"):
        added = values.get("new_code", "") if action == "replace" else code
        body["add_exercises"] = [{"code": added, **selector, **({"dose": dose} if dose else {})}]
    if action in ("remove", "replace"):
        body["remove_exercises"] = [{"code": code, **selector}]
    if action == "dose":
        body["dose_exercises"] = [{"code": code, **selector, "dose": dose}]
    if action not in EDIT_ACTIONS:
        body["action"] = action  # refused by the schema as an unknown field, named "action"
    return body


def form_field(path: str) -> str:
    """``add_exercises[0].dose.sets`` -> ``sets``: the form's input that holds the value."""
    last = path.rsplit(".", 1)[-1]
    if path.startswith("add_exercises") and last == "code":
        return "code"  # shown next to the exercise chosen
    return last


# --- the weekly review ------------------------------------------------------------------------


@router.get("/patients/{patient_id}/rehab/review")
def review_form(request: Request, patient_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    return _review_page(request, page, session, patient_id, problems=[], form={})


def _review_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    patient_id: int,
    *,
    problems: list[FieldProblem],
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    patient = rehab_view.patient(session, page.actor, patient_id)
    enrolment = rehab_view.require_enrolment(session, page.actor, patient.id)
    done = reviews.list_reviews(session, page.actor, enrolment_id=enrolment.id)
    return render(
        request,
        "rehab/review.html",
        page,
        status_code=status_code,
        patient=patient,
        enrolment=enrolment,
        reviews=list(reversed(done)),
        max_week=PROGRAMME_WEEKS,
        may_review=rehab_view.may(page.actor, RecordType.WEEKLY_REVIEW),
        problems=problems,
        form=form,
    )


@router.post("/patients/{patient_id}/rehab/review")
async def review(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    library: Definitions,
    moment: Now,
) -> Response:
    page.require_team()
    form = await request.form()
    week = str(form.get("week", ""))
    enrolment = rehab_view.require_enrolment(session, page.actor, patient_id)
    try:
        data = ReviewCreate.model_validate({"week": week or None})
        reviews.review_week(
            session,
            page.actor,
            enrolment_id=enrolment.id,
            week=data.week,
            definitions=library,
            now=moment,
        )
    except (ValidationError, InvalidInputError) as error:
        found = form_problems(error)
        return _review_page(
            request,
            page,
            session,
            patient_id,
            problems=list(found),
            form={"week": week},
            status_code=422,
        )
    return see_other(f"/patients/{patient_id}/rehab/review")
