"""``hemojoint export fhir`` end to end on a database of its own (SQLite and PostgreSQL).

The database is seeded through a session and committed; the CLI then reads it through
``HEMOJOINT_DATABASE_URL`` exactly as for a user.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.models import AuditEntryRecord
from tests.support.builders import create_user
from tests.support.fhir_builders import SeededCentre, seed_centre
from tests.support.operations_builders import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def seeded_database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, SeededCentre]]:
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            seeded = seed_centre(session)
            create_user(session, role=Role.CAREGIVER, centre=seeded.centre, username="dad")
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url, seeded


def export_entries(url: str) -> list[AuditEntryRecord]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(AuditEntryRecord).where(AuditEntryRecord.action == "export")
            return list(session.scalars(query).all())
    finally:
        engine.dispose()


def test_export_writes_one_valid_collection_of_the_centre_only(
    run_cli, seeded_database: tuple[str, SeededCentre], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, seeded = seeded_database
    out = tmp_path / "bundle.json"
    done = run_cli("export", "fhir", "--out", str(out), "--centre", "FHIR1", "--as", "fhirdoc")
    assert done.code == 0, done.stderr
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert bundle.type == "collection"
    patients = sorted(
        e.resource.id for e in bundle.entry if e.resource.__class__.__name__ == "Patient"
    )
    assert patients == sorted(
        [f"patient-{seeded.patient_a.id}", f"patient-{seeded.patient_b.id}"]
    )  # the other centre's patient is not there
    summary = done.json()
    assert summary["out"] == str(out)
    assert summary["bundle_type"] == "collection"
    assert summary["patients"] == 2
    assert summary["resources"]["Observation"] == 8
    assert summary["resources"]["Flag"] == 2
    assert len(export_entries(url)) == 2


def test_a_family_user_is_refused_and_nothing_is_written(
    run_cli, seeded_database: tuple[str, SeededCentre], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, _seeded = seeded_database
    out = tmp_path / "bundle.json"
    done = run_cli("export", "fhir", "--out", str(out), "--centre", "FHIR1", "--as", "dad")
    assert done.code == 2
    assert done.stderr == "error: role caregiver may not export a centre's records\n"
    assert not out.exists()
    assert export_entries(url) == []


def test_an_unwritable_path_is_one_line_and_leaves_no_audit(
    run_cli, seeded_database: tuple[str, SeededCentre], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, _seeded = seeded_database
    out = tmp_path / "missing-folder" / "bundle.json"
    done = run_cli("export", "fhir", "--out", str(out), "--centre", "FHIR1", "--as", "fhirdoc")
    assert done.code == 2
    assert done.stderr.startswith(f"error: {out}: cannot be written")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert export_entries(url) == []


def test_an_unknown_centre_is_refused(
    run_cli, seeded_database: tuple[str, SeededCentre], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle.json"
    done = run_cli("export", "fhir", "--out", str(out), "--centre", "NOPE", "--as", "fhirdoc")
    assert done.code == 2
    assert done.stderr == "error: centre NOPE was not found\n"
    assert not out.exists()


def test_fhir_export_is_always_pseudonymous(
    run_cli, seeded_database: tuple[str, SeededCentre], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle.json"
    done = run_cli(
        "export", "fhir", "--out", str(out), "--centre", "FHIR1", "--as", "fhirdoc", "--identified"
    )
    assert done.code == 2
    assert done.stderr == "error: --identified: FHIR exports are always pseudonymous\n"
    assert not out.exists()
