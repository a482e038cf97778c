"""Request-scoped dependencies: the unit of work, the clock and the signed-in actor."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from hemojoint.services import auth
from hemojoint.services.actor import Actor
from hemojoint.services.errors import AuthenticationError, PermissionDeniedError
from hemojoint.settings import Settings

SESSION_COOKIE = "hemojoint_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.hemojoint.settings
    return settings


def unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent.

    ``scope="function"`` (below) makes FastAPI finish this before responding, so a
    failed commit is reported to the client instead of being lost after a 200.
    """
    with request.app.state.hemojoint.sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def now() -> datetime:
    return datetime.now(UTC)


DbSession = Annotated[Session, Depends(unit_of_work, scope="function")]
AppSettings = Annotated[Settings, Depends(app_settings)]
Now = Annotated[datetime, Depends(now)]


def current_actor(request: Request, session: DbSession, moment: Now) -> Actor:
    """The caller from a bearer token (scripts) or a session cookie (browsers).

    Cookie-authenticated unsafe requests must echo the session's CSRF token in a
    header, which a cross-site form cannot do.
    """
    address = client_address(request)
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return auth.resolve_token(
            session, token=authorization[7:].strip(), address=address, now=moment
        )
    cookie_value = request.cookies.get(SESSION_COOKIE)
    if not cookie_value:
        raise AuthenticationError("sign in first")
    actor, record = auth.resolve_session(
        session, cookie_value=cookie_value, address=address, now=moment
    )
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), record.csrf_token.encode()):
            raise PermissionDeniedError(f"missing or wrong {CSRF_HEADER} header")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
