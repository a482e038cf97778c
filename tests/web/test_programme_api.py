"""The programme through the API: enrolment after the eligibility check, the generated plan and
its versions, therapist edits, weekly reviews pausing a bled joint, and clearances."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.persistence.models import (
    AuditEntryRecord,
    InhibitorResultRecord,
    ProgrammeEnrolmentRecord,
    RegimenRecord,
)
from tests.support.assessment_builders import create_assessment, example_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.probes_programme import ELIGIBLE_FACTS, enrolment_body
from tests.support.programme_builders import create_session_log
from tests.support.prophylaxis_builders import create_bleed, create_product

LIBRARY = ExerciseLibrary.from_mapping(load_definition("exercise_library"))
# The child's findings: HJHS left ankle flexion loss 2 and swelling 2, HEAD-US left ankle
# synovitis 2 (active synovitis by rehab_rules.json: ultrasound synovitis >= 1, HJHS swelling >= 2).
HJHS_SCORES = {"left_ankle.flexion_loss": 2, "left_ankle.swelling": 2}
ULTRASOUND = {"joints": {"left_ankle": {"synovitis": 2, "cartilage": 1, "bone": 0}}}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre, birth_date=date(2016, 5, 17))  # 9 years old at START


@pytest.fixture
def therapist(db, centre):
    return create_user(db, role=Role.THERAPIST, centre=centre)


@pytest.fixture
def hematologist(db, centre):
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre)


@pytest.fixture
def baselines(db, patient, therapist) -> dict[str, int]:
    hjhs = create_assessment(db, patient, therapist, raw=hjhs_raw(HJHS_SCORES))
    scan = create_assessment(db, patient, therapist, instrument_code="head_us", raw=ULTRASOUND)
    return {"baseline_hjhs_id": hjhs.id, "baseline_ultrasound_id": scan.id}


@pytest.fixture
def regimen(db, centre, patient, hematologist) -> RegimenRecord:
    record = RegimenRecord(
        patient_id=patient.id,
        product_id=create_product(db, centre).id,
        dose_iu=500,
        dose_iu_per_kg=25,
        infusions_per_week=3,
        weekdays=["mon", "wed", "fri"],
        start_date=date(2025, 12, 1),
        prescribed_by_id=hematologist.id,
    )
    db.add(record)
    db.flush()
    return record


def _enrol(client, patient, **overrides: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/patients/{patient.id}/enrolments", json=enrolment_body(**overrides)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _plan(client, enrolment_id: int) -> dict[str, Any]:
    response = client.post(f"/api/v1/enrolments/{enrolment_id}/plan", json={})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def enrolled(client_as, therapist, patient, baselines) -> dict[str, Any]:
    return _enrol(client_as(therapist), patient, **baselines)


@pytest.fixture
def planned(client_as, therapist, enrolled) -> dict[str, Any]:
    return _plan(client_as(therapist), enrolled["id"])


# --- enrolment --------------------------------------------------------------------------------


def test_refusal_lists_every_failed_criterion_and_stores_nothing(
    client_as, db, centre, therapist, hematologist
) -> None:
    toddler = create_patient(db, centre, birth_date=date(2023, 6, 1))  # 2 years at START
    # The registry's positive test wins over the negative one in the request.
    db.add(
        InhibitorResultRecord(
            patient_id=toddler.id,
            sample_date=date(2025, 11, 20),
            positive=True,
            recorded_by_id=hematologist.id,
        )
    )
    bleed_on = datetime(2025, 12, 26, 9, tzinfo=UTC)  # 10 days before START
    create_bleed(db, toddler, hematologist, site=BleedSite.LEFT_KNEE, started_at=bleed_on)
    facts = {"follows_simple_training": False, "inhibitor_tests": ELIGIBLE_FACTS["inhibitor_tests"]}

    response = client_as(therapist).post(
        f"/api/v1/patients/{toddler.id}/enrolments", json=enrolment_body(candidate=facts)
    )

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "not_eligible"
    # REFERENCE.md section 1, in the domain's criterion order; the diagnosis (hemophilia A in
    # the registry) is the only criterion met. Unanswered questions fail as not confirmed.
    failed = {item["field"]: item["value"] for item in body["fields"]}
    assert failed == {
        "eligibility.age_4_to_18": "not_met",
        "eligibility.inhibitor_negative": "not_met",
        "eligibility.follows_simple_training": "not_met",
        "eligibility.joint_bleed_confirmed_by_imaging": "not_confirmed",
        "eligibility.joint_pain_or_restricted_motion": "not_confirmed",
        "eligibility.completes_12_weeks": "not_confirmed",
        "eligibility.no_active_bleed_on_ultrasound": "not_confirmed",
        "eligibility.no_severe_active_bleeding": "not_confirmed",
        "eligibility.no_bleed_in_last_4_weeks": "not_met",
        "eligibility.no_heart_liver_or_kidney_disease": "not_confirmed",
        "eligibility.no_other_serious_condition": "not_confirmed",
    }
    messages = {item["field"]: item["message"] for item in body["fields"]}
    assert "age 2 years 7 months is outside 4 to 18 years" in messages["eligibility.age_4_to_18"]
    assert "10 days before 2026-01-05" in messages["eligibility.no_bleed_in_last_4_weeks"]
    assert "(2025-11-20) is positive" in messages["eligibility.inhibitor_negative"]
    stored = select(func.count()).where(ProgrammeEnrolmentRecord.patient_id == toddler.id)
    assert db.scalar(stored) == 0
    listed = client_as(therapist).get(f"/api/v1/patients/{toddler.id}/enrolments").json()
    assert listed["total"] == 0


def test_enrolment_keeps_the_check_links_and_the_regimen_days(
    client_as, therapist, patient, baselines, regimen, db
) -> None:
    choklat = create_assessment(
        db, patient, therapist, instrument_code="choklat", raw=example_raw("choklat")
    )
    body = _enrol(
        client_as(therapist),
        patient,
        infusion_weekdays=None,
        regimen_id=regimen.id,
        baseline_choklat_id=choklat.id,
        **baselines,
    )

    assert body["status"] == "enrolled"
    assert body["weeks"] == 12  # issue 4: 12 weeks by default
    assert body["infusion_weekdays"] == ["mon", "wed", "fri"]  # from the regimen
    assert (body["regimen_id"], body["baseline_choklat_id"]) == (regimen.id, choklat.id)
    assert body["baseline_hjhs_id"] == baselines["baseline_hjhs_id"]
    assert body["eligibility"]["eligible"] is True
    assert body["eligibility"]["failed"] == []
    assert body["eligibility"]["as_of"] == "2026-01-05"
    assert len(body["eligibility"]["criteria"]) == 12
    assert body["enrolled_by_id"] == therapist.id


def test_baselines_must_be_this_childs_assessments_of_the_instrument(
    client_as, db, centre, therapist, patient, baselines
) -> None:
    other_child = create_patient(db, centre)
    foreign = create_assessment(db, other_child, therapist)
    response = client_as(therapist).post(
        f"/api/v1/patients/{patient.id}/enrolments",
        json=enrolment_body(
            baseline_hjhs_id=baselines["baseline_ultrasound_id"],  # a HEAD-US, not an HJHS
            baseline_ultrasound_id=foreign.id,  # another child's
            regimen_id=999_999,
        ),
    )

    assert response.status_code == 422
    fields = [item["field"] for item in response.json()["fields"]]
    assert fields == ["baseline_hjhs_id", "baseline_ultrasound_id", "regimen_id"]
    assert response.json()["error"] == "invalid_input"
    stored = select(func.count()).where(ProgrammeEnrolmentRecord.patient_id == patient.id)
    assert db.scalar(stored) == 0


def test_a_second_running_enrolment_is_refused(client_as, therapist, patient, enrolled) -> None:
    response = client_as(therapist).post(
        f"/api/v1/patients/{patient.id}/enrolments", json=enrolment_body()
    )
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_withdraw_is_versioned_and_ends_the_programme(client_as, therapist, enrolled) -> None:
    client = client_as(therapist)
    url = f"/api/v1/enrolments/{enrolled['id']}"
    stale = client.post(
        f"{url}/withdraw", json={"version": 9, "ended_date": "2026-02-01", "reason": "moved"}
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 1

    withdrawn = client.post(
        f"{url}/withdraw", json={"version": 1, "ended_date": "2026-02-01", "reason": "moved"}
    )

    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["status"], withdrawn.json()["end_reason"]) == ("withdrawn", "moved")
    assert withdrawn.json()["version"] == 2
    assert client.get(url).json()["status"] == "withdrawn"
    assert client.post(f"{url}/plan", json={}).status_code == 409  # no plan for a past programme
    again = client.post(f"{url}/complete", json={"version": 2, "ended_date": "2026-03-29"})
    assert again.status_code == 409


def test_complete_refuses_an_end_before_the_start(client_as, therapist, enrolled) -> None:
    url = f"/api/v1/enrolments/{enrolled['id']}/complete"
    early = client_as(therapist).post(url, json={"version": 1, "ended_date": "2026-01-04"})
    assert early.status_code == 422
    assert early.json()["fields"][0]["field"] == "ended_date"
    done = client_as(therapist).post(url, json={"version": 1, "ended_date": "2026-03-29"})
    assert done.json()["status"] == "completed"


# --- plans ------------------------------------------------------------------------------------


def test_generated_plan_has_12_weeks_of_six_sessions_on_infusion_days(
    client_as, therapist, enrolled, planned
) -> None:
    assert (planned["number"], planned["reason"], planned["created_by_id"]) == (
        1,
        "generated",
        therapist.id,
    )
    sessions = planned["content"]["sessions"]
    # Issue 4: one hospital and five home sessions a week, for 12 weeks.
    assert len(sessions) == 12 * 6
    hospital = [s for s in sessions if s["kind"] == "hospital"]
    assert len(hospital) == 12
    infusion_days = {0, 2, 4}  # mon, wed, fri
    assert all(date.fromisoformat(s["date"]).weekday() in infusion_days for s in hospital)
    assert all(s["on_infusion_day"] and s["minutes"] == 60 for s in hospital)
    assert all(s["minutes"] == 45 for s in sessions if s["kind"] == "home")


def test_generated_plan_names_the_evidence_of_each_problem(planned) -> None:
    problems = {(p["code"], p["joint"]): p for p in planned["content"]["problems"]}
    motion = problems["restricted_motion", "left_ankle"]
    assert {"field": "left_ankle.flexion_loss", "value": 2} in [
        {"field": e["field"], "value": e["value"]} for e in motion["evidence"]
    ]
    swelling_texts = [e["text"] for e in problems["swelling", "left_ankle"]["evidence"]]
    assert "left_ankle synovitis = 2 on ultrasound" in swelling_texts  # issue 4's example
    content = planned["content"]
    assert content["sources"]["exercise_library"]["version"] == LIBRARY.info.version
    assert content["sources"]["rehab_rules"]["status"] == "provisional"
    assert isinstance(content["warnings"], list)
    assert content["goals"], "every HJHS finding gets a goal"


def test_plan_is_generated_once_and_needs_the_baseline_hjhs(
    client_as, db, centre, therapist, enrolled, planned
) -> None:
    client = client_as(therapist)
    again = client.post(f"/api/v1/enrolments/{enrolled['id']}/plan", json={})
    assert again.status_code == 409
    child = create_patient(db, centre)
    bare = _enrol(client, child)
    missing = client.post(f"/api/v1/enrolments/{bare['id']}/plan", json={})
    assert missing.status_code == 422
    assert missing.json()["fields"][0]["field"] == "baseline_hjhs_id"


def _edit(client, enrolment_id: int, **body: Any):
    return client.patch(f"/api/v1/enrolments/{enrolment_id}/plan", json=body)


def test_an_edit_is_version_2_with_reason_and_version_1_is_unchanged(
    client_as, therapist, enrolled, planned
) -> None:
    client = client_as(therapist)
    first_goal = planned["content"]["goals"][0]
    removed = planned["content"]["sessions"][1]["exercises"][1]["code"]

    edited = _edit(
        client,
        enrolled["id"],
        version=1,
        reason="short-term goal too ambitious",
        goals=[{"index": 0, "target": first_goal["baseline"], "due_week": 6}],
        remove_exercises=[{"code": removed, "weeks": [1]}],
    )

    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["number"], body["reason"], body["created_by_id"]) == (
        2,
        "short-term goal too ambitious",
        therapist.id,
    )
    goal = body["content"]["goals"][0]
    assert (goal["target"], goal["due_week"]) == (first_goal["baseline"], 6)
    week_1 = [s for s in body["content"]["sessions"] if s["week"] == 1]
    assert all(removed not in [e["code"] for e in s["exercises"]] for s in week_1)
    url = f"/api/v1/enrolments/{enrolled['id']}/plan"
    assert client.get(url).json()["number"] == 2
    history = client.get(f"{url}/versions").json()
    assert [(item["number"], item["reason"]) for item in history] == [
        (1, "generated"),
        (2, "short-term goal too ambitious"),
    ]
    assert client.get(f"{url}/versions/1").json() == planned


def test_a_stale_edit_is_409_with_the_current_version(
    client_as, therapist, enrolled, planned
) -> None:
    client = client_as(therapist)
    goal = {"index": 0, "due_week": 5}
    assert _edit(client, enrolled["id"], version=1, reason="a", goals=[goal]).status_code == 200
    stale = _edit(client, enrolled["id"], version=1, reason="b", goals=[goal])
    assert stale.status_code == 409
    assert stale.json()["current"]["number"] == 2


def test_goal_edits_are_checked_by_the_domain(client_as, therapist, enrolled, planned) -> None:
    baseline = planned["content"]["goals"][0]["baseline"]
    response = _edit(
        client_as(therapist),
        enrolled["id"],
        version=1,
        reason="typo",
        goals=[{"index": 0, "target": baseline + 1, "due_week": 13}, {"index": 999}],
    )
    assert response.status_code == 422
    fields = [item["field"] for item in response.json()["fields"]]
    # goals.edit_goal: a target above baseline is a decline; due weeks run 1-12.
    assert fields == ["goals[0].target", "goals[0].due_week", "goals[1].index"]


def test_an_unsuitable_exercise_is_refused_with_the_reasons(
    client_as, therapist, enrolled, planned
) -> None:
    # dyn_single_leg_squat: heavy loading of knees and ankles, from age 12 (exercise library).
    response = _edit(
        client_as(therapist),
        enrolled["id"],
        version=1,
        reason="more strength",
        add_exercises=[{"code": "dyn_single_leg_squat", "weeks": [1], "kinds": ["hospital"]}],
    )

    assert response.status_code == 422
    messages = [item["message"] for item in response.json()["fields"]]
    assert any("age 9 is below the minimum 12" in message for message in messages)
    # Issue 4: no heavy loading with active synovitis (left ankle synovitis 2 on ultrasound).
    assert any("left_ankle: heavy loading with active synovitis" in message for message in messages)
    url = f"/api/v1/enrolments/{enrolled['id']}/plan"
    assert client_as(therapist).get(url).json()["number"] == 1


def test_an_unknown_exercise_is_refused_naming_the_library(
    client_as, therapist, enrolled, planned
) -> None:
    response = _edit(
        client_as(therapist),
        enrolled["id"],
        version=1,
        reason="x",
        add_exercises=[{"code": "moon_walk"}],
    )
    assert response.status_code == 422
    problem = response.json()["fields"][0]
    assert problem["field"] == "add_exercises[0].code"
    assert "rom_ankle_pumps" in problem["allowed"]


def test_a_suitable_exercise_is_added_dosed_and_redosed(
    client_as, therapist, enrolled, planned
) -> None:
    client = client_as(therapist)
    added = _edit(
        client,
        enrolled["id"],
        version=1,
        reason="elbow range",
        add_exercises=[{"code": "rom_elbow_bend_turn", "weeks": [2]}],
    ).json()
    week_2 = [s for s in added["content"]["sessions"] if s["week"] == 2]
    codes = [[e["code"] for e in s["exercises"]] for s in week_2]
    assert all("rom_elbow_bend_turn" in session for session in codes)
    redosed = _edit(
        client,
        enrolled["id"],
        version=2,
        reason="fewer reps",
        dose_exercises=[
            {"code": "rom_elbow_bend_turn", "dates": [week_2[0]["date"]], "dose": {"sets": 1}}
        ],
    ).json()
    first = next(s for s in redosed["content"]["sessions"] if s["date"] == week_2[0]["date"])
    assert next(e for e in first["exercises"] if e["code"] == "rom_elbow_bend_turn")["sets"] == 1


# --- weekly reviews and clearances ------------------------------------------------------------


def _review(client, enrolment_id: int, week: int):
    return client.post(f"/api/v1/enrolments/{enrolment_id}/reviews", json={"week": week})


def test_a_bleed_pauses_the_joints_loading_exercises_until_cleared(
    client_as, db, therapist, hematologist, patient, enrolled, planned
) -> None:
    bleed = create_bleed(
        db,
        patient,
        hematologist,
        site=BleedSite.LEFT_ANKLE,
        started_at=datetime(2026, 1, 7, 8, tzinfo=UTC),  # week 1
    )
    client = client_as(therapist)

    paused = _review(client, enrolled["id"], 1)

    assert paused.status_code == 201, paused.text
    review = paused.json()
    assert review["paused_joints"] == ["left_ankle"]
    assert "hematologist_clearance" in review["suggestions"]
    reason = next(r for r in review["reasons"] if r["code"] == "bleed_paused")
    assert (reason["joint"], reason["bleed_start"]) == ("left_ankle", "2026-01-07")
    # The paused exercises are exactly the plan's exercises that work the left ankle and load
    # an ankle (bear weight, resist, stretch or traction), per the library.
    expected = sorted(
        {
            e["code"]
            for s in planned["content"]["sessions"]
            for e in s["exercises"]
            if "left_ankle" in e["joints"] and "ankle" in LIBRARY.get(e["code"]).loaded_kinds
        }
    )
    assert expected
    assert reason["exercises"] == expected

    refused = client.post(f"/api/v1/patients/{patient.id}/clearances", json={"joint": "left_ankle"})
    assert refused.status_code == 403  # only a hematologist clears a joint
    cleared = client_as(hematologist).post(
        f"/api/v1/patients/{patient.id}/clearances",
        json={"joint": "left_ankle", "bleed_id": bleed.id, "note": "resolved on ultrasound"},
    )
    assert cleared.status_code == 201, cleared.text
    assert cleared.json()["enrolment_id"] == enrolled["id"]

    lifted = _review(client_as(therapist), enrolled["id"], 1).json()
    assert lifted["paused_joints"] == []
    held = next(r for r in lifted["reasons"] if r["code"] == "bleed_held")
    assert held["joint"] == "left_ankle"  # cleared, but a bleed this week still holds it
    listed = client.get(f"/api/v1/enrolments/{enrolled['id']}/reviews").json()
    assert [(item["week"], item["paused_joints"]) for item in listed] == [
        (1, ["left_ankle"]),
        (1, []),
    ]


def _log_week_1(db, planned, enrolment, caregiver, pain_on_first: int) -> None:
    """Every week-1 home session logged as prescribed, all exercises done."""
    homes = [s for s in planned["content"]["sessions"] if s["week"] == 1 and s["kind"] == "home"]
    for position, home in enumerate(homes):
        create_session_log(
            db,
            enrolment,
            caregiver,
            session_date=date.fromisoformat(home["date"]),
            started_at=None,
            exercises={e["code"]: True for e in home["exercises"]},
            pain_score=pain_on_first if position == 0 else 0,
        )


@pytest.mark.parametrize(
    ("pain", "decision"), [(0, "progress"), (1, "hold")], ids=["pain-free", "pain-1"]
)
def test_the_review_progresses_only_a_pain_free_well_done_week(
    client_as, db, centre, patient, therapist, enrolled, planned, pain, decision
) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=centre)
    enrolment = db.get(ProgrammeEnrolmentRecord, enrolled["id"])
    _log_week_1(db, planned, enrolment, caregiver, pain)

    review = _review(client_as(therapist), enrolled["id"], 1)

    assert review.status_code == 201, review.text
    # Issue 4: progress when pain-free and adherence is good (5 of 5); hold on any pain.
    assert review.json()["decision"] == decision
    codes = [reason["code"] for reason in review.json()["reasons"]]
    assert "adherence_good" in codes
    assert ("pain" in codes) is (pain > 0)


def test_weeks_are_counted_from_the_first_infusion_day(
    client_as, db, centre, therapist, hematologist
) -> None:
    child = create_patient(db, centre)
    hjhs = create_assessment(db, child, therapist, raw=hjhs_raw(HJHS_SCORES))
    client = client_as(therapist)
    # Tuesday 6 January with infusions mon/wed/fri: week 1 starts on Wednesday 7 January
    # (domain schedule rule: the first infusion day on or after the start).
    enrolment = _enrol(client, child, start_date="2026-01-06", baseline_hjhs_id=hjhs.id)
    plan = _plan(client, enrolment["id"])
    assert plan["content"]["sessions"][0]["date"] == "2026-01-07"
    bleed_on = datetime(2026, 1, 13, 8, tzinfo=UTC)  # Tuesday: still week 1
    create_bleed(db, child, hematologist, site=BleedSite.RIGHT_KNEE, started_at=bleed_on)

    review = _review(client, enrolment["id"], 1)

    assert review.status_code == 201, review.text
    assert review.json()["paused_joints"] == ["right_knee"]


def test_a_clearance_must_name_the_bleeds_joint_and_not_the_future(
    client_as, db, hematologist, patient
) -> None:
    bleed = create_bleed(db, patient, hematologist, site=BleedSite.LEFT_KNEE)
    client = client_as(hematologist)
    url = f"/api/v1/patients/{patient.id}/clearances"
    wrong = client.post(url, json={"joint": "left_ankle", "bleed_id": bleed.id})
    assert wrong.status_code == 422
    assert wrong.json()["fields"][0]["field"] == "joint"
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    later = client.post(url, json={"joint": "left_knee", "cleared_at": future})
    assert later.status_code == 422
    assert later.json()["fields"][0]["field"] == "cleared_at"
    given = client.post(url, json={"joint": "left_knee", "bleed_id": bleed.id})
    assert given.status_code == 201
    assert given.json()["enrolment_id"] is None  # not enrolled
    assert [item["id"] for item in client.get(url).json()] == [given.json()["id"]]


def test_a_review_needs_a_plan_and_a_week_of_the_programme(
    client_as, db, centre, therapist, enrolled, planned
) -> None:
    client = client_as(therapist)
    child = create_patient(db, centre)
    bare = _enrol(client, child, weeks=8)
    assert _review(client, bare["id"], 1).status_code == 409
    too_late = _review(client, enrolled["id"], 13)
    assert too_late.status_code == 422
    assert too_late.json()["fields"][0]["field"] == "week"


def test_programme_reads_and_writes_are_audited(
    client_as, db, therapist, enrolled, planned
) -> None:
    client_as(therapist).get(f"/api/v1/enrolments/{enrolled['id']}/plan")
    rows = db.execute(
        select(AuditEntryRecord.entity, AuditEntryRecord.action).where(
            AuditEntryRecord.user_id == therapist.id
        )
    ).all()
    entries = {(row.entity, row.action) for row in rows}
    assert {("enrolment", "create"), ("rehab_plan", "create"), ("rehab_plan", "read")} <= entries
