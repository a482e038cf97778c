"""API clients bound to the test's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.persistence.models import UserRecord
from hemojoint.settings import Settings
from hemojoint.web.app import create_app
from tests.support.builders import create_token


@pytest.fixture
def settings() -> Settings:
    # TestClient talks plain http to "testserver": secure cookies would never be sent back.
    return Settings(cookie_secure=False, database_url="sqlite://")


@pytest.fixture
def client(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    with TestClient(create_app(settings, sessions=sessions)) as test_client:
        yield test_client


@pytest.fixture
def client_as(client: TestClient, db: Session) -> Callable[[UserRecord], TestClient]:
    """Authenticate ``client`` as a user by API token (no password hashing per test)."""

    def as_user(user: UserRecord) -> TestClient:
        client.headers["Authorization"] = f"Bearer {create_token(db, user)}"
        db.commit()
        return client

    return as_user
