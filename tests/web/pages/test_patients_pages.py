"""The clinicians' patient list, patient record and joint history pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import CentreRecord, PatientRecord, UserRecord
from tests.support.alert_builders import create_alert
from tests.support.assessment_builders import create_assessment, head_us_raw, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.patient_record_builders import create_bleed
from tests.support.programme_builders import (
    add_plan_version,
    create_enrolment,
    create_plan,
    create_session_log,
)

Browser = Any


@pytest.fixture
def centre(db: Session) -> CentreRecord:
    return create_centre(db)


@pytest.fixture
def hematologist(db: Session, centre: CentreRecord) -> UserRecord:
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre)


@pytest.fixture
def doctor(
    browser_as: Callable[[UserRecord], Browser], hematologist: UserRecord, db: Session
) -> Browser:
    return browser_as(hematologist)


def _now() -> datetime:
    return datetime.now(UTC)


# --- list -----------------------------------------------------------------------------------


def test_search_matches_name_and_record_number_within_the_centre(
    db: Session, centre: CentreRecord, doctor: Browser
) -> None:
    create_patient(db, centre, family_name="Wang", record_number="HJ-100")
    create_patient(db, centre, family_name="Li", record_number="HJ-200")
    create_patient(db, create_centre(db), family_name="Wang", record_number="X-1")  # elsewhere
    db.commit()
    by_name = doctor.page("/patients?q=wang")
    assert by_name.texts("#patient-table tbody td:nth-child(2)") == ["HJ-100"]
    by_number = doctor.page("/patients?q=hj-2")
    assert by_number.texts("#patient-table tbody td:nth-child(2)") == ["HJ-200"]


def test_severity_filter(db: Session, centre: CentreRecord, doctor: Browser) -> None:
    # REFERENCE.md: factor activity below 1 IU/dL is severe, 1-5 moderate.
    create_patient(db, centre, record_number="S-1", factor_activity_iu_dl=0.5)
    create_patient(db, centre, record_number="M-1", factor_activity_iu_dl=3)
    db.commit()
    page = doctor.page("/patients?severity=moderate")
    assert page.texts("#patient-table tbody td:nth-child(2)") == ["M-1"]


def test_badges_red_flag_new_bleeds_and_the_alerts_filter(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    flagged = create_patient(db, centre, record_number="A-1", family_name="Aa")
    bled = create_patient(db, centre, record_number="B-1", family_name="Bb")
    quiet = create_patient(db, centre, record_number="C-1", family_name="Cc")
    create_alert(db, flagged, hematologist)  # iliopsoas with thigh numbness: emergency
    create_bleed(db, bled, hematologist, _now() - timedelta(days=2))  # within 7 days
    create_bleed(db, quiet, hematologist, _now() - timedelta(days=9))  # older than 7 days
    db.commit()
    page = doctor.page("/patients")
    rows = {row.get("data-patient"): row for row in page.select("#patient-table tbody tr")}
    assert set(rows) == {str(flagged.id), str(bled.id), str(quiet.id)}
    flags = {
        pid: sorted(badge.get("data-badge", "") for badge in row.iter("span"))
        for pid, row in rows.items()
    }
    # The flagged child's alert bleed started at the builder's default time (long ago).
    assert flags == {str(flagged.id): ["red-flag"], str(bled.id): ["new-bleeds"], str(quiet.id): []}
    only = doctor.page("/patients?alerts=true")
    assert only.texts("#patient-table tbody td:nth-child(2)") == ["A-1"]


def _home_plan(first_day: date, weeks: int) -> dict[str, Any]:
    """Five home sessions in each of ``weeks`` programme weeks (the study's schedule)."""
    sessions = [
        {
            "date": (first_day + timedelta(days=7 * week + day)).isoformat(),
            "week": week + 1,
            "kind": "home",
            "minutes": 45,
            "exercises": [{"code": "ankle_pumps"}],
        }
        for week in range(weeks)
        for day in range(5)
    ]
    return {"problems": [], "goals": [], "sessions": sessions}


def test_low_adherence_badge_and_programme_week_filter(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    today = _now().date()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=3)  # in week 4 today
    lazy = create_patient(db, centre, record_number="L-1", family_name="Aa")
    keen = create_patient(db, centre, record_number="K-1", family_name="Bb")
    create_patient(db, centre, record_number="N-1", family_name="Cc")  # not enrolled
    for child in (lazy, keen):
        enrolment = create_enrolment(db, child, hematologist, start_date=monday)
        plan = create_plan(db, enrolment, hematologist)
        add_plan_version(db, plan, hematologist, number=2, content=_home_plan(monday, 4))
        if child is keen:  # every prescribed session of the three completed weeks
            for week in range(3):
                for day in range(5):
                    when = monday + timedelta(days=7 * week + day)
                    create_session_log(
                        db,
                        enrolment,
                        hematologist,
                        session_date=when,
                        started_at=datetime(when.year, when.month, when.day, 17, tzinfo=UTC),
                        exercises={"ankle_pumps": True},
                    )
    db.commit()
    # rehab_review_rules: low when below 60 % in each of the 2 latest weeks; L-1 did 0 of 5.
    page = doctor.page("/patients?week=weeks_1_4")
    assert page.texts("#patient-table tbody td:nth-child(2)") == ["L-1", "K-1"]
    low = [
        row.get("data-patient")
        for row in page.select("#patient-table tbody tr")
        if any(span.get("data-badge") == "low-adherence" for span in row.iter("span"))
    ]
    assert low == [str(lazy.id)]
    assert page.texts("#patient-table tbody td:nth-child(4)") == ["Week 4", "Week 4"]
    not_enrolled = doctor.page("/patients?week=not_enrolled")
    assert not_enrolled.texts("#patient-table tbody td:nth-child(2)") == ["N-1"]


def test_paging_and_the_htmx_partial(db: Session, centre: CentreRecord, doctor: Browser) -> None:
    for number in range(27):  # one page holds 25
        create_patient(db, centre, family_name=f"Kid {number:02d}")
    db.commit()
    second = doctor.page("/patients?offset=25")
    assert len(second.select("#patient-table tbody tr")) == 2
    assert second.one("#page-prev").get("href") == "/patients?&offset=0"
    partial = doctor.get("/patients?q=kid", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'id="patient-table"' in partial.text


# --- record ---------------------------------------------------------------------------------


def test_a_patient_of_another_centre_is_not_found(db: Session, doctor: Browser) -> None:
    other = create_patient(db, create_centre(db))
    db.commit()
    assert doctor.get(f"/patients/{other.id}").status_code == 404
    assert doctor.get(f"/patients/{other.id}/joints/left_knee").status_code == 404


def test_a_caregiver_cannot_open_the_clinicians_pages(
    db: Session, centre: CentreRecord, browser_as: Callable[[UserRecord], Browser]
) -> None:
    child = create_patient(db, centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, child)
    db.commit()
    family = browser_as(parent)
    assert family.get("/patients").status_code in (403, 404)
    assert family.get(f"/patients/{child.id}").status_code in (403, 404)


def _patient_with_scores(db: Session, centre: CentreRecord, by: UserRecord) -> PatientRecord:
    child = create_patient(db, centre, birth_date=date(2016, 5, 17))
    # HJHS 2.1: left knee swelling 2 + crepitus 1 + flexion loss 3 = 6 of 20 (moderate band:
    # over a quarter, up to half); right ankle joint pain 1 = 1 of 20 (mild band).
    scores = {
        "left_knee.swelling": 2,
        "left_knee.crepitus": 1,
        "left_knee.flexion_loss": 3,
        "right_ankle.joint_pain": 1,
    }
    create_assessment(db, child, by, raw=hjhs_raw(scores))
    # HEAD-US of the left knee: synovitis 1 + cartilage 2 + bone 0 = 3 of 8 (moderate band).
    create_assessment(db, child, by, instrument_code="head_us", raw=head_us_raw())
    return child


def test_joint_map_colours_numbers_tiers_and_links(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    child = _patient_with_scores(db, centre, hematologist)
    db.commit()
    page = doctor.page(f"/patients/{child.id}")
    knee = page.one('#joint-map a[data-joint="left_knee"]')
    assert knee.get("href") == f"/patients/{child.id}/joints/left_knee"
    assert knee is not None
    paths = page.select('#joint-map a[data-joint="left_knee"] path')
    bands = {path.get("class"): path.get("data-band") for path in paths}
    assert bands == {"half-hjhs": "moderate", "half-us": "moderate"}
    assert page.texts('a[data-joint="left_knee"] text') == ["6", "3", "HEAD-US"]
    ankle = page.select('#joint-map a[data-joint="right_ankle"] path')
    assert [p.get("data-band") for p in ankle] == ["mild", "unscored"]
    hip = page.select('#joint-map a[data-joint="left_hip"] path')  # HJHS does not score hips
    assert [p.get("data-band") for p in hip] == ["unscored", "unscored"]
    # Left and right as the patient's own: the patient's left knee is on the reader's right.
    right_knee = page.one('a[data-joint="right_knee"] .score-hjhs')
    left_knee = page.one('a[data-joint="left_knee"] .score-hjhs')
    assert float(right_knee.get("x", "0")) < float(left_knee.get("x", "0"))


def test_record_header_timeline_and_trends(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    child = _patient_with_scores(db, centre, hematologist)
    create_bleed(db, child, hematologist, _now() - timedelta(days=3))
    db.commit()
    page = doctor.page(f"/patients/{child.id}")
    assert page.text("#programme-week") == "Not enrolled"
    kinds = [item.get("data-kind") for item in page.select("#timeline li")]
    assert kinds[0] == "Bleed"
    assert kinds.count("Assessment") == 2
    assert page.select("#trend-hjhs svg[role=img] title")
    # HJHS total 7 (6 + 1): one point; the axis top is the next 1-2-5 step, 10.
    assert page.texts("#trend-hjhs tbody td")[1] == "7"
    assert page.one("#new-bleed").get("href") == f"/patients/{child.id}/bleeds/new"


def test_the_record_page_in_chinese(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    child = _patient_with_scores(db, centre, hematologist)
    db.commit()
    doctor.use_language("zh-Hans")
    page = doctor.page(f"/patients/{child.id}")
    assert page.text("#joints-heading") == "关节"
    assert page.text("#trends-heading") == "趋势"
    assert "左膝" in page.one('a[data-joint="left_knee"]').get("aria-label", "")


# --- joint history --------------------------------------------------------------------------


def test_joint_history_shows_items_tier_version_and_bleeds(
    db: Session, centre: CentreRecord, hematologist: UserRecord, doctor: Browser
) -> None:
    child = _patient_with_scores(db, centre, hematologist)
    create_bleed(db, child, hematologist, _now() - timedelta(days=3))  # builder: left knee
    db.commit()
    page = doctor.page(f"/patients/{child.id}/joints/left_knee")
    cells = page.texts("#hjhs-history tbody td")
    # swelling, swelling_duration, muscle_atrophy, crepitus, flexion_loss, extension_loss,
    # joint_pain, strength, then the joint total 6 and the definition.
    assert cells[1:10] == ["2", "0", "0", "1", "3", "0", "0", "0", "6"]
    assert cells[10] == "HJHS 2.1"
    assert page.texts("#ultrasound-history td.tier") == ["HEAD-US"]
    assert page.texts("#ultrasound-history td.total") == ["3"]
    assert len(page.select("#joint-bleeds li")) == 1
    assert doctor.get(f"/patients/{child.id}/joints/nose").status_code == 404
