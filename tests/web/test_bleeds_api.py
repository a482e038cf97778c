"""Bleeds through the API: triage recomputed on every write, checks, filters, scope and audit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.models import AuditEntryRecord, BleedRecord
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.prophylaxis_builders import create_bleed

# REFERENCE.md section 4: groin pain with a femoral nerve sign (thigh numbness) is an
# emergency (suspected iliopsoas bleed pressing on the femoral nerve).
ILIOPSOAS_REPORT: dict[str, Any] = {
    "site": "left_iliopsoas",
    "bleed_type": "spontaneous",
    "started_at": "2026-03-02T09:30:00+08:00",
    "findings": ["groin_pain", "thigh_numbness"],
}
KNEE_REPORT: dict[str, Any] = {
    "site": "left_knee",
    "bleed_type": "traumatic",
    "started_at": "2026-03-05T10:00:00+00:00",
    "findings": ["joint_swelling", "joint_pain"],
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


def _url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/bleeds"


def test_create_triages_groin_pain_with_thigh_numbness_as_emergency(
    client_as, nurse, patient
) -> None:
    client = client_as(nurse)
    created = client.post(_url(patient), json=ILIOPSOAS_REPORT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["urgency"] == "emergency"  # REFERENCE.md section 4
    assert body["triage"]["urgency"] == "emergency"
    assert [reason["code"] for reason in body["triage"]["reasons"]] == [
        "iliopsoas_with_femoral_nerve_signs"
    ]
    assert body["triage"]["suspected"] == ["iliopsoas_bleed"]
    assert "does not replace" in body["triage"]["disclaimer"]
    assert (body["reported_by_id"], body["version"], body["patient_id"]) == (
        nurse.id,
        1,
        patient.id,
    )
    assert body["started_at"] == "2026-03-02T01:30:00Z"  # the same instant, kept in UTC
    fetched = client.get(f"/api/v1/bleeds/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


@pytest.mark.parametrize("field", ["urgency", "triage"])
def test_client_sent_urgency_or_triage_is_refused(client_as, nurse, patient, db, field) -> None:
    response = client_as(nurse).post(_url(patient), json=ILIOPSOAS_REPORT | {field: "routine"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [item["field"] for item in body["fields"]] == [field]
    assert db.scalars(select(BleedRecord)).all() == []


def test_update_recomputes_triage(client_as, nurse, patient) -> None:
    client = client_as(nurse)
    bleed = client.post(_url(patient), json=KNEE_REPORT).json()
    # A joint site with joint signs is urgent (REFERENCE.md section 4 list; domain rule).
    assert bleed["urgency"] == "urgent"
    updated = client.patch(
        f"/api/v1/bleeds/{bleed['id']}",
        json={"version": 1, "site": "skin", "findings": []},
    )
    assert updated.status_code == 200, updated.text
    # A skin bleed without any red flag is routine.
    assert updated.json()["urgency"] == "routine"
    assert updated.json()["triage"]["reasons"][0]["code"] == "no_red_flags"
    assert updated.json()["version"] == 2
    escalated = client.patch(
        f"/api/v1/bleeds/{bleed['id']}",
        json={"version": 2, "findings": ["pallor_or_dizziness"]},
    )
    # Signs of large blood loss are an emergency whatever the site (REFERENCE.md section 4).
    assert escalated.json()["urgency"] == "emergency"


def test_unknown_finding_code_gets_the_domains_field_problem(client_as, nurse, patient, db) -> None:
    report = ILIOPSOAS_REPORT | {"findings": ["groin_pain", "tummy_ache", "groin_pain"]}
    response = client_as(nurse).post(_url(patient), json=report)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert [(item["field"], item["value"]) for item in fields] == [
        ("findings[1]", "tummy_ache"),
        ("findings[2]", "groin_pain"),
    ]
    assert "thigh_numbness" in fields[0]["allowed"]
    assert fields[1]["allowed"] == "each code once"
    assert db.scalars(select(BleedRecord)).all() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_at": "2026-03-02T09:30:00"}, "started_at"),
        ({"treatment_ended_at": "2026-03-02T09:29:00+08:00"}, "treatment_ended_at"),
        ({"hospital_days": -1}, "hospital_days"),
        ({"site": "left_ear"}, "site"),
        ({"bleed_type": "unknown"}, "bleed_type"),
        ({"neuropathy_recovery_date": "2026-04-01"}, "neuropathy_recovery_date"),
        (
            {"femoral_neuropathy": True, "neuropathy_recovery_date": "2026-03-01"},
            "neuropathy_recovery_date",
        ),
    ],
    ids=[
        "naive-start",
        "end-a-minute-before-start",
        "negative-hospital-days",
        "unknown-site",
        "unknown-type",
        "recovery-without-neuropathy",
        "recovery-before-start",
    ],
)
def test_invalid_report_is_422_naming_the_field(
    client_as, nurse, patient, db, changes, field
) -> None:
    response = client_as(nurse).post(_url(patient), json=ILIOPSOAS_REPORT | changes)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [item["field"] for item in body["fields"]] == [field]
    assert body["fields"][0]["message"].startswith(f"{field}: ")
    assert db.scalars(select(BleedRecord)).all() == []


def test_end_of_treatment_at_the_start_and_recovery_on_start_day_are_accepted(
    client_as, nurse, patient
) -> None:
    report = ILIOPSOAS_REPORT | {
        "treatment_ended_at": ILIOPSOAS_REPORT["started_at"],
        "hospital_days": 0,
        "femoral_neuropathy": True,
        "neuropathy_recovery_date": "2026-03-02",
        "complications": "femoral neuropathy",
    }
    response = client_as(nurse).post(_url(patient), json=report)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["femoral_neuropathy"], body["neuropathy_recovery_date"]) == (True, "2026-03-02")
    assert (body["hospital_days"], body["complications"]) == (0, "femoral neuropathy")


def test_update_cannot_null_a_required_field(client_as, nurse, patient) -> None:
    client = client_as(nurse)
    bleed = client.post(_url(patient), json=KNEE_REPORT).json()
    response = client.patch(f"/api/v1/bleeds/{bleed['id']}", json={"version": 1, "site": None})
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "site"


def test_list_filters_by_site_urgency_and_start_window_with_pages(
    client_as, nurse, patient, db
) -> None:
    for day in (1, 10, 20):
        create_bleed(db, patient, nurse, started_at=datetime(2026, 1, day, tzinfo=UTC))
    create_bleed(
        db,
        patient,
        nurse,
        site=BleedSite.HEAD,
        findings=["head_injury"],
        started_at=datetime(2026, 1, 15, tzinfo=UTC),
    )
    client = client_as(nurse)
    everything = client.get(_url(patient)).json()
    assert everything["total"] == 4
    started = [item["started_at"][:10] for item in everything["items"]]
    assert started == ["2026-01-20", "2026-01-15", "2026-01-10", "2026-01-01"]  # newest first
    knees = client.get(_url(patient), params={"site": "left_knee", "limit": 2, "offset": 1}).json()
    assert (knees["total"], [item["started_at"][:10] for item in knees["items"]]) == (
        3,
        ["2026-01-10", "2026-01-01"],
    )
    emergencies = client.get(_url(patient), params={"urgency": "emergency"}).json()
    assert [item["site"] for item in emergencies["items"]] == ["head"]
    window = client.get(
        _url(patient),
        params={
            "started_from": "2026-01-10T00:00:00+00:00",
            "started_before": "2026-01-20T00:00:00+00:00",
        },
    ).json()
    assert [item["started_at"][:10] for item in window["items"]] == ["2026-01-15", "2026-01-10"]


def test_list_refuses_unknown_urgency_and_naive_window(client_as, nurse, patient) -> None:
    client = client_as(nurse)
    bad = client.get(_url(patient), params={"urgency": "soon"})
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "urgency"
    naive = client.get(_url(patient), params={"started_from": "2026-01-10T00:00:00"})
    assert naive.status_code == 422
    assert naive.json()["fields"][0]["field"] == "started_from"


def test_stale_version_is_409_then_archive_and_restore(client_as, nurse, patient) -> None:
    client = client_as(nurse)
    bleed = client.post(_url(patient), json=KNEE_REPORT).json()
    url = f"/api/v1/bleeds/{bleed['id']}"
    assert client.patch(url, json={"version": 1, "notes": "ice"}).status_code == 200
    stale = client.patch(url, json={"version": 1, "notes": "rest"})
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert (stale.json()["current"]["version"], stale.json()["current"]["notes"]) == (2, "ice")
    archived = client.post(f"{url}/archive", json={"version": 2, "reason": "entered twice"})
    assert archived.status_code == 200
    assert archived.json()["archived_at"] is not None
    assert client.get(_url(patient)).json()["total"] == 0
    assert client.get(_url(patient), params={"archived": True}).json()["total"] == 1
    restored = client.post(f"{url}/restore", json={"version": 3})
    assert (restored.status_code, restored.json()["archived_at"]) == (200, None)
    assert client.get(_url(patient)).json()["total"] == 1


def test_caregiver_reports_for_own_child_and_gets_404_for_another_family(
    client_as, db, centre, patient
) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    other_child = create_patient(db, centre)
    other_bleed = create_bleed(db, other_child, parent)
    client = client_as(parent)
    created = client.post(_url(patient), json=ILIOPSOAS_REPORT)
    assert created.status_code == 201, created.text
    assert created.json()["reported_by_id"] == parent.id
    assert created.json()["urgency"] == "emergency"
    refused = client.post(_url(other_child), json=ILIOPSOAS_REPORT)
    assert refused.status_code == 404
    assert refused.json()["error"] == "not_found"
    assert client.get(f"/api/v1/bleeds/{other_bleed.id}").status_code == 404
    assert client.get(_url(other_child)).status_code == 404


def test_other_centre_staff_get_404_and_admin_may_read_but_not_report(
    client_as, db, centre, patient, nurse
) -> None:
    bleed = create_bleed(db, patient, nurse)
    outsider = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    assert client_as(outsider).get(f"/api/v1/bleeds/{bleed.id}").status_code == 404
    admin = create_user(db, role=Role.ADMIN, centre=centre)
    client = client_as(admin)
    assert client.get(f"/api/v1/bleeds/{bleed.id}").status_code == 200
    refused = client.post(_url(patient), json=KNEE_REPORT)
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"


def test_reads_and_writes_leave_audit_entries(client_as, nurse, patient, db) -> None:
    client = client_as(nurse)
    bleed_id = client.post(_url(patient), json=KNEE_REPORT).json()["id"]
    client.get(f"/api/v1/bleeds/{bleed_id}")
    client.patch(f"/api/v1/bleeds/{bleed_id}", json={"version": 1, "hospital_days": 2})
    client.get(_url(patient))
    entries = db.scalars(
        select(AuditEntryRecord)
        .where(AuditEntryRecord.entity == "bleed")
        .order_by(AuditEntryRecord.id)
    ).all()
    assert [(entry.action, entry.entity_id, entry.patient_id) for entry in entries] == [
        ("create", bleed_id, patient.id),
        ("read", bleed_id, patient.id),
        ("update", bleed_id, patient.id),
        ("list", None, patient.id),
    ]
    assert {(entry.user_id, entry.role) for entry in entries} == {(nurse.id, "nurse")}
    assert entries[2].detail == {"fields": ["hospital_days"]}
