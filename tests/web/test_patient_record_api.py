"""A patient's full record: sections per role, scope (404), audit, counts and query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from hemojoint.domain.access import RecordType, Role
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.services import patient_record as patient_record_service
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.patient_record_builders import (
    at,
    create_assessment,
    create_bleed,
    create_consent,
    create_inhibitor_result,
    create_product,
    create_regimen,
    create_weight,
    make_infusion,
)

ALL_SECTIONS = {
    "weights",
    "inhibitor_results",
    "assessments",
    "bleeds",
    "infusions",
    "regimens",
    "consents",
}
# Every role reads every chart record type of a patient in its scope: issue 3 gives
# staff their centre's charts and caregivers/patients their own children's
# (the matrix in hemojoint.domain.access, "_CHART" readers).
CHART_READERS = [
    Role.ADMIN,
    Role.HEMATOLOGIST,
    Role.REHAB_PHYSICIAN,
    Role.THERAPIST,
    Role.SONOGRAPHER,
    Role.NURSE,
]


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def hematologist(db, centre):
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


def fill_chart(db, centre, patient, by, rows_per_section: int = 2) -> None:
    """``rows_per_section`` rows of every kind, one year apart (the newest in 2026)."""
    product = create_product(db, centre)
    for years_back in range(rows_per_section):
        year = 2026 - years_back
        create_weight(db, patient, by, date(year, 1, 10), 20.0 + year - 2020)
        create_inhibitor_result(db, patient, by, date(year, 2, 1))
        create_assessment(db, patient, by, date(year, 3, 1))
        create_bleed(db, patient, by, at(f"{year}-04-01"))
        db.add(make_infusion(patient, product, by, at(f"{year}-05-01")))
        create_regimen(db, patient, product, by, date(year, 6, 1))
        create_consent(db, patient, date(year, 7, 1))
    db.flush()


def record_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/record"


def test_hematologist_reads_every_section_newest_first(
    client_as, db, centre, patient, hematologist
) -> None:
    fill_chart(db, centre, patient, hematologist)
    response = client_as(hematologist).get(record_url(patient))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["patient"]["id"] == patient.id
    assert set(body) == {"patient", "counts", "infusions_limit"} | ALL_SECTIONS
    assert body["counts"] == dict.fromkeys(ALL_SECTIONS, 2)
    assert [w["measured_date"] for w in body["weights"]] == ["2026-01-10", "2025-01-10"]
    assert [b["started_at"] for b in body["bleeds"]] == [
        "2026-04-01T08:00:00Z",
        "2025-04-01T08:00:00Z",
    ]
    assert [i["given_at"][:4] for i in body["infusions"]] == ["2026", "2025"]
    assert [r["start_date"] for r in body["regimens"]] == ["2026-06-01", "2025-06-01"]
    assert [c["given_date"] for c in body["consents"]] == ["2026-07-01", "2025-07-01"]
    assert [r["sample_date"] for r in body["inhibitor_results"]] == ["2026-02-01", "2025-02-01"]


def test_assessments_carry_the_result_but_not_raw_items(
    client_as, db, centre, patient, hematologist
) -> None:
    create_assessment(db, patient, hematologist, date(2026, 3, 1), timepoint="week_6", total=4.0)
    therapist = create_user(db, role=Role.THERAPIST, centre=centre)
    body = client_as(therapist).get(record_url(patient)).json()
    [assessment] = body["assessments"]
    assert set(assessment) == {
        "id",
        "version",
        "instrument_code",
        "instrument_version",
        "instrument_status",
        "assessed_date",
        "timepoint",
        "total",
    }
    assert assessment["instrument_code"] == "hjhs"
    assert assessment["timepoint"] == "week_6"
    assert assessment["total"] == 4.0


@pytest.mark.parametrize("role", CHART_READERS, ids=[role.value for role in CHART_READERS])
def test_each_staff_role_reads_the_whole_chart(client_as, db, centre, patient, role) -> None:
    user = create_user(db, role=role, centre=centre)
    response = client_as(user).get(record_url(patient))
    assert response.status_code == 200
    assert set(response.json()["counts"]) == ALL_SECTIONS


@pytest.mark.parametrize("role", [Role.CAREGIVER, Role.PATIENT], ids=["caregiver", "patient"])
def test_family_reads_own_childs_record(client_as, db, centre, patient, hematologist, role) -> None:
    fill_chart(db, centre, patient, hematologist, rows_per_section=1)
    parent = create_user(db, role=role, centre=centre)
    link_family(db, parent, patient)
    response = client_as(parent).get(record_url(patient))
    assert response.status_code == 200
    body = response.json()
    assert body["patient"]["record_number"] == patient.record_number
    assert body["counts"] == dict.fromkeys(ALL_SECTIONS, 1)


def test_other_family_and_other_centre_get_404_like_a_missing_patient(
    client_as, db, centre, patient
) -> None:
    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    revoked_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, revoked_parent, patient).revoked_at = at("2026-01-01")
    outsider = create_user(db, role=Role.HEMATOLOGIST, centre=create_centre(db))
    missing = client_as(outsider).get("/api/v1/patients/999999/record").json()
    for user in (other_parent, revoked_parent, outsider):
        response = client_as(user).get(record_url(patient))
        assert response.status_code == 404
        body = response.json()
        assert body == {
            "error": "not_found",
            "detail": f"patient {patient.id} was not found",
            "fields": [],
        }
        assert body["detail"].replace(str(patient.id), "999999") == missing["detail"]


def test_sections_the_role_may_not_read_are_left_out(
    client_as, db, centre, patient, hematologist, monkeypatch
) -> None:
    """The matrix lets every chart reader read every section today, so a stricter matrix
    is stood in to show the mechanism: no infusions, and only ultrasound assessments."""
    fill_chart(db, centre, patient, hematologist, rows_per_section=1)
    create_assessment(db, patient, hematologist, date(2026, 3, 2), instrument_code="head_us")
    denied = {RecordType.INFUSION, RecordType.HJHS}
    monkeypatch.setattr(
        patient_record_service, "is_allowed", lambda _role, _action, kind: kind not in denied
    )
    body = client_as(hematologist).get(record_url(patient)).json()
    assert "infusions" not in body
    assert "infusions" not in body["counts"]
    assert [a["instrument_code"] for a in body["assessments"]] == ["head_us"]
    assert body["counts"]["assessments"] == 1


def test_no_assessment_family_readable_leaves_assessments_out(
    client_as, db, centre, patient, hematologist, monkeypatch
) -> None:
    assessment_types = {
        RecordType.HJHS,
        RecordType.ULTRASOUND,
        RecordType.CHOKLAT,
        RecordType.XRAY,
        RecordType.FUNCTION,
    }
    monkeypatch.setattr(
        patient_record_service,
        "is_allowed",
        lambda _role, _action, kind: kind not in assessment_types,
    )
    body = client_as(hematologist).get(record_url(patient)).json()
    assert set(body["counts"]) == ALL_SECTIONS - {"assessments"}
    assert "assessments" not in body


def test_null_values_inside_items_are_kept(client_as, db, centre, patient, hematologist) -> None:
    create_bleed(db, patient, hematologist, at("2026-04-01"), urgency=None)
    body = client_as(hematologist).get(record_url(patient)).json()
    assert body["bleeds"][0]["urgency"] is None


def test_infusions_list_the_newest_200_and_count_all(
    client_as, db, centre, patient, hematologist
) -> None:
    product = create_product(db, centre)
    first = at("2025-01-01")
    db.add_all(
        make_infusion(patient, product, hematologist, first + timedelta(days=day))
        for day in range(205)
    )
    archived = make_infusion(patient, product, hematologist, first + timedelta(days=400))
    archived.archived_at = at("2026-03-01")
    db.add(archived)
    db.flush()
    body = client_as(hematologist).get(record_url(patient)).json()
    assert body["infusions_limit"] == 200
    assert len(body["infusions"]) == 200
    assert body["counts"]["infusions"] == 205  # the archived one is not counted
    # newest first: day 204 after 2025-01-01 is 2025-07-24
    assert body["infusions"][0]["given_at"] == "2025-07-24T08:00:00Z"
    assert body["infusions"][-1]["given_at"] == "2025-01-06T08:00:00Z"  # day 5


def test_archived_records_are_neither_listed_nor_counted(
    client_as, db, centre, patient, hematologist
) -> None:
    kept = create_weight(db, patient, hematologist, date(2026, 1, 1), 21.0)
    gone = create_weight(db, patient, hematologist, date(2026, 2, 1), 99.0)
    gone.archived_at = at("2026-02-02")
    db.flush()
    body = client_as(hematologist).get(record_url(patient)).json()
    assert [w["id"] for w in body["weights"]] == [kept.id]
    assert body["counts"]["weights"] == 1


def test_one_audit_entry_for_the_whole_read(client_as, db, centre, patient, hematologist) -> None:
    fill_chart(db, centre, patient, hematologist)
    client = client_as(hematologist)
    before = db.scalar(select(AuditEntryRecord.id).order_by(AuditEntryRecord.id.desc()).limit(1))
    assert client.get(record_url(patient)).status_code == 200
    entries = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.id > (before or 0))).all()
    assert [(e.action, e.entity, e.entity_id, e.patient_id) for e in entries] == [
        ("read_record", "patient", patient.id, patient.id)
    ]
    assert (entries[0].user_id, entries[0].role) == (hematologist.id, "hematologist")
    assert entries[0].address == "testclient"
    assert entries[0].detail == {"sections": sorted(ALL_SECTIONS)}


def count_selects(connection, client, url: str) -> int:
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    return len(statements)


def test_query_count_does_not_grow_with_the_chart(
    client_as, db, connection, centre, hematologist
) -> None:
    small, large = create_patient(db, centre), create_patient(db, centre)
    fill_chart(db, centre, small, hematologist, rows_per_section=1)
    fill_chart(db, centre, large, hematologist, rows_per_section=5)
    client = client_as(hematologist)
    assert count_selects(connection, client, record_url(small)) == count_selects(
        connection, client, record_url(large)
    )
