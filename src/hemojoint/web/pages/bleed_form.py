"""A clinician's bleed entry form; the saved bleed's triage is shown at once.

Saved through the bleeds' child-record life cycle (``services.bleeds.BLEEDS``): scope,
role, audit, the domain's triage and the team alert all happen there. Times are
entered in UTC (the browser's ``datetime-local`` carries no zone).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.triage import Finding
from hemojoint.schemas.bleeds import MAX_HOSPITAL_DAYS, BleedCreate
from hemojoint.services import child_records, patients
from hemojoint.services.bleeds import BLEEDS
from hemojoint.services.errors import NotFoundError
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.api.errors import field_problems
from hemojoint.web.i18n import N_
from hemojoint.web.pages.bleed_labels import FINDING_LABELS, SITE_LABELS
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.labels import URGENCY_LABELS
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

BLEED_TYPE_LABELS: Mapping[str, str] = {
    BleedType.SPONTANEOUS.value: N_("Spontaneous (no known cause)"),
    BleedType.TRAUMATIC.value: N_("Traumatic (known or believed cause)"),
}
TEXT_FIELDS = ("complications", "notes")


async def _form_fields(request: Request) -> dict[str, Any]:
    form = await request.form()
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    fields["findings"] = [v for v in form.getlist("findings") if isinstance(v, str)]
    return fields


FormFields = Annotated[dict[str, Any], Depends(_form_fields)]


@router.get("/patients/{patient_id}/bleeds/new")
def bleed_form(
    request: Request, patient_id: int, page: Page, session: DbSession, moment: Now
) -> Response:
    patient = patients.get(session, page.actor, patient_id=patient_id)
    page.actor.require(Action.WRITE, RecordType.BLEED)
    started = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    values = {"started_at": started, "findings": [], "bleed_type": "spontaneous"}
    return _page(request, page, patient, values, [])


@router.post("/patients/{patient_id}/bleeds/new")
def save_bleed(
    request: Request, patient_id: int, page: Page, session: DbSession, form: FormFields
) -> Response:
    try:
        data = _create_request(form)
        record = child_records.create(
            session, page.actor, BLEEDS, patient_id=patient_id, values=data.model_dump()
        )
    except InvalidInputError as error:
        session.rollback()  # nothing half-written; the form is shown again as typed
        patient = patients.get(session, page.actor, patient_id=patient_id)
        return _page(request, page, patient, form, list(error.problems), status=422)
    return RedirectResponse(f"/patients/{patient_id}/bleeds/{record.id}/triage", 303)


@router.get("/patients/{patient_id}/bleeds/{bleed_id}/triage")
def bleed_triage(
    request: Request, patient_id: int, bleed_id: int, page: Page, session: DbSession
) -> Response:
    record = child_records.get(session, page.actor, BLEEDS, record_id=bleed_id)
    if record.patient_id != patient_id:
        raise NotFoundError("bleed", bleed_id)  # a bleed of another patient is not here
    patient = patients.get(session, page.actor, patient_id=patient_id)
    return render(
        request,
        "forms/bleed_triage.html",
        page,
        patient=patient,
        bleed=record,
        triage=record.triage or {},
        site_labels=SITE_LABELS,
        finding_labels=FINDING_LABELS,
        urgency_labels=URGENCY_LABELS,
    )


def _create_request(form: Mapping[str, Any]) -> BleedCreate:
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {
        "site": _choice(form, "site", SITE_LABELS, problems),
        "bleed_type": _choice(form, "bleed_type", BLEED_TYPE_LABELS, problems),
        "started_at": _moment(form, "started_at", problems, required=True),
        "treatment_ended_at": _moment(form, "treatment_ended_at", problems),
        "findings": list(form.get("findings", [])),
        "hospital_days": _days(form, problems),
        "femoral_neuropathy": bool(form.get("femoral_neuropathy")),
        "neuropathy_recovery_date": _day(form, "neuropathy_recovery_date", problems),
    }
    for name in TEXT_FIELDS:
        values[name] = str(form.get(name, "")).strip() or None
    if problems:
        raise InvalidInputError(problems)
    try:
        return BleedCreate(**values)
    except ValidationError as error:  # lengths and bounds the schema holds
        raise InvalidInputError(field_problems(error)) from None


def _choice(
    form: Mapping[str, Any], name: str, allowed: Mapping[str, str], problems: list[FieldProblem]
) -> str | None:
    value = str(form.get(name, ""))
    if value not in allowed:
        problems.append(FieldProblem.not_one_of(name, value, allowed))
        return None
    return value


def _moment(
    form: Mapping[str, Any], name: str, problems: list[FieldProblem], *, required: bool = False
) -> datetime | None:
    text = str(form.get(name, "")).strip()
    if not text and not required:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        problems.append(FieldProblem.wrong_type(name, text, "a date and time (UTC)"))
        return None


def _day(form: Mapping[str, Any], name: str, problems: list[FieldProblem]) -> date | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FieldProblem.wrong_type(name, text, "a date (YYYY-MM-DD)"))
        return None


def _days(form: Mapping[str, Any], problems: list[FieldProblem]) -> int | None:
    text = str(form.get("hospital_days", "")).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_HOSPITAL_DAYS:
        problems.append(FieldProblem.out_of_range("hospital_days", text, 0, MAX_HOSPITAL_DAYS))
        return None
    return int(text)


def _page(
    request: Request,
    page: Any,
    patient: Any,
    values: Mapping[str, Any],
    problems: list[FieldProblem],
    *,
    status: int = 200,
) -> Response:
    return render(
        request,
        "forms/bleed.html",
        page,
        status_code=status,
        patient=patient,
        values=values,
        problems=problems,
        problem_fields={problem.field.split("[")[0] for problem in problems},
        sites=list(BleedSite),
        site_labels=SITE_LABELS,
        findings=list(Finding),
        finding_labels=FINDING_LABELS,
        bleed_type_labels=BLEED_TYPE_LABELS,
        max_hospital_days=MAX_HOSPITAL_DAYS,
    )
