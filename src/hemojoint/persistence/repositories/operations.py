"""Queries for operations: whole-table reads and writes (backup, restore) and look-ups by code.

Backup and restore work on tables with SQLAlchemy Core, not on ORM records, so
that every column (including ones no model exposes a setter for) is copied as is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Table, func, select, text

# Rows fetched per round trip while streaming a table (memory stays flat on big tables).
STREAM_BATCH = 1000


def current_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def count_rows(connection: Connection, table: Table) -> int:
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def stream_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` in primary-key order, fetched in batches."""
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
    for row in result.mappings():
        yield dict(row)


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        connection.execute(table.insert(), list(rows))


def reset_sequence(connection: Connection, table: Table) -> None:
    """PostgreSQL: make the ``id`` sequence continue after the highest restored id.

    Tables without a serial ``id`` are left alone (``pg_get_serial_sequence`` is NULL,
    and ``setval`` of NULL does nothing).
    """
    if "id" not in table.c:
        return
    quoted = connection.dialect.identifier_preparer.quote(table.name)
    statement = text(
        "SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE(MAX(id), 1), "
        f"MAX(id) IS NOT NULL) FROM {quoted}"
    )
    connection.execute(statement, {"table": table.name})
