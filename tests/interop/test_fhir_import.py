"""The FHIR R4B import: all or nothing, every problem named ``entry[N].Type.field``, a dry
run that writes nothing, and the export -> import -> export round trip.

Runs on SQLite and PostgreSQL (the ``db`` fixture; the CLI test on a fresh database of each).
The expected counts come from the seed (tests/support/fhir_builders.py): patient A has one
inhibitor result and two infusions, patient B one inhibitor result.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.cli import main
from hemojoint.domain.access import Role
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.models import (
    AuditEntryRecord,
    CentreRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    ProductRecord,
)
from hemojoint.services import fhir_export, fhir_import
from hemojoint.services.errors import PermissionDeniedError
from tests.support.builders import create_centre, create_user
from tests.support.fhir_builders import SeededCentre, seed_centre
from tests.support.operations_builders import BACKENDS, fresh_database

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CREATED = {"patients": 2, "inhibitor_results": 2, "infusions": 2}


def receiving_centre(session: Session, seeded: SeededCentre, code: str = "FHIR2") -> CentreRecord:
    """A fresh centre with a staff user and the same product (by name and factor) as the seed's."""
    centre = create_centre(session, code=code)
    create_user(session, role=Role.HEMATOLOGIST, centre=centre, username=f"{code.lower()}doc")
    source = session.scalars(
        select(ProductRecord).where(ProductRecord.centre_id == seeded.centre.id)
    ).one()
    session.add(
        ProductRecord(
            centre_id=centre.id,
            name=source.name,
            factor=source.factor,
            vial_sizes_iu=list(source.vial_sizes_iu),
            recovery_iu_dl_per_iu_kg=source.recovery_iu_dl_per_iu_kg,
        )
    )
    session.flush()
    return centre


def export(session: Session, code: str) -> dict[str, Any]:
    username = "fhirdoc" if code == "FHIR1" else f"{code.lower()}doc"
    return fhir_export.export_centre(session, centre_code=code, username=username, now=NOW).bundle


def run_import(
    session: Session, document: Any, *, code: str = "FHIR2", dry_run: bool = False
) -> fhir_import.FhirImportReport:
    return fhir_import.import_bundle(
        session,
        document=document,
        file="bundle.json",
        centre_code=code,
        username=f"{code.lower()}doc",
        dry_run=dry_run,
    )


def count(session: Session, model: Any, centre: CentreRecord) -> int:
    query = select(func.count()).select_from(model)
    if model is PatientRecord:
        return int(session.scalar(query.where(PatientRecord.centre_id == centre.id)) or 0)
    query = query.join(PatientRecord, PatientRecord.id == model.patient_id)
    return int(session.scalar(query.where(PatientRecord.centre_id == centre.id)) or 0)


def comparable(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The imported kinds, with ids, study ids and patient references replaced by position.

    ``dosage.text`` is dropped: it carries IU/kg, which the registry derives from a
    recorded weight, and weights are not part of the bundle.
    """
    resources = [entry["resource"] for entry in bundle["entry"]]
    order = {f"Patient/{r['id']}": n for n, r in enumerate(r for r in resources if _is_patient(r))}
    kept = []
    for resource in resources:
        if not _imported_kind(resource):
            continue
        same = copy.deepcopy(resource)
        same.pop("id")
        if _is_patient(resource):
            same["identifier"][0].pop("value")
        else:
            same["subject"] = order[same["subject"]["reference"]]
        same.get("dosage", {}).pop("text", None)
        kept.append(same)
    return kept


def _is_patient(resource: dict[str, Any]) -> bool:
    return bool(resource["resourceType"] == "Patient")


def _imported_kind(resource: dict[str, Any]) -> bool:
    if resource["resourceType"] in ("Patient", "MedicationAdministration"):
        return True
    category = resource.get("category", [{}])[0].get("coding", [{}])[0].get("code")
    return resource["resourceType"] == "Observation" and category == "laboratory"


@pytest.fixture
def seeded(db: Session) -> SeededCentre:
    return seed_centre(db)


def test_export_import_export_reproduces_patients_laboratory_and_infusions(
    db: Session, seeded: SeededCentre
) -> None:
    first = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    report = run_import(db, first)
    assert report.as_dict()["created"] == CREATED
    assert report.problems == []
    second = export(db, "FHIR2")
    assert (
        len(comparable(first)) == 2 + 2 + 2 + 2
    )  # patients, factor activity, inhibitors, infusions
    assert comparable(second) == comparable(first)
    # New patients take the study id as record number and say where their names came from.
    record_numbers = set(
        db.scalars(select(PatientRecord.record_number).where(PatientRecord.centre_id == centre.id))
    )
    assert record_numbers == {f"P{seeded.patient_a.id:06d}", f"P{seeded.patient_b.id:06d}"}
    imports = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.action == "import")).all()
    assert [entry.detail["created"] for entry in imports] == [CREATED]


def test_importing_the_same_bundle_twice_duplicates_nothing(
    db: Session, seeded: SeededCentre
) -> None:
    # The seed (tests/support/fhir_builders.py): 2 patients, 2 inhibitor results, 2 infusions.
    first = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    assert run_import(db, first).as_dict()["created"] == CREATED
    again = run_import(db, first).as_dict()
    # Second time: both patients matched by study id, every result and infusion unchanged.
    assert again["matched_patients"] == 2
    assert again["created"] == {"patients": 0, "inhibitor_results": 0, "infusions": 0}
    assert again["unchanged"] == {"inhibitor_results": 2, "infusions": 2}
    rows = [count(db, model, centre) for model in (PatientRecord, InhibitorResultRecord)]
    assert [*rows, count(db, InfusionRecord, centre)] == [2, 2, 2]


def test_a_changed_infusion_is_new_and_the_rest_unchanged(
    db: Session, seeded: SeededCentre
) -> None:
    first = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    run_import(db, first)
    changed = copy.deepcopy(first)
    infusion = changed["entry"][entry_of(changed, "MedicationAdministration")]["resource"]
    infusion["dosage"]["dose"]["value"] += 250  # another dose: not the same infusion
    again = run_import(db, changed).as_dict()
    assert again["created"] == {"patients": 0, "inhibitor_results": 0, "infusions": 1}
    assert again["unchanged"] == {"inhibitor_results": 2, "infusions": 1}
    assert count(db, InfusionRecord, centre) == 3


def test_dry_run_reports_what_would_be_created_and_writes_nothing(
    db: Session, seeded: SeededCentre
) -> None:
    first = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    summary = run_import(db, first, dry_run=True).as_dict()
    assert summary["would_create"] == CREATED
    assert summary["problems"] == []
    assert summary["skipped"]["QuestionnaireResponse"] == 4  # four assessments in the seed
    assert count(db, PatientRecord, centre) == 0
    assert count(db, InfusionRecord, centre) == 0
    assert (
        db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.action == "import")).all() == []
    )


def entry_of(bundle: dict[str, Any], resource_type: str, prefix: str = "") -> int:
    return next(
        n
        for n, entry in enumerate(bundle["entry"])
        if entry["resource"]["resourceType"] == resource_type
        and entry["resource"]["id"].startswith(prefix)
    )


def test_every_problem_is_named_and_nothing_is_written(db: Session, seeded: SeededCentre) -> None:
    bundle = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    infusion = entry_of(bundle, "MedicationAdministration")
    inhibitor = entry_of(bundle, "Observation", "inhibitor-")
    factor = entry_of(bundle, "Observation", "factor-activity-")
    bundle["entry"][infusion]["resource"]["medicationCodeableConcept"]["text"] = (
        "Unknown (factor VIII)"
    )
    del bundle["entry"][inhibitor]["resource"]["interpretation"]
    # 45 IU/dL is not hemophilia: PatientCreate allows below 40 (REFERENCE.md severity bands).
    bundle["entry"][factor]["resource"]["valueQuantity"]["value"] = 45
    with pytest.raises(fhir_import.FhirImportRejectedError, match="nothing was written") as caught:
        run_import(db, bundle)
    messages = caught.value.report.as_dict()["problems"]
    assert (
        f"entry[{inhibitor}].Observation.interpretation: needs exactly one of POS, NEG" in messages
    )
    assert any(m.startswith(f"entry[{factor}].Observation.valueQuantity: ") for m in messages)
    assert (
        f"entry[{infusion}].MedicationAdministration.medicationCodeableConcept: "
        "'Unknown (factor VIII)' is not a usable product of this centre" in messages
    )
    assert len(messages) == 3
    assert count(db, PatientRecord, centre) == 0
    assert count(db, InhibitorResultRecord, centre) == 0


def test_records_of_a_refused_patient_are_still_checked(db: Session, seeded: SeededCentre) -> None:
    bundle = export(db, "FHIR1")
    receiving_centre(db, seeded)
    factor = entry_of(bundle, "Observation", "factor-activity-")
    infusion = entry_of(bundle, "MedicationAdministration")
    bundle["entry"][factor]["resource"]["valueQuantity"]["value"] = 45
    bundle["entry"][infusion]["resource"]["reasonCode"][0]["coding"][0]["code"] = "nope"
    bundle["entry"][infusion]["resource"]["effectiveDateTime"] = "2026-01-06"  # no time zone
    with pytest.raises(fhir_import.FhirImportRejectedError) as caught:
        run_import(db, bundle)
    # The allowed values are InfusionCreate's reasons (schemas/prophylaxis.py).
    assert caught.value.report.as_dict()["problems"] == [
        f"entry[{factor}].Observation.valueQuantity: Input should be less than 40",
        f"entry[{infusion}].MedicationAdministration.effectiveDateTime: "
        "Input should have timezone info",
        f"entry[{infusion}].MedicationAdministration.reasonCode: "
        "Input should be 'prophylaxis', 'bleed' or 'pre_rehab'",
    ]


def test_a_resource_fhir_refuses_is_named_by_entry_and_field(
    db: Session, seeded: SeededCentre
) -> None:
    bundle = export(db, "FHIR1")
    receiving_centre(db, seeded)
    patient = entry_of(bundle, "Patient")
    bundle["entry"][patient]["resource"]["birthDate"] = "2020-13-01"
    with pytest.raises(fhir_import.FhirImportRejectedError) as caught:
        run_import(db, bundle)
    [message] = caught.value.report.as_dict()["problems"]
    assert message.startswith(f"entry[{patient}].Patient.birthDate: ")


def test_a_known_study_id_matches_and_must_agree(db: Session, seeded: SeededCentre) -> None:
    bundle = export(db, "FHIR1")
    centre = receiving_centre(db, seeded)
    only_patients = {
        **bundle,
        "entry": [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
        + [e for e in bundle["entry"] if e["resource"]["id"].startswith("factor-activity-")],
    }
    run_import(db, only_patients)
    again = run_import(db, only_patients)
    assert again.matched_patients == 2
    assert again.as_dict()["created"] == {"patients": 0, "inhibitor_results": 0, "infusions": 0}
    assert count(db, PatientRecord, centre) == 2
    changed = copy.deepcopy(only_patients)
    changed["entry"][0]["resource"]["birthDate"] = "2001-01-01"
    with pytest.raises(fhir_import.FhirImportRejectedError, match=r"entry\[0\].Patient.birthDate"):
        run_import(db, changed)


def test_a_family_user_may_not_import(db: Session, seeded: SeededCentre) -> None:
    create_user(db, role=Role.CAREGIVER, centre=seeded.centre, username="fhir1doc")
    with pytest.raises(PermissionDeniedError):
        run_import(db, export(db, "FHIR1"), code="FHIR1")


# --- the CLI ----------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            receiving_centre(session, seed_centre(session))
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def patients_of(url: str, code: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            centre = session.scalars(select(CentreRecord).where(CentreRecord.code == code)).one()
            return count(session, PatientRecord, centre)
    finally:
        engine.dispose()


def test_cli_imports_a_bundle_after_a_dry_run(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bundle.json"
    code, _, err = cli(
        capsys, "export", "fhir", "--out", str(out), "--centre", "FHIR1", "--as", "fhirdoc"
    )
    assert code == 0, err
    args = ("import", "fhir", str(out), "--centre", "FHIR2", "--as", "fhir2doc")
    code, stdout, err = cli(capsys, *args, "--dry-run")
    assert code == 0, err
    assert json.loads(stdout)["would_create"] == CREATED
    assert patients_of(database, "FHIR2") == 0
    code, stdout, err = cli(capsys, *args)
    assert code == 0, err
    assert json.loads(stdout)["created"] == CREATED
    assert patients_of(database, "FHIR2") == 2


def test_cli_rejects_a_bad_bundle_in_one_line_and_csv_kinds_still_work(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{}]}))
    code, _, err = cli(capsys, "import", "fhir", str(bad), "--centre", "FHIR2", "--as", "fhir2doc")
    assert code == 2
    assert "entry[0].resource: entry has no resource with a resourceType" in err
    assert err.count("\n") == 1
    csv = tmp_path / "patients.csv"
    csv.write_text(
        "record_number,given_name,family_name,birth_date,sex,hemophilia_type,"
        "factor_activity_iu_dl,prior_regimen\nR-1,Ana,Lee,2015-02-03,female,A,2,on_demand\n"
    )
    code, stdout, err = cli(
        capsys, "import", "patients", str(csv), "--centre", "FHIR2", "--as", "fhir2doc"
    )
    assert code == 0, err
    assert json.loads(stdout)["created"] == 1
