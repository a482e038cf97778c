"""Assessments: one instrument administered once, its raw items and the result the domain computed.

The client sends only what was observed (``raw``); ``result``, ``total`` and the
instrument's version and status are always computed by the server, so they are
not accepted on input (an unknown field is refused).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from hemojoint.domain.instruments.base import Status
from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate


class Timepoint(StrEnum):
    """When in the programme the assessment was made (display labels live in i18n)."""

    BASELINE = "baseline"
    WEEK_6 = "week_6"
    WEEK_12 = "week_12"
    FOLLOW_UP = "follow_up"
    OTHER = "other"


RAW_DESCRIPTION = "the item responses: exactly the JSON input of `hemojoint score CODE`"


class AssessmentCreate(Strict):
    instrument_code: str = Field(
        min_length=1, max_length=40, description="e.g. hjhs, head_us, head_us_c, choklat"
    )
    assessed_date: date
    timepoint: Timepoint
    raw: dict[str, Any] = Field(description=RAW_DESCRIPTION)


class AssessmentAmend(VersionedUpdate):
    """A correction: the reason is required and the previous state is kept as history.

    The other fields may be left out (unchanged) but not sent as null. An amendment
    that changes nothing still re-scores with the current definitions.
    """

    reason: str = Field(min_length=1, max_length=500)
    assessed_date: Annotated[date | None, NotNull] = None
    timepoint: Annotated[Timepoint | None, NotNull] = None
    raw: Annotated[dict[str, Any] | None, NotNull] = Field(
        default=None, description=RAW_DESCRIPTION
    )


class AssessmentRead(RecordRead):
    patient_id: int
    instrument_code: str
    instrument_version: str
    instrument_status: Status = Field(
        description="provisional results come from numbers not yet checked against the source"
    )
    assessed_date: date
    timepoint: Timepoint
    assessor_id: int
    raw: dict[str, Any]
    result: dict[str, Any]
    total: float | None = Field(description="the headline number of the result, if it has one")


class AssessmentAmendmentRead(BaseModel):
    """The state of an assessment before one amendment, with who changed it, when and why."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    assessment_id: int
    amended_at: datetime
    amended_by_id: int
    reason: str
    previous_version: int
    previous_assessed_date: date
    previous_timepoint: Timepoint
    previous_raw: dict[str, Any]
    previous_result: dict[str, Any]
