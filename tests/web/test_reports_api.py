"""GET /api/v1/reports/outcomes and GET /api/v1/exports/fhir (SQLite and PostgreSQL).

The outcome cohort is tests/support/outcome_builders.py (centre OUT1). Expected values
from R 4.2.2, as in tests/services/test_outcomes.py:
    b <- c(6, 4, 8, 5, 10, 3); a <- c(2, 3, 2, 5, 3, 1)   # HJHS total
    t.test(a, b, paired=TRUE)  # t -2.911, P 0.0334; mean ± SD b 6.00 ± 2.61, a 2.67 ± 1.37
The FHIR seed is tests/support/fhir_builders.py (centre FHIR1: two patients exported).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, UserRecord
from hemojoint.services.outcomes import CohortFilter
from hemojoint.services.outcomes_report_data import outcomes_report_data
from tests.support.builders import create_centre, create_user
from tests.support.fhir_builders import seed_centre
from tests.support.outcome_builders import seed_cohort
from tests.support.outcome_filter_builders import seed_filter_cohort

URL = "/api/v1/reports/outcomes"
FILTERS = {"from": "2026-01-01", "to": "2026-12-31"}
Client = Callable[[UserRecord], TestClient]


@pytest.fixture
def cohort(db: Session) -> dict[str, Any]:
    return seed_cohort(db)


@pytest.fixture
def staff(cohort: dict[str, Any]) -> UserRecord:
    user: UserRecord = cohort["staff"]
    return user


def entry(body: dict[str, Any], outcome: str) -> dict[str, Any]:
    return next(item for item in body["outcomes"] if item["outcome"] == outcome)


def test_json_is_the_cli_report_and_matches_r(
    client_as: Client, staff: UserRecord, db: Session
) -> None:
    response = client_as(staff).get(URL, params=FILTERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert entry(body, "hjhs_total")["row"] == {
        "outcome": "hjhs_total",
        "baseline": "6.00 ± 2.61",
        "follow_up": "2.67 ± 1.37",
        "statistic": "-2.911",
        "p": "0.033",
    }
    # The centre defaults to the caller's; OUT-09 (enrolled 2025) is left out by the dates.
    assert body["filter"]["centre"] == "OUT1"
    assert body["cohort"]["patients"] == 7
    # The same document `hemojoint report outcomes --format json` writes (same function).
    same = CohortFilter("OUT1", date(2026, 1, 1), date(2026, 12, 31))
    assert body == outcomes_report_data(db, same).report


def test_the_request_is_audited_as_the_caller(
    client_as: Client, staff: UserRecord, db: Session
) -> None:
    assert client_as(staff).get(URL, params=FILTERS).status_code == 200
    entries = db.scalars(
        select(AuditEntryRecord).where(
            AuditEntryRecord.entity == "outcomes", AuditEntryRecord.user_id == staff.id
        )
    ).all()
    assert [(e.action, e.detail["filter"]["centre"]) for e in entries] == [("report", "OUT1")]


def test_html_report_is_inline_with_a_filename(client_as: Client, staff: UserRecord) -> None:
    response = client_as(staff).get(URL, params={**FILTERS, "format": "html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('inline; filename="outcomes-OUT1-')
    assert disposition.endswith('.html"')
    assert "6.00 ± 2.61" in response.text


def test_pdf_report_is_an_attachment(client_as: Client, staff: UserRecord) -> None:
    response = client_as(staff).get(URL, params={**FILTERS, "format": "pdf"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="outcomes-')
    assert response.content.startswith(b"%PDF-")


def test_another_centre_is_not_found(client_as: Client, staff: UserRecord) -> None:
    response = client_as(staff).get(URL, params={"centre": "OUT2"})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.json()["detail"] == "centre OUT2 was not found"


def test_family_may_not_read_a_cohort(
    client_as: Client, cohort: dict[str, Any], db: Session
) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=cohort["centre"])
    response = client_as(caregiver).get(URL)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-01", "to": "2026-04-30"}, "to"),
        ({"format": "docx"}, "format"),
        ({"from": "2026-13-01"}, "from"),
    ],
    ids=["to-before-from", "unknown-format", "bad-date"],
)
def test_bad_filters_are_422_naming_the_field(
    client_as: Client, staff: UserRecord, params: dict[str, str], field: str
) -> None:
    response = client_as(staff).get(URL, params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert [item["field"] for item in body["fields"]] == [field]


def test_fhir_export_is_a_validated_collection_bundle(client_as: Client, db: Session) -> None:
    seeded = seed_centre(db)
    response = client_as(seeded.staff).get("/api/v1/exports/fhir")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["content-disposition"].startswith('attachment; filename="hemojoint-')
    bundle = Bundle.model_validate(response.json())  # parses back with fhir.resources R4B
    assert bundle.type == "collection"
    patients = [e for e in response.json()["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 2  # patient A and B of FHIR1; the outsider is another centre's
    exported = db.scalars(
        select(AuditEntryRecord.patient_id).where(
            AuditEntryRecord.action == "export", AuditEntryRecord.user_id == seeded.staff.id
        )
    ).all()
    assert sorted(exported) == sorted([seeded.patient_a.id, seeded.patient_b.id])


def test_family_may_not_export(client_as: Client, db: Session) -> None:
    seeded = seed_centre(db)
    caregiver = create_user(db, role=Role.CAREGIVER, centre=seeded.centre)
    response = client_as(caregiver).get("/api/v1/exports/fhir")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_reports_need_authentication(client: TestClient, db: Session) -> None:
    create_centre(db, code="NOAUTH")
    assert client.get(URL).status_code == 401
    assert client.get("/api/v1/exports/fhir").status_code == 401


# --- patient filters (tests/support/outcome_filter_builders.py, centre FLT1) ---------------------


@pytest.fixture
def filter_staff(db: Session) -> UserRecord:
    user: UserRecord = seed_filter_cohort(db)["staff"]
    return user


def test_severity_filter_analyses_the_severe_patients(
    client_as: Client, filter_staff: UserRecord
) -> None:
    response = client_as(filter_staff).get(URL, params={"severity": "severe"})
    assert response.status_code == 200
    body = response.json()
    # Severe (factor < 1 IU/dL): F-01, F-02, F-03 -> n = 3; HJHS 10, 8, 12 -> 4, 6, 5.
    # By hand: baseline 10 ± 2, week 12 5 ± 1; changes -6, -2, -7: mean -5, sd sqrt(7),
    # t = -5 / (sqrt(7) / sqrt(3)) = -3.273; R t.test(..., paired=TRUE) P 0.08201.
    assert body["cohort"]["patients"] == 3
    assert body["cohort"]["filters"] == {"severity": ["severe"]}
    assert entry(body, "hjhs_total")["row"] == {
        "outcome": "hjhs_total",
        "baseline": "10.00 ± 2.00",
        "follow_up": "5.00 ± 1.00",
        "statistic": "-3.273",
        "p": "0.082",
    }


@pytest.mark.parametrize(
    ("params", "patients"),
    [
        # Repeated: moderate (F-04 1 IU/dL, F-05 5 IU/dL) or mild (F-06 5.1 IU/dL).
        ([("severity", "moderate"), ("severity", "mild")], 3),
        ([("hemophilia_type", "B")], 2),  # F-02, F-05
        ([("prior_regimen", "prophylaxis")], 3),  # F-02, F-04, F-06
        ([("age_band", "12_and_over")], 3),  # F-02 (14), F-03 (12 that day), F-06 (14)
        ([("age_band", "under_12"), ("hemophilia_type", "A")], 2),  # F-01 (9), F-04 (11)
        ([("hemophilia_type", "")], 6),  # the form's "any"
    ],
    ids=["moderate-or-mild", "type-b", "prophylaxis", "12-and-over", "under-12-type-a", "any"],
)
def test_each_filter_counts_the_patients_by_hand(
    client_as: Client, filter_staff: UserRecord, params: list[tuple[str, str]], patients: int
) -> None:
    response = client_as(filter_staff).get(URL, params=params)
    assert response.status_code == 200
    assert response.json()["cohort"]["patients"] == patients


def test_the_filters_are_in_the_audit_and_the_printed_methods(
    client_as: Client, filter_staff: UserRecord, db: Session
) -> None:
    params = {"severity": "severe", "age_band": "12_and_over", "format": "html"}
    response = client_as(filter_staff).get(URL, params=params)
    assert response.status_code == 200
    limited = "severity severe; age band at the enrolment start 12_and_over"
    assert f"The cohort was limited to patients with {limited}." in response.text
    assert f'<td id="patient-filters">{limited}</td>' in response.text
    audited = db.scalars(
        select(AuditEntryRecord.detail).where(
            AuditEntryRecord.entity == "outcomes", AuditEntryRecord.user_id == filter_staff.id
        )
    ).all()
    assert [(d["filter"]["severity"], d["filter"]["age_band"]) for d in audited] == [
        (["severe"], "12_and_over")
    ]


def test_bad_filter_values_are_one_422_naming_each(
    client_as: Client, filter_staff: UserRecord
) -> None:
    params = [("severity", "severe"), ("severity", "grave"), ("hemophilia_type", "C")]
    params += [("prior_regimen", "on demand"), ("age_band", "teen")]
    response = client_as(filter_staff).get(URL, params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert body["fields"] == [
        {
            "field": "severity",
            "value": "grave",
            "allowed": "severe, moderate, mild",
            "message": "severity: 'grave' is not one of severe, moderate, mild",
        },
        {
            "field": "hemophilia_type",
            "value": "C",
            "allowed": "A, B",
            "message": "hemophilia_type: 'C' is not one of A, B",
        },
        {
            "field": "prior_regimen",
            "value": "on demand",
            "allowed": "on_demand, prophylaxis",
            "message": "prior_regimen: 'on demand' is not one of on_demand, prophylaxis",
        },
        {
            "field": "age_band",
            "value": "teen",
            "allowed": "under_12, 12_and_over",
            "message": "age_band: 'teen' is not one of under_12, 12_and_over",
        },
    ]
