"""Database fixtures: every database test runs on SQLite and, when configured, PostgreSQL.

``./dev test`` starts a throwaway PostgreSQL server and sets
``HEMOJOINT_TEST_POSTGRES_URL``; CI requires it. Each test runs inside a
transaction that is rolled back, and the code under test commits only to
savepoints inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.persistence.db import make_engine
from hemojoint.persistence.migrate import upgrade

POSTGRES_URL = os.environ.get("HEMOJOINT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_report_header() -> str:
    return f"databases: {', '.join(BACKENDS)}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hemojoint.db'}"
        return
    assert POSTGRES_URL is not None
    # A database of its own per run, so that two runs on one server never collide.
    with _postgres_database(POSTGRES_URL, f"hemojoint_test_{os.getpid()}") as url:
        yield url


@contextmanager
def _postgres_database(server_url: str, name: str) -> Iterator[str]:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The migrated database, built once per backend through Alembic (so migrations are tested)."""
    upgrade(database_url)
    options = {"connect_args": {"check_same_thread": False}} if "sqlite" in database_url else {}
    engine = make_engine(database_url, **options)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """A session factory whose commits stay inside the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session
