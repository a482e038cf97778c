"""The rehabilitation pages: enrolment with the eligibility result, the generated plan with its
problems and evidence, the editor, the weekly review, check-ins with their media, messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hemojoint.domain.access import Role
from hemojoint.services.media_store import MediaStore
from hemojoint.settings import Settings
from tests.support.assessment_builders import create_assessment, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.html import Page
from tests.support.programme_builders import create_check_in, create_enrolment

# The child's findings (as in tests/web/test_programme_api.py): HJHS left ankle flexion loss 2
# and swelling 2 -> the planner lists restricted motion of the left ankle with that evidence.
HJHS_SCORES = {"left_ankle.flexion_loss": 2, "left_ankle.swelling": 2}
START = date(2026, 1, 5)  # a Monday


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cookie_secure=False, database_url="sqlite://", media_dir=tmp_path / "media")


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
def enrolment(db, patient, therapist):
    hjhs = create_assessment(db, patient, therapist, raw=hjhs_raw(HJHS_SCORES))
    return create_enrolment(db, patient, therapist, start_date=START, baseline_hjhs_id=hjhs.id)


@pytest.fixture
def planned(browser_as, therapist, patient, enrolment):
    browser = browser_as(therapist)
    response = browser.post(f"/patients/{patient.id}/rehab/generate")
    assert response.status_code == 303, response.text
    return browser


def test_not_enrolled_shows_the_form_and_every_failed_criterion(
    browser_as, therapist, patient
) -> None:
    browser = browser_as(therapist)
    page = browser.page(f"/patients/{patient.id}/rehab")
    assert page.text("#enrolment-status") == "not enrolled"
    assert page.one("form#enrol-form")

    # Nothing answered: REFERENCE.md section 1's criteria the team must confirm fail as
    # "not confirmed"; the registry has no inhibitor test either.
    response = browser.post(
        f"/patients/{patient.id}/rehab/enrol",
        {"start_date": START.isoformat(), "infusion_weekdays": ["mon", "wed"]},
    )

    assert response.status_code == 422
    failed = [item.get("data-field") for item in Page(response.text).select(".failed-criterion")]
    assert "eligibility.follows_simple_training" in failed
    assert "eligibility.joint_pain_or_restricted_motion" in failed
    assert "eligibility.inhibitor_negative" in failed
    assert "eligibility.age_4_to_18" not in failed  # 9 years old: met


def test_an_eligible_child_is_enrolled(browser_as, therapist, patient) -> None:
    browser = browser_as(therapist)
    answers = {
        "follows_simple_training": "yes",
        "joint_pain": "yes",
        "restricted_motion": "yes",
        "completes_12_weeks": "yes",
        "active_bleed_on_ultrasound": "no",
        "severe_active_bleeding": "no",
        "heart_liver_or_kidney_disease": "no",
        "other_serious_condition": "no",
        "imaging_modality": "ultrasound",
        "imaging_finding": "synovitis",
        "inhibitor_tested_on": "2025-12-01",
        "inhibitor_result": "negative",
    }
    response = browser.post(
        f"/patients/{patient.id}/rehab/enrol",
        {"start_date": START.isoformat(), "infusion_weekdays": ["mon", "wed", "fri"], **answers},
    )
    assert response.status_code == 303, response.text
    page = browser.page(f"/patients/{patient.id}/rehab")
    assert "enrolled" in page.text("#enrolment-status")
    assert "12 weeks" in page.text("#enrolment-status")  # REFERENCE.md: a 12-week programme


def test_the_plan_shows_problems_with_evidence_goals_and_12_weeks(
    planned, patient, enrolment
) -> None:
    page = planned.page(f"/patients/{patient.id}/rehab")
    motion = page.one('.problem[data-problem="restricted_motion"]')
    assert motion is not None
    links = [a.get("href") for a in page.select(".evidence-link")]
    # The evidence links to the baseline HJHS it came from, on the joint's page.
    expected = f"/patients/{patient.id}/joints/left_ankle#assessment-{enrolment.baseline_hjhs_id}"
    assert expected in links
    assert "left_ankle.flexion_loss = 2" in page.text("#problems")
    assert page.select("#goals-short tbody tr")
    assert page.select("#goals-long tbody tr")
    # Issue 4: twelve weeks of one hospital and five home sessions.
    assert len(page.select("details.week")) == 12
    assert "72 sessions" in page.text("#plan")
    assert page.one("#home-plan").get("href") == f"/patients/{patient.id}/rehab/home-plan"


def test_the_home_plan_link_goes_to_the_printable_document(planned, patient, enrolment) -> None:
    response = planned.get(f"/patients/{patient.id}/rehab/home-plan?format=pdf")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/api/v1/enrolments/{enrolment.id}/home-plan?lang=en&format=pdf"
    )


def test_an_edit_saves_a_new_version_and_a_bad_dose_is_refused(planned, patient) -> None:
    url = f"/patients/{patient.id}/rehab/plan"
    editor = planned.page(url)
    code = editor.select("#sessions .exercise")[1].get("data-code")

    bad = planned.post(
        url, {"version": "1", "action": "dose", "code": code, "sets": "0", "reason": "less"}
    )
    assert bad.status_code == 422
    # schemas/programme.py Dose: sets 1-100.
    assert "sets" in bad.text
    assert 'id="sets-error"' in bad.text

    saved = planned.post(
        url,
        {"version": "1", "action": "remove", "code": code, "weeks": "1", "reason": "too hard"},
    )
    assert saved.status_code == 303, saved.text
    page = planned.page(url)
    rows = [(row.get("data-number"), " ".join(row.itertext())) for row in page.select(".version")]
    assert rows[0][0] == "2"
    assert "too hard" in rows[0][1]
    assert rows[1][0] == "1"
    assert "generated" in rows[1][1]
    week_1 = page.select("#week-1 .exercise")
    assert code not in [item.get("data-code") for item in week_1]


def test_a_review_week_outside_the_programme_is_refused_naming_week(planned, patient) -> None:
    response = planned.post(f"/patients/{patient.id}/rehab/review", {"week": "13"})
    assert response.status_code == 422
    assert 'id="week-error"' in response.text  # ReviewCreate: week 1-12
    saved = planned.post(f"/patients/{patient.id}/rehab/review", {"week": "1"})
    assert saved.status_code == 303, saved.text
    page = planned.page(f"/patients/{patient.id}/rehab/review")
    assert page.one(".review").get("data-week") == "1"


def test_messages_are_posted_and_an_empty_one_is_refused(
    browser_as, therapist, patient, enrolment
) -> None:
    browser = browser_as(therapist)
    url = f"/patients/{patient.id}/messages"
    assert browser.post(url, {"body": "   "}).status_code == 422
    assert browser.post(url, {"body": "How was the knee today?"}).status_code == 303
    page = browser.page(url)
    assert page.texts(".message .body") == ["How was the knee today?"]
    assert page.text(".message .author") == therapist.display_name


def test_check_in_media_is_served_only_to_those_who_may_see_it(
    db, browser_as, settings, centre, therapist, patient, enrolment
) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, caregiver, patient)
    check_in = create_check_in(db, enrolment, caregiver, note="after the game")
    path = MediaStore(settings.media_dir).path_of(check_in.storage_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff\xe0 a jpeg")
    media_url = f"/patients/{patient.id}/check-ins/{check_in.id}/media"

    page = browser_as(therapist).page(f"/patients/{patient.id}/check-ins")
    assert page.one(f"#check-in-{check_in.id} img").get("src") == media_url
    served = browser_as(therapist).get(media_url)
    assert served.status_code == 200
    assert served.content == b"\xff\xd8\xff\xe0 a jpeg"

    elsewhere = create_user(db, role=Role.THERAPIST, centre=create_centre(db))
    assert browser_as(elsewhere).get(media_url).status_code == 404
    stranger = create_user(db, role=Role.CAREGIVER, centre=centre)
    assert browser_as(stranger).get(media_url).status_code == 404


def test_feedback_on_a_check_in_is_saved(db, browser_as, centre, therapist, patient, enrolment):
    caregiver = create_user(db, role=Role.CAREGIVER, centre=centre)
    check_in = create_check_in(db, enrolment, caregiver)
    browser = browser_as(therapist)
    url = f"/patients/{patient.id}/check-ins/{check_in.id}/reply"
    assert browser.post(url, {"version": "1", "text": ""}).status_code == 422
    assert browser.post(url, {"version": "1", "text": "Good form"}).status_code == 303
    page = browser.page(f"/patients/{patient.id}/check-ins")
    assert "Good form" in page.text(f"#check-in-{check_in.id} .reply")


@pytest.mark.parametrize(
    "path", ["/rehab", "/rehab/plan", "/rehab/review", "/check-ins", "/messages"]
)
def test_a_caregiver_cannot_open_the_teams_pages(
    db, browser_as, centre, patient, enrolment, path
) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, caregiver, patient)
    assert browser_as(caregiver).get(f"/patients/{patient.id}{path}").status_code == 403


def test_the_programme_page_in_chinese(browser_as, therapist, patient) -> None:
    browser = browser_as(therapist)
    browser.use_language("zh-Hans")
    page = browser.page(f"/patients/{patient.id}/rehab")
    assert page.text("h1").startswith("康复")
    assert page.text("#enrolment-status") == "未入组"
