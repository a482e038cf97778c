"""The alerts inbox API: a parent's emergency report reaches the top of the team's inbox.

Urgencies from REFERENCE.md section 4: groin pain with thigh numbness (a femoral nerve
sign) is an emergency; a joint bleed is urgent; a skin bleed without red flags is routine.
"""

from __future__ import annotations

from typing import Any

import pytest

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family


def _bleed(site: str, findings: list[str], day: int) -> dict[str, Any]:
    return {
        "site": site,
        "bleed_type": "spontaneous",
        "started_at": f"2026-03-0{day}T10:00:00+00:00",
        "findings": findings,
    }


@pytest.fixture
def team(db) -> dict[str, Any]:
    centre = create_centre(db)
    patient = create_patient(db, centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    return {
        "centre": centre,
        "patient": patient,
        "parent": parent,
        "hematologist": create_user(db, role=Role.HEMATOLOGIST, centre=centre),
    }


def _report(client_as, team, body: dict[str, Any]) -> dict[str, Any]:
    url = f"/api/v1/patients/{team['patient'].id}/bleeds"
    response = client_as(team["parent"]).post(url, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_parents_emergency_is_at_the_top_of_the_inbox(client_as, team) -> None:
    _report(client_as, team, _bleed("left_knee", ["joint_swelling"], 2))  # urgent, newer
    emergency = _report(client_as, team, _bleed("other", ["groin_pain", "thigh_numbness"], 1))
    _report(client_as, team, _bleed("skin", [], 3))  # routine: no alert
    inbox = client_as(team["hematologist"]).get("/api/v1/alerts")
    assert inbox.status_code == 200
    body = inbox.json()
    assert (body["total"], body["offset"], body["limit"]) == (2, 0, 50)
    top = body["items"][0]
    assert (top["urgency"], top["bleed_id"], top["is_open"]) == ("emergency", emergency["id"], True)
    assert top["reasons"][0]["code"] == "iliopsoas_with_femoral_nerve_signs"
    assert top["bleed"]["findings"] == ["groin_pain", "thigh_numbness"]
    assert [item["urgency"] for item in body["items"]] == ["emergency", "urgent"]


def test_acknowledge_names_the_clinician_and_only_once(client_as, team) -> None:
    _report(client_as, team, _bleed("other", ["groin_pain", "thigh_numbness"], 1))
    client = client_as(team["hematologist"])
    alert = client.get("/api/v1/alerts").json()["items"][0]
    url = f"/api/v1/alerts/{alert['id']}/acknowledge"
    stale = client.post(url, json={"version": alert["version"] + 1, "note": "late"})
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert stale.json()["current"]["is_open"] is True
    done = client.post(url, json={"version": alert["version"], "note": "Sent to hospital"})
    assert done.status_code == 200, done.text
    stamped = done.json()
    doctor = team["hematologist"]
    assert stamped["acknowledged_by"] == {
        "id": doctor.id,
        "display_name": doctor.display_name,
        "role": "hematologist",
    }
    assert (stamped["is_open"], stamped["acknowledgement_note"]) == (False, "Sent to hospital")
    assert client.get("/api/v1/alerts").json()["total"] == 0
    assert client.get("/api/v1/alerts?status=acknowledged").json()["total"] == 1
    twice = client.post(url, json={"version": stamped["version"], "note": None})
    assert twice.status_code == 409
    assert twice.json()["detail"].startswith(
        f"alert {alert['id']} was already acknowledged by {doctor.display_name} at "
    )


def test_scope_role_and_bad_input(client_as, db, team) -> None:
    _report(client_as, team, _bleed("other", ["groin_pain", "thigh_numbness"], 1))
    alert = client_as(team["hematologist"]).get("/api/v1/alerts").json()["items"][0]
    url = f"/api/v1/alerts/{alert['id']}/acknowledge"
    elsewhere = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    hidden = client_as(elsewhere).post(url, json={"version": 1})
    assert hidden.status_code == 404
    assert hidden.json() == {
        "error": "not_found",
        "detail": f"alert {alert['id']} was not found",
        "fields": [],
    }
    assert client_as(elsewhere).get("/api/v1/alerts").json()["total"] == 0
    other_patient = create_patient(db, create_centre(db))
    assert (
        client_as(team["hematologist"])
        .get(f"/api/v1/alerts?patient_id={other_patient.id}")
        .status_code
        == 404
    )
    refused = client_as(team["parent"]).get("/api/v1/alerts")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "forbidden",
        "detail": "role caregiver may not read alert records",
        "fields": [],
    }
    bad = client_as(team["hematologist"]).get("/api/v1/alerts?status=closed")
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "status"
    long_note = client_as(team["hematologist"]).post(url, json={"version": 1, "note": "x" * 1001})
    assert long_note.status_code == 422
    assert long_note.json()["fields"][0]["field"] == "note"
