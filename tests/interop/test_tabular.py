"""Research tables from the registry: one row per record, the actor's centre only, no names
unless identified, and a tidy CSV that reads back to the same records.

Expected values come from the seeded records (tests/support/export_builders.py),
the HJHS subscores summed by hand from the items entered.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.domain.patients import Severity
from hemojoint.interop import tabular
from hemojoint.interop.tabular import Kind
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.services import exports
from hemojoint.services.errors import NotFoundError, PermissionDeniedError
from hemojoint.services.operations import OperationRefusedError
from tests.support.builders import create_centre, create_user
from tests.support.export_builders import EXPECTED_HJHS, TODAY, ExportWorld, seed_export_world

NAMES = {"Ada", "Severe", "Ben", "Moderate", "Cy", "Archived", "Dee", "Elsewhere"}


@pytest.fixture
def world(db: Session) -> ExportWorld:
    return seed_export_world(db)


def collect(db: Session, *, identified: bool = False) -> exports.Export:
    actor = exports.exporter(db, centre_code="EXP", username="exporter")
    return exports.collect(db, actor, identified=identified, today=TODAY)


def table(export: exports.Export, name: str) -> tabular.Table:
    return next(t for t in export.tables if t.name == name)


def test_every_table_holds_only_the_actors_centre_and_current_records(
    db: Session, world: ExportWorld
) -> None:
    export = collect(db)
    assert export.rows() == {
        "patients": 2,  # the archived patient and the other centre's patient are left out
        "assessments": 2,
        "bleeds": 1,  # the other centre's bleed is left out
        "infusions": 1,
        "enrolments": 1,
    }
    assert export.omitted == []
    ids = {row["study_id"] for t in export.tables for row in t.rows}
    assert ids == {tabular.study_id(world.severe.id), tabular.study_id(world.moderate.id)}


def test_research_export_has_no_names_record_numbers_or_birth_dates(
    db: Session, world: ExportWorld
) -> None:
    patients = table(collect(db), "patients")
    assert "given_name" not in patients.column_names
    assert "record_number" not in patients.column_names
    assert "birth_date" not in patients.column_names
    values = {str(value) for row in patients.rows for value in row.values()}
    assert not values & (NAMES | {world.severe.record_number, world.moderate.record_number})
    assert patients.rows[1] == {
        "study_id": tabular.study_id(world.moderate.id),
        "centre_code": "EXP",
        "birth_year": 2014,
        "sex": "male",
        "hemophilia_type": "B",
        "factor_activity_iu_dl": 3.0,
        "severity": "moderate",  # 1-5 IU/dL is moderate (WFH 2020)
        "prior_regimen": "on_demand",
        "synthetic": False,
    }


def test_identified_export_includes_names(db: Session, world: ExportWorld) -> None:
    patients = table(collect(db, identified=True), "patients")
    first = patients.rows[0]
    assert (first["given_name"], first["family_name"]) == ("Ada", "Severe")
    assert first["record_number"] == world.severe.record_number
    assert first["birth_date"] == date(2016, 5, 17)
    identifiers = [c.name for c in patients.columns if c.identifier]
    assert identifiers == ["record_number", "given_name", "family_name", "birth_date"]


def test_assessments_flatten_hjhs_total_and_subscores(db: Session, world: ExportWorld) -> None:
    hjhs, head_us = table(collect(db), "assessments").rows
    assert hjhs | EXPECTED_HJHS == hjhs
    assert hjhs["total"] == 12.0
    assert (hjhs["instrument_version"], hjhs["instrument_status"]) == ("2.1", "verified")
    assert (hjhs["assessed_date"], hjhs["timepoint"]) == (date(2026, 1, 12), "baseline")
    # HEAD-US: synovitis 1 + cartilage 2 + bone 0 = 3; no HJHS columns.
    assert head_us["total"] == 3.0
    assert all(head_us[name] is None for name in EXPECTED_HJHS)


def test_enrolment_row_carries_the_adherence_summary(db: Session, world: ExportWorld) -> None:
    (row,) = table(collect(db), "enrolments").rows
    assert row == {
        "enrolment_id": world.enrolment.id,
        "study_id": tabular.study_id(world.severe.id),
        "start_date": date(2026, 1, 5),
        "weeks": 12,
        "status": "enrolled",
        "ended_date": None,
        "adherence_weeks": 1,
        "adherence_sessions_done": 2,
        "adherence_sessions_prescribed": 3,
        "adherence_sessions_pct": 66.7,  # 2 of 3, by hand
        "adherence_minutes_pct": 66.7,  # 60 of 90 minutes
        "adherence_exercises_pct": 66.7,  # 2 of 3 ankle pumps
        "low_adherence": False,  # one week assessed: not yet a run of low weeks
    }


def test_each_exported_table_leaves_one_audit_entry(db: Session, world: ExportWorld) -> None:
    collect(db)
    entries = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.action == "export")).all()
    assert sorted(e.entity for e in entries) == sorted(
        ["patients", "assessments", "bleeds", "infusions", "enrolments"]
    )
    assert {e.address for e in entries} == {"cli-export"}
    patients = next(e for e in entries if e.entity == "patients")
    assert patients.detail == {"rows": 2, "identified": False}


def test_exporter_must_be_a_known_staff_user(db: Session, world: ExportWorld) -> None:
    with pytest.raises(OperationRefusedError, match="'nobody' does not exist"):
        exports.exporter(db, centre_code="EXP", username="nobody")
    other = create_centre(db, code="OTHER")
    create_user(db, role=Role.HEMATOLOGIST, centre=other, username="elsewhere")
    with pytest.raises(OperationRefusedError, match="'elsewhere' does not belong to centre EXP"):
        exports.exporter(db, centre_code="EXP", username="elsewhere")
    with pytest.raises(NotFoundError, match="NOPE"):
        exports.exporter(db, centre_code="NOPE", username="exporter")
    create_user(db, role=Role.CAREGIVER, centre=world.centre, username="parent")
    with pytest.raises(PermissionDeniedError, match="role caregiver may not export"):
        exports.exporter(db, centre_code="EXP", username="parent")


def test_value_labels_come_from_the_enums() -> None:
    columns = {c.name: c for c in tabular.patient_columns(identified=False)}
    severity = columns["severity"]
    assert severity.kind is Kind.CODED
    assert severity.codes == tuple(s.value for s in Severity)
    assert severity.value_labels() == {1: "Severe", 2: "Moderate", 3: "Mild"}
    assert columns["hemophilia_type"].value_labels() == {1: "Hemophilia A", 2: "Hemophilia B"}
    assert columns["prior_regimen"].value_labels() == {1: "On demand", 2: "Prophylaxis"}
    timepoint = next(c for c in tabular.ASSESSMENT_COLUMNS if c.name == "timepoint")
    assert timepoint.value_labels()[3] == "Week 12"
    assert tabular.code_label("right_iliopsoas") == "Right iliopsoas"


def test_hjhs_labels_state_range_and_direction() -> None:
    labels = {c.name: c for c in tabular.ASSESSMENT_COLUMNS}
    assert labels["hjhs_total"].label == "HJHS 2.1 total (0-124, higher is worse)"
    # The subscore maxima add up to the published total maximum.
    assert sum(labels[f"hjhs_{s}"].maximum or 0 for s in tabular.HJHS_SUBSCORE_MAX) == 124


def test_csv_reads_back_to_the_same_records(db: Session, world: ExportWorld) -> None:
    export = collect(db)
    bleeds = table(export, "bleeds")
    text = tabular.csv_text(bleeds.columns, bleeds.rows)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [
        {
            "bleed_id": str(world.bleed.id),
            "study_id": tabular.study_id(world.moderate.id),
            "site": "right_iliopsoas",
            "bleed_type": "traumatic",
            "started_at": "2026-02-10T08:30:00",
            "treatment_ended_at": "",
            "findings": "",
            "urgency": world.bleed.urgency,
            "hospital_days": "4",
            "femoral_neuropathy": "true",
            "neuropathy_recovery_date": "2026-03-20",
        }
    ]
    assessments = table(export, "assessments")
    back = list(
        csv.DictReader(io.StringIO(tabular.csv_text(assessments.columns, assessments.rows)))
    )
    assert [row["hjhs_total"] for row in back] == ["12.0", ""]
    assert [row["timepoint"] for row in back] == ["baseline", "week_12"]
    assert list(back[0]) == assessments.column_names
