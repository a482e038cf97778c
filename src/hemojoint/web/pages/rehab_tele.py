"""Check-in review (the family's photo or video with the therapist's answer) and the message
thread with the family. The media is streamed by a page route after the service's scope
check, so a browser shows it with the session cookie and nobody outside the child's team
or family can fetch it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pydantic import ValidationError

from hemojoint.domain.access import RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.schemas.tele import TEXT_MAX_CHARS, CheckInReply, MessageCreate
from hemojoint.services import check_ins, messages, rehab_view
from hemojoint.services.errors import NotFoundError
from hemojoint.services.media_store import MediaStore
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.pages.context import Page, PageContext
from hemojoint.web.pages.rehab_common import form_problems, see_other
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
THREAD_PAGE = 100  # the newest messages shown; older ones are in the API's paged thread


# --- check-ins ----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/check-ins")
def check_in_list(request: Request, patient_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    return _check_ins_page(request, page, session, patient_id, problems=[], form={})


def _check_ins_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    patient_id: int,
    *,
    problems: list[FieldProblem],
    form: dict[str, str],
    status_code: int = 200,
) -> Response:
    patient = rehab_view.patient(session, page.actor, patient_id)
    enrolment = rehab_view.require_enrolment(session, page.actor, patient.id)
    items = check_ins.list_for_enrolment(session, page.actor, enrolment_id=enrolment.id)
    return render(
        request,
        "rehab/check_ins.html",
        page,
        status_code=status_code,
        patient=patient,
        check_ins=sorted(items, key=lambda item: item.created_at, reverse=True),
        may_reply=rehab_view.may(page.actor, RecordType.CHECK_IN_REVIEW),
        text_max=TEXT_MAX_CHARS,
        problems=problems,
        form=form,
    )


@router.post("/patients/{patient_id}/check-ins/{check_in_id}/reply")
async def reply(
    request: Request,
    patient_id: int,
    check_in_id: int,
    page: Page,
    session: DbSession,
    moment: Now,
) -> Response:
    page.require_team()
    form = await request.form()
    text, version = str(form.get("text", "")), str(form.get("version", ""))
    _check_in_of(session, page, patient_id, check_in_id)
    try:
        data = CheckInReply.model_validate({"text": text, "version": version})
        check_ins.reply(
            session,
            page.actor,
            check_in_id=check_in_id,
            version=data.version,
            text=data.text,
            now=moment,
        )
    except (ValidationError, InvalidInputError) as error:
        found = form_problems(error)
        typed = {"check_in_id": str(check_in_id), "text": text}
        return _check_ins_page(
            request, page, session, patient_id, problems=list(found), form=typed, status_code=422
        )
    return see_other(f"/patients/{patient_id}/check-ins#check-in-{check_in_id}")


@router.get("/patients/{patient_id}/check-ins/{check_in_id}/media")
def media(
    patient_id: int, check_in_id: int, page: Page, session: DbSession, settings: AppSettings
) -> FileResponse:
    """The photo or video, inline, never cached; 404 for anyone who may not see the child."""
    _check_in_of(session, page, patient_id, check_in_id)
    stored = check_ins.media(
        session, page.actor, MediaStore(settings.media_dir), check_in_id=check_in_id
    )
    return FileResponse(
        stored.path,
        media_type=stored.content_type,
        filename=stored.filename,
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


def _check_in_of(session: DbSession, page: PageContext, patient_id: int, check_in_id: int) -> None:
    """The check-in must be this child's: another child's id in the address is not found."""
    record = check_ins.get(session, page.actor, check_in_id=check_in_id)
    if record.patient_id != patient_id:
        raise NotFoundError("check-in", check_in_id)


# --- messages -----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/messages")
def thread(request: Request, patient_id: int, page: Page, session: DbSession) -> Response:
    page.require_team()
    return _thread_page(request, page, session, patient_id, problems=[], body="")


def _thread_page(
    request: Request,
    page: PageContext,
    session: DbSession,
    patient_id: int,
    *,
    problems: list[FieldProblem],
    body: str,
    status_code: int = 200,
) -> Response:
    patient = rehab_view.patient(session, page.actor, patient_id)
    enrolment = rehab_view.require_enrolment(session, page.actor, patient.id)
    found = messages.thread(session, page.actor, enrolment_id=enrolment.id, offset=0, limit=100)
    return render(
        request,
        "rehab/messages.html",
        page,
        status_code=status_code,
        patient=patient,
        messages=found.items,
        authors=rehab_view.user_names(session, [item.author_id for item in found.items]),
        total=found.total,
        may_post=rehab_view.may(page.actor, RecordType.MESSAGE),
        text_max=TEXT_MAX_CHARS,
        problems=problems,
        body=body,
    )


@router.post("/patients/{patient_id}/messages")
async def post_message(
    request: Request, patient_id: int, page: Page, session: DbSession
) -> Response:
    page.require_team()
    form = await request.form()
    body = str(form.get("body", ""))
    enrolment = rehab_view.require_enrolment(session, page.actor, patient_id)
    try:
        data = MessageCreate.model_validate({"body": body})
        messages.post(session, page.actor, enrolment_id=enrolment.id, body=data.body)
    except ValidationError as error:
        return _thread_page(
            request,
            page,
            session,
            patient_id,
            problems=form_problems(error),
            body=body,
            status_code=422,
        )
    return see_other(f"/patients/{patient_id}/messages")
