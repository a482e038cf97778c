"""Sign-in, sign-out, password change, language switch and error pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from tests.support.builders import PASSWORD, create_centre, create_user
from tests.support.html import Page


@pytest.fixture
def therapist(db: Session):  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    return create_user(db, role=Role.THERAPIST, centre=centre, username="t.lin")


def _login_token(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_a_page_asks_a_signed_out_visitor_to_sign_in_and_comes_back(client: TestClient) -> None:
    response = client.get("/account/password", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account/password"


def test_signing_in_with_the_form_starts_a_session_and_follows_next(
    client: TestClient, therapist
) -> None:  # type: ignore[no-untyped-def]
    token = _login_token(client)
    form = {
        "username": "t.lin",
        "password": PASSWORD,
        "login_token": token,
        "next": "/account/password",
    }
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/password"
    assert "hemojoint_session" in response.cookies
    assert client.get("/account/password", follow_redirects=False).status_code == 200


def test_a_wrong_password_re_shows_the_form_with_a_message(client: TestClient, therapist) -> None:  # type: ignore[no-untyped-def]
    form = {"username": "t.lin", "password": "wrong", "login_token": _login_token(client)}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 401
    page = Page(response.text)
    assert page.text("[role=alert]") == "The username or password is wrong."
    assert page.one("#username").get("value") == "t.lin"


def test_sign_in_without_the_form_token_is_refused(client: TestClient, therapist) -> None:  # type: ignore[no-untyped-def]
    client.get("/login")
    form = {"username": "t.lin", "password": PASSWORD, "login_token": "forged"}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 401
    assert "hemojoint_session" not in response.cookies


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:x"])
def test_next_never_leaves_the_site(client: TestClient, therapist, target: str) -> None:  # type: ignore[no-untyped-def]
    form = {
        "username": "t.lin",
        "password": PASSWORD,
        "login_token": _login_token(client),
        "next": target,
    }
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_clinicians_start_at_patients_and_families_at_today(browser_as, db: Session) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(db)
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    assert browser_as(nurse).get("/").headers["location"] == "/patients"
    assert browser_as(parent).get("/").headers["location"] == "/family"


def test_sign_out_needs_the_csrf_token_and_ends_the_session(browser_as, therapist) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(therapist)
    forged = browser.client.post("/logout", data={"csrf_token": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    response = browser.post("/logout")
    assert response.status_code == 303
    assert browser.get("/account/password").status_code == 303  # back to sign-in


def test_password_change_names_the_problem_and_keeps_the_user_signed_in(
    browser_as, therapist
) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(therapist)
    short = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422
    assert "new_password" in Page(short.text).text(".error-summary")
    done = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "a much longer secret"}
    )
    assert done.status_code == 200
    assert Page(done.text).text("[role=status]").startswith("Your password has been changed")
    assert browser.client.get("/account/password", follow_redirects=False).status_code == 200


def test_switching_to_chinese_translates_the_frame(browser_as, therapist) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(therapist)
    switch = browser.get("/language/zh-Hans?next=/account/password")
    assert switch.headers["location"] == "/account/password"
    page = browser.page("/account/password")
    assert page.one("html").get("lang") == "zh-Hans"
    assert page.text("h1") == "修改密码"
    assert page.text("button[type=submit].link-button") == "退出登录"


def test_the_browser_language_is_used_until_one_is_chosen(client: TestClient) -> None:
    page = Page(client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text)
    assert page.text("h1") == "登录"


def test_unknown_pages_and_api_paths_answer_in_their_own_form(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert Page(page.text).text("h1") == "Not found"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json() == {"error": "not_found", "detail": "not found", "fields": []}


def test_pages_load_no_asset_from_another_site(client: TestClient) -> None:
    html = client.get("/login").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    foreign = [s for s in sources if not s.startswith(("/", "#")) or s.startswith("//")]
    assert foreign == []
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


def test_a_refused_value_is_explained_in_chinese_on_a_chinese_page(browser_as, therapist) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as(therapist)
    browser.use_language("zh-Hans")
    short = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "short"}
    )
    summary = Page(short.text).text(".error-summary")
    assert summary.startswith("部分数值需要更正")
    # The domain's English sentence is rebuilt from its parts: field, value, what is allowed.
    assert "new_password：" in summary  # noqa: RUF001 - Chinese punctuation
    assert "不被接受（允许：" in summary  # noqa: RUF001
