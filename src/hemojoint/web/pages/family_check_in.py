"""A family uploads a photo or video check-in and reads the therapist's feedback.

The check-ins service checks the type, the size and the file's own bytes and stores the
file with the media store (row and file together or neither); this page only carries
the upload and shows the problems it names (the ``file`` field).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.services import check_ins
from hemojoint.services.family_view import FamilyChild
from hemojoint.services.media_store import MediaStore
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.pages.context import Page, PageContext
from hemojoint.web.pages.family_common import load_child
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
NOTE_MAX_CHARS = 2000
ACCEPT = ",".join(check_ins.CONTENT_TYPES)  # what the service takes, for the file picker


@router.get("/family/{patient_id}/check-in")
def check_in_page(
    request: Request, patient_id: int, page: Page, session: DbSession, now: Now, sent: int = 0
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    return _page(request, page, session, family_child, note="", problems=[], status=200, sent=sent)


def _page(
    request: Request,
    page: PageContext,
    session: Any,
    family_child: FamilyChild,
    *,
    note: str,
    problems: list[FieldProblem],
    status: int,
    sent: int = 0,
) -> Response:
    past: list[Any] = []
    if family_child.enrolment is not None:
        past = list(
            check_ins.list_for_enrolment(
                session, page.actor, enrolment_id=family_child.enrolment.id
            )
        )
        past.reverse()  # newest first
    return render(
        request,
        "family/check_in.html",
        page,
        status_code=status,
        child=family_child,
        past=past,
        note=note,
        problems=problems,
        accept=ACCEPT,
        sent=sent,
    )


@router.post("/family/{patient_id}/check-in")
def upload_check_in(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    now: Now,
    file: Annotated[UploadFile | None, File()] = None,
    note: Annotated[str, Form(max_length=NOTE_MAX_CHARS)] = "",
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    try:
        _upload(session, page, settings, family_child, file, note)
    except InvalidInputError as error:
        # Too large is 413 as in the API: a smaller file would be accepted.
        status = 413 if isinstance(error, check_ins.MediaTooLargeError) else 422
        return _page(
            request,
            page,
            session,
            family_child,
            note=note,
            problems=list(error.problems),
            status=status,
        )
    return RedirectResponse(f"/family/{patient_id}/check-in?sent=1", status_code=303)


def _upload(
    session: Any,
    page: PageContext,
    settings: Any,
    family_child: FamilyChild,
    file: UploadFile | None,
    note: str,
) -> None:
    if family_child.enrolment is None:
        why = "is missing: the child is not in the rehabilitation programme yet"
        raise InvalidInputError.single(
            FieldProblem.invalid("enrolment", None, "a programme enrolment", why)
        )
    if file is None or not file.filename:
        raise InvalidInputError.single(
            FieldProblem.missing(check_ins.FILE_FIELD, "a photo or video file")
        )
    received = check_ins.Upload(file.file, file.filename, file.content_type, file.size)
    check_ins.upload(
        session,
        page.actor,
        MediaStore(settings.media_dir),
        enrolment_id=family_child.enrolment.id,
        upload=received,
        note=note.strip() or None,
    )
