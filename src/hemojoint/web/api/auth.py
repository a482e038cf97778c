"""Sign in, sign out, who am I, API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from hemojoint.persistence import repositories
from hemojoint.persistence.models import UserRecord
from hemojoint.schemas.common import Strict
from hemojoint.services import auth
from hemojoint.services.errors import AuthenticationError
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
    response.set_cookie(
        SESSION_COOKIE,
        issued.cookie_value,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=int(settings.session_hours * 3600),
        path="/",
    )
    return _me(user, issued.csrf_token)


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
