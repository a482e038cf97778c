"""Products, regimens and infusions through the API: the programme's rule, IU/kg, scope, audit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, InfusionRecord, RegimenRecord
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.prophylaxis_builders import create_bleed, create_product, create_weight

NEW_PRODUCT: dict[str, Any] = {
    "name": "Advate",
    "factor": "VIII",
    "vial_sizes_iu": [1000, 250, 500],
}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)  # hemophilia A (builder default)


@pytest.fixture
def hematologist(db, centre):
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre)


@pytest.fixture
def product(db, centre):
    return create_product(db, centre)


# --- products -------------------------------------------------------------------------------


def test_admin_creates_product_with_default_recovery_and_sorted_vials(
    client_as, db, centre
) -> None:
    admin = create_user(db, role=Role.ADMIN, centre=centre)
    client = client_as(admin)
    created = client.post("/api/v1/products", json=NEW_PRODUCT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["vial_sizes_iu"] == [250, 500, 1000]
    # FVIII: 2.0 IU/dL per IU/kg, i.e. IU = kg x rise x 0.5 (REFERENCE.md section 2).
    assert body["recovery_iu_dl_per_iu_kg"] == 2.0
    assert (body["centre_id"], body["version"], body["factor"]) == (centre.id, 1, "VIII")
    assert client.get(f"/api/v1/products/{body['id']}").json() == body
    nine = client.post(
        "/api/v1/products", json={"name": "BeneFIX", "factor": "IX", "vial_sizes_iu": [500]}
    )
    # Plasma-derived FIX default: 1.0 (REFERENCE.md section 2).
    assert nine.json()["recovery_iu_dl_per_iu_kg"] == 1.0
    listed = client.get("/api/v1/products", params={"factor": "IX"}).json()
    assert [item["name"] for item in listed["items"]] == ["BeneFIX"]
    entries = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "product")).all()
    assert [(entry.action, entry.entity_id, entry.user_id) for entry in entries] == [
        ("create", body["id"], admin.id),
        ("create", nine.json()["id"], admin.id),
    ]


@pytest.mark.parametrize(
    ("vials", "field", "allowed"),
    [
        ([], "vial_sizes_iu", "a tuple of at least one vial size"),
        ([250, 0], "vial_sizes_iu[1]", "a whole number of IU above 0"),
        ([-500], "vial_sizes_iu[0]", "a whole number of IU above 0"),
    ],
    ids=["empty", "zero", "negative"],
)
def test_invalid_vial_sizes_are_422_from_the_domain(
    client_as, hematologist, vials, field, allowed
) -> None:
    response = client_as(hematologist).post(
        "/api/v1/products", json=NEW_PRODUCT | {"vial_sizes_iu": vials}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [(item["field"], item["allowed"]) for item in body["fields"]] == [(field, allowed)]
    assert body["fields"][0]["message"].startswith(f"{field}: ")


def test_products_readers_writers_and_other_centre(client_as, db, centre, product) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    client = client_as(nurse)
    assert client.get(f"/api/v1/products/{product.id}").status_code == 200
    refused = client.post("/api/v1/products", json=NEW_PRODUCT)
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    assert client_as(parent).get("/api/v1/products").json()["total"] == 1
    outsider = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    client = client_as(outsider)
    hidden = client.get(f"/api/v1/products/{product.id}")
    assert (hidden.status_code, hidden.json()["error"]) == (404, "not_found")
    patched = client.patch(f"/api/v1/products/{product.id}", json={"version": 1, "name": "x"})
    assert patched.status_code == 404
    assert client.get("/api/v1/products").json()["total"] == 0


def test_product_update_stale_archive_and_restore(client_as, hematologist, product) -> None:
    client = client_as(hematologist)
    url = f"/api/v1/products/{product.id}"
    updated = client.patch(url, json={"version": 1, "vial_sizes_iu": [2000, 500]})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["vial_sizes_iu"], updated.json()["version"]) == ([500, 2000], 2)
    stale = client.patch(url, json={"version": 1, "name": "Old"})
    assert stale.status_code == 409
    assert stale.json()["current"]["vial_sizes_iu"] == [500, 2000]
    assert client.patch(url, json={"version": 2, "vial_sizes_iu": []}).status_code == 422
    archived = client.post(f"{url}/archive", json={"version": 2, "reason": "withdrawn"})
    assert archived.status_code == 200
    assert client.get("/api/v1/products").json()["total"] == 0
    assert client.get("/api/v1/products", params={"archived": True}).json()["total"] == 1
    restored = client.post(f"{url}/restore", json={"version": 3})
    assert (restored.status_code, restored.json()["archived_at"]) == (200, None)


# --- regimens -------------------------------------------------------------------------------


def _regimen(product, **changes: Any) -> dict[str, Any]:
    # 500 IU at 25 IU/kg (a 20 kg child), three times a week: the programme's rule for A.
    return {
        "product_id": product.id,
        "dose_iu": 500,
        "dose_iu_per_kg": 25,
        "infusions_per_week": 3,
        "start_date": "2026-03-02",
    } | changes


def _regimens_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/regimens"


def test_hematologist_prescribes_programme_regimen_with_default_weekdays(
    client_as, hematologist, patient, product
) -> None:
    client = client_as(hematologist)
    created = client.post(_regimens_url(patient), json=_regimen(product))
    assert created.status_code == 201, created.text
    body = created.json()
    # Default weekdays for three a week: mon, wed, fri (the domain's convention).
    assert body["weekdays"] == ["mon", "wed", "fri"]
    assert (body["prescribed_by_id"], body["exception_reason"], body["version"]) == (
        hematologist.id,
        None,
        1,
    )
    assert client.get(f"/api/v1/regimens/{body['id']}").json() == body
    assert client.get(_regimens_url(patient)).json()["total"] == 1


@pytest.mark.parametrize(
    ("dose_iu_per_kg", "needs_reason"),
    [(19.9, True), (20, False), (25, False), (25.1, True)],
    ids=["19.9-below", "20-at-low", "25-at-high", "25.1-above"],
)
def test_dose_outside_20_to_25_iu_per_kg_needs_exception_reason(
    client_as, hematologist, patient, product, dose_iu_per_kg, needs_reason
) -> None:
    # REFERENCE.md section 1: 20 to 25 IU/kg per dose; documented exceptions otherwise.
    body = _regimen(product, dose_iu_per_kg=dose_iu_per_kg)
    response = client_as(hematologist).post(_regimens_url(patient), json=body)
    if needs_reason:
        assert response.status_code == 422, response.text
        assert [item["field"] for item in response.json()["fields"]] == ["exception_reason"]
        assert "outside the programme's 20-25" in response.json()["detail"]
    else:
        assert response.status_code == 201, response.text


def test_once_a_week_for_hemophilia_a_is_an_exception_with_a_reason(
    client_as, hematologist, patient, product
) -> None:
    client = client_as(hematologist)
    once = _regimen(product, infusions_per_week=1)
    refused = client.post(_regimens_url(patient), json=once)
    assert refused.status_code == 422
    field = refused.json()["fields"][0]
    assert field["field"] == "exception_reason"
    assert "infusions_per_week 1 differs from the programme's 3" in field["allowed"]
    allowed = client.post(
        _regimens_url(patient), json=once | {"exception_reason": "low body weight, MDT decision"}
    )
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["weekdays"] == ["mon"]


def test_hemophilia_b_twice_a_week_needs_a_factor_ix_product(
    client_as, db, centre, hematologist, product
) -> None:
    child_b = create_patient(db, centre, hemophilia_type="B")
    client = client_as(hematologist)
    wrong = client.post(_regimens_url(child_b), json=_regimen(product, infusions_per_week=2))
    assert wrong.status_code == 422
    assert [(f["field"], f["value"]) for f in wrong.json()["fields"]] == [("product_id", "VIII")]
    factor_ix = create_product(db, centre, name="FIX", factor="IX", recovery_iu_dl_per_iu_kg=1.0)
    ok = client.post(
        _regimens_url(child_b),
        json=_regimen(factor_ix, infusions_per_week=2, weekdays=["thu", "mon"]),
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["weekdays"] == ["mon", "thu"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weekdays": ["mon", "funday", "fri"]}, "weekdays[1]"),
        ({"weekdays": ["mon", "fri"]}, "weekdays"),
        ({"end_date": "2026-03-01"}, "end_date"),
        ({"dose_iu": 10000, "dose_iu_per_kg": 20}, "dose_iu"),
        ({"infusions_per_week": 8}, "infusions_per_week"),
        ({"product_id": 999999}, "product_id"),
    ],
    ids=[
        "unknown-weekday",
        "weekdays-count",
        "end-before-start",
        "implies-500-kg",
        "eight-a-week",
        "no-such-product",
    ],
)
def test_invalid_regimen_is_422_naming_the_field(
    client_as, hematologist, patient, product, db, changes, field
) -> None:
    response = client_as(hematologist).post(
        _regimens_url(patient), json=_regimen(product, **changes)
    )
    assert response.status_code == 422, response.text
    assert [item["field"] for item in response.json()["fields"]] == [field]
    assert db.scalars(select(RegimenRecord)).all() == []


def test_regimen_product_must_be_this_centres_and_not_archived(
    client_as, db, hematologist, patient, centre
) -> None:
    elsewhere = create_product(db, create_centre(db))
    withdrawn = create_product(db, centre)
    client = client_as(hematologist)
    archived = client.post(
        f"/api/v1/products/{withdrawn.id}/archive", json={"version": 1, "reason": "withdrawn"}
    )
    assert archived.status_code == 200
    for product in (elsewhere, withdrawn):
        response = client.post(_regimens_url(patient), json=_regimen(product))
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == "product_id"


def test_only_hematologist_prescribes(client_as, db, centre, patient, product) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(nurse).post(_regimens_url(patient), json=_regimen(product))
    assert (response.status_code, response.json()["error"]) == (403, "forbidden")


def test_regimen_update_rechecks_rule_stale_archive_restore(
    client_as, hematologist, patient, product
) -> None:
    client = client_as(hematologist)
    regimen = client.post(_regimens_url(patient), json=_regimen(product)).json()
    url = f"/api/v1/regimens/{regimen['id']}"
    refused = client.patch(url, json={"version": 1, "dose_iu_per_kg": 30})
    assert refused.status_code == 422
    assert refused.json()["fields"][0]["field"] == "exception_reason"
    ended = client.patch(url, json={"version": 1, "end_date": "2026-06-01"})
    assert (ended.status_code, ended.json()["version"]) == (200, 2)
    stale = client.patch(url, json={"version": 1, "end_date": "2026-07-01"})
    assert stale.status_code == 409
    assert stale.json()["current"]["end_date"] == "2026-06-01"
    assert client.post(f"{url}/archive", json={"version": 2, "reason": "typo"}).status_code == 200
    assert client.get(_regimens_url(patient)).json()["total"] == 0
    assert client.post(f"{url}/restore", json={"version": 3}).status_code == 200


def test_regimen_keeps_its_product_after_the_product_is_archived(
    client_as, hematologist, patient, product
) -> None:
    client = client_as(hematologist)
    regimen = client.post(_regimens_url(patient), json=_regimen(product)).json()
    archived = client.post(
        f"/api/v1/products/{product.id}/archive", json={"version": 1, "reason": "withdrawn"}
    )
    assert archived.status_code == 200
    # Ending the regimen is still possible; weekdays come back in week order, one version up.
    ended = client.patch(
        f"/api/v1/regimens/{regimen['id']}",
        json={"version": 1, "end_date": "2026-04-01", "weekdays": ["fri", "wed", "mon"]},
    )
    assert ended.status_code == 200, ended.text
    assert (ended.json()["version"], ended.json()["weekdays"]) == (2, ["mon", "wed", "fri"])


# --- infusions ------------------------------------------------------------------------------


def _infusion(product, **changes: Any) -> dict[str, Any]:
    return {
        "product_id": product.id,
        "lot": "A123",
        "given_at": "2026-03-04T18:00:00+08:00",
        "dose_iu": 500,
        "reason": "prophylaxis",
    } | changes


def _infusions_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/infusions"


def test_caregiver_logs_infusion_and_iu_per_kg_comes_from_latest_weight(
    client_as, db, centre, patient, product, hematologist
) -> None:
    create_weight(db, patient, hematologist, measured_date=date(2025, 12, 1), weight_kg=19)
    create_weight(db, patient, hematologist, measured_date=date(2026, 3, 1), weight_kg=20)
    create_weight(db, patient, hematologist, measured_date=date(2026, 3, 20), weight_kg=21)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, patient)
    client = client_as(parent)
    created = client.post(_infusions_url(patient), json=_infusion(product))
    assert created.status_code == 201, created.text
    body = created.json()
    # By hand: 500 IU / 20 kg (the weight of 1 March, the latest before 4 March) = 25.0 IU/kg.
    assert body["dose_iu_per_kg"] == 25.0
    assert (body["recorded_by_id"], body["reason"], body["lot"]) == (
        parent.id,
        "prophylaxis",
        "A123",
    )
    assert body["given_at"] == "2026-03-04T10:00:00Z"
    assert client.get(f"/api/v1/infusions/{body['id']}").json() == body
    # A new dose is re-derived: 750 IU / 20 kg = 37.5 IU/kg.
    updated = client.patch(f"/api/v1/infusions/{body['id']}", json={"version": 1, "dose_iu": 750})
    assert (updated.json()["dose_iu_per_kg"], updated.json()["version"]) == (37.5, 2)
    # Moved after the 20 March weight: 750 IU / 21 kg.
    moved = client.patch(
        f"/api/v1/infusions/{body['id']}",
        json={"version": 2, "given_at": "2026-03-20T08:00:00+00:00"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["dose_iu_per_kg"] == pytest.approx(750 / 21)


def test_without_an_earlier_weight_iu_per_kg_is_null_and_never_accepted(
    client_as, db, hematologist, patient, product
) -> None:
    create_weight(db, patient, hematologist, measured_date=date(2026, 3, 5), weight_kg=20)
    client = client_as(hematologist)
    created = client.post(_infusions_url(patient), json=_infusion(product))
    assert created.status_code == 201
    assert created.json()["dose_iu_per_kg"] is None  # the only weight is from the next day
    sent = client.post(_infusions_url(patient), json=_infusion(product, dose_iu_per_kg=25))
    assert sent.status_code == 422
    assert [item["field"] for item in sent.json()["fields"]] == ["dose_iu_per_kg"]


def test_infusion_for_a_bleed_must_name_a_bleed_of_the_same_patient(
    client_as, db, centre, hematologist, patient, product
) -> None:
    own = create_bleed(db, patient, hematologist)
    other = create_bleed(db, create_patient(db, centre), hematologist)
    client = client_as(hematologist)
    linked = client.post(
        _infusions_url(patient), json=_infusion(product, reason="bleed", bleed_id=own.id)
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["bleed_id"] == own.id
    foreign = client.post(
        _infusions_url(patient), json=_infusion(product, reason="bleed", bleed_id=other.id)
    )
    assert foreign.status_code == 422
    assert [(f["field"], f["value"]) for f in foreign.json()["fields"]] == [("bleed_id", other.id)]
    wrong_reason = client.post(_infusions_url(patient), json=_infusion(product, bleed_id=own.id))
    assert wrong_reason.status_code == 422
    assert "reason is 'prophylaxis'" in wrong_reason.json()["fields"][0]["message"]
    assert db.scalars(select(InfusionRecord)).all() == [db.get(InfusionRecord, linked.json()["id"])]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_at": "2026-03-04T18:00:00"}, "given_at"),
        ({"dose_iu": 0}, "dose_iu"),
        ({"reason": "sports"}, "reason"),
        ({"product_id": 999999}, "product_id"),
    ],
    ids=["naive-given-at", "zero-dose", "unknown-reason", "no-such-product"],
)
def test_invalid_infusion_is_422_naming_the_field(
    client_as, hematologist, patient, product, changes, field
) -> None:
    response = client_as(hematologist).post(
        _infusions_url(patient), json=_infusion(product, **changes)
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [item["field"] for item in body["fields"]] == [field]


def test_caregiver_gets_404_for_another_familys_child(
    client_as, db, centre, patient, product, hematologist
) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, parent, create_patient(db, centre))
    infusion = client_as(hematologist).post(_infusions_url(patient), json=_infusion(product)).json()
    client = client_as(parent)
    assert client.post(_infusions_url(patient), json=_infusion(product)).status_code == 404
    assert client.get(f"/api/v1/infusions/{infusion['id']}").status_code == 404
    assert client.get(_infusions_url(patient)).status_code == 404


def test_infusion_list_stale_archive_restore_and_audit(
    client_as, db, hematologist, patient, product
) -> None:
    client = client_as(hematologist)
    first = client.post(_infusions_url(patient), json=_infusion(product)).json()
    later = client.post(
        _infusions_url(patient), json=_infusion(product, given_at="2026-03-06T18:00:00+08:00")
    ).json()
    page = client.get(_infusions_url(patient), params={"limit": 1}).json()
    assert (page["total"], [item["id"] for item in page["items"]]) == (2, [later["id"]])
    url = f"/api/v1/infusions/{first['id']}"
    assert client.patch(url, json={"version": 1, "lot": "B7"}).status_code == 200
    stale = client.patch(url, json={"version": 1, "lot": "C9"})
    assert (stale.status_code, stale.json()["current"]["lot"]) == (409, "B7")
    assert (
        client.post(f"{url}/archive", json={"version": 2, "reason": "duplicate"}).status_code == 200
    )
    assert client.get(_infusions_url(patient)).json()["total"] == 1
    assert client.post(f"{url}/restore", json={"version": 3}).status_code == 200
    actions = db.scalars(
        select(AuditEntryRecord.action)
        .where(AuditEntryRecord.entity == "infusion", AuditEntryRecord.entity_id == first["id"])
        .order_by(AuditEntryRecord.id)
    ).all()
    assert actions == ["create", "update", "archive", "restore"]
