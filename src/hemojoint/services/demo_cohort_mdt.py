"""The demo cohort's MDT case discussions, recorded through :mod:`.mdt` (agenda computed).

REFERENCE.md section 1: an MDT online case discussion every two weeks, led by the
rehabilitation specialist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.schemas.mdt import ActionCreate, AttendeeIn, MeetingCreate
from hemojoint.services import adherence, mdt
from hemojoint.services.actor import Actor

MEETINGS = 4
EVERY_DAYS = 14
ATTENDING = (Role.HEMATOLOGIST, Role.THERAPIST, Role.SONOGRAPHER, Role.NURSE)


def add_meetings(
    session: Session,
    actors: Mapping[Role, Actor],
    patient_ids: Sequence[int],
    today: date,
    definitions_dir: Path | None,
) -> int:
    """The last few fortnightly meetings up to ``today``, each with one action."""
    leader = actors[Role.REHAB_PHYSICIAN]
    rules = adherence.adherence_rules(definitions_dir)
    for number in range(MEETINGS):
        meeting_date = today - timedelta(days=EVERY_DAYS * (MEETINGS - 1 - number))
        data = MeetingCreate(
            meeting_date=meeting_date,
            led_by=leader.user_id,
            attendees=[AttendeeIn(user_id=actors[role].user_id) for role in ATTENDING],
            notes=f"Synthetic demo case discussion {number + 1}.",
        )
        found = mdt.create_meeting(session, leader, data=data, adherence_rules=rules)
        action = ActionCreate(
            patient_id=patient_ids[(number * 7) % len(patient_ids)],
            description="Review the home plan with the family (synthetic demo action)",
            owner_role=Role.THERAPIST.value,
            due_date=meeting_date + timedelta(days=EVERY_DAYS),
        )
        mdt.create_action(session, leader, meeting_id=found.meeting.id, data=action)
    return MEETINGS
