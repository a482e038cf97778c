"""The programme as the API sees it: enrolments, plan versions and edits, weekly reviews and
joint clearances. Eligibility, plans and reviews are computed by the domain, never sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.eligibility import ImagingFinding, ImagingModality, InhibitorResult
from hemojoint.domain.prophylaxis import Weekday
from hemojoint.domain.rehab.exercise import Equipment
from hemojoint.domain.rehab.model import PROGRAMME_WEEKS, SessionKind
from hemojoint.domain.rehab.review import Decision
from hemojoint.persistence.models import EnrolmentStatus
from hemojoint.schemas.common import RecordRead, Strict

# A sanity bound on a dose a therapist types (not clinical): catches 100 for 10.
MAX_DOSE_NUMBER = 100

# --- enrolments ---------------------------------------------------------------------------------


class ImagingIn(Strict):
    modality: ImagingModality
    finding: ImagingFinding


class InhibitorTestIn(Strict):
    tested_on: date
    result: InhibitorResult


class CandidateFacts(Strict):
    """What the team confirmed at screening; left out or null = not confirmed (fails).

    Age, diagnosis and the bleed history always come from the registry; inhibitor
    tests too when the registry has any (then ``inhibitor_tests`` is not used).
    """

    follows_simple_training: bool | None = None
    joint_bleed_imaging: ImagingIn | None = None
    joint_pain: bool | None = None
    restricted_motion: bool | None = None
    completes_12_weeks: bool | None = None
    active_bleed_on_ultrasound: bool | None = None
    severe_active_bleeding: bool | None = None
    heart_liver_or_kidney_disease: bool | None = None
    other_serious_condition: bool | None = None
    inhibitor_tests: list[InhibitorTestIn] = Field(
        default_factory=list, description="used only when the registry holds no inhibitor result"
    )


class EnrolmentCreate(Strict):
    start_date: date = Field(description="first programme day; eligibility is checked on it")
    candidate: CandidateFacts
    baseline_hjhs_id: int | None = Field(default=None, description="an HJHS of this child")
    baseline_ultrasound_id: int | None = Field(
        default=None, description="a HEAD-US or HEAD-US-C of this child"
    )
    baseline_choklat_id: int | None = Field(default=None, description="a CHO-KLAT of this child")
    regimen_id: int | None = Field(default=None, description="this child's prophylaxis regimen")
    infusion_weekdays: list[Weekday] | None = Field(
        default=None, description="default: the regimen's weekdays"
    )
    weeks: int = Field(default=PROGRAMME_WEEKS, ge=1, le=PROGRAMME_WEEKS)


class EnrolmentWithdraw(Strict):
    version: int = Field(ge=1)
    ended_date: date
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentComplete(Strict):
    version: int = Field(ge=1)
    ended_date: date


class EnrolmentRead(RecordRead):
    patient_id: int
    start_date: date
    weeks: int
    status: EnrolmentStatus
    ended_date: date | None
    end_reason: str | None
    eligibility: dict[str, Any] = Field(description="the check as it was on the start date")
    baseline_hjhs_id: int | None
    baseline_ultrasound_id: int | None
    baseline_choklat_id: int | None
    regimen_id: int | None
    infusion_weekdays: list[str]
    enrolled_by_id: int


# --- plans --------------------------------------------------------------------------------------


class PlanGenerate(Strict):
    home_weekdays: list[Weekday] | None = Field(
        default=None, description="days the family trains at home; default every day"
    )
    home_equipment: list[Equipment] | None = Field(
        default=None, description="equipment the family has; default all"
    )
    reason: str = Field(default="generated", min_length=1, max_length=500)


class PlanVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    plan_id: int
    enrolment_id: int
    number: int
    created_at: datetime
    created_by_id: int
    reason: str
    content: dict[str, Any]


class PlanVersionSummary(BaseModel):
    plan_id: int
    enrolment_id: int
    number: int
    created_at: datetime
    created_by_id: int
    reason: str


class SessionSelector(Strict):
    """Which sessions a change applies to: every filter given must hold (none: all)."""

    weeks: list[int] | None = Field(default=None, description="programme weeks 1-12")
    kinds: list[SessionKind] | None = None
    dates: list[date] | None = None


class GoalEdit(Strict):
    index: int = Field(ge=0, description="position in the current version's goals")
    target: int | None = None
    due_week: int | None = None


class Dose(Strict):
    sets: int | None = Field(default=None, ge=1, le=MAX_DOSE_NUMBER)
    reps: int | None = Field(default=None, ge=1, le=MAX_DOSE_NUMBER)
    hold_seconds: int | None = Field(default=None, ge=1, le=MAX_DOSE_NUMBER)
    minutes: int | None = Field(default=None, ge=1, le=MAX_DOSE_NUMBER)


class ExerciseAdd(SessionSelector):
    code: str = Field(min_length=1, max_length=80)
    joints: list[IndexJoint] | None = Field(
        default=None, description="default: every joint of the exercise's kinds"
    )
    dose: Dose | None = Field(default=None, description="default: the library's, at intensity")


class ExerciseRemove(SessionSelector):
    code: str = Field(min_length=1, max_length=80)


class ExerciseDose(SessionSelector):
    code: str = Field(min_length=1, max_length=80)
    dose: Dose


class PlanEdit(Strict):
    """A therapist's change: it becomes a new version; the old one is kept as it was."""

    version: int = Field(ge=1, description="the plan version you edited; a stale one gets 409")
    reason: str = Field(min_length=1, max_length=500)
    goals: list[GoalEdit] = Field(default_factory=list)
    add_exercises: list[ExerciseAdd] = Field(default_factory=list)
    remove_exercises: list[ExerciseRemove] = Field(default_factory=list)
    dose_exercises: list[ExerciseDose] = Field(default_factory=list)


# --- reviews and clearances ---------------------------------------------------------------------


class ReviewCreate(Strict):
    week: int = Field(ge=1, le=PROGRAMME_WEEKS)


class ReviewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enrolment_id: int
    week: int
    decision: Decision
    paused_joints: list[str]
    suggestions: list[Any]
    reasons: list[Any] = Field(
        description="each {code, text, joint}; a paused joint's also lists its paused exercises"
    )
    reviewed_by_id: int
    created_at: datetime


class ClearanceCreate(Strict):
    joint: BleedSite
    bleed_id: int | None = Field(default=None, description="the bleed cleared, in that joint")
    cleared_at: AwareDatetime | None = Field(default=None, description="default: now")
    note: str | None = Field(default=None, max_length=1000)


class ClearanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    enrolment_id: int | None
    joint: BleedSite
    bleed_id: int | None
    cleared_by_id: int
    cleared_at: datetime
    note: str | None
