"""Patients through the API: CRUD, filters, pages, concurrency, archive, scope and errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, PatientRecord
from tests.support.builders import create_centre, create_patient, create_user, link_family

NEW_PATIENT: dict[str, Any] = {
    "record_number": "HJ-0001",
    "given_name": "Wei",
    "family_name": "Zhang",
    "birth_date": "2017-03-02",
    "sex": "male",
    "hemophilia_type": "A",
    "factor_activity_iu_dl": 0.8,
    "prior_regimen": "on_demand",
}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def hematologist(db, centre):
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre)


def test_create_derives_severity_and_reads_back(client_as, hematologist) -> None:
    client = client_as(hematologist)
    created = client.post("/api/v1/patients", json=NEW_PATIENT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["severity"] == "severe"  # 0.8 IU/dL < 1 -> severe (REFERENCE.md section 2)
    assert body["version"] == 1
    fetched = client.get(f"/api/v1/patients/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["record_number"] == "HJ-0001"


def test_client_cannot_set_severity(client_as, hematologist) -> None:
    response = client_as(hematologist).post(
        "/api/v1/patients", json=NEW_PATIENT | {"severity": "mild"}
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "severity"


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("factor_activity_iu_dl", 40, "< 40"),
        ("factor_activity_iu_dl", -1, ">= 0"),
        ("hemophilia_type", "C", "'A' or 'B'"),
        ("sex", "boy", "'male', 'female' or 'other'"),
    ],
    ids=["activity-40", "activity-negative", "type-C", "sex-unknown"],
)
def test_invalid_fields_get_422_naming_field_value_and_allowed(
    client_as, hematologist, field: str, value: object, allowed: str
) -> None:
    response = client_as(hematologist).post("/api/v1/patients", json=NEW_PATIENT | {field: value})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert body["fields"] == [
        {
            "field": field,
            "value": value,
            "allowed": allowed,
            "message": body["fields"][0]["message"],
        }
    ]
    assert body["fields"][0]["message"].startswith(f"{field}: ")


def test_every_invalid_field_is_named(client_as, hematologist) -> None:
    bad = NEW_PATIENT | {"sex": "x", "birth_date": "yesterday"}
    response = client_as(hematologist).post("/api/v1/patients", json=bad)
    assert {field["field"] for field in response.json()["fields"]} == {"sex", "birth_date"}


def test_duplicate_record_number_in_same_centre_is_409(client_as, hematologist) -> None:
    client = client_as(hematologist)
    assert client.post("/api/v1/patients", json=NEW_PATIENT).status_code == 201
    again = client.post("/api/v1/patients", json=NEW_PATIENT)
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"


def test_update_with_stale_version_gets_409_and_current(
    client_as, hematologist, db, centre
) -> None:
    patient = create_patient(db, centre)
    client = client_as(hematologist)
    first = client.patch(f"/api/v1/patients/{patient.id}", json={"version": 1, "given_name": "Li"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = client.patch(f"/api/v1/patients/{patient.id}", json={"version": 1, "given_name": "Bo"})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    assert stale.json()["current"]["given_name"] == "Li"


def test_update_recomputes_severity(client_as, hematologist, db, centre) -> None:
    patient = create_patient(db, centre, factor_activity_iu_dl=0.5)
    response = client_as(hematologist).patch(
        f"/api/v1/patients/{patient.id}", json={"version": 1, "factor_activity_iu_dl": 5}
    )
    assert response.json()["severity"] == "moderate"  # 5 IU/dL is moderate (REFERENCE.md)


def test_archive_hides_from_list_and_restore_brings_back(
    client_as, hematologist, db, centre
) -> None:
    patient = create_patient(db, centre)
    client = client_as(hematologist)
    archived = client.post(
        f"/api/v1/patients/{patient.id}/archive",
        json={"version": 1, "reason": "moved to another centre"},
    )
    assert archived.status_code == 200
    assert archived.json()["archived_at"] is not None
    assert client.get("/api/v1/patients").json()["total"] == 0
    assert client.get("/api/v1/patients?archived=true").json()["total"] == 1
    restored = client.post(f"/api/v1/patients/{patient.id}/restore", json={"version": 2})
    assert restored.json()["archived_at"] is None
    assert client.get("/api/v1/patients").json()["total"] == 1


def test_list_filters_and_pages(client_as, hematologist, db, centre) -> None:
    for number in range(5):
        create_patient(db, centre, family_name=f"Lin {number}", factor_activity_iu_dl=3)
    create_patient(db, centre, family_name="Wang", factor_activity_iu_dl=0.2)
    client = client_as(hematologist)
    page = client.get("/api/v1/patients?severity=moderate&limit=2&offset=2").json()
    assert (page["total"], len(page["items"]), page["offset"]) == (5, 2, 2)
    assert client.get("/api/v1/patients?search=wang").json()["total"] == 1


def test_other_centres_patient_is_404_like_missing(client_as, hematologist, db) -> None:
    elsewhere = create_patient(db, create_centre(db))
    client = client_as(hematologist)
    hidden = client.get(f"/api/v1/patients/{elsewhere.id}")
    missing = client.get("/api/v1/patients/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"] == missing.json()["error"] == "not_found"
    assert client.get("/api/v1/patients").json()["total"] == 0


def test_caregiver_sees_only_linked_child(client_as, db, centre) -> None:
    mine, other = create_patient(db, centre), create_patient(db, centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, mine)
    client = client_as(parent)
    assert client.get(f"/api/v1/patients/{mine.id}").status_code == 200
    assert client.get(f"/api/v1/patients/{other.id}").status_code == 404
    assert [item["id"] for item in client.get("/api/v1/patients").json()["items"]] == [mine.id]


def test_reads_and_writes_leave_audit_entries(client_as, hematologist, db) -> None:
    client = client_as(hematologist)
    patient_id = client.post("/api/v1/patients", json=NEW_PATIENT).json()["id"]
    client.get(f"/api/v1/patients/{patient_id}")
    entries = db.scalars(
        select(AuditEntryRecord)
        .where(AuditEntryRecord.patient_id == patient_id)
        .order_by(AuditEntryRecord.id)
    ).all()
    assert [(entry.action, entry.user_id, entry.role) for entry in entries] == [
        ("create", hematologist.id, "hematologist"),
        ("read", hematologist.id, "hematologist"),
    ]
    assert entries[0].address == "testclient"


def test_unauthenticated_is_401(client) -> None:
    response = client.get("/api/v1/patients")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_therapist_may_read_but_not_create(client_as, db, centre) -> None:
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    response = client_as(therapist).post("/api/v1/patients", json=NEW_PATIENT)
    assert response.status_code == 403
    assert db.scalars(select(PatientRecord)).all() == []


def test_explicit_null_for_a_required_field_is_422_not_a_conflict(
    client_as, hematologist, db, centre
) -> None:
    patient = create_patient(db, centre)
    response = client_as(hematologist).patch(
        f"/api/v1/patients/{patient.id}", json={"version": 1, "given_name": None}
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "given_name"
    assert (
        response.json()["fields"][0]["message"]
        == "given_name: Value error, may be left out, but not null"
    )
