"""API clients bound to the test's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.persistence.models import UserRecord
from hemojoint.settings import Settings
from hemojoint.web.app import AppState, create_app
from tests.support.builders import create_token


@pytest.fixture
def settings() -> Settings:
    # TestClient talks plain http to "testserver": secure cookies would never be sent back.
    return Settings(cookie_secure=False, database_url="sqlite://")


@pytest.fixture(scope="session")
def shared_app() -> FastAPI:
    """One app for the run: building the routes costs ~0.1 s, times thousands of tests."""
    return create_app(
        Settings(cookie_secure=False, database_url="sqlite://"), sessions=sessionmaker()
    )


@pytest.fixture
def client(
    settings: Settings, sessions: sessionmaker[Session], shared_app: FastAPI
) -> Iterator[TestClient]:
    # Each test gets its own settings and its own transaction-bound sessions.
    shared_app.state.hemojoint = AppState(settings=settings, sessions=sessions)
    with TestClient(shared_app) as test_client:
        yield test_client


@pytest.fixture
def client_as(client: TestClient, db: Session) -> Callable[[UserRecord], TestClient]:
    """Authenticate ``client`` as a user by API token (no password hashing per test)."""

    def as_user(user: UserRecord) -> TestClient:
        client.headers["Authorization"] = f"Bearer {create_token(db, user)}"
        db.commit()
        return client

    return as_user
