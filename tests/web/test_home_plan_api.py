"""GET /enrolments/{id}/home-plan: the family's printable plan, for the family and the centre only.

Access rule (issue 3 conventions, docs/permissions.md): a child not visible to the
caller is 404 exactly like a missing one; rehab plans are readable by every role
that sees the child. Every print is audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.web.api.deps import now
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.home_plan_builders import example_plan
from tests.support.programme_builders import add_plan_version, create_enrolment, create_plan


@pytest.fixture(scope="module")
def young_child_plan() -> dict[str, Any]:
    return example_plan("young_child")


@pytest.fixture
def centre(db):
    return create_centre(db, name="Riverside Centre")


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre, given_name="Ming", birth_date=date(2019, 3, 2))


@pytest.fixture
def enrolment(db, centre, patient, young_child_plan):
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    record = create_enrolment(db, patient, therapist)
    plan = create_plan(db, record, therapist)
    add_plan_version(
        db, plan, therapist, number=2, reason="therapist edit", content=young_child_plan
    )
    return record


def _url(enrolment_id: int, **query: str) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/api/v1/enrolments/{enrolment_id}/home-plan" + (f"?{params}" if params else "")


def test_caregiver_gets_the_current_version_as_html(client_as, db, patient, enrolment) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=create_centre(db))
    link_family(db, parent, patient)
    response = client_as(parent).get(_url(enrolment.id, week="1"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert "Ming" in html
    assert "Plan version 2" in html  # the newest version, not the generated version 1
    assert "Marching on the spot" in html  # the warm-up of the young_child plan
    assert "Contact Riverside Centre" in html


def test_the_centre_s_contact_line_is_printed(client_as, db, centre, patient, enrolment) -> None:
    centre.contact_line = "+86 10 1234 5678 (24 h)"
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    html = client_as(parent).get(_url(enrolment.id, week="1")).text
    # home_plan_labels.json "contact_with_line": "... Contact {centre}: {line}"
    assert "Contact Riverside Centre: +86 10 1234 5678 (24 h)" in html


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.NURSE, Role.HEMATOLOGIST, Role.ADMIN])
def test_staff_of_the_centre_get_the_pdf(client_as, db, centre, enrolment, role) -> None:
    response = client_as(create_user(db, role=role, centre=centre)).get(
        _url(enrolment.id, format="pdf", lang="zh-Hans", week="1")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="home-plan-{enrolment.id}-v2-zh-Hans.pdf"'
    )


def test_chinese_html(client_as, db, centre, enrolment) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    html = client_as(nurse).get(_url(enrolment.id, lang="zh-Hans", week="2")).text
    assert '<html lang="zh-Hans">' in html
    assert "家庭训练计划" in html
    assert "第 2 周" in html
    assert "原地踏步" in html  # Marching on the spot, the library's Chinese name


@pytest.fixture
def today(shared_app) -> Iterator[list[date]]:
    """Set ``today[0]`` to fix the request's clock (the Now dependency)."""
    fixed = [date(2026, 1, 20)]
    shared_app.dependency_overrides[now] = lambda: datetime(
        *fixed[0].timetuple()[:3], 9, tzinfo=UTC
    )
    yield fixed
    shared_app.dependency_overrides.pop(now)


@pytest.mark.parametrize(
    ("day", "week"),
    [(date(2026, 1, 1), 1), (date(2026, 1, 5), 1), (date(2026, 1, 11), 1), (date(2026, 1, 12), 2),
     (date(2026, 3, 29), 12), (date(2026, 6, 1), 12)],
    ids=["before-start", "first-day", "end-of-week-1", "start-of-week-2", "last-day", "after-end"],
)  # fmt: skip
def test_current_week_is_the_programme_week_of_today(
    client_as, db, centre, enrolment, today, day, week
) -> None:
    # The young_child plan's first session is Mon 2026-01-05; week n is the 7 days from
    # 2026-01-05 + 7 (n - 1) (REFERENCE.md s.1 schedule); before it week 1, after it week 12.
    today[0] = day
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    html = client_as(nurse).get(_url(enrolment.id, week="current")).text
    assert re.findall(r'<section class="week" id="week-(\d+)"', html) == [str(week)]


@pytest.mark.parametrize(
    "who",
    ["staff_of_another_centre", "caregiver_not_linked", "patient_not_linked"],
)
def test_out_of_scope_is_404(client_as, db, centre, enrolment, who) -> None:
    if who == "staff_of_another_centre":
        user = create_user(db, role=Role.THERAPIST, centre=create_centre(db))
    else:
        role = Role.CAREGIVER if who == "caregiver_not_linked" else Role.PATIENT
        user = create_user(db, role=role, centre=centre)
    response = client_as(user).get(_url(enrolment.id))
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": f"enrolment {enrolment.id} was not found",
        "fields": [],
    }


def test_missing_enrolment_is_404(client_as, db, centre) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(nurse).get(_url(999_999))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_enrolment_without_a_plan_is_404(client_as, db, centre, patient) -> None:
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    bare = create_enrolment(db, patient, therapist)
    response = client_as(therapist).get(_url(bare.id))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_unauthenticated_is_401(client, enrolment) -> None:
    assert client.get(_url(enrolment.id)).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [({"lang": "fr"}, "lang"), ({"format": "docx"}, "format"), ({"week": "13"}, "week"),
     ({"week": "0"}, "week"), ({"week": "next"}, "week")],
    ids=["lang", "format", "week-13", "week-0", "week-word"],
)  # fmt: skip
def test_bad_query_is_422_naming_the_field(client_as, db, centre, enrolment, query, field) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(nurse).get(_url(enrolment.id, **query))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [item["field"] for item in body["fields"]] == [field]


def test_week_error_lists_what_is_allowed(client_as, db, centre, enrolment) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    body = client_as(nurse).get(_url(enrolment.id, week="13")).json()
    assert body["fields"][0]["allowed"] == "all, current or 1-12"


def test_each_print_is_audited(client_as, db, patient, enrolment) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=create_centre(db))
    link_family(db, parent, patient)
    assert client_as(parent).get(_url(enrolment.id, lang="zh-Hans", week="3")).status_code == 200
    entries = db.scalars(
        select(AuditEntryRecord).where(
            AuditEntryRecord.entity == "home_plan", AuditEntryRecord.user_id == parent.id
        )
    ).all()
    assert [(e.action, e.entity_id, e.patient_id, e.detail) for e in entries] == [
        (
            "read",
            enrolment.id,
            patient.id,
            {"plan_version": 2, "language": "zh-Hans", "format": "html", "weeks": [3]},
        )
    ]
