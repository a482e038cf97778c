"""Sign in, sign out, who am I, password change and self-service API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from hemojoint.domain.errors import InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import UserRecord
from hemojoint.schemas.admin import ApiTokenCreate, ApiTokenIssued, ApiTokenRead, PasswordChange
from hemojoint.schemas.common import MAX_PAGE_SIZE, PageOf, Strict
from hemojoint.services import api_tokens, auth
from hemojoint.services.errors import AuthenticationError
from hemojoint.settings import Settings
from hemojoint.web.api.deps import (
    SESSION_COOKIE,
    AppSettings,
    CurrentActor,
    DbSession,
    Now,
    client_address,
)

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=500)


class Me(BaseModel):
    user_id: int
    username: str
    display_name: str
    role: str
    centre_id: int
    csrf_token: str | None = None


def _me(user: UserRecord, csrf_token: str | None) -> Me:
    return Me(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        centre_id=user.centre_id,
        csrf_token=csrf_token,
    )


@router.post("/login")
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
) -> Me:
    address = client_address(request)
    old_cookie = request.cookies.get(SESSION_COOKIE)
    if old_cookie:  # a session id from before sign-in is never kept (fixation)
        auth.end_session(session, cookie_value=old_cookie, now=moment)
    try:
        user = auth.authenticate(
            session,
            settings,
            username=body.username,
            password=body.password,
            address=address,
            now=moment,
        )
    except AuthenticationError:
        session.commit()  # keep the failed attempt: it is what throttling counts
        raise
    issued = auth.start_session(session, settings, user=user, address=address, now=moment)
    set_session_cookie(response, settings, issued)
    return _me(user, issued.csrf_token)


def set_session_cookie(response: Response, settings: Settings, issued: auth.NewSession) -> None:
    # HttpOnly: page scripts cannot read it; SameSite=Lax: other sites' forms do not send it.
    response.set_cookie(
        SESSION_COOKIE,
        issued.cookie_value,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=int(settings.session_hours * 3600),
        path="/",
    )


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, session: DbSession, moment: Now) -> None:
    cookie_value = request.cookies.get(SESSION_COOKIE)
    if cookie_value:
        auth.end_session(session, cookie_value=cookie_value, now=moment)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def me(actor: CurrentActor, session: DbSession) -> Me:
    user = repositories.get_by_id(session, UserRecord, actor.user_id)
    assert user is not None  # current_actor has just loaded it
    return _me(user, None)


@router.post("/password")
def change_password(
    body: PasswordChange,
    request: Request,
    response: Response,
    actor: CurrentActor,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
) -> Me:
    """Change your password; every session ends and a browser gets a fresh one."""
    try:
        user = auth.change_password(
            session,
            settings,
            actor,
            current_password=body.current_password,
            new_password=body.new_password,
            now=moment,
        )
    except InvalidInputError:
        session.commit()  # keep a failed attempt at the current password: throttling counts it
        raise
    if not request.cookies.get(SESSION_COOKIE):  # a script with a token needs no cookie
        return _me(user, None)
    issued = auth.start_session(
        session, settings, user=user, address=client_address(request), now=moment
    )
    set_session_cookie(response, settings, issued)
    return _me(user, issued.csrf_token)


@router.post("/tokens", status_code=201)
def create_token(body: ApiTokenCreate, actor: CurrentActor, session: DbSession) -> ApiTokenIssued:
    """Issue a token for scripts. The secret is in this response only; keep it safe."""
    issued = api_tokens.issue(session, actor, name=body.name)
    read = ApiTokenRead.model_validate(issued.record)
    return ApiTokenIssued(**read.model_dump(), token=issued.token)


@router.get("/tokens")
def list_tokens(
    actor: CurrentActor,
    session: DbSession,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> PageOf[ApiTokenRead]:
    page = api_tokens.list_own(session, actor, offset=offset, limit=limit)
    return PageOf.of(page, ApiTokenRead.model_validate)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    token_id: int, actor: CurrentActor, session: DbSession, moment: Now
) -> ApiTokenRead:
    return ApiTokenRead.model_validate(
        api_tokens.revoke(session, actor, token_id=token_id, now=moment)
    )
