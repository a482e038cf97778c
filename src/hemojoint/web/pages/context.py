"""Who is looking at a page: the signed-in actor, their CSRF token and their language.

Pages use the same server-side sessions as the API (cookie + CSRF token). A form
carries the token in a hidden ``csrf_token`` field; htmx sends it in the
``X-CSRF-Token`` header (set once on ``<body hx-headers>``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType, Role, is_allowed
from hemojoint.persistence import repositories
from hemojoint.persistence.models import UserRecord
from hemojoint.services import alerts, auth
from hemojoint.services.actor import Actor
from hemojoint.services.errors import AuthenticationError, PermissionDeniedError
from hemojoint.web import i18n
from hemojoint.web.api.deps import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, DbSession, Now

CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in first")
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"/login?next={quote(self.next_path, safe='/')}"


@dataclass(frozen=True)
class PageContext:
    actor: Actor
    display_name: str
    csrf_token: str
    language: str
    # Open emergency/urgent alerts the user can see: the badge on the Alerts menu item.
    open_alerts: int = 0

    @property
    def role(self) -> Role:
        return self.actor.role

    @property
    def is_family(self) -> bool:
        return self.actor.role.is_family

    def require_team(self) -> None:
        """Clinical pages are the care team's: families have their own (/family), so 403."""
        if self.is_family:
            raise PermissionDeniedError("this page is for the care team; families use /family")

    def gettext(self, message: str) -> str:
        """``message`` in the page's language (for strings built in Python)."""
        return i18n.translations(self.language).gettext(message)


async def page_context(request: Request, session: DbSession, moment: Now) -> PageContext:
    cookie_value = request.cookies.get(SESSION_COOKIE)
    if not cookie_value:
        raise SignInRequired(_here(request))
    try:
        actor, record = auth.resolve_session(
            session,
            cookie_value=cookie_value,
            address=request.client.host if request.client else None,
            now=moment,
        )
    except AuthenticationError:
        raise SignInRequired(_here(request)) from None
    if request.method not in SAFE_METHODS:
        await _check_csrf(request, record.csrf_token)
    user = repositories.get_by_id(session, UserRecord, actor.user_id)
    assert user is not None  # resolve_session has just loaded it
    return PageContext(
        actor=actor,
        display_name=user.display_name,
        csrf_token=record.csrf_token,
        language=i18n.choose_language(request),
        open_alerts=_open_alert_count(session, actor),
    )


def _open_alert_count(session: Session, actor: Actor) -> int:
    """The menu's badge: open flags wait for a person, so every page shows them."""
    if not is_allowed(actor.role, Action.READ, RecordType.ALERT):
        return 0
    return sum(alerts.open_alert_counts(session, actor).values())


async def _check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()  # Starlette keeps the parsed form for the route
        field = form.get(CSRF_FIELD, "")
        sent = field if isinstance(field, str) else ""
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise PermissionDeniedError(
            "the form has expired or came from another site; reload the page"
        )


async def form_values(request: Request) -> dict[str, str]:
    """The posted fields as text, without the CSRF token (already checked)."""
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != CSRF_FIELD}


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query and request.method == "GET" else ""
    return request.url.path + query if request.method == "GET" else "/"


Page = Annotated[PageContext, Depends(page_context)]
