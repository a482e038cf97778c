"""Permission-matrix probes for the mdt part of the rehabilitation programme (issue 4).

An MDT record of a child is an action decided about them at a meeting of their centre:
read on the child's record, written by recording a new one at such a meeting.
"""

from __future__ import annotations

from datetime import date

from hemojoint.domain.access import Role
from hemojoint.persistence.models import MdtMeetingRecord, PatientRecord
from tests.support.builders import create_user
from tests.support.permission_world import Probe, Request, World
from tests.support.programme_builders import create_action, create_meeting

MEETING_DATE = date(2026, 1, 19)


def _meeting(world: World, patient: PatientRecord) -> MdtMeetingRecord:
    """A meeting of the patient's centre, led by its rehabilitation physician."""
    centre = world.centre_of(patient)
    leader = create_user(world.db, role=Role.REHAB_PHYSICIAN, centre=centre)
    return create_meeting(world.db, centre.id, leader, meeting_date=MEETING_DATE)


def _seed(world: World, patient: PatientRecord) -> str:
    create_action(world.db, _meeting(world, patient), patient)
    return f"/api/v1/patients/{patient.id}/mdt-actions"


def _write(world: World, patient: PatientRecord) -> Request:
    meeting = _meeting(world, patient)
    body = {
        "patient_id": patient.id,
        "description": "Repeat ultrasound of the left ankle",
        "owner_role": "sonographer",
        "due_date": "2026-02-02",  # two weeks after the meeting: allowed
    }
    return ("POST", f"/api/v1/mdt/meetings/{meeting.id}/actions", body)


PROBES: list[Probe] = [
    Probe(
        "mdt",
        ("POST", "/api/v1/mdt/meetings/{meeting_id}/actions"),
        seed=_seed,
        write=_write,
    )
]
