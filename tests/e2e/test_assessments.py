"""Issue 5: a therapist records an HJHS and sees the total and the joint map change;
a sonographer records an ultrasound exam.

Expected numbers come from the scoring rules in REFERENCE.md section 3, worked by hand:
- HJHS 2.1: items per joint swelling 0-3, duration 0-1, atrophy 0-2, crepitus 0-2,
  flexion loss 0-3, extension loss 0-3, pain 0-2, strength 0-4; joint total 0-20;
  gait 0-4; total = six joint totals + gait.
- HEAD-US: per joint synovitis 0-2, cartilage 0-4, bone 0-2; joint 0-8.
The joint map's colour bands are pages/joint_map.py's documented display rule (share of
the joint maximum: above 50 % is "marked"); REFERENCE.md gives no clinical cut-off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import DemoPatients, SignIn

# Left knee items entered by the therapist; by hand: 3 + 1 + 2 + 2 + 3 + 2 + 2 + 1 = 16 of 20.
LEFT_KNEE = {
    "swelling": "3",
    "swelling_duration": "1",
    "muscle_atrophy": "2",
    "crepitus": "2",
    "flexion_loss": "3",
    "extension_loss": "2",
    "joint_pain": "2",
    "strength": "1",
}
LEFT_KNEE_TOTAL = "16"
GAIT = "1"
HJHS_TOTAL = "17"  # five healthy joints (0) + left knee 16 + gait 1

# Left ankle by HEAD-US: synovitis 2 + cartilage 3 + bone 1 = 6 of 8 (75 %: "marked").
LEFT_ANKLE_US = {"synovitis": "2", "cartilage": "3", "bone": "1"}
LEFT_ANKLE_US_TOTAL = "6"


def test_therapist_records_an_hjhs_and_sees_the_total_and_the_joint_map_change(
    page: Page, login: SignIn, demo_patients: DemoPatients
) -> None:
    patient = demo_patients.for_hjhs
    login(page, "therapist")
    page.goto(f"/patients/{patient.id}")
    knee_score = page.locator('[data-joint="left_knee"] .score-hjhs')
    expect(knee_score).not_to_have_text(LEFT_KNEE_TOTAL)  # so that a change can be seen

    page.locator("#new-hjhs").click()
    expect(page).to_have_url(f"/patients/{patient.id}/assessments/new/hjhs")
    form = page.locator("#assessment-form")
    total = page.locator("#total")
    page.locator("#timepoint").select_option("follow_up")

    # The left knee first: its joint total shows at once; the HJHS total stays empty
    # while items are missing (a missing item is not scored as 0).
    for item, value in LEFT_KNEE.items():
        form.locator(f'[name="left_knee.{item}"]').fill(value)
    expect(page.locator("#joint-total-left_knee")).to_have_text(LEFT_KNEE_TOTAL)
    expect(total).to_have_text("—")

    # The other five joints healthy (every item 0): still no total without gait.
    joint_items = form.locator('fieldset.item-group:not([data-group="global"]) input[type=number]')
    for field in joint_items.all():
        if not field.input_value():
            field.fill("0")
    expect(page.locator("#joint-total-right_ankle")).to_have_text("0")
    expect(total).to_have_text("—")
    form.locator('[name="gait"]').fill(GAIT)
    expect(total).to_have_text(HJHS_TOTAL)

    page.locator("#save").click()
    expect(page).to_have_url(f"/patients/{patient.id}")
    expect(knee_score).to_have_text(LEFT_KNEE_TOTAL)
    expect(page.locator('[data-joint="left_knee"] .half-hjhs')).to_have_attribute(
        "data-band", "marked"
    )


def test_sonographer_records_an_ultrasound_exam(
    page: Page, login: SignIn, demo_patients: DemoPatients
) -> None:
    patient = demo_patients.for_ultrasound
    login(page, "sonographer")
    page.goto(f"/patients/{patient.id}")
    ankle_score = page.locator('[data-joint="left_ankle"] .score-us')
    expect(ankle_score).not_to_have_text(LEFT_ANKLE_US_TOTAL)

    page.goto(f"/patients/{patient.id}/assessments/new/head_us")
    form = page.locator("#assessment-form")
    page.locator("#timepoint").select_option("follow_up")
    for item, value in LEFT_ANKLE_US.items():
        form.locator(f'[name="left_ankle.{item}"]').fill(value)
    expect(page.locator("#total")).to_have_text(LEFT_ANKLE_US_TOTAL)

    page.locator("#save").click()
    expect(page).to_have_url(f"/patients/{patient.id}")
    expect(ankle_score).to_have_text(LEFT_ANKLE_US_TOTAL)
    expect(page.locator('[data-joint="left_ankle"] .tier')).to_have_text("HEAD-US")
