"""Home training through the API: session logs, adherence, adverse events and education.

The plan of every test is the builders' (tests/support/home_builders.py), laid out by
the programme's schedule (REFERENCE.md section 1): week n runs Monday to Sunday from
2026-01-05; Monday is the 60-minute hospital session, Tuesday to Saturday the five
45-minute home sessions, each with three home exercises; Sunday has no session.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.web.api.deps import now
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.home_builders import HOME_EXERCISES, START, create_assignment, enrol_with_plan
from tests.support.programme_builders import create_enrolment

ALL_DONE = dict.fromkeys(HOME_EXERCISES, True)


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


@pytest.fixture
def therapist(db, centre):
    return create_user(db, role=Role.THERAPIST, centre=centre)


@pytest.fixture
def nurse(db, centre):
    return create_user(db, role=Role.NURSE, centre=centre)


@pytest.fixture
def caregiver(db, centre, patient):
    user = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, user, patient)
    return user


@pytest.fixture
def enrolment(db, patient, therapist):
    return enrol_with_plan(db, patient, therapist)


def _day(week: int, weekday: int) -> date:
    """Weekday 0 = Monday of programme week ``week``."""
    return START + timedelta(days=7 * (week - 1) + weekday)


def _log(day: date, **overrides: Any) -> dict[str, Any]:
    body = {"session_date": day.isoformat(), "minutes": 45, "exercises": ALL_DONE, "pain_score": 0}
    return body | overrides


def _post_logs(client, enrolment, days: list[date]) -> None:
    for day in days:
        response = client.post(f"/api/v1/enrolments/{enrolment.id}/home-logs", json=_log(day))
        assert response.status_code == 201, response.text


def _tue_to(week: int, count: int) -> list[date]:
    return [_day(week, weekday) for weekday in range(1, 1 + count)]


# --- logging a home session --------------------------------------------------------------------


def test_caregiver_logs_a_session_and_reads_it_back(client_as, caregiver, enrolment, db) -> None:
    client = client_as(caregiver)
    body = _log(_day(1, 1), started_at="2026-01-06T17:30:00+08:00", notes="did it as a game")
    created = client.post(f"/api/v1/enrolments/{enrolment.id}/home-logs", json=body)
    assert created.status_code == 201, created.text
    log = created.json()
    assert log["enrolment_id"] == enrolment.id
    assert log["patient_id"] == enrolment.patient_id
    assert log["started_at"] == "2026-01-06T09:30:00Z"  # the same instant, kept in UTC
    assert (log["minutes"], log["pain_score"], log["exercises"]) == (45, 0, ALL_DONE)
    assert (log["logged_by_id"], log["version"]) == (caregiver.id, 1)
    assert client.get(f"/api/v1/home-logs/{log['id']}").json() == log
    listed = client.get(f"/api/v1/enrolments/{enrolment.id}/home-logs").json()
    assert [item["id"] for item in listed["items"]] == [log["id"]]
    audit = db.scalars(
        select(AuditEntryRecord).where(
            AuditEntryRecord.entity == "home_log", AuditEntryRecord.action == "create"
        )
    ).all()
    assert [(entry.entity_id, entry.user_id) for entry in audit] == [(log["id"], caregiver.id)]


# Faces pain scales report 0-10 (issue 4): at and beyond both ends.
@pytest.mark.parametrize(
    ("pain", "status"),
    [(-1, 422), (0, 201), (10, 201), (11, 422)],
    ids=["below-0", "0", "10", "above-10"],
)
def test_pain_score_is_0_to_10(client_as, caregiver, enrolment, pain, status) -> None:
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    response = client_as(caregiver).post(url, json=_log(_day(1, 1), pain_score=pain))
    assert response.status_code == status, response.text
    if status == 422:
        body = response.json()
        assert body["error"] == "invalid_input"
        assert [(f["field"], f["allowed"]) for f in body["fields"]] == [("pain_score", "0-10")]
        assert body["detail"] == f"pain_score: {pain} is outside 0-10"


def test_every_invalid_field_is_named_with_the_api_names(client_as, caregiver, enrolment) -> None:
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    body = _log(_day(1, 1), minutes=0, pain_score=12)
    response = client_as(caregiver).post(url, json=body)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["fields"]] == ["minutes", "pain_score"]


def test_yes_is_not_a_boolean(client_as, caregiver, enrolment) -> None:
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    body = _log(_day(1, 1), exercises={"bridge": "yes"})
    response = client_as(caregiver).post(url, json=body)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "exercises.bridge"


def test_exercise_not_prescribed_at_home_that_week_is_named(
    client_as, caregiver, enrolment
) -> None:
    # "squat" is in the builders' hospital session only.
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    body = _log(_day(1, 1), exercises={"bridge": True, "squat": True})
    response = client_as(caregiver).post(url, json=body)
    assert response.status_code == 422
    (field,) = response.json()["fields"]
    assert field["field"] == "exercises.squat"
    assert field["allowed"] == "ankle_pumps, bridge, heel_raises"


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (START - timedelta(days=1), "2026-01-05 to 2026-03-29"),  # the day before week 1
        (START + timedelta(days=84), "2026-01-05 to 2026-03-29"),  # the day after week 12
    ],
    ids=["before-week-1", "after-week-12"],
)
def test_session_date_outside_the_programme_is_refused(
    client_as, caregiver, enrolment, day, allowed
) -> None:
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    response = client_as(caregiver).post(url, json=_log(day))
    assert response.status_code == 422
    (field,) = response.json()["fields"]
    assert (field["field"], field["allowed"]) == ("session_date", allowed)


def test_start_time_must_fall_on_the_session_date(client_as, caregiver, enrolment) -> None:
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    body = _log(_day(1, 1), started_at="2026-01-07T08:00:00+08:00")
    response = client_as(caregiver).post(url, json=body)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "started_at"


def test_a_future_session_is_refused(client_as, caregiver, enrolment, shared_app) -> None:
    shared_app.dependency_overrides[now] = lambda: datetime(2026, 1, 6, 12, tzinfo=UTC)
    try:
        url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
        response = client_as(caregiver).post(url, json=_log(_day(1, 2)))
    finally:
        shared_app.dependency_overrides.clear()
    assert response.status_code == 422
    assert response.json()["fields"][0]["allowed"] == "on or before 2026-01-06"


def test_a_family_cannot_log_for_another_familys_child(
    client_as, db, centre, therapist, enrolment
) -> None:
    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    response = client_as(other_parent).post(url, json=_log(_day(1, 1)))
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": f"enrolment {enrolment.id} was not found",
        "fields": [],
    }


def test_staff_read_logs_but_do_not_write_them(client_as, therapist, caregiver, enrolment) -> None:
    _post_logs(client_as(caregiver), enrolment, [_day(1, 1)])
    client = client_as(therapist)
    assert client.get(f"/api/v1/enrolments/{enrolment.id}/home-logs").json()["total"] == 1
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/home-logs", json=_log(_day(1, 2)))
    assert response.status_code == 403
    assert response.json()["detail"] == "role therapist may not write home_log records"


def test_logging_needs_a_plan(client_as, db, patient, therapist, caregiver) -> None:
    bare = create_enrolment(db, patient, therapist, start_date=START)
    response = client_as(caregiver).post(
        f"/api/v1/enrolments/{bare.id}/home-logs", json=_log(_day(1, 1))
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "plan"


def test_update_archive_and_restore_with_versions(client_as, caregiver, enrolment) -> None:
    client = client_as(caregiver)
    url = f"/api/v1/enrolments/{enrolment.id}/home-logs"
    log = client.post(url, json=_log(_day(1, 1))).json()
    changed = client.patch(f"/api/v1/home-logs/{log['id']}", json={"version": 1, "pain_score": 3})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["pain_score"], changed.json()["version"]) == (3, 2)
    stale = client.patch(f"/api/v1/home-logs/{log['id']}", json={"version": 1, "minutes": 30})
    assert stale.status_code == 409
    assert stale.json()["current"]["pain_score"] == 3
    out_of_range = client.patch(
        f"/api/v1/home-logs/{log['id']}", json={"version": 2, "pain_score": 11}
    )
    assert out_of_range.status_code == 422
    archived = client.post(
        f"/api/v1/home-logs/{log['id']}/archive", json={"version": 2, "reason": "entered twice"}
    )
    assert archived.status_code == 200
    assert client.get(url).json()["total"] == 0
    assert client.get(url, params={"archived": True}).json()["total"] == 1
    restored = client.post(f"/api/v1/home-logs/{log['id']}/restore", json={"version": 3})
    assert (restored.status_code, restored.json()["archived_at"]) == (200, None)


# --- adherence ---------------------------------------------------------------------------------


def test_four_of_five_sessions_in_week_1_is_80_percent(client_as, caregiver, enrolment) -> None:
    # REFERENCE.md section 1: five 45-minute home sessions a week. 4 of 5 logged = 80 %;
    # 4 x 45 = 180 of 225 minutes = 80 %; 4 x 3 = 12 of 5 x 3 = 15 exercises = 80 %.
    client = client_as(caregiver)
    _post_logs(client, enrolment, _tue_to(1, 4))
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/adherence?through_week=1")
    assert response.status_code == 200, response.text
    body = response.json()
    (week,) = body["weeks"]
    assert week["sessions"] == {"done": 4, "prescribed": 5, "pct": 80.0}
    assert week["minutes"] == {"done": 180, "prescribed": 225, "pct": 80.0}
    assert week["exercises"] == {"done": 12, "prescribed": 15, "pct": 80.0}
    assert body["overall"]["sessions"] == {"done": 4, "prescribed": 5, "pct": 80.0}
    assert (body["low_adherence"], body["through_week"], body["plan_version"]) == (False, 1, 1)
    assert body["rules"]["status"] == "provisional"


def test_overall_sums_the_weeks(client_as, caregiver, enrolment) -> None:
    # Week 1: 5 of 5; week 2: 3 of 5 -> overall 8 of 10 = 80 %, 360 of 450 minutes.
    client = client_as(caregiver)
    _post_logs(client, enrolment, _tue_to(1, 5) + _tue_to(2, 3))
    body = client.get(f"/api/v1/enrolments/{enrolment.id}/adherence?through_week=2").json()
    assert [week["sessions"]["done"] for week in body["weeks"]] == [5, 3]
    assert body["overall"]["sessions"] == {"done": 8, "prescribed": 10, "pct": 80.0}
    assert body["overall"]["minutes"] == {"done": 360, "prescribed": 450, "pct": 80.0}


# rehab_review_rules (provisional): low when below 60 % of the prescribed sessions in each of
# the 2 most recent weeks. 3 of 5 = 60 % is at the threshold (not low); 2 of 5 = 40 % is low.
@pytest.mark.parametrize(
    ("per_week", "low", "low_weeks"),
    [((2, 2), True, [1, 2]), ((3, 3), False, []), ((2, 3), False, []), ((5, 2), False, [2])],
    ids=["40-40", "60-60", "40-60", "100-40"],
)
def test_low_adherence_flag(client_as, caregiver, enrolment, per_week, low, low_weeks) -> None:
    client = client_as(caregiver)
    days = [day for week, count in enumerate(per_week, 1) for day in _tue_to(week, count)]
    _post_logs(client, enrolment, days)
    body = client.get(f"/api/v1/enrolments/{enrolment.id}/adherence?through_week=2").json()
    assert (body["low_adherence"], body["low_weeks"]) == (low, low_weeks)
    assert body["low_rule"] == {"below_pct": 60, "consecutive_weeks": 2}


def test_archived_logs_do_not_count(client_as, caregiver, enrolment) -> None:
    client = client_as(caregiver)
    _post_logs(client, enrolment, _tue_to(1, 2))
    first = client.get(f"/api/v1/enrolments/{enrolment.id}/home-logs").json()["items"][0]
    client.post(f"/api/v1/home-logs/{first['id']}/archive", json={"version": 1, "reason": "wrong"})
    body = client.get(f"/api/v1/enrolments/{enrolment.id}/adherence?through_week=1").json()
    assert body["weeks"][0]["sessions"]["done"] == 1


@pytest.fixture
def frozen_today(shared_app) -> Iterator[None]:
    # Wednesday of week 3: weeks 1 and 2 are complete.
    shared_app.dependency_overrides[now] = lambda: datetime(2026, 1, 21, 12, tzinfo=UTC)
    yield
    shared_app.dependency_overrides.clear()


def test_default_assesses_the_completed_weeks(
    client_as, caregiver, enrolment, frozen_today
) -> None:
    body = client_as(caregiver).get(f"/api/v1/enrolments/{enrolment.id}/adherence").json()
    assert (body["through_week"], body["as_of"]) == (2, "2026-01-21")
    assert [week["week"] for week in body["weeks"]] == [1, 2]
    assert body["low_adherence"] is True  # nothing logged: 0 of 5 in both weeks


def test_through_week_beyond_the_programme_is_named(client_as, therapist, enrolment) -> None:
    response = client_as(therapist).get(
        f"/api/v1/enrolments/{enrolment.id}/adherence?through_week=13"
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "through_week"


def test_adherence_needs_a_plan(client_as, db, patient, therapist) -> None:
    bare = create_enrolment(db, patient, therapist, start_date=START)
    response = client_as(therapist).get(f"/api/v1/enrolments/{bare.id}/adherence")
    assert response.status_code == 422
    body = response.json()
    assert body["fields"][0]["field"] == "plan"
    assert "rehabilitation plan" in body["detail"]


def test_adherence_of_another_familys_child_is_404(client_as, db, centre, enrolment) -> None:
    stranger = create_user(db, role=Role.CAREGIVER, centre=centre)
    response = client_as(stranger).get(f"/api/v1/enrolments/{enrolment.id}/adherence")
    assert response.status_code == 404


# --- adverse events ----------------------------------------------------------------------------


def _event(day: date, **overrides: Any) -> dict[str, Any]:
    body = {
        "event_type": "pain",
        "event_date": day.isoformat(),
        "related_to_session": True,
        "description": "Ankle pain after exercise, settled with rest",
        "severity": "mild",
    }
    return body | overrides


# The plan's week 1: Monday hospital, Tuesday to Saturday home, Sunday nothing.
@pytest.mark.parametrize(
    ("day", "kind", "planned"),
    [
        (_day(1, 0), "hospital", ["hospital"]),
        (_day(1, 1), "home", ["home"]),
        (_day(1, 6), "none", []),
    ],
    ids=["monday-hospital", "tuesday-home", "sunday-none"],
)
def test_adverse_event_shows_the_rehab_day(
    client_as, therapist, caregiver, patient, enrolment, day, kind, planned
) -> None:
    _post_logs(client_as(caregiver), enrolment, [_day(1, 1)])
    client = client_as(therapist)
    created = client.post(f"/api/v1/patients/{patient.id}/adverse-events", json=_event(day))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["enrolment_id"] == enrolment.id  # the running enrolment, attached
    assert body["session_day"] == {
        "kind": kind,
        "plan_version": 1,
        "sessions": planned,
        "home_sessions_logged": 1 if kind == "home" else 0,
    }
    assert client.get(f"/api/v1/adverse-events/{body['id']}").json() == body
    listed = client.get(f"/api/v1/patients/{patient.id}/adverse-events").json()
    assert listed["items"] == [body]


def test_adverse_event_without_an_enrolment_fell_on_no_rehab_day(
    client_as, therapist, patient
) -> None:
    response = client_as(therapist).post(
        f"/api/v1/patients/{patient.id}/adverse-events", json=_event(_day(1, 0))
    )
    assert response.status_code == 201
    assert response.json()["enrolment_id"] is None
    assert response.json()["session_day"]["kind"] == "none"


def test_adverse_event_follows_an_edit_of_its_date(
    client_as, therapist, patient, enrolment
) -> None:
    client = client_as(therapist)
    event = client.post(f"/api/v1/patients/{patient.id}/adverse-events", json=_event(_day(1, 0)))
    moved = client.patch(
        f"/api/v1/adverse-events/{event.json()['id']}",
        json={"version": 1, "event_date": _day(1, 6).isoformat()},
    )
    assert moved.status_code == 200
    assert moved.json()["session_day"]["kind"] == "none"


def test_adverse_event_enrolment_must_be_the_childs(
    client_as, db, centre, therapist, patient, enrolment
) -> None:
    other = enrol_with_plan(db, create_patient(db, centre), therapist)
    body = _event(_day(1, 0), enrolment_id=other.id)
    response = client_as(therapist).post(f"/api/v1/patients/{patient.id}/adverse-events", json=body)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "enrolment_id"


def test_adverse_event_checks_its_codes(client_as, therapist, patient) -> None:
    body = _event(_day(1, 0), severity="catastrophic", event_type="sneeze")
    response = client_as(therapist).post(f"/api/v1/patients/{patient.id}/adverse-events", json=body)
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["fields"]} == {"severity", "event_type"}


def test_families_read_adverse_events_but_do_not_record_them(
    client_as, caregiver, patient, enrolment
) -> None:
    client = client_as(caregiver)
    response = client.post(f"/api/v1/patients/{patient.id}/adverse-events", json=_event(START))
    assert response.status_code == 403
    assert client.get(f"/api/v1/patients/{patient.id}/adverse-events").status_code == 200


# --- education ---------------------------------------------------------------------------------

REQUIRED_MATERIALS = {
    "home_safety",
    "joint_bleed_signs",
    "muscle_bleed_signs",
    "bleed_first_aid",
    "exercise_safely",
    "logging_and_check_ins",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_materials_exist_in_english_and_simplified_chinese(client_as, caregiver) -> None:
    client = client_as(caregiver)
    listed = client.get("/api/v1/education/materials").json()
    assert {item["code"] for item in listed} >= REQUIRED_MATERIALS
    for code in REQUIRED_MATERIALS:
        english = client.get(f"/api/v1/education/materials/{code}?lang=en").json()
        chinese = client.get(f"/api/v1/education/materials/{code}?lang=zh-Hans").json()
        assert (english["language"], chinese["language"]) == ("en", "zh-Hans")
        assert english["body"]
        assert not _has_chinese(english["body"] + english["title"])
        assert _has_chinese(chinese["body"])
        assert _has_chinese(chinese["title"])
        assert english["version"] == chinese["version"]
        assert "does not replace" in english["disclaimer"]
        assert "不能代替" in chinese["disclaimer"]
        assert english["source"]["status"] == "provisional"


def test_iliopsoas_red_flags_say_give_factor_and_go_to_hospital(client_as, caregiver) -> None:
    # REFERENCE.md section 4: groin pain with femoral nerve signs (thigh numbness, knee
    # weakness) is an emergency: factor at once and hospital assessment.
    body = client_as(caregiver).get("/api/v1/education/materials/muscle_bleed_signs").json()["body"]
    for words in (
        "groin",
        "numbness",
        "weakness straightening the knee",
        "give factor and go to hospital",
    ):
        assert words in body


def test_unknown_material_and_language(client_as, caregiver) -> None:
    client = client_as(caregiver)
    missing = client.get("/api/v1/education/materials/nonesuch")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    french = client.get("/api/v1/education/materials/home_safety?lang=fr")
    assert french.status_code == 422
    assert french.json()["fields"][0]["field"] == "lang"


def test_nurse_assigns_and_the_family_marks_read(client_as, nurse, caregiver, patient) -> None:
    url = f"/api/v1/patients/{patient.id}/education"
    assigned = client_as(nurse).post(url, json={"material_code": "joint_bleed_signs"})
    assert assigned.status_code == 201, assigned.text
    assignment = assigned.json()
    assert (assignment["assigned_by_id"], assignment["read_at"]) == (nurse.id, None)
    again = client_as(nurse).post(url, json={"material_code": "joint_bleed_signs"})
    assert (again.status_code, again.json()["id"]) == (200, assignment["id"])  # not doubled

    family = client_as(caregiver)
    listed = family.get(url, params={"lang": "zh-Hans"}).json()
    assert [(item["id"], item["title"]) for item in listed] == [(assignment["id"], "识别关节出血")]
    read = family.post(f"/api/v1/education-assignments/{assignment['id']}/read")
    assert read.status_code == 200
    read_at = read.json()["read_at"]
    assert read_at is not None
    again_read = family.post(f"/api/v1/education-assignments/{assignment['id']}/read")
    assert again_read.json()["read_at"] == read_at  # the first reading is kept
    reassigned = client_as(nurse).post(url, json={"material_code": "joint_bleed_signs"})
    assert reassigned.status_code == 201  # read, so a new assignment is opened


def test_who_may_assign_and_mark_read(
    client_as, db, centre, nurse, therapist, caregiver, patient
) -> None:
    url = f"/api/v1/patients/{patient.id}/education"
    body = {"material_code": "home_safety"}
    assert client_as(therapist).post(url, json=body).status_code == 403
    assert client_as(caregiver).post(url, json=body).status_code == 403
    assignment = create_assignment(db, patient, nurse)
    read_url = f"/api/v1/education-assignments/{assignment.id}/read"
    assert client_as(nurse).post(read_url).status_code == 403
    stranger = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, stranger, create_patient(db, centre))
    assert client_as(stranger).post(read_url).status_code == 404


def test_assigning_an_unknown_material_lists_the_codes(client_as, nurse, patient) -> None:
    url = f"/api/v1/patients/{patient.id}/education"
    response = client_as(nurse).post(url, json={"material_code": "juggling"})
    assert response.status_code == 422
    (field,) = response.json()["fields"]
    assert field["field"] == "material_code"
    assert all(code in field["allowed"] for code in REQUIRED_MATERIALS)
