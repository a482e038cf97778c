"""Research reports and exports over the API: the outcome analysis and the FHIR Bundle.

``GET /reports/outcomes`` takes the filters of ``hemojoint report outcomes`` (centre,
from, to, baseline, follow_up, severity (repeatable), hemophilia_type, prior_regimen,
age_band) and ``format=json|html|pdf``: the JSON body is exactly
what the CLI writes; HTML and PDF are the same printable report. ``GET /exports/fhir``
is ``hemojoint export fhir`` for the caller's centre. Callers see their own centre only
(another is 404); families may not read either (403). Both are audited.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.reports.outcomes_report import (
    printable_source,
    render_html,
    render_pdf,
)
from hemojoint.services import fhir_export, outcomes
from hemojoint.services.outcome_filters import SEVERITIES, PatientFilters
from hemojoint.services.outcomes_report_data import outcomes_report_data
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now

router = APIRouter(tags=["reports"])
FHIR_JSON = "application/fhir+json"
# Cohort data of identifiable children: never kept by shared caches.
NO_STORE = {"Cache-Control": "no-store"}


class ReportFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


_SEVERITIES = ", ".join(SEVERITIES)
_NONE: list[str] = []  # FastAPI copies a query default, so one shared empty list is safe

_MEDIA = {ReportFormat.HTML: "text/html; charset=utf-8", ReportFormat.PDF: "application/pdf"}


@router.get(
    "/reports/outcomes",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/html": {}, "application/pdf": {}}}},
)
def get_outcomes_report(
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    centre: Annotated[str | None, Query(description="the caller's centre code")] = None,
    start_from: Annotated[date | None, Query(alias="from")] = None,
    start_to: Annotated[date | None, Query(alias="to")] = None,
    baseline: str = "baseline",
    follow_up: str = "week_12",
    severity: Annotated[list[str], Query(description="repeatable: " + _SEVERITIES)] = _NONE,
    hemophilia_type: Annotated[str | None, Query(description="A or B")] = None,
    prior_regimen: Annotated[str | None, Query(description="prophylaxis or on_demand")] = None,
    age_band: Annotated[str | None, Query(description="at the enrolment start")] = None,
    output: Annotated[ReportFormat, Query(alias="format")] = ReportFormat.JSON,
) -> Response:
    """The outcome analysis of the caller's centre (enrolments starting from..to).

    ``severity`` (repeatable), ``hemophilia_type``, ``prior_regimen`` and ``age_band``
    keep only those patients; a value outside the codes is 422 naming it and the codes.
    """
    if start_from and start_to and start_to < start_from:
        why = f"is before from {start_from.isoformat()}"
        raise InvalidInputError(
            [FieldProblem.invalid("to", start_to.isoformat(), "a date on or after from", why)]
        )
    patients = PatientFilters(tuple(severity), hemophilia_type, prior_regimen, age_band)
    cohort = outcomes.CohortFilter(centre, start_from, start_to, baseline, follow_up, patients)
    scoped = outcomes.cohort_for(session, actor, cohort)
    data = outcomes_report_data(session, scoped, definitions_dir=settings.definitions_dir)
    if output is ReportFormat.JSON:
        return JSONResponse(data.report, headers=NO_STORE)
    source = printable_source(data, database_url=settings.database_url, generated_at=moment)
    body = (
        render_html(source).encode("utf-8") if output is ReportFormat.HTML else render_pdf(source)
    )
    filename = f"outcomes-{scoped.centre_code}-{moment.date().isoformat()}.{output.value}"
    disposition = "attachment" if output is ReportFormat.PDF else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', **NO_STORE}
    return Response(body, media_type=_MEDIA[output], headers=headers)


@router.get(
    "/exports/fhir",
    response_class=JSONResponse,
    responses={200: {"content": {FHIR_JSON: {}}}},
)
def get_fhir_export(actor: CurrentActor, session: DbSession, moment: Now) -> Response:
    """The caller's centre as one FHIR R4B Bundle (type collection), validated."""
    export = fhir_export.export_for(session, actor, now=moment)
    filename = f"hemojoint-{moment.date().isoformat()}.fhir.json"
    headers: dict[str, Any] = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        **NO_STORE,
    }
    return JSONResponse(export.bundle, media_type=FHIR_JSON, headers=headers)
