"""MDT meetings: the generated agenda, notes, decisions and actions.

Everything goes through ``services/mdt.py``: the centre scope (another centre's meeting is
404), the ``mdt`` row of the permission matrix (families 403) and the audit are its own.
Decisions are written in the notes; each action has an owner role and a due date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from hemojoint.domain.access import STAFF_ROLES, RecordType, Role
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.schemas.mdt import DESCRIPTION_MAX, NOTES_MAX, ActionCreate, MeetingCreate
from hemojoint.schemas.mdt import MeetingUpdate as MeetingUpdateBody
from hemojoint.services import mdt, rehab_view
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.api.mdt import adherence_rules
from hemojoint.web.pages.context import Page, PageContext, form_values
from hemojoint.web.pages.rehab_common import form_problems, see_other
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
OWNER_ROLES = sorted(role.value for role in STAFF_ROLES)


# --- the list and a new meeting ---------------------------------------------------------------


@router.get("/mdt")
def meetings(request: Request, page: Page, session: DbSession, moment: Now) -> Response:
    page.require_team()
    return _list_page(request, page, session, moment.date(), problems=[], form={})


def _list_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    today: date,
    *,
    problems: list[FieldProblem],
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    found = mdt.list_meetings(session, page.actor, limit=200).items
    upcoming = sorted((m for m in found if m.meeting_date >= today), key=lambda m: m.meeting_date)
    past = [m for m in found if m.meeting_date < today]  # newest first, as listed
    staff = rehab_view.centre_staff(session, page.actor)
    return render(
        request,
        "mdt/list.html",
        page,
        status_code=status_code,
        upcoming=upcoming,
        past=past,
        leaders=[user for user in staff if user.role is Role.REHAB_PHYSICIAN],
        staff=staff,
        names=rehab_view.user_names(session, [m.led_by_id for m in found]),
        may_write=rehab_view.may(page.actor, RecordType.MDT),
        notes_max=NOTES_MAX,
        problems=problems,
        form=form,
    )


@router.post("/mdt")
async def create_meeting(
    request: Request, page: Page, session: DbSession, settings: AppSettings, moment: Now
) -> Response:
    page.require_team()
    form = await request.form()
    values = await form_values(request)
    attendees = [{"user_id": str(user)} for user in form.getlist("attendees")]
    body = {
        "meeting_date": values.get("meeting_date") or None,
        "led_by": values.get("led_by") or None,
        "attendees": attendees,
        "notes": values.get("notes") or None,
    }
    try:
        data = MeetingCreate.model_validate(body)
        rules = adherence_rules(settings)
        created = mdt.create_meeting(session, page.actor, data=data, adherence_rules=rules)
    except (ValidationError, InvalidInputError) as error:
        return _list_page(
            request,
            page,
            session,
            moment.date(),
            problems=form_problems(error),
            form=values,
            status_code=422,
        )
    return see_other(f"/mdt/{created.meeting.id}")


# --- one meeting --------------------------------------------------------------------------------


@router.get("/mdt/{meeting_id}")
def meeting(request: Request, meeting_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    return _meeting_page(request, page, session, meeting_id, problems=[], form={})


def _meeting_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    meeting_id: int,
    *,
    problems: list[FieldProblem],
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    found = mdt.get_meeting(session, page.actor, meeting_id=meeting_id)
    people = [item["user_id"] for item in found.meeting.attendees]
    return render(
        request,
        "mdt/meeting.html",
        page,
        status_code=status_code,
        meeting=found.meeting,
        actions=found.actions,
        names=rehab_view.user_names(session, people),
        owner_roles=OWNER_ROLES,
        may_write=rehab_view.may(page.actor, RecordType.MDT),
        notes_max=NOTES_MAX,
        description_max=DESCRIPTION_MAX,
        problems=problems,
        form=form,
    )


@router.post("/mdt/{meeting_id}/notes")
async def save_notes(request: Request, meeting_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    form = await request.form()
    values = {"notes": str(form.get("notes", "")), "version": str(form.get("version", ""))}
    try:
        data = MeetingUpdateBody.model_validate(values)
        mdt.update_meeting(session, page.actor, meeting_id=meeting_id, data=data)
    except (ValidationError, InvalidInputError) as error:
        return _meeting_page(
            request,
            page,
            session,
            meeting_id,
            problems=form_problems(error),
            form=values,
            status_code=422,
        )
    return see_other(f"/mdt/{meeting_id}#notes")


@router.post("/mdt/{meeting_id}/actions")
async def add_action(request: Request, meeting_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    values = await form_values(request)
    body = {name: values.get(name) or None for name in ActionCreate.model_fields}
    try:
        data = ActionCreate.model_validate(body)
        mdt.create_action(session, page.actor, meeting_id=meeting_id, data=data)
    except (ValidationError, InvalidInputError) as error:
        return _meeting_page(
            request,
            page,
            session,
            meeting_id,
            problems=form_problems(error),
            form=values,
            status_code=422,
        )
    return see_other(f"/mdt/{meeting_id}#actions")


@router.post("/mdt/{meeting_id}/actions/{action_id}/done")
async def mark_done(
    request: Request, meeting_id: int, action_id: int, page: Page, session: DbSession, now: Now
) -> Response:
    """A stale version or another centre's action is refused by the service (409/404 page)."""
    page.require_team()
    form = await request.form()
    version = str(form.get("version", ""))
    number = int(version) if version.isdigit() else 0
    mdt.mark_done(session, page.actor, action_id=action_id, version=number, now=now)
    return see_other(f"/mdt/{meeting_id}#actions")
