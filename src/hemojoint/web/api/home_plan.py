"""The printable home plan of an enrolment, for the family: HTML or PDF, English or Chinese."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hemojoint.reports.labels import Language
from hemojoint.services import home_plan
from hemojoint.services.home_plan import ALL_WEEKS, OutputFormat
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now

router = APIRouter(tags=["programme"])

Week = Annotated[
    str, Query(description="all (default), current, or a week number 1 to the programme's weeks")
]


@router.get(
    "/enrolments/{enrolment_id}/home-plan",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def get_home_plan(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    lang: Language = Language.EN,
    output: Annotated[OutputFormat, Query(alias="format")] = OutputFormat.HTML,
    week: Week = ALL_WEEKS,
) -> Response:
    """The current plan version for printing; 404 unless the child is visible to the caller."""
    document = home_plan.render(
        session,
        actor,
        enrolment_id=enrolment_id,
        language=lang,
        output=output,
        week=week,
        definitions_dir=settings.definitions_dir,
        today=moment.date(),
    )
    disposition = "attachment" if output is OutputFormat.PDF else "inline"
    return Response(
        document.body,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{document.filename}"',
            # A child's plan: never kept by shared caches.
            "Cache-Control": "no-store",
        },
    )
