"""The alerts inbox: emergency triage results first, acknowledged by a named clinician."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hemojoint.domain.access import Action, RecordType, is_allowed
from hemojoint.services import alerts, alerts_view
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.labels import URGENCY_LABELS
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
STATUS_TABS = [
    ("open", N_("Open")),
    ("acknowledged", N_("Acknowledged")),
    ("all", N_("All")),
]


@router.get("/alerts")
def inbox(
    request: Request,
    page: Page,
    session: DbSession,
    status: Annotated[str, Query(max_length=20)] = "open",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    listed, rows = alerts_view.inbox(
        session, page.actor, status=status, offset=offset, limit=PAGE_SIZE
    )
    template = "alerts/_table.html" if request.headers.get("HX-Request") else "alerts/inbox.html"
    return render(
        request,
        template,
        page,
        rows=rows,
        listed=listed,
        status=status,
        tabs=STATUS_TABS,
        urgency_labels=URGENCY_LABELS,
        may_acknowledge=is_allowed(page.role, Action.WRITE, RecordType.ALERT),
    )


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    alert_id: int,
    page: Page,
    session: DbSession,
    moment: Now,
    version: Annotated[int, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    # A second acknowledgement or a stale version is a 409 page naming who acknowledged it.
    alerts.acknowledge(session, page.actor, alert_id, version=version, note=note, now=moment)
    return RedirectResponse(f"/alerts?acknowledged={alert_id}", status_code=303)
