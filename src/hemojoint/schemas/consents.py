"""Consents given for a child: registry, programme, research, photos and videos."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate


class ConsentKind(StrEnum):
    REGISTRY = "registry"
    PROGRAMME = "programme"
    RESEARCH = "research"
    PHOTO_VIDEO = "photo_video"


GIVEN_BY = "who gave it, e.g. the parent's name, or 'patient'"


class ConsentCreate(Strict):
    kind: ConsentKind
    given_by: str = Field(min_length=1, max_length=200, description=GIVEN_BY)
    given_date: date
    withdrawn_date: date | None = Field(default=None, description="on or after given_date")


class ConsentUpdate(VersionedUpdate):
    kind: Annotated[ConsentKind | None, NotNull] = None
    given_by: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    given_date: Annotated[date | None, NotNull] = None
    # null clears a withdrawal entered by mistake.
    withdrawn_date: date | None = None


class ConsentRead(RecordRead):
    patient_id: int
    kind: ConsentKind
    given_by: str
    given_date: date
    withdrawn_date: date | None
