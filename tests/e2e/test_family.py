"""Issue 5: a parent on a phone logs a home session and reports a groin-pain bleed with
thigh numbness, sees the emergency advice, and the hematologist sees the alert at the
top of the inbox; a parent cannot open another child's page.

Expected urgency from REFERENCE.md section 4: groin pain with femoral nerve signs
(numbness over the front or inner thigh) points to an iliopsoas bleed, an emergency:
"factor at once and hospital assessment".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import DemoPatients, OpenPage, SignIn

PHONE_WIDTH = 375
NO_SUCH_PATIENT = 999_999  # the demo seeds 59 children
HOME_SESSION_MINUTES = "45"  # REFERENCE.md section 1: home sessions of 45 minutes


def test_parent_logs_a_session_reports_an_iliopsoas_bleed_and_the_team_is_alerted(
    open_page: OpenPage, login: SignIn, demo_patients: DemoPatients
) -> None:
    child = demo_patients.family_child
    parent = open_page("caregiver", phone=True)
    login(parent, "caregiver")

    parent.goto(f"/family/{child.id}/log")
    log_form = parent.locator("#log-form")
    log_form.locator("#outcome-done").check()
    log_form.locator("#minutes").fill(HOME_SESSION_MINUTES)
    _expect_fits_the_phone(parent)
    parent.locator("#log-submit").click()
    expect(parent.locator("#log-saved")).to_be_visible()
    expect(parent.locator("#recent-logs li").first).to_contain_text(
        f"{HOME_SESSION_MINUTES} minutes"
    )

    parent.goto(f"/family/{child.id}/bleed")
    bleed_form = parent.locator("#bleed-form")
    bleed_form.locator("#site").select_option("groin")
    bleed_form.locator("#bleed_type-spontaneous").check()
    bleed_form.locator("#finding-groin_pain").check()
    bleed_form.locator("#finding-thigh_numbness").check()
    _expect_fits_the_phone(parent)
    parent.locator("#bleed-submit").click()

    advice = parent.get_by_role("alert").and_(parent.locator("#triage-advice"))
    expect(advice).to_be_visible()
    expect(advice).to_have_attribute("data-urgency", "emergency")
    expect(advice).to_contain_text(re.compile(r"factor", re.IGNORECASE))
    expect(advice).to_contain_text(re.compile(r"hospital", re.IGNORECASE))
    expect(parent.locator("#team-alerted")).to_be_visible()
    _expect_fits_the_phone(parent)

    doctor = open_page("hematologist")
    login(doctor, "hematologist")
    doctor.goto("/alerts")
    top = doctor.locator("[data-alert-id]").first
    expect(top).to_contain_text(child.given_name)
    expect(top).to_contain_text(child.family_name)
    expect(top).to_contain_text(re.compile(r"emergency", re.IGNORECASE))


def test_parent_cannot_open_another_childs_page(
    page: Page, login: SignIn, demo_patients: DemoPatients
) -> None:
    other = demo_patients.other_child
    login(page, "caregiver")

    # The family pages of a child not linked to this parent: "not found", exactly as for
    # a child that does not exist (the answer must not reveal that the child exists).
    answer = page.goto(f"/family/{other.id}")
    assert answer is not None
    assert answer.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("main")).not_to_contain_text(other.family_name)

    # The clinician record of that child: refused, and again indistinguishable from a
    # child that does not exist (family accounts may not open clinician pages at all).
    refusals = {}
    for path in (f"/patients/{other.id}", f"/patients/{NO_SUCH_PATIENT}"):
        answer = page.goto(path)
        assert answer is not None, path
        refusals[path] = (answer.status, page.locator("h1").inner_text())
        expect(page.locator("main")).not_to_contain_text(other.family_name)
    assert len(set(refusals.values())) == 1, refusals
    assert {status for status, _ in refusals.values()} <= {403, 404}, refusals


def _expect_fits_the_phone(page: Page) -> None:
    """Phone first (issue 5): nothing wider than the 375 px screen, no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide on a {PHONE_WIDTH} px phone"
