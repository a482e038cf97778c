"""MDT case discussions as the API sees them: the agenda, meetings, attendees and actions.

The agenda and the attendees' roles are computed (from the registry and from the users),
never sent by a client.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from hemojoint.domain.access import Role
from hemojoint.schemas.common import Strict, VersionedUpdate

NOTES_MAX = 4000  # the column's length
DESCRIPTION_MAX = 2000


class AgendaReasonRead(BaseModel):
    category: str = Field(description="red_flag, new_bleed, low_adherence, goal_not_progressing")
    text: str
    on: date | None = Field(description="the day of the event, when it has one")
    urgency: str | None = Field(description="emergency or urgent, for red flags only")


class AgendaItemRead(BaseModel):
    patient_id: int
    label: str = Field(description="the child's record number")
    category: str = Field(description="the most serious reason's category")
    reasons: list[AgendaReasonRead]
    enrolment_id: int
    programme_start_date: date = Field(
        description="day 1 of programme week 1: the first infusion day on or after the start"
    )
    next_meeting_date: date | None = Field(
        description="the child's next case discussion (every 14 days from the programme start)"
    )


class AgendaRead(BaseModel):
    as_of: date
    since: date = Field(description="events from this day count as new (the previous meeting)")
    previous_meeting_id: int | None
    next_meeting_date: date | None = Field(
        description="the earliest next case discussion of the children enrolled"
    )
    items: list[AgendaItemRead]


class AttendeeIn(Strict):
    user_id: int = Field(ge=1)


class AttendeeRead(BaseModel):
    user_id: int
    role: Role


class MeetingCreate(Strict):
    meeting_date: date
    led_by: int = Field(ge=1, description="a rehabilitation physician of the centre")
    attendees: list[AttendeeIn] = Field(
        default_factory=list, description="users of the centre; the leader is added if missing"
    )
    notes: str | None = Field(default=None, max_length=NOTES_MAX)


class MeetingUpdate(VersionedUpdate):
    notes: str | None = Field(default=None, max_length=NOTES_MAX)


class MeetingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    centre_id: int
    meeting_date: date
    led_by_id: int
    notes: str | None
    attendees: list[AttendeeRead]
    agenda: list[AgendaItemRead] = Field(description="the agenda as built for this meeting")


class ActionCreate(Strict):
    patient_id: int = Field(ge=1)
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    # Text, not Role: the domain names the allowed staff roles when it refuses one.
    owner_role: str = Field(description="a staff role: hematologist, rehab_physician, ...")
    due_date: date = Field(description="on or after the meeting")


class ActionDone(Strict):
    version: int = Field(ge=1)


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    meeting_id: int
    patient_id: int
    description: str
    owner_role: Role
    due_date: date
    done_at: datetime | None


class ActionOnRecord(ActionRead):
    """An action as shown on the child's record, with the meeting that decided it."""

    meeting_date: date


class MeetingDetail(MeetingRead):
    actions: list[ActionRead]
