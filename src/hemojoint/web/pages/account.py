"""Sign in, sign out, password change, the language switch and each role's home page."""

from __future__ import annotations

import hmac
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hemojoint.domain.errors import InvalidInputError
from hemojoint.services import auth
from hemojoint.services.errors import AuthenticationError, TooManyAttemptsError
from hemojoint.services.security import new_token
from hemojoint.web import i18n
from hemojoint.web.api.auth import set_session_cookie
from hemojoint.web.api.deps import SESSION_COOKIE, AppSettings, DbSession, Now, client_address
from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

# Before sign-in there is no session to hold a CSRF token, so the sign-in form uses a
# double-submit cookie: another site can make a browser post, but cannot read the cookie.
LOGIN_CSRF_COOKIE = "hemojoint_login_csrf"
ONE_YEAR_SECONDS = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//other.site``): no open redirect after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_path=safe_next(next))


def _login_page(
    request: Request, *, next_path: str, error: str | None = None, username: str = ""
) -> Response:
    token = new_token()
    response = render(
        request,
        "account/login.html",
        None,
        status_code=401 if error else 200,
        login_token=token,
        next_path=next_path,
        error=error,
        username=username,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    username: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    next_path = safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), login_token.encode()):
        error = N_("The sign-in form had expired. Please try again.")
        return _login_page(request, next_path=next_path, error=error, username=username)
    try:
        user = auth.authenticate(
            session,
            settings,
            username=username,
            password=password,
            address=client_address(request),
            now=moment,
        )
    except TooManyAttemptsError:
        error = N_("Too many failed sign-ins. Please wait 15 minutes and try again.")
        return _login_page(request, next_path=next_path, error=error, username=username)
    except AuthenticationError:
        session.commit()  # the failed attempt is what throttling counts
        error = N_("The username or password is wrong.")
        return _login_page(request, next_path=next_path, error=error, username=username)
    old_cookie = request.cookies.get(SESSION_COOKIE)
    if old_cookie:  # never keep a session id from before sign-in (fixation)
        auth.end_session(session, cookie_value=old_cookie, now=moment)
    issued = auth.start_session(
        session, settings, user=user, address=client_address(request), now=moment
    )
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, settings, issued)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, page: Page, session: DbSession, moment: Now) -> Response:
    auth.end_session(session, cookie_value=request.cookies[SESSION_COOKIE], now=moment)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(page: Page) -> Response:
    """Families start at today's exercises, clinicians at their patient list."""
    return RedirectResponse("/family" if page.is_family else "/patients", status_code=303)


@router.get("/account/password")
def password_form(request: Request, page: Page) -> Response:
    return render(request, "account/password.html", page, problems=[], done=False)


@router.post("/account/password")
def change_password(
    request: Request,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    current_password: Annotated[str, Form(max_length=500)] = "",
    new_password: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        user = auth.change_password(
            session,
            settings,
            page.actor,
            current_password=current_password,
            new_password=new_password,
            now=moment,
        )
    except InvalidInputError as error:
        session.commit()  # a wrong current password counts towards the throttle
        return render(
            request,
            "account/password.html",
            page,
            status_code=422,
            problems=error.problems,
            done=False,
        )
    # Every session ended with the change; this browser gets a fresh one.
    issued = auth.start_session(
        session, settings, user=user, address=client_address(request), now=moment
    )
    fresh = replace(page, actor=issued.actor, csrf_token=issued.csrf_token)
    response = render(request, "account/password.html", fresh, problems=[], done=True)
    set_session_cookie(response, settings, issued)
    return response


@router.get("/language/{language}")
def switch_language(language: str, next: str = "/") -> Response:
    """A plain link (works without JavaScript); unknown languages fall back to English."""
    chosen = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        i18n.LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR_SECONDS, samesite="lax", path="/"
    )
    return response
