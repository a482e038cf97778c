"""Weights and inhibitor results: the shared child-record life cycle, exercised on two kinds."""

from __future__ import annotations

import pytest

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


def test_nurse_records_weight_and_lists_newest_first(client_as, db, centre, patient) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    client = client_as(nurse)
    for day, kg in (("2026-01-05", 21.5), ("2026-03-02", 22.0)):
        response = client.post(
            f"/api/v1/patients/{patient.id}/weights", json={"measured_date": day, "weight_kg": kg}
        )
        assert response.status_code == 201, response.text
        assert response.json()["recorded_by_id"] == nurse.id
    listed = client.get(f"/api/v1/patients/{patient.id}/weights").json()
    assert [item["weight_kg"] for item in listed["items"]] == [22.0, 21.5]


@pytest.mark.parametrize("kg", [0, -3, 251], ids=["zero", "negative", "above-250"])
def test_impossible_weight_is_422(client_as, db, centre, patient, kg: float) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(nurse).post(
        f"/api/v1/patients/{patient.id}/weights",
        json={"measured_date": "2026-01-05", "weight_kg": kg},
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "weight_kg"


def test_only_hematologist_writes_inhibitor_results(client_as, db, centre, patient) -> None:
    body = {"sample_date": "2026-01-05", "titre_bu_ml": 0.0, "positive": False}
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    assert (
        client_as(nurse)
        .post(f"/api/v1/patients/{patient.id}/inhibitor-results", json=body)
        .status_code
        == 403
    )
    hematologist = create_user(db, role=Role.HEMATOLOGIST, centre=centre)
    created = client_as(hematologist).post(
        f"/api/v1/patients/{patient.id}/inhibitor-results", json=body
    )
    assert created.status_code == 201


def test_stale_update_conflicts_and_archive_restore(client_as, db, centre, patient) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    client = client_as(nurse)
    weight = client.post(
        f"/api/v1/patients/{patient.id}/weights",
        json={"measured_date": "2026-01-05", "weight_kg": 20},
    ).json()
    url = f"/api/v1/weights/{weight['id']}"
    assert client.patch(url, json={"version": 1, "weight_kg": 20.4}).json()["version"] == 2
    stale = client.patch(url, json={"version": 1, "weight_kg": 19})
    assert stale.status_code == 409
    assert stale.json()["current"]["weight_kg"] == 20.4
    assert client.post(f"{url}/archive", json={"version": 2, "reason": "typo"}).status_code == 200
    assert client.get(f"/api/v1/patients/{patient.id}/weights").json()["total"] == 0
    assert client.post(f"{url}/restore", json={"version": 3}).status_code == 200


def test_other_family_and_other_centre_get_404(client_as, db, centre, patient) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    weight = (
        client_as(nurse)
        .post(
            f"/api/v1/patients/{patient.id}/weights",
            json={"measured_date": "2026-01-05", "weight_kg": 20},
        )
        .json()
    )
    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    outsider = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    for user in (other_parent, outsider):
        client = client_as(user)
        assert client.get(f"/api/v1/weights/{weight['id']}").status_code == 404
        assert client.get(f"/api/v1/patients/{patient.id}/weights").status_code == 404
