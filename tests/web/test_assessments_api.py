"""Assessments through the API: results always computed by the domain, amendments kept as history,
the permission row taken from the instrument, scope, audit and errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from hemojoint.catalog import instrument_catalog
from hemojoint.domain.access import Role, record_type_for_instrument
from hemojoint.persistence.models import (
    AssessmentAmendmentRecord,
    AssessmentRecord,
    AuditEntryRecord,
)
from hemojoint.schemas.assessments import Timepoint
from tests.support.assessment_builders import (
    create_assessment,
    example_raw,
    head_us_raw,
    hjhs_raw,
)
from tests.support.builders import create_centre, create_patient, create_user, link_family

# Hand-scored with the HJHS 2.1 rules (REFERENCE.md section 3: joint total = sum of its
# 8 items, total = six joint totals + gait): left knee 2 + 1 + 1 = 4, right ankle pain 2,
# gait 1 -> total 4 + 2 + 1 = 7; swelling subscore 2 + 1 = 3, motion 1, pain 2.
HJHS_SEVEN = {
    "left_knee.swelling": 2,
    "left_knee.swelling_duration": 1,
    "left_knee.flexion_loss": 1,
    "right_ankle.joint_pain": 2,
    "gait": 1,
}


def new_assessment(raw: dict[str, Any], code: str = "hjhs", **overrides: Any) -> dict[str, Any]:
    return {
        "instrument_code": code,
        "assessed_date": "2026-01-12",
        "timepoint": "baseline",
        "raw": raw,
    } | overrides


def saved_count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


@pytest.fixture
def therapist(db, centre):
    return create_user(db, role=Role.THERAPIST, centre=centre)


@pytest.fixture
def url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/assessments"


def test_therapist_records_hjhs_and_the_server_scores_it(client_as, therapist, url) -> None:
    client = client_as(therapist)
    created = client.post(url, json=new_assessment(hjhs_raw(HJHS_SEVEN)))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["instrument_code"], body["instrument_version"]) == ("hjhs", "2.1")
    assert body["instrument_status"] == "verified"
    assert (body["total"], body["result"]["total"]) == (7, 7)
    assert body["result"]["joint_totals"]["left_knee"] == 4
    assert body["result"]["subscores"] == {
        "swelling": 3,
        "muscle": 0,
        "motion": 1,
        "crepitus": 0,
        "pain": 2,
        "gait": 1,
    }
    assert body["raw"] == hjhs_raw(HJHS_SEVEN)
    assert (body["assessor_id"], body["version"], body["timepoint"]) == (
        therapist.id,
        1,
        "baseline",
    )
    fetched = client.get(f"/api/v1/assessments/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_a_result_sent_by_the_client_is_refused(client_as, db, therapist, url) -> None:
    forged = new_assessment(hjhs_raw(), result={"total": 0}, total=0)
    response = client_as(therapist).post(url, json=forged)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert {field["field"] for field in body["fields"]} == {"result", "total"}
    assert saved_count(db, AssessmentRecord) == 0


def test_invalid_item_is_422_naming_field_value_and_allowed(client_as, db, therapist, url) -> None:
    raw = hjhs_raw({"left_knee.swelling": 4})  # swelling is 0-3 (HJHS 2.1)
    response = client_as(therapist).post(url, json=new_assessment(raw))
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_input",
        "detail": "left_knee.swelling: 4 is outside 0-3",
        "fields": [
            {
                "field": "left_knee.swelling",
                "value": 4,
                "allowed": "0-3",
                "message": "left_knee.swelling: 4 is outside 0-3",
            }
        ],
    }
    assert saved_count(db, AssessmentRecord) == 0


@pytest.mark.parametrize(
    ("value", "field"),
    [("NE", "left_knee.strength"), ({"value": "NE"}, "left_knee.strength.reason")],
    ids=["bare-NE", "NE-object-without-reason"],
)
def test_hjhs_not_evaluable_needs_a_reason(client_as, therapist, url, value, field) -> None:
    raw = hjhs_raw({"left_knee.strength": value})
    response = client_as(therapist).post(url, json=new_assessment(raw))
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["fields"]] == [field]


def test_hjhs_not_evaluable_with_reason_has_no_total(client_as, therapist, url) -> None:
    raw = hjhs_raw(HJHS_SEVEN | {"left_knee.strength": {"value": "NE", "reason": "in cast"}})
    response = client_as(therapist).post(url, json=new_assessment(raw))
    assert response.status_code == 201, response.text
    body = response.json()
    # NE is never scored as 0: no HJHS total; the partial total sums the other 48 items (7).
    assert (body["total"], body["result"]["total"]) == (None, None)
    assert body["result"]["partial_total"] == 7
    assert body["result"]["not_evaluable_reasons"] == {"left_knee.strength": "in cast"}


def test_unknown_instrument_is_422_listing_the_instruments(client_as, therapist, url) -> None:
    response = client_as(therapist).post(url, json=new_assessment({}, code="koos"))
    assert response.status_code == 422
    [field] = response.json()["fields"]
    assert (field["field"], field["value"]) == ("instrument_code", "koos")
    assert "hjhs" in field["allowed"]
    assert "head_us" in field["allowed"]


def test_every_instrument_has_a_permission_row() -> None:
    for code in instrument_catalog():
        assert record_type_for_instrument(code) is not None


def test_provisional_instrument_is_flagged_and_its_score_is_the_total(
    client_as, db, centre, url
) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(nurse).post(url, json=new_assessment(example_raw("choklat"), "choklat"))
    assert response.status_code == 201, response.text
    body = response.json()
    # definitions/choklat.json declares "status": "provisional"; CHO-KLAT reports a "score".
    assert body["instrument_status"] == "provisional"
    assert body["total"] == body["result"]["score"]


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [
        (Role.THERAPIST, "head_us", 403),
        (Role.SONOGRAPHER, "head_us", 201),
        (Role.SONOGRAPHER, "hjhs", 403),
        (Role.THERAPIST, "hjhs", 201),
        (Role.NURSE, "hjhs", 403),
        (Role.HEMATOLOGIST, "head_us", 403),
    ],
    ids=[
        "therapist-us",
        "sonographer-us",
        "sonographer-hjhs",
        "therapist-hjhs",
        "nurse-hjhs",
        "hematologist-us",
    ],
)
def test_the_instrument_decides_who_may_write(
    client_as, db, centre, url, role: Role, code: str, status: int
) -> None:
    raw = head_us_raw() if code == "head_us" else hjhs_raw()
    user = create_user(db, role=role, centre=centre)
    response = client_as(user).post(url, json=new_assessment(raw, code))
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"] == "forbidden"
        assert saved_count(db, AssessmentRecord) == 0
    else:
        assert response.json()["assessor_id"] == user.id


def test_sonographer_head_us_total(client_as, db, centre, url) -> None:
    sonographer = create_user(db, role=Role.SONOGRAPHER, centre=centre)
    body = client_as(sonographer).post(url, json=new_assessment(head_us_raw(), "head_us")).json()
    assert body["total"] == 3  # synovitis 1 + cartilage 2 + bone 0 (Martinoli 2013)


def test_list_filters_by_instrument_timepoint_and_dates_and_pages(
    client_as, db, centre, patient, therapist, url
) -> None:
    sonographer = create_user(db, role=Role.SONOGRAPHER, centre=centre)
    for day, timepoint in (
        (date(2026, 1, 5), Timepoint.BASELINE),
        (date(2026, 2, 16), Timepoint.WEEK_6),
        (date(2026, 3, 30), Timepoint.WEEK_12),
    ):
        create_assessment(db, patient, therapist, assessed_date=day, timepoint=timepoint)
    create_assessment(db, patient, sonographer, instrument_code="head_us", raw=head_us_raw())
    client = client_as(therapist)

    def listed(query: str) -> dict[str, Any]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, response.text
        return response.json()

    assert listed("")["total"] == 4
    assert [item["assessed_date"] for item in listed("instrument=hjhs")["items"]] == [
        "2026-03-30",
        "2026-02-16",
        "2026-01-05",
    ]
    assert [item["timepoint"] for item in listed("timepoint=week_6")["items"]] == ["week_6"]
    # Both ends of the range are inclusive.
    in_range = listed("instrument=hjhs&assessed_from=2026-02-16&assessed_to=2026-03-30")
    assert [item["timepoint"] for item in in_range["items"]] == ["week_12", "week_6"]
    page = listed("instrument=hjhs&limit=1&offset=1")
    assert (page["total"], page["offset"], page["limit"]) == (3, 1, 1)
    assert [item["timepoint"] for item in page["items"]] == ["week_6"]


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        (
            "timepoint=week_7",
            "timepoint",
            "'baseline', 'week_6', 'week_12', 'follow_up' or 'other'",
        ),
        ("instrument=koos", "instrument", None),
        ("assessed_from=2026-03-01&assessed_to=2026-02-01", "assessed_to", None),
    ],
    ids=["timepoint", "instrument", "reversed-range"],
)
def test_impossible_list_filters_are_422(client_as, therapist, url, query, field, allowed) -> None:
    response = client_as(therapist).get(f"{url}?{query}")
    assert response.status_code == 422
    [problem] = response.json()["fields"]
    assert problem["field"] == field
    if allowed is not None:
        assert problem["allowed"] == allowed


def amend(client, assessment_id: int, **body: Any):
    return client.patch(f"/api/v1/assessments/{assessment_id}", json=body)


def test_amendment_rescores_and_keeps_the_previous_state(client_as, therapist, url) -> None:
    client = client_as(therapist)
    original = client.post(url, json=new_assessment(hjhs_raw(HJHS_SEVEN))).json()
    corrected_raw = hjhs_raw(HJHS_SEVEN | {"left_knee.swelling": 3})
    response = amend(
        client,
        original["id"],
        version=1,
        reason="swelling misread",
        raw=corrected_raw,
        timepoint="week_6",
    )
    assert response.status_code == 200, response.text
    amended = response.json()
    # One more swelling point: 7 + 1 = 8 (HJHS 2.1 sums the items).
    assert (amended["total"], amended["result"]["total"], amended["version"]) == (8, 8, 2)
    assert (amended["raw"], amended["timepoint"]) == (corrected_raw, "week_6")
    assert amended["assessor_id"] == therapist.id

    history = client.get(f"/api/v1/assessments/{original['id']}/amendments")
    assert history.status_code == 200
    [entry] = history.json()["items"]
    assert entry["previous_raw"] == original["raw"]
    assert entry["previous_result"] == original["result"]
    assert (entry["previous_version"], entry["previous_timepoint"]) == (1, "baseline")
    assert entry["previous_assessed_date"] == "2026-01-12"
    assert (entry["reason"], entry["amended_by_id"]) == ("swelling misread", therapist.id)


def test_stale_amendment_is_409_with_current_and_adds_no_history(
    client_as, db, patient, therapist
) -> None:
    record = create_assessment(db, patient, therapist)
    client = client_as(therapist)
    assert (
        amend(client, record.id, version=1, reason="first", raw=hjhs_raw({"gait": 1})).status_code
        == 200
    )
    stale = amend(client, record.id, version=1, reason="second", raw=hjhs_raw({"gait": 2}))
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"] == "conflict"
    assert (body["current"]["version"], body["current"]["total"]) == (2, 1)
    assert saved_count(db, AssessmentAmendmentRecord) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1, "raw": {"gait": 0}}, "reason"),
        ({"version": 1, "reason": "x", "raw": None}, "raw"),
        ({"version": 1, "reason": "x", "result": {"total": 0}}, "result"),
        ({"version": 1, "reason": "x", "raw": {"gait": 9}}, "gait"),
    ],
    ids=["no-reason", "null-raw", "client-result", "invalid-item"],
)
def test_refused_amendment_changes_nothing(client_as, db, patient, therapist, body, field) -> None:
    record = create_assessment(db, patient, therapist)
    client = client_as(therapist)
    response = amend(client, record.id, **body)
    assert response.status_code == 422
    assert field in [item["field"] for item in response.json()["fields"]]
    assert client.get(f"/api/v1/assessments/{record.id}").json()["version"] == 1
    assert saved_count(db, AssessmentAmendmentRecord) == 0


def test_therapist_cannot_amend_ultrasound(client_as, db, centre, patient, therapist) -> None:
    sonographer = create_user(db, role=Role.SONOGRAPHER, centre=centre)
    record = create_assessment(
        db, patient, sonographer, instrument_code="head_us", raw=head_us_raw()
    )
    response = amend(client_as(therapist), record.id, version=1, reason="x", raw=head_us_raw())
    assert response.status_code == 403
    assert saved_count(db, AssessmentAmendmentRecord) == 0


def test_archive_hides_from_list_and_restore_brings_back(
    client_as, db, patient, therapist, url
) -> None:
    record = create_assessment(db, patient, therapist)
    client = client_as(therapist)
    archived = client.post(
        f"/api/v1/assessments/{record.id}/archive", json={"version": 1, "reason": "wrong child"}
    )
    assert archived.status_code == 200
    assert archived.json()["archived_at"] is not None
    assert client.get(url).json()["total"] == 0
    assert client.get(f"{url}?archived=true").json()["total"] == 1
    restored = client.post(f"/api/v1/assessments/{record.id}/restore", json={"version": 2})
    assert restored.status_code == 200
    assert client.get(url).json()["total"] == 1


def test_caregiver_reads_own_child_not_another_family(
    client_as, db, centre, patient, therapist, url
) -> None:
    record = create_assessment(db, patient, therapist)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    client = client_as(parent)
    assert client.get(f"/api/v1/assessments/{record.id}").json()["total"] == 0
    assert [item["id"] for item in client.get(url).json()["items"]] == [record.id]
    assert client.get(f"/api/v1/assessments/{record.id}/amendments").status_code == 200
    # Reading is not writing: caregivers do not score instruments.
    assert client.post(url, json=new_assessment(hjhs_raw())).status_code == 403

    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    other = client_as(other_parent)
    assert other.get(f"/api/v1/assessments/{record.id}").status_code == 404
    assert other.get(url).status_code == 404


def test_other_centre_gets_404_exactly_like_missing(client_as, db, patient, therapist, url) -> None:
    record = create_assessment(db, patient, therapist)
    outsider = client_as(create_user(db, role=Role.THERAPIST, centre=create_centre(db)))
    for template in ("/api/v1/assessments/{}", "/api/v1/assessments/{}/amendments"):
        hidden = outsider.get(template.format(record.id))
        missing = outsider.get(template.format(999999))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["error"] == missing.json()["error"] == "not_found"
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, json=new_assessment(hjhs_raw())).status_code == 404
    refused = amend(outsider, record.id, version=1, reason="x", raw=hjhs_raw())
    assert refused.status_code == 404
    assert saved_count(db, AssessmentAmendmentRecord) == 0


def test_reads_and_writes_leave_audit_entries(client_as, db, patient, therapist, url) -> None:
    client = client_as(therapist)
    assessment_id = client.post(url, json=new_assessment(hjhs_raw())).json()["id"]
    client.get(f"/api/v1/assessments/{assessment_id}")
    client.get(url)
    amend(client, assessment_id, version=1, reason="typo", raw=hjhs_raw({"gait": 1}))
    client.get(f"/api/v1/assessments/{assessment_id}/amendments")
    entries = db.scalars(
        select(AuditEntryRecord)
        .where(AuditEntryRecord.patient_id == patient.id)
        .order_by(AuditEntryRecord.id)
    ).all()
    assert [(entry.action, entry.entity, entry.entity_id) for entry in entries] == [
        ("create", "assessment", assessment_id),
        ("read", "assessment", assessment_id),
        ("list", "assessment", None),
        ("update", "assessment", assessment_id),
        ("list", "assessment_amendment", assessment_id),
    ]
    assert {(entry.user_id, entry.role, entry.address) for entry in entries} == {
        (therapist.id, "therapist", "testclient")
    }
