"""Entry forms for every instrument and for bleeds, with live totals from the domain scorers.

- ``/patients/{id}/assessments/new``: the instruments this role may record.
- ``/patients/{id}/assessments/new/{code}``: the form; saving goes through
  ``services.assessments.create`` (scope 404, role 403, audit, re-scoring).
- ``.../preview``: the live totals (htmx on every change): the partial input scored by
  the same domain scorer as the API, never by JavaScript.
- Bleeds: :mod:`.bleed_form`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from hemojoint.catalog import instrument_catalog
from hemojoint.domain.access import Action, is_allowed, record_type_for_instrument
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer
from hemojoint.schemas.assessments import AssessmentCreate, Timepoint
from hemojoint.services import assessments, patients
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages import bleed_form
from hemojoint.web.pages.assessment_form_specs import (
    CHOKLAT_KIND,
    HJHS_KIND,
    FormSpec,
    entered,
    form_specs,
)
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.labels import ITEM_LABELS, JOINT_LABELS, TIMEPOINT_LABELS
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
router.include_router(bleed_form.router)

# Names people use in links for instruments whose catalogue code differs.
ALIASES = {"cho_klat": "choklat"}


SUBSCORE_LABELS: Mapping[str, str] = {
    "swelling": N_("Swelling"),
    "muscle": N_("Muscle"),
    "motion": N_("Motion"),
    "crepitus": N_("Crepitus"),
    "pain": N_("Pain"),
    "gait": N_("Gait"),
}


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as text fields (read once; Starlette keeps it for the CSRF check)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


@dataclass(frozen=True)
class Instrument:
    spec: FormSpec
    scorer: Scorer

    @property
    def info(self) -> InstrumentInfo:
        return self.scorer.info


def _instruments(settings: Any) -> dict[str, Instrument]:
    catalog = instrument_catalog(settings.definitions_dir)
    specs = form_specs(settings.definitions_dir)
    return {code: Instrument(spec, catalog[code]) for code, spec in specs.items()}


def _instrument(settings: Any, code: str) -> Instrument:
    found = _instruments(settings).get(code)
    if found is None:
        raise NotFoundError("instrument", code)
    return found


def _may_record(actor: Actor, code: str) -> bool:
    return is_allowed(actor.role, Action.WRITE, record_type_for_instrument(code))


def _check_may_record(actor: Actor, code: str) -> None:
    """The service refuses on save; the form refuses the same role before it is filled in."""
    actor.require(Action.WRITE, record_type_for_instrument(code))


# --- scoring (the domain's, as the registry uses it) ----------------------------


def registry_score(instrument: Instrument, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Score as ``services.assessments`` stores it (one rule for preview and save)."""
    code = instrument.info.code
    return assessments.score_raw({code: instrument.scorer}, code, raw)


@dataclass
class Preview:
    result: dict[str, Any] | None
    problems: list[FieldProblem] = field(default_factory=list)
    entered_count: int = 0
    item_count: int = 0


def preview(instrument: Instrument, form: Mapping[str, str]) -> Preview:
    """Score what has been entered so far; range problems are listed, blanks are not.

    When some entries are wrong, the entries without a problem are scored again so the
    totals that can be known still show while the clinician corrects the others.
    """
    spec = instrument.spec
    data = entered(spec, form, blanks_as_ne=spec.kind == HJHS_KIND)
    count = len(spec.fields)
    shown = Preview(None, list(data.problems), count - len(data.blanks), count)
    if shown.entered_count == 0 and not shown.problems:
        return shown  # nothing entered yet: nothing to score or to correct
    try:
        shown.result = registry_score(instrument, data.raw)
        return shown
    except InvalidInputError as error:
        blanks = set(data.blanks)
        shown.problems += [p for p in error.problems if not _is_blank(p, blanks)]
        failed = {problem.field for problem in (*error.problems, *data.problems)}
    retry = entered(spec, _cleared(spec, form, failed), blanks_as_ne=spec.kind == HJHS_KIND)
    try:
        shown.result = registry_score(instrument, retry.raw)
    except InvalidInputError:
        shown.result = None
    return shown


def _is_blank(problem: FieldProblem, blanks: set[str]) -> bool:
    """A field not filled in yet is not a mistake while the form is being filled in."""
    return problem.value is None and problem.field in blanks


def _cleared(spec: FormSpec, form: Mapping[str, str], failed: set[str]) -> dict[str, str]:
    """The form without the entries that failed (for a joint-sum form: their whole joint)."""
    whole_group = spec.kind not in (HJHS_KIND, CHOKLAT_KIND)
    cleared = dict(form)
    for group in spec.groups:
        for item in group.fields:
            hit = any(name == item.name or name.startswith(f"{item.name}.") for name in failed)
            group_hit = whole_group and any(name.split(".")[0] == group.key for name in failed)
            if hit or group_hit:
                for key in (item.name, f"{item.name}.ne", f"{item.name}.reason"):
                    cleared.pop(key, None)
    return cleared


# --- pages ----------------------------------------------------------------------


@router.get("/patients/{patient_id}/assessments/new")
def choose_instrument(
    request: Request, patient_id: int, page: Page, session: DbSession, settings: AppSettings
) -> Response:
    patient = patients.get(session, page.actor, patient_id=patient_id)
    allowed = [
        instrument
        for code, instrument in _instruments(settings).items()
        if _may_record(page.actor, code)
    ]
    return render(request, "forms/index.html", page, patient=patient, instruments=allowed)


@router.get("/patients/{patient_id}/assessments/new/{code}")
def assessment_form(
    request: Request,
    patient_id: int,
    code: str,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
) -> Response:
    if code in ALIASES:
        return RedirectResponse(f"/patients/{patient_id}/assessments/new/{ALIASES[code]}", 308)
    instrument = _instrument(settings, code)
    patient = patients.get(session, page.actor, patient_id=patient_id)
    _check_may_record(page.actor, code)
    values = {"assessed_date": moment.date().isoformat(), "timepoint": ""}
    return _form_page(request, page, patient, instrument, values, None, [])


@router.post("/patients/{patient_id}/assessments/new/{code}/preview")
def live_totals(
    request: Request,
    patient_id: int,
    code: str,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    form: FormFields,
) -> Response:
    instrument = _instrument(settings, code)
    patients.get_visible(session, page.actor, patient_id)  # 404 outside scope, no audit noise
    _check_may_record(page.actor, code)
    shown = preview(instrument, form)
    return render(
        request, "forms/_totals.html", page, instrument=instrument, preview=shown, **_labels()
    )


@router.post("/patients/{patient_id}/assessments/new/{code}")
def save_assessment(
    request: Request,
    patient_id: int,
    code: str,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    form: FormFields,
) -> Response:
    instrument = _instrument(settings, code)
    catalog = {code: instrument.scorer}
    try:
        data = _create_request(instrument, form)
        assessments.create(session, page.actor, catalog=catalog, patient_id=patient_id, data=data)
    except InvalidInputError as error:
        session.rollback()  # nothing half-written; the page is re-shown with what was typed
        patient = patients.get(session, page.actor, patient_id=patient_id)
        shown = preview(instrument, form)
        return _form_page(
            request, page, patient, instrument, form, shown, list(error.problems), status=422
        )
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)


def _create_request(instrument: Instrument, form: Mapping[str, str]) -> AssessmentCreate:
    """The API's create request from the form; problems of every field are reported at once."""
    data = entered(instrument.spec, form)
    problems = list(data.problems)
    assessed = _date_or_problem(form.get("assessed_date", ""), problems)
    timepoint = form.get("timepoint", "")
    if timepoint not in TIMEPOINT_LABELS:
        problems.append(FieldProblem.not_one_of("timepoint", timepoint, TIMEPOINT_LABELS))
    try:
        registry_score(instrument, data.raw)
    except InvalidInputError as error:
        problems += error.problems
    if problems or assessed is None:
        raise InvalidInputError(problems)
    return AssessmentCreate(
        instrument_code=instrument.info.code,
        assessed_date=assessed,
        timepoint=Timepoint(timepoint),
        raw=data.raw,
    )


def _date_or_problem(text: str, problems: list[FieldProblem]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FieldProblem.wrong_type("assessed_date", text, "a date (YYYY-MM-DD)"))
        return None


def _labels() -> dict[str, Any]:
    return {
        "joint_labels": JOINT_LABELS,
        "subscore_labels": SUBSCORE_LABELS,
        "timepoint_labels": TIMEPOINT_LABELS,
    }


def _form_page(
    request: Request,
    page: Any,
    patient: Any,
    instrument: Instrument,
    values: Mapping[str, str],
    shown: Preview | None,
    problems: list[FieldProblem],
    *,
    status: int = 200,
) -> Response:
    return render(
        request,
        "forms/assessment.html",
        page,
        status_code=status,
        patient=patient,
        instrument=instrument,
        values=values,
        preview=shown or preview(instrument, values),
        problems=problems,
        problem_fields={problem.field for problem in problems},
        item_labels=ITEM_LABELS,
        **_labels(),
    )
