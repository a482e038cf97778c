"""The permission matrix, cell by cell through the API, and its page in the docs.

For every role, every record type that has routes today, read and write, the
request is made against a record in four scopes:

- ``own``: a patient of the user's centre (staff) or the user's linked child (family);
- ``other_centre``: a patient of another centre;
- ``other_family``: a patient of the user's centre linked to another family;
- ``unlinked``: a patient of the user's centre with no family link.

Expected: role allowed and record visible -> 2xx; visible but role not allowed ->
403; not visible -> 404 (exactly as a missing record). The expected cells are
written out below from issue 3's text, NOT computed with ``is_allowed``, so a
mistake in the code's matrix shows up as a failing cell.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hemojoint.domain.access import RecordType, Role
from hemojoint.persistence.models import (
    CentreRecord,
    ConsentRecord,
    InfusionRecord,
    PatientRecord,
    RegimenRecord,
)
from hemojoint.services import permissions
from tests.support import probes_alerts, probes_home, probes_mdt, probes_programme, probes_tele
from tests.support.admin_builders import (
    api_operations,
    create_inhibitor_result,
    create_weight,
)
from tests.support.builders import create_centre, create_user
from tests.support.permission_world import (
    Probe,
    Request,
    World,
    add,
    assessment_probe,
    child_probe,
    patient_in_scope,
)
from tests.support.prophylaxis_builders import create_bleed, create_product

# --- the expected matrix, from issue 3 ---------------------------------------------------------
# Issue 3: "sonographers write ultrasound, therapists HJHS and rehab, hematologists
# prophylaxis, infusions and inhibitor results, nurses CHO-KLAT and education;
# caregivers read their own children's summaries and write their home logs, bleed
# reports and infusions; nobody outside a centre sees its patients."
# Where the issue is silent, the cell follows the decision recorded in docs/permissions.md
# (marked "doc"), typed here by hand.

ALL = frozenset(Role)
STAFF = frozenset(
    {Role.HEMATOLOGIST, Role.REHAB_PHYSICIAN, Role.THERAPIST, Role.SONOGRAPHER, Role.NURSE}
)
FAMILY = frozenset({Role.CAREGIVER, Role.PATIENT})
REHAB = frozenset({Role.THERAPIST, Role.REHAB_PHYSICIAN})

# record type -> (who may read, who may write)
EXPECTED: dict[str, tuple[frozenset[Role], frozenset[Role]]] = {
    # doc: the admin desk, hematologists and nurses register children; everyone reads (scoped).
    "patient": (ALL, frozenset({Role.ADMIN, Role.HEMATOLOGIST, Role.NURSE})),
    "inhibitor": (ALL, frozenset({Role.HEMATOLOGIST})),  # issue: hematologists
    "weight": (ALL, STAFF),  # doc: any clinician weighs a child
    "hjhs": (ALL, REHAB),  # issue: therapists HJHS and rehab
    "ultrasound": (ALL, frozenset({Role.SONOGRAPHER})),  # issue: sonographers
    "choklat": (ALL, frozenset({Role.NURSE})),  # issue: nurses CHO-KLAT
    "xray": (ALL, frozenset({Role.HEMATOLOGIST, Role.REHAB_PHYSICIAN})),  # doc
    "function": (ALL, REHAB),  # issue: therapists ... rehab (FISH is a rehab measure)
    "bleed": (ALL, STAFF | FAMILY),  # issue: caregivers write bleed reports
    "infusion": (ALL, frozenset({Role.HEMATOLOGIST, Role.NURSE}) | FAMILY),  # issue
    "regimen": (ALL, frozenset({Role.HEMATOLOGIST})),  # issue: hematologists prophylaxis
    "consent": (ALL, frozenset({Role.ADMIN, Role.NURSE, Role.HEMATOLOGIST})),  # doc
    "family_link": (ALL - FAMILY, frozenset({Role.ADMIN, Role.NURSE})),  # brief: admin or nurse
    "product": (ALL, frozenset({Role.ADMIN, Role.HEMATOLOGIST})),  # doc
    "user": (frozenset({Role.ADMIN}), frozenset({Role.ADMIN})),  # brief: admin only
    "audit": (frozenset({Role.ADMIN}), frozenset()),  # issue: admins query it; nobody edits
    # Issue 4 (and section 1 of REFERENCE.md): therapists plan and run the rehab, families log
    # home sessions and send check-ins, nurses assign education, hematologists clear joints.
    "enrolment": (ALL, REHAB),
    "rehab_plan": (ALL, REHAB),  # issue 4: "Therapists can edit everything"
    "weekly_review": (ALL, REHAB),
    "clearance": (ALL, frozenset({Role.HEMATOLOGIST})),  # issue 4: "until a hematologist clears it"
    "home_log": (ALL, FAMILY),  # issue 4: "Caregivers log each home session"
    "check_in": (ALL, FAMILY),  # issue 4: photos and videos from parents
    "check_in_review": (ALL, REHAB),  # issue 4: "therapists review and answer"
    "online_session": (ALL, REHAB),
    "message": (ALL, STAFF | FAMILY),
    "adverse_event": (ALL, STAFF),  # doc
    "education": (ALL, frozenset({Role.NURSE})),  # issue 4: "assigned by the nurse"
    "education_receipt": (ALL, FAMILY),  # issue 4: "and marked read"
    "mdt": (ALL - FAMILY, STAFF),  # doc: case discussions are the team's
    # Issue 5 brief: the centre's clinicians read triage alerts; hematologist, nurse, rehab
    # physician and therapist acknowledge them; families (advised directly) and admins: none.
    "alert": (
        STAFF,
        frozenset({Role.HEMATOLOGIST, Role.NURSE, Role.REHAB_PHYSICIAN, Role.THERAPIST}),
    ),
}

SCOPES = ("own", "other_centre", "other_family", "unlinked")


def expected_status(role: Role, record_type: str, action: str, scope: str) -> int | str:
    visible = scope == "own" or (role not in FAMILY and scope in ("other_family", "unlinked"))
    if not visible:
        return 404
    readers, writers = EXPECTED[record_type]
    allowed = role in (writers if action == "write" else readers | writers)
    return "2xx" if allowed else 403


def _seed_regimen(world: World, patient: PatientRecord) -> RegimenRecord:
    return add(
        world,
        RegimenRecord(
            patient_id=patient.id,
            product_id=world.product(patient).id,
            dose_iu=500,
            dose_iu_per_kg=25,
            infusions_per_week=3,
            weekdays=["mon", "wed", "fri"],
            start_date=date(2026, 3, 2),
            prescribed_by_id=world.author(patient).id,
        ),
    )


def _seed_infusion(world: World, patient: PatientRecord) -> InfusionRecord:
    return add(
        world,
        InfusionRecord(
            patient_id=patient.id,
            product_id=world.product(patient).id,
            given_at=datetime(2026, 3, 4, 10, tzinfo=UTC),
            dose_iu=500,
            reason="prophylaxis",
            recorded_by_id=world.author(patient).id,
        ),
    )


def _seed_consent(world: World, patient: PatientRecord) -> ConsentRecord:
    record = ConsentRecord(
        patient_id=patient.id, kind="research", given_by="mother", given_date=date(2026, 1, 12)
    )
    return add(world, record)


PROBES: list[Probe] = [
    Probe(
        "patient",
        ("PATCH", "/api/v1/patients/{patient_id}"),
        seed=lambda _world, patient: f"/api/v1/patients/{patient.id}",
        write=lambda _world, patient: ("PATCH", f"/api/v1/patients/{patient.id}", {"version": 1}),
    ),
    child_probe(
        "weight",
        "weights",
        lambda world, patient: create_weight(world.db, patient, world.author(patient)),
        lambda _w, _p: {"measured_date": "2026-03-01", "weight_kg": 20},
    ),
    child_probe(
        "inhibitor",
        "inhibitor-results",
        lambda world, patient: create_inhibitor_result(world.db, patient, world.author(patient)),
        lambda _w, _p: {"sample_date": "2026-03-01", "titre_bu_ml": 0.0, "positive": False},
    ),
    assessment_probe("hjhs", "hjhs"),
    assessment_probe("ultrasound", "head_us"),
    assessment_probe("choklat", "choklat"),
    assessment_probe("xray", "pettersson"),
    assessment_probe("function", "fish"),
    child_probe(
        "bleed",
        "bleeds",
        lambda world, patient: create_bleed(world.db, patient, world.author(patient)),
        lambda _w, _p: {
            "site": "left_knee",
            "bleed_type": "traumatic",
            "started_at": "2026-03-05T10:00:00+00:00",
            "findings": ["joint_swelling"],
        },
    ),
    child_probe(
        "infusion",
        "infusions",
        _seed_infusion,
        lambda world, patient: {
            "product_id": world.product(patient).id,
            "given_at": "2026-03-04T18:00:00+08:00",
            "dose_iu": 500,
            "reason": "prophylaxis",
        },
    ),
    child_probe(
        "regimen",
        "regimens",
        _seed_regimen,
        # 500 IU at 25 IU/kg for a 20 kg child, three times a week (the programme's rule).
        lambda world, patient: {
            "product_id": world.product(patient).id,
            "dose_iu": 500,
            "dose_iu_per_kg": 25,
            "infusions_per_week": 3,
            "start_date": "2026-03-02",
        },
    ),
    child_probe(
        "consent",
        "consents",
        _seed_consent,
        lambda _w, _p: {"kind": "research", "given_by": "mother", "given_date": "2026-01-12"},
    ),
    Probe(
        "family_link",
        ("POST", "/api/v1/patients/{patient_id}/family-links"),
        seed=lambda _world, patient: f"/api/v1/patients/{patient.id}/family-links",
        write=lambda world, patient: (
            "POST",
            f"/api/v1/patients/{patient.id}/family-links",
            {
                "user_id": create_user(
                    world.db, role=Role.CAREGIVER, centre=world.centre_of(patient)
                ).id,
                "relationship": "guardian",
            },
        ),
    ),
]

# Each area of the programme keeps its probes beside its own builders.
PROBES += [
    *probes_programme.PROBES,
    *probes_home.PROBES,
    *probes_tele.PROBES,
    *probes_mdt.PROBES,
    *probes_alerts.PROBES,
]
OPERATIONS = api_operations()
LIVE_PROBES = [probe for probe in PROBES if probe.route in OPERATIONS]


def _request(client: TestClient, request: Request) -> int:
    method, url, body = request
    return client.request(method, url, json=body).status_code


def _outcome(status: int) -> int | str:
    return "2xx" if 200 <= status < 300 else status


def _world(db: Session, role: Role) -> World:
    home, away = create_centre(db), create_centre(db)
    return World(db, home, away, create_user(db, role=role, centre=home))


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("probe", LIVE_PROBES, ids=lambda probe: probe.record_type)
def test_patient_record_cells(client_as, db, probe: Probe, role: Role) -> None:
    """One role against one record type: read and write, in each of the four scopes."""
    world = _world(db, role)
    requests: dict[tuple[str, str], Request] = {}
    for scope in SCOPES:
        patient = patient_in_scope(world, scope)
        requests["read", scope] = ("GET", probe.seed(world, patient), None)
        requests["write", scope] = probe.write(world, patient)
    client = client_as(world.actor)
    actual = {cell: _outcome(_request(client, request)) for cell, request in requests.items()}
    expected = {
        (action, scope): expected_status(role, probe.record_type, action, scope)
        for action, scope in requests
    }
    assert actual == expected


def test_every_patient_record_type_has_a_probe() -> None:
    probed = {probe.record_type for probe in PROBES}
    centre_level = {"product", "user", "audit"}  # tested below: they belong to no patient
    assert probed | centre_level == {record_type.value for record_type in RecordType}


def test_the_main_patient_records_have_routes() -> None:
    # The rows the registry cannot do without; the rest join LIVE_PROBES as routes appear.
    live = {probe.record_type for probe in LIVE_PROBES}
    assert {"patient", "weight", "inhibitor", "family_link"} <= live


# --- records of a centre rather than a patient: own centre vs another centre -------------------


def _centre_requests(world: World, record_type: str, centre: CentreRecord) -> dict[str, Request]:
    db = world.db
    if record_type == "product":
        product = create_product(db, centre)
        url = f"/api/v1/products/{product.id}"
    else:
        user = create_user(db, role=Role.NURSE, centre=centre)
        url = f"/api/v1/users/{user.id}"
    return {"read": ("GET", url, None), "write": ("PATCH", url, {"version": 1})}


CENTRE_LEVEL = [
    record_type
    for record_type, route in (
        ("product", ("GET", "/api/v1/products/{product_id}")),
        ("user", ("GET", "/api/v1/users/{user_id}")),
    )
    if route in OPERATIONS
]


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("record_type", CENTRE_LEVEL)
def test_centre_record_cells(client_as, db, record_type: str, role: Role) -> None:
    world = _world(db, role)
    own = _centre_requests(world, record_type, world.home)
    elsewhere = _centre_requests(world, record_type, world.away)
    client = client_as(world.actor)
    actual = {}
    for action in ("read", "write"):
        actual[action, "own"] = _outcome(_request(client, own[action]))
        actual[action, "other_centre"] = _outcome(_request(client, elsewhere[action]))
    readers, writers = EXPECTED[record_type]
    expected = {
        ("read", "own"): "2xx" if role in readers | writers else 403,
        ("read", "other_centre"): 404,
        ("write", "own"): "2xx" if role in writers else 403,
        ("write", "other_centre"): 404,
    }
    assert actual == expected


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_audit_cell(client_as, db, role: Role) -> None:
    actor = create_user(db, role=role, centre=create_centre(db))
    status = client_as(actor).get("/api/v1/audit").status_code
    readers, _writers = EXPECTED["audit"]
    assert _outcome(status) == ("2xx" if role in readers else 403)


def test_nobody_writes_the_audit_log() -> None:
    assert EXPECTED["audit"][1] == frozenset()
    assert {method for method, path in OPERATIONS if path.startswith("/api/v1/audit")} == {"GET"}


# --- the matrix as served and as documented ----------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_expected_table_matches_the_code_matrix_row_by_row() -> None:
    # Both sides written independently: a difference is a decision to make, not a typo to copy.
    served = {row.record_type: (set(row.read), set(row.write)) for row in permissions.rows()}
    written = {name: (set(read | write), set(write)) for name, (read, write) in EXPECTED.items()}
    assert served == written


def test_committed_doc_equals_the_generated_matrix() -> None:
    committed = DOC.read_text(encoding="utf-8")
    assert permissions.with_current_table(committed) == committed, (
        "docs/permissions.md is stale: run "
        "`.venv/bin/python -m hemojoint.services.permissions docs/permissions.md`"
    )


def test_markdown_table_renders_cells_from_the_rows() -> None:
    lines = permissions.markdown_table().splitlines()
    assert lines[0] == (
        "| record type | admin | hematologist | rehab_physician | therapist | sonographer"
        " | nurse | caregiver | patient |"
    )
    rows = {line.split(" | ")[0].strip("| `"): line for line in lines[2:]}
    # Issue 3: sonographers write ultrasound; everyone reads it (family only their child).
    assert rows["ultrasound"] == "| `ultrasound` | R | R | R | R | RW | R | R | R |"
    # Issue 3: admins query the audit log; nobody may write it.
    assert rows["audit"] == "| `audit` | R | - | - | - | - | - | - | - |"
    assert len(rows) == len(RecordType)


def test_with_current_table_replaces_only_between_the_markers() -> None:
    stale = f"intro\n{permissions.TABLE_START}\nold table\n{permissions.TABLE_END}\noutro\n"
    fresh = permissions.with_current_table(stale)
    assert fresh.startswith(f"intro\n{permissions.TABLE_START}\n| record type |")
    assert fresh.endswith(f"|\n{permissions.TABLE_END}\noutro\n")
    assert "old table" not in fresh


def test_with_current_table_refuses_a_document_without_markers() -> None:
    with pytest.raises(ValueError, match="lacks the markers"):
        permissions.with_current_table("no markers here")


def test_permission_matrix_is_served_to_signed_in_users(client_as, db) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=create_centre(db))
    response = client_as(caregiver).get("/api/v1/permissions")
    assert response.status_code == 200
    rows = {row["record_type"]: row for row in response.json()}
    assert rows["bleed"]["write"] == [role.value for role in Role if role is not Role.ADMIN]
    assert rows["user"] == {"record_type": "user", "read": ["admin"], "write": ["admin"]}
