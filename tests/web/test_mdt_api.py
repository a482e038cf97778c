"""MDT case discussions through the API: the agenda from the registry, meetings, actions.

Expected values come from REFERENCE.md section 1 ("MDT online case discussion every two
weeks, led by the rehabilitation specialist"), issue 4 ("the agenda is built
automatically from the children with new bleeds, red-flag triage results, low adherence
or goals not progressing; attendees by role; decisions recorded as actions with an owner
role and a due date, visible on the child's record"), REFERENCE.md section 4 (triage:
a head injury is an emergency, a joint bleed urgent) and the provisional adherence rule
of ``rehab_review_rules`` (low: under 60 % of the prescribed home sessions in each of the
2 most recent weeks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.models import AuditEntryRecord, CentreRecord, UserRecord
from hemojoint.schemas.assessments import Timepoint
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.mdt_builders import (
    FLEXION,
    START,
    create_hjhs,
    enrol_with_plan,
    flexion_goal,
    log_sessions,
)
from tests.support.programme_builders import create_action, create_enrolment, create_meeting
from tests.support.prophylaxis_builders import create_bleed

PREVIOUS_MEETING = date(2026, 1, 19)  # start + 14 days: the first case discussion
AS_OF = date(2026, 2, 2)  # start + 28 days: the second; weeks 1-4 are complete
FULL = {1: 5, 2: 5, 3: 5, 4: 5}  # every prescribed home session logged


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@dataclass
class Team:
    centre: CentreRecord
    leader: UserRecord  # the rehabilitation physician
    therapist: UserRecord
    nurse: UserRecord
    hematologist: UserRecord
    caregiver: UserRecord


@pytest.fixture
def team(db) -> Team:
    centre = create_centre(db)
    return Team(
        centre,
        *(
            create_user(db, role=role, centre=centre)
            for role in (
                Role.REHAB_PHYSICIAN,
                Role.THERAPIST,
                Role.NURSE,
                Role.HEMATOLOGIST,
                Role.CAREGIVER,
            )
        ),
    )


def _child(db, team: Team, label: str, *, goals=(), logs=FULL, baseline: int | None = None):
    """An enrolled child of the team's centre with a plan, home logs and a baseline HJHS."""
    patient = create_patient(db, team.centre, record_number=label)
    baseline_id = None
    if baseline is not None:
        found = create_hjhs(
            db, patient, team.therapist, flexion_loss=baseline, on=START,
            timepoint=Timepoint.BASELINE,
        )  # fmt: skip
        baseline_id = found.id
    enrolment = enrol_with_plan(
        db, patient, team.therapist, goals=goals, baseline_hjhs_id=baseline_id
    )
    link_family(db, team.caregiver, patient)
    log_sessions(db, enrolment, team.caregiver, logs)
    return patient


@pytest.fixture
def scene(db, team: Team) -> dict[str, Any]:
    """One child per reason, a quiet child, one not enrolled and one of another centre."""
    create_meeting(db, team.centre.id, team.leader, meeting_date=PREVIOUS_MEETING)
    # Labels run against the expected order, so the order cannot come from the labels.
    urgent = _child(db, team, "A-URGENT")
    emergency = _child(db, team, "Z-EMERGENCY")
    bled = _child(db, team, "B-BLEED")
    low = _child(db, team, "C-LOW", logs={1: 5, 2: 5, 3: 1, 4: 2})
    stuck = _child(db, team, "D-STUCK", goals=[flexion_goal()], baseline=2)
    quiet = _child(db, team, "E-QUIET", goals=[flexion_goal()], baseline=2)
    # A joint bleed is urgent; a head injury an emergency; a nose bleed with no sign routine.
    create_bleed(db, urgent, team.hematologist, site=BleedSite.LEFT_KNEE,
                 findings=["joint_swelling"], started_at=_at(date(2026, 1, 25)))  # fmt: skip
    create_bleed(db, emergency, team.hematologist, site=BleedSite.HEAD,
                 findings=["head_injury"], started_at=_at(date(2026, 1, 28)))  # fmt: skip
    create_bleed(db, bled, team.hematologist, site=BleedSite.NOSE, findings=[],
                 started_at=_at(date(2026, 1, 27)))  # fmt: skip
    # Before the previous meeting: discussed then, not new now.
    create_bleed(db, quiet, team.hematologist, site=BleedSite.LEFT_KNEE,
                 findings=["joint_swelling"], started_at=_at(date(2026, 1, 10)))  # fmt: skip
    # Flexion loss still 2 (baseline 2, target 1): not progressing; 1 for the quiet child: met.
    create_hjhs(db, stuck, team.therapist, flexion_loss=2, on=date(2026, 1, 30))
    create_hjhs(db, quiet, team.therapist, flexion_loss=1, on=date(2026, 1, 30))
    # An emergency bleed of a child not enrolled, and of an enrolled child elsewhere.
    outside = create_patient(db, team.centre, record_number="N-NOT-ENROLLED")
    create_bleed(db, outside, team.hematologist, site=BleedSite.HEAD,
                 findings=["head_injury"], started_at=_at(date(2026, 1, 28)))  # fmt: skip
    away = _away_child(db)
    return {"urgent": urgent, "emergency": emergency, "bled": bled, "low": low,
            "stuck": stuck, "quiet": quiet, "outside": outside, "away": away}  # fmt: skip


def _away_child(db):
    centre = create_centre(db)
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    child = create_patient(db, centre, record_number="X-AWAY")
    enrol_with_plan(db, child, therapist)
    create_bleed(db, child, therapist, site=BleedSite.HEAD, findings=["head_injury"],
                 started_at=_at(date(2026, 1, 28)))  # fmt: skip
    return child


# --- the agenda ----------------------------------------------------------------------------


def test_agenda_orders_red_flags_bleeds_adherence_goals_and_leaves_out_the_rest(
    client_as, team, scene
) -> None:
    response = client_as(team.therapist).get(f"/api/v1/mdt/agenda?as_of={AS_OF}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["as_of"], body["since"]) == ("2026-02-02", "2026-01-19")
    # Every 14 days from 2026-01-05: 01-19, 02-02, ... (the next one is today).
    assert body["next_meeting_date"] == "2026-02-02"
    listed = [(item["label"], item["category"]) for item in body["items"]]
    assert listed == [
        ("Z-EMERGENCY", "red_flag"),  # emergency before urgent (REFERENCE.md section 4)
        ("A-URGENT", "red_flag"),
        ("B-BLEED", "new_bleed"),
        ("C-LOW", "low_adherence"),  # 1 and 2 of 5 sessions in weeks 3 and 4: < 60 %
        ("D-STUCK", "goal_not_progressing"),
    ]
    first = body["items"][0]
    assert first["patient_id"] == scene["emergency"].id
    assert [reason["category"] for reason in first["reasons"]] == ["red_flag", "new_bleed"]
    assert first["reasons"][0]["urgency"] == "emergency"
    assert first["reasons"][0]["on"] == "2026-01-28"
    assert first["reasons"][1]["text"] == "new bleed: head from 2026-01-28"
    assert (first["programme_start_date"], first["next_meeting_date"]) == (
        "2026-01-05",
        "2026-02-02",
    )
    goal = body["items"][4]["reasons"]
    assert goal == [
        {
            "category": "goal_not_progressing",
            "text": f"short-term goal not progressing: {FLEXION} 2 -> 1 by week 4",
            "on": None,
            "urgency": None,
        }
    ]


def test_agenda_is_audited_with_the_children_listed(client_as, db, team, scene) -> None:
    client_as(team.nurse).get(f"/api/v1/mdt/agenda?as_of={AS_OF}")
    entry = db.scalars(
        select(AuditEntryRecord).where(AuditEntryRecord.entity == "mdt_agenda")
    ).one()
    assert entry.user_id == team.nurse.id
    assert entry.detail["patient_ids"][0] == scene["emergency"].id
    assert scene["away"].id not in entry.detail["patient_ids"]


def test_agenda_without_previous_meeting_looks_back_one_interval(client_as, db, team) -> None:
    child = _child(db, team, "F-FIRST")
    create_bleed(db, child, team.hematologist, site=BleedSite.NOSE, findings=[],
                 started_at=_at(date(2026, 1, 10)))  # fmt: skip
    client = client_as(team.therapist)
    # 2026-01-19 - 14 days = 2026-01-05: the 01-10 bleed is new.
    body = client.get("/api/v1/mdt/agenda?as_of=2026-01-19").json()
    assert (body["since"], body["previous_meeting_id"]) == ("2026-01-05", None)
    assert [item["label"] for item in body["items"]] == ["F-FIRST"]
    # On 2026-02-02 the window starts on 01-19: nothing to discuss.
    assert client.get("/api/v1/mdt/agenda?as_of=2026-02-02").json()["items"] == []


def test_next_meeting_counts_from_the_first_infusion_day(client_as, db, team) -> None:
    patient = create_patient(db, team.centre, record_number="G-WEDNESDAY")
    # Start Monday 2026-01-05, infusions on Wednesdays: week 1 begins on 01-07 (the first
    # hospital session falls on an infusion day, REFERENCE.md section 1), so the case
    # discussions fall on 01-21, 02-04, ...
    create_enrolment(db, patient, team.therapist, start_date=START, infusion_weekdays=["wed"])
    create_bleed(db, patient, team.hematologist, site=BleedSite.NOSE, findings=[],
                 started_at=_at(date(2026, 1, 27)))  # fmt: skip
    body = client_as(team.therapist).get(f"/api/v1/mdt/agenda?as_of={AS_OF}").json()
    (item,) = body["items"]
    assert (item["programme_start_date"], item["next_meeting_date"]) == (
        "2026-01-07",
        "2026-02-04",
    )
    assert body["next_meeting_date"] == "2026-02-04"


def test_another_centres_children_never_appear(client_as, db, scene) -> None:
    away_centre_id = scene["away"].centre_id
    away_staff = create_user(db, role=Role.THERAPIST, centre=db.get(CentreRecord, away_centre_id))
    body = client_as(away_staff).get(f"/api/v1/mdt/agenda?as_of={AS_OF}").json()
    assert [item["label"] for item in body["items"]] == ["X-AWAY"]


def test_agenda_needs_a_date_and_is_not_for_families(client_as, team) -> None:
    missing = client_as(team.therapist).get("/api/v1/mdt/agenda")
    assert missing.status_code == 422
    assert missing.json()["fields"][0]["field"] == "as_of"
    refused = client_as(team.caregiver).get(f"/api/v1/mdt/agenda?as_of={AS_OF}")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "forbidden",
        "detail": "role caregiver may not read mdt records",
        "fields": [],
    }


# --- meetings ------------------------------------------------------------------------------


def _meeting_body(team: Team, **overrides: Any) -> dict[str, Any]:
    return {
        "meeting_date": AS_OF.isoformat(),
        "led_by": team.leader.id,
        "attendees": [{"user_id": team.therapist.id}, {"user_id": team.nurse.id},
                      {"user_id": team.hematologist.id}],
        "notes": "Case discussion, week 4",
    } | overrides  # fmt: skip


def test_meeting_records_attendees_by_role_and_the_agenda(client_as, team, scene) -> None:
    client = client_as(team.therapist)
    created = client.post("/api/v1/mdt/meetings", json=_meeting_body(team))
    assert created.status_code == 201, created.text
    body = created.json()
    # The leader first (REFERENCE.md section 1: led by the rehabilitation specialist).
    assert body["attendees"] == [
        {"user_id": team.leader.id, "role": "rehab_physician"},
        {"user_id": team.therapist.id, "role": "therapist"},
        {"user_id": team.nurse.id, "role": "nurse"},
        {"user_id": team.hematologist.id, "role": "hematologist"},
    ]
    assert (body["led_by_id"], body["version"], body["actions"]) == (team.leader.id, 1, [])
    agenda = client.get(f"/api/v1/mdt/agenda?as_of={AS_OF}").json()
    assert body["agenda"] == agenda["items"]
    assert client.get(f"/api/v1/mdt/meetings/{body['id']}").json() == body
    listed = client.get("/api/v1/mdt/meetings?from_date=2026-02-01").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert listed["total"] == 1


def test_meeting_is_led_by_a_rehab_physician_of_the_centre(client_as, db, team) -> None:
    stranger = create_user(db, role=Role.NURSE, centre=create_centre(db))
    body = _meeting_body(
        team,
        led_by=team.therapist.id,
        attendees=[{"user_id": team.caregiver.id}, {"user_id": stranger.id},
                   {"user_id": team.nurse.id}, {"user_id": team.nurse.id}],
    )  # fmt: skip
    response = client_as(team.therapist).post("/api/v1/mdt/meetings", json=body)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert [field["field"] for field in fields] == [
        "led_by",
        "attendees[0].user_id",  # a caregiver: the family never sits at the MDT
        "attendees[1].user_id",  # another centre's nurse
        "attendees[3].user_id",  # listed twice
    ]
    assert fields[0]["allowed"] == "a rehab_physician"


def test_meeting_notes_are_versioned(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader)
    client = client_as(team.leader)
    url = f"/api/v1/mdt/meetings/{meeting.id}"
    changed = client.patch(url, json={"version": 1, "notes": "Agreed: repeat ultrasound"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["notes"], changed.json()["version"]) == ("Agreed: repeat ultrasound", 2)
    stale = client.patch(url, json={"version": 1, "notes": "late edit"})
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert stale.json()["current"]["notes"] == "Agreed: repeat ultrasound"


def test_meetings_are_the_teams_own(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader)
    url = f"/api/v1/mdt/meetings/{meeting.id}"
    other = create_user(db, role=Role.THERAPIST, centre=create_centre(db))
    hidden = client_as(other).get(url)
    assert hidden.status_code == 404
    assert hidden.json() == {
        "error": "not_found",
        "detail": f"mdt_meeting {meeting.id} was not found",
        "fields": [],
    }
    assert client_as(team.caregiver).get(url).status_code == 403
    assert client_as(team.caregiver).get("/api/v1/mdt/meetings").status_code == 403
    admin = create_user(db, role=Role.ADMIN, centre=team.centre)
    assert client_as(admin).get(url).status_code == 200  # admins read (the matrix)
    refused = client_as(admin).patch(url, json={"version": 1, "notes": "x"})
    assert refused.status_code == 403


# --- actions -------------------------------------------------------------------------------


def _action(patient_id: int, **overrides: Any) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "description": "Repeat ultrasound of the left ankle",
        "owner_role": "sonographer",
        "due_date": "2026-02-16",
    } | overrides


@pytest.mark.parametrize("role", ["admin", "caregiver", "patient"])
def test_action_owner_must_be_a_staff_role(client_as, db, team, role: str) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader, meeting_date=AS_OF)
    patient = create_patient(db, team.centre)
    response = client_as(team.leader).post(
        f"/api/v1/mdt/meetings/{meeting.id}/actions", json=_action(patient.id, owner_role=role)
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {
            "field": "owner_role",
            "value": role,
            "allowed": "hematologist, rehab_physician, therapist, sonographer, nurse",
            "message": f"owner_role: '{role}' is not one of hematologist, rehab_physician, "
            "therapist, sonographer, nurse",
        }
    ]


def test_action_due_date_not_before_the_meeting(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader, meeting_date=AS_OF)
    patient = create_patient(db, team.centre)
    url = f"/api/v1/mdt/meetings/{meeting.id}/actions"
    client = client_as(team.leader)
    early = client.post(url, json=_action(patient.id, due_date="2026-02-01"))
    assert early.status_code == 422
    (field,) = early.json()["fields"]
    assert (field["field"], field["value"]) == ("due_date", "2026-02-01")
    assert field["message"] == "due_date: '2026-02-01' is before the meeting on 2026-02-02"
    same_day = client.post(url, json=_action(patient.id, due_date="2026-02-02"))
    assert same_day.status_code == 201, same_day.text
    assert client.get(f"/api/v1/patients/{patient.id}/mdt-actions").json()[0]["due_date"] == (
        "2026-02-02"
    )


def test_actions_are_visible_on_the_childs_record_and_marked_done(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader, meeting_date=AS_OF)
    patient = create_patient(db, team.centre)
    link_family(db, team.caregiver, patient)
    client = client_as(team.leader)
    created = client.post(
        f"/api/v1/mdt/meetings/{meeting.id}/actions",
        json=_action(patient.id, owner_role="therapist", description="Shorter split sessions"),
    )
    assert created.status_code == 201, created.text
    action = created.json()
    assert (action["owner_role"], action["done_at"], action["version"]) == ("therapist", None, 1)
    record_url = f"/api/v1/patients/{patient.id}/mdt-actions"
    shown = client.get(record_url).json()
    assert shown == [action | {"meeting_date": "2026-02-02"}]
    assert client.get(f"/api/v1/mdt/meetings/{meeting.id}").json()["actions"] == [action]
    done = client.post(f"/api/v1/mdt/actions/{action['id']}/done", json={"version": 1})
    assert done.status_code == 200, done.text
    assert (done.json()["version"], done.json()["done_at"] is not None) == (2, True)
    assert client.get(f"{record_url}?open_only=true").json() == []
    again = client.post(f"/api/v1/mdt/actions/{action['id']}/done", json={"version": 2})
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    # Issue 4's matrix: MDT readers exclude the family, even for their own child.
    family = client_as(team.caregiver).get(record_url)
    assert family.status_code == 403
    assert family.json()["error"] == "forbidden"


def test_another_centre_gets_404_for_meetings_actions_and_children(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader, meeting_date=AS_OF)
    patient = create_patient(db, team.centre)
    action = create_action(db, meeting, patient)
    away_centre = create_centre(db)
    outsider = create_user(db, role=Role.REHAB_PHYSICIAN, centre=away_centre)
    away_meeting = create_meeting(db, away_centre.id, outsider, meeting_date=AS_OF)
    client = client_as(outsider)
    assert client.get(f"/api/v1/patients/{patient.id}/mdt-actions").status_code == 404
    posted = client.post(f"/api/v1/mdt/meetings/{meeting.id}/actions", json=_action(patient.id))
    assert posted.status_code == 404
    # Their own meeting, our child: the child is not found.
    crossed = client.post(
        f"/api/v1/mdt/meetings/{away_meeting.id}/actions", json=_action(patient.id)
    )
    assert crossed.status_code == 404
    assert crossed.json()["detail"] == f"patient {patient.id} was not found"
    done = client.post(f"/api/v1/mdt/actions/{action.id}/done", json={"version": 1})
    assert done.status_code == 404
    assert done.json()["detail"] == f"mdt_action {action.id} was not found"


def test_action_write_leaves_an_audit_entry_on_the_child(client_as, db, team) -> None:
    meeting = create_meeting(db, team.centre.id, team.leader, meeting_date=AS_OF)
    patient = create_patient(db, team.centre)
    client_as(team.nurse).post(
        f"/api/v1/mdt/meetings/{meeting.id}/actions", json=_action(patient.id)
    )
    entry = db.scalars(
        select(AuditEntryRecord).where(
            AuditEntryRecord.entity == "mdt_action", AuditEntryRecord.action == "create"
        )
    ).one()
    assert (entry.patient_id, entry.user_id) == (patient.id, team.nurse.id)
