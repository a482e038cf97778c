"""Portable logical backups: every table, read in one snapshot, as gzip'd JSON lines.

Why logical and not a file copy: the same file restores into SQLite or
PostgreSQL, it can be taken while the server writes, and it can be inspected
with ``zcat``. The file is::

    {"format": "hemojoint-backup", "format_version": 1, "alembic_revision": ...,
     "created_at": ..., "database": "sqlite", "tables": {"centres": 2, ...}}
    {"table": "centres", "row": {"id": 1, "code": "C1", ...}}
    ...

one header line, then one line per row, tables in foreign-key order. Dates and
instants are ISO 8601 strings (instants in UTC), JSON columns stay JSON.

Consistency: all tables are read inside ONE read transaction. On SQLite (WAL
mode) a transaction's first read fixes its snapshot; on PostgreSQL the
transaction is REPEATABLE READ, READ ONLY. Rows another connection has not yet
committed, or commits while the backup runs, are not in it.

Restore goes only into an empty database migrated to the backup's revision,
all rows in one transaction (a failure leaves the database empty), and then
PostgreSQL's id sequences are moved past the restored ids.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Date, DateTime, Engine, Table, TypeDecorator
from sqlalchemy.exc import DBAPIError

from hemojoint.persistence import models  # noqa: F401  (registers every table)
from hemojoint.persistence.base import Base
from hemojoint.persistence.migrate import MIGRATIONS
from hemojoint.persistence.repositories import operations as queries
from hemojoint.services.operations import OperationRefusedError

FORMAT = "hemojoint-backup"
FORMAT_VERSION = 1
INSERT_BATCH = 500

# progress(table_name, rows_written), called after each table.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class BackupSummary:
    path: str
    header: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        tables: dict[str, int] = self.header["tables"]
        return {"path": self.path, **self.header, "rows": sum(tables.values())}


def tables() -> list[Table]:
    """Every table, parents before children (the order rows can be inserted in)."""
    return list(Base.metadata.sorted_tables)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def backup(
    engine: Engine, path: Path, *, now: datetime, progress: Progress | None = None
) -> BackupSummary:
    """Write a consistent backup of the database behind ``engine`` to ``path``.

    The file appears under its name only when complete (written aside, then renamed).
    """
    partial = path.with_name(path.name + ".partial")
    with _snapshot(engine) as connection:
        header = _header(connection, now)
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            out.write(json.dumps(header) + "\n")
            for table in tables():
                written = _write_table(connection, table, out)
                _check_count(table.name, header["tables"][table.name], written)
                if progress is not None:
                    progress(table.name, written)
    partial.replace(path)
    return BackupSummary(str(path), header)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            yield connection


def _header(connection: Connection, now: datetime) -> dict[str, Any]:
    revision = queries.current_revision(connection)
    if revision != head_revision():
        raise OperationRefusedError(
            f"the database is at revision {revision}, this hemojoint expects "
            f"{head_revision()}: run `hemojoint db upgrade` first"
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "alembic_revision": revision,
        "created_at": now.astimezone(UTC).isoformat(),
        "database": connection.dialect.name,
        "tables": {table.name: queries.count_rows(connection, table) for table in tables()},
    }


def _write_table(connection: Connection, table: Table, out: IO[str]) -> int:
    written = 0
    for row in queries.stream_rows(connection, table):
        encoded = {name: _encode(value) for name, value in row.items()}
        out.write(json.dumps({"table": table.name, "row": encoded}, ensure_ascii=False) + "\n")
        written += 1
    return written


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _check_count(table: str, expected: int, actual: int) -> None:
    # Counted and read in one snapshot, so they agree unless the snapshot is broken.
    if expected != actual:
        raise OperationRefusedError(f"{table}: counted {expected} rows but read {actual}")


# --- restore -------------------------------------------------------------------------


def restore(engine: Engine, path: Path) -> dict[str, Any]:
    """Load the backup at ``path`` into the empty, migrated database behind ``engine``."""
    with _open_backup(path) as lines:
        header = _read_header(path, lines)
        with engine.begin() as connection:
            _require_empty_at(connection, header["alembic_revision"])
            counts = _insert_all(connection, lines)
            for table, expected in header["tables"].items():
                _check_restored(table, expected, counts.get(table, 0))
            if connection.dialect.name == "postgresql":
                for table in tables():
                    queries.reset_sequence(connection, table)
    return {"path": str(path), "restored": counts, "rows": sum(counts.values()), **header}


@contextmanager
def _open_backup(path: Path) -> Iterator[Iterator[str]]:
    if not path.is_file():
        raise OperationRefusedError(f"{path}: no such file")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield lines
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OperationRefusedError(f"{path}: not a readable hemojoint backup ({error})") from error


def _read_header(path: Path, lines: Iterator[str]) -> dict[str, Any]:
    header = json.loads(next(lines, "{}"))
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise OperationRefusedError(f"{path}: not a hemojoint backup (no header line)")
    if header.get("format_version") != FORMAT_VERSION:
        raise OperationRefusedError(
            f"{path}: backup format {header.get('format_version')} is not supported "
            f"(this hemojoint reads format {FORMAT_VERSION})"
        )
    if header.get("alembic_revision") != head_revision():
        raise OperationRefusedError(
            f"{path}: the backup is at schema revision {header.get('alembic_revision')}, "
            f"this hemojoint at {head_revision()}: restore it with the hemojoint version "
            "that wrote it, then run `hemojoint db upgrade`"
        )
    return header


def _require_empty_at(connection: Connection, revision: str) -> None:
    current = queries.current_revision(connection)
    if current != revision:
        raise OperationRefusedError(
            f"the target database is at revision {current}, the backup at {revision}: "
            "restore into a new, empty database after `hemojoint db upgrade`"
        )
    filled = [table.name for table in tables() if queries.count_rows(connection, table)]
    if filled:
        raise OperationRefusedError(
            "restore only goes into an empty database, and these tables have rows: "
            + ", ".join(filled)
        )


def _insert_all(connection: Connection, lines: Iterator[str]) -> dict[str, int]:
    """Insert every row line in batches, in file order (which is foreign-key order)."""
    by_name = {table.name: table for table in tables()}
    counts: dict[str, int] = {}
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    for number, line in enumerate(lines, start=2):
        name, row = _parse_row(line, number, by_name)
        table = by_name[name]
        if table is not current or len(batch) >= INSERT_BATCH:
            _flush(connection, current, batch)
            current, batch = table, []
        batch.append(_decode(table, row, number))
        counts[name] = counts.get(name, 0) + 1
    _flush(connection, current, batch)
    return counts


def _parse_row(line: str, number: int, by_name: Mapping[str, Table]) -> tuple[str, Any]:
    item = json.loads(line)
    name = item.get("table") if isinstance(item, dict) else None
    if not isinstance(name, str) or name not in by_name or not isinstance(item.get("row"), dict):
        raise OperationRefusedError(f"line {number}: not a row of a known table")
    return name, item["row"]


def _flush(connection: Connection, table: Table | None, batch: list[dict[str, Any]]) -> None:
    if table is None or not batch:
        return
    try:
        queries.insert_rows(connection, table, batch)
    except DBAPIError as error:
        detail = str(error.orig).splitlines()[0] if error.orig else str(error)
        raise OperationRefusedError(f"{table.name}: rows cannot be inserted ({detail})") from error


def _decode(table: Table, row: Mapping[str, Any], number: int) -> dict[str, Any]:
    unknown = set(row) - set(table.c.keys())
    if unknown:
        raise OperationRefusedError(
            f"line {number}: {table.name} has no column(s) {', '.join(sorted(unknown))}"
        )
    return {name: _decoder(table.c[name])(value) for name, value in row.items()}


def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    """How to turn the JSON value back into what the column's type binds."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        return _optional(datetime.fromisoformat)
    if isinstance(kind, Date):
        return _optional(date.fromisoformat)
    return _same


def _optional(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else parse(value)


def _same(value: Any) -> Any:
    return value


def _check_restored(table: str, expected: int, actual: int) -> None:
    if expected != actual:
        raise OperationRefusedError(
            f"{table}: the header promises {expected} rows but the file holds {actual} "
            "(truncated or edited backup); nothing was restored"
        )
