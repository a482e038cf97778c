"""SPSS export: each .sav reads back with pyreadstat to the same values, variable labels and
value labels; dates are SPSS dates; coded variables are numbers 1..n in enum order.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy.orm import Session

from hemojoint.interop import spss, tabular
from hemojoint.interop.tabular import Kind, Table
from hemojoint.services import exports
from tests.support.export_builders import TODAY, seed_export_world


@pytest.fixture
def export(db: Session) -> exports.Export:
    seed_export_world(db)
    actor = exports.exporter(db, centre_code="EXP", username="exporter")
    return exports.collect(db, actor, identified=True, today=TODAY)


def write_and_read(table: Table, folder: Path) -> tuple[list[dict[str, object]], object]:
    path = folder / f"{table.name}.sav"
    spss.write_sav(table, path)
    frame, meta = pyreadstat.read_sav(str(path))
    return frame.to_dict("records"), meta


def expected(column: tabular.Column, value: object) -> object:
    """What SPSS holds: codes as 1..n, booleans 0/1, numbers as doubles, text as text."""
    if value is None:
        return "" if column.kind is Kind.TEXT else None
    if column.kind is Kind.CODED:
        return float(column.codes.index(str(value)) + 1)
    if column.kind in (Kind.BOOLEAN, Kind.INTEGER, Kind.NUMBER):
        return float(value)  # type: ignore[arg-type]
    return value


def read_value(value: object) -> object:
    if value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value


@pytest.mark.parametrize("name", ["patients", "assessments", "bleeds", "infusions", "enrolments"])
def test_every_table_reads_back_with_the_same_values_and_labels(
    export: exports.Export, tmp_path: Path, name: str
) -> None:
    table = next(t for t in export.tables if t.name == name)
    rows, meta = write_and_read(table, tmp_path)
    assert meta.column_names == table.column_names  # type: ignore[attr-defined]
    assert meta.column_names_to_labels == {c.name: c.label for c in table.columns}  # type: ignore[attr-defined]
    assert meta.file_label == table.label  # type: ignore[attr-defined]
    coded = [c for c in table.columns if c.kind in (Kind.CODED, Kind.BOOLEAN)]
    assert meta.variable_value_labels == {  # type: ignore[attr-defined]
        c.name: {float(k): v for k, v in c.value_labels().items()} for c in coded
    }
    assert len(rows) == len(table.rows)
    for read, original in zip(rows, table.rows, strict=True):
        assert {k: read_value(v) for k, v in read.items()} == {
            c.name: expected(c, original.get(c.name)) for c in table.columns
        }


def test_dates_are_spss_dates_and_instants_spss_datetimes(
    export: exports.Export, tmp_path: Path
) -> None:
    bleeds = next(t for t in export.tables if t.name == "bleeds")
    rows, meta = write_and_read(bleeds, tmp_path)
    formats = meta.original_variable_types  # type: ignore[attr-defined]
    assert formats["neuropathy_recovery_date"].startswith("DATE")
    assert formats["started_at"].startswith("DATETIME")
    assert rows[0]["neuropathy_recovery_date"] == date(2026, 3, 20)
    assert read_value(rows[0]["started_at"]) == datetime(2026, 2, 10, 8, 30)


def test_coded_values_are_labelled_numbers(export: exports.Export, tmp_path: Path) -> None:
    patients = next(t for t in export.tables if t.name == "patients")
    rows, meta = write_and_read(patients, tmp_path)
    labels = meta.variable_value_labels  # type: ignore[attr-defined]
    # Severity codes in enum order: severe=1, moderate=2, mild=3.
    assert [labels["severity"][row["severity"]] for row in rows] == ["Severe", "Moderate"]
    assert [labels["hemophilia_type"][row["hemophilia_type"]] for row in rows] == [
        "Hemophilia A",
        "Hemophilia B",
    ]
    assert meta.variable_measure["severity"] == "nominal"  # type: ignore[attr-defined]
    assert meta.variable_measure["factor_activity_iu_dl"] == "scale"  # type: ignore[attr-defined]
