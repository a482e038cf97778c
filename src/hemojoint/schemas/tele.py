"""Shapes of the tele-rehabilitation API: check-ins, online sessions and the message thread.

A check-in is uploaded as multipart form data (a file and an optional note), so it has
no create schema here; its storage key never leaves the server.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field

from hemojoint.persistence.models import MediaKind
from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate

NOTE_MAX_CHARS = 2000
TEXT_MAX_CHARS = 4000


class CheckInStatus(StrEnum):
    AWAITING_REPLY = "awaiting_reply"
    ANSWERED = "answered"


class CheckInRead(RecordRead):
    patient_id: int
    enrolment_id: int
    uploaded_by_id: int
    media_kind: MediaKind
    content_type: str
    size_bytes: int
    original_filename: str
    sha256: str
    note: str | None
    reply: str | None
    replied_by_id: int | None
    replied_at: datetime | None
    archived_reason: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> CheckInStatus:
        return CheckInStatus.ANSWERED if self.replied_at else CheckInStatus.AWAITING_REPLY

    @computed_field  # type: ignore[prop-decorator]
    @property
    def media_url(self) -> str:
        return f"/api/v1/check-ins/{self.id}/media"


class CheckInReply(VersionedUpdate):
    """A therapist's answer; a later reply replaces it (the version guards against a race)."""

    text: str = Field(min_length=1, max_length=TEXT_MAX_CHARS)


class OnlineSessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    enrolment_id: int
    week: int
    scheduled_at: datetime
    held_at: datetime | None
    therapist_id: int | None
    notes: str | None


class OnlineScheduleRequest(Strict):
    """When week 1's session is; later weeks follow at the same time, 7 days apart."""

    first_session_at: AwareDatetime | None = Field(
        default=None, description="within programme week 1; default: its 4th day, 10:00 UTC"
    )


class OnlineSessionUpdate(VersionedUpdate):
    scheduled_at: Annotated[AwareDatetime | None, NotNull] = None
    held_at: AwareDatetime | None = None
    notes: str | None = Field(default=None, max_length=TEXT_MAX_CHARS)


class MessageCreate(Strict):
    body: str = Field(min_length=1, max_length=TEXT_MAX_CHARS)


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    enrolment_id: int | None
    author_id: int
    body: str
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    unread: int
