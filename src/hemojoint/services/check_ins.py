"""Photo and video check-ins: a family uploads, the rehab team reviews and answers.

Order of checks on upload: the enrolment must be visible (404), the role may upload
(403), the declared type is one we take (422), the size is within the limit of its
kind (413), and the file's own first bytes agree with the declared type (422).
The file is stored outside the database (``services/media_store.py``); the row and the
file are saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence.models import CheckInRecord, MediaKind, ProgrammeEnrolmentRecord
from hemojoint.persistence.repositories import tele as tele_repo
from hemojoint.schemas.tele import CheckInRead, CheckInStatus
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError
from hemojoint.services.media_store import MediaStore, SizeLimitExceeded, StagedMedia, sniff
from hemojoint.services.tele import visible_enrolment

ENTITY = "check_in"
FILE_FIELD = "file"
MEGABYTE = 1024 * 1024
# Upload limits (read at call time, so a deployment or a test may change them). A phone
# photo is 2-5 MB; 200 MB holds a few minutes of phone video of an exercise.
PHOTO_MAX_BYTES = 10 * MEGABYTE
VIDEO_MAX_BYTES = 200 * MEGABYTE
CONTENT_TYPES = {
    "image/jpeg": MediaKind.PHOTO,
    "image/png": MediaKind.PHOTO,
    "image/webp": MediaKind.PHOTO,
    "video/mp4": MediaKind.VIDEO,
    "video/webm": MediaKind.VIDEO,
    "video/quicktime": MediaKind.VIDEO,
}


class MediaTooLargeError(InvalidInputError):
    """The file is over the limit of its kind (the web layer answers 413)."""

    code = "too_large"


@dataclass(frozen=True)
class Upload:
    """A file as received: its bytes, and what the sender said about it."""

    stream: BinaryIO
    filename: str | None
    content_type: str | None
    size_bytes: int | None = None  # when the transport already knows it


def max_bytes(kind: MediaKind) -> int:
    return PHOTO_MAX_BYTES if kind is MediaKind.PHOTO else VIDEO_MAX_BYTES


def render(record: CheckInRecord) -> dict[str, Any]:
    return CheckInRead.model_validate(record).model_dump(mode="json")


def upload(
    session: Session,
    actor: Actor,
    store: MediaStore,
    *,
    enrolment_id: int,
    upload: Upload,
    note: str | None = None,
) -> CheckInRecord:
    enrolment = visible_enrolment(session, actor, enrolment_id, for_write=True)
    actor.require(Action.WRITE, RecordType.CHECK_IN)
    content_type, kind = _declared_type(upload.content_type)
    limit = max_bytes(kind)
    if upload.size_bytes is not None and upload.size_bytes > limit:
        raise _too_large(upload.size_bytes, limit, kind)
    try:
        staged = store.stage(upload.stream, limit_bytes=limit)
    except SizeLimitExceeded as error:
        raise _too_large(error.received_bytes, limit, kind) from None
    published = False
    try:
        _check_signature(staged, content_type)
        record = _new_record(actor, enrolment, staged, upload, content_type, kind, note)
        session.add(record)
        session.flush()
        store.publish(session, staged)
        published = True
        _audit(session, actor, "create", record)
    except BaseException:
        store.discard(staged, published=published)
        raise
    return record


def _declared_type(declared: str | None) -> tuple[str, MediaKind]:
    content_type = (declared or "").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES:
        raise InvalidInputError.single(
            FieldProblem.not_one_of(f"{FILE_FIELD}.content_type", content_type, CONTENT_TYPES)
        )
    return content_type, CONTENT_TYPES[content_type]


def _too_large(size_bytes: int, limit_bytes: int, kind: MediaKind) -> MediaTooLargeError:
    allowed = f"at most {limit_bytes} bytes ({limit_bytes / MEGABYTE:g} MB) for a {kind.value}"
    message = f"{FILE_FIELD}: {size_bytes} bytes is over the limit of {allowed}"
    return MediaTooLargeError([FieldProblem(FILE_FIELD, size_bytes, allowed, message)])


def _check_signature(staged: StagedMedia, content_type: str) -> None:
    """The bytes must be what the sender says: a renamed file or a script is refused."""
    if content_type not in sniff(staged.head):
        found = ", ".join(sorted(sniff(staged.head))) or "not a photo or video type we accept"
        raise InvalidInputError.single(
            FieldProblem.invalid(
                FILE_FIELD,
                content_type,
                f"a file whose contents are {content_type}",
                f"was declared, but the file's contents are {found}",
            )
        )


def _new_record(
    actor: Actor,
    enrolment: ProgrammeEnrolmentRecord,
    staged: StagedMedia,
    upload: Upload,
    content_type: str,
    kind: MediaKind,
    note: str | None,
) -> CheckInRecord:
    return CheckInRecord(
        patient_id=enrolment.patient_id,
        enrolment_id=enrolment.id,
        uploaded_by_id=actor.user_id,
        media_kind=kind,
        content_type=content_type,
        size_bytes=staged.size_bytes,
        storage_key=staged.key,
        original_filename=_display_name(upload.filename),
        sha256=staged.sha256,
        note=note or None,
    )


def _display_name(filename: str | None) -> str:
    """The sender's file name without any folders or control characters (metadata only)."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "upload"


# --- reading, answering, withdrawing -----------------------------------------------------------


def get(session: Session, actor: Actor, *, check_in_id: int) -> CheckInRecord:
    record = _load(session, actor, check_in_id)
    actor.require(Action.READ, RecordType.CHECK_IN)
    _audit(session, actor, "read", record)
    return record


@dataclass(frozen=True)
class StoredFile:
    path: Path
    content_type: str
    filename: str


def media(session: Session, actor: Actor, store: MediaStore, *, check_in_id: int) -> StoredFile:
    """The file to stream, for someone allowed to see the child (404 for anyone else)."""
    record = _load(session, actor, check_in_id)
    actor.require(Action.READ, RecordType.CHECK_IN)
    path = store.path_of(record.storage_key)
    if not path.is_file():
        raise NotFoundError("check-in media", check_in_id)
    audit.record(
        session,
        actor,
        action="read",
        entity="check_in_media",
        entity_id=record.id,
        patient_id=record.patient_id,
    )
    return StoredFile(path, record.content_type, record.original_filename)


def list_for_enrolment(
    session: Session,
    actor: Actor,
    *,
    enrolment_id: int,
    status: CheckInStatus | None = None,
    archived: bool = False,
) -> Sequence[CheckInRecord]:
    enrolment = visible_enrolment(session, actor, enrolment_id)
    actor.require(Action.READ, RecordType.CHECK_IN)
    items = [
        item
        for item in tele_repo.enrolment_check_ins(session, enrolment.id, archived=archived)
        if status is None or _status(item) is status
    ]
    audit.record(
        session,
        actor,
        action="list",
        entity=ENTITY,
        patient_id=enrolment.patient_id,
        detail={"enrolment_id": enrolment.id, "returned_ids": [item.id for item in items]},
    )
    return items


def reply(
    session: Session, actor: Actor, *, check_in_id: int, version: int, text: str, now: datetime
) -> CheckInRecord:
    record = _load(session, actor, check_in_id)
    actor.require(Action.WRITE, RecordType.CHECK_IN_REVIEW)
    records.check_version(record, version, render)
    if record.archived_at is not None:
        raise ConflictError("the check-in was withdrawn (archived); restore it to answer")
    record.reply, record.replied_by_id, record.replied_at = text, actor.user_id, now
    session.flush()
    _audit(session, actor, "reply", record)
    return record


def set_archived(
    session: Session, actor: Actor, *, check_in_id: int, version: int, reason: str | None
) -> CheckInRecord:
    """Withdraw (with a reason) or restore an upload; the file itself is kept."""
    record = _load(session, actor, check_in_id)
    actor.require(Action.WRITE, RecordType.CHECK_IN)
    records.check_version(record, version, render)
    records.set_archived(record, reason)
    session.flush()
    _audit(session, actor, "archive" if reason else "restore", record)
    return record


def _status(record: CheckInRecord) -> CheckInStatus:
    return CheckInStatus.ANSWERED if record.replied_at else CheckInStatus.AWAITING_REPLY


def _load(session: Session, actor: Actor, check_in_id: int) -> CheckInRecord:
    record = tele_repo.get_visible_check_in(session, actor.viewer, check_in_id)
    if record is None:
        raise NotFoundError(ENTITY, check_in_id)
    return record


def _audit(session: Session, actor: Actor, action: str, record: CheckInRecord) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.patient_id,
    )
