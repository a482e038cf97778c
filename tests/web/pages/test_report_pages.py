"""The outcome report page and a patient's printable visit report."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.html import Page
from tests.support.outcome_filter_builders import seed_filter_cohort


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


# --- the cohort's patient filters ------------------------------------------------------------


def test_the_form_offers_every_patient_filter_with_a_label(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    db.commit()
    form = browser_as(staff).page("/reports")
    boxes = form.select("#severity input[type=checkbox][name=severity]")
    assert [box.get("value") for box in boxes] == ["severe", "moderate", "mild"]
    assert form.texts("#severity label") == ["Severe", "Moderate", "Mild"]
    options = {
        name: [o.get("value") for o in form.select(f"select#{name} option")]
        for name in ("hemophilia_type", "prior_regimen", "age_band")
    }
    assert options == {
        "hemophilia_type": ["", "A", "B"],
        "prior_regimen": ["", "prophylaxis", "on_demand"],
        "age_band": ["", "under_12", "12_and_over"],
    }
    # The split is the domain's 12 completed years (hemojoint.domain.outcomes.age_band).
    assert form.texts("select#age_band option") == ["Any", "Under 12 years", "12 years and over"]
    for name in ("hemophilia_type", "prior_regimen", "age_band"):
        assert form.text(f"label[for={name}]")  # every select has a visible label


def test_chosen_filters_are_kept_and_sent_to_the_report(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = seed_filter_cohort(db)["staff"]
    db.commit()
    browser = browser_as(staff)
    query = "run=true&severity=severe&severity=moderate&hemophilia_type=A&age_band=under_12"
    page = browser.page(f"/reports?{query}")
    checked = [box.get("value") for box in page.select("#severity input[checked]")]
    assert checked == ["severe", "moderate"]
    assert page.one("select#hemophilia_type option[selected]").get("value") == "A"
    assert page.one("select#age_band option[selected]").get("value") == "under_12"
    assert page.select("select#prior_regimen option[selected]") == []  # "any" stays first
    frame = page.one("#report-frame").get("src")
    assert frame == (
        "/api/v1/reports/outcomes?baseline=baseline&follow_up=week_12&severity=severe"
        "&severity=moderate&hemophilia_type=A&age_band=under_12&format=html"
    )
    report = browser.get(frame)
    assert report.status_code == 200
    # Severe or moderate, type A, under 12 at the start: F-01 (severe, 9) and F-04
    # (moderate at 1 IU/dL, 11 on the start day) -> 2 patients.
    assert "<p>2 patients;" in report.text


def test_a_bad_filter_value_re_renders_the_form_with_422(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    db.commit()
    response = browser_as(staff).get("/reports?run=true&severity=grave&age_band=teen")
    assert response.status_code == 422
    page = Page(response.text)
    assert page.select("#report-frame") == []  # nothing runs
    assert page.text("#severity-error") == "severity: 'grave' is not one of severe, moderate, mild"
    assert page.text("#age_band-error") == "age_band: 'teen' is not one of under_12, 12_and_over"
    assert page.one("select#age_band").get("aria-invalid") == "true"
    assert len(page.select(".error-summary li")) == 2


def test_the_filters_read_in_chinese(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    db.commit()
    browser = browser_as(staff)
    browser.use_language("zh-Hans")
    form = browser.page("/reports")
    assert form.text("#severity legend") == "严重程度"
    assert form.texts("#severity label") == ["重型", "中型", "轻型"]
    assert form.texts("select#age_band option") == ["全部", "12 岁以下", "12 岁及以上"]
    assert form.text("label[for=hemophilia_type]") == "血友病类型"
