"""Alembic environment: runs against the URL handed in by ``hemojoint.persistence.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from hemojoint.persistence import models  # noqa: F401  (registers every table)
from hemojoint.persistence.base import Base
from hemojoint.persistence.db import make_engine

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.attributes["database_url"])
    with engine.connect() as fresh_connection:
        _run(fresh_connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
