"""``hemojoint export csv|spss|redcap`` end to end, on a fresh seeded database (SQLite and
PostgreSQL) named by ``HEMOJOINT_DATABASE_URL``, as a user would run it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyreadstat
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.interop import tabular
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.models import AuditEntryRecord
from tests.support.export_builders import ExportWorld, seed_export_world
from tests.support.operations_builders import BACKENDS, fresh_database

TABLES = ["patients", "assessments", "bleeds", "infusions", "enrolments"]
ROWS = {"patients": 2, "assessments": 2, "bleeds": 1, "infusions": 1, "enrolments": 1}


@pytest.fixture(params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, ExportWorld]]:
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            world = seed_export_world(session)
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url, world


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_export_csv_writes_one_tidy_file_per_table(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _url, world = seeded
    out = tmp_path / "csv"
    result = run_cli("export", "csv", "--out", str(out), "--centre", "EXP", "--as", "exporter")
    assert result.code == 0, result.stderr
    summary = result.json()
    assert summary["rows"] == ROWS
    assert summary["omitted"] == []
    assert summary["identified"] is False
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    patients = read_csv(out / "patients.csv")
    assert [row["study_id"] for row in patients] == [
        tabular.study_id(world.severe.id),
        tabular.study_id(world.moderate.id),
    ]
    text = "".join(path.read_text(encoding="utf-8") for path in out.iterdir())
    for name in ("Ada", "Severe", "Ben", "Moderate", world.severe.record_number):
        assert name not in text.replace("severe", "").replace("moderate", "")
    assessments = read_csv(out / "assessments.csv")
    assert assessments[0]["hjhs_total"] == "12.0"
    assert assessments[0]["hjhs_swelling"] == "3.0"


def test_export_identified_includes_names(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _url, world = seeded
    out = tmp_path / "named"
    result = run_cli(
        "export", "csv", "--out", str(out), "--centre", "EXP", "--as", "exporter", "--identified"
    )
    assert result.code == 0, result.stderr
    first = read_csv(out / "patients.csv")[0]
    assert (first["given_name"], first["family_name"]) == ("Ada", "Severe")
    assert first["record_number"] == world.severe.record_number
    assert first["birth_date"] == "2016-05-17"


def test_export_spss_writes_labelled_sav_files(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "sav"
    result = run_cli("export", "spss", "--out", str(out), "--centre", "EXP", "--as", "exporter")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.sav" for t in TABLES)
    frame, meta = pyreadstat.read_sav(str(out / "assessments.sav"))
    assert meta.column_names_to_labels["hjhs_total"] == "HJHS 2.1 total (0-124, higher is worse)"
    assert meta.variable_value_labels["timepoint"][1.0] == "Baseline"
    assert frame["hjhs_total"].tolist() == [12.0, None] or frame["hjhs_total"].iloc[0] == 12.0
    assert len(frame) == ROWS["assessments"]


def test_export_redcap_writes_data_and_dictionary(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "redcap"
    result = run_cli("export", "redcap", "--out", str(out), "--centre", "EXP", "--as", "exporter")
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(f"{t}.csv" for t in TABLES), "data_dictionary.csv"])
    dictionary = read_csv(out / "data_dictionary.csv")
    exported = [
        (form, column) for form in TABLES for column in next(iter(read_csv(out / f"{form}.csv")))
    ]
    listed = [(row["Form Name"], row["Variable / Field Name"]) for row in dictionary]
    assert listed == exported
    assert read_csv(out / "patients.csv")[0]["severity"] == "1"  # severe


def test_export_leaves_audit_entries(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, _world = seeded
    assert (
        run_cli(
            "export", "csv", "--out", str(tmp_path / "a"), "--centre", "EXP", "--as", "exporter"
        ).code
        == 0
    )
    engine = make_engine(url)
    with Session(engine) as session:
        entities = session.scalars(
            select(AuditEntryRecord.entity).where(AuditEntryRecord.action == "export")
        ).all()
    engine.dispose()
    assert sorted(entities) == sorted(TABLES)


def test_unknown_user_is_a_one_line_error(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "export", "csv", "--out", str(tmp_path / "x"), "--centre", "EXP", "--as", "nobody"
    )
    assert result.code == 2
    assert result.stderr == "error: user 'nobody' does not exist or is archived\n"
    assert not (tmp_path / "x").exists()


def test_a_folder_with_files_is_refused(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "full"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_cli("export", "spss", "--out", str(out), "--centre", "EXP", "--as", "exporter")
    assert result.code == 2
    assert result.stderr == f"error: {out} exists and is not an empty folder\n"
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_format_must_be_known(run_cli, seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "export", "xlsx", "--out", str(tmp_path / "x"), "--centre", "EXP", "--as", "exporter"
    )
    assert result.code == 2
    assert "invalid choice: 'xlsx'" in result.stderr
