"""CSV round trip of the research tables: export -> fresh database -> import -> export.

Runs through the CLI (``hemojoint export csv --identified`` and ``hemojoint import
export``) on two brand-new databases of each backend. The source is the export world
(tests/support/export_builders.py) plus one more bleed and one more infusion, so
bleeds with and without findings and infusions with and without a bleed travel.

The files are compared cell by cell, with two differences allowed and nothing else:
- ids are the database's own: study_id, bleed_id and infusion_id are renumbered by
  order of appearance in both exports before comparing (links must still agree);
- dose_iu_per_kg is derived from a recorded weight, which the export does not carry,
  so the re-imported infusions have none.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.cli import main
from hemojoint.domain.access import Role
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.models import BleedRecord, InfusionRecord, PatientRecord, ProductRecord
from tests.support.builders import create_centre, create_user
from tests.support.export_builders import seed_export_world
from tests.support.operations_builders import BACKENDS, fresh_database
from tests.support.prophylaxis_builders import create_bleed

TABLES = ("patients", "bleeds", "infusions")
RENUMBERED = ("study_id", "bleed_id", "infusion_id")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def seed_source(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        world = seed_export_world(session)
        create_bleed(  # a knee bleed with a finding, treated until the next day
            session,
            world.severe,
            world.exporter,
            started_at=datetime(2026, 3, 1, 7, 0, tzinfo=UTC),
            treatment_ended_at=datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
        )
        session.add(
            InfusionRecord(
                patient_id=world.severe.id,
                product_id=world.infusion.product_id,
                given_at=datetime(2026, 3, 3, 8, 0, tzinfo=UTC),
                dose_iu=500,
                reason="prophylaxis",
                recorded_by_id=world.exporter.id,
            )
        )
        session.commit()
    engine.dispose()


def prepare_target(source_url: str, url: str) -> None:
    """The receiving database: the centre, its user and the same products (same ids)."""
    source, target = make_engine(source_url), make_engine(url)
    with Session(source) as old, Session(target) as new:
        centre = create_centre(new, code="EXP", name="Export Centre")
        create_user(new, role=Role.HEMATOLOGIST, centre=centre, username="exporter")
        for product in old.scalars(select(ProductRecord).order_by(ProductRecord.id)):
            new.add(
                ProductRecord(
                    id=product.id,
                    centre_id=centre.id,
                    name=product.name,
                    factor=product.factor,
                    vial_sizes_iu=list(product.vial_sizes_iu),
                    recovery_iu_dl_per_iu_kg=product.recovery_iu_dl_per_iu_kg,
                )
            )
        new.commit()
    source.dispose()
    target.dispose()


@pytest.fixture
def databases(backend: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with fresh_database(backend, tmp_path) as source, fresh_database(backend, tmp_path) as target:
        seed_source(source)
        prepare_target(source, target)
        yield source, target


def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export_to(
    folder: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, url: str
) -> None:
    args = ("export", "csv", "--out", str(folder), "--centre", "EXP", "--as", "exporter")
    code, _, err = cli(capsys, mp, url, *args, "--identified")
    assert code == 0, err


def read_tables(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Each table's rows, ids renumbered by order of appearance and dose_iu_per_kg dropped."""
    numbers: dict[str, dict[str, str]] = {name: {} for name in RENUMBERED}
    tables = {}
    for name in TABLES:
        text = (folder / f"{name}.csv").read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        for row in rows:
            row.pop("dose_iu_per_kg", None)
            for column in RENUMBERED:
                if row.get(column):
                    seen = numbers[column]
                    row[column] = seen.setdefault(row[column], f"#{len(seen) + 1}")
        tables[name] = rows
    return tables


def rows_in(url: str) -> list[int]:
    engine = make_engine(url)
    with Session(engine) as session:
        counts = [
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (PatientRecord, BleedRecord, InfusionRecord)
        ]
    engine.dispose()
    return counts


def test_export_import_export_reproduces_patients_bleeds_and_infusions(
    databases: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = databases
    export_to(tmp_path / "first", capsys, monkeypatch, source)
    args = ("import", "export", str(tmp_path / "first"), "--centre", "EXP", "--as", "exporter")
    code, stdout, err = cli(capsys, monkeypatch, target, *args, "--dry-run")
    assert code == 0, err
    # The seed: 2 current patients of EXP, 2 bleeds, 2 infusions (archived and other-centre
    # patients are not exported).
    counts = {name: t["would_create"] for name, t in json.loads(stdout)["tables"].items()}
    assert counts == {"patients": 2, "bleeds": 2, "infusions": 2}
    assert rows_in(target) == [0, 0, 0]
    code, stdout, err = cli(capsys, monkeypatch, target, *args)
    assert code == 0, err
    assert rows_in(target) == [2, 2, 2]
    export_to(tmp_path / "second", capsys, monkeypatch, target)
    first, second = read_tables(tmp_path / "first"), read_tables(tmp_path / "second")
    assert [len(first[name]) for name in TABLES] == [2, 2, 2]
    assert second == first


def test_a_pseudonymous_export_is_refused_and_nothing_is_written(
    databases: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = databases
    folder = tmp_path / "pseudonymous"
    args = ("export", "csv", "--out", str(folder), "--centre", "EXP", "--as", "exporter")
    assert cli(capsys, monkeypatch, source, *args)[0] == 0
    args = ("import", "export", str(folder), "--centre", "EXP", "--as", "exporter")
    code, _, err = cli(capsys, monkeypatch, target, *args)
    assert code == 2
    assert "patients.csv: row 2: a pseudonymous export has no record_number" in err
    assert "export with --identified" in err
    assert rows_in(target) == [0, 0, 0]


def test_an_infusion_naming_an_unknown_bleed_is_named_and_nothing_is_written(
    databases: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, target = databases
    folder = tmp_path / "first"
    export_to(folder, capsys, monkeypatch, source)
    infusions = folder / "infusions.csv"
    rows = list(csv.DictReader(io.StringIO(infusions.read_text(encoding="utf-8"), newline="")))
    rows[0]["bleed_id"] = "999999"  # no such bleed_id in bleeds.csv
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    infusions.write_text(out.getvalue(), encoding="utf-8", newline="")
    args = ("import", "export", str(folder), "--centre", "EXP", "--as", "exporter")
    code, _, err = cli(capsys, monkeypatch, target, *args)
    assert code == 2
    assert "infusions.csv: row 2, bleed_id: '999999' is not a bleed of bleeds.csv" in err
    assert rows_in(target) == [0, 0, 0]
