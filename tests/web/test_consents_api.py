"""Consents through the API: the child-record life cycle, the date rule, roles, scope and audit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, ConsentRecord
from tests.support.builders import create_centre, create_patient, create_user, link_family

NEW_CONSENT: dict[str, Any] = {
    "kind": "research",
    "given_by": "Li Na (mother)",
    "given_date": "2026-01-12",
}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


@pytest.fixture
def nurse(db, centre):
    return create_user(db, role=Role.NURSE, centre=centre)


@pytest.fixture
def url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/consents"


def consent_count(db) -> int:
    return db.scalar(select(func.count()).select_from(ConsentRecord))


def test_nurse_records_consent_and_reads_it_back(client_as, nurse, patient, url) -> None:
    client = client_as(nurse)
    created = client.post(url, json=NEW_CONSENT)
    assert created.status_code == 201, created.text
    body = created.json()
    stamps = {"id", "created_at", "updated_at"}
    assert {key: value for key, value in body.items() if key not in stamps} == NEW_CONSENT | {
        "patient_id": patient.id,
        "withdrawn_date": None,
        "version": 1,
        "archived_at": None,
    }
    fetched = client.get(f"/api/v1/consents/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_list_newest_first_and_pages(client_as, nurse, url) -> None:
    client = client_as(nurse)
    for kind, day in (
        ("registry", "2025-11-03"),
        ("photo_video", "2026-02-01"),
        ("programme", "2026-01-05"),
    ):
        assert (
            client.post(url, json={**NEW_CONSENT, "kind": kind, "given_date": day}).status_code
            == 201
        )
    listed = client.get(url).json()
    assert [item["kind"] for item in listed["items"]] == ["photo_video", "programme", "registry"]
    page = client.get(f"{url}?limit=1&offset=2").json()
    assert (page["total"], [item["kind"] for item in page["items"]]) == (3, ["registry"])


@pytest.mark.parametrize(
    ("withdrawn", "status"),
    [("2026-01-11", 422), ("2026-01-12", 201), ("2026-01-13", 201)],
    ids=["day-before-given", "same-day", "day-after"],
)
def test_withdrawal_cannot_precede_consent(client_as, db, nurse, url, withdrawn, status) -> None:
    response = client_as(nurse).post(url, json=NEW_CONSENT | {"withdrawn_date": withdrawn})
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json() == {
            "error": "invalid_input",
            "detail": "withdrawn_date: '2026-01-11' is before given_date 2026-01-12",
            "fields": [
                {
                    "field": "withdrawn_date",
                    "value": "2026-01-11",
                    "allowed": "on or after given_date (2026-01-12)",
                    "message": "withdrawn_date: '2026-01-11' is before given_date 2026-01-12",
                }
            ],
        }
        assert consent_count(db) == 0


def test_update_is_checked_against_the_stored_dates(client_as, nurse, url) -> None:
    client = client_as(nurse)
    consent = client.post(url, json=NEW_CONSENT).json()
    path = f"/api/v1/consents/{consent['id']}"
    early = client.patch(path, json={"version": 1, "withdrawn_date": "2025-12-31"})
    assert early.status_code == 422
    assert early.json()["fields"][0]["field"] == "withdrawn_date"
    withdrawn = client.patch(path, json={"version": 1, "withdrawn_date": "2026-03-01"})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["withdrawn_date"], withdrawn.json()["version"]) == ("2026-03-01", 2)
    later_given = client.patch(path, json={"version": 2, "given_date": "2026-04-01"})
    assert later_given.status_code == 422


@pytest.mark.parametrize(
    ("change", "field", "allowed"),
    [
        ({"kind": "newsletter"}, "kind", "'registry', 'programme', 'research' or 'photo_video'"),
        ({"given_by": ""}, "given_by", "at least 1 characters"),
        ({"given_date": "soon"}, "given_date", None),
    ],
    ids=["kind", "given-by-empty", "given-date"],
)
def test_invalid_fields_are_422_with_allowed(client_as, nurse, url, change, field, allowed) -> None:
    response = client_as(nurse).post(url, json=NEW_CONSENT | change)
    assert response.status_code == 422
    [problem] = response.json()["fields"]
    assert problem["field"] == field
    if allowed is not None:
        assert problem["allowed"] == allowed


def test_explicit_null_is_refused_on_update(client_as, nurse, url) -> None:
    client = client_as(nurse)
    consent = client.post(url, json=NEW_CONSENT).json()
    response = client.patch(f"/api/v1/consents/{consent['id']}", json={"version": 1, "kind": None})
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "kind"


def test_stale_update_is_409_and_archive_restore(client_as, nurse, url) -> None:
    client = client_as(nurse)
    consent = client.post(url, json=NEW_CONSENT).json()
    path = f"/api/v1/consents/{consent['id']}"
    assert client.patch(path, json={"version": 1, "given_by": "Li Wei (father)"}).status_code == 200
    stale = client.patch(path, json={"version": 1, "given_by": "someone"})
    assert stale.status_code == 409
    assert (stale.json()["current"]["given_by"], stale.json()["current"]["version"]) == (
        "Li Wei (father)",
        2,
    )
    assert (
        client.post(f"{path}/archive", json={"version": 2, "reason": "duplicate"}).status_code
        == 200
    )
    assert client.get(url).json()["total"] == 0
    assert client.post(f"{path}/restore", json={"version": 3}).status_code == 200
    assert client.get(url).json()["total"] == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.THERAPIST, 403), (Role.SONOGRAPHER, 403), (Role.HEMATOLOGIST, 201), (Role.ADMIN, 201)],
    ids=["therapist", "sonographer", "hematologist", "admin"],
)
def test_who_may_record_consent(client_as, db, centre, url, role, status) -> None:
    response = client_as(create_user(db, role=role, centre=centre)).post(url, json=NEW_CONSENT)
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"] == "forbidden"
        assert consent_count(db) == 0


def test_family_reads_own_child_only_and_other_centre_gets_404(
    client_as, db, centre, patient, nurse, url
) -> None:
    consent = client_as(nurse).post(url, json=NEW_CONSENT).json()
    path = f"/api/v1/consents/{consent['id']}"
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    own = client_as(parent)
    assert own.get(path).json()["kind"] == "research"
    assert own.post(url, json=NEW_CONSENT).status_code == 403

    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    outsider = create_user(db, role=Role.NURSE, centre=create_centre(db))
    for user in (other_parent, outsider):
        client = client_as(user)
        assert client.get(path).status_code == 404
        assert client.get(url).status_code == 404
        refused = client.patch(path, json={"version": 1, "given_by": "x"})
        assert (refused.status_code, refused.json()["error"]) == (404, "not_found")


def test_reads_and_writes_leave_audit_entries(client_as, db, nurse, patient, url) -> None:
    client = client_as(nurse)
    consent_id = client.post(url, json=NEW_CONSENT).json()["id"]
    client.get(f"/api/v1/consents/{consent_id}")
    client.patch(
        f"/api/v1/consents/{consent_id}", json={"version": 1, "withdrawn_date": "2026-02-01"}
    )
    entries = db.scalars(
        select(AuditEntryRecord)
        .where(AuditEntryRecord.patient_id == patient.id)
        .order_by(AuditEntryRecord.id)
    ).all()
    assert [(entry.action, entry.entity, entry.entity_id, entry.user_id) for entry in entries] == [
        ("create", "consent", consent_id, nurse.id),
        ("read", "consent", consent_id, nurse.id),
        ("update", "consent", consent_id, nurse.id),
    ]
    assert entries[2].detail == {"fields": ["withdrawn_date"]}
