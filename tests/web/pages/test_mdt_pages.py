"""The MDT pages: meetings listed upcoming first, a new meeting with its generated agenda,
notes, actions with owner and due date, marking an action done; families are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.programme_builders import create_action, create_meeting


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def leader(db, centre):
    return create_user(db, role=Role.REHAB_PHYSICIAN, centre=centre, display_name="Dr Rehab")


def test_meetings_are_listed_upcoming_first_and_a_new_one_is_created(
    browser_as, db, centre, leader
) -> None:
    soon = date.today() + timedelta(days=7)
    later = date.today() + timedelta(days=21)
    before = date.today() - timedelta(days=14)
    made = {
        day: create_meeting(db, centre.id, leader, meeting_date=day).id
        for day in (later, before, soon)
    }
    browser = browser_as(leader)

    page = browser.page("/mdt")
    upcoming = [item.get("data-id") for item in page.select("#meetings-upcoming .meeting")]
    assert upcoming == [str(made[soon]), str(made[later])]  # the next meeting first
    assert len(page.select("#meetings-past .meeting")) == 1
    assert "Dr Rehab" in page.text("#meetings-upcoming")

    response = browser.post("/mdt", {"meeting_date": soon.isoformat(), "led_by": str(leader.id)})
    assert response.status_code == 303, response.text
    shown = browser.page(response.headers["location"])
    assert "Dr Rehab" in shown.text("main")


def test_a_meeting_led_by_someone_else_is_refused_naming_led_by(
    browser_as, db, centre, leader
) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    # REFERENCE.md section 1: the MDT is led by the rehabilitation specialist.
    response = browser_as(leader).post(
        "/mdt", {"meeting_date": date.today().isoformat(), "led_by": str(nurse.id)}
    )
    assert response.status_code == 422
    assert 'id="led_by-error"' in response.text


def test_notes_and_actions_are_saved_and_marked_done(browser_as, db, centre, leader) -> None:
    patient = create_patient(db, centre)
    meeting = create_meeting(db, centre.id, leader, meeting_date=date(2026, 1, 19))
    browser = browser_as(leader)
    url = f"/mdt/{meeting.id}"

    assert (
        browser.post(f"{url}/notes", {"version": "1", "notes": "Hold loading"}).status_code == 303
    )
    early = {
        "patient_id": str(patient.id),
        "description": "Repeat ultrasound",
        "owner_role": "sonographer",
        "due_date": "2026-01-01",
    }
    refused = browser.post(f"{url}/actions", early)
    assert refused.status_code == 422  # schemas/mdt.py: due on or after the meeting
    assert 'id="due_date-error"' in refused.text
    saved = browser.post(f"{url}/actions", {**early, "due_date": "2026-02-02"})
    assert saved.status_code == 303, saved.text

    page = browser.page(url)
    assert page.text("#notes-text") == "Hold loading"
    row = page.one("#actions .action")
    assert "Repeat ultrasound" in " ".join(row.itertext())
    action_id = row.get("id").removeprefix("action-")
    done = browser.post(f"{url}/actions/{action_id}/done", {"version": "1"})
    assert done.status_code == 303
    assert browser.page(url).text("#actions .action .badge") == "done"


def test_an_existing_action_is_shown_with_its_owner(browser_as, db, centre, leader) -> None:
    patient = create_patient(db, centre)
    meeting = create_meeting(db, centre.id, leader)
    create_action(db, meeting, patient)
    page = browser_as(leader).page(f"/mdt/{meeting.id}")
    assert "sonographer" in page.text("#actions .action")


def test_families_and_other_centres_are_refused(browser_as, db, centre, leader) -> None:
    meeting = create_meeting(db, centre.id, leader)
    caregiver = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, caregiver, create_patient(db, centre))
    assert browser_as(caregiver).get("/mdt").status_code == 403
    assert browser_as(caregiver).get(f"/mdt/{meeting.id}").status_code == 403
    other = create_user(db, role=Role.REHAB_PHYSICIAN, centre=create_centre(db))
    assert browser_as(other).get(f"/mdt/{meeting.id}").status_code == 404


def test_the_meeting_list_in_chinese(browser_as, leader) -> None:
    browser = browser_as(leader)
    browser.use_language("zh-Hans")
    assert browser.page("/mdt").text("h1") == "多学科会议"
