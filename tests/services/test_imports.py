"""CSV import: every row checked like an API request; one bad row and nothing is written.

Runs on SQLite and PostgreSQL through the ``db`` fixture. Row numbers are as a
spreadsheet shows them: the header is row 1, the first patient row 2.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.models import (
    AuditEntryRecord,
    BleedRecord,
    CentreRecord,
    InfusionRecord,
    PatientRecord,
    ProductRecord,
    UserRecord,
    WeightRecord,
)
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.imports import ImportKind, ImportRejectedError, import_csv
from hemojoint.services.operations import OperationRefusedError
from tests.support.builders import create_centre, create_patient, create_user

PATIENT_HEADER = (
    "record_number,given_name,family_name,birth_date,sex,hemophilia_type,"
    "factor_activity_iu_dl,prior_regimen"
)
GOOD_PATIENTS = [
    "R1,Ann,Ash,2015-02-03,male,A,0.5,prophylaxis",
    "R2,Ben,Birch,2016-03-04,male,B,3,on_demand",
    "R3,Cas,Cedar,2017-04-05,male,A,12,prophylaxis",
    "R4,Dov,Dale,2018-05-06,male,B,0.9,prophylaxis",
    "R5,Eli,Elm,2019-06-07,female,A,30,on_demand",
]


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def centre(db: Session) -> CentreRecord:
    return create_centre(db, code="IMP", name="Import Centre")


@pytest.fixture
def doctor(db: Session, centre: CentreRecord) -> UserRecord:
    return create_user(db, role=Role.HEMATOLOGIST, centre=centre, username="importer")


def run(
    db: Session, kind: ImportKind, text: str, *, dry_run: bool = False, username: str = "importer"
):  # type: ignore[no-untyped-def]
    return import_csv(
        db,
        kind=kind,
        text=text,
        file="in.csv",
        centre_code="IMP",
        username=username,
        dry_run=dry_run,
    )


def test_a_valid_patients_file_creates_every_row_with_severity_and_audit(
    db: Session, doctor: UserRecord
) -> None:
    report = run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, GOOD_PATIENTS))

    assert report.as_dict() == {
        "kind": "patients",
        "file": "in.csv",
        "dry_run": False,
        "rows_read": 5,
        "created": 5,
        "problems": [],
    }
    patients = db.scalars(select(PatientRecord).order_by(PatientRecord.record_number)).all()
    # Severity from REFERENCE.md: <1 IU/dL severe, 1-5 moderate, >5-<40 mild.
    assert [p.severity.value for p in patients] == ["severe", "moderate", "mild", "severe", "mild"]
    entries = db.scalars(
        select(AuditEntryRecord).where(AuditEntryRecord.user_id == doctor.id)
    ).all()
    assert sorted(e.action for e in entries) == ["create"] * 5 + ["import"]
    assert {e.address for e in entries} == {"cli-import"}
    summary = next(e for e in entries if e.action == "import")
    assert summary.detail == {
        "file": "in.csv",
        "rows": 5,
        "created_ids": report.created_ids,
    }


def test_a_failure_in_row_3_of_5_leaves_nothing_behind(db: Session, doctor: UserRecord) -> None:
    rows = list(GOOD_PATIENTS)
    rows[2] = "R3,Cas,Cedar,2017-04-05,boy,A,12,prophylaxis"  # data row 3 = spreadsheet row 4

    with pytest.raises(
        ImportRejectedError,
        match=r"nothing was written: row 4, sex: Input should be 'male', 'female' or 'other'$",
    ):
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, rows))

    assert count(db, PatientRecord) == 0
    assert count(db, AuditEntryRecord) == 0


def test_every_bad_row_is_reported_with_its_field(db: Session, doctor: UserRecord) -> None:
    rows = [
        GOOD_PATIENTS[0],
        "R2,Ben,Birch,2016-13-04,male,B,3,on_demand",  # month 13
        "",  # a blank line still counts as a spreadsheet row
        "R3,Cas,Cedar,2017-04-05,male,A,40,prophylaxis",  # 40 IU/dL is normal, not hemophilia
        "R1,Dup,Dale,2018-05-06,male,B,0.9,",  # record number taken by row 2; no regimen
    ]

    with pytest.raises(ImportRejectedError) as caught:
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, rows))

    assert caught.value.report.as_dict()["problems"] == [
        "row 3, birth_date: Input should be a valid date or datetime, month value is outside expected range of 1-12",
        "row 5, factor_activity_iu_dl: Input should be less than 40",
        "row 6, prior_regimen: Field required",
    ]
    assert count(db, PatientRecord) == 0


def test_a_record_number_already_in_the_centre_names_row_and_field(
    db: Session, centre: CentreRecord, doctor: UserRecord
) -> None:
    create_patient(db, centre, record_number="R4")

    with pytest.raises(ImportRejectedError, match=r"row 5, record_number: 'R4' is already used"):
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, GOOD_PATIENTS))
    assert count(db, PatientRecord) == 1


def test_a_dry_run_reports_and_writes_nothing(db: Session, doctor: UserRecord) -> None:
    report = run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, GOOD_PATIENTS), dry_run=True)

    assert report.as_dict()["would_create"] == 5
    assert report.as_dict()["rows_read"] == 5
    assert count(db, PatientRecord) == 0
    assert count(db, AuditEntryRecord) == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (PATIENT_HEADER + ",nickname", r"row 1, nickname: unknown column; allowed: record_number,"),
        (PATIENT_HEADER.replace(",sex", ""), r"row 1, sex: required column is missing"),
    ],
    ids=["unknown-column", "missing-column"],
)
def test_the_header_is_checked_before_any_row(
    db: Session, doctor: UserRecord, header: str, message: str
) -> None:
    with pytest.raises(ImportRejectedError, match=message):
        run(db, ImportKind.PATIENTS, csv_text(header, ["x"]))


def test_a_row_with_more_cells_than_the_header_is_refused(db: Session, doctor: UserRecord) -> None:
    rows = [GOOD_PATIENTS[0], GOOD_PATIENTS[1] + ",extra"]

    with pytest.raises(ImportRejectedError, match=r"row 3: 9 cells but the header has 8 columns$"):
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, rows))
    assert count(db, PatientRecord) == 0


def test_an_empty_file_is_refused(db: Session, doctor: UserRecord) -> None:
    with pytest.raises(ImportRejectedError, match="row 1: file is empty"):
        run(db, ImportKind.PATIENTS, "")


def test_the_importer_must_belong_to_the_centre(db: Session, centre: CentreRecord) -> None:
    other = create_centre(db, code="ELSEWHERE", name="Elsewhere")
    create_user(db, role=Role.HEMATOLOGIST, centre=other, username="outsider")

    with pytest.raises(OperationRefusedError, match="'outsider' does not belong to centre IMP"):
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, GOOD_PATIENTS), username="outsider")


def test_the_permission_matrix_applies_to_imports(db: Session, centre: CentreRecord) -> None:
    # Therapists do not write patients (domain/access.py, issue 3).
    create_user(db, role=Role.THERAPIST, centre=centre, username="therapist")

    with pytest.raises(PermissionDeniedError, match="therapist may not write patient"):
        run(db, ImportKind.PATIENTS, csv_text(PATIENT_HEADER, GOOD_PATIENTS), username="therapist")


BLEED_HEADER = "patient_record_number,site,bleed_type,started_at,findings,femoral_neuropathy,neuropathy_recovery_date"


def test_bleeds_name_their_patient_and_are_triaged(
    db: Session, centre: CentreRecord, doctor: UserRecord
) -> None:
    patient = create_patient(db, centre, record_number="B1")
    rows = [
        "B1,left_knee,spontaneous,2024-03-01T08:00:00+00:00,joint_swelling;joint_pain,,",
        "B1,left_iliopsoas,traumatic,2024-04-01T08:00:00+01:00,groin_pain; thigh_numbness,true,2024-05-01",
    ]

    report = run(db, ImportKind.BLEEDS, csv_text(BLEED_HEADER, rows))

    bleeds = db.scalars(select(BleedRecord).order_by(BleedRecord.id)).all()
    assert report.created_ids == [bleed.id for bleed in bleeds]
    assert [b.patient_id for b in bleeds] == [patient.id, patient.id]
    assert bleeds[1].findings == ["groin_pain", "thigh_numbness"]
    assert bleeds[1].neuropathy_recovery_date == date(2024, 5, 1)
    # REFERENCE.md section 4: a suspected iliopsoas bleed is an emergency.
    assert bleeds[1].urgency == "emergency"
    assert {b.reported_by_id for b in bleeds} == {doctor.id}


def test_bleed_rows_with_unknown_patients_or_broken_rules_are_all_reported(
    db: Session, centre: CentreRecord, doctor: UserRecord
) -> None:
    create_patient(db, centre, record_number="B1")
    other_centre = create_centre(db, code="OTHER", name="Other")
    create_patient(db, other_centre, record_number="B9")
    rows = [
        "B1,left_knee,spontaneous,2024-03-01T08:00:00+00:00,joint_swelling,,",
        "B9,left_knee,spontaneous,2024-03-01T08:00:00+00:00,,,",  # another centre's patient
        "B1,left_knee,spontaneous,2024-03-01T08:00:00+00:00,,false,2024-04-01",
        "B1,left_knee,spontaneous,2024-03-01T08:00:00,,,",  # no time zone
        "B1,left_knee,spontaneous,2024-03-01T08:00:00+00:00,sneezing,,",
    ]

    with pytest.raises(ImportRejectedError) as caught:
        run(db, ImportKind.BLEEDS, csv_text(BLEED_HEADER, rows))

    problems = caught.value.report.as_dict()["problems"]
    assert problems[0] == "row 3, patient_record_number: 'B9' is not a patient of this centre"
    assert problems[1].startswith(
        "row 4, neuropathy_recovery_date: '2024-04-01' is given but femoral_neuropathy is false"
    )
    assert problems[2] == "row 5, started_at: Input should have timezone info"
    assert problems[3].startswith("row 6, findings")
    assert "sneezing" in problems[3]
    assert len(problems) == 4
    assert count(db, BleedRecord) == 0


INFUSION_HEADER = "patient_record_number,product_id,lot,given_at,dose_iu,reason"


def test_infusions_get_iu_per_kg_from_the_recorded_weight(
    db: Session, centre: CentreRecord, doctor: UserRecord
) -> None:
    patient = create_patient(db, centre, record_number="I1")
    product = ProductRecord(
        centre_id=centre.id,
        name="FVIII",
        factor="VIII",
        vial_sizes_iu=[250, 500],
        recovery_iu_dl_per_iu_kg=2.0,
    )
    db.add_all(
        [
            product,
            WeightRecord(
                patient_id=patient.id,
                measured_date=date(2024, 1, 1),
                weight_kg=20.0,
                recorded_by_id=doctor.id,
            ),
        ]
    )
    db.flush()
    rows = [
        f"I1,{product.id},LOT-1,2024-03-01T08:00:00+00:00,500,prophylaxis",
        f"I1,{product.id},,2024-03-04T08:00:00+00:00,250,pre_rehab",
    ]

    run(db, ImportKind.INFUSIONS, csv_text(INFUSION_HEADER, rows))

    infusions = db.scalars(select(InfusionRecord).order_by(InfusionRecord.id)).all()
    # 500 IU / 20 kg = 25 IU/kg; 250 IU / 20 kg = 12.5 IU/kg.
    assert [i.dose_iu_per_kg for i in infusions] == [25.0, 12.5]
    assert [i.lot for i in infusions] == ["LOT-1", None]


def test_an_infusion_with_another_centres_product_rejects_the_file(
    db: Session, centre: CentreRecord, doctor: UserRecord
) -> None:
    create_patient(db, centre, record_number="I1")
    elsewhere = create_centre(db, code="FAR", name="Far")
    product = ProductRecord(
        centre_id=elsewhere.id,
        name="FIX",
        factor="IX",
        vial_sizes_iu=[500],
        recovery_iu_dl_per_iu_kg=1.0,
    )
    db.add(product)
    db.flush()

    with pytest.raises(
        ImportRejectedError, match=rf"row 2, product_id: {product.id} is not a usable product"
    ):
        run(
            db,
            ImportKind.INFUSIONS,
            csv_text(
                INFUSION_HEADER, [f"I1,{product.id},,2024-03-01T08:00:00+00:00,500,prophylaxis"]
            ),
        )
    assert count(db, InfusionRecord) == 0
