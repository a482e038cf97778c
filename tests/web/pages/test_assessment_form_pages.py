"""Entry forms: live totals from the domain scorer, server validation, NE reasons, roles, bleeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments.hjhs import HjhsItem
from hemojoint.persistence.models import (
    AssessmentRecord,
    BleedRecord,
    CentreRecord,
    PatientRecord,
    UserRecord,
)
from tests.support.builders import create_centre, create_patient, create_user
from tests.support.html import Page
from tests.web.pages.conftest import Browser

BrowserAs = Callable[[UserRecord], Browser]


@pytest.fixture
def centre(db: Session) -> CentreRecord:
    return create_centre(db)


@pytest.fixture
def patient(db: Session, centre: CentreRecord) -> PatientRecord:
    return create_patient(db, centre)


def _user(db: Session, centre: CentreRecord, role: Role) -> UserRecord:
    return create_user(db, role=role, centre=centre)


def _hjhs_form(scores: dict[str, str] | None = None) -> dict[str, str]:
    """Every HJHS item 0 and gait 0, with ``scores`` laid over it (form field names)."""
    form = {f"{joint.value}.{item.value}": "0" for joint in IndexJoint for item in HjhsItem}
    form["gait"] = "0"
    return form | {"assessed_date": "2026-03-02", "timepoint": "baseline"} | (scores or {})


# Hand-scored with the HJHS 2.1 rule (REFERENCE.md section 3): joint total = sum of its
# eight items; total = six joint totals + gait.
#   left knee: swelling 2 + duration 1 + atrophy 1 + crepitus 0 + flexion loss 2
#              + extension loss 1 + pain 1 + strength 3 = 11
#   right ankle: swelling 3 + strength 4 = 7; other joints 0; gait 2
#   total = 11 + 7 + 2 = 20
#   subscores: swelling (swelling + duration) 2 + 1 + 3 = 6; muscle (atrophy + strength)
#   1 + 3 + 4 = 8; motion (flexion + extension loss) 2 + 1 = 3; crepitus 0; pain 1; gait 2
HAND_SCORED = {
    "left_knee.swelling": "2",
    "left_knee.swelling_duration": "1",
    "left_knee.muscle_atrophy": "1",
    "left_knee.flexion_loss": "2",
    "left_knee.extension_loss": "1",
    "left_knee.joint_pain": "1",
    "left_knee.strength": "3",
    "right_ankle.swelling": "3",
    "right_ankle.strength": "4",
    "gait": "2",
}
HJHS_URL = "/patients/{id}/assessments/new/hjhs"


def test_the_hjhs_form_has_every_item_with_its_range_and_ne(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    page = browser.page(HJHS_URL.format(id=patient.id))
    # The live preview hangs on a wrapper inside the form (htmx would validate a form).
    live = page.one("form#assessment-form > div[hx-post]")
    assert live.get("hx-post") == HJHS_URL.format(id=patient.id) + "/preview"
    assert "input delay:200ms" in (live.get("hx-trigger") or "")
    # 6 joints x 8 items + gait = 49 items (REFERENCE.md section 3).
    items = page.select("input[type=number][data-ne-item]")
    assert len(items) == 49
    swelling = page.one("input[name='left_knee.swelling']")
    assert (swelling.get("min"), swelling.get("max"), swelling.get("step")) == ("0", "3", "1")
    assert page.one("input[name='left_knee.strength']").get("max") == "4"
    assert page.one("input[name='gait']").get("max") == "4"
    assert page.one("label[for='left_knee-swelling']").text is not None
    assert page.select("input[name='left_knee.swelling.ne']")
    assert page.one("#save").get("type") == "submit"
    assert not page.select(".provisional")  # HJHS 2.1 is a verified definition


def test_live_totals_score_the_hand_scored_hjhs_with_the_domain(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    url = HJHS_URL.format(id=patient.id) + "/preview"
    response = browser.post(url, _hjhs_form(HAND_SCORED))
    assert response.status_code == 200
    fragment = Page(response.text)
    assert fragment.text("#total") == "20"
    assert fragment.text("#joint-total-left_knee") == "11"
    assert fragment.text("#joint-total-right_ankle") == "7"
    assert fragment.text("#gait-total") == "2"
    assert fragment.text("#subscore-swelling") == "6"
    assert fragment.text("#subscore-muscle") == "8"
    assert fragment.text("#subscore-motion") == "3"
    assert not fragment.select(".range-problems")


def test_live_totals_of_a_half_filled_hjhs_show_complete_joints_and_a_partial_total(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    # Only the left knee entered: swelling 2 + strength 3 + six zeros = 5; nothing else yet.
    form = {f"left_knee.{item.value}": "0" for item in HjhsItem}
    form |= {"left_knee.swelling": "2", "left_knee.strength": "3"}
    response = browser.post(HJHS_URL.format(id=patient.id) + "/preview", form)
    fragment = Page(response.text)
    assert fragment.text("#total") == "—"  # no HJHS total until every item is in
    assert fragment.text("#joint-total-left_knee") == "5"
    assert "Partial total: 5" in fragment.text("#partial-total")
    assert "8 of 49 items entered" in response.text
    assert not fragment.select(".range-problems")  # blanks are not mistakes yet


def test_saving_the_hand_scored_hjhs_stores_total_20_and_goes_to_the_record(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    therapist = _user(db, centre, Role.THERAPIST)
    browser = browser_as(therapist)
    response = browser.post(HJHS_URL.format(id=patient.id), _hjhs_form(HAND_SCORED))
    assert response.status_code == 303, response.text[:800]
    assert response.headers["location"] == f"/patients/{patient.id}"
    saved = db.scalars(select(AssessmentRecord).where(AssessmentRecord.patient_id == patient.id))
    (record,) = saved.all()
    assert record.total == 20
    assert record.result["joint_totals"]["left_knee"] == 11
    assert record.assessor_id == therapist.id
    assert str(record.assessed_date) == "2026-03-02"


def test_an_out_of_range_value_is_refused_naming_the_field_and_keeping_the_values(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    form = _hjhs_form(HAND_SCORED | {"left_knee.swelling": "4"})  # swelling is 0-3
    response = browser.post(HJHS_URL.format(id=patient.id), form)
    assert response.status_code == 422
    page = Page(response.text)
    assert "left_knee.swelling: 4 is outside 0-3" in page.text(".error-summary")
    field = page.one("#left_knee-swelling")
    assert field.get("value") == "4"
    assert field.get("aria-invalid") == "true"
    assert page.text("#left_knee-swelling-error") == "left_knee.swelling: 4 is outside 0-3"
    assert page.one("#right_ankle-strength").get("value") == "4"  # other values kept
    assert db.scalars(select(AssessmentRecord)).all() == []


def test_ne_without_a_reason_is_refused_and_with_one_is_saved_without_a_total(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    url = HJHS_URL.format(id=patient.id)
    form = _hjhs_form({"left_ankle.strength": "", "left_ankle.strength.ne": "1"})
    refused = browser.post(url, form)
    assert refused.status_code == 422
    page = Page(refused.text)
    assert "left_ankle.strength.reason: is missing" in page.text(".error-summary")
    assert page.one("#left_ankle-strength-reason").get("aria-invalid") == "true"
    assert page.one("#left_ankle-strength-ne").get("checked") is not None
    assert db.scalars(select(AssessmentRecord)).all() == []

    saved = browser.post(url, form | {"left_ankle.strength.reason": "in a cast"})
    assert saved.status_code == 303
    record = db.scalars(select(AssessmentRecord)).one()
    # REFERENCE.md section 3: NE is never 0; the joint total and the HJHS total are null.
    assert record.total is None
    assert record.result["joint_totals"]["left_ankle"] is None
    assert record.result["not_evaluable_reasons"] == {"left_ankle.strength": "in a cast"}


def test_a_word_instead_of_a_number_is_refused_with_the_field_named(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    response = browser.post(HJHS_URL.format(id=patient.id), _hjhs_form({"gait": "two"}))
    assert response.status_code == 422
    assert "gait: &#39;two&#39; is not a whole number 0-4" in response.text


CHOKLAT_URL = "/patients/{id}/assessments/new/choklat"


def test_choklat_shows_item_identifiers_and_ranges_only(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    page = browser.page(CHOKLAT_URL.format(id=patient.id))
    labels = page.texts("fieldset[data-group=responses] label")
    # 35 items (CHO-KLAT 2.0): 1-21 answered 1-5, 22-35 answered 1-6 (REFERENCE.md section 3).
    assert len(labels) == 35
    assert labels[0] == "Item 1 (1-5)"
    assert labels[34] == "Item 35 (1-6)"
    # Each label is the identifier and range and nothing else: no item wording anywhere.
    assert all(label.startswith("Item ") and label.endswith(")") for label in labels)
    assert page.one("input[name='responses.22']").get("max") == "6"
    assert page.select("h1 .provisional")  # the scoring rule is provisional


def test_choklat_live_score_uses_the_provisional_definition(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    # Answer 3 on every item scores 2 whichever the item's direction (3 - 1 or 5 - 3);
    # score = 25 x mean 2 = 50.0 (REFERENCE.md section 3, CHO-KLAT).
    form = {f"responses.{item}": "3" for item in range(1, 36)} | {"respondent": "parent"}
    response = browser.post(CHOKLAT_URL.format(id=patient.id) + "/preview", form)
    fragment = Page(response.text)
    assert fragment.text("#total") == "50.0"
    assert fragment.select("h2 .provisional")


def test_the_cho_klat_link_name_leads_to_the_choklat_form(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    response = browser.get(f"/patients/{patient.id}/assessments/new/cho_klat")
    assert response.status_code == 308
    assert response.headers["location"] == CHOKLAT_URL.format(id=patient.id)


def test_head_us_c_shows_its_provisional_status_beside_the_score(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.SONOGRAPHER))
    url = f"/patients/{patient.id}/assessments/new/head_us_c"
    page = browser.page(url)
    assert page.select("h1 .provisional")
    assert page.select("#live-totals .provisional")
    # One knee scored; the other joints left blank are simply not examined.
    form = {
        "left_knee.effusion": "1",
        "left_knee.synovial_hyperplasia": "2",
        "left_knee.synovial_vascularity": "1",
        "left_knee.hemosiderin": "0",
        "left_knee.cartilage": "3",
        "left_knee.bone": "2",
    }
    fragment = Page(browser.post(url + "/preview", form).text)
    # Sum of the item points of the joint: 1 + 2 + 1 + 0 + 3 + 2 = 9.
    assert fragment.text("#total") == "9"
    assert fragment.select(".provisional")
    saved = browser.post(url, form | {"assessed_date": "2026-03-02", "timepoint": "week_12"})
    assert saved.status_code == 303
    record = db.scalars(select(AssessmentRecord)).one()
    assert (record.total, record.instrument_status) == (9, "provisional")


def test_head_us_preview_reports_a_range_problem_and_still_totals_the_other_joints(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.SONOGRAPHER))
    url = f"/patients/{patient.id}/assessments/new/head_us/preview"
    # HEAD-US (Martinoli 2013): cartilage is 0-4; the right ankle is 1 + 2 + 1 = 4.
    form = {
        "left_knee.synovitis": "1",
        "left_knee.cartilage": "5",
        "left_knee.bone": "0",
        "right_ankle.synovitis": "1",
        "right_ankle.cartilage": "2",
        "right_ankle.bone": "1",
    }
    fragment = Page(browser.post(url, form).text)
    assert fragment.texts(".range-problems li") == ["left_knee.cartilage: 5 is outside 0-4"]
    assert fragment.text("#total") == "4"
    assert not fragment.select(".provisional")  # HEAD-US is verified


def test_each_role_is_offered_only_the_instruments_it_may_record(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    url = f"/patients/{patient.id}/assessments/new"
    sonographer = browser_as(_user(db, centre, Role.SONOGRAPHER)).page(url)
    offered = [a.get("data-instrument") for a in sonographer.select("#instrument-list a")]
    assert offered == ["head_us", "head_us_c"]  # issue 3 matrix: ultrasound only
    assert sonographer.select("#instrument-list .provisional")  # beside HEAD-US-C
    therapist = browser_as(_user(db, centre, Role.THERAPIST)).page(url)
    offered = [a.get("data-instrument") for a in therapist.select("#instrument-list a")]
    assert offered == ["hjhs", "fish"]  # HJHS and function


def test_a_sonographer_may_not_record_hjhs_and_a_therapist_no_ultrasound(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    sonographer = browser_as(_user(db, centre, Role.SONOGRAPHER))
    assert sonographer.get(HJHS_URL.format(id=patient.id)).status_code == 403
    refused = sonographer.post(HJHS_URL.format(id=patient.id), _hjhs_form())
    assert refused.status_code == 403
    assert "may not write hjhs records" in refused.text
    therapist = browser_as(_user(db, centre, Role.THERAPIST))
    head_us = f"/patients/{patient.id}/assessments/new/head_us"
    assert therapist.get(head_us).status_code == 403
    assert therapist.post(head_us + "/preview", {}).status_code == 403
    assert db.scalars(select(AssessmentRecord)).all() == []


def test_another_centres_patient_and_an_unknown_instrument_are_not_found(
    db: Session, centre: CentreRecord, browser_as: BrowserAs
) -> None:
    elsewhere = create_patient(db, create_centre(db))
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    assert browser.get(HJHS_URL.format(id=elsewhere.id)).status_code == 404
    assert browser.post(HJHS_URL.format(id=elsewhere.id), _hjhs_form()).status_code == 404
    mine = create_patient(db, centre)
    assert browser.get(f"/patients/{mine.id}/assessments/new/nonsense").status_code == 404


def test_the_form_in_chinese(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.THERAPIST))
    browser.use_language("zh-Hans")
    page = browser.page(HJHS_URL.format(id=patient.id))
    assert page.text("#save") == "保存评估"
    assert page.text("fieldset[data-group=left_knee] legend") == "左膝"
    assert page.text("label[for=assessed_date]") == "评估日期"


# --- bleeds ------------------------------------------------------------------------


def _bleed_form(**values: Any) -> dict[str, Any]:
    return {"site": "left_knee", "bleed_type": "spontaneous", "started_at": "2026-03-01T08:30"} | (
        values
    )


def test_a_groin_bleed_with_thigh_numbness_shows_the_emergency_advice_at_once(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    form = _bleed_form(site="left_iliopsoas", findings=["groin_pain", "thigh_numbness"])
    response = browser.post(f"/patients/{patient.id}/bleeds/new", form)
    assert response.status_code == 303, response.text[:800]
    record = db.scalars(select(BleedRecord)).one()
    assert response.headers["location"] == f"/patients/{patient.id}/bleeds/{record.id}/triage"
    page = browser.page(response.headers["location"])
    # REFERENCE.md section 4: femoral nerve signs with an iliopsoas bleed are an emergency.
    assert page.one("#triage").get("data-urgency") == "emergency"
    assert "go to hospital now" in page.text("#advice")
    assert record.findings == ["groin_pain", "thigh_numbness"]


def test_the_bleed_form_lists_every_finding_with_a_label(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    page = browser.page(f"/patients/{patient.id}/bleeds/new")
    assert page.text("label[for=finding-thigh_numbness]") == "Numbness or tingling of the thigh"
    assert len(page.select("#findings input[type=checkbox]")) == 27
    browser.use_language("zh-Hans")
    chinese = browser.page(f"/patients/{patient.id}/bleeds/new")
    assert chinese.text("label[for=finding-groin_pain]") == "腹股沟疼痛"


def test_a_bleed_with_bad_values_is_refused_field_by_field(
    db: Session, centre: CentreRecord, patient: PatientRecord, browser_as: BrowserAs
) -> None:
    browser = browser_as(_user(db, centre, Role.NURSE))
    form = _bleed_form(site="left_toe", hospital_days="-2", treatment_ended_at="2026-02-01T08:00")
    response = browser.post(f"/patients/{patient.id}/bleeds/new", form)
    assert response.status_code == 422
    page = Page(response.text)
    summary = page.text(".error-summary")
    assert "site: 'left_toe' is not one of" in summary
    assert "hospital_days: '-2' is outside 0-3650" in summary
    assert page.one("#hospital_days").get("aria-invalid") == "true"
    assert page.one("#treatment_ended_at").get("value") == "2026-02-01T08:00"
    # Treatment ending before the start is the service's rule, checked once the rest is right.
    fixed = browser.post(
        f"/patients/{patient.id}/bleeds/new", form | {"site": "left_knee", "hospital_days": "1"}
    )
    assert fixed.status_code == 422
    assert "treatment_ended_at" in Page(fixed.text).text(".error-summary")
    assert db.scalars(select(BleedRecord)).all() == []
