"""The outcome report page and a patient's printable report for a visit or referral.

The outcome report itself is the API's (``/api/v1/reports/outcomes``, the same analysis
as ``hemojoint report outcomes``): the page collects the cohort filters, shows the
report in a frame with a progress bar while it is computed, and links the PDF, JSON and
FHIR exports. A patient filter outside the service's codes (a hand-edited address)
re-renders the form with status 422 and the problem by its field; nothing runs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.outcomes import AGE_BAND_OLDER, AGE_BAND_SPLIT_YEARS, AGE_BAND_YOUNGER
from hemojoint.reports.patient_report import render_patient_report
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.outcome_filters import PatientFilters
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

TIMEPOINTS = ("baseline", "week_6", "week_12", "week_24", "week_52")
_NONE: list[str] = []  # FastAPI copies a query default, so one shared empty list is safe
# The patient filters' codes (hemojoint.services.outcome_filters) and their labels.
PATIENT_FILTER_LABELS = {
    "severity": {"severe": N_("Severe"), "moderate": N_("Moderate"), "mild": N_("Mild")},
    "hemophilia_type": {"A": N_("Hemophilia A"), "B": N_("Hemophilia B")},
    "prior_regimen": {"prophylaxis": N_("Prophylaxis"), "on_demand": N_("On demand")},
    "age_band": {
        AGE_BAND_YOUNGER: N_("Under %(years)s years"),
        AGE_BAND_OLDER: N_("%(years)s years and over"),
    },
}


@router.get("/reports")
def outcome_report_page(
    request: Request,
    page: Page,
    start_from: Annotated[date | None, Query(alias="from")] = None,
    start_to: Annotated[date | None, Query(alias="to")] = None,
    baseline: Annotated[str, Query(max_length=40)] = "baseline",
    follow_up: Annotated[str, Query(max_length=40)] = "week_12",
    severity: Annotated[list[str], Query(max_length=40)] = _NONE,
    hemophilia_type: Annotated[str, Query(max_length=40)] = "",
    prior_regimen: Annotated[str, Query(max_length=40)] = "",
    age_band: Annotated[str, Query(max_length=40)] = "",
    run: bool = False,
) -> Response:
    if page.is_family:  # cohort statistics are for the team, as the API answers
        raise PermissionDeniedError("families may not read cohort reports")
    filters = {"baseline": baseline, "follow_up": follow_up}
    if start_from:
        filters["from"] = start_from.isoformat()
    if start_to:
        filters["to"] = start_to.isoformat()
    chosen = {"hemophilia_type": hemophilia_type, "prior_regimen": prior_regimen}
    chosen["age_band"] = age_band
    problems = _patient_filter_problems(severity, chosen)
    query = urlencode([*filters.items(), *_patient_pairs(severity, chosen)])
    return render(
        request,
        "reports/outcomes.html",
        page,
        status_code=422 if problems else 200,
        problems=problems,
        filters=filters,
        severity=severity,
        chosen=chosen,
        choices=PATIENT_FILTER_LABELS,
        age_split=AGE_BAND_SPLIT_YEARS,
        timepoints=TIMEPOINTS,
        run=run and not problems,
        report_url=f"/api/v1/reports/outcomes?{query}",
    )


def _patient_filter_problems(severity: list[str], chosen: dict[str, str]) -> list[FieldProblem]:
    """The service's own check (one rule for the API and the page), every problem at once."""
    try:
        PatientFilters(tuple(severity), **chosen)
    except InvalidInputError as error:
        return list(error.problems)
    return []


def _patient_pairs(severity: list[str], chosen: dict[str, str]) -> list[tuple[str, str]]:
    # The API's parameters: severity once per value, the others only when one was chosen.
    pairs = [("severity", value) for value in severity]
    return pairs + [(key, value) for key, value in chosen.items() if value]


@router.get("/patients/{patient_id}/report")
def patient_report(
    patient_id: int,
    page: Page,
    session: DbSession,
    moment: Now,
    format: Annotated[str, Query(max_length=10)] = "html",
) -> Response:
    """The printable report in the reader's language; the service checks scope and role."""
    body = render_patient_report(
        session, page.actor, patient_id, fmt=format, lang=page.language, today=moment.date()
    )
    if format == "pdf":
        headers = {"Content-Disposition": f'inline; filename="patient-{patient_id}.pdf"'}
        return Response(body, media_type="application/pdf", headers=headers)
    return Response(body, media_type="text/html; charset=utf-8")
