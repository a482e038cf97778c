"""Family pages: today's exercises, logging a session, a bleed report with advice, check-ins.

The clock is fixed inside the programme of ``tests/support/home_builders`` (week 1 starts
Monday 2026-01-05; home sessions Tuesday to Saturday).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AlertRecord, BleedRecord
from hemojoint.services import auth, home
from hemojoint.web.api.deps import now
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.home_builders import enrol_with_plan, plan_content
from tests.support.html import Page

TUESDAY = datetime(2026, 1, 6, 12, tzinfo=UTC)  # week 1, a home day of the plan
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _plan(variant: str = "standard") -> dict[str, Any]:
    """Home sessions with two library exercises and their doses (what the therapist set)."""
    content = plan_content(home_exercises=("warm_up_marching", "weight_shift_side_to_side"))
    for planned_session in content["sessions"]:
        planned_session["exercises"] = [
            {"code": "warm_up_marching", "variant": variant, "sets": 1, "minutes": 3},
            {"code": "weight_shift_side_to_side", "variant": variant, "sets": 2, "reps": 10},
        ]
    return content


@pytest.fixture
def clock(shared_app):  # type: ignore[no-untyped-def]
    shared_app.dependency_overrides[now] = lambda: TUESDAY
    yield TUESDAY
    shared_app.dependency_overrides.clear()


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    child = create_patient(db, centre, given_name="Ming")  # born 2016-05-17: 9 years old
    other = create_patient(db, centre, given_name="Other")
    link_family(db, parent, child)
    enrolment = enrol_with_plan(db, child, therapist, content=_plan())
    return {"parent": parent, "child": child, "other": other, "enrolment": enrolment,
            "therapist": therapist, "centre": centre}  # fmt: skip


def test_one_child_goes_straight_to_today(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    response = browser_as(world["parent"]).get("/family")
    assert response.status_code == 303
    assert response.headers["location"] == f"/family/{world['child'].id}"


def test_today_shows_the_plan_exercises_with_their_doses(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    page = browser_as(world["parent"]).page(f"/family/{world['child'].id}")
    # The plan built above prescribes these two at home on Tuesday of week 1; the names
    # are the library's English names (definitions/exercise_library.json).
    codes = [item.get("data-exercise") for item in page.select("#today-exercises li")]
    assert codes == ["warm_up_marching", "weight_shift_side_to_side"]
    items = page.texts("#today-exercises li")
    assert "Marching on the spot" in items[0]
    assert "3 minutes" in items[0]
    assert "2 \u00d7 10 times" in items[1]  # sets x reps
    assert page.select("#today-exercises svg[role=img] title")  # each pictogram is named
    assert not page.select("#game-note")  # 9 years old: the standard exercises


def test_a_child_of_seven_gets_the_game_variant(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    small = create_patient(db, world["centre"], birth_date=datetime(2019, 3, 1).date())
    link_family(db, world["parent"], small)
    enrol_with_plan(db, small, world["therapist"], content=_plan(variant="game"))
    page = browser_as(world["parent"]).page(f"/family/{small.id}")
    # REFERENCE.md section 1: aged 7 or younger get the content as games; the library's
    # game text for marching begins "Marching band".
    assert len(page.select("#game-note")) == 1
    assert "Marching band" in page.text("#today-exercises li")


def test_logging_a_session_stores_it(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    url = f"/family/{world['child'].id}/log"
    form = browser.page(url)
    assert form.one("#log-form") is not None
    assert form.one("#log-submit") is not None
    data = {"session_date": "2026-01-06", "outcome": "partly", "minutes": "30",
            "exercises": ["warm_up_marching"], "pain": "yes", "pain_score": "4",
            "problem": "yes", "notes": "knee felt stiff"}  # fmt: skip
    response = browser.post(url, data)
    assert response.status_code == 303, response.text[:800]
    logs = home.list_logs(db, _actor(world["parent"]), enrolment_id=world["enrolment"].id).items
    assert len(logs) == 1
    log = logs[0]
    # Partly done: the ticked exercise true, the other of the day false.
    assert log.exercises == {"warm_up_marching": True, "weight_shift_side_to_side": False}
    assert (log.minutes, log.pain_score, log.notes) == (30, 4, "knee felt stiff")


def test_a_bad_log_is_shown_again_naming_the_field(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    data = {"session_date": "2026-01-06", "outcome": "done", "minutes": "0"}
    response = browser.post(f"/family/{world['child'].id}/log", data)
    assert response.status_code == 422
    page = Page(response.text)
    assert "minutes: 0 is outside 1-1440" in page.text(".error-summary")  # the domain's range
    assert page.one("#minutes").get("aria-invalid") == "true"


def test_groin_pain_with_thigh_numbness_is_an_emergency(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    data = {"site": "groin", "bleed_type": "spontaneous", "started": "2026-01-06T10:00",
            "findings": ["thigh_numbness"]}  # fmt: skip
    response = browser.post(f"/family/{world['child'].id}/bleed", data)
    assert response.status_code == 303, response.text[:800]
    advice = browser.page(response.headers["location"])
    box = advice.one("#triage-advice")
    # REFERENCE.md section 4: groin pain with femoral nerve signs is an emergency:
    # factor at once and hospital; the software says it never replaces judgement.
    assert box.get("role") == "alert"
    assert box.get("data-urgency") == "emergency"
    text = advice.text("#triage-advice")
    assert "give factor now and go to hospital now" in text
    assert "alert" in text
    assert "not replaces, clinical judgement" in text
    bleed = db.scalars(select(BleedRecord).where(BleedRecord.patient_id == world["child"].id)).one()
    assert bleed.urgency == "emergency"
    assert "groin_pain" in bleed.findings
    alert = db.scalars(select(AlertRecord).where(AlertRecord.bleed_id == bleed.id)).one()
    assert alert.urgency == "emergency"


def test_the_advice_gives_the_centre_s_number_to_call(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    world["centre"].contact_line = "+86 10 1234 5678 (24 h)"
    db.commit()
    browser = browser_as(world["parent"])
    data = {"site": "groin", "bleed_type": "spontaneous", "started": "2026-01-06T10:00",
            "findings": ["thigh_numbness"]}  # fmt: skip
    response = browser.post(f"/family/{world['child'].id}/bleed", data)
    advice = browser.page(response.headers["location"])
    call = advice.one("#centre-contact a")
    assert call.get("href") == "tel:+861012345678"  # the digits before the note
    assert call.text == "+86 10 1234 5678 (24 h)"


def test_an_ankle_bleed_is_urgent_and_a_skin_bruise_routine(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    url = f"/family/{world['child'].id}/bleed"
    base = {"bleed_type": "traumatic", "started": "2026-01-06T09:00"}
    # The domain triage treats any joint site as a suspected joint bleed: urgent
    # (REFERENCE.md section 4 lists no red flag for it, so it is not an emergency).
    ankle = browser.page(browser.post(url, {**base, "site": "left_ankle"}).headers["location"])
    assert ankle.one("#triage-advice").get("data-urgency") == "urgent"
    assert "contact the treatment centre today" in ankle.text("#triage-advice")
    # A bruise with no red flag is routine: rest, protect, cool; no alert raised.
    skin = browser.page(browser.post(url, {**base, "site": "skin"}).headers["location"])
    assert skin.one("#triage-advice").get("data-urgency") == "routine"
    assert "Rest, protect the area and cool it" in skin.text("#triage-advice")
    assert not skin.select("#team-alerted")


def test_a_bleed_without_a_site_is_refused_naming_it(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    data = {"site": "", "bleed_type": "traumatic", "started": "2026-01-06T09:00"}
    response = browser_as(world["parent"]).post(f"/family/{world['child'].id}/bleed", data)
    assert response.status_code == 422
    assert "site: '' is not one of" in Page(response.text).text(".error-summary")


@pytest.mark.parametrize("suffix", ["", "/log", "/bleed", "/check-in", "/messages", "/plan"])
def test_another_childs_pages_are_not_found(browser_as, world, clock, suffix) -> None:  # type: ignore[no-untyped-def]
    response = browser_as(world["parent"]).get(f"/family/{world['other'].id}{suffix}")
    assert response.status_code == 404


def test_another_childs_bleed_cannot_be_reported(browser_as, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    data = {"site": "skin", "bleed_type": "traumatic", "started": "2026-01-06T09:00"}
    response = browser_as(world["parent"]).post(f"/family/{world['other'].id}/bleed", data)
    assert response.status_code == 404
    assert db.scalars(select(BleedRecord)).all() == []


def test_a_photo_check_in_is_uploaded_and_listed(browser_as, world, clock, settings) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    url = f"/family/{world['child'].id}/check-in"
    form = browser.page(url)
    assert form.one("#file").get("accept") == "image/*,video/*"
    files = {"file": ("squat.png", PNG, "image/png")}
    response = browser.post(url, {"note": "is this right?"}, files=files)
    assert response.status_code == 303, response.text[:800]
    page = browser.page(response.headers["location"])
    assert "squat.png" in page.text("#past-check-ins")
    assert "is this right?" in page.text("#past-check-ins")


def test_a_wrong_file_type_is_refused_naming_the_field(browser_as, world, clock, settings) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    files = {"file": ("notes.txt", b"hello", "text/plain")}
    response = browser.post(f"/family/{world['child'].id}/check-in", {}, files=files)
    assert response.status_code == 422
    page = Page(response.text)
    # The check-ins service takes only photo and video types and names the field.
    assert "file.content_type: 'text/plain' is not one of" in page.text(".error-summary")
    assert page.one("#file").get("aria-invalid") == "true"


def test_messages_are_sent_and_shown(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    url = f"/family/{world['child'].id}/messages"
    assert browser.post(url, {"body": "Can we skip Friday?"}).status_code == 303
    assert "Can we skip Friday?" in browser.page(url).text("#thread")


def test_the_pages_render_in_chinese(browser_as, world, clock) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(world["parent"])
    browser.use_language("zh-Hans")
    page = browser.page(f"/family/{world['child'].id}")
    # The library's Chinese name of marching (definitions/exercise_library.json).
    assert "原地踏步" in page.text("#today-exercises")
    bleed = browser.page(f"/family/{world['child'].id}/bleed")
    assert bleed.text("h1") == "报告出血"
    assert "Report a bleed" not in bleed.text("main")


def _actor(user):  # type: ignore[no-untyped-def]
    return auth.actor_for(user, None)
