"""REDCap export: the data dictionary lists every exported column with REDCap's type,
validation and choices; the flat file holds the coded values the dictionary defines.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session

from hemojoint.interop import redcap, tabular
from hemojoint.services import exports
from tests.support.export_builders import TODAY, ExportWorld, seed_export_world

# The header of a data dictionary downloaded from REDCap (Project Setup > Data Dictionary).
REDCAP_HEADER = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]


@pytest.fixture
def world(db: Session) -> ExportWorld:
    return seed_export_world(db)


def collect(db: Session, *, identified: bool) -> exports.Export:
    actor = exports.exporter(db, centre_code="EXP", username="exporter")
    return exports.collect(db, actor, identified=identified, today=TODAY)


def dictionary(export: exports.Export) -> dict[tuple[str, str], dict[str, str]]:
    reader = csv.DictReader(io.StringIO(redcap.dictionary_text(export.tables), newline=""))
    assert reader.fieldnames == REDCAP_HEADER
    return {(row["Form Name"], row["Variable / Field Name"]): row for row in reader}


def test_dictionary_lists_every_exported_column(db: Session, world: ExportWorld) -> None:
    export = collect(db, identified=True)
    fields = dictionary(export)
    assert list(fields) == [(t.name, name) for t in export.tables for name in t.column_names]


def test_field_types_validation_and_choices(db: Session, world: ExportWorld) -> None:
    fields = dictionary(collect(db, identified=True))
    severity = fields["patients", "severity"]
    assert severity["Field Type"] == "dropdown"
    assert severity["Choices, Calculations, OR Slider Labels"] == (
        "1, Severe | 2, Moderate | 3, Mild"
    )
    assert fields["patients", "hemophilia_type"]["Choices, Calculations, OR Slider Labels"] == (
        "1, Hemophilia A | 2, Hemophilia B"
    )
    timepoint = fields["assessments", "timepoint"]["Choices, Calculations, OR Slider Labels"]
    assert timepoint == "1, Baseline | 2, Week 6 | 3, Week 12 | 4, Follow up | 5, Other"
    assert fields["patients", "synthetic"]["Field Type"] == "yesno"
    assert fields["patients", "synthetic"]["Choices, Calculations, OR Slider Labels"] == ""
    hjhs = fields["assessments", "hjhs_total"]
    assert (hjhs["Field Type"], hjhs["Text Validation Type OR Show Slider Number"]) == (
        "text",
        "number",
    )
    assert (hjhs["Text Validation Min"], hjhs["Text Validation Max"]) == ("0", "124")
    assert hjhs["Field Label"] == "HJHS 2.1 total (0-124, higher is worse)"
    validation = "Text Validation Type OR Show Slider Number"
    assert fields["patients", "birth_date"][validation] == "date_ymd"
    assert fields["bleeds", "started_at"][validation] == "datetime_ymd"
    assert fields["bleeds", "hospital_days"][validation] == "integer"
    assert fields["bleeds", "study_id"][validation] == ""
    identifiers = [name for (form, name), row in fields.items() if row["Identifier?"] == "y"]
    assert identifiers == ["record_number", "given_name", "family_name", "birth_date"]


def test_pseudonymous_dictionary_has_no_identifier_fields(db: Session, world: ExportWorld) -> None:
    fields = dictionary(collect(db, identified=False))
    assert not [key for key, row in fields.items() if row["Identifier?"] == "y"]
    assert ("patients", "given_name") not in fields


def test_flat_file_holds_the_codes_the_dictionary_defines(db: Session, world: ExportWorld) -> None:
    export = collect(db, identified=False)
    fields = dictionary(export)
    bleeds = next(t for t in export.tables if t.name == "bleeds")
    (row,) = csv.DictReader(io.StringIO(redcap.data_text(bleeds), newline=""))
    site_choices = dict(
        choice.split(", ", 1)
        for choice in fields["bleeds", "site"]["Choices, Calculations, OR Slider Labels"].split(
            " | "
        )
    )
    assert site_choices[row["site"]] == "Right iliopsoas"
    assert row["bleed_type"] == "2"  # spontaneous=1, traumatic=2 (enum order)
    assert row["femoral_neuropathy"] == "1"
    assert row["started_at"] == "2026-02-10 08:30"
    assert row["neuropathy_recovery_date"] == "2026-03-20"
    assert row["treatment_ended_at"] == ""
    assert row["study_id"] == tabular.study_id(world.moderate.id)
