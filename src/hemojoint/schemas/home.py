"""Home training, adverse events and family education as the API sees them (issue 4).

Ranges of a home log (minutes, pain 0-10) are checked by the domain's
``HomeSessionLog``, not here, so the API and the CLI give the same messages; the
types are strict so that ``"yes"`` is never read as ``true``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from hemojoint.schemas.common import NotNull, RecordRead, Strict, VersionedUpdate

EXERCISES_DESCRIPTION = (
    "each exercise code of the current plan's home sessions that week -> done (true) or not"
)
PAIN_DESCRIPTION = "the child's pain on a 0-10 faces scale (0 = no pain)"
STARTED_DESCRIPTION = "when the session started, with the family's UTC offset; on session_date"

# --- home session logs -------------------------------------------------------------------------


class HomeLogCreate(Strict):
    session_date: date
    started_at: AwareDatetime | None = Field(default=None, description=STARTED_DESCRIPTION)
    minutes: StrictInt = Field(description="duration in whole minutes (1-1440)")
    exercises: dict[str, StrictBool] = Field(description=EXERCISES_DESCRIPTION)
    pain_score: StrictInt = Field(description=PAIN_DESCRIPTION)
    notes: str | None = Field(default=None, max_length=2000)


class HomeLogUpdate(VersionedUpdate):
    session_date: Annotated[date | None, NotNull] = None
    started_at: AwareDatetime | None = Field(default=None, description=STARTED_DESCRIPTION)
    minutes: Annotated[StrictInt | None, NotNull] = None
    exercises: Annotated[dict[str, StrictBool] | None, NotNull] = Field(
        default=None, description=EXERCISES_DESCRIPTION
    )
    pain_score: Annotated[StrictInt | None, NotNull] = Field(
        default=None, description=PAIN_DESCRIPTION
    )
    notes: str | None = Field(default=None, max_length=2000)


class HomeLogRead(RecordRead):
    patient_id: int
    enrolment_id: int
    session_date: date
    started_at: datetime | None
    minutes: int
    exercises: dict[str, bool]
    pain_score: int
    notes: str | None
    logged_by_id: int


class AdherenceRead(BaseModel):
    """The domain's adherence (``Adherence.as_dict``) with what it was measured against."""

    enrolment_id: int
    plan_version: int
    programme_start: date = Field(description="day 1 of week 1: the first hospital session")
    as_of: date
    through_week: int | None = Field(description="the last week assessed; null: none yet")
    rules: dict[str, Any] = Field(description="provenance of the provisional thresholds")
    overall: dict[str, Any]
    weeks: list[dict[str, Any]]
    low_adherence: bool
    low_weeks: list[int]
    low_rule: dict[str, Any]
    not_in_current_plan: list[dict[str, Any]] = Field(
        description="exercise codes of logs that the current plan version no longer prescribes"
    )


# --- adverse events ----------------------------------------------------------------------------


class AdverseEventType(StrEnum):
    JOINT_BLEED = "joint_bleed"
    MUSCLE_BLEED = "muscle_bleed"
    PAIN = "pain"  # pain during or after exercise that did not settle
    INJURY = "injury"  # a fall, sprain or strain
    SKIN = "skin"  # bruising or a skin reaction, e.g. from a band
    OTHER = "other"


class AdverseEventSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class SessionDay(StrEnum):
    """Which session of the current plan fell on the event's date (hospital wins a shared day)."""

    HOSPITAL = "hospital"
    HOME = "home"
    NONE = "none"


class AdverseEventCreate(Strict):
    event_type: AdverseEventType
    event_date: date
    related_to_session: StrictBool
    description: str = Field(min_length=1, max_length=2000)
    severity: AdverseEventSeverity
    enrolment_id: int | None = Field(
        default=None, description="the child's enrolment; default: the running one, if any"
    )


class AdverseEventUpdate(VersionedUpdate):
    event_type: Annotated[AdverseEventType | None, NotNull] = None
    event_date: Annotated[date | None, NotNull] = None
    related_to_session: Annotated[StrictBool | None, NotNull] = None
    description: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=2000)
    severity: Annotated[AdverseEventSeverity | None, NotNull] = None


class SessionDayRead(BaseModel):
    kind: SessionDay
    plan_version: int | None = Field(description="the plan version the day was read from")
    sessions: list[str] = Field(description="kinds of every planned session that day")
    home_sessions_logged: int = Field(description="home sessions the family logged that day")


class AdverseEventRecordRead(RecordRead):
    """The stored event (what a 409 returns as ``current``)."""

    patient_id: int
    enrolment_id: int | None
    event_type: AdverseEventType
    event_date: date
    related_to_session: bool
    description: str
    severity: AdverseEventSeverity
    recorded_by_id: int


class AdverseEventRead(AdverseEventRecordRead):
    session_day: SessionDayRead = Field(description="computed from the current plan, never sent")


# --- education ---------------------------------------------------------------------------------


class Language(StrEnum):
    EN = "en"
    ZH_HANS = "zh-Hans"


class MaterialSummary(BaseModel):
    code: str
    version: str
    title: str


class MaterialRead(MaterialSummary):
    language: Language
    body: str
    disclaimer: str = Field(description="education supports, and never replaces, the care team")
    source: dict[str, Any] = Field(description="provenance of the packaged materials")


class EducationAssign(Strict):
    material_code: str = Field(min_length=1, max_length=60)


class EducationAssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    material_code: str
    title: str | None = Field(default=None, description="in the language asked for")
    assigned_by_id: int
    assigned_at: datetime
    read_at: datetime | None
