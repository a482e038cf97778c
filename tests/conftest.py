"""Database fixtures: every database test runs on SQLite and, when configured, PostgreSQL.

``./dev test`` starts a throwaway PostgreSQL server and sets
``HEMOJOINT_TEST_POSTGRES_URL``; CI requires it. Each test runs inside a
transaction that is rolled back, and the code under test commits only to
savepoints inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.persistence.db import make_engine
from hemojoint.persistence.migrate import upgrade

POSTGRES_URL = os.environ.get("HEMOJOINT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_report_header() -> str:
    return f"databases: {', '.join(BACKENDS)}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hemojoint.db'}"
    assert POSTGRES_URL is not None
    _empty_postgres(POSTGRES_URL)
    return POSTGRES_URL


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


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
