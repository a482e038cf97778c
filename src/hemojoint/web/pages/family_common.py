"""Helpers shared by the family pages: the child in the URL, the family's clock, form values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from hemojoint.domain.errors import FieldProblem
from hemojoint.services import family_view
from hemojoint.services.family_view import FamilyChild
from hemojoint.web.pages.context import PageContext

# UTC offsets in use run from -12:00 to +14:00 (the browser reports minutes west of UTC).
OFFSET_RANGE_MINUTES = (-14 * 60, 12 * 60)


def load_child(session: Session, page: PageContext, patient_id: int, now: datetime) -> FamilyChild:
    """The child if linked to the signed-in family user; 404 otherwise (the services' scope)."""
    return family_view.child(session, page.actor, patient_id, now.date())


def family_zone(offset_minutes: str) -> timezone:
    """The family's zone from ``Date.getTimezoneOffset()`` (sent by family.js); UTC without it.

    Centres have no time zone yet, so a page without JavaScript reads times as UTC.
    """
    try:
        west = int(offset_minutes)
    except ValueError:
        return UTC
    if not OFFSET_RANGE_MINUTES[0] <= west <= OFFSET_RANGE_MINUTES[1]:
        return UTC
    return timezone(-timedelta(minutes=west))


def family_today(now: datetime, zone: timezone) -> date:
    return now.astimezone(zone).date()


def parse_local_moment(
    field: str, text: str, zone: timezone
) -> tuple[datetime | None, FieldProblem | None]:
    """A ``datetime-local`` value read in the family's zone, or the problem naming ``field``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        allowed = "a date and time such as 2026-01-06T17:30"
        return None, FieldProblem.invalid(field, text, allowed, f"is not {allowed}")
    return (moment.replace(tzinfo=zone) if moment.tzinfo is None else moment), None


def parse_day(field: str, text: str) -> tuple[date | None, FieldProblem | None]:
    try:
        return date.fromisoformat(text), None
    except ValueError:
        allowed = "a date such as 2026-01-06"
        return None, FieldProblem.invalid(field, text, allowed, f"is not {allowed}")


def local_input_value(moment: datetime, zone: timezone) -> str:
    """The value a ``datetime-local`` input shows for ``moment`` (minutes precision)."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
