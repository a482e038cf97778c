"""Signed-in browsers for page tests: a real session cookie and its CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hemojoint.persistence.models import UserRecord
from hemojoint.services import auth
from hemojoint.settings import Settings
from hemojoint.web.api.deps import SESSION_COOKIE
from tests.support.html import Page


@dataclass
class Browser:
    """A TestClient with a signed-in session; forms post with the session's CSRF token."""

    client: TestClient
    csrf_token: str

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def page(self, url: str) -> Page:
        response = self.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:500])
        return Page(response.text)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        form = {"csrf_token": self.csrf_token, **(data or {})}
        return self.client.post(url, data=form, follow_redirects=False, **kwargs)

    def use_language(self, language: str) -> None:
        self.client.cookies.set("hemojoint_lang", language)


@pytest.fixture
def browser_as(
    client: TestClient, db: Session, settings: Settings
) -> Callable[[UserRecord], Browser]:
    """Sign ``user`` in without the password round trip (argon2 per test is slow)."""

    def sign_in(user: UserRecord) -> Browser:
        issued = auth.start_session(
            db, settings, user=user, address="testclient", now=datetime.now(UTC)
        )
        db.commit()
        client.cookies.set(SESSION_COOKIE, issued.cookie_value)
        return Browser(client, issued.csrf_token)

    return sign_in
