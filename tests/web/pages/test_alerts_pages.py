"""The alerts inbox: emergencies first, acknowledged by a named clinician, for the team only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from tests.support.alert_builders import create_alert
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.html import Page

# REFERENCE.md section 4: a joint site (swelling of the knee) is a suspected joint bleed,
# urgent; groin pain with thigh numbness (the builder's default) is an emergency.
KNEE_BLEED = {"site": BleedSite.LEFT_KNEE, "findings": ["joint_swelling"]}


def _world(db: Session):  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    hematologist = create_user(db, role=Role.HEMATOLOGIST, centre=centre, display_name="Dr Wu")
    child = create_patient(db, centre, given_name="Lei", family_name="Synthetic")
    older = create_alert(
        db, child, hematologist, raised_at=datetime(2026, 3, 1, 9, tzinfo=UTC), **KNEE_BLEED
    )
    newer_urgent = create_alert(
        db, child, hematologist, raised_at=datetime(2026, 3, 9, 9, tzinfo=UTC), **KNEE_BLEED
    )
    emergency = create_alert(db, child, hematologist, raised_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    db.commit()
    return centre, hematologist, child, (older, newer_urgent, emergency)


def test_emergencies_come_first_then_urgent_newest_first(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    _centre, hematologist, _child, (older, newer, emergency) = _world(db)
    page = browser_as(hematologist).page("/alerts")
    order = [int(item.get("id").removeprefix("alert-")) for item in page.select("#alerts > li")]
    assert order == [emergency.id, newer.id, older.id]
    assert page.one(f"#alert-{emergency.id}").get("data-urgency") == "emergency"
    assert "Left iliopsoas" in page.text(f"#alert-{emergency.id}")
    # The menu badge counts the three open alerts.
    assert page.text(".nav .badge-emergency") == "3"


def test_acknowledging_names_the_clinician_and_a_second_time_is_refused(
    browser_as, db: Session
) -> None:  # type: ignore[no-untyped-def]
    _centre, hematologist, _child, (_older, _newer, emergency) = _world(db)
    browser = browser_as(hematologist)
    form = {"version": str(emergency.version), "note": "Called the family; factor given."}
    done = browser.post(f"/alerts/{emergency.id}/acknowledge", form)
    assert done.status_code == 303
    assert done.headers["location"] == f"/alerts?acknowledged={emergency.id}"
    page = browser.page("/alerts?status=acknowledged")
    text = page.text(f"#alert-{emergency.id}")
    assert "Acknowledged by Dr Wu" in text
    assert "Called the family; factor given." in text
    assert [li.get("id") for li in browser.page("/alerts").select("#alerts > li")].count(
        f"alert-{emergency.id}"
    ) == 0
    again = browser.post(f"/alerts/{emergency.id}/acknowledge", form)
    assert again.status_code == 409
    assert "already acknowledged by Dr Wu" in Page(again.text).text("main")


def test_families_and_other_centres_cannot_see_the_inbox(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    _centre, _hematologist, child, (_o, _n, emergency) = _world(db)
    parent = create_user(db, role=Role.CAREGIVER, centre=_centre)
    link_family(db, parent, child)
    other_centre = create_centre(db)
    stranger = create_user(db, role=Role.HEMATOLOGIST, centre=other_centre)
    db.commit()
    assert browser_as(parent).get("/alerts").status_code == 403
    outsider = browser_as(stranger)
    assert outsider.page("/alerts").select("#alerts > li") == []
    refused = outsider.post(f"/alerts/{emergency.id}/acknowledge", {"version": "1"})
    assert refused.status_code == 404


def test_the_inbox_reads_in_chinese(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    _centre, hematologist, _child, _alerts = _world(db)
    browser = browser_as(hematologist)
    browser.use_language("zh-Hans")
    page = browser.page("/alerts")
    assert page.text("h1") == "警报"
    assert "紧急" in page.text("#alerts")
