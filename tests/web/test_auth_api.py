"""Signing in and out: cookies, throttling, fixation, CSRF, expiry, tokens and password change.

Logins verify real argon2id hashes (about 0.1 s each), so tests that only need a
signed-in browser get their session from ``create_session`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hemojoint.domain.access import Role
from hemojoint.persistence.models import ApiTokenRecord, LoginAttemptRecord, SessionRecord
from hemojoint.services.security import token_digest
from hemojoint.settings import Settings
from hemojoint.web.app import create_app
from tests.support.admin_builders import create_session
from tests.support.builders import PASSWORD, create_centre, create_user

COOKIE = "hemojoint_session"
CSRF = "X-CSRF-Token"
WRONG_CREDENTIALS = {
    "error": "unauthenticated",
    "detail": "the username or password is wrong",
    "fields": [],
}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def user(db, centre):
    return create_user(db, role=Role.NURSE, centre=centre)


@pytest.fixture
def client_from(
    settings: Settings, sessions: sessionmaker[Session]
) -> Iterator[Callable[[str], TestClient]]:
    """Clients calling from a given network address (for per-address throttling)."""
    opened: list[TestClient] = []

    def make(address: str) -> TestClient:
        client = TestClient(create_app(settings, sessions=sessions), client=(address, 50000))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def login(client: TestClient, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def with_cookie(client: TestClient, cookie_value: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie_value)
    return client


@pytest.mark.parametrize("secure", [True, False], ids=["secure", "insecure-dev"])
def test_login_cookie_is_httponly_lax_and_secure_when_configured(
    sessions, user, secure: bool
) -> None:
    settings = Settings(cookie_secure=secure, database_url="sqlite://")
    with TestClient(create_app(settings, sessions=sessions)) as client:
        response = login(client, user.username)
    assert response.status_code == 200, response.text
    header = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert header.startswith(f"{COOKIE}=")
    assert "httponly" in attributes
    assert "samesite=lax" in header.lower()
    assert ("secure" in attributes) is secure
    body = response.json()
    assert (body["user_id"], body["role"]) == (user.id, "nurse")
    assert len(body["csrf_token"]) >= 32


def test_login_cookie_authenticates_later_requests(client, user) -> None:
    assert login(client, user.username).status_code == 200
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    assert me.json()["csrf_token"] is None  # only handed out at sign-in


def test_wrong_password_and_unknown_user_get_the_same_401(client, user) -> None:
    wrong_password = login(client, user.username, "not the password")
    unknown_user = login(client, "nobody-by-this-name", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json() == WRONG_CREDENTIALS
    assert COOKIE not in wrong_password.cookies


def test_account_is_throttled_after_5_failures_even_from_new_addresses(
    client_from, db, user
) -> None:
    # Settings: login_max_failures=5 per login_window_minutes=15, per account and per address.
    for attempt in range(5):
        failed = login(client_from(f"10.0.0.{attempt + 1}"), user.username, "wrong guess")
        assert failed.status_code == 401
    throttled = login(client_from("10.0.0.99"), user.username)  # the right password
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "900"  # 15 minutes
    assert throttled.json()["error"] == "too_many_attempts"
    assert COOKIE not in throttled.cookies


def test_address_is_throttled_after_5_failures_over_several_usernames(
    client_from, db, user
) -> None:
    attacker = client_from("192.0.2.7")
    for number in range(5):
        assert login(attacker, f"guess{number}", "wrong guess").status_code == 401
    assert login(attacker, user.username).status_code == 429
    # The account itself was never attacked: from another address it signs in.
    assert login(client_from("192.0.2.8"), user.username).status_code == 200


def test_failed_attempts_are_recorded_for_throttling(client, db, user) -> None:
    login(client, user.username, "wrong guess")
    attempts = db.scalars(select(LoginAttemptRecord)).all()
    assert [(a.username, a.address, a.succeeded) for a in attempts] == [
        (user.username, "testclient", False)
    ]


def test_login_replaces_a_cookie_from_before_sign_in(client, db, user) -> None:
    planted = create_session(db, user)  # e.g. fixed by an attacker before the victim signs in
    db.commit()
    response = login(with_cookie(client, planted.cookie_value), user.username)
    fresh = response.cookies[COOKIE]
    assert fresh != planted.cookie_value
    db.refresh(planted.record)
    assert planted.record.revoked_at is not None
    assert with_cookie(client, planted.cookie_value).get("/api/v1/auth/me").status_code == 401
    assert with_cookie(client, fresh).get("/api/v1/auth/me").status_code == 200


def test_logout_revokes_the_session(client, db, user) -> None:
    browser = create_session(db, user)
    db.commit()
    client = with_cookie(client, browser.cookie_value)
    assert client.post("/api/v1/auth/logout").status_code == 204
    ended = with_cookie(client, browser.cookie_value).get("/api/v1/auth/me")
    assert ended.status_code == 401
    assert ended.json()["detail"] == "the session has ended; sign in again"


def test_expired_session_is_401(client, db, user) -> None:
    old = create_session(db, user, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    db.commit()
    response = with_cookie(client, old.cookie_value).get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthenticated",
        "detail": "the session has ended; sign in again",
        "fields": [],
    }


def test_no_credentials_is_401(client) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


@pytest.mark.parametrize(
    "headers", [{}, {CSRF: "not-the-token"}, {CSRF: ""}], ids=["missing", "wrong", "empty"]
)
def test_cookie_post_without_the_right_csrf_header_is_403(client, db, user, headers) -> None:
    browser = create_session(db, user)
    db.commit()
    response = with_cookie(client, browser.cookie_value).post(
        "/api/v1/auth/tokens", json={"name": "laptop"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "detail": "missing or wrong X-CSRF-Token header",
        "fields": [],
    }


def test_cookie_post_with_the_right_csrf_header_passes(client, db, user) -> None:
    browser = create_session(db, user)
    db.commit()
    response = with_cookie(client, browser.cookie_value).post(
        "/api/v1/auth/tokens", json={"name": "laptop"}, headers={CSRF: browser.csrf_token}
    )
    assert response.status_code == 201, response.text


def test_cookie_get_needs_no_csrf_header(client, db, user) -> None:
    browser = create_session(db, user)
    db.commit()
    assert with_cookie(client, browser.cookie_value).get("/api/v1/auth/me").status_code == 200


def test_bearer_token_post_needs_no_csrf_header(client_as, user) -> None:
    response = client_as(user).post("/api/v1/auth/tokens", json={"name": "script"})
    assert response.status_code == 201, response.text


# --- API tokens -------------------------------------------------------------------------------


def test_token_is_shown_once_hashed_at_rest_and_works(client_as, client, db, user) -> None:
    created = client_as(user).post("/api/v1/auth/tokens", json={"name": "nightly export"})
    assert created.status_code == 201
    body = created.json()
    token = body["token"]
    assert (body["name"], body["prefix"], body["revoked_at"]) == ("nightly export", token[:8], None)
    stored = db.scalars(select(SessionRecord)).all()
    assert stored == []  # a token is not a browser session
    listed = client.get("/api/v1/auth/tokens").json()["items"]
    mine = next(item for item in listed if item["id"] == body["id"])
    assert "token" not in mine
    assert mine["prefix"] == token[:8]
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/v1/auth/me").json()["user_id"] == user.id
    db.expire_all()
    record = db.get(ApiTokenRecord, body["id"])
    assert record is not None
    assert record.token_hash == token_digest(token)  # only the digest is stored
    assert record.last_used_at is not None


def test_tokens_list_shows_only_own_tokens_newest_first(client_as, db, user) -> None:
    other = create_user(db, role=Role.NURSE, centre=create_centre(db))
    client_as(other).post("/api/v1/auth/tokens", json={"name": "theirs"})
    client = client_as(user)  # client_as itself issues one token named "test"
    client.post("/api/v1/auth/tokens", json={"name": "first"})
    client.post("/api/v1/auth/tokens", json={"name": "second"})
    page = client.get("/api/v1/auth/tokens").json()
    assert page["total"] == 3
    assert [item["name"] for item in page["items"]][:2] == ["second", "first"]
    assert "theirs" not in {item["name"] for item in page["items"]}


def test_revoked_token_gets_401(client_as, client, user) -> None:
    token = client_as(user).post("/api/v1/auth/tokens", json={"name": "ci"}).json()
    revoked = client.post(f"/api/v1/auth/tokens/{token['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    again = client.post(f"/api/v1/auth/tokens/{token['id']}/revoke")
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    client.headers["Authorization"] = f"Bearer {token['token']}"
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "the API token is not valid"


def test_another_users_token_cannot_be_revoked_404(client_as, db, centre, user) -> None:
    other = create_user(db, role=Role.NURSE, centre=centre)
    theirs = client_as(other).post("/api/v1/auth/tokens", json={"name": "theirs"}).json()
    response = client_as(user).post(f"/api/v1/auth/tokens/{theirs['id']}/revoke")
    missing = client_as(user).post("/api/v1/auth/tokens/999999/revoke")
    assert response.status_code == missing.status_code == 404
    assert response.json()["error"] == missing.json()["error"] == "not_found"


def test_token_name_is_required(client_as, user) -> None:
    response = client_as(user).post("/api/v1/auth/tokens", json={"name": ""})
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "name"


# --- password change -------------------------------------------------------------------------

NEW_PASSWORD = "a much better passphrase"


def test_password_change_rehashes_ends_sessions_and_issues_a_fresh_cookie(client, db, user) -> None:
    browser, other_browser = create_session(db, user), create_session(db, user)
    db.commit()
    response = with_cookie(client, browser.cookie_value).post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={CSRF: browser.csrf_token},
    )
    assert response.status_code == 200, response.text
    fresh = response.cookies[COOKIE]
    assert fresh not in (browser.cookie_value, other_browser.cookie_value)
    assert response.json()["csrf_token"]
    for old in (browser, other_browser):
        assert with_cookie(client, old.cookie_value).get("/api/v1/auth/me").status_code == 401
    assert with_cookie(client, fresh).get("/api/v1/auth/me").status_code == 200
    client.cookies.clear()
    assert login(client, user.username, PASSWORD).status_code == 401
    assert login(client, user.username, NEW_PASSWORD).status_code == 200


def test_password_change_with_a_token_issues_no_cookie(client_as, user) -> None:
    response = client_as(user).post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert response.json()["csrf_token"] is None


def test_password_change_refuses_a_wrong_current_password_and_counts_it(
    client_as, db, user
) -> None:
    response = client_as(user).post(
        "/api/v1/auth/password",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {
            "field": "current_password",
            "value": None,  # never echoed back
            "allowed": "your current password",
            "message": "current_password: is wrong",
        }
    ]
    failures = db.scalars(select(LoginAttemptRecord.succeeded)).all()
    assert failures == [False]


@pytest.mark.parametrize(
    ("new_password", "status"),
    [("x" * 9, 422), ("x" * 10, 200)],
    ids=["9-chars-refused", "10-chars-accepted"],
)
def test_new_password_needs_at_least_10_characters(
    client_as, user, new_password: str, status: int
) -> None:
    # Issue 3 brief: passwords of at least 10 characters.
    response = client_as(user).post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": new_password},
    )
    assert response.status_code == status, response.text
    if status == 422:
        problem = response.json()["fields"][0]
        assert (problem["field"], problem["value"]) == ("new_password", None)
        assert problem["allowed"] == "at least 10 and at most 500 characters"
        assert new_password not in response.text
