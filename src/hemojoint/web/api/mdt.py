"""MDT case discussions: the agenda, meetings, and actions on the child's record."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends

from hemojoint.definitions import load_definition
from hemojoint.domain.rehab.adherence import AdherenceRules
from hemojoint.schemas.common import PageOf
from hemojoint.schemas.mdt import (
    ActionCreate,
    ActionDone,
    ActionOnRecord,
    ActionRead,
    AgendaRead,
    MeetingCreate,
    MeetingDetail,
    MeetingRead,
    MeetingUpdate,
)
from hemojoint.services import mdt
from hemojoint.web.api.child_routes import Limit, Offset
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now

router = APIRouter(tags=["mdt"])


def adherence_rules(settings: AppSettings) -> AdherenceRules:
    """This centre's adherence thresholds (read per request: the file may be replaced)."""
    return AdherenceRules.from_mapping(
        load_definition("rehab_review_rules", settings.definitions_dir)
    )


Rules = Annotated[AdherenceRules, Depends(adherence_rules)]


@router.get("/mdt/agenda")
def get_agenda(as_of: date, actor: CurrentActor, session: DbSession, rules: Rules) -> AgendaRead:
    """The children to discuss at a meeting on ``as_of``: red flags first, then new bleeds,
    low adherence and goals not progressing; children with nothing to discuss are left out."""
    built = mdt.agenda(session, actor, as_of=as_of, adherence_rules=rules)
    return AgendaRead.model_validate(
        {
            "as_of": built.as_of,
            "since": built.since,
            "previous_meeting_id": built.previous_meeting.id if built.previous_meeting else None,
            "next_meeting_date": built.earliest_next_meeting,
            "items": built.items_as_dicts(),
        }
    )


@router.get("/mdt/meetings")
def list_meetings(
    actor: CurrentActor,
    session: DbSession,
    from_date: date | None = None,
    to_date: date | None = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[MeetingRead]:
    page = mdt.list_meetings(
        session, actor, from_date=from_date, to_date=to_date, offset=offset, limit=limit
    )
    return PageOf.of(page, MeetingRead.model_validate)


@router.post("/mdt/meetings", status_code=201)
def create_meeting(
    body: MeetingCreate, actor: CurrentActor, session: DbSession, rules: Rules
) -> MeetingDetail:
    found = mdt.create_meeting(session, actor, data=body, adherence_rules=rules)
    return _detail(found)


@router.get("/mdt/meetings/{meeting_id}")
def get_meeting(meeting_id: int, actor: CurrentActor, session: DbSession) -> MeetingDetail:
    return _detail(mdt.get_meeting(session, actor, meeting_id=meeting_id))


@router.patch("/mdt/meetings/{meeting_id}")
def update_meeting(
    meeting_id: int, body: MeetingUpdate, actor: CurrentActor, session: DbSession
) -> MeetingDetail:
    return _detail(mdt.update_meeting(session, actor, meeting_id=meeting_id, data=body))


def _detail(found: mdt.MeetingWithActions) -> MeetingDetail:
    meeting = MeetingRead.model_validate(found.meeting)
    actions = [ActionRead.model_validate(item) for item in found.actions]
    return MeetingDetail(**meeting.model_dump(), actions=actions)


@router.post("/mdt/meetings/{meeting_id}/actions", status_code=201)
def create_action(
    meeting_id: int, body: ActionCreate, actor: CurrentActor, session: DbSession
) -> ActionRead:
    record = mdt.create_action(session, actor, meeting_id=meeting_id, data=body)
    return ActionRead.model_validate(record)


@router.post("/mdt/actions/{action_id}/done")
def mark_action_done(
    action_id: int, body: ActionDone, actor: CurrentActor, session: DbSession, now: Now
) -> ActionRead:
    record = mdt.mark_done(session, actor, action_id=action_id, version=body.version, now=now)
    return ActionRead.model_validate(record)


@router.get("/patients/{patient_id}/mdt-actions")
def list_patient_actions(
    patient_id: int, actor: CurrentActor, session: DbSession, open_only: bool = False
) -> list[ActionOnRecord]:
    """The MDT actions about the child, soonest due first (clinical team only)."""
    found = mdt.patient_actions(session, actor, patient_id=patient_id, open_only=open_only)
    return [
        ActionOnRecord(
            **ActionRead.model_validate(item.action).model_dump(), meeting_date=item.meeting_date
        )
        for item in found
    ]
