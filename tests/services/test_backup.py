"""Backup and restore: a restored database equals the original, row by row, on both databases.

These tests need committed data in databases of their own (not the rolled-back
``db`` fixture): each builds fresh, migrated databases (see operations_builders).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.persistence.models import AuditEntryRecord, CentreRecord, PatientRecord
from hemojoint.services import backup
from hemojoint.services.operations import OperationRefusedError
from tests.support.builders import create_centre, create_patient
from tests.support.operations_builders import (
    BACKENDS,
    fresh_database,
    populate_every_table,
    table_rows,
)

NOW = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
NewDatabase = Callable[..., AbstractContextManager[str]]


@pytest.fixture(params=BACKENDS)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> NewDatabase:
    def make(*, migrate: bool = True) -> AbstractContextManager[str]:
        return fresh_database(request.param, tmp_path, migrate=migrate)

    return make


@pytest.fixture
def engines(new_database: NewDatabase) -> Iterator[tuple[Engine, Engine]]:
    """A source database and an empty target, both migrated."""
    with new_database() as source_url, new_database() as target_url:
        source, target = make_engine(source_url), make_engine(target_url)
        yield source, target
        source.dispose()
        target.dispose()


def fill(engine: Engine) -> None:
    with session_factory(engine)() as session:
        populate_every_table(session)
        session.commit()


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_restore_reproduces_every_table_row_by_row(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = engines
    fill(source)
    path = tmp_path / "registry.jsonl.gz"

    summary = backup.backup(source, path, now=NOW).as_dict()
    restored = backup.restore(target, path)

    assert summary["alembic_revision"] == backup.head_revision()
    assert restored["restored"] == summary["tables"]
    for table in backup.tables():
        original = table_rows(source, table.name)
        assert original, f"{table.name}: the builder must put a row in every table"
        assert table_rows(target, table.name) == original, table.name


def test_new_ids_continue_after_the_restored_ones(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = engines
    fill(source)
    backup.backup(source, tmp_path / "b.jsonl.gz", now=NOW)
    backup.restore(target, tmp_path / "b.jsonl.gz")
    highest = max(row["id"] for row in table_rows(target, "centres"))

    with session_factory(target)() as session:
        centre = create_centre(session, code="NEW", name="After restore")
        session.commit()

    assert centre.id == highest + 1  # PostgreSQL: the sequence was moved past restored ids


def test_backup_header_counts_rows_and_names_the_revision(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, _ = engines
    fill(source)
    path = tmp_path / "b.jsonl.gz"
    backup.backup(source, path, now=NOW)

    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()

    header = json.loads(lines[0])
    assert header["format"] == "hemojoint-backup"
    assert header["format_version"] == 1
    assert header["created_at"] == "2025-01-31T12:00:00+00:00"
    assert sum(header["tables"].values()) == len(lines) - 1
    assert header["tables"]["users"] == 2  # the builder adds a hematologist and a caregiver


def test_uncommitted_rows_of_another_connection_are_not_in_the_backup(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = engines
    fill(source)
    with session_factory(source)() as writer:
        centre = writer.scalars(select(CentreRecord)).one()
        create_patient(writer, centre, record_number="HALF-DONE")  # flushed, not committed
        writer.add(AuditEntryRecord(action="create", entity="patient"))
        writer.flush()

        backup.backup(source, tmp_path / "b.jsonl.gz", now=NOW)
        writer.commit()

    backup.restore(target, tmp_path / "b.jsonl.gz")
    assert count(source, PatientRecord) == 2
    assert count(target, PatientRecord) == 1
    assert count(target, AuditEntryRecord) == count(source, AuditEntryRecord) - 1


def test_writes_committed_while_the_backup_runs_are_not_in_it(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    """One snapshot: a patient committed after the first table was read stays out entirely."""
    source, target = engines
    fill(source)

    def commit_a_patient_after(table: str, _rows: int) -> None:
        if table != "centres":  # centres come first; patients are read later
            return
        with session_factory(source)() as writer:
            create_patient(writer, writer.scalars(select(CentreRecord)).one(), record_number="LATE")
            writer.add(AuditEntryRecord(action="create", entity="patient"))
            writer.commit()

    summary = backup.backup(
        source, tmp_path / "b.jsonl.gz", now=NOW, progress=commit_a_patient_after
    ).as_dict()
    backup.restore(target, tmp_path / "b.jsonl.gz")

    assert summary["tables"]["patients"] == 1
    assert count(source, PatientRecord) == 2
    assert count(target, PatientRecord) == 1
    assert count(target, AuditEntryRecord) == count(source, AuditEntryRecord) - 1


def test_restore_refuses_a_database_that_has_rows(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = engines
    fill(source)
    backup.backup(source, tmp_path / "b.jsonl.gz", now=NOW)
    with session_factory(target)() as session:
        create_centre(session, code="THERE", name="Already here")
        session.commit()

    with pytest.raises(OperationRefusedError, match=r"empty database.*tables have rows: centres$"):
        backup.restore(target, tmp_path / "b.jsonl.gz")
    assert [row["code"] for row in table_rows(target, "centres")] == ["THERE"]


def test_restore_refuses_a_database_that_was_never_migrated(
    engines: tuple[Engine, Engine], new_database: NewDatabase, tmp_path: Path
) -> None:
    source, _ = engines
    backup.backup(source, tmp_path / "b.jsonl.gz", now=NOW)
    with new_database(migrate=False) as url:
        bare = make_engine(url)
        with pytest.raises(OperationRefusedError, match="at revision None.*hemojoint db upgrade"):
            backup.restore(bare, tmp_path / "b.jsonl.gz")
        bare.dispose()


def test_backup_refuses_a_database_that_was_never_migrated(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    with new_database(migrate=False) as url:
        bare = make_engine(url)
        with pytest.raises(OperationRefusedError, match="revision None.*hemojoint db upgrade"):
            backup.backup(bare, tmp_path / "b.jsonl.gz", now=NOW)
        bare.dispose()
    assert not (tmp_path / "b.jsonl.gz").exists()


def test_a_truncated_backup_restores_nothing(
    engines: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = engines
    fill(source)
    path = tmp_path / "b.jsonl.gz"
    backup.backup(source, path, now=NOW)
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines[:-1]) + "\n")  # the last row (of the last table) is lost

    last_table = backup.tables()[-1].name
    with pytest.raises(OperationRefusedError, match=f"{last_table}: the header promises"):
        backup.restore(target, path)
    for table in backup.tables():
        assert table_rows(target, table.name) == [], table.name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip at all", "not a readable hemojoint backup"),
        (gzip.compress(b'{"hello": 1}\n'), "not a hemojoint backup"),
        (
            gzip.compress(b'{"format": "hemojoint-backup", "format_version": 99}\n'),
            "backup format 99 is not supported",
        ),
    ],
    ids=["not-gzip", "no-header", "future-format"],
)
def test_restore_refuses_a_file_it_cannot_read(
    engines: tuple[Engine, Engine], tmp_path: Path, content: bytes, message: str
) -> None:
    _, target = engines
    path = tmp_path / "odd.gz"
    path.write_bytes(content)

    with pytest.raises(OperationRefusedError, match=message):
        backup.restore(target, path)
