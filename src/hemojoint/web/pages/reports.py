"""The outcome report page and a patient's printable report for a visit or referral.

The outcome report itself is the API's (``/api/v1/reports/outcomes``, the same analysis
as ``hemojoint report outcomes``): the page collects the cohort filters, shows the
report in a frame with a progress bar while it is computed, and links the PDF, JSON and
FHIR exports.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hemojoint.reports.patient_report import render_patient_report
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

TIMEPOINTS = ("baseline", "week_6", "week_12", "week_24", "week_52")


@router.get("/reports")
def outcome_report_page(
    request: Request,
    page: Page,
    start_from: Annotated[date | None, Query(alias="from")] = None,
    start_to: Annotated[date | None, Query(alias="to")] = None,
    baseline: Annotated[str, Query(max_length=40)] = "baseline",
    follow_up: Annotated[str, Query(max_length=40)] = "week_12",
    run: bool = False,
) -> Response:
    if page.is_family:  # cohort statistics are for the team, as the API answers
        raise PermissionDeniedError("families may not read cohort reports")
    filters = {"baseline": baseline, "follow_up": follow_up}
    if start_from:
        filters["from"] = start_from.isoformat()
    if start_to:
        filters["to"] = start_to.isoformat()
    query = urlencode(filters)
    return render(
        request,
        "reports/outcomes.html",
        page,
        filters=filters,
        timepoints=TIMEPOINTS,
        run=run,
        report_url=f"/api/v1/reports/outcomes?{query}",
    )


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
