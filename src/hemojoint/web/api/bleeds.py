"""Bleeds of a patient: the standard child-record routes, with a filtered list.

The list adds filters (site, urgency, start window) to the shared routes; until
``child_routes`` takes a filter dependency, its unfiltered list is left out here
and this one takes its place at the same path.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import AwareDatetime

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.triage import Urgency
from hemojoint.schemas.bleeds import BleedCreate, BleedRead, BleedUpdate
from hemojoint.schemas.common import PageOf
from hemojoint.services import bleeds
from hemojoint.services.bleeds import BLEEDS
from hemojoint.web.api.child_routes import Limit, Offset, child_routes
from hemojoint.web.api.deps import CurrentActor, DbSession

router = APIRouter()


@router.get("/patients/{patient_id}/bleeds", tags=["bleed"], name="list_bleeds")
def list_bleeds(
    patient_id: int,
    actor: CurrentActor,
    session: DbSession,
    site: BleedSite | None = None,
    urgency: Urgency | None = None,
    started_from: AwareDatetime | None = None,
    started_before: AwareDatetime | None = None,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[BleedRead]:
    """Newest first. ``started_from`` is inclusive, ``started_before`` exclusive."""
    filters = bleeds.BleedFilters(
        site=site,
        urgency=urgency,
        started_from=started_from,
        started_before=started_before,
        archived=archived,
    )
    page = bleeds.list_(
        session, actor, patient_id=patient_id, filters=filters, offset=offset, limit=limit
    )
    return PageOf.of(page, BleedRead.model_validate)


_standard = child_routes(
    BLEEDS, path="/bleeds", create_schema=BleedCreate, update_schema=BleedUpdate
)
_standard.routes[:] = [
    route for route in _standard.routes if getattr(route, "name", None) != "list_bleeds"
]
router.include_router(_standard)
