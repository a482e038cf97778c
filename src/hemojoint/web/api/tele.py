"""Tele-rehabilitation: photo and video check-ins, weekly online sessions, the message thread."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from hemojoint.schemas.common import MAX_PAGE_SIZE, ArchiveRequest, PageOf, RestoreRequest
from hemojoint.schemas.tele import (
    NOTE_MAX_CHARS,
    CheckInRead,
    CheckInReply,
    CheckInStatus,
    MessageCreate,
    MessageRead,
    OnlineScheduleRequest,
    OnlineSessionRead,
    OnlineSessionUpdate,
    UnreadCount,
)
from hemojoint.services import check_ins, messages, tele
from hemojoint.services.media_store import MediaStore
from hemojoint.web.api.deps import AppSettings, CurrentActor, DbSession, Now
from hemojoint.web.api.errors import domain_error_response

router = APIRouter(tags=["tele-rehabilitation"])

Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]

# --- check-ins ---------------------------------------------------------------------------------


@router.post("/enrolments/{enrolment_id}/check-ins", status_code=201, response_model=CheckInRead)
def upload_check_in(
    enrolment_id: int,
    file: Annotated[
        UploadFile, File(description="a photo (JPEG, PNG, WebP) or video (MP4, WebM, MOV)")
    ],
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    note: Annotated[str | None, Form(max_length=NOTE_MAX_CHARS)] = None,
) -> Any:
    received = check_ins.Upload(file.file, file.filename, file.content_type, file.size)
    store = MediaStore(settings.media_dir)
    try:
        record = check_ins.upload(
            session, actor, store, enrolment_id=enrolment_id, upload=received, note=note
        )
    except check_ins.MediaTooLargeError as error:
        # Nothing was written; 413 tells the client that a smaller file would be accepted.
        response: JSONResponse = domain_error_response(error)
        response.status_code = 413
        return response
    return CheckInRead.model_validate(record)


@router.get("/enrolments/{enrolment_id}/check-ins")
def list_check_ins(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    status: CheckInStatus | None = None,
    archived: bool = False,
) -> list[CheckInRead]:
    items = check_ins.list_for_enrolment(
        session, actor, enrolment_id=enrolment_id, status=status, archived=archived
    )
    return [CheckInRead.model_validate(item) for item in items]


@router.get("/check-ins/{check_in_id}")
def get_check_in(check_in_id: int, actor: CurrentActor, session: DbSession) -> CheckInRead:
    return CheckInRead.model_validate(check_ins.get(session, actor, check_in_id=check_in_id))


@router.get("/check-ins/{check_in_id}/media", response_class=FileResponse)
def get_check_in_media(
    check_in_id: int, actor: CurrentActor, session: DbSession, settings: AppSettings
) -> FileResponse:
    store = MediaStore(settings.media_dir)
    stored = check_ins.media(session, actor, store, check_in_id=check_in_id)
    return FileResponse(
        stored.path,
        media_type=stored.content_type,
        filename=stored.filename,
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


@router.post("/check-ins/{check_in_id}/reply")
def reply_to_check_in(
    check_in_id: int, body: CheckInReply, actor: CurrentActor, session: DbSession, moment: Now
) -> CheckInRead:
    record = check_ins.reply(
        session, actor, check_in_id=check_in_id, version=body.version, text=body.text, now=moment
    )
    return CheckInRead.model_validate(record)


@router.post("/check-ins/{check_in_id}/archive")
def archive_check_in(
    check_in_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
) -> CheckInRead:
    record = check_ins.set_archived(
        session, actor, check_in_id=check_in_id, version=body.version, reason=body.reason
    )
    return CheckInRead.model_validate(record)


@router.post("/check-ins/{check_in_id}/restore")
def restore_check_in(
    check_in_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
) -> CheckInRead:
    record = check_ins.set_archived(
        session, actor, check_in_id=check_in_id, version=body.version, reason=None
    )
    return CheckInRead.model_validate(record)


# --- online sessions ---------------------------------------------------------------------------


@router.post("/enrolments/{enrolment_id}/online-sessions/schedule")
def schedule_online_sessions(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    body: OnlineScheduleRequest | None = None,
) -> list[OnlineSessionRead]:
    records = tele.schedule_online_sessions(
        session,
        actor,
        enrolment_id=enrolment_id,
        first_session_at=body.first_session_at if body else None,
    )
    return [OnlineSessionRead.model_validate(record) for record in records]


@router.get("/enrolments/{enrolment_id}/online-sessions")
def list_online_sessions(
    enrolment_id: int, actor: CurrentActor, session: DbSession
) -> list[OnlineSessionRead]:
    records = tele.list_online_sessions(session, actor, enrolment_id=enrolment_id)
    return [OnlineSessionRead.model_validate(record) for record in records]


@router.get("/online-sessions/{session_id}")
def get_online_session(
    session_id: int, actor: CurrentActor, session: DbSession
) -> OnlineSessionRead:
    record = tele.get_online_session(session, actor, session_id=session_id)
    return OnlineSessionRead.model_validate(record)


@router.patch("/online-sessions/{session_id}")
def update_online_session(
    session_id: int,
    body: OnlineSessionUpdate,
    actor: CurrentActor,
    session: DbSession,
    moment: Now,
) -> OnlineSessionRead:
    record = tele.update_online_session(
        session, actor, session_id=session_id, data=body, now=moment
    )
    return OnlineSessionRead.model_validate(record)


# --- the message thread ------------------------------------------------------------------------


@router.get("/enrolments/{enrolment_id}/messages")
def list_messages(
    enrolment_id: int,
    actor: CurrentActor,
    session: DbSession,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[MessageRead]:
    page = messages.thread(session, actor, enrolment_id=enrolment_id, offset=offset, limit=limit)
    return PageOf.of(page, MessageRead.model_validate)


@router.post("/enrolments/{enrolment_id}/messages", status_code=201)
def post_message(
    enrolment_id: int, body: MessageCreate, actor: CurrentActor, session: DbSession
) -> MessageRead:
    record = messages.post(session, actor, enrolment_id=enrolment_id, body=body.body)
    return MessageRead.model_validate(record)


@router.get("/enrolments/{enrolment_id}/messages/unread")
def count_unread_messages(
    enrolment_id: int, actor: CurrentActor, session: DbSession
) -> UnreadCount:
    return UnreadCount(unread=messages.unread_count(session, actor, enrolment_id=enrolment_id))


@router.post("/messages/{message_id}/read")
def mark_message_read(
    message_id: int, actor: CurrentActor, session: DbSession, moment: Now
) -> MessageRead:
    record = messages.mark_read(session, actor, message_id=message_id, now=moment)
    return MessageRead.model_validate(record)
