"""The outcome report page and a patient's printable visit report."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family


def test_the_report_page_frames_the_api_report_with_the_chosen_filters(
    browser_as, db: Session
) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    hematologist = create_user(db, role=Role.HEMATOLOGIST, centre=centre)
    db.commit()
    browser = browser_as(hematologist)
    form = browser.page("/reports")
    assert form.select("#report-frame") == []  # nothing runs until asked
    page = browser.page("/reports?run=true&from=2026-01-01&baseline=baseline&follow_up=week_12")
    frame = page.one("#report-frame").get("src")
    assert (
        frame
        == "/api/v1/reports/outcomes?baseline=baseline&follow_up=week_12&from=2026-01-01&format=html"
    )
    assert page.one("#report-progress-bar").tag == "progress"
    report = browser.get(frame)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")


def test_families_may_not_open_the_cohort_report(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    db.commit()
    assert browser_as(parent).get("/reports").status_code == 403


def test_the_visit_report_is_the_patient_report_in_the_reader_s_language(
    browser_as, db: Session
) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    child = create_patient(
        db, centre, given_name="Hao", family_name="Synthetic", birth_date=date(2016, 5, 17)
    )
    db.commit()
    browser = browser_as(nurse)
    html = browser.get(f"/patients/{child.id}/report")
    assert html.status_code == 200
    assert "Hao" in html.text
    pdf = browser.get(f"/patients/{child.id}/report?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    wrong = browser.get(f"/patients/{child.id}/report?format=docx")
    assert wrong.status_code == 422


def test_the_visit_report_of_another_child_is_not_found_for_a_parent(
    browser_as, db: Session
) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    own, other = create_patient(db, centre), create_patient(db, centre)
    link_family(db, parent, own)
    db.commit()
    assert browser_as(parent).get(f"/patients/{other.id}/report").status_code == 404
